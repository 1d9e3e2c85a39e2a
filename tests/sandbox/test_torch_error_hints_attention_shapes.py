"""nn.MultiheadAttention's other shape mistakes are told so with their numbers
(sandbox.torch_error_hints): a query not of its embed_dim (torch's AssertionError, or its fast
path's RuntimeError in eval mode without grad), a key and value of different widths in a layer
built with no kdim or vdim, a key and value of different lengths or batch sizes, or of another
batch size than the query; near words get no hint."""

from __future__ import annotations

import pytest

from sandbox.torch_error_hints import torch_error_hint
from tests.sandbox.test_torch_error_hints import worded

NO_GRAD_EVAL = "layer.eval()\nwith torch.no_grad():\n    layer(x, x, x)"


@pytest.mark.parametrize(
    ("code", "raised_as"),
    [
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 1, 7), *[torch.randn(4, 1, 8)] * 2)",
            "AssertionError",
        ),
        (
            "layer = nn.MultiheadAttention(8, 2, batch_first=True)\nx = torch.randn(1, 3, 7)\n"
            "layer(x, x, x)",
            "AssertionError",
        ),
        # unbatched
        ("x = torch.randn(3, 7)\nnn.MultiheadAttention(8, 2)(x, x, x)", "AssertionError"),
        # torch's fast path: batched self-attention, batch_first, in eval mode without grad
        (
            "layer = nn.MultiheadAttention(8, 2, batch_first=True)\nx = torch.randn(1, 3, 7)\n"
            + NO_GRAD_EVAL,
            "RuntimeError",
        ),
    ],
)
def test_a_query_not_of_embed_dim_is_told_so(sb, code, raised_as):
    err = sb.run(code).error
    assert err.type == raised_as, err
    en, zh = worded(err, "attention_query_width", expected="8", got="7")
    assert "its embed_dim (a Transformer layer's d_model), here 8, but this query's is 7" in en
    assert "(batch, length, 8) for a layer built with batch_first=True" in en
    assert "embed_dim=7" in en and "embed_dim=7" in zh and "batch_first=True" in zh


@pytest.mark.parametrize(
    "code",
    [
        "nn.MultiheadAttention(8, 2)(torch.randn(3, 1, 8), torch.randn(4, 1, 6), "
        "torch.randn(4, 1, 8))",
        # torch says their shapes length first, as the layer reads them
        "nn.MultiheadAttention(8, 2, batch_first=True)(torch.randn(1, 3, 8), "
        "torch.randn(1, 4, 6), torch.randn(1, 4, 8))",
    ],
)
def test_a_key_and_value_of_two_widths_are_told_of_kdim_and_vdim(sb, code):
    err = sb.run(code).error
    assert err.type == "AssertionError", err
    en, zh = worded(err, "attention_key_value_widths", key_width="6", value_width="8")
    assert "but this key's is 6 and this value's 8" in en
    assert "kdim=6, vdim=8" in en and "kdim=6, vdim=8" in zh


@pytest.mark.parametrize(
    ("code", "hint_code", "mistake", "fix", "shape"),
    [
        (
            "layer = nn.MultiheadAttention(8, 2, batch_first=True)\nx = torch.randn(1, 3, 7)\n"
            "layer(x, x, x)[0].shape",
            "attention_query_width",
            "torch.randn(1, 3, 7)",
            "torch.randn(1, 3, 8)",
            "torch.Size([1, 3, 8])",
        ),
        (
            "layer = nn.MultiheadAttention(8, 2)\n"
            "layer(torch.randn(3, 1, 8), torch.randn(4, 1, 6), torch.randn(4, 1, 8))[0].shape",
            "attention_key_value_widths",
            "(8, 2)",
            "(8, 2, kdim=6, vdim=8)",
            "torch.Size([3, 1, 8])",
        ),
        # batch_first: the batch is dimension 0
        (
            "layer = nn.MultiheadAttention(8, 2, batch_first=True)\n"
            "layer(torch.randn(2, 3, 8), *[torch.randn(3, 4, 8)] * 2)[0].shape",
            "attention_key_batch",
            "torch.randn(3, 4, 8)",
            "torch.randn(2, 4, 8)",
            "torch.Size([2, 3, 8])",
        ),
    ],
)
def test_doing_as_the_hint_says_works(sb, code, hint_code, mistake, fix, shape):
    assert sb.run(code).error.hint_code == hint_code
    fixed = sb.run(code.replace(mistake, fix))
    assert fixed.value == shape, fixed.error


@pytest.mark.parametrize(
    ("code", "key", "value"),
    [
        # a value one longer than its key
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 2, 8), torch.randn(4, 2, 8), "
            "torch.randn(5, 2, 8))",
            ("4", "2"),
            ("5", "2"),
        ),
        # batch_first: torch says (length, batch), as the layer reads them
        (
            "nn.MultiheadAttention(8, 2, batch_first=True)(torch.randn(2, 3, 8), "
            "torch.randn(2, 4, 8), torch.randn(3, 4, 8))",
            ("4", "2"),
            ("4", "3"),
        ),
        # the widths differ too: the lengths are told first
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 1, 8), torch.randn(4, 1, 6), "
            "torch.randn(5, 1, 8))",
            ("4", "1"),
            ("5", "1"),
        ),
        # a layer with a kdim and vdim of its own (torch's other words); unbatched
        (
            "nn.MultiheadAttention(8, 2, kdim=6, vdim=5)(torch.randn(3, 8), torch.randn(4, 6), "
            "torch.randn(5, 5))",
            ("4", "1"),
            ("5", "1"),
        ),
    ],
)
def test_a_key_and_value_of_two_lengths_or_batches_are_told_so(sb, code, key, value):
    err = sb.run(code).error
    assert err.type == "AssertionError", err
    (key_length, key_batch), (value_length, value_batch) = key, value
    params = {
        "key_length": key_length,
        "key_batch": key_batch,
        "value_length": value_length,
        "value_batch": value_batch,
    }
    en, _ = worded(err, "attention_key_value_lengths", **params)
    assert f"this key's are {key[0]} and {key[1]} and this value's {value[0]} and {value[1]}" in en


@pytest.mark.parametrize(
    ("code", "query_batch", "key_batch"),
    [
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 2, 8), *[torch.randn(4, 3, 8)] * 2)",
            "2",
            "3",
        ),
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 2, 8), *[torch.randn(4, 1, 8)] * 2)",
            "2",
            "1",
        ),
        # batch_first: the batch is dimension 0
        (
            "nn.MultiheadAttention(8, 4, batch_first=True)(torch.randn(3, 5, 8), "
            "*[torch.randn(2, 5, 8)] * 2)",
            "3",
            "2",
        ),
        # a layer with a kdim and vdim of its own
        (
            "nn.MultiheadAttention(8, 2, kdim=6, vdim=5)(torch.randn(3, 2, 8), "
            "torch.randn(4, 3, 6), torch.randn(4, 3, 5))",
            "2",
            "3",
        ),
    ],
)
def test_a_key_and_value_of_another_batch_size_than_the_query_are_told_so(
    sb, code, query_batch, key_batch
):
    # torch says only that its reshape of the key into heads failed
    err = sb.run(code).error
    assert err.type == "RuntimeError" and "is invalid for input of size" in err.message, err
    en, zh = worded(err, "attention_key_batch", query_batch=query_batch, key_batch=key_batch)
    assert (
        f"its key's and value's batch size must be its query's, here {query_batch}, "
        f"but theirs is {key_batch}" in en
    )
    assert "batch_first=True" in en and "batch_first=True" in zh
    assert "memory" not in en + zh and "tgt" not in en + zh


@pytest.mark.parametrize(
    ("raised_as", "text"),
    [
        # torch's words, raised as another type than torch raises them
        (RuntimeError, "was expecting embedding dimension of 8, but got 7"),
        (AssertionError, "passed-in embed_dim 8 didn't match last dim of query 7"),
        (
            RuntimeError,
            "key shape torch.Size([4, 1, 6]) does not match value shape torch.Size([4, 1, 8])",
        ),
        # more or fewer words, another tensor named
        (AssertionError, "was expecting embedding dimension of 8, but got 7 (query)"),
        (AssertionError, "was expecting embedding dimension of 8"),
        (RuntimeError, "passed-in embed_dim 8 didn't match last dim of key 7"),
        # shapes torch 2.13 does not say here (it makes an unbatched key batched first)
        (
            AssertionError,
            "key shape torch.Size([4, 8]) does not match value shape torch.Size([5, 8])",
        ),
        (
            AssertionError,
            "key's sequence and batch dims torch.Size([4]) do not match value's torch.Size([5])",
        ),
        (
            AssertionError,
            "key shape torch.Size([4, 1, 6]) does not match query shape torch.Size([4, 1, 8])",
        ),
        # the words of an attention's key of another batch size, raised not by torch's attention
        (RuntimeError, "shape '[4, 4, 4]' is invalid for input of size 96"),
    ],
)
def test_near_words_get_no_hint(raised_as, text):
    assert torch_error_hint(raised_as(text), text) is None
