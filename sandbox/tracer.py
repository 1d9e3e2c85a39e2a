"""``HookTracer``: records what flows through every ``nn.Module`` a snippet calls, without changes to
the learner's code.

How it works
------------
* Global module hooks (``register_module_forward_pre_hook`` / ``register_module_forward_hook`` with
  ``always_call=True``) see every module call. Each thread's call stack gives qualified names:
  the outermost module called (the *root*) is named by its class name (``Sequential``, ``Net``);
  modules inside it by their qualified name from that root (``0``, ``encoder.0.conv``); a module
  called inside a root but not registered under it by its class name. A root's names are read
  again at each of its calls (layers replaced or swapped between calls get their new names), and
  a module of a known root called with no module running (a checkpointed block recomputed in the
  backward) keeps its qualified name. Roots are held weakly: tracing keeps no model alive.
* Each call records one **forward** event for its output. For tuple/nested outputs (LSTM,
  MultiheadAttention) the *first tensor* found depth-first is recorded (the LSTM's output sequence,
  MHA's attention output). A module with forward hooks of the learner's (which torch runs after
  the global ones, and which may replace the output) gets one of the tracer's after them for the
  call (:class:`_FinalOutput`): the event is the output the caller gets.
* **Backward** events come from a tensor hook on that same output (not full backward hooks, which
  break on in-place modules). They describe the gradient with respect to the module's output, in the
  order autograd computes them (reverse of the forward order). Modules returning one tensor (a
  model returning its last layer's output) share one hook, which records them outermost first, as
  the gradient reaches them (hooks on one tensor fire in the order they were added, innermost
  first). A hook registered before an in-place op (``ReLU(inplace=True)``) receives the gradient
  w.r.t. the value before the in-place change, which is exactly that module's output.
* Stats stay on the tensor's device: each hook keeps a copy of the tensor's numbers (one op, no
  ``.item()`` or ``.cpu()``), and :meth:`finish` reduces them all to a few raw sums each in a
  fixed number of ops (:func:`stat_rows`), moves those at once (one device sync per run, then
  one small copy of the inputs' min and max that :meth:`HookTracer._note_inputs` kept, with
  nothing left to wait for) and derives the stats on the host. A tensor of more than :data:`DEFERRED_NUMEL` numbers, or past
  :data:`DEFERRED_BYTES` of copies, is reduced in its hook (:func:`stat_vector`, some 18 ops)
  and finish moves those sums with the rest.
  CPU tensors are already on the host, so their hooks compute the stats at once and pick the
  cheapest passes the data allows (:func:`host_stats`). Numbers already reduced in the same call
  of a model, or the backward after it (a view such as ``Flatten``'s output, a container
  returning its last layer's tensor), reuse those stats. Shapes-only mode (``stats=False``) does
  no tensor work at all. ``std`` is the sample std (like ``Tensor.std()``); stats that are not
  finite are reported as ``None`` (see ``has_nan`` / ``has_inf``). Integer tensors' stats are
  exact sums in int64 (:func:`integer_vector`; min and max as ints), complex tensors' those of
  their magnitudes (:func:`_float_vector`). A tensor whose reduction found no memory (the sandbox
  caps it) has none, and a ``no_stats`` warning says so.
* The first NaN (and Inf) is warned of in words for what is known of it. In a backward event it
  is in the gradient at the module's output (``nan_grad``): the modules after it, or the loss,
  made it. In a forward event whose call got one in its positional inputs, it was already there
  (``nan_input``: the data, or code between modules); else the module's forward made it
  (``nan``). The inputs are read as the stats are (:meth:`HookTracer._note_inputs`): on the host
  only for the first outputs with a NaN or an Inf; elsewhere linked to the earlier event that
  recorded the same numbers, or given a min and a max on their device, read in finish.
* The tracer leaves no weak reference on the learner's tensors once a model's call (or the
  backward) has ended: ``torch.utils.swap_tensors`` refuses a tensor that has one.
* A forward that raises keeps the events up to the failing layer and adds a ``forward_error``
  warning naming the innermost module whose call raised (its forward, or a forward or forward pre
  hook of the learner's on it: a module whose forward returned keeps its output's event) and the
  shapes of its tensor inputs
  (positional, then keyword; a nested tensor's as its components' shapes); one per
  exception (the same one passing up through the outer modules is not a new failure), so an
  error the learner's code caught does not hide a later one. At most :data:`MAX_FAILURES`.
  The one the run ended with, uncaught, is marked ``is_run_error`` (see :meth:`HookTracer.finish`).
  Exceptions torch raises on purpose to stop a forward (:data:`_CONTROL_FLOW_ERRORS`) are not
  failures.
* The hooks stay out of the learner's way: they do nothing while Dynamo traces (``torch.compile``
  runs its compiled graph untraced, the ``OptimizedModule`` wrapper's eager call is recorded), and
  they work on ``__torch_function__`` subclasses with subclass dispatch off, so the learner's
  subclass sees only the learner's ops.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import math
import re
import struct
import sys
import threading
import warnings
import weakref
from collections.abc import Callable, Sequence
from types import CodeType
from typing import Any

import torch
from torch import nn
from torch._subclasses.fake_tensor import FakeTensor
from torch.nn.modules import module as _module
from torch.utils import checkpoint as _checkpoint
from torch.utils._python_dispatch import _disable_current_modes
from torch.utils.hooks import RemovableHandle

from sandbox import tensor_scan
from sandbox.private_builtins import PRIVATE_BUILTINS
from sandbox.runner import is_oom

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

STAT_FIELDS = ("mean", "std", "min", "max", "norm", "zero_frac", "has_nan", "has_inf")
_NAN = float("nan")
_RELU_TYPES = frozenset({"ReLU", "ReLU6"})
# An event's flag, the value it flags, and the warning kinds for the first event with it: made in
# a forward, in the gradient at a module's output, already in a forward's input
_NONFINITE_WARNINGS = (
    ("has_nan", "NaN", ("nan", "nan_grad", "nan_input")),
    ("has_inf", "Inf", ("inf", "inf_grad", "inf_input")),
)
SHIFT_SAMPLE = 64  # elements whose median is the shift: near the mean is all the variance needs
# sum((x - mean)**2) as sum(x**2) - n * mean**2 loses up to log10(1 / CANCELLATION) digits
CANCELLATION = 0.1
# float dtype -> (smallest normal number, 0.5 / it): where stat_vector keeps the max(|x|) it
# scales by. The scale, 2**-e for max(|x|) in [2**(e-1), 2**e), is then within them too: a
# normal number (a subnormal one would read as 0 where the learner's code called
# torch.set_flush_denormal(True)).
_SCALE_BOUNDS = {
    dtype: (torch.finfo(dtype).tiny, 0.5 / torch.finfo(dtype).tiny)
    for dtype in (torch.float32, torch.float64)
}
# What stat_vector takes for max(|x|) beside a NaN or an Inf, where min and max say nothing of
# the finite numbers: its scale, 2**-41, keeps a sum of up to 2**39 finite float32 numbers finite,
# and numbers from about 1e-26 up normal (a CPU takes microcode assists, some 100 times slower,
# on subnormal ones: scaled by the smallest scale, a NaN's tensor of ordinary numbers all were).
_NONFINITE_TOP = 2.0**40
# float dtype -> (struct format of two ints, of two floats, integer dtype of the same width)
_BIT_VIEWS = {
    torch.float32: ("<2i", "<2f", torch.int32),
    torch.float64: ("<2q", "<2d", torch.int64),
}
FREED_ROOTS = 8
"""Freed root models whose names a trace keeps, for their modules still alive: a checkpointed
block recomputed in the backward of a model the learner did not keep (``Net()(x).backward()``)."""
MAX_FAILURES = 5
"""Forward errors recorded per run: a loop catching one in every step needs no more."""
DEFERRED_NUMEL = 2**20
"""The most numbers a hook keeps a copy of: a larger tensor is reduced in its hook, where the
model's own work on it dwarfs the launches, and keeps :func:`stat_vector`'s precision (a
segmented sum of millions of numbers loses digits: std off by ~1e-2 at 16M, measured on the CPU)."""
DEFERRED_BYTES = 256 * 2**20
"""Device memory a run's copies of numbers kept for :meth:`HookTracer.finish` may take (beside
the model's own, until finish): a run tracing more reduces each further tensor in its hook.
Reducing them (:func:`stat_rows`) takes about three times as much again, for a moment."""

# torch's warning when a module is compiled while global module hooks are installed: the hooks
# are the tracer's, which records the OptimizedModule wrapper's call on purpose.
_COMPILE_WITH_GLOBAL_HOOKS = re.escape("Using `torch.compile(module)` when there are global hooks")

# Exceptions torch raises through a module's forward on purpose, caught by torch itself: the
# non-reentrant activation checkpoint stops its recomputation (during backward) with one as soon
# as it has every tensor it needs. The module did not fail.
_CONTROL_FLOW_ERRORS: tuple[type[BaseException], ...] = tuple(
    error
    for error in (getattr(_checkpoint, "_StopRecomputationError", None),)
    if isinstance(error, type)
)
# Dynamo inlines the global hooks into the graph of every module it compiles. It treats this call
# as True while it traces (the hook body folds away) and it is False in eager code, ~35 ns a call.
# torch 2.2 has no torch.compiler.is_compiling; there dynamo folds torch._utils.is_compiling.
_is_compiling = getattr(torch.compiler, "is_compiling", None) or torch._utils.is_compiling
_NO_GUARD = contextlib.nullcontext()
_is_tracing = torch._C._is_tracing  # torch.jit.is_tracing() without its Python frame
_autograd_engine = torch.autograd.Variable._execution_engine  # type: ignore[attr-defined]


def _capturing() -> bool:
    """Whether a graph is being captured (Dynamo, or torch.jit.trace) rather than run eagerly."""
    return _is_compiling() or _is_tracing()


def _plain(t: torch.Tensor) -> bool:
    """Whether the tracer's ops on ``t`` reach no Python at all: a plain tensor, no torch function
    or dispatch mode active. Then it works on ``t`` without :func:`own_ops`' guard."""
    return (
        type(t) is torch.Tensor
        and not torch._C._len_torch_function_stack()
        and not torch._C._len_torch_dispatch_stack()
    )


def own_ops(t: torch.Tensor) -> contextlib.AbstractContextManager[Any]:
    """Where the tracer works on ``t``: its own ops (shape, detach, sums, register_hook...) never
    reach the learner's Python code. ``__torch_function__`` dispatch is off for a subclass, and
    for a ``TorchFunctionMode`` the learner entered; a ``TorchDispatchMode`` is stepped out of
    while the tracer works (a learner counting ops with one sees the same ops traced or not).
    Plain tensors with no mode active dispatch to no Python and skip the guard (~150 ns)."""
    if torch._C._len_torch_function_stack():
        function_guard: contextlib.AbstractContextManager[Any] = torch._C.DisableTorchFunction()
    elif type(t) is not torch.Tensor:
        function_guard = torch._C.DisableTorchFunctionSubclass()
    else:
        function_guard = _NO_GUARD
    if not torch._C._len_torch_dispatch_stack():
        return function_guard
    stack = contextlib.ExitStack()
    stack.enter_context(_disable_current_modes())
    stack.enter_context(function_guard)
    return stack


_Queued = tuple[int, int, torch.Tensor]  # (event index, numel, tensor) for finish to read


@functools.cache
def _name_of(key: torch.dtype | torch.device) -> str:
    """``float32``, ``cpu``, ``cuda:0``: an event's dtype or device, formatted once each."""
    return str(key).removeprefix("torch.")


def first_tensor(value: Any, _depth: int = 0) -> torch.Tensor | None:
    """The first tensor in a (possibly nested) output, depth-first; ``None`` if there is none.
    A dataclass (a learner's own ``ModelOutput``) is looked into field by field."""
    if isinstance(value, torch.Tensor):
        return value
    if _depth > 4:
        return None
    if isinstance(value, (tuple, list)):
        for item in value:
            found = first_tensor(item, _depth + 1)
            if found is not None:
                return found
    elif isinstance(value, dict):
        for item in value.values():
            found = first_tensor(item, _depth + 1)
            if found is not None:
                return found
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            found = first_tensor(getattr(value, field.name, None), _depth + 1)
            if found is not None:
                return found
    return None


def tensor_shape(t: torch.Tensor) -> list[Any]:
    """``t``'s shape as a list; a nested tensor's is the list of its components' shapes."""
    if t.is_nested:
        return [list(component.shape) for component in t.unbind()]
    return list(t.shape)


def has_stats(t: torch.Tensor) -> bool:
    """Whether the tracer can reduce ``t``: one dense block of numbers it can read."""
    return t.layout == torch.strided and not t.is_nested and t.device.type != "meta"


def _float_vector(t: torch.Tensor) -> torch.Tensor:
    """``t`` detached, flattened, as float32/float64.

    A complex tensor is described by its numbers' magnitudes ``|z|``, taken in float64 (from
    complex128): a complex64 number's magnitude can exceed float32's range (``|3e38+3e38j|``)
    where neither of its parts does, and would read as an Inf that ``torch.isinf`` does not see.
    (A complex128 number's beyond float64's, from about 1.3e308 in both parts, still does.) So
    the mean, std, min and max are the magnitudes', the norm is the tensor's (``sum |z|**2``),
    zeros are ``z == 0``, and NaN/Inf are as ``torch.isnan``/``isinf`` see them, but for an Inf
    beside a NaN in one number, which reads as an Inf alone.
    """
    x = t.detach()
    if x.is_neg():  # torch's "negative bit": the memory holds the numbers' negatives
        x = x.resolve_neg()
    if x.is_quantized:
        x = x.dequantize()
    if x.is_complex():
        x = x.to(torch.complex128).abs()
    if x.dtype not in (torch.float32, torch.float64):
        x = x.float()
    flat = None if x.is_contiguous() else _memory_order(x)
    return x.reshape(-1) if flat is None else flat


def _memory_order(x: torch.Tensor) -> torch.Tensor | None:
    """A plain tensor's numbers as a flat view, in the order they lie in memory, where they fill
    one block without gaps or overlaps (a transpose, a permutation of a contiguous tensor);
    ``None`` for any other layout. The stats do not depend on the order, and ``reshape(-1)``
    would copy the numbers: a transposed tensor of 1 GB needs another GB where the sandbox's
    memory limit may leave none (and the copy takes time)."""
    if type(x) is not torch.Tensor:
        return None
    block = 1
    for stride, size in sorted(
        (st, sz) for st, sz in zip(x.stride(), x.shape, strict=True) if sz != 1
    ):
        if stride != block:
            return None
        block *= size
    return x.as_strided((x.numel(),), (1,))


def stat_vector(t: torch.Tensor) -> torch.Tensor:
    """Raw sums for the stats of ``t`` as one small tensor on t's device; no host sync.

    The result holds ``[shift, nansum(s), sum(s**2), min, max, count(x != 0), nansum(s), scale]``
    for ``s = (x - shift) * scale``; :func:`derive_stats` turns it into :data:`STAT_FIELDS` on the
    host. The shift is the median of a few evenly spaced elements: sums around a value near the
    mean give the variance (and with the mean, the norm) without the cancellation of
    ``sum(x**2) - n * mean**2``. A median, because one outlier among them (a huge activation at
    index 0) would drag a mean far from the other numbers, and the float32 sums around it would
    lose the digits of their spread; a median is within a standard deviation of the mean.

    ``scale`` is a power of two near ``1 / max(|x|)``: every ``s`` is below 8 in magnitude, so
    neither the sums nor the squares overflow (exploding numbers, from about 1.8e19 in float32,
    whose squares would) or underflow (vanishing ones, below about 1e-19, whose squares would be
    subnormal or zero). Multiplying by a power of two is exact (short of float32 numbers below
    2**-126 times the largest, too small to count beside it), so the sums are those of the
    unscaled numbers, and the subtraction is rounded once as before. With a NaN or an Inf, the
    scale is :data:`_NONFINITE_TOP`'s: then ``nansum(s)`` is not finite only when there is an
    Inf, as :func:`derive_stats` reads it; a sum of the numbers themselves would overflow on
    finite ones from about 1e36 in float32. It sits in the row twice: the second is in the place
    of the ``nansum`` in :func:`host_stats`' rows (whose one-pass kernel only sums numbers it
    found finite, and has no NaN to skip).

    The passes over the numbers: aminmax, the shifted and scaled copy (``addcmul``, one kernel),
    the sum and the sum of squares of that copy, and the zero count. ``var_mean``,
    ``count_nonzero`` and ``isinf`` would be several times slower on CPU (scalar loops;
    ``count_nonzero`` on floats also branches on the data, which ReLU outputs mispredict half the
    time; ``isinf`` is ``abs() == inf``, a float and a bool tensor written), and float64 sums of
    float32 numbers first copy them all to float64. The scale costs a few ops on single numbers,
    and the division by it is left to the host. (On CPU, where this only serves
    :func:`shifted_stats`, ``addcmul`` with two single-number operands runs a scalar loop; on
    other devices it is one elementwise kernel like ``x - shift``.)
    """
    x = _float_vector(t)
    n = x.numel()
    if n == 0:
        return torch.full((8,), _NAN, dtype=x.dtype, device=x.device)
    # NaN -> 0: a shift of NaN would make every shifted number NaN, hiding an Inf from nansum(s)
    shift = x[:: max(1, n // SHIFT_SAMPLE)].nan_to_num().median()
    mn, mx = torch.aminmax(x)
    scale = _scale_of(mn, mx)
    scratch = torch.addcmul(torch.mul(shift, scale).neg_(), x, scale)  # (x - shift) * scale
    shifted_sum = scratch.nansum()
    shifted_sumsq = torch.dot(scratch, scratch)
    nonzero = torch.ne(x, 0, out=scratch).sum()  # reuses the buffer: kernels run in order
    return torch.stack([shift, shifted_sum, shifted_sumsq, mn, mx, nonzero, shifted_sum, scale])


_INTEGER_DTYPES = frozenset({torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64})
"""Integer dtypes whose stats :func:`integer_vector` takes exactly (where float32 rounds int32
and int64 numbers, and float64 int64 ones beyond 2**53, and sums cancel: the mean of
``[2**62, -2**62, 3]``)."""
_FAR = 2.0**62  # |x - shift| from which integer_vector takes the difference in float64


def integer_vector(t: torch.Tensor) -> torch.Tensor:
    """Raw sums for the stats of an integer tensor (:data:`_INTEGER_DTYPES`) as one int64 tensor
    on t's device; no host sync. :func:`derive_integer_stats` reads it on the host.

    It holds ``[shift, sum(x >> 32), sum(x & (2**32 - 1)), min, max, count(x != 0), d_sum,
    d_sumsq]``: the sum in two halves that add up exactly in int64 (for fewer than 2**31
    numbers), so the mean is the exact sum over n rounded once, and min and max as they are. The
    spread comes from ``d = x - shift`` (the median of a few elements, as in :func:`stat_vector`)
    in float64, whose sum and sum of squares (``d_sum``, ``d_sumsq``) are float64 bits in the
    row: the difference is exact in int64 before it is rounded, except where it is at least
    2**62 (it could wrap), taken in float64 then, where rounding is far below the spread.
    """
    x = t.detach().reshape(-1)
    n = x.numel()
    if n == 0:
        return torch.zeros(8, dtype=torch.int64, device=x.device)
    shift = x[:: max(1, n // SHIFT_SAMPLE)].median().to(torch.int64)
    mn, mx = (bound.to(torch.int64) for bound in torch.aminmax(x))
    if x.dtype == torch.int64:
        high, low = x.bitwise_right_shift(32).sum(), x.bitwise_and(0xFFFFFFFF).sum()
        near = x.sub(shift).double()
        far = x.double().sub_(shift.double())
        d = torch.where(far.abs() < _FAR, near, far)
    else:  # 32 bits or fewer: summed exactly in int64 and held exactly by float64, so one
        # float64 copy serves (the int64 path's seven copies took 30x a uint8 batch's memory)
        high, low = torch.zeros_like(shift), x.sum(dtype=torch.int64)
        d = x.double().sub_(shift.double())
    d_sum, d_sumsq = d.sum(), torch.dot(d, d)
    nonzero = torch.count_nonzero(x)
    bits = torch.stack([d_sum, d_sumsq]).view(torch.int64)
    return torch.cat([torch.stack([shift, high, low, mn, mx, nonzero]), bits])


def derive_integer_stats(raw: list[int], n: int) -> list[float]:
    """:data:`STAT_FIELDS` from an :func:`integer_vector` row of n numbers: ``min`` and ``max``
    as Python ints (exact: int64 numbers beyond 2**53 have no float64 of their own)."""
    if n == 0:
        return [_NAN] * len(STAT_FIELDS)
    _, high, low, mn, mx, nonzero = raw[:6]
    d_sum, d_sumsq = struct.unpack("<2d", struct.pack("<2q", *raw[6:8]))
    mean = (high * 2**32 + low) / n  # Python's int / int: the exact quotient, rounded once
    squares = max(d_sumsq - d_sum * d_sum / n, 0.0)  # sum((x - mean)**2)
    std = math.sqrt(squares / (n - 1)) if n > 1 else 0.0
    norm = math.sqrt(squares + n * mean * mean)  # two terms >= 0: no cancellation
    return [mean, std, mn, mx, norm, 1.0 - nonzero / n, 0.0, 0.0]


def _scale_of(mn: torch.Tensor, mx: torch.Tensor) -> torch.Tensor:
    """The power of two :func:`stat_vector` scales numbers between ``mn`` and ``mx`` by (element
    by element: :func:`stat_rows` passes every segment's at once), a few ops on single numbers."""
    # max(|x|) within the bounds, or with a NaN or Inf (min and max are then NaN or infinite)
    # a magnitude whose scale keeps the finite numbers' sum finite
    low, high = _SCALE_BOUNDS[mn.dtype]
    top = torch.maximum(-mn, mx)
    top = top.nan_to_num_(nan=_NONFINITE_TOP, posinf=_NONFINITE_TOP).clamp_(low, high)
    return torch.frexp(top).mantissa.div_(top)  # 2**-e for top = mantissa * 2**e


def _segment_indices(sizes: Sequence[int]) -> tuple[torch.Tensor, int]:
    """Where :func:`stat_rows` finds each of its ``sizes`` segments and their shift samples, built
    on the host as one int64 tensor (moved to the device in one copy) and ``kmax``, the most
    samples a segment has.

    The tensor holds, one after the other: the S + 1 offsets of the segments in the
    concatenated numbers, their S lengths, an (S, kmax) matrix of the indices of each segment's
    samples (``x[::max(1, n // SHIFT_SAMPLE)]``, as :func:`stat_vector` takes them) padded with
    the index just past the numbers, and for each segment the flat index, in that matrix with
    every row sorted, of its samples' median: the lower middle one of an even count, as
    ``torch.median`` takes it.
    """
    lengths = torch.tensor(sizes, dtype=torch.int64)
    offsets = torch.cat([torch.zeros(1, dtype=torch.int64), lengths.cumsum(0)])
    steps = (lengths // SHIFT_SAMPLE).clamp_(min=1)
    counts = (lengths + steps - 1) // steps  # len(x[::step]) of each segment; 0 for an empty one
    kmax = max(int(counts.max()), 1)  # at most 2 * SHIFT_SAMPLE - 1: step = n // SHIFT_SAMPLE
    column = torch.arange(kmax)
    samples = offsets[:-1, None] + column * steps[:, None]
    samples.masked_fill_(column >= counts[:, None], int(offsets[-1]))
    middle = ((counts - 1) // 2).clamp_(min=0)  # an empty segment's row is NaN anyway
    medians = torch.arange(len(sizes)) * kmax + middle
    return torch.cat([offsets, lengths, samples.reshape(-1), medians]), kmax


def stat_rows(tensors: Sequence[torch.Tensor]) -> torch.Tensor:
    """:func:`stat_vector` of each of ``tensors`` as the rows of one (S, 8) tensor, in a fixed
    number of ops whatever S is; no host sync.

    ``tensors`` are flat float32/float64 tensors of one dtype on one device (the copies
    :class:`HookTracer` keeps of a run's numbers). Each hook's ~18 ops of :func:`stat_vector`
    are some microseconds of kernel launches each, between the model's own: here the run's
    numbers are concatenated once and every reduction is one segmented op over them all
    (``torch.segment_reduce``, on CUDA one CUB segmented reduction; its max and min propagate
    NaN as ``aminmax`` does). The shifts come from one padded matrix of every segment's samples,
    sorted once; the padding (+Inf, then the largest float like any Inf sample) sorts after
    every sample. The sums add in another order than :func:`stat_vector`'s, so they agree to
    rounding (for tensors of up to :data:`DEFERRED_NUMEL` numbers, as the tracer passes: past
    that a segmented sum loses digits); the shift, min, max and zero count exactly. An empty
    tensor's row is NaN.
    """
    first = tensors[0]
    count = len(tensors)
    sizes = [t.numel() for t in tensors]
    total = sum(sizes)
    if not total:
        return torch.full((count, 8), _NAN, dtype=first.dtype, device=first.device)
    indices, kmax = _segment_indices(sizes)
    # non_blocking: from pageable memory CUDA stages the copy at once, without waiting for the
    # stream (a blocking copy would wait for every kernel queued before it)
    offsets, lengths, samples, medians = indices.to(first.device, non_blocking=True).split(
        [count + 1, count, count * kmax, count]
    )
    inf = torch.full((1,), math.inf, dtype=first.dtype, device=first.device)
    padded = torch.cat([*tensors, inf])  # the sample matrix's padding points at the last one
    x = padded[:-1]

    def segment_sums(values: torch.Tensor) -> torch.Tensor:
        return torch.segment_reduce(values, "sum", offsets=offsets, unsafe=True)

    # NaN -> 0 as in stat_vector (Inf -> the largest float, which the padding becomes too)
    sample = padded[samples].nan_to_num_().view(count, kmax)
    shift = sample.sort(dim=1).values.view(-1)[medians]
    # unsafe: checking the lengths would read them back from the device
    mn = torch.segment_reduce(x, "min", offsets=offsets, unsafe=True)
    mx = torch.segment_reduce(x, "max", offsets=offsets, unsafe=True)
    scale = _scale_of(mn, mx)
    # (x - shift) * scale as stat_vector's addcmul computes it, each segment's numbers by its own
    scratch = torch.repeat_interleave(torch.mul(shift, scale).neg_(), lengths, output_size=total)
    scales = torch.repeat_interleave(scale, lengths, output_size=total)
    scratch.addcmul_(x, scales)
    # the buffers are reused: kernels run in order
    shifted_sumsq = segment_sums(torch.mul(scratch, scratch, out=scales))
    shifted_sum = segment_sums(scratch.nan_to_num_(nan=0.0, posinf=math.inf, neginf=-math.inf))
    nonzero = segment_sums(torch.ne(x, 0, out=scratch))
    rows = torch.stack(
        [shift, shifted_sum, shifted_sumsq, mn, mx, nonzero, shifted_sum, scale], dim=1
    )
    return rows.masked_fill_((lengths == 0)[:, None], _NAN)


def _rows_of(copies: list[torch.Tensor]) -> torch.Tensor:
    """:func:`stat_rows` of a run's kept copies, or, where the device has no room for its
    buffers (some three times the copies), :func:`stat_vector` of each: the trace keeps its
    stats rather than failing at the end."""
    try:
        return stat_rows(copies)
    except RuntimeError:  # torch.OutOfMemoryError among them
        return torch.stack([stat_vector(copy) for copy in copies])


def host_stats(t: torch.Tensor, *, native: bool = True) -> list[float]:
    """:data:`STAT_FIELDS` of a CPU tensor, computed at once (as :func:`derive_stats` gives them).

    On the CPU a tensor's values are already on the host, so there is no sync to save. The
    one-pass kernel (:mod:`sandbox.tensor_scan`) reads the numbers once for every stat; finite
    values are all it describes, and NaN, Inf or overflow take the shifted sums of
    :func:`stat_vector`, which handle them. Without the kernel (or with ``native=False``),
    :func:`torch_host_stats`.
    """
    if t.dtype in _INTEGER_DTYPES:
        return derive_integer_stats(integer_vector(t).tolist(), t.numel())
    scan = tensor_scan.kernel() if native else None
    # The kernel reads a plain tensor's memory as it is: most outputs and gradients can be read
    # where they are, without the detached flat view (every torch call costs microseconds in a
    # hook, the caches cold from the model's own ops). A subclass's numbers may live elsewhere
    # (a wrapper subclass has no memory: its address is 0): torch's ops know how to read them.
    direct = (
        scan is not None
        and type(t) is torch.Tensor
        and t.dtype in _BIT_VIEWS
        and not t.is_neg()
        and t.is_contiguous()
    )
    x = t if direct else _float_vector(t)
    n = x.numel()
    if n == 0:
        return [_NAN] * len(STAT_FIELDS)
    # a direct tensor passed these checks above; a converted one is read where it is plain and
    # contiguous too
    readable = direct or (scan is not None and type(x) is torch.Tensor and x.is_contiguous())
    address = x.data_ptr() if readable else 0
    if not address:
        return torch_host_stats(x)
    raw = scan(address, n, x.dtype is torch.float64)
    if not (math.isfinite(raw[1]) and math.isfinite(raw[2])):
        return shifted_stats(x, n)
    shift, shifted_sum = raw[0], raw[1]
    return derive_stats([*raw, shift * n + shifted_sum], n)  # the last: nansum, read with NaN only


def shifted_stats(x: torch.Tensor, n: int) -> list[float]:
    """:func:`host_stats` from the shifted sums of :func:`stat_vector`, for the ``n`` numbers of
    a float32/float64 ``x`` that hold a NaN or an Inf, or whose sums overflow: they are scaled so
    that finite numbers keep finite sums (and their std and norm, which the exploding-gradient
    warning reads), and beside a NaN an Inf is told from an overflow.
    """
    return derive_stats(stat_vector(x).tolist(), n)


def torch_host_stats(x: torch.Tensor) -> list[float]:
    """:func:`host_stats` of a flat, non-empty float32/float64 tensor, by torch ops alone.

    The cheapest passes are chosen from the data. Every pass here reads the tensor and writes
    nothing: the sum and the sum of squares, and min, max and the zero count taken partly from
    the numbers' bit patterns (:func:`bit_stats`). They are enough whenever the values are finite
    and the variance does not cancel. Anything else (NaN, Inf, overflow, a mean far from zero
    relative to the spread) takes the shifted sums of :func:`stat_vector`.
    """
    n = x.numel()
    total, sumsq = float(x.sum()), float(torch.dot(x, x))
    finite = math.isfinite(total) and math.isfinite(sumsq)  # else a NaN/Inf, or an overflow
    mean = total / n
    squares = sumsq - total * mean if finite else 0.0  # sum((x - mean)**2)
    if not finite or squares < sumsq * CANCELLATION:
        return shifted_stats(x, n)
    std = math.sqrt(squares / (n - 1)) if n > 1 else 0.0
    mn, mx, zeros = bit_stats(x)
    return [mean, std, mn, mx, math.sqrt(sumsq), zeros / n, 0.0, 0.0]


def bit_stats(x: torch.Tensor) -> tuple[float, float, int]:
    """``(min, max, number of zeros)`` of a flat float32/float64 tensor of finite values.

    Float comparisons make these the slowest reductions on a CPU: ``aminmax`` checks every
    element for NaN, and counting zeros means writing a mask (``x != 0``) or calling
    ``count_nonzero``, which on floats runs about 20 times slower than on integers. Read as signed
    integers of the same width, the numbers give most of it in integer passes:

    * Non-negative floats order like their bit patterns, and every negative one (sign bit set)
      is a negative integer below them. So the largest pattern is the max whenever some number
      is non-negative; when all are negative, the patterns run ``INT_MIN + magnitude``, and the
      smallest is the one nearest zero, the max. Without negatives the smallest is the min; with
      them the min takes a float pass.
    * A float is zero when its pattern is 0 (``+0.0``) or ``INT_MIN`` (``-0.0``), so the smallest
      pattern says whether a ``-0.0`` is there. Without one, the zeros are the integers that are
      0. ``-0.0`` (a negative number times 0, as when dropout masks a negative gradient) takes the
      float comparison.
    """
    int_format, float_format, int_dtype = _BIT_VIEWS[x.dtype]
    bits = x.view(int_dtype)
    imin, imax = (int(v) for v in torch.aminmax(bits))
    lowest, highest = struct.unpack(float_format, struct.pack(int_format, imin, imax))
    mx = highest if imax >= 0 else lowest
    mn = lowest if imin >= 0 else float(x.amin())
    if mn > 0 or mx < 0:
        return mn, mx, 0
    if imin == torch.iinfo(int_dtype).min:  # a -0.0
        return mn, mx, int(torch.eq(x, 0, out=torch.empty_like(x)).sum())
    return mn, mx, x.numel() - int(torch.count_nonzero(bits))


def event_stats(values: list[float] | None) -> dict[str, float | bool | None]:
    """The :data:`STAT_FIELDS` of an event from :func:`host_stats`/:func:`derive_stats` values:
    flags as bools, numbers that are not finite as ``None`` (JSON has no NaN); all ``None``
    without stats.

    An empty tensor's values are all NaN: it has no numbers to describe, and no NaN or Inf
    either, so a flag is true only when it is exactly 1.0.
    """
    if values is None:
        return dict.fromkeys(STAT_FIELDS)
    return {
        key: v == 1.0 if key.startswith("has_") else (v if math.isfinite(v) else None)
        for key, v in zip(STAT_FIELDS, values, strict=True)
    }


def values_key(t: torch.Tensor) -> tuple[Any, ...] | None:
    """What identifies the numbers a :func:`has_stats` tensor holds now; ``None`` if unknown.

    A view shares its base's memory and version counter, so ``Flatten``'s output and the ``ReLU``
    output it views, or a container's output and its last layer's (often the very same tensor),
    get the same key while neither has been changed in place. Only valid while the tensor it was
    taken from is alive: freed memory can come back as a new tensor with the same address.
    """
    if t.is_inference():
        return None  # no version counter
    layout = None if t.is_contiguous() else (tuple(t.shape), t.stride())
    # a negative view (a conjugate's imaginary part) shares its base's memory and version
    return (t.data_ptr(), t.dtype, t.device, t.numel(), t._version, layout, t.is_neg())


def derive_stats(raw: list[float], n: int) -> list[float]:
    """:data:`STAT_FIELDS` (has_nan/has_inf as 0.0/1.0) from a :func:`stat_vector` row of n values.

    The row's sums are of ``(x - shift) * scale``, its last value; a row of seven, as
    :func:`host_stats` passes from the one-pass kernel, has unscaled sums. ``min``/``max``
    propagate NaN, so without NaN an Inf shows in them; with NaN, ``nansum`` (which skips NaN) is
    not finite when there is an Inf. Stats that an Inf or NaN makes undefined come out NaN. An
    empty tensor (n == 0) gets NaN for every field, flags included, as from :func:`host_stats`:
    :func:`event_stats` reads those flags as false.
    """
    shift, shifted_sum, shifted_sumsq, mn, mx, nonzero, nansum = raw[:7]
    scale = raw[7] if len(raw) > 7 else 1.0
    if n == 0:
        return [_NAN] * len(STAT_FIELDS)
    has_nan = math.isnan(mn) or math.isnan(mx)
    has_inf = not math.isfinite(nansum) if has_nan else math.isinf(mn) or math.isinf(mx)
    mean = std = norm = _NAN
    if not has_nan:  # else the shifted sum skipped the NaN
        mean = shift + shifted_sum / n / scale  # dividing by a power of two: exact
        squares = shifted_sumsq - shifted_sum * shifted_sum / n  # sum(((x - mean) * scale)**2)
        if math.isfinite(mean) and math.isfinite(squares):
            squares = max(squares, 0.0)
            std = math.sqrt(squares / (n - 1)) / scale if n > 1 else 0.0
            scaled_mean = mean * scale
            # two terms >= 0: no cancellation
            norm = math.sqrt(squares + n * scaled_mean * scaled_mean) / scale
    return [mean, std, mn, mx, norm, 1.0 - nonzero / n, float(has_nan), float(has_inf)]


class _Returned(list[tuple[str, str]]):
    """The modules (name, type name) that returned one tensor, in the order they returned it, and
    the handle of the tensor's one tracer hook (:class:`_GradHook`), which records them all."""

    __slots__ = ("handle",)

    handle: RemovableHandle


class _GradHook(functools.partial):  # type: ignore[type-arg]
    """A tracer's tensor hook: ``HookTracer._gradient`` with the modules that returned the tensor
    (a :class:`_Returned`).

    One hook per tensor, not per module: modules returning the same tensor (a container's output
    that is its last layer's, a model wrapping a ``Linear``) are called inner first, but the
    gradient reaches the outer one's output first, and hooks on one tensor fire in the order they
    were added. The one hook records them in reverse, as a backward reaches them.

    Saving a traced output (``torch.save(model(x), ...)``) pickles its hooks: torch leaves one
    marked ``__torch_unserializable__`` out quietly instead of warning the learner (what
    ``unserializable_hook`` marks a function with; a class attribute costs no call per hook).
    """

    __slots__ = ()
    __torch_unserializable__ = True


class _FinalOutput:
    """A forward hook the tracer puts on a module with forward hooks of the learner's, for one
    call, after theirs: it records the module's output as they leave it (a hook returning a new
    tensor replaces the output), then removes itself.

    torch runs global hooks before a module's own, so the tracer's post hook only names the call
    (``name``); this hook records it. It is registered in the pre hook, before the forward runs,
    since torch takes the list of hooks to run when the forward returns; ``always_call``, so that
    it goes even where the forward or a learner's hook raises. A recursive call registers its
    own: a hook that fires before its call's post hook named it is the outer call's, and waits;
    so does one that fires in another thread (a call of the same module there).
    """

    __slots__ = ("handle", "name", "settled", "thread", "tracer")

    def __init__(self, tracer: HookTracer) -> None:
        self.tracer = tracer
        self.name: str | None = None
        # set with the name: the exception the call's post hook saw (the one its except block was
        # handling when the module was called, or the forward's own, which the post hook took
        # care of); any other one, now in flight, a learner's forward hook raised
        self.settled: BaseException | None = None
        self.handle: RemovableHandle | None = None
        self.thread = threading.get_ident()

    def __call__(self, module: nn.Module, args: tuple[Any, ...], output: Any) -> None:
        if self.name is None or self.thread != threading.get_ident() or _capturing():
            return  # another call of the same module ended: this one is still running
        self.disarm()
        exc = sys.exc_info()[1]
        if exc is not None and exc is not self.settled:
            # torch runs this hook in its except path: the forward returned, then one of the
            # learner's forward hooks on this module raised. This module failed, not its caller.
            self.tracer._hook_failed(module, self.name, args, exc)
        self.tracer._output(module, self.name, output, args)

    def disarm(self) -> None:
        """Take the hook off its module: its call has ended (or the trace has)."""
        if self.handle is not None:
            self.handle.remove()
        self.tracer._finals.discard(self)


class _RootNames:
    """A root model's qualified names as at its last call, held without keeping it alive."""

    __slots__ = ("members", "names", "root")

    def __init__(self, root: nn.Module, on_freed: Callable[[weakref.ref[nn.Module]], None]) -> None:
        self.root = weakref.ref(root, on_freed)
        self.names: dict[int, str] = {}  # id of a module in it -> its qualified name
        # the same modules, weakly: an id alone may be a freed module's, reused by a new one
        self.members: dict[int, weakref.ref[nn.Module]] = {}
        for name, module in root.named_modules():
            if name:
                self.names[id(module)] = name
                self.members[id(module)] = weakref.ref(module)


class ModuleCalls(threading.local):
    """One thread's modules being called, for the tracer's hooks (each thread has its own).

    A model called in several threads at once (a learner's thread pool, a DataLoader's pin
    thread) nests its calls per thread: one shared stack would name a module from another
    thread's root, and take another thread's return for its own.

    A thread's first hook also sets up torch's threads for it: torch gives a thread its OpenMP
    thread count at its first parallel op, and a thread whose first module passes its input on
    untouched (``Flatten``, ``Identity``) has run none, so the stats kernel would split its scan
    over OpenMP's default of every core instead of torch's count (the sandbox's limit).
    """

    def __init__(self) -> None:
        torch.get_num_threads()  # sets this thread's OpenMP thread count to torch's, once
        # (module, name, the exception being handled when the call began, the hook recording
        # its output after the learner's forward hooks, if it has any)
        self.stack: list[tuple[nn.Module, str, BaseException | None, _FinalOutput | None]] = []
        self.names: dict[int, str] = {}  # module id -> qualified name from this call's root
        # The exception leaving the modules now, once recorded: the outer modules it passes
        # through did not fail. Held only while it unwinds, since its traceback holds the frames
        # (and tensors) of the failed calls.
        self.unwinding: BaseException | None = None


def _words_of(exc: BaseException) -> str:
    """``str(exc)``, or a note that it failed: a learner's ``__str__`` may raise, and raising here,
    in a hook, would make torch drop the forward_error warning the learner needs."""
    try:
        return str(exc)
    except BaseException as failure:  # even SystemExit: this describes a failure
        return f"<str() of the exception failed: {type(failure).__name__}>"


class ExceptionMark:
    """Tells one exception from the others without holding it or its frames: a caught failure's
    tensors must go when the learner's code lets go of it (an exception takes no weak reference).

    An id alone does not tell it: a freed exception's address is often the very next one's. So
    the mark keeps also its type and where it was raised, the innermost traceback entry's code
    object (held, told by identity: it holds no tensors) and line; as the exception passes up,
    its traceback grows on the outside, so the innermost entry stays. Not its ``args``, which may
    hold the learner's tensors (``raise ValueError("bad", x)``). A later exception at the same
    address, of the same type, raised at the same line of the same code still matches: the same
    ``raise`` again, as a loop runs it."""

    def __init__(self, exc: BaseException) -> None:
        self.id = id(exc)
        self.type = type(exc)
        self.raised_at = _raised_at(exc)

    def marks(self, exc: BaseException | None) -> bool:
        """Whether ``exc`` is, as far as the mark tells, the exception it was made of."""
        if exc is None or id(exc) != self.id or type(exc) is not self.type:
            return False
        raised_at = _raised_at(exc)
        if raised_at is None or self.raised_at is None:
            return raised_at is self.raised_at
        return raised_at[0] is self.raised_at[0] and raised_at[1] == self.raised_at[1]


def _raised_at(exc: BaseException) -> tuple[CodeType, int] | None:
    """The code object and line ``exc`` was raised at (its innermost traceback entry's);
    ``None`` for one without a traceback."""
    tb = exc.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code, tb.tb_lineno


def _rms(event: dict[str, Any]) -> float | None:
    """The root mean square of ``event``'s numbers, from its norm: the size of a typical number,
    which does not grow with the tensor as the norm does. ``None`` without a norm (or numbers)."""
    norm = event["norm"]
    numel = math.prod(event["shape"]) if norm is not None else 0
    return norm / math.sqrt(numel) if numel else None


@functools.cache
def _smallest_normal(dtype: str) -> float:
    """The smallest positive normal number of ``dtype`` (an event's, ``float16``): numbers below
    it have lost precision on their way to underflowing to 0. 0.0 for a dtype that is no
    floating one (a gradient's always is)."""
    kind = getattr(torch, dtype, None)
    if not isinstance(kind, torch.dtype) or not (kind.is_floating_point or kind.is_complex):
        return 0.0
    return torch.finfo(kind).tiny


def named_by_index(name: str) -> bool:
    """Whether a module's qualified name starts with a container's index (``1``, ``0.2``,
    ``3.attn``): a warning calls it "layer 1", where a bare ``1`` read as a count ("the outputs
    of 1 (ReLU)"). A name such as ``encoder.0`` reads as the path it is."""
    first = name.split(".", 1)[0]
    return first.isascii() and first.isdigit()


def shown_name(name: str) -> str:
    """A module's qualified name as a warning shows it: one named by an index path has its
    indexes as a learner writes them (``0.2`` is ``[0][2]``, as in ``model[0][2]``, and
    ``3.attn`` is ``[3].attn``), where ``0.2`` read as a decimal ("layer 0.2"). A lone index
    (``1``) and any other name (``encoder.0``) are shown as they are."""
    if "." not in name or not named_by_index(name):
        return name
    return "".join(
        f"[{part}]" if part.isascii() and part.isdigit() else f".{part}" for part in name.split(".")
    )


def _name_params(name: str) -> dict[str, Any]:
    """A warning's params naming module ``name``: ``layer``, whether it is named by an index
    (a UI calls it a layer), and ``shown_name``, the name as the warning shows it."""
    return {"layer": named_by_index(name), "shown_name": shown_name(name)}


def _in_backward() -> bool:
    """Whether autograd is running a backward on this thread: a checkpointed block is called
    again there. A part of a model called on its own in the learner's code (``model[0](x)``) is
    a root of its own, named by its class, as the trace's contract says."""
    task_id = getattr(torch._C, "_current_graph_task_id", None)
    return task_id is not None and task_id() != -1


def _checkable(a: Any, output: torch.Tensor) -> bool:
    """Whether input ``a`` of a call that returned ``output`` is a tensor whose numbers may hold
    a NaN or an Inf and can be read: a float one, dense, and not the output itself (an in-place
    module's, which no longer holds what it got)."""
    return (
        isinstance(a, torch.Tensor)
        and a is not output
        and a.is_floating_point()
        and has_stats(a)
        and not isinstance(a, FakeTensor)
    )


def _host_nonfinite(inputs: Sequence[torch.Tensor]) -> tuple[bool, bool]:
    """Whether any of ``inputs`` (host tensors) holds a NaN, and whether any holds an Inf."""
    nan = inf = False
    for a in inputs:
        try:
            with own_ops(a):
                x = a.detach()
                nan = nan or bool(torch.isnan(x).any())
                inf = inf or bool(torch.isinf(x).any())
        except Exception:
            continue  # one the tracer cannot read says nothing
    return nan, inf


def _keyword_inputs(module: nn.Module) -> dict[str, Any]:
    """The keyword arguments of ``module``'s call whose forward just raised, read from the frame
    of torch's ``Module._call_impl`` that runs the failing call's global hooks.

    torch calls the global forward hooks of a failed forward with its positional arguments only
    (even those registered ``with_kwargs``; the global pre hook never gets any), and a call such
    as ``mha(query=q, key=k, value=v)`` passes every tensor by keyword. Only failures read it:
    a frame's locals cost a dict per read. ``{}`` where the frame is not found.
    """
    frame = sys._getframe(1)
    # the tracer's own frames (_record_failure, then _post_hook, or _hook_failed and
    # _FinalOutput.__call__), then torch's
    for _ in range(5):
        if frame is None:
            break
        if frame.f_code.co_name == "_call_impl" and frame.f_locals.get("self") is module:
            kwargs = frame.f_locals.get("kwargs")
            return kwargs if isinstance(kwargs, dict) else {}
        frame = frame.f_back
    return {}


class HookTracer:
    """Context manager recording forward/backward events of every module call inside it.

    >>> with HookTracer() as tracer:
    ...     loss = model(x).sum(); loss.backward()
    >>> events, warnings, truncated = tracer.finish()

    ``native=False`` computes a CPU tensor's stats with torch ops even where the one-pass kernel
    (:mod:`sandbox.tensor_scan`) is available: the benchmark compares the two.
    """

    dead_relu_frac = 0.99
    # Gradients are judged by their root mean square (norm / sqrt(numel)), the typical size of
    # one number: a norm grows with the tensor (the norm of 1M gradients of exactly 1.0, from
    # out.sum(), is 1000). For a tensor of ~100 to 10k numbers these match the old absolute
    # norm thresholds (1e3, 1e-7) within a factor of ten.
    exploding_rms = 1e2
    vanishing_rms = 1e-9
    # Device types whose numbers the host reads where they are: their stats are computed in the
    # hook (host_stats). A tensor anywhere else is copied and reduced in finish with the others;
    # a test names none here to send CPU tensors that way.
    host_device_types: frozenset[str] = frozenset({"cpu"})
    deferred_bytes = DEFERRED_BYTES
    deferred_numel = DEFERRED_NUMEL

    def __init__(self, *, stats: bool = True, max_events: int = 2000, native: bool = True) -> None:
        self.stats = stats
        self.native = native
        self.max_events = max_events
        self.truncated = False
        self._lock = threading.Lock()
        # each failure, with its exception as :class:`ExceptionMark` knows it (for finish to tell
        # the one the run ended with): one pair, appended in one step
        self.failures: list[tuple[dict[str, Any], ExceptionMark]] = []
        self._calls = ModuleCalls()
        # (phase, module name, type name, shape, dtype, device) per event, as read in the hook
        self._events: list[tuple[str, str, str, Any, torch.dtype, torch.device]] = []
        self._pending: list[_Queued] = []  # stat_vector's sums
        # copies of the numbers, for finish to reduce; the copies' bytes
        self._deferred: list[_Queued] = []
        self._deferred_total = 0
        self._host: dict[int, list[float]] = {}  # event index -> stats of a CPU tensor
        # values_key -> (weak ref to the tensor reduced, its event index); event -> same as event
        self._reduced: dict[tuple[Any, ...], tuple[weakref.ref[torch.Tensor], int]] = {}
        self._same: dict[int, int] = {}
        # id of a device tensor reduced in this call -> (weak ref to it, its event index, its
        # version then)
        self._outputs: dict[int, tuple[weakref.ref[torch.Tensor], int, int]] = {}
        self._no_stats: dict[int, int] = {}  # event -> numbers, where no memory was left to reduce
        # Stats mode only (_note_relu_input): the hook modules of a traced output that was a
        # ReLU's input (by their id, held so that it is no freed one's) -> that ReLU's forward
        # event; a backward event of such an output -> the same
        self._relu_inputs: dict[int, tuple[_Returned, int]] = {}
        self._behind_relu: dict[int, int] = {}
        # Whether a forward event's inputs held a NaN / an Inf (_note_inputs): read on the host,
        # or earlier events whose numbers they were, or (event, (min, max)) to read in finish
        self._input_host: dict[int, tuple[bool, bool]] = {}
        self._host_checked = (False, False)  # an output with a NaN / an Inf had its inputs read
        self._input_links: dict[int, list[int]] = {}
        self._input_flags: list[tuple[int, tuple[torch.Tensor, torch.Tensor]]] = []
        self._inputs_nonfinite: dict[int, tuple[bool, bool]] = {}  # finish's merge of the above
        # Root model id -> its names. Held weakly, so a model the learner drops is freed as it is
        # untraced: a sweep building and dropping big models must not run out of memory.
        self._roots: dict[int, _RootNames] = {}
        self._freed_roots: collections.deque[_RootNames] = collections.deque(maxlen=FREED_ROOTS)
        # (id of a leaf output, module name) -> its hook's modules: leaves outlive the graph,
        # hooks too
        self._leaf_hooks: dict[tuple[int, str], _Returned] = {}
        self._handles: list[Any] = []
        self._finals: set[_FinalOutput] = set()  # on modules now, for calls not ended
        self._end_queued = False  # _end_backward is queued to run when the backward ends
        self._quiet: tuple[Any, ...] | None = None  # the warnings filter this tracer added
        self._active = False
        self.called = False  # a module was called (its output may hold no tensor to record)

    # -- installation -------------------------------------------------------------------------
    def __enter__(self) -> HookTracer:
        self._active = True
        # torch warns that a compiled module fires global hooks once more, for its wrapper: these
        # hooks are the tracer's, not the learner's, and it records the wrapper on purpose. Only
        # this filter is taken back at the end: the filters the learner's code sets stay.
        warnings.filterwarnings("ignore", _COMPILE_WITH_GLOBAL_HOOKS, UserWarning)
        self._quiet = warnings.filters[0]
        self._handles = [
            _module.register_module_forward_pre_hook(self._pre_hook),
            _module.register_module_forward_hook(self._post_hook, always_call=True),
        ]
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        if self._quiet is not None:
            with contextlib.suppress(ValueError):  # the learner's code reset the filters
                warnings.filters.remove(self._quiet)
            mutated = getattr(warnings, "_filters_mutated", None)  # CPython's; absent elsewhere
            if mutated is not None:
                mutated()
            self._quiet = None

    # -- hooks ----------------------------------------------------------------------------------
    # Every hook first returns when Dynamo is tracing: inlined into a compiled module's graph, the
    # bookkeeping below would reach modules Dynamo already tracks through another path (the
    # OptimizedModule on the stack, and its _orig_mod) and fail the compile, and the hook's side
    # effects do not belong in a graph anyway. They return too while torch.jit.trace records its
    # example call: the tracer's own ops would join the traced graph, and sizes read there are
    # tensors, which broke the run.
    def _pre_hook(self, module: nn.Module, args: tuple[Any, ...]) -> None:
        if _capturing():
            return
        calls = self._calls
        if not calls.stack:
            self.called = True
            # Stats are reused within one call of a model (and the backward after it), never
            # across calls: between them the learner's code may write numbers behind autograd's
            # back (p.data -= lr * p.grad, a NumPy array under from_numpy), where the version
            # a values_key holds does not change.
            self._reduced.clear()
            self._outputs.clear()
            calls.names = self._names_for_outer_call(module)
        name = calls.names.get(id(module)) or type(module).__name__
        # The learner's forward hooks on the module run after the global ones, and may replace
        # the output: then a hook of its own, run after theirs, records the output.
        final = self._final_output(module) if module._forward_hooks else None
        calls.stack.append((module, name, sys.exc_info()[1], final))

    def _names_for_outer_call(self, module: nn.Module) -> dict[int, str]:
        """The qualified names for a call that begins with no module running.

        A root's names are rebuilt at each of its calls: between two calls the learner's code may
        replace, add or swap layers (``model[2] = nn.Linear(...)``), and a cached map would name
        the new layers by their class, or swapped ones by each other's names (it costs one
        ``named_modules`` walk per model call). A module that is not a root itself but a known
        one's descendant, called in a backward, keeps its name from that root: activation
        checkpointing calls ``checkpoint(self.block, x)``'s block again there, with no module
        running.
        """
        key = id(module)
        entry = self._roots.get(key)
        if (entry is None or entry.root() is not module) and _in_backward():
            names = self._names_as_descendant(module)
            if names is not None:
                return names
        entry = _RootNames(module, functools.partial(self._forget_root, key))
        self._roots[key] = entry
        return entry.names

    def _names_as_descendant(self, module: nn.Module) -> dict[int, str] | None:
        """The names of the root ``module`` was in at that root's last call, if any: a live root,
        or one of the last freed ones (``Net()(x).sum().backward()`` frees its model before the
        backward recomputes its checkpointed block)."""
        key = id(module)
        for entry in [*self._roots.values(), *self._freed_roots]:  # copies: a root's death edits
            member = entry.members.get(key)
            if member is not None and member() is module:  # not a dead module's id, reused
                return entry.names
        return None

    def _forget_root(self, key: int, ref: weakref.ref[nn.Module]) -> None:
        """A root model was freed: its id may go to a new model. Its names stay among the last
        freed roots' for a while, for its modules still to be called (a checkpoint's recompute)."""
        entry = self._roots.get(key)
        if entry is not None and entry.root is ref:
            del self._roots[key]
            self._freed_roots.append(entry)

    def _final_output(self, module: nn.Module) -> _FinalOutput:
        """A forward hook put after ``module``'s own for this call, to record its final output."""
        final = _FinalOutput(self)
        # nn.Module's method: a subclass's register_forward_hook is the learner's code
        final.handle = nn.Module.register_forward_hook(module, final, always_call=True)
        self._finals.add(final)
        return final

    def _post_hook(self, module: nn.Module, args: tuple[Any, ...], output: Any) -> None:
        if _capturing():
            return
        calls = self._calls
        stack = calls.stack
        final: _FinalOutput | None = None
        if stack and stack[-1][0] is module:
            _, name, handling, final = stack.pop()
        else:  # deeper in the stack (calls above it ended without a post hook), or not on it
            name, handling = type(module).__name__, None
            for i in range(len(stack) - 2, -1, -1):
                if stack[i][0] is module:
                    _, name, handling, final = stack[i]
                    for entry in stack[i + 1 :]:  # calls that ended unseen: their hooks go
                        if entry[3] is not None:
                            entry[3].disarm()
                    del stack[i:]
                    break
        if final is not None:
            final.name = name  # it records this call's output, after the learner's hooks
            final.settled = sys.exc_info()[1] if output is None else handling
        if output is None:
            # None is the output when the forward raised, or what it returned. Then the
            # exception in sys.exc_info() is the one the learner's except block was handling
            # when the module was called, not a failure of the module.
            exc = sys.exc_info()[1]
            if exc is not None and exc is not handling and exc is not calls.unwinding:
                calls.unwinding = exc
                if len(self.failures) < MAX_FAILURES and not isinstance(exc, _CONTROL_FLOW_ERRORS):
                    with torch._C.DisableTorchFunctionSubclass():  # args may be subclasses
                        self._record_failure(module, name, args, exc)
            if not stack:
                calls.unwinding = None  # it left the model
                self._end_call()
            return
        calls.unwinding = None  # a module caught it and went on
        if final is None:
            self._output(module, name, output, args)

    def _output(
        self, module: nn.Module, name: str, output: Any, args: tuple[Any, ...] = ()
    ) -> None:
        """Record the output of the call of ``module`` (named ``name``) that just ended, which
        got the positional inputs ``args``."""
        if self._active:
            t = output if type(output) is torch.Tensor else first_tensor(output)
            # A fake tensor has no data: a compiler tracing the model made it (torch before 2.5
            # calls global hooks while it traces), and the real call comes after.
            if t is not None and (type(t) is torch.Tensor or not isinstance(t, FakeTensor)):
                typename = type(module).__name__
                if _plain(t):
                    self._forward(name, typename, t, args)
                else:
                    with own_ops(t):
                        self._forward(name, typename, t, args)
        if not self._calls.stack:
            self._end_call()

    def _end_call(self) -> None:
        """A model's call has ended: forget its tensors' values keys. Their weak references
        go with them, before the learner's code goes on: ``torch.utils.swap_tensors`` (which
        ``Module.to`` uses where swapping on conversion is on) refuses a tensor that has one."""
        if self._reduced:
            self._reduced.clear()
            self._outputs.clear()

    def _forward(
        self, name: str, typename: str, t: torch.Tensor, args: tuple[Any, ...] = ()
    ) -> None:
        """Record module ``name``'s output ``t`` (of inputs ``args``), and watch for its
        gradient."""
        index = self._record("forward", name, typename, t)
        if index is None:
            return
        if self.stats and args:
            self._note_inputs(index, t, args)
            if typename in _RELU_TYPES:
                self._note_relu_input(index, t, args[0])
        if t.requires_grad and torch.is_grad_enabled():
            self._watch_grad(t, name, typename)

    def _note_inputs(self, index: int, t: torch.Tensor, args: tuple[Any, ...]) -> None:
        """Note whether the tensor inputs of event ``index``'s call (``args``, positional only)
        held a NaN or an Inf, so that a NaN the data brought is not blamed on the first layer it
        passed through (:meth:`_warnings`). Only a forward event with a NaN or an Inf needs it.

        On the host the output's stats are known already: only the first output with a NaN (and
        the first with an Inf) has its inputs read, at once. Elsewhere nothing is read before
        :meth:`finish` syncs: an input whose numbers an earlier event of this call recorded (a
        layer's output, the next layer's input) is linked to that event, any other one gets a
        min and a max on its device (one op, NaN and Inf show in them), moved with the stats.
        An input that is the output itself (an in-place module) is left out: what it held before
        the forward is gone."""
        if t.device.type in self.host_device_types:
            stats = self._host.get(self._same.get(index, index))
            if stats is None:
                return
            nan, inf = stats[6] == 1.0, stats[7] == 1.0
            if (nan and not self._host_checked[0]) or (inf and not self._host_checked[1]):
                self._host_checked = (self._host_checked[0] or nan, self._host_checked[1] or inf)
                self._input_host[index] = _host_nonfinite(
                    [a for a in args if _checkable(a, t) and a.device.type == t.device.type]
                )
            return
        links: list[int] = []
        for a in args:
            if a is t:
                continue
            recorded = self._outputs.get(id(a))
            # most inputs: a cheap look-up; unless changed in place since (`h.log_()` between
            # layers), when its numbers are no longer those the earlier event recorded
            if recorded is not None and recorded[0]() is a and recorded[2] == a._version:
                links.append(recorded[1])
                continue
            if type(a) is not torch.Tensor or not _checkable(a, t) or a.device != t.device:
                continue  # a subclass's ops would run the learner's __torch_dispatch__ in finish
            try:
                with own_ops(a):
                    key = values_key(a)
                    earlier = self._reduced.get(key) if key is not None else None
                    if earlier is not None and earlier[0]() is not None:
                        links.append(earlier[1])
                    elif a.numel():
                        self._input_flags.append((index, torch.aminmax(a.detach())))
            except Exception:
                continue  # a tensor the tracer cannot read: the warning keeps its old words
        if links:
            self._input_links[index] = links

    def _note_relu_input(self, index: int, t: torch.Tensor, x: Any) -> None:
        """Note that ``x``, the input of ReLU event ``index`` (its output ``t``), is a traced
        module's output: a zero gradient there is then put down to the ReLU where all its
        outputs were zero (:meth:`_warnings`). Paired by the tensor, not by the order of the
        events: branching code (``h = fc1(x); g = gate(x); fc2(relu(h)) * g``) calls other
        modules in between. An in-place ReLU's input is its output, and the op left the
        output's hooks with the value before it: it is not paired."""
        if type(x) is not torch.Tensor or x is t or not x._backward_hooks:
            return
        returned = self._shared_hook(x)
        if returned is not None:
            self._relu_inputs[id(returned)] = (returned, index)

    def _watch_grad(self, t: torch.Tensor, name: str, typename: str) -> None:
        """Record the gradient with respect to ``t``, module ``name``'s output, in the backward.

        A tensor returned by several modules (a container returning its last layer's output)
        gets one tracer hook, which records them all in reverse (:class:`_GradHook`): the
        module joins the hook ``t`` has where that hook is the last one on it. After a learner's
        hook, which may change the gradient the hooks after it get, it gets its own.

        A leaf output (a module returning its parameter, as a learned positional embedding does)
        keeps its hooks after a backward, unlike a graph's tensors, whose hooks go with the
        graph. So a leaf has one tracer hook per module that returned it: the module's next call
        replaces it (else every call, evaluations no backward followed included, would add one
        more backward event to each later backward), and :meth:`finish` removes it. Until then
        it fires in every backward the leaf takes part in, as a graph output's does in each
        backward through a retained graph. A leaf has one gradient per backward however often
        it was returned, so it gets one event per module that returned it.
        """
        module = (name, typename)
        leaf = t.is_leaf
        if leaf:
            earlier = self._leaf_hooks.pop((id(t), name), None)
            if earlier is not None:  # its tensor may be gone (and the id reused): no matter
                with contextlib.suppress(ValueError):
                    earlier.remove(module)
                if not earlier:
                    earlier.handle.remove()
        try:
            # the tensor's hooks: None where it has none, as most modules' outputs
            returned = self._shared_hook(t) if t._backward_hooks else None
            if returned is not None:
                returned.append(module)
            else:
                returned = _Returned((module,))
                # torch.Tensor's own method: a subclass's register_hook is the learner's code,
                # and one that refuses hooks must not fail a run because it is traced.
                returned.handle = torch.Tensor.register_hook(t, _GradHook(self._gradient, returned))
        except Exception:
            return
        if leaf:
            self._leaf_hooks[id(t), name] = returned

    def _shared_hook(self, t: torch.Tensor) -> _Returned | None:
        """The modules of this tracer's hook on ``t``, where it is the last hook ``t`` has: an
        earlier module returned the same tensor. Hooks registered before an in-place op stay with
        the value before it (``t`` has none of them after it), as that module's gradient does."""
        hooks = t._backward_hooks
        if not isinstance(hooks, dict) or not hooks:
            return None
        last = next(reversed(hooks.values()))
        if type(last) is _GradHook and getattr(last.func, "__self__", None) is self:
            returned: _Returned = last.args[0]
            return returned
        return None

    def _gradient(self, modules: Sequence[tuple[str, str]], grad: torch.Tensor | None) -> None:
        """A tensor's hook: record the gradient with respect to it for each module that returned
        it (``modules``, in the order they did), in reverse: the outermost first."""
        if not self._active or grad is None or _capturing():  # compiled autograd
            return
        if _plain(grad):
            self._record_gradient(modules, grad)
        else:
            with own_ops(grad):
                self._record_gradient(modules, grad)
        if self._reduced and not self._end_queued:
            # the gradients' values keys go when the backward ends, as the outputs' do when the
            # call ends (:meth:`_end_call`): a learner's hook may keep a gradient to swap
            with contextlib.suppress(RuntimeError):  # no backward running: autograd.grad's hooks
                _autograd_engine.queue_callback(self._end_backward)
                self._end_queued = True

    def _record_gradient(self, modules: Sequence[tuple[str, str]], grad: torch.Tensor) -> None:
        """Record ``grad`` for each of ``modules``, outermost first; noting the ReLU it was the
        input of (:meth:`_note_relu_input`, none in shapes-only mode)."""
        relu = self._relu_inputs.get(id(modules)) if self._relu_inputs else None
        for name, typename in reversed(modules):
            index = self._record("backward", name, typename, grad)
            if relu is not None and index is not None:
                self._behind_relu[index] = relu[1]

    def _end_backward(self) -> None:
        """The backward has ended: forget its gradients' values keys (and weak references)."""
        self._end_queued = False
        self._end_call()

    def _record(self, phase: str, name: str, typename: str, t: torch.Tensor) -> int | None:
        """Record event ``phase`` of module ``name`` for ``t``: its index, ``None`` past the cap."""
        # What the event says of t, read now and put in words by finish: a hook runs between the
        # model's ops, where every line costs more than in one loop at the end.
        event = (
            phase,
            name,
            typename,
            t.shape if not t.is_nested else tensor_shape(t),
            t.dtype,
            t.device,
        )
        # Models called from several threads record at once: the cap is checked and the event's
        # index taken in one step, so the cap holds and the stats reach their own event.
        with self._lock:
            index = len(self._events)
            if index >= self.max_events:
                self.truncated = True
                return None
            self._events.append(event)
        if self.stats and has_stats(t):
            self._reduce(index, t)
        return index

    def _reduce(self, index: int, t: torch.Tensor) -> None:
        """Queue (or, on the CPU, compute) the stats of event ``index``, once per set of values."""
        try:
            if t.numel() and not t.untyped_storage().nbytes():
                return  # its memory was freed (storage resized to 0, as FSDP does): reading crashes
            key = values_key(t)
            earlier = self._reduced.get(key) if key is not None else None
            if earlier is not None and earlier[0]() is not None:
                self._same[index] = earlier[1]
                return
            # every op below works on a detached view (_float_vector), or reads memory as it is
            host = t.device.type in self.host_device_types
            if host:
                self._host[index] = host_stats(t, native=self.native)
            else:
                self._defer(index, t)
            if key is not None:
                ref = weakref.ref(t)
                self._reduced[key] = (ref, index)
                if not host:  # for _note_inputs: the next layer's input is this very tensor
                    self._outputs[id(t)] = (ref, index, t._version)
        except Exception as exc:
            # A tensor the reductions cannot read (a __torch_dispatch__ subclass, a fake tensor):
            # the event goes without stats, because tracing must never break a run. One whose
            # copy found no memory is named in a warning: its stats are missing for a reason the
            # learner can act on (and a huge tensor is worth knowing about).
            if is_oom(exc):  # the run's own test for an allocation that failed
                self._no_stats[index] = t.numel()

    def _defer(self, index: int, t: torch.Tensor) -> None:
        """Keep event ``index``'s numbers as they are now for :meth:`finish` to reduce with the
        others (one op here); for a tensor of more than :attr:`deferred_numel` numbers, or where
        the copy would take the run past :attr:`deferred_bytes`, queue :func:`stat_vector`'s sums
        instead. So does a subclass's copy (a ``__torch_dispatch__`` wrapper): finish, outside
        :func:`own_ops`, would run its code. An integer tensor queues :func:`integer_vector`'s."""
        if t.dtype in _INTEGER_DTYPES:
            self._pending.append((index, t.numel(), integer_vector(t)))
            return
        x = _float_vector(t)
        size = x.numel() * x.element_size()
        with self._lock:  # hooks of several threads
            fits = (
                type(x) is torch.Tensor
                and x.numel() <= self.deferred_numel
                and self._deferred_total + size <= self.deferred_bytes
            )
            if fits:
                self._deferred_total += size
        if not fits:
            self._pending.append((index, t.numel(), stat_vector(x)))
            return
        if x.untyped_storage().data_ptr() == t.untyped_storage().data_ptr():
            # a view of t: an in-place op (a ReLU after a BatchNorm, an optimizer step) would
            # change the numbers before finish reads them
            x = x.clone()
        self._deferred.append((index, t.numel(), x))

    def _hook_failed(
        self, module: nn.Module, name: str, args: tuple[Any, ...], exc: BaseException
    ) -> None:
        """A learner's forward hook on ``module`` (named ``name``) raised ``exc`` after its forward
        returned: the module failed, and the modules ``exc`` passes up through did not."""
        calls = self._calls
        if exc is calls.unwinding:
            return
        if calls.stack:  # else no outer module is left to pass it up through
            calls.unwinding = exc
        if len(self.failures) < MAX_FAILURES and not isinstance(exc, _CONTROL_FLOW_ERRORS):
            with torch._C.DisableTorchFunctionSubclass():  # args may be subclasses
                self._record_failure(module, name, args, exc)

    def _record_failure(
        self, module: nn.Module, name: str, args: tuple[Any, ...], exc: BaseException
    ) -> None:
        inputs = (*args, *_keyword_inputs(module).values())
        shapes: list[list[Any]] = []
        for a in inputs:
            if isinstance(a, torch.Tensor):
                # tensor_shape, not .shape: a jagged nested tensor's holds a SymInt (the run's
                # JSON cannot hold it), a strided one's raises; a nested tensor's shape is its
                # components' shapes
                with contextlib.suppress(Exception):  # raising here would lose the warning
                    shapes.append(tensor_shape(a))
        failure = {
            "module": name,
            "type": type(module).__name__,
            "input_shapes": shapes,
            "error": f"{type(exc).__name__}: {_words_of(exc)}",
        }
        # Failures of several threads' models record at once, and a KeyboardInterrupt may land
        # anywhere: the failure goes in with its mark, one tuple in one append, or not at all.
        self.failures.append((failure, ExceptionMark(exc)))

    # -- results ---------------------------------------------------------------------------------
    def finish(
        self, run_error: BaseException | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
        """Stop recording, sync the stats once, and return ``(events, warnings, truncated)``.

        ``run_error``: the exception the traced code ended with, uncaught; a ``forward_error``
        warning about that very exception says so (``params["is_run_error"]``), as the run's
        error says its message already."""
        self._active = False
        self.remove()
        self._calls = ModuleCalls()  # drops every thread's (the exceptions hold frames)
        for final in list(self._finals):  # calls the trace saw begin and not end
            final.disarm()
        for returned in self._leaf_hooks.values():
            returned.handle.remove()  # a no-op for a hook removed already, or shared
        self._leaf_hooks.clear()
        self._relu_inputs.clear()
        self._roots.clear()
        self._freed_roots.clear()
        stats = self._collect_stats()
        input_flags = self._collect_input_flags()
        no_stats = event_stats(None)
        same = self._same
        events = []
        for i, (phase, name, typename, shape, dtype, device) in enumerate(self._events):
            values = stats.get(same.get(i, i)) if stats else None  # shapes-only mode has none
            events.append(
                {
                    "phase": phase,
                    "module": name,
                    "type": typename,
                    "shape": list(shape),
                    "dtype": _name_of(dtype),
                    "device": _name_of(device),
                    **(no_stats if values is None else event_stats(values)),
                }
            )
        self._inputs_nonfinite = self._nonfinite_inputs(events, input_flags)
        return events, self._warnings(events, run_error), self.truncated

    def _collect_input_flags(self) -> dict[int, tuple[bool, bool]]:
        """The device inputs' (min, max) pairs :meth:`_note_inputs` kept, read in one transfer
        per (device, dtype) with the stats' (the stats' transfer synced already): whether each
        event's unlinked inputs held a NaN, an Inf. max and min are NaN where a NaN is."""
        groups: dict[tuple[torch.device, torch.dtype], list[tuple[int, torch.Tensor]]] = {}
        for index, (low, high) in self._input_flags:
            group = groups.setdefault((low.device, low.dtype), [])
            group += [(index, low), (index, high)]
        self._input_flags = []
        flags: dict[int, tuple[bool, bool]] = {}
        for group in groups.values():
            values = torch.stack([v for _, v in group]).to("cpu", torch.float64).tolist()
            for (index, _), v in zip(group, values, strict=True):
                nan, inf = flags.get(index, (False, False))
                flags[index] = (nan or math.isnan(v), inf or math.isinf(v))
        return flags

    def _nonfinite_inputs(
        self, events: list[dict[str, Any]], flags: dict[int, tuple[bool, bool]]
    ) -> dict[int, tuple[bool, bool]]:
        """Forward event index -> whether its call's inputs held a NaN, an Inf (from the host's
        reads, the device's flags, and the events the inputs were linked to)."""
        found = dict(self._input_host)
        for index, (nan, inf) in flags.items():
            was = found.get(index, (False, False))
            found[index] = (was[0] or nan, was[1] or inf)
        for index, links in self._input_links.items():
            nan = any(events[i]["has_nan"] for i in links)
            inf = any(events[i]["has_inf"] for i in links)
            was = found.get(index, (False, False))
            found[index] = (was[0] or nan, was[1] or inf)
        self._input_host, self._input_links = {}, {}
        return found

    def _collect_stats(self) -> dict[int, list[float]]:
        """Every event's stats: CPU ones as computed, the others reduced (the kept copies, by
        :func:`stat_rows`) and moved to the host in one transfer per (device, dtype)."""
        # (device, dtype) -> (kept copies, stat_vector rows)
        groups: dict[tuple[torch.device, torch.dtype], tuple[list[_Queued], list[_Queued]]] = {}
        for kind, items in enumerate((self._deferred, self._pending)):
            for item in items:
                groups.setdefault((item[2].device, item[2].dtype), ([], []))[kind].append(item)
        self._deferred, self._pending, self._deferred_total = [], [], 0
        out, self._host = self._host, {}
        for (_, dtype), (copies, raws) in groups.items():
            blocks = [_rows_of([copy for _, _, copy in copies])] if copies else []
            if raws:
                blocks.append(torch.stack([raw for _, _, raw in raws]))
            # integer_vector's rows stay int64: their sums are exact
            exact = dtype is torch.int64
            derive = derive_integer_stats if exact else derive_stats
            rows = torch.cat(blocks).to("cpu", None if exact else torch.float64).tolist()
            for (index, n, _), row in zip([*copies, *raws], rows, strict=True):
                out[index] = derive(row, n)
        self._reduced.clear()
        self._outputs.clear()
        return out

    def _warnings(
        self, events: list[dict[str, Any]], run_error: BaseException | None = None
    ) -> list[dict[str, Any]]:
        """What looks wrong in ``events``: ``kind``, ``module``, ``phase``, an English
        ``message``, and ``params``, everything the message says besides the module and phase
        (the module's ``type``, the numbers), from which a UI words it in its own language.
        ``run_error``: see :meth:`finish`."""
        warnings: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()

        def warn(
            kind: str, event: dict[str, Any], message: str, once_per_module: bool, **params: Any
        ) -> None:
            key = (kind, event["module"] if once_per_module else "")
            if key in seen:
                return
            seen.add(key)
            warnings.append(
                {
                    "kind": kind,
                    "module": event["module"],
                    "phase": event["phase"],
                    "message": message,
                    "params": {"type": event["type"], **_name_params(event["module"]), **params},
                }
            )

        def where(e: dict[str, Any]) -> str:
            # A model called directly is named by its type: "Linear", not "Linear (Linear)".
            if e["module"] == e["type"]:
                return e["type"]
            name = shown_name(e["module"])
            return f"{'layer ' if named_by_index(e['module']) else ''}{name} ({e['type']})"

        def vanishing(e: dict[str, Any]) -> None:
            warn(
                "vanishing_grad",
                e,
                f"gradient norm {e['norm']:.3g} at the output of {where(e)}: vanishing gradients",
                False,
                norm=e["norm"],
            )

        # this backward pass has had a zero gradient warned of: the zero gradients further back
        # in it are mostly the same ones, passed on, unless a dead ReLU is known to make them
        blocked = False
        # this backward pass has had a gradient shrink to vanishing, or below its dtype's normal
        # numbers (float16 underflows long before the vanishing bound): a zero further back with
        # no dead ReLU paired to it is that gradient underflowed, the vanishing continued.
        # Below the normal numbers counts only where the pass shrank to it: a hundredth of its
        # first gradient or less (a mean over many numbers, a cross-entropy over 10000 classes
        # say, starts a float16 pass below them, and a zero after that is no underflow).
        # blocked and shrinking are per backward pass, in the order of its events, not per path
        # (the trace does not know which branch a gradient came back by): a zero in one branch
        # (its output times 0) after a tiny gradient in another is taken for that vanishing
        shrinking = False
        first_rms: float | None = None  # the rms of this backward pass's first gradient
        blamed: set[int] = set()  # the dead ReLUs (forward events) a zero gradient is put down to

        # each of these warnings reads an event's stats: shapes-only mode's events have none
        for i, e in enumerate(events if self.stats else ()):
            if i in self._no_stats:
                numel = self._no_stats[i]
                warn(
                    "no_stats",
                    e,
                    f"no stats for the {e['phase']} of {where(e)}: its {numel:,} numbers are too "
                    "many to reduce in the memory left",
                    True,
                    numel=numel,
                )
            for flag, value, kinds in _NONFINITE_WARNINGS:
                if not e[flag] or (value, "") in seen:
                    continue
                # one warning for the first NaN (Inf) event, worded for what is known of it
                seen.add((value, ""))
                if e["phase"] == "backward":
                    # the gradient at the module's output: the modules after it (or the loss)
                    # made it, this module's own backward has not run yet
                    kind = kinds[1]
                    message = f"{value} first appeared in the gradient at the output of {where(e)}"
                elif self._inputs_nonfinite.get(i, (False, False))[flag == "has_inf"]:
                    kind = kinds[2]
                    message = f"{value} was already in the input of {where(e)}"
                else:
                    kind = kinds[0]
                    message = f"{value} first appeared in the forward of {where(e)}"
                warn(kind, e, message, False)
            if (
                e["phase"] == "forward"
                and e["type"] in _RELU_TYPES
                and e["zero_frac"] is not None
                and e["zero_frac"] >= self.dead_relu_frac
            ):
                warn(
                    "dead_relu",
                    e,
                    f"{e['zero_frac']:.0%} of the outputs of {where(e)} are zero: dead ReLU units "
                    "pass no gradient",
                    True,
                    zero_frac=e["zero_frac"],
                )
            if e["phase"] == "forward":
                blocked = shrinking = False  # a new forward: the next backward is a new pass
                first_rms = None
            rms = _rms(e) if e["phase"] == "backward" else None
            if rms is not None:
                if first_rms is None:
                    first_rms = rms
                if rms == 0:
                    # none at all came back. Nothing flows back through a ReLU whose outputs are
                    # all zero: said at the module whose output was the ReLU's input, where the
                    # trace knows it (_note_relu_input); else, after a gradient shrinking with
                    # depth, it underflowed (vanishing); else it is not vanishing, something
                    # after the module passed none back
                    relu = self._behind_relu.get(i)
                    if relu is not None and relu not in blamed and events[relu]["zero_frac"] == 1:
                        blamed.add(relu)
                        warn(
                            "dead_relu_grad",
                            e,
                            f"no gradient reaches the output of {where(e)}: the dead ReLU after "
                            "it passes none back",
                            True,
                        )
                    elif shrinking:
                        vanishing(e)  # once: said already where the gradient was tiny, if it was
                    elif not blocked:
                        warn(
                            "no_gradient",
                            e,
                            f"no gradient reaches the output of {where(e)} (its gradient is all "
                            "zeros): something after it passes none back, such as a dead ReLU or "
                            "a multiplication by zero",
                            True,
                        )
                    blocked = True
                elif rms > self.exploding_rms:
                    warn(
                        "exploding_grad",
                        e,
                        f"gradient norm {e['norm']:.3g} at the output of {where(e)}: "
                        "exploding gradients",
                        False,
                        norm=e["norm"],
                    )
                elif rms < self.vanishing_rms:
                    vanishing(e)
                if 0 < rms < self.vanishing_rms or (
                    0 < rms < _smallest_normal(e["dtype"]) and rms <= first_rms / 100
                ):
                    shrinking = True
        for f, mark in self.failures:
            shapes = ", ".join(str(tuple(s)) for s in f["input_shapes"]) or "no tensor inputs"
            warnings.append(
                {
                    "kind": "forward_error",
                    "module": f["module"],
                    "phase": "forward",
                    "message": f"{where(f)} failed on input {shapes}: {f['error']}",
                    "params": {
                        "type": f["type"],
                        **_name_params(f["module"]),
                        "input_shapes": f["input_shapes"],
                        "error": f["error"],
                        "is_run_error": mark.marks(run_error),
                    },
                }
            )
        if not events and not self.failures and not self.called:
            # Functions (F.relu, tensor ops) are no modules: a learner tracing only them is told
            # why the trace is empty. (Modules that ran but returned no tensor, None say, were
            # called: the warning would be false.)
            warnings.append(
                {
                    "kind": "no_modules",
                    "module": "",
                    "phase": "",
                    "message": "no nn.Module was called, so there is nothing to trace: the trace "
                    "records module calls (functions like F.relu and tensor ops are no modules)",
                    "params": {},
                }
            )
        if self.truncated:
            warnings.append(
                {
                    "kind": "truncated",
                    "module": "",
                    "phase": "",
                    "message": f"the trace stopped after {self.max_events} events",
                    "params": {"max_events": self.max_events},
                }
            )
        return warnings
