"""``HookTracer``: records what flows through every ``nn.Module`` a snippet calls, without changes to
the learner's code.

How it works
------------
* Global module hooks (``register_module_forward_pre_hook`` / ``register_module_forward_hook`` with
  ``always_call=True``) see every module call. A call stack gives qualified names: the outermost
  module called (the *root*) is named by its class name (``Sequential``, ``Net``); modules inside it
  by their qualified name from that root (``0``, ``encoder.0.conv``); a module called inside a root
  but not registered under it by its class name.
* Each call records one **forward** event for its output. For tuple/nested outputs (LSTM,
  MultiheadAttention) the *first tensor* found depth-first is recorded (the LSTM's output sequence,
  MHA's attention output).
* **Backward** events come from a tensor hook on that same output (not full backward hooks, which
  break on in-place modules). They describe the gradient with respect to the module's output, in the
  order autograd computes them (reverse of the forward order). A hook registered before an in-place
  op (``ReLU(inplace=True)``) receives the gradient w.r.t. the value before the in-place change,
  which is exactly that module's output.
* Stats stay on the tensor's device: each hook stacks them into a small tensor without ``.item()``
  or ``.cpu()``; :meth:`finish` converts them all at once (one device sync per run). Shapes-only mode
  (``stats=False``) does no tensor work at all. ``std`` is the sample std (like ``Tensor.std()``);
  stats that are not finite are reported as ``None`` (see ``has_nan`` / ``has_inf``).
* A forward that raises keeps the events up to the failing layer and adds a ``forward_error``
  warning naming the innermost module that raised and the shapes of its tensor inputs.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import torch
from torch import nn
from torch.nn.modules import module as _module

STAT_FIELDS = ("mean", "std", "min", "max", "norm", "zero_frac", "has_nan", "has_inf")
_NAN = float("nan")
_RELU_TYPES = frozenset({"ReLU", "ReLU6"})


def first_tensor(value: Any, _depth: int = 0) -> torch.Tensor | None:
    """The first tensor in a (possibly nested) output, depth-first; ``None`` if there is none."""
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
    return None


def stat_vector(t: torch.Tensor) -> torch.Tensor:
    """mean, std, min, max, L2 norm, zero fraction, has_nan, has_inf as one tensor on t's device.

    Four passes over the data (var_mean, aminmax, count_nonzero, isinf) and no host sync.
    """
    x = t.detach()
    if x.is_complex():
        x = x.abs()
    if x.dtype not in (torch.float32, torch.float64):
        x = x.float()
    n = x.numel()
    if n == 0:
        return torch.full((8,), _NAN, dtype=x.dtype, device=x.device)
    x = x.reshape(-1)
    var, mean = torch.var_mean(x, correction=1 if n > 1 else 0)
    mn, mx = torch.aminmax(x)
    # sum of squares from var and mean: both terms are >= 0, so no cancellation
    norm = torch.sqrt(var * max(n - 1, 0) + mean * mean * n) if n > 1 else mean.abs()
    zero_frac = 1.0 - torch.count_nonzero(x).to(x.dtype) / n
    has_nan = torch.isnan(mn)  # min/max propagate NaN
    has_inf = torch.isinf(x).any()
    return torch.stack(
        [mean, var.sqrt(), mn, mx, norm, zero_frac, has_nan.to(x.dtype), has_inf.to(x.dtype)]
    )


class HookTracer:
    """Context manager recording forward/backward events of every module call inside it.

    >>> with HookTracer() as tracer:
    ...     loss = model(x).sum(); loss.backward()
    >>> events, warnings, truncated = tracer.finish()
    """

    dead_relu_frac = 0.99
    exploding_norm = 1e3
    vanishing_norm = 1e-7

    def __init__(self, *, stats: bool = True, max_events: int = 2000) -> None:
        self.stats = stats
        self.max_events = max_events
        self.truncated = False
        self.failure: dict[str, Any] | None = None
        self._events: list[dict[str, Any]] = []
        self._pending: list[tuple[int, torch.Tensor]] = []
        self._stack: list[tuple[nn.Module, str]] = []
        self._roots: dict[int, tuple[nn.Module, dict[int, str]]] = {}
        self._names: dict[int, str] = {}
        self._handles: list[Any] = []
        self._active = False

    # -- installation -------------------------------------------------------------------------
    def __enter__(self) -> HookTracer:
        self._active = True
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

    # -- hooks ----------------------------------------------------------------------------------
    def _pre_hook(self, module: nn.Module, args: tuple[Any, ...]) -> None:
        if not self._stack:
            entry = self._roots.get(id(module))
            if entry is None:
                names = {id(m): n for n, m in module.named_modules() if n}
                self._roots[id(module)] = entry = (module, names)
            self._names = entry[1]
            name = type(module).__name__
        else:
            name = self._names.get(id(module)) or type(module).__name__
        self._stack.append((module, name))

    def _post_hook(self, module: nn.Module, args: tuple[Any, ...], output: Any) -> None:
        name = type(module).__name__
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] is module:
                name = self._stack[i][1]
                del self._stack[i:]
                break
        if output is None:
            exc = sys.exc_info()[1]
            if exc is not None and self.failure is None:
                self._record_failure(module, name, args, exc)
            return
        if not self._active:
            return
        t = first_tensor(output)
        if t is None:
            return
        typename = type(module).__name__
        if not self._record("forward", name, typename, t):
            return
        if t.requires_grad and torch.is_grad_enabled():
            t.register_hook(self._grad_hook(name, typename))

    def _grad_hook(self, name: str, typename: str):
        def hook(grad: torch.Tensor) -> None:
            if self._active and grad is not None:
                self._record("backward", name, typename, grad)

        return hook

    def _record(self, phase: str, name: str, typename: str, t: torch.Tensor) -> bool:
        if len(self._events) >= self.max_events:
            self.truncated = True
            return False
        event: dict[str, Any] = {
            "phase": phase,
            "module": name,
            "type": typename,
            "shape": list(t.shape),
            "dtype": str(t.dtype).removeprefix("torch."),
            "device": str(t.device),
        }
        if self.stats:
            with torch.no_grad():
                self._pending.append((len(self._events), stat_vector(t)))
        self._events.append(event)
        return True

    def _record_failure(
        self, module: nn.Module, name: str, args: tuple[Any, ...], exc: BaseException
    ) -> None:
        shapes = [list(a.shape) for a in args if isinstance(a, torch.Tensor)]
        self.failure = {
            "module": name,
            "type": type(module).__name__,
            "input_shapes": shapes,
            "error": f"{type(exc).__name__}: {exc}",
        }

    # -- results ---------------------------------------------------------------------------------
    def finish(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
        """Stop recording, sync the stats once, and return ``(events, warnings, truncated)``."""
        self._active = False
        self.remove()
        self._stack.clear()
        self._roots.clear()
        stats = self._collect_stats()
        events = []
        for i, meta in enumerate(self._events):
            values = stats.get(i)
            event = dict(meta)
            for j, key in enumerate(STAT_FIELDS):
                if values is None:
                    event[key] = None
                elif key in ("has_nan", "has_inf"):
                    event[key] = bool(values[j])
                else:
                    event[key] = values[j] if math.isfinite(values[j]) else None
            events.append(event)
        return events, self._warnings(events), self.truncated

    def _collect_stats(self) -> dict[int, list[float]]:
        groups: dict[tuple[torch.device, torch.dtype], list[tuple[int, torch.Tensor]]] = {}
        for index, vec in self._pending:
            groups.setdefault((vec.device, vec.dtype), []).append((index, vec))
        out: dict[int, list[float]] = {}
        for items in groups.values():
            rows = torch.stack([v for _, v in items]).to("cpu", torch.float64).tolist()
            for (index, _), row in zip(items, rows, strict=True):
                out[index] = row
        self._pending.clear()
        return out

    def _warnings(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        warnings: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()

        def warn(kind: str, event: dict[str, Any], message: str, once_per_module: bool) -> None:
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
                }
            )

        for e in events:
            where = f"{e['module']} ({e['type']})"
            if e["has_nan"]:
                warn("nan", e, f"NaN first appeared in the {e['phase']} of {where}", False)
            if e["has_inf"]:
                warn("inf", e, f"Inf first appeared in the {e['phase']} of {where}", False)
            if (
                e["phase"] == "forward"
                and e["type"] in _RELU_TYPES
                and e["zero_frac"] is not None
                and e["zero_frac"] >= self.dead_relu_frac
            ):
                warn(
                    "dead_relu",
                    e,
                    f"{e['zero_frac']:.0%} of the outputs of {where} are zero: dead ReLU units "
                    "pass no gradient",
                    True,
                )
            if e["phase"] == "backward" and e["norm"] is not None:
                if e["norm"] > self.exploding_norm:
                    warn(
                        "exploding_grad",
                        e,
                        f"gradient norm {e['norm']:.3g} at the output of {where}: "
                        "exploding gradients",
                        False,
                    )
                elif e["norm"] < self.vanishing_norm:
                    warn(
                        "vanishing_grad",
                        e,
                        f"gradient norm {e['norm']:.3g} at the output of {where}: "
                        "vanishing gradients",
                        False,
                    )
        if self.failure is not None:
            f = self.failure
            shapes = ", ".join(str(tuple(s)) for s in f["input_shapes"]) or "no tensor inputs"
            warnings.append(
                {
                    "kind": "forward_error",
                    "module": f["module"],
                    "phase": "forward",
                    "message": f"{f['module']} ({f['type']}) failed on input {shapes}: {f['error']}",
                }
            )
        if self.truncated:
            warnings.append(
                {
                    "kind": "truncated",
                    "module": "",
                    "phase": "",
                    "message": f"the trace stopped after {self.max_events} events",
                }
            )
        return warnings
