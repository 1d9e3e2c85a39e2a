"""A learner's own nn.MultiheadAttention given a batched (3-D) query and an unbatched (2-D) key
or value, or the other way round, is told so in its own terms, with each one's dimensions
(sandbox.torch_error_hints: torch's _mha_shape_check words it as an expectation); a Transformer
decoder layer's own attention keeps the layer's terms (tgt and memory)."""

from __future__ import annotations

import pytest

from tests.sandbox.test_torch_error_hints import worded

ATTENTION = "attention = nn.MultiheadAttention(8, 2{built})\n"


@pytest.mark.parametrize(
    ("built", "query", "key", "value", "dims"),
    [
        pytest.param("", "3, 2, 8", "4, 8", "4, 8", ("3", "2", "2"), id="batched-query"),
        pytest.param("", "3, 8", "4, 2, 8", "4, 2, 8", ("2", "3", "3"), id="unbatched-query"),
        pytest.param("", "3, 2, 8", "4, 8", "4, 2, 8", ("3", "2", "3"), id="unbatched-key"),
        pytest.param("", "3, 8", "4, 8", "4, 2, 8", ("2", "2", "3"), id="batched-value"),
        pytest.param(
            ", batch_first=True", "2, 3, 8", "4, 8", "4, 8", ("3", "2", "2"), id="batch-first"
        ),
        pytest.param(", kdim=6, vdim=6", "3, 2, 8", "4, 6", "4, 6", ("3", "2", "2"), id="kdim"),
    ],
)
def test_a_batched_and_unbatched_mix_is_told_in_attention_terms(sb, built, query, key, value, dims):
    code = ATTENTION.format(built=built) + (
        f"attention(torch.randn({query}), torch.randn({key}), torch.randn({value}))"
    )
    err = sb.run(code).error
    query_dims, key_dims, value_dims = dims
    params = {"query_dims": query_dims, "key_dims": key_dims, "value_dims": value_dims}
    en, zh = worded(err, "attention_batched_mix", **params)
    assert "query, key and value must all be batched, 3-D" in en
    assert (
        f"this query is {query_dims}-D, this key {key_dims}-D and this value {value_dims}-D" in en
    )
    assert "tgt" not in en + zh and "memory" not in en + zh


def test_doing_as_the_attention_mix_hint_says_runs(sb):
    code = ATTENTION.format(built="") + (
        "attention(torch.randn(3, 2, 8), torch.randn(4, 8), torch.randn(4, 8))[0].shape"
    )
    assert sb.run(code).error.hint_code == "attention_batched_mix"
    fixed = sb.run(code.replace("torch.randn(4, 8)", "torch.randn(4, 2, 8)"))
    assert fixed.value == "torch.Size([3, 2, 8])", fixed.error


def test_a_kdim_layers_mix_hint_says_the_keys_own_width_and_doing_as_it_says_runs(sb):
    # the key and value are kdim and vdim wide (6), not embed_dim (8): the shapes the hint gives
    # are in features, each input's own
    code = ATTENTION.format(built=", kdim=6, vdim=6") + (
        "attention(torch.randn(3, 2, 8), torch.randn(4, 6), torch.randn(4, 6))[0].shape"
    )
    err = sb.run(code).error
    en, zh = worded(err, "attention_batched_mix", query_dims="3", key_dims="2", value_dims="2")
    hint = en.split(" (an nn.", 1)[1]  # after torch's words
    for shapes in (hint, zh):  # no shape ending in embed_dim, as the query's alone does
        assert "batch, embed_dim)" not in shapes and "length, embed_dim)" not in shapes
    assert "(length, batch, features)" in hint + zh
    assert "the query's features its embed_dim, the key's its kdim and the value's its vdim" in hint
    assert "对 key 是 kdim，对 value 是 vdim" in zh
    fixed = sb.run(code.replace("torch.randn(4, 6)", "torch.randn(4, 2, 6)"))
    assert fixed.value == "torch.Size([3, 2, 8])", fixed.error


def test_a_decoder_layers_own_attention_keeps_the_layers_terms(sb):
    err = sb.run("nn.TransformerDecoderLayer(8, 2)(torch.randn(3, 2, 8), torch.randn(4, 8))").error
    assert (err.hint_code, err.params["other"]) == ("transformer_batched_mix", "memory"), err


@pytest.mark.parametrize(
    "code",
    [
        # a 4-D key and value beside a 3-D query: no batched/unbatched mix
        ATTENTION.format(built="")
        + "attention(torch.randn(3, 2, 8), *[torch.randn(4, 2, 1, 8)] * 2)",
        # a query of no shape an attention takes
        ATTENTION.format(built="") + "attention(torch.randn(8), *[torch.randn(4, 8)] * 2)",
        # an unbatched query with a 2-D key mask's words
        ATTENTION.format(built="") + "attention(torch.randn(3, 8), *[torch.randn(4, 8)] * 2, "
        "key_padding_mask=torch.zeros(1, 4, dtype=torch.bool))",
    ],
)
def test_near_messages_get_no_attention_mix_hint(sb, code):
    err = sb.run(code).error
    assert err is not None and err.hint_code is None, err
