"""Advice for the torch errors a torch.nn learner meets most (a Linear's input of the wrong
width, a conv's channels, mixed dtypes, a loss's target, ``backward()`` with nothing to go back
through, an attention layer's query, key and value, a Transformer layer's inputs in its own
terms, a LayerNorm's input), recognised from torch's own message text (torch 2.13) and naming
its numbers.

Each pattern matches the whole of what it reads, numbers and dtype names included: a message
torch words differently one day gets no hint rather than a wrong one. The words are
:data:`sandbox.outcome.HINTS`' (and ``sandbox.hint.*`` in the catalogue). No torch import here:
the text of the exception is read, and where torch words two mistakes alike (a matrix product's
shapes, a Linear's input), where its traceback says it was raised.
"""

from __future__ import annotations

import ast
import functools
import inspect
import linecache
import os
import re
import sys
from collections.abc import Callable
from itertools import islice
from types import (
    BuiltinFunctionType,
    CodeType,
    FrameType,
    FunctionType,
    GetSetDescriptorType,
    ModuleType,
    TracebackType,
)

from sandbox.private_builtins import PRIVATE_BUILTINS

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins (runs in a run)

_DTYPE = r"(?:c10::)?[A-Za-z0-9]+(?: int| char)?"
"""A dtype as torch's messages name it: torch's own name (``Double``, ``BFloat16``) or, in some
of its messages, the C type it stores (``float``, ``unsigned char``, ``long int``,
``c10::Half``); see :func:`dtype_name`."""

_TENSOR_TYPE = r"(?:torch\.|CPU)([A-Za-z0-9]+?)(?:Tensor|Type)"
"""A CPU tensor's type as a conv's MKLDNN check names it (``torch.FloatTensor``,
``CPUBFloat16Type``); its group is torch's name of the dtype (``Float``, ``BFloat16``). A CUDA
tensor's (``torch.cuda.FloatTensor``) is not one: two devices are not two dtypes."""

_ANY_DEVICE_TENSOR_TYPE = r"(?:torch\.(?:cuda\.)?|CPU|CUDA)([A-Za-z0-9]+?)(?:Tensor|Type)"
"""A tensor's type on the CPU or a GPU as torch's messages name it (``torch.FloatTensor``,
``torch.cuda.HalfTensor``, ``CPUBFloat16Type``, ``CUDABFloat16Type``), for a message where the
device does not matter (an embedding's indices); its group is torch's name of the dtype."""

_C_TYPE_DTYPES = {
    "float": "Float",
    "double": "Double",
    "c10::half": "Half",
    "c10::bfloat16": "BFloat16",
    "unsigned char": "Byte",
    "signed char": "Char",
    "short int": "Short",
    "int": "Int",
    "long int": "Long",
    "bool": "Bool",
}
"""The C types torch 2.13 names some dtypes by (a conv's "Input type (unsigned char)", ``x @ w``'s
"long int != float"), lower case -> torch's own name of that dtype."""


def dtype_name(word: str) -> str:
    """Torch's own name of the dtype its message calls ``word`` (``Byte`` for ``unsigned char``,
    ``Long`` for ``long int``, ``Double`` for ``double``), the name its other messages and
    ``tensor.type()`` (``torch.ByteTensor``) use; a name already torch's is kept."""
    return _C_TYPE_DTYPES.get(word.lower(), word)


def _with_float(first: str, second: str) -> dict[str, str] | None:
    """The params of ``dtype_mismatch`` for two tensors of dtypes ``first`` and ``second``
    (either order, as torch's message names them): the one that is not float32, named
    ``other`` (see :func:`dtype_name`). ``None`` unless exactly one is float32, the dtype a model
    has unless cast: the hint's words name Float and ``.float()``."""
    names = [dtype_name(word) for word in (first, second)]
    floats = [name == "Float" for name in names]
    if floats.count(True) != 1:
        return None
    return {"other": names[1] if floats[0] else names[0]}


_FLOATING = {"Float", "Double", "Half", "BFloat16"}
"""Torch's names of the floating dtypes a model or its input may have."""


_WHOLE = {"Long", "Int", "Short", "Byte", "Char", "Bool"}
"""Torch's names of the dtypes of whole numbers (and Bool), which a Float result cannot be
written into."""


def _float_into_whole(result: str, output: str) -> dict[str, str] | None:
    """The params of ``dtype_mismatch`` where a Float ``result`` was to be written into a tensor
    of dtype ``output``: an in-place op on one (``pixels /= 255`` on uint8), or
    ``BCEWithLogitsLoss``'s target of whole numbers (Long), whose ``.float()`` is the fix. Only
    for an ``output`` of whole numbers: another mix (a complex result) is not theirs."""
    return {"other": output} if result == "Float" and output in _WHOLE else None


def _expected_floating(expected: str, found: str) -> dict[str, str] | None:
    """The params of ``dtype_mismatch`` where torch expected ``expected`` and found ``found``:
    only where a floating dtype was expected (a float32 conv fed float64 expects Double and finds
    Float; BCELoss's Long target, Float), not an index (``Long``), which no float dtype fixes."""
    return _with_float(expected, found) if dtype_name(expected) in _FLOATING else None


def _attention_input_width(
    name: str, query_width: str, got: str, embed_dim: str, expected: str
) -> dict[str, str] | None:
    """The params of ``attention_kdim`` where ``nn.MultiheadAttention``, whose key and value have
    weights of their own (a ``kdim`` or ``vdim`` not its embed_dim), was given a ``name`` (key or
    value) of last dimension ``got``: its weight is ``embed_dim`` x ``expected``, the ``kdim``
    (``vdim``) it was built with, or embed_dim where not given. ``None`` unless the query's width
    is ``embed_dim``, as torch checked it before: another mismatch is not this one's."""
    if query_width != embed_dim:
        return None
    dim = "kdim" if name == "key" else "vdim"
    return {"name": name, "dim": dim, "got": got, "expected": expected}


def _expected_and_got(expected: str, got: str) -> dict[str, str]:
    """The params of a hint naming the size torch ``expected`` and the one it ``got``."""
    return {"expected": expected, "got": got}


def _key_value_lengths(
    key_length: str, key_batch: str, value_length: str, value_batch: str
) -> dict[str, str]:
    """The params of ``attention_key_value_lengths``: the length and batch size of an
    ``nn.MultiheadAttention``'s key and of its value, as torch says them, length first (as the
    layer reads them, batch_first or not, an unbatched one's batch 1)."""
    return {
        "key_length": key_length,
        "key_batch": key_batch,
        "value_length": value_length,
        "value_batch": value_batch,
    }


_Params = Callable[..., "dict[str, str] | None"]

_MATRIX_PRODUCT_SHAPES = re.compile(
    r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)"
)
"""x @ w, torch.mm; nn.Linear and F.linear alike (their mat2 is the weight transposed: in x out
features), told apart by where it was raised (see :data:`_RAISED_ELSEWHERE`)."""

_BROADCAST_SHAPES = re.compile(
    r"The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) "
    r"at non-singleton dimension (\d+)"
)
"""An element-wise op (+, *, a loss's difference), its dimension counted in the longer shape; a
batched matrix product's batch dimensions alike (see :data:`_RAISED_ELSEWHERE`)."""

_FLOAT_RESULT_CAST = re.compile(
    rf"result type ({_DTYPE}) can't be cast to the desired output type ({_DTYPE})"
)
"""nn.BCEWithLogitsLoss with a target of whole numbers (Long); an in-place op on a tensor of
whole numbers, ``pixels /= 255`` on uint8 (see :data:`_RAISED_ELSEWHERE`)."""

_DICT_NOT_A_MODULE = re.compile(r"dict is not a Module subclass")
"""nn.Sequential({...}) (nn.Module.add_module's words; torch wants an OrderedDict)."""

_LIST_NOT_A_MODULE = re.compile(r"list is not a Module subclass")
"""nn.Sequential([...]): the layers unpacked are its arguments."""


def _unexpected_keyword(class_name: str) -> re.Pattern[str]:
    """Python's words for a keyword the ``__init__`` of the class ``class_name`` has not, as for
    any class's (told torch's by the call that raised: see :func:`_raised_calling_torchs`)."""
    return re.compile(rf"{class_name}\.__init__\(\) got an unexpected keyword argument '\w+'")


_SEQUENTIAL_KEYWORDS = _unexpected_keyword("Sequential")
"""nn.Sequential(encoder=..., decoder=...)."""

_MODULE_DICT_KEYWORDS = _unexpected_keyword("ModuleDict")
"""nn.ModuleDict(encoder=..., decoder=...): its layers belong in one dict."""


def _too_many_arguments(class_name: str) -> re.Pattern[str]:
    """Python's words for more positional arguments than the ``__init__`` of the class
    ``class_name``, which takes one, was given (told torch's by the call that raised: see
    :func:`_raised_calling_torchs`)."""
    return re.compile(
        rf"{class_name}\.__init__\(\) takes from 1 to 2 positional arguments but \d+ were given"
    )


_MODULE_LIST_ARGUMENTS = _too_many_arguments("ModuleList")
"""nn.ModuleList(layer1, layer2): its layers belong in one list."""

_MODULE_LIST_NOT_ITERABLE = re.compile(
    r"ModuleList\.extend should be called with an iterable, but got \w+"
)
"""nn.ModuleList(layer): torch's words (``ModuleList.extend``'s, as its ``__init__`` called it),
naming the class of what it was given; one layer belongs in a list too."""

_MODULE_DICT_ARGUMENTS = _too_many_arguments("ModuleDict")
"""nn.ModuleDict(layer1, layer2): its layers belong under names, in one argument."""

_MODULE_DICT_NOT_ITERABLE = re.compile(
    r"ModuleDict\.update should be called with an iterable of key/value pairs, but got \w+"
)
"""nn.ModuleDict(layer): torch's words (``ModuleDict.update``'s, as its ``__init__`` called it),
naming the class of what it was given; a layer belongs under a name."""

_MODULE_DICT_UNNAMED = re.compile(
    r"ModuleDict update sequence element #\d+ should be Iterable; is\w+"
)
"""nn.ModuleDict([layer1, layer2]): torch's words (``ModuleDict.update``'s, as its ``__init__``
called it) for an element of the list that is not a (name, layer) pair but a layer, whose class
it names."""

_ATTENTION_WEIGHT_SHAPE = re.compile(
    r"expecting (key|value) weights shape of \((\d+), (\d+)\), "
    r"but got torch\.Size\(\[(\d+), (\d+)\]\)"
)
"""nn.MultiheadAttention built with a kdim or vdim (F._in_projection's AssertionError): the
query's width and the key's (value's), then its weight's shape, embed_dim x kdim (vdim)."""

_ATTENTION_QUERY_WIDTH = re.compile(r"was expecting embedding dimension of (\d+), but got (\d+)")
"""nn.MultiheadAttention given a query not of its embed_dim (F.multi_head_attention_forward's
AssertionError, its first check of its inputs): embed_dim, then the query's width."""

_ATTENTION_KEY_VALUE_WIDTHS = re.compile(
    r"key shape torch\.Size\(\[(\d+), (\d+), (\d+)\]\) "
    r"does not match value shape torch\.Size\(\[\1, \2, (\d+)\]\)"
)
"""nn.MultiheadAttention built with no kdim or vdim given a key and value of one length and
batch size but two widths (F.multi_head_attention_forward's AssertionError, after it checked the
query's width): their length and batch size, then the key's width and the value's."""

_ATTENTION_KEY_VALUE_SHAPES = re.compile(
    r"key shape torch\.Size\(\[(\d+), (\d+), \d+\]\) "
    r"does not match value shape torch\.Size\(\[(\d+), (\d+), \d+\]\)"
)
"""The same words for a key and value of two lengths or batch sizes (widths alike or not, read
after :data:`_ATTENTION_KEY_VALUE_WIDTHS`): each (length, batch, width), length first as the
layer reads them, batch_first or not (an unbatched one's batch 1)."""

_ATTENTION_KEY_VALUE_DIMS = re.compile(
    r"key's sequence and batch dims torch\.Size\(\[(\d+), (\d+)\]\) "
    r"do not match value's torch\.Size\(\[(\d+), (\d+)\]\)"
)
"""The same, in a layer built with a kdim or vdim, where the key and value may have widths of
their own: torch says their length and batch size alone."""

_UNBATCHED_WITH_BATCHED = re.compile(
    r"For (?:batched \(3-D\)|unbatched \(2-D\)) `query`, expected `key` and `value` to be "
    r"([23])-D but found ([23])-D and ([23])-D tensors respectively"
)
"""F._mha_shape_check's AssertionError, an attention's query batched (3-D) and its key or value
not (2-D), or the other way round: the query's dimensions, then the key's and the value's (a
decoder layer's memory is both). A key or value of another number of dimensions (4-D) is no
batched/unbatched mix: not matched."""


def _attention_batched_mix(query_dims: str, key_dims: str, value_dims: str) -> dict[str, str]:
    """The params of ``attention_batched_mix``: the dimensions of an nn.MultiheadAttention's
    query, key and value, as torch says them."""
    return {"query_dims": query_dims, "key_dims": key_dims, "value_dims": value_dims}


_HINTED: tuple[tuple[str, re.Pattern[str], _Params], ...] = (
    (
        "matrix_product_shapes",
        _MATRIX_PRODUCT_SHAPES,
        lambda rows, width, inner, cols: {"width": width, "inner": inner},
    ),
    ("broadcast_shapes", _BROADCAST_SHAPES, lambda a, b, dim: {"a": a, "b": b, "dim": dim}),
    (
        # nn.Conv1d/2d/3d, nn.ConvTranspose1d/2d/3d ("transposed=1"): torch names the input's
        # shape (batched) and the channels it wanted, the layer's in_channels for both (only the
        # weight's layout differs, [in, out/groups, k, k] for a transposed one: not read here)
        "conv_channels",
        re.compile(
            r"Given (?:groups=\d+|transposed=1), weight of size \[[\d, ]+\], "
            r"expected input\[[\d, ]+\] to have (\d+) channels, but got (\d+) channels instead"
        ),
        _expected_and_got,
    ),
    (
        "dtype_mismatch",  # a Linear's input, torch.addmm
        re.compile(rf"mat1 and mat2 must have the same dtype, but got ({_DTYPE}) and ({_DTYPE})"),
        _with_float,
    ),
    (
        "dtype_mismatch",  # x @ w, torch.mm
        re.compile(
            rf"expected m1 and m2 to have the same dtype, but got: ({_DTYPE}) != ({_DTYPE})"
        ),
        _with_float,
    ),
    (
        "dtype_mismatch",  # a conv's input (a CUDA tensor's type, torch.cuda.FloatTensor, not)
        re.compile(
            rf"Input type \(({_DTYPE})\) and (?:bias|weight) type \(({_DTYPE})\) should be the same"
        ),
        _with_float,
    ),
    (
        # a bias-less conv, or any transposed one, fed BFloat16 on the CPU (torch's MKLDNN path)
        "dtype_mismatch",
        re.compile(
            rf"Input type \({_TENSOR_TYPE}\) and weight type \({_TENSOR_TYPE}\) should be the "
            r"same or input should be a MKLDNN tensor and weight is a dense tensor"
        ),
        _with_float,
    ),
    (
        "dtype_mismatch",  # F.conv2d with a float64 weight; a bias-less conv fed float64
        re.compile(rf"expected scalar type ({_DTYPE}) but found ({_DTYPE})"),
        _expected_floating,
    ),
    (
        "dtype_mismatch",  # nn.BCELoss with a target of whole numbers (Long)
        re.compile(rf"Found dtype ({_DTYPE}) but expected ({_DTYPE})"),
        lambda found, expected: _expected_floating(expected, found),
    ),
    ("dtype_mismatch", _FLOAT_RESULT_CAST, _float_into_whole),
    ("attention_kdim", _ATTENTION_WEIGHT_SHAPE, _attention_input_width),
    (
        "attention_query_width",
        _ATTENTION_QUERY_WIDTH,
        _expected_and_got,
    ),
    (
        # torch's fast path (torch._native_multi_head_attention's RuntimeError): batched
        # self-attention in a layer built with batch_first=True (an nn.TransformerEncoderLayer's
        # too, said in its terms: see _in_transformer_terms), in eval mode without grad
        "attention_query_width",
        re.compile(r"passed-in embed_dim (\d+) didn't match last dim of query (\d+)"),
        _expected_and_got,
    ),
    (
        "attention_key_value_widths",
        _ATTENTION_KEY_VALUE_WIDTHS,
        lambda length, batch, key_width, value_width: {
            "key_width": key_width,
            "value_width": value_width,
        },
    ),
    ("attention_key_value_lengths", _ATTENTION_KEY_VALUE_SHAPES, _key_value_lengths),
    ("attention_key_value_lengths", _ATTENTION_KEY_VALUE_DIMS, _key_value_lengths),
    ("attention_batched_mix", _UNBATCHED_WITH_BATCHED, _attention_batched_mix),
    (
        "embedding_indices",  # nn.Embedding/EmbeddingBag, F.embedding fed floats
        re.compile(
            r"Expected tensor for argument #1 'indices' to have one of the following scalar "
            rf"types: Long, Int; but got {_ANY_DEVICE_TENSOR_TYPE} instead "
            r"\(while checking arguments for embedding(?:_bag)?\)"
        ),
        lambda got: {"got": got},
    ),
    (
        "loss_batch",  # cross_entropy/nll_loss: one class index per row of the input
        re.compile(r"Expected input batch_size \((\d+)\) to match target batch_size \((\d+)\)\.?"),
        lambda inputs, targets: {"inputs": inputs, "targets": targets},
    ),
    (
        "target_dtype",  # cross_entropy/nll_loss with class indices written as floats
        re.compile(rf"expected target dtype to be Long or Byte, but got ({_DTYPE})"),
        lambda got: {"got": dtype_name(got)},
    ),
    (
        "backward_no_grad",
        re.compile(r"element 0 of tensors does not require grad and does not have a grad_fn"),
        lambda: {},
    ),
    (
        # torch's message goes on to explain retain_graph=True; only its start is read
        "backward_twice",
        re.compile(r"Trying to backward through the graph a second time\b.*", re.DOTALL),
        lambda: {},
    ),
    ("sequential_dict", _DICT_NOT_A_MODULE, lambda: {}),
    ("sequential_list", _LIST_NOT_A_MODULE, lambda: {}),
    ("sequential_keywords", _SEQUENTIAL_KEYWORDS, lambda: {}),
    ("module_dict_keywords", _MODULE_DICT_KEYWORDS, lambda: {}),
    # one hint for each container's fix, whichever of its words the mistake drew
    ("module_list_arguments", _MODULE_LIST_ARGUMENTS, lambda: {}),
    ("module_list_arguments", _MODULE_LIST_NOT_ITERABLE, lambda: {}),
    ("module_dict_unnamed", _MODULE_DICT_UNNAMED, lambda: {}),
    ("module_dict_unnamed", _MODULE_DICT_ARGUMENTS, lambda: {}),
    ("module_dict_unnamed", _MODULE_DICT_NOT_ITERABLE, lambda: {}),
    (
        # torch words it several ways after this (the two devices, or the argument on which)
        "device_mismatch",
        re.compile(r"Expected all tensors to be on the same device\b.*", re.DOTALL),
        lambda: {},
    ),
)
"""hint code, torch's message (matched whole), params from its groups (``None``: no hint)."""

_RAISED_BUILDING: dict[re.Pattern[str], Callable[[TracebackType | None], bool]] = {
    # lambdas: the functions are defined below
    _DICT_NOT_A_MODULE: lambda tb: _raised_in_container_init(tb, "Sequential"),
    _LIST_NOT_A_MODULE: lambda tb: _raised_in_container_init(tb, "Sequential"),
    _SEQUENTIAL_KEYWORDS: lambda tb: _raised_calling_torchs(tb, "Sequential"),
    _MODULE_DICT_KEYWORDS: lambda tb: _raised_calling_torchs(tb, "ModuleDict"),
    _MODULE_LIST_ARGUMENTS: lambda tb: _raised_calling_torchs(tb, "ModuleList"),
    _MODULE_LIST_NOT_ITERABLE: lambda tb: _raised_in_container_init(tb, "ModuleList"),
    _MODULE_DICT_UNNAMED: lambda tb: _raised_in_container_init(tb, "ModuleDict"),
    _MODULE_DICT_ARGUMENTS: lambda tb: _raised_calling_torchs(tb, "ModuleDict"),
    _MODULE_DICT_NOT_ITERABLE: lambda tb: _raised_in_container_init(tb, "ModuleDict"),
}
"""Torch's (and Python's) words for a container of torch's (nn.Sequential, nn.ModuleDict,
nn.ModuleList) built wrong, each with whether the error of a traceback was raised building that
very container, its ``__init__`` (:func:`_raised_in_container_init`) or the learner's call of it
(:func:`_raised_calling_torchs`): the same words raised otherwise (``nn.ModuleList([{...}])``,
an ``add_module``, ``extend`` or ``update`` the learner called on one built before, a class of
theirs of the same name) get no hint, its fix not theirs. All raised as a ``TypeError``."""

_RAISED_AS: dict[re.Pattern[str], type[BaseException]] = {
    **dict.fromkeys(_RAISED_BUILDING, TypeError),
    _ATTENTION_WEIGHT_SHAPE: AssertionError,
    _ATTENTION_QUERY_WIDTH: AssertionError,
    _ATTENTION_KEY_VALUE_WIDTHS: AssertionError,
    _ATTENTION_KEY_VALUE_SHAPES: AssertionError,
    _ATTENTION_KEY_VALUE_DIMS: AssertionError,
    _UNBATCHED_WITH_BATCHED: AssertionError,
}
"""Torch's words it raises as a ``TypeError`` (a container built wrong: see
:data:`_RAISED_BUILDING`) and as an ``AssertionError`` (its checks of an attention layer's
inputs and weights); the others it raises as a ``RuntimeError`` or ``ValueError``. By the
words, not the hint: an attention layer's query not of its embed_dim is an ``AssertionError``,
and a ``RuntimeError`` in torch's fast path."""

_RAISED_AS_OTHERS = tuple(dict.fromkeys(_RAISED_AS.values()))
"""The error types of :data:`_RAISED_AS` (``TypeError``, ``AssertionError``), each read for its
own hints alone."""

_RAISED_ELSEWHERE: dict[
    re.Pattern[str],
    tuple[tuple[str, Callable[[TracebackType | None], dict[str, str] | None]], ...],
] = {
    _MATRIX_PRODUCT_SHAPES: (
        # a Linear's input: its words name in_features
        ("matmul_shapes", lambda tb: {} if _raised_in_a_linear(tb) else None),
        # an attention layer's key and value: their width must be its embed_dim
        (
            "attention_embed_dim",
            lambda tb: {} if _raised_projecting_attention_inputs(tb) else None,
        ),
    ),
    # a batched matrix product's batch dimensions: the last two are not broadcast
    _BROADCAST_SHAPES: (
        ("matmul_batch_shapes", lambda tb: {} if _raised_by_a_matrix_product(tb) else None),
    ),
    # an in-place op cannot change its tensor's dtype: its words name the learner's fix
    _FLOAT_RESULT_CAST: (("inplace_dtype", lambda tb: _in_place_fix(tb)),),
}
"""Torch's words that several mistakes share, told apart by where they were raised (its
traceback): for each, the hint code given instead of the pattern's own, and a function of the
traceback giving the params it adds to the pattern's (``None`` where the error was not raised
so); the first that was raised so gives the hint."""

TORCH_HINT_CODES: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *(code for code, _, _ in _HINTED),
            *(code for elsewhere in _RAISED_ELSEWHERE.values() for code, _ in elsewhere),
            "transformer_d_model",
            "transformer_memory_batch",
            "transformer_src_tgt_batch",
            "transformer_batch_first",
            "transformer_batched_mix",
            "attention_key_batch",
            "layer_norm_shape",
            "module_class_not_instance",
        ]
    )
)
"""Every hint code :func:`torch_error_hint` may give (see :data:`sandbox.outcome.HINTS`)."""


def torch_error_hint(exc: BaseException, text: str) -> tuple[str, dict[str, str]] | None:
    """The hint code and params (:data:`sandbox.outcome.HINTS`) for torch's error ``exc``, whose
    message is ``text``, else ``None``. Torch raises these as ``RuntimeError``, a loss's batch
    size as ``ValueError``, a layer that is not a module as ``TypeError``, an attention layer's
    input that does not fit it (its query, key, value or their weights) as ``AssertionError``.
    An attention layer's error raised in a Transformer layer's (its own nn.MultiheadAttention's)
    is told in that layer's terms (see :func:`_in_transformer_terms`); a key of another batch
    size than its query's, which torch words as a failed reshape, in the attention's own
    (:func:`_key_batch`). An nn.Transformer's own checks of its src and tgt
    (:func:`_transformer_check`) and a norm_first layer's LayerNorm given its input
    (:func:`_layer_norm_in_transformer_terms`) are told in the layer's terms too; any other
    nn.LayerNorm given an input not of its normalized_shape in a LayerNorm's
    (:func:`_layer_norm_shape`). A module's class given where torch wanted a module (an instance
    of it) is named (:func:`_module_class_passed`)."""
    hint = _hint_of_words(exc, text)
    if hint is not None and hint[0] not in _ATTENTION_HINT_CODES:
        return hint
    if hint is None:
        found = (
            _transformer_check(exc, text)
            or _layer_norm_in_transformer_terms(exc, text)
            or _layer_norm_shape(exc, text)
            or _module_class_passed(exc, text)
        )
        if found is not None:
            return found
    layer = _transformer_layer(exc.__traceback__)
    if layer is not None:
        return _in_transformer_terms(hint, layer, exc, text)
    return hint if hint is not None else _key_batch(exc, text, "attention_key_batch")


_SRC_TGT_BATCH = "the batch number of src and tgt must be equal"
_SRC_TGT_FEATURES = "the feature number of src and tgt must be equal to d_model"
"""nn.Transformer.forward's own checks of its src and tgt (RuntimeError), before its encoder
and decoder run: their batch sizes (where src is batched, 3-D), then their last dimensions."""


def _transformer_check(exc: BaseException, text: str) -> tuple[str, dict[str, str]] | None:
    """The hint for torch's ``nn.Transformer`` finding its src and tgt of two batch sizes
    (``transformer_src_tgt_batch``, at dimension 0 or 1 as it was built with batch_first), of a
    last dimension not its d_model (``transformer_d_model``), or a 3-D src with a 2-D tgt, whose
    last dimension torch compared as a batch size (``transformer_batched_mix``). Two batch sizes
    where src and tgt agree at the other dimension (0 or 1) are rather told of batch_first
    (``transformer_batch_first``): their batch is likelier there, the model built the other way
    round. The numbers from the locals of torch's ``Transformer.forward``, which raised it.
    ``None`` for any other error, or where they cannot be read without running the learner's
    code."""
    last = _innermost(exc.__traceback__)
    if (
        text not in (_SRC_TGT_BATCH, _SRC_TGT_FEATURES)
        or not issubclass(type(exc), RuntimeError)
        or last is None
        or not _runs_torchs_method(last, _TRANSFORMER, ("forward",))
    ):
        return None
    found = last.tb_frame.f_locals
    src, tgt = _plain_shape(found.get("src")), _plain_shape(found.get("tgt"))
    built = _module_dict(found.get("self"))
    if src is None or tgt is None or built is None:
        return None
    if text == _SRC_TGT_FEATURES:
        d_model = built.get("d_model")
        if type(d_model) is not int:  # not compared: a learner's __eq__ would run
            return None
        name, got = ("src", src[-1]) if src[-1:] != (d_model,) else ("tgt", tgt[-1])
        if got == d_model:
            return None
        params = {"name": name, "expected": str(d_model), "got": str(got)}
        return "transformer_d_model", {"layer": "Transformer", **params}
    batch_first = built.get("batch_first")
    if type(batch_first) is not bool or len(src) != 3:
        return None
    if len(tgt) == 2:  # unbatched beside a batched src
        return _batched_mix("Transformer", len(tgt), "src", len(src))
    if len(tgt) != 3:  # no mix of batched and unbatched: a tgt of no shape torch takes
        return None
    dim = 0 if batch_first else 1
    if src[dim] == tgt[dim]:
        return None
    params = {
        "src_batch": str(src[dim]),
        "tgt_batch": str(tgt[dim]),
        "dim": str(dim),
        "batch_first": str(batch_first),
    }
    other = 1 - dim
    if src[other] != tgt[other]:
        return "transformer_src_tgt_batch", params
    # one size at the other dimension, as a batch would be: likelier batch_first the wrong way
    flipped = {"other": str(other), "flipped": str(not batch_first), "other_size": str(src[other])}
    return "transformer_batch_first", {**params, **flipped}


def _batched_mix(
    layer: str, tgt_dims: int, other: str, other_dims: int
) -> tuple[str, dict[str, str]]:
    """The hint ``transformer_batched_mix``: torch's ``layer`` given a tgt of ``tgt_dims``
    dimensions and its ``other`` input (memory, or an nn.Transformer's src) of ``other_dims``,
    one batched (3-D) and the other not (2-D)."""
    return "transformer_batched_mix", {
        "layer": layer,
        "tgt_dims": str(tgt_dims),
        "other": other,
        "other_dims": str(other_dims),
    }


def _decoder_batched_mix(
    tb: TracebackType | None, mix: dict[str, str]
) -> tuple[str, dict[str, str]] | None:
    """The hint ``transformer_batched_mix`` where torch's decoder layer's cross-attention, whose
    error has traceback ``tb``, found its tgt and memory one batched and the other not (``mix``,
    the params of ``attention_batched_mix``: its query is tgt, its key and value memory): said of
    an nn.Transformer's src where that is true (:func:`_memory_is_transformers_src`), else of
    the layer's memory. ``None`` for a key and value of two numbers of dimensions, which no
    memory is (torch raises it only for a key or value not of the query's dimensions)."""
    tgt_dims, memory_dims = int(mix["query_dims"]), int(mix["key_dims"])
    if mix["value_dims"] != mix["key_dims"]:
        return None
    if _memory_is_transformers_src(tb, memory_dims):
        return _batched_mix("Transformer", tgt_dims, "src", memory_dims)
    return _batched_mix("TransformerDecoderLayer", tgt_dims, "memory", memory_dims)


def _memory_is_transformers_src(tb: TracebackType | None, memory_dims: int) -> bool:
    """Whether the memory of torch's decoder layer whose cross-attention raised the error of
    ``tb`` stands for an nn.Transformer's src, of ``memory_dims`` dimensions: torch's
    ``Transformer.forward`` called torch's ``TransformerDecoder.forward``, which called the layer
    whose ``_mha_block`` raised it, and its src (a plain tensor, :func:`_plain_shape`) is of the
    memory's dimensions, as torch's encoder keeps them. That TransformerDecoder is the
    Transformer's decoder, given tgt and the memory its encoder made of src: one put in as its
    encoder is called with ``mask`` and ``src_key_padding_mask``, which
    ``TransformerDecoder.forward`` does not take, and fails before it runs. Not where the
    learner's encoder made a memory of other dimensions, nor for a decoder layer the learner's
    encoder ran."""
    raised_in = _transformer_layer_entry(tb, ("_mha_block",), _ATTENTION)
    transformer: TracebackType | None = None  # the innermost, were one in another's encoder
    while tb is not None:
        if _runs_torchs_method(tb, _TRANSFORMER, ("forward",)):
            transformer = tb
        tb = tb.tb_next
    if transformer is None or raised_in is None:
        return False
    decoder = _torch_module_entry(transformer.tb_next, _TRANSFORMER_DECODER)
    layer = _torch_module_entry(decoder.tb_next, _DECODER_LAYER) if decoder is not None else None
    if layer is None or layer.tb_next is not raised_in[1]:
        return False
    src = _plain_shape(transformer.tb_frame.f_locals.get("src"))
    return src is not None and len(src) == memory_dims


_LAYER_NORM_SHAPE = re.compile(
    r"Given normalized_shape=\[(\d+(?:, \d+)*)\], expected input with shape \[\*, \1\], "
    r"but got input of size\[((?:\d+(?:, \d+)*)?)\]"
)
"""F.layer_norm given an input whose last dimensions are not its normalized_shape: that, then
the input's size (nothing for a 0-D one), as torch writes them (``4, 16``)."""


def _layer_norm_shapes(exc: BaseException, text: str) -> tuple[list[str], list[str]] | None:
    """The normalized_shape and the input's size, each a list of its sizes (``["4", "16"]``),
    where ``exc`` is F.layer_norm's RuntimeError given an input whose last dimensions are not
    its normalized_shape (:data:`_LAYER_NORM_SHAPE`); ``None`` for any other error."""
    found = _LAYER_NORM_SHAPE.fullmatch(text)
    if found is None or not issubclass(type(exc), RuntimeError):
        return None
    return found[1].split(", "), found[2].split(", ") if found[2] else []


def _layer_norm_in_transformer_terms(
    exc: BaseException, text: str
) -> tuple[str, dict[str, str]] | None:
    """The hint ``transformer_d_model`` where torch's Transformer layer built with norm_first=True
    normalised its src (a decoder's tgt) first, before its attention could check it, with its
    nn.LayerNorm(d_model) (:func:`_layer_norm_shapes`): torch's forward of the layer calling
    torch's LayerNorm on that very input, or, on the fast path, raising itself; the
    normalized_shape torch names the layer's d_model (:func:`_layer_d_model`). ``None`` for a
    LayerNorm of the learner's own (alone, or put into torch's layer, whose normalized_shape is
    not its d_model, or given what the layer made of its input: told in the LayerNorm's terms,
    :func:`_layer_norm_shape`), or any other error."""
    shapes = _layer_norm_shapes(exc, text)
    if shapes is None or len(shapes[0]) != 1 or not shapes[1]:
        return None
    (width,), size = shapes
    entry = _transformer_layer_entry(exc.__traceback__, ("forward",), _LAYER_NORM)
    if entry is None:
        return None
    layer, layer_entry, norm = entry  # norm: None on the fast path
    name = "tgt" if layer == "TransformerDecoderLayer" else "src"
    layer_locals = layer_entry.tb_frame.f_locals
    if _layer_d_model(layer_locals.get("self")) != int(width) or (
        norm is not None and norm.tb_frame.f_locals.get("input") is not layer_locals.get(name)
    ):
        return None
    params = {"name": name, "expected": width, "got": size[-1]}
    return "transformer_d_model", {"layer": layer, **params}


def _layer_norm_shape(exc: BaseException, text: str) -> tuple[str, dict[str, str]] | None:
    """The hint ``layer_norm_shape`` where torch's nn.LayerNorm (its forward, calling
    F.layer_norm, the innermost frame) was given an input whose last dimensions are not its
    normalized_shape (:func:`_layer_norm_shapes`): the normalized_shape, the input's size and
    its last dimensions, as many as the normalized_shape has. ``None`` for an input of fewer
    dimensions than that (it has no such last ones to compare), for F.layer_norm the learner
    called (no nn.LayerNorm was built), or any other error."""
    shapes = _layer_norm_shapes(exc, text)
    if shapes is None or len(shapes[1]) < len(shapes[0]):
        return None
    layer_norm = _raised_in_torch_function(exc.__traceback__, "layer_norm")
    if layer_norm is None:
        return None
    forward = exc.__traceback__  # the entry that called F.layer_norm
    while forward is not None and forward.tb_next is not layer_norm:
        forward = forward.tb_next
    if forward is None or not _runs_torchs_method(forward, _LAYER_NORM, ("forward",)):
        return None
    normalized, size = shapes
    return "layer_norm_shape", {
        "expected": ", ".join(normalized),
        "shape": ", ".join(size),
        "got": ", ".join(size[-len(normalized) :]),
    }


_CLASS_NOT_A_MODULE = re.compile(r"\S+ is not a Module subclass")
"""``Module.add_module``'s words (as nn.Sequential, nn.ModuleList, nn.ModuleDict call it) for
what is not a module, named by ``torch.typename``: for a class, its own dotted name."""

_TRAIN_ON_A_BOOL = "'bool' object has no attribute 'training'"
"""``Module.train`` called on a module's class, not on a module: the mode it was given, a bool,
became its ``self`` (``register_parametrization`` given its parametrization's class)."""


def _module_class_passed(exc: BaseException, text: str) -> tuple[str, dict[str, str]] | None:
    """The hint ``module_class_not_instance`` where torch was given a module's class (a subclass
    of torch's ``nn.Module``) where it wanted a module: torch's ``Module.add_module``, the
    innermost frame, refusing its ``module`` (a TypeError), or torch's
    ``register_parametrization`` calling its ``parametrization``'s ``train``, unbound, with the
    mode as its ``self`` (an AttributeError). The class named as the learner's call names it
    (:func:`_learners_name_of`). ``None`` for any other error, and for a class that is no
    module's (an instance of it would be none either)."""
    last = _innermost(exc.__traceback__)
    if last is None:
        return None
    passed: object = None
    if issubclass(type(exc), TypeError) and _CLASS_NOT_A_MODULE.fullmatch(text):
        if _runs_torchs_method(last, _MODULE, ("add_module",)):
            passed = last.tb_frame.f_locals.get("module")
    elif issubclass(type(exc), AttributeError) and text == _TRAIN_ON_A_BOOL:
        code, caller = last.tb_frame.f_code, _caller_of(exc.__traceback__, last)
        if (
            code.co_name == "train"
            and _torch_file(code, "nn/modules/module.py")
            and type(last.tb_frame.f_locals.get("self")) is bool
            and caller is not None
            and caller.tb_frame.f_code.co_name == "register_parametrization"
            and _torch_file(caller.tb_frame.f_code, "nn/utils/parametrize.py")
        ):
            passed = caller.tb_frame.f_locals.get("parametrization")
    module = _torch_class(_MODULE)
    # by issubclass, which reads no attribute of it (as _raised_in_container_init)
    if not (issubclass(type(passed), type) and isinstance(module, type)):
        return None
    if not issubclass(passed, module):  # type: ignore[arg-type]
        return None
    return "module_class_not_instance", {"name": _learners_name_of(exc.__traceback__, passed)}


def _caller_of(tb: TracebackType | None, entry: TracebackType) -> TracebackType | None:
    """The entry of ``tb`` just before ``entry`` (whose frame called ``entry``'s), ``None`` where
    there is none."""
    while tb is not None and tb.tb_next is not entry:
        tb = tb.tb_next
    return tb


def _learners_name_of(tb: TracebackType | None, passed: object) -> str:
    """How the learner's code names the class ``passed`` in its call that raised (in the last
    frame of ``tb`` outside torch): the first name among the call's arguments, inside the lists,
    tuples and dicts written there too, that its frame's names make ``passed`` (``nn.ReLU``,
    ``act``), not a call's own (the ``nn.Linear`` of ``nn.Linear(2, 2)``). Where the call cannot
    be read (Python 3.10 keeps no source positions), a name of that frame that is ``passed``
    (:func:`_frames_name_for`). Else the class's own ``__name__``, read from the class itself (a
    metaclass of the learner's may compute one)."""
    learners: TracebackType | None = None
    while tb is not None:
        if not _in_torch(tb.tb_frame.f_code):
            learners = tb
        tb = tb.tb_next
    raised = (
        _raising_node(learners.tb_frame.f_code, learners.tb_lasti) if learners is not None else None
    )
    if learners is not None and isinstance(raised, ast.Call):
        arguments = [*raised.args, *(keyword.value for keyword in raised.keywords)]
        called = {
            id(node.func)
            for argument in arguments
            for node in ast.walk(argument)
            if isinstance(node, ast.Call)
        }
        for argument in arguments:
            for node in ast.walk(argument):
                if (
                    isinstance(node, (ast.Name, ast.Attribute))
                    and id(node) not in called
                    and _named(node, learners.tb_frame) is passed
                ):
                    return ast.unparse(node)
    elif learners is not None and raised is None:
        named = _frames_name_for(learners.tb_frame, passed)
        if named is not None:
            return named
    return _CLASS_NAME.__get__(passed)


def _frames_name_for(frame: FrameType, passed: object) -> str | None:
    """A name that is ``passed`` in ``frame``, the fewest dots first: one of its variables
    (``act``, ``ReLU``), else an attribute of a module one is (``nn.ReLU``), else of a module of
    that module (``torch.nn.ReLU``); ``None`` where none is. Read as :func:`_named` reads, no code
    of the learner's run: only plain scopes, and modules' own namespaces."""
    names: list[tuple[str, object]] = []
    for scope in (frame.f_locals, frame.f_globals):
        if type(scope) not in _PLAIN_SCOPES:
            return None
        names.extend((name, value) for name, value in scope.items() if type(name) is str)
    for _ in range(3):  # a variable, a module's attribute, a module's module's attribute
        found = next((name for name, value in names if value is passed), None)
        if found is not None:
            return found
        names = [
            (f"{name}.{attr}", value)
            for name, module in names
            if type(module) is ModuleType
            for attr, value in _MODULE_DICT.__get__(module).items()
            if type(attr) is str and not attr.startswith("_")
        ]
    return None


_BEFORE_MODULE_INIT: dict[str, str] = {
    "cannot assign module before Module.__init__() call": "__setattr__",
    "cannot assign parameters before Module.__init__() call": "__setattr__",
    "cannot assign buffer before Module.__init__() call": "register_buffer",
    "cannot assign parameter before Module.__init__() call": "register_parameter",
}
"""Torch's words (an AttributeError) for a layer, parameter or buffer given to a module whose
``Module.__init__`` has not run, with the method of torch's ``Module`` that raises them:
``self.fc = layer`` and ``self.w = nn.Parameter(...)`` in ``__setattr__``; ``register_buffer``
(``self.b = nn.Buffer(...)`` calls it too) and ``register_parameter`` in their own."""


def class_to_call_module_init_in(exc: BaseException, text: str) -> str | None:
    """The name of the class whose ``__init__`` is to call ``super().__init__()`` first, where
    ``exc`` (an AttributeError whose message is ``text``) was raised on an nn.Module whose
    ``Module.__init__`` never ran (:func:`_module_init_ran`): torch's ``Module`` method of
    :data:`_BEFORE_MODULE_INIT`, the innermost frame, refusing to give it a layer, parameter or
    buffer; or an attribute ``Module.__init__`` sets looked up on it (its ``obj``: ``_modules``
    in ``add_module``, ``_backward_hooks`` as it is called). The class is the one whose
    ``__init__`` did it, else the module's own (:func:`_class_that_assigned_too_soon`). ``None``
    for any other error: torch's words raised by the learner's own code, a module whose
    registry was undone after its ``Module.__init__`` ran, an object that is no module. Nothing
    of the learner's is run: the exception's ``obj`` is read through AttributeError's own
    descriptor."""
    if not issubclass(type(exc), AttributeError):
        return None
    last = _innermost(exc.__traceback__)
    method = _BEFORE_MODULE_INIT.get(text)
    if last is not None and method is not None and _runs_torchs_method(last, _MODULE, (method,)):
        module = last.tb_frame.f_locals.get("self")
    else:
        module = _ATTRIBUTE_ERROR_OBJ.__get__(exc)
    if _module_init_ran(module) is not False:
        return None
    return _class_that_assigned_too_soon(exc.__traceback__, module)


def _module_init_ran(module: object) -> bool | None:
    """Whether torch's ``Module.__init__`` ran on ``module``: it sets ``_parameters`` before its
    other registries, so a module without it in its own ``__dict__`` (read through
    :func:`_module_dict`) never ran it. ``None`` for what is no module."""
    built = _module_dict(module)
    return None if built is None else "_parameters" in built


_ATTRIBUTE_ERROR_OBJ = AttributeError.__dict__["obj"]
"""AttributeError's own ``obj`` descriptor (the object an attribute was not found on), read
without a lookup through the learner's subclass of it (a property ``obj`` of theirs)."""


def _class_that_assigned_too_soon(tb: TracebackType | None, module: object) -> str:
    """The name of the class whose ``__init__`` used ``module`` (gave it a layer, parameter or
    buffer) before its ``Module.__init__`` ran: of the classes of ``module``'s MRO, the one
    whose own ``__init__`` (a plain function) runs the innermost frame of ``tb`` that runs any
    of theirs (a subclass's ``__init__`` may have called its base's with ``super().__init__()``,
    and the base's then used it too soon); else ``module``'s own class (a module called, no
    ``__init__`` running). Read from the classes' own namespaces (:data:`_CLASS_DICT`), as their
    names (:data:`_CLASS_NAME`): no metaclass's code runs."""
    found = type(module)
    inits: dict[int, type] = {}  # by the id of each __init__'s code: a frame runs that very one
    for cls in _CLASS_MRO.__get__(found):
        init = _CLASS_DICT.__get__(cls).get("__init__")
        if type(init) is FunctionType:
            inits.setdefault(id(init.__code__), cls)
    while tb is not None:
        found = inits.get(id(tb.tb_frame.f_code), found)
        tb = tb.tb_next
    return _CLASS_NAME.__get__(found)


_ATTENTION_HINT_CODES = (
    "attention_kdim",
    "attention_embed_dim",
    "attention_query_width",
    "attention_key_value_widths",
    "attention_key_value_lengths",
    "attention_batched_mix",
)
"""The hints naming an nn.MultiheadAttention's arguments (embed_dim, kdim, vdim) or its query,
key and value: the fixes of a learner who built one and called it, not of one whose Transformer
layer did (:func:`_in_transformer_terms`)."""

_ATTENTION_VIEW = re.compile(r"shape '\[(\d+), (\d+), (\d+)\]' is invalid for input of size (\d+)")
"""F.multi_head_attention_forward's reshape of its key into its heads, ``(length, batch *
num_heads, head_dim)``, of a key whose batch size is not its query's (torch checks it no sooner;
any reshape's words: read only where raised there, see :func:`_key_batch`)."""


def _in_transformer_terms(
    hint: tuple[str, dict[str, str]] | None, layer: str, exc: BaseException, text: str
) -> tuple[str, dict[str, str]] | None:
    """The hint for an error an nn.MultiheadAttention raised in torch's Transformer layer
    ``layer`` (``TransformerEncoderLayer`` or ``TransformerDecoderLayer``), whose attention's
    ``hint`` (``None``: none) is said of its inputs and d_model: a query not of embed_dim is its
    src (a decoder's tgt), whose self-attention comes first; a key and value not of embed_dim
    are a decoder's memory, its cross-attention's, as are a key and value batched where its
    query is not, or the other way round: a decoder's tgt and memory
    (:func:`_decoder_batched_mix`). The layer takes no kdim, vdim nor embed_dim, so any other
    attention hint is none of its learner's: ``None``. With no attention hint, a decoder's
    memory may be of another batch size than tgt (:func:`_key_batch`)."""
    decoder = layer == "TransformerDecoderLayer"
    if hint is None:
        return _key_batch(exc, text, "transformer_memory_batch") if decoder else None
    code, params = hint
    if code == "attention_batched_mix":
        return _decoder_batched_mix(exc.__traceback__, params) if decoder else None
    if code == "attention_query_width":
        name, expected, got = "tgt" if decoder else "src", params["expected"], params["got"]
    elif code == "attention_embed_dim" and decoder:
        name, expected, got = "memory", params["inner"], params["width"]
    else:
        return None
    return "transformer_d_model", {"layer": layer, "name": name, "expected": expected, "got": got}


_KEY_BATCH_PARAMS: dict[str, tuple[str, str]] = {
    # the hint code: the names of its params, the query's batch size and the key's
    "attention_key_batch": ("query_batch", "key_batch"),
    "transformer_memory_batch": ("tgt_batch", "memory_batch"),
}
"""The wordings of a key of another batch size than its query's (:func:`_key_batch`): an
nn.MultiheadAttention's own, and a Transformer decoder layer's, whose key is its memory."""


def _key_batch(exc: BaseException, text: str, code: str) -> tuple[str, dict[str, str]] | None:
    """The hint ``code`` (:data:`_KEY_BATCH_PARAMS`) where F.multi_head_attention_forward failed
    to reshape its key into heads of its query's batch size (:data:`_ATTENTION_VIEW`): the
    query's batch size from torch's words and the attention's ``num_heads`` (an int in torch's
    frame), the key's from the size torch names. ``None`` for any other error, or numbers that
    do not fit."""
    found = _ATTENTION_VIEW.fullmatch(text)
    last = _raised_in_torch_function(exc.__traceback__, "multi_head_attention_forward")
    if found is None or not issubclass(type(exc), RuntimeError) or last is None:
        return None
    length, heads_batch, head_dim, size = (int(number) for number in found.groups())
    num_heads = last.tb_frame.f_locals.get("num_heads")
    if type(num_heads) is not int or num_heads < 1 or heads_batch % num_heads:
        return None
    query_batch, per_sequence = heads_batch // num_heads, length * num_heads * head_dim
    if per_sequence == 0 or size % per_sequence or size // per_sequence == query_batch:
        return None
    query_name, key_name = _KEY_BATCH_PARAMS[code]
    return code, {query_name: str(query_batch), key_name: str(size // per_sequence)}


_TorchClass = tuple[str, str, str]
"""A class of torch's: the file of its methods (under torch's directory), its module, its name."""

_TRANSFORMER: _TorchClass = (
    "nn/modules/transformer.py",
    "torch.nn.modules.transformer",
    "Transformer",
)
_TRANSFORMER_DECODER: _TorchClass = (
    "nn/modules/transformer.py",
    "torch.nn.modules.transformer",
    "TransformerDecoder",
)
_DECODER_LAYER: _TorchClass = (
    "nn/modules/transformer.py",
    "torch.nn.modules.transformer",
    "TransformerDecoderLayer",
)
_ATTENTION: _TorchClass = (
    "nn/modules/activation.py",
    "torch.nn.modules.activation",
    "MultiheadAttention",
)
_LAYER_NORM: _TorchClass = (
    "nn/modules/normalization.py",
    "torch.nn.modules.normalization",
    "LayerNorm",
)
_MODULE: _TorchClass = ("nn/modules/module.py", "torch.nn.modules.module", "Module")


def _container(class_name: str) -> _TorchClass:
    """Torch's container class ``class_name`` (``Sequential``, ``ModuleList``, ``ModuleDict``)."""
    return ("nn/modules/container.py", "torch.nn.modules.container", class_name)


def _torch_class(owner: _TorchClass) -> object:
    """Torch's class ``owner`` as its module imported so far holds it (``None`` where torch is
    not imported: anything else the learner put there is told apart by the caller)."""
    _, module, class_name = owner
    return getattr(sys.modules.get(module), class_name, None)


def _transformer_layer(tb: TracebackType | None) -> str | None:
    """The name of torch's Transformer layer class (``TransformerEncoderLayer``,
    ``TransformerDecoderLayer``) whose own nn.MultiheadAttention raised the error of ``tb``
    (:func:`_transformer_layer_entry` of its ``_sa_block`` or ``_mha_block``). ``None`` where
    there is none: an attention of the learner's own, called from their override, their
    activation or their module, is theirs to fix in its terms."""
    found = _transformer_layer_entry(tb, ("_sa_block", "_mha_block"), _ATTENTION)
    return found[0] if found is not None else None


def _transformer_layer_entry(
    tb: TracebackType | None, blocks: tuple[str, ...], called: _TorchClass
) -> tuple[str, TracebackType, TracebackType | None] | None:
    """The name of torch's Transformer layer class whose own ``called`` module (its
    nn.MultiheadAttention; its nn.LayerNorm) raised the error of ``tb``, with the traceback
    entry of the layer's method, whose frame holds the layer (``self``) and its inputs, and the
    entry of ``called``'s forward, whose frame holds its inputs (a LayerNorm's ``input``, an
    attention's ``query``, ``key`` and ``value``; ``None`` on the fast path):
    torch's method of the layer of ``blocks`` (its ``_sa_block`` or ``_mha_block``; its
    ``forward``), in torch's ``transformer.py``, not an override of the learner's, calling
    torch's forward of ``called``, or, on the fast path, which raises from C, the layer's forward
    the innermost Python frame."""
    transformer = sys.modules.get("torch.nn.modules.transformer")
    layer_entry: TracebackType | None = None
    called_entry: TracebackType | None = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if _torch_file(code, "nn/modules/transformer.py"):
            entry = _torch_module_entry(tb.tb_next, called) if code.co_name in blocks else None
            if entry is not None or (code.co_name == "forward" and tb.tb_next is None):
                layer_entry, called_entry = tb, entry
        tb = tb.tb_next
    if layer_entry is None:
        return None
    layer_self = layer_entry.tb_frame.f_locals.get("self")
    for name in ("TransformerDecoderLayer", "TransformerEncoderLayer"):
        layer = getattr(transformer, name, None)
        # by issubclass, which reads no attribute of it (as _runs_torchs_method)
        if isinstance(layer, type) and issubclass(type(layer_self), layer):
            return name, layer_entry, called_entry
    return None


def _layer_d_model(layer: object) -> int | None:
    """A Transformer layer's d_model, its self-attention's embed_dim (torch keeps no d_model on
    the layer), read through :func:`_module_dict` alone: no attribute of the learner's runs.
    ``None`` where it is not an int."""
    modules = (_module_dict(layer) or {}).get("_modules")
    attention = modules.get("self_attn") if type(modules) is dict else None
    embed_dim = (_module_dict(attention) or {}).get("embed_dim")
    return embed_dim if type(embed_dim) is int else None


def _torch_module_entry(tb: TracebackType | None, called: _TorchClass) -> TracebackType | None:
    """The traceback entry ``tb``, past torch's module call (``Module.__call__``'s frames in
    ``module.py``), where it is torch's forward of its module class ``called`` (an
    nn.MultiheadAttention's, in ``activation.py``), whose frame holds its inputs; ``None`` where
    it is not."""
    while tb is not None and _torch_file(tb.tb_frame.f_code, "nn/modules/module.py"):
        tb = tb.tb_next
    return tb if tb is not None and _runs_torchs_method(tb, called, ("forward",)) else None


def _runs_torchs_method(tb: TracebackType, owner: _TorchClass, names: tuple[str, ...]) -> bool:
    """Whether the frame of the traceback entry ``tb`` runs torch's own method of one of
    ``names`` (in the file of ``owner``, not an override) of an instance of torch's class
    ``owner``, told by issubclass, which reads no attribute of it."""
    code, cls = tb.tb_frame.f_code, _torch_class(owner)
    return (
        code.co_name in names
        and _torch_file(code, owner[0])
        and isinstance(cls, type)
        and issubclass(type(tb.tb_frame.f_locals.get("self")), cls)
    )


def _module_dict(module: object) -> dict[str, object] | None:
    """The attributes an ``nn.Module`` keeps in its own ``__dict__`` (a Transformer's d_model
    and batch_first), read through torch's Module's descriptor, not ``module.__dict__`` (a
    subclass may make that a property); ``None`` for what is not a Module."""
    module_class = _torch_class(_MODULE)
    if not isinstance(module_class, type) or not issubclass(type(module), module_class):
        return None
    descriptor = _CLASS_DICT.__get__(module_class).get("__dict__")
    if type(descriptor) is not GetSetDescriptorType:
        return None
    found = descriptor.__get__(module)
    return found if type(found) is dict else None


_CLASS_DICT = type.__dict__["__dict__"]
"""A class's own ``__dict__`` descriptor (its namespace without a lookup through its
metaclass)."""

_CLASS_NAME = type.__dict__["__name__"]
"""A class's own ``__name__`` descriptor (its name without a lookup through its metaclass)."""

_CLASS_MRO = type.__dict__["__mro__"]
"""A class's own ``__mro__`` descriptor (its bases in order, without a lookup through its
metaclass)."""


def _plain_shape(value: object) -> tuple[int, ...] | None:
    """The shape of ``value`` where it is a plain ``torch.Tensor`` and can be read without
    running any code of the learner's: not a subclass (its ``__torch_function__``) and no torch
    function mode on (its ``__torch_function__`` sees ``.shape``); read through torch's C
    descriptor, not ``torch.Tensor.shape`` (a run may set it). ``None`` otherwise."""
    tensor = getattr(sys.modules.get("torch"), "Tensor", None)
    torch_c = sys.modules.get("torch._C")
    mode_on = getattr(torch_c, "_is_torch_function_mode_enabled", None)
    base = getattr(torch_c, "TensorBase", None)
    if (
        tensor is None
        or type(value) is not tensor
        or type(mode_on) is not BuiltinFunctionType
        or mode_on()
        or not isinstance(base, type)
    ):
        return None
    shape = _CLASS_DICT.__get__(base).get("shape")
    if type(shape) is not GetSetDescriptorType:
        return None
    size = shape.__get__(value)
    return tuple(size) if isinstance(size, tuple) else None


def _hint_of_words(exc: BaseException, text: str) -> tuple[str, dict[str, str]] | None:
    """The hint of :func:`torch_error_hint` by torch's words (:data:`_HINTED`) and, where they
    are several mistakes', where they were raised (:data:`_RAISED_ELSEWHERE`)."""
    # by its type: isinstance reads the learner's exception's __class__, which may be its code
    raised_as = next((kind for kind in _RAISED_AS_OTHERS if issubclass(type(exc), kind)), None)
    if raised_as is None and not issubclass(type(exc), (RuntimeError, ValueError)):
        return None
    for hint_code, pattern, params_of in _HINTED:
        if _RAISED_AS.get(pattern) is not raised_as:
            continue
        found = pattern.fullmatch(text)
        if found is not None:
            building = _RAISED_BUILDING.get(pattern)
            if building is not None and not building(exc.__traceback__):
                return None  # the words, not the mistake: the hint names another's fix
            params = params_of(*found.groups())
            if params is None:
                return None
            for elsewhere_code, params_there in _RAISED_ELSEWHERE.get(pattern, ()):
                more = params_there(exc.__traceback__)
                if more is not None:
                    return elsewhere_code, {**params, **more}
            return hint_code, params
    return None


def _innermost(tb: TracebackType | None) -> TracebackType | None:
    """The last entry of ``tb``: the Python frame that raised (or called the C function that
    did)."""
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb


def _raised_in_torch_function(tb: TracebackType | None, name: str) -> TracebackType | None:
    """The last entry of ``tb`` (:func:`_innermost`) where its frame runs torch's own function
    ``name`` of ``nn/functional.py`` (``F.layer_norm``), not one of the learner's of that name:
    it raised, or called the C function that did; else ``None``."""
    last = _innermost(tb)
    if last is None:
        return None
    code = last.tb_frame.f_code
    return last if code.co_name == name and _torch_file(code, "nn/functional.py") else None


def _torch_directory() -> str | None:
    """The directory torch was imported from (``.../site-packages/torch``), ``None`` where torch
    is not imported. Torch's files are told by it: a learner's folder named torch is not it. The
    one found at this module's import where torch was imported first (:data:`_TORCH_DIRECTORY`),
    else looked up now (:func:`_directory_of_torch`)."""
    return _TORCH_DIRECTORY if _TORCH_DIRECTORY is not None else _directory_of_torch()


def _directory_of_torch() -> str | None:
    """The directory of the ``torch.__file__`` imported now, ``None`` where there is none."""
    torch_file = getattr(sys.modules.get("torch"), "__file__", None)
    return os.path.dirname(torch_file) if isinstance(torch_file, str) else None


_TORCH_DIRECTORY = _directory_of_torch()
"""Torch's directory where torch was imported before this module, as in the sandbox's workers
(:mod:`sandbox.runner` imports torch first), so before any run: a traceback's every frame asks
for it (:func:`_transformer_layer`), and a run may set ``torch.__file__``, which must not move it
for the in-process worker's later runs (nor for its own). ``None`` elsewhere (the UI process,
which never imports torch), where :func:`_torch_directory` looks it up each time."""


@functools.cache
def _torch_path(directory: str, path: str) -> str:
    """The full name of torch's file ``path`` (``nn/modules/linear.py``) under ``directory``."""
    return os.path.join(directory, *path.split("/"))


def _torch_file(code: CodeType, path: str) -> bool:
    """Whether ``code`` is torch's, in its file ``path`` (``nn/modules/linear.py``)."""
    directory = _torch_directory()
    return directory is not None and code.co_filename == _torch_path(directory, path)


def _raised_in_container_init(tb: TracebackType | None, class_name: str) -> bool:
    """Whether ``tb`` went through the ``__init__`` of torch's container ``class_name``
    (``Sequential``, ``ModuleDict``), in torch's ``container.py``, building one (or a subclass
    of it): not the same words raised by a method the learner called on one built before
    (``nn.ModuleList([{...}])``'s, an ``add_module``'s, whose ``TypeError`` torch words as
    ``nn.Sequential({...})``'s). Told by the class of its self (:func:`_runs_torchs_method`),
    not by ``co_qualname``, which Python 3.10 has not."""
    container = _container(class_name)
    while tb is not None:
        if _runs_torchs_method(tb, container, ("__init__",)):
            return True
        tb = tb.tb_next
    return False


def _raised_calling_torchs(tb: TracebackType | None, class_name: str) -> bool:
    """Whether the error of traceback ``tb`` was raised by the learner's call of torch's
    container ``class_name`` (``nn.Sequential``, ``nn.ModuleDict``, ``nn.ModuleList``; or a
    subclass that keeps its ``__init__``), its arguments refused before that ``__init__`` ran (a
    keyword it has not, one argument too many): the call's name read from its source as its
    frame's names make it, not a class of the learner's of that name, nor a subclass whose own
    ``__init__`` refused them (its fix is that ``__init__``'s)."""
    last = _innermost(tb)
    if last is None:
        return False
    raised = _raising_node(last.tb_frame.f_code, last.tb_lasti)
    if not isinstance(raised, ast.Call):
        return False
    called = _named(raised.func, last.tb_frame)
    container = _torch_class(_container(class_name))
    # by issubclass on its type first: isinstance would read a learner's object's __class__
    return (
        issubclass(type(called), type)
        and isinstance(container, type)
        and issubclass(called, container)  # type: ignore[arg-type]
        # read statically: a learner's metaclass may compute attributes, and the hints run
        # none of their code
        and inspect.getattr_static(called, "__init__") is container.__init__
    )


def _in_torch(code: CodeType) -> bool:
    """Whether ``code`` is in torch's own files (``torch/nn/functional.py``), not the learner's
    (``<snippet>``, ``<check>``, their file's path)."""
    directory = _torch_directory()
    return directory is not None and code.co_filename.startswith(directory + os.sep)


def _raised_in_a_linear(tb: TracebackType | None) -> bool:
    """Whether the error of traceback ``tb`` was raised in a Linear: in ``nn.Linear``'s forward
    (torch's ``linear.py`` the last Python frame: ``F.linear`` is C), or by the learner's call of
    ``F.linear`` itself, read from the source of the expression that raised (a call of what its
    frame's names make torch's ``F.linear``: not ``linear = torch.mm``, nor torch's own call in
    ``nn.MultiheadAttention``). Torch words its error as it does for ``x @ w`` and
    ``torch.mm``, which have no in_features."""
    last = _innermost(tb)
    if last is None:
        return False
    code = last.tb_frame.f_code
    if _torch_file(code, "nn/modules/linear.py"):
        return True
    if _in_torch(code):
        return False
    raised = _raising_node(code, last.tb_lasti)
    linear = getattr(sys.modules.get("torch.nn.functional"), "linear", None)
    return (
        isinstance(raised, ast.Call)
        and linear is not None
        and _named(raised.func, last.tb_frame) is linear
    )


def _raised_projecting_attention_inputs(tb: TracebackType | None) -> bool:
    """Whether the error of traceback ``tb`` was raised in torch's ``F._in_projection_packed``,
    where an ``nn.MultiheadAttention`` whose kdim and vdim are its embed_dim (as when not given)
    projects its query, key and value with one weight: torch checked the query's width and that
    the key's shape is the value's before, so it is their width that is not embed_dim."""
    return _raised_in_torch_function(tb, "_in_projection_packed") is not None


_UNKNOWN = object()
"""What :func:`_named` gives for a name it cannot look up."""


def _named(name: ast.expr, frame: FrameType) -> object:
    """What ``name`` (``linear``, ``F.linear``, ``torch.nn.functional.linear``) is in ``frame``:
    looked up as Python does (its locals, globals, builtins), then through modules' attributes
    alone; :data:`_UNKNOWN` where it cannot be told. No code of the learner's runs: a scope that
    is not a plain ``dict`` (a class body's, whose metaclass ``__prepare__`` made it a mapping of
    its own) and a module of a subclass (a ``__dict__`` of its own) are not read: what their code
    raised would be reported in place of the learner's error."""
    if isinstance(name, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if type(scope) not in _PLAIN_SCOPES:
                return _UNKNOWN
            found = scope.get(name.id, _UNKNOWN)
            if found is not _UNKNOWN:
                return found
    elif isinstance(name, ast.Attribute):
        owner = _named(name.value, frame)
        if type(owner) is ModuleType:
            return dict.get(_MODULE_DICT.__get__(owner), name.attr, _UNKNOWN)
    return _UNKNOWN


_PLAIN_SCOPES = {dict, type((lambda: sys._getframe().f_locals)())}
"""The scopes :func:`_named` reads: a ``dict``, and a function frame's ``f_locals``, a proxy of
its variables from Python 3.13 (PEP 667); neither runs code of the learner's."""

_MODULE_DICT = ModuleType.__dict__["__dict__"]
"""A module's own ``__dict__`` descriptor (``vars(module)`` without a lookup on it)."""


def _raised_by_a_matrix_product(tb: TracebackType | None) -> bool:
    """Whether the error of traceback ``tb`` was raised by a matrix product (``a @ b``,
    ``a @= b``, ``torch.matmul``, ``torch.linalg.matmul``, ``x.matmul``): a batched one
    broadcasts its batch dimensions, torch's words for them an element-wise op's. (``bmm``
    never broadcasts: its words differ.)"""
    last = _innermost(tb)
    if last is None:
        return False
    raised = _raising_node(last.tb_frame.f_code, last.tb_lasti)
    if isinstance(raised, (ast.BinOp, ast.AugAssign)):
        return isinstance(raised.op, ast.MatMult)
    return isinstance(raised, ast.Call) and _calls_matmul(raised, last.tb_frame)


_MATMUL_METHODS = ("matmul", "__matmul__")
"""The names of a tensor's matrix product methods (``x.matmul(y)``, ``x.__matmul__(y)``)."""


def _calls_matmul(call: ast.Call, frame: FrameType) -> bool:
    """Whether ``call`` calls a matrix product as ``frame``'s names make it (not ``matmul =
    torch.add``): one of :func:`_matrix_products`, or a tensor's method of one of
    :data:`_MATMUL_METHODS`: of a name that is a tensor, of ``torch.Tensor`` itself, or of an
    object the names do not tell (``self.query.matmul``)."""
    tensor = getattr(sys.modules.get("torch"), "Tensor", None)
    called = _named(call.func, frame)
    if called is not _UNKNOWN:
        return any(called is product for product in _matrix_products())
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in _MATMUL_METHODS):
        return False
    owner = _named(call.func.value, frame)
    return (
        owner is _UNKNOWN
        or owner is tensor
        or (isinstance(tensor, type) and issubclass(type(owner), tensor))
    )


def _matrix_products() -> list[object]:
    """Torch's functions of a (batched) matrix product, as its modules imported so far hold
    them: ``torch.matmul``, ``torch.linalg.matmul`` (another object), and the tensor's methods
    (``torch.Tensor.matmul``, ``torch.Tensor.__matmul__``), to be told by identity alone."""
    torch = sys.modules.get("torch")
    tensor = getattr(torch, "Tensor", None)
    found = [
        getattr(torch, "matmul", None),
        getattr(sys.modules.get("torch.linalg"), "matmul", None),
        *(getattr(tensor, name, None) for name in _MATMUL_METHODS),
    ]
    return [product for product in found if product is not None]  # not a learner's None


def _in_place_fix(tb: TracebackType | None) -> dict[str, str] | None:
    """The params of ``inplace_dtype`` where the error of traceback ``tb`` was raised by the
    learner's in-place op, an augmented assignment (``pixels /= 255``) or an in-place method
    (``pixels.div_(255)``), on a name or an attribute: ``fix``, the same op making a new tensor
    (``pixels = pixels / 255``), whose dtype may differ. Called on a class or a module
    (``torch.Tensor.div_(pixels, 255)``), the tensor is its first argument (``pixels =
    torch.Tensor.div(pixels, 255)``, not ``torch.Tensor = …``). ``None`` for any other, and for
    a part of a tensor (``pixels[0] /= 2``), which a new tensor does not fix."""
    last = _innermost(tb)
    if last is None or _in_torch(last.tb_frame.f_code):
        return None
    raised = _raising_node(last.tb_frame.f_code, last.tb_lasti)
    named = (ast.Name, ast.Attribute)
    if isinstance(raised, ast.AugAssign) and isinstance(raised.target, named):
        target, made = raised.target, ast.BinOp(raised.target, raised.op, raised.value)
    elif (
        isinstance(raised, ast.Call)
        and isinstance(raised.func, ast.Attribute)
        and isinstance(raised.func.value, named)
        and raised.func.attr.endswith("_")
        and not raised.func.attr.startswith("_")
    ):
        target = raised.func.value
        if issubclass(type(_named(target, last.tb_frame)), (type, ModuleType)):
            target = raised.args[0] if raised.args else None
        if not isinstance(target, named):
            return None
        made = ast.Call(
            ast.Attribute(raised.func.value, raised.func.attr[:-1]), raised.args, raised.keywords
        )
    else:
        return None
    return {"fix": f"{ast.unparse(target)} = {ast.unparse(made)}"}


def _raising_node(code: CodeType, lasti: int) -> ast.expr | ast.stmt | None:
    """The expression of ``code`` whose instruction at ``lasti`` (a traceback's ``tb_lasti``)
    raised, or the statement where that instruction is one's own (an augmented assignment's,
    ``x /= 255``), parsed from its source (which :mod:`linecache` holds, the learner's code's
    too), as Python's traceback finds it to underline; ``None`` where its position or source is
    not known."""
    positions = getattr(code, "co_positions", None)  # Python 3.11's
    if lasti < 0 or positions is None:
        return None
    position = next(islice(positions(), lasti // 2, None), None)
    if position is None or None in position or position[0] < 1:
        return None
    first, last, start, end = position
    lines = linecache.getlines(code.co_filename)[first - 1 : last]
    # a run may have put anything in linecache's entry for its file
    if len(lines) != last - first + 1 or not all(isinstance(line, str) for line in lines):
        return None
    # the columns count UTF-8 bytes
    chunks = [line.encode("utf-8") for line in lines]
    chunks[-1] = chunks[-1][:end]
    chunks[0] = chunks[0][start:]
    try:
        source = b"".join(chunks).decode("utf-8")
        try:
            return ast.parse(source, mode="eval").body
        except SyntaxError:  # a statement's
            statements = ast.parse(source).body
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return None
    return statements[0] if len(statements) == 1 else None
