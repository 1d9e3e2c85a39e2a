"""An nn.Embedding on a GPU fed floats gets the indices hint as on the CPU
(sandbox.torch_error_hints): torch names a CUDA tensor's type ``torch.cuda.FloatTensor``, a
BFloat16 one's ``CUDABFloat16Type``, and the dtype is what the hint names."""

from __future__ import annotations

import pytest

from sandbox.torch_error_hints import torch_error_hint
from tests.sandbox.test_torch_error_hints import worded

EMBEDDING_WORDS = (
    "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
    "Long, Int; but got {type} instead (while checking arguments for {op})"
)


@pytest.mark.parametrize(
    ("tensor_type", "got"),
    [
        ("torch.cuda.FloatTensor", "Float"),
        ("torch.cuda.HalfTensor", "Half"),
        ("torch.cuda.DoubleTensor", "Double"),
        # torch names the dtypes it has no legacy tensor type for as on the CPU (CPUBFloat16Type)
        ("CUDABFloat16Type", "BFloat16"),
    ],
)
@pytest.mark.parametrize("op", ["embedding", "embedding_bag"])
def test_an_embedding_on_a_gpu_fed_floats_gets_the_indices_hint(sb, tensor_type, got, op):
    # no GPU here: the learner's code raises torch 2.13's words for it
    words = EMBEDDING_WORDS.format(type=tensor_type, op=op)
    en, zh = worded(sb.run(f"raise RuntimeError({words!r})").error, "embedding_indices", got=got)
    assert "`.long()`" in en and "`.long()`" in zh


@pytest.mark.parametrize(
    ("tensor_type", "op"),
    [
        ("torch.cuda.FloatTensor", "gather"),  # another op's indices
        ("torch.cuda.", "embedding"),  # no dtype named
        ("cuda.FloatTensor", "embedding"),
        ("torch.mps.FloatTensor", "embedding"),  # not a device torch 2.13 words so
    ],
)
def test_an_embeddings_words_with_another_type_or_op_get_no_hint(tensor_type, op):
    text = EMBEDDING_WORDS.format(type=tensor_type, op=op)
    assert torch_error_hint(RuntimeError(text), text) is None
