"""Hook tracer overhead: one forward+backward step traced vs untraced, beside naive monitors.

Run: python bench/bench_tracer.py [--steps N] [--warmup N] [--threads 1,2] [--devices cpu,cuda]
     python bench/bench_tracer.py --count-calls [N]: instead of timing, the Python and C calls a
     CPU step makes untraced and traced (deterministic where wall-clock timing is noisy), and the
     N functions the shapes-only tracer adds the most calls of.
The tracer runs in this process, attached the way sandbox/runner.py attaches it (enter, step,
finish: one tracer per run, finish syncs the stats once). Every variant is timed on the same model
and batch, interleaved, median of ``--steps`` steps. Goals on CPU: stats <= 1.3x, shapes-only
<= 1.05x. Two naive monitors (forward and full backward hooks on every module, stats with
.cpu()/.item()) are there for scale: one with four stats, one with every field an event has. On
CUDA the same figures, plus a check that tracing never syncs.
"""

from __future__ import annotations

import argparse
import collections
import copy
import os
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import torch
import torch.nn.functional as F
from _timing import interleaved, median, print_table
from torch import nn

from sandbox import tensor_scan
from sandbox.limits import Limits
from sandbox.tracer import HookTracer

Step = Callable[[], object]

GOALS = {"stats": 1.3, "shapes": 1.05}


class TinyEncoder(nn.Module):
    """nn.TransformerEncoder (2 layers, d_model 64, 4 heads) with a mean-pooled linear head."""

    def __init__(self, d_model: int = 64, heads: int = 4, layers: int = 2, classes: int = 10):
        super().__init__()
        layer = nn.TransformerEncoderLayer(
            d_model, heads, dim_feedforward=4 * d_model, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(x).mean(1))


def small_cnn(classes: int = 10) -> nn.Module:
    """conv-bn-relu x2 and a linear head, for 3x32x32 images."""
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(16 * 32 * 32, classes),
    )


def workloads(device: torch.device) -> dict[str, tuple[nn.Module, torch.Tensor, torch.Tensor]]:
    """name -> (model, input batch, targets), all on ``device``."""
    torch.manual_seed(0)
    cnn = small_cnn().to(device)
    images = torch.randn(32, 3, 32, 32, device=device)
    encoder = TinyEncoder().to(device)
    tokens = torch.randn(16, 32, 64, device=device)
    return {
        "cnn (batch 32, 3x32x32)": (cnn, images, torch.randint(0, 10, (32,), device=device)),
        "transformer (2x64d, 4 heads, seq 32, batch 16)": (
            encoder,
            tokens,
            torch.randint(0, 10, (16,), device=device),
        ),
    }


def train_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> Step:
    def step() -> None:
        model.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()

    return step


def traced(step: Step, stats: bool, max_events: int, native: bool = True) -> Step:
    """The step inside a HookTracer, attached and finished as the runner does for one run."""

    def run() -> None:
        tracer = HookTracer(stats=stats, max_events=max_events, native=native)
        tracer.__enter__()
        try:
            step()
        finally:
            tracer.finish()

    return run


def four_stats(t: torch.Tensor) -> dict[str, float | bool]:
    """mean, std, min and max, one ``.item()`` each: the smallest monitor people write."""
    x = t.detach().float().cpu()
    return {
        "mean": x.mean().item(),
        "std": x.std().item(),
        "min": x.min().item(),
        "max": x.max().item(),
    }


def all_fields(t: torch.Tensor) -> dict[str, float | bool]:
    """The fields of a tracer event, the way seed 000's HookMonitor gets them: NaN/Inf flags, then
    mean, std, min, max, L2 norm and zero fraction of the finite values, one ``.item()`` each."""
    x = t.detach().float().cpu().reshape(-1)
    stats: dict[str, float | bool] = {
        "has_nan": bool(torch.isnan(x).any().item()),
        "has_inf": bool(torch.isinf(x).any().item()),
    }
    finite = x[torch.isfinite(x)]
    if finite.numel():
        stats.update(
            mean=finite.mean().item(),
            std=finite.std().item(),
            min=finite.min().item(),
            max=finite.max().item(),
            norm=torch.linalg.vector_norm(finite).item(),
            zero_frac=(finite == 0).float().mean().item(),
        )
    return stats


class NaiveMonitor:
    """A typical hand-written "HookMonitor": ``describe`` (a function computing stats with
    ``.cpu()``/``.item()``) called in every module's forward hook and full backward hook.

    Each ``.item()`` is a host sync (and on CPU a separate reduction per stat), which is the pattern
    the tracer avoids. The hooks stay on ``model``; ``records`` is cleared per step.
    """

    def __init__(
        self, model: nn.Module, describe: Callable[[torch.Tensor], dict[str, float | bool]]
    ) -> None:
        self.model = model
        self._describe = describe
        self.records: list[dict[str, Any]] = []
        # the first module gets no input that requires grad; torch warns about it on every step
        warnings.filterwarnings("ignore", message="Full backward hook is firing")
        for name, module in model.named_modules():
            module.register_forward_hook(self._forward(name))
            module.register_full_backward_hook(self._backward(name))

    def _forward(self, name: str) -> Callable[..., None]:
        def hook(module: nn.Module, args: Any, output: Any) -> None:
            out = output[0] if isinstance(output, tuple) else output
            if isinstance(out, torch.Tensor):
                self.records.append({"phase": "forward", "module": name, **self._describe(out)})

        return hook

    def _backward(self, name: str) -> Callable[..., None]:
        def hook(module: nn.Module, grad_input: Any, grad_output: Any) -> None:
            grad = grad_output[0]
            if isinstance(grad, torch.Tensor):
                self.records.append({"phase": "backward", "module": name, **self._describe(grad)})

        return hook

    def wrap(self, step: Step) -> Step:
        def run() -> None:
            self.records.clear()
            step()

        return run


def synced(step: Step, device: torch.device) -> Step:
    """On CUDA, wait for the step's kernels so the wall clock measures them."""
    if device.type != "cuda":
        return step

    def run() -> None:
        step()
        torch.cuda.synchronize(device)

    return run


def measure(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    device: torch.device,
    args: argparse.Namespace,
) -> dict[str, float]:
    """Median ms per variant, the variants interleaved step by step."""
    step = synced(train_step(model, x, y), device)
    max_events = Limits().max_trace_events
    # A monitor's hooks stay on its model, so each gets an identical copy of its own.
    monitors = {
        "naive, 4 stats": NaiveMonitor(copy.deepcopy(model), four_stats),
        "naive, all fields": NaiveMonitor(copy.deepcopy(model), all_fields),
    }
    variants = {
        "untraced": step,
        "stats": traced(step, True, max_events),
        "shapes": traced(step, False, max_events),
        # On the CPU, the same stats without the one-pass kernel, as a machine without a C
        # compiler gets them (the only path before the kernel).
        **(
            {"stats, torch ops": traced(step, True, max_events, native=False)}
            if device.type == "cpu" and tensor_scan.kernel() is not None
            else {}
        ),
        **{
            name: monitor.wrap(synced(train_step(monitor.model, x, y), device))
            for name, monitor in monitors.items()
        },
    }
    samples = interleaved(variants, args.steps, warmup=args.warmup)
    return {name: median(times) for name, times in samples.items()}


def report(device: torch.device, threads: int | None, args: argparse.Namespace) -> None:
    where = f"{device.type}" + (f", torch threads {threads}" if threads else "")
    print(f"{where}: median of {args.steps} steps after {args.warmup} warm-up, interleaved")
    rows = []
    for name, (model, x, y) in workloads(device).items():
        ms = measure(model, x, y, device, args)
        for variant, value in ms.items():
            ratio = value / ms["untraced"]
            goal = GOALS.get(variant)
            verdict = "" if goal is None else ("ok" if ratio <= goal else f"MISSES <= {goal}x")
            label = name if variant == "untraced" else ""
            rows.append([label, variant, f"{value:.2f}", f"{ratio:.2f}x", verdict])
    print_table(["model", "variant", "ms", "ratio", "goal"], rows)


def sync_check(device: torch.device) -> None:
    """Run traced steps under ``set_sync_debug_mode("error")``: any host sync raises."""
    max_events = Limits().max_trace_events
    for name, (model, x, y) in workloads(device).items():
        step = train_step(model, x, y)
        traced(step, True, max_events)()  # first calls (cuBLAS handles, allocations) out of the way
        for mode, stats in (("untraced", None), ("stats", True), ("shapes", False)):
            tracer = None if stats is None else HookTracer(stats=stats, max_events=max_events)
            torch.cuda.synchronize(device)
            torch.cuda.set_sync_debug_mode("error")
            try:
                if tracer is not None:
                    tracer.__enter__()
                step()
                verdict = "silent"
            except RuntimeError as exc:
                verdict = f"SYNCED: {str(exc).splitlines()[0]}"
            finally:
                torch.cuda.set_sync_debug_mode("default")
                if tracer is not None:
                    tracer.finish()  # the one sync per run, outside the checked region
            print(f"  sync debug mode 'error', {name}, {mode}: {verdict}")


def count_calls(fn: Step) -> collections.Counter[tuple[str, str]]:
    """(kind, function) -> its calls in one call of ``fn``: kind "py" for Python functions (a
    generator's resumes count too), "c" for built-in functions and methods called from Python."""
    counts: collections.Counter[tuple[str, str]] = collections.Counter()

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            counts["py", f"{os.path.basename(code.co_filename)}:{code.co_name}"] += 1
        elif event == "c_call":  # a method as type.name, a function by name
            owner = type(getattr(arg, "__self__", None))
            # a function's __self__ is its module, or pybind11's record of it (torch._C's)
            plain = owner in (type(None), ModuleType) or owner.__module__ == "pybind11_builtins"
            counts["c", arg.__name__ if plain else f"{owner.__name__}.{arg.__name__}"] += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return counts


def report_calls(top: int) -> None:
    """Per CPU step: Python and C calls untraced and traced; the tracer's largest additions."""
    torch.set_num_threads(1)
    max_events = Limits().max_trace_events
    for name, (model, x, y) in workloads(torch.device("cpu")).items():
        step = train_step(model, x, y)
        variants = {
            "untraced": step,
            "shapes": traced(step, False, max_events),
            "stats": traced(step, True, max_events),
        }
        for run in variants.values():  # first calls (imports, caches) out of the way
            run()
        counts = {variant: count_calls(run) for variant, run in variants.items()}
        print(f"{name}: calls per step (traced: one run, its tracer made, entered, finished)")
        for variant, counted in counts.items():
            py, c = (sum(n for (k, _), n in counted.items() if k == kind) for kind in ("py", "c"))
            print(f"  {variant:9} Python {py:5}  C {c:5}")
        added = counts["shapes"] - counts["untraced"]  # Counter subtraction keeps what is > 0
        for (kind, function), n in added.most_common(top):
            print(f"    shapes +{n:4} {kind:2} {function}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", default="1,2", help="torch CPU thread counts to report")
    parser.add_argument("--devices", default="cpu,cuda", help="where to measure: cpu, cuda or both")
    parser.add_argument(
        "--count-calls",
        type=int,
        nargs="?",
        const=25,
        metavar="N",
        help="count calls per CPU step instead of timing; list the N largest additions",
    )
    args = parser.parse_args()
    if args.count_calls is not None:
        report_calls(args.count_calls)
        return
    devices = args.devices.split(",")
    if not devices or not set(devices) <= {"cpu", "cuda"}:
        parser.error(f"--devices: cpu, cuda or cpu,cuda, not {args.devices!r}")
    print(f"torch {torch.__version__}, {os.cpu_count()} CPUs")
    scan = tensor_scan.kernel()
    print(f"one-pass stats kernel: {scan.path if scan else tensor_scan.unavailable_reason()}")
    if "cpu" in devices:
        for threads in (int(t) for t in args.threads.split(",")):
            torch.set_num_threads(threads)
            if scan is not None:  # torch's count where built with its OpenMP runtime, else 1
                print(f"the kernel scans a large tensor on {scan.threads()} thread(s)")
            report(torch.device("cpu"), threads, args)
    if "cuda" in devices and torch.cuda.is_available():
        cuda = torch.device("cuda")
        report(cuda, None, args)
        sync_check(cuda)
    elif "cuda" in devices:
        print("CUDA: not available, skipped")


if __name__ == "__main__":
    main()
