"""nn.MultiheadAttention given a key or value whose last dimension is not the one it was built
for (its kdim or vdim, embed_dim where not given) is told so with its numbers
(sandbox.torch_error_hints), not a plain matrix product's words; near errors keep theirs."""

from __future__ import annotations

import pytest

from tests.sandbox.test_torch_error_hints import worded

KEY_OF_6 = "q = torch.randn(1, 3, 8)\nk = torch.randn(1, 4, 6)\n"


@pytest.mark.parametrize(
    ("code", "name", "dim", "got", "expected"),
    [
        (
            "mha = nn.MultiheadAttention(8, 2, kdim=5, vdim=5, batch_first=True)\n"
            f"{KEY_OF_6}mha(q, k, torch.randn(1, 4, 5))",
            "key",
            "kdim",
            "6",
            "5",
        ),
        (
            "mha = nn.MultiheadAttention(8, 2, kdim=5, vdim=5, batch_first=True)\n"
            "mha(torch.randn(1, 3, 8), torch.randn(1, 4, 5), torch.randn(1, 4, 6))",
            "value",
            "vdim",
            "6",
            "5",
        ),
        # a kdim of its own, no vdim: the value's weight is embed_dim's
        (
            "mha = nn.MultiheadAttention(8, 2, kdim=5)\n"
            "mha(torch.randn(3, 1, 8), torch.randn(4, 1, 5), torch.randn(4, 1, 6))",
            "value",
            "vdim",
            "6",
            "8",
        ),
    ],
)
def test_a_key_or_value_not_of_the_kdim_or_vdim_built_with_is_told_so(
    sb, code, name, dim, got, expected
):
    err = sb.run(code).error
    assert err.type == "AssertionError", err
    en, zh = worded(err, "attention_kdim", name=name, dim=dim, got=got, expected=expected)
    assert en.startswith(f"expecting {name} weights shape of (8, {got}), but got torch.Size(")
    assert f"its {dim} (embed_dim where {dim} is not given), here {expected}" in en
    assert f"this {name}'s is {got}" in en and f"`{dim}`" not in en
    assert f"{dim}={got}" in en and f"{dim}={got}" in zh and "embed_dim" in zh


@pytest.mark.parametrize(
    "code",
    [
        f"mha = nn.MultiheadAttention(8, 2, batch_first=True)\n{KEY_OF_6}mha(q, k, k)",
        # key and value two tensors of one shape (torch projects each with its third of the weight)
        "mha = nn.MultiheadAttention(8, 2)\n"
        "mha(torch.randn(3, 1, 8), torch.randn(4, 1, 6), torch.randn(4, 1, 6))",
        # kdim and vdim given as embed_dim are as not given; unbatched
        "mha = nn.MultiheadAttention(8, 2, kdim=8, vdim=8)\n"
        "mha(torch.randn(3, 8), torch.randn(4, 6), torch.randn(4, 6))",
        # in a model of the learner's
        "class Cross(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.attend = nn.MultiheadAttention(8, 2, batch_first=True)\n"
        "    def forward(self, x, memory):\n        return self.attend(x, memory, memory)[0]\n"
        f"{KEY_OF_6}Cross()(q, k)",
    ],
)
def test_a_key_and_value_not_of_embed_dim_are_told_so(sb, code):
    err = sb.run(code).error
    assert err.message.startswith("mat1 and mat2 shapes cannot be multiplied (4x6 and 8x"), err
    en, zh = worded(err, "attention_embed_dim", width="6", inner="8")
    assert "whose last dimension is its embed_dim, here 8, but theirs is 6" in en
    assert "kdim=6, vdim=6" in en and "kdim=6, vdim=6" in zh
    assert "A @ B" not in en and "in_features" not in en


def test_an_attention_layer_built_as_the_hint_says_works(sb):
    code = f"mha = nn.MultiheadAttention(8, 2, batch_first=True)\n{KEY_OF_6}mha(q, k, k)[0].shape"
    assert sb.run(code).error.hint_code == "attention_embed_dim"
    fixed = sb.run(code.replace("batch_first=True", "kdim=6, vdim=6, batch_first=True"))
    assert fixed.value == "torch.Size([1, 3, 8])", fixed.error


@pytest.mark.parametrize(
    ("code", "hint_code"),
    [
        # a plain q @ k of the wrong widths, and a Linear's input: their own words
        ("q = torch.randn(3, 8)\nk = torch.randn(4, 6)\nq @ k.T", "matrix_product_shapes"),
        ("nn.Linear(8, 2)(torch.randn(4, 6))", "matmul_shapes"),
        # the query's width, the key's shape not the value's: hints of their own
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 1, 7), *[torch.randn(4, 1, 8)] * 2)",
            "attention_query_width",
        ),
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 1, 8), torch.randn(4, 1, 6), "
            "torch.randn(4, 1, 8))",
            "attention_key_value_widths",
        ),
        # the learner's own assertion in other words
        ("assert False, 'expecting key weights shape of (8, 6)'", None),
    ],
)
def test_near_errors_keep_their_own_hint(sb, code, hint_code):
    err = sb.run(code).error
    assert err is not None and err.hint_code == hint_code, err
