"""Resource limits for runs, and the OS-level knobs that enforce them (Linux-first, POSIX-safe)."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import os
import resource
import signal
import sys
from dataclasses import asdict, dataclass
from typing import Any

MB = 1024 * 1024
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def is_seconds(value: object) -> bool:
    """Whether ``value`` can be a run's timeout: a finite number of seconds above zero."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def default_threads() -> int:
    """Torch intra-op threads for a run: leave at least one core to the UI."""
    cpus = os.cpu_count() or 1
    return 2 if cpus >= 4 else 1


@dataclass(frozen=True)
class Limits:
    """Per-sandbox limits. Every run of a :class:`~sandbox.Sandbox` uses these.

    ``timeout_s`` is the default when ``run(timeout=None)``; ``memory_mb`` caps the extra address
    space a CPU run may map (RLIMIT_AS over the warm worker's own size); ``cuda_memory_fraction``
    caps torch's caching allocator in the CUDA worker; ``grace_s`` is how long an interrupted run
    (SIGINT) gets before its process group is killed.

    A run's ``timeout_s`` counts from the moment its learner's code begins (the worker hears of it
    from the run), not from the fork: a loaded machine can stall a run's start for a second or
    more, and a run stopped before its first line could name no line of the learner's.
    ``start_allowance_s`` bounds that start all the same: a run whose code has not begun within
    ``timeout_s + start_allowance_s`` of its start is stopped as out of time, naming no line. It is
    generous, as a start is milliseconds (compiling the code included) on a machine that is not
    overloaded, and a run it stops has done nothing of the learner's.
    """

    timeout_s: float = 30.0
    output_bytes: int = 1 * MB
    memory_mb: int = 2048
    cuda_memory_fraction: float = 0.5
    threads: int = default_threads()
    grace_s: float = 0.3
    start_allowance_s: float = 10.0
    max_trace_events: int = 2000
    max_value_chars: int = 20_000

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library of this process, loaded once (``None`` where it cannot be loaded).

    Cached because every forked run calls into it: loading it and binding a function cost a forked
    child ~0.7 ms, while the warm worker's handle (functions already bound) is inherited for free.
    """
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def prctl(option: int, arg: int) -> None:
    """Linux ``prctl(option, arg)``; does nothing elsewhere or when it fails."""
    if not sys.platform.startswith("linux") or (lib := libc()) is None:
        return
    with contextlib.suppress(Exception):
        lib.prctl(option, arg, 0, 0, 0)


def set_pdeathsig(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies (a safety net for orphans)."""
    prctl(PR_SET_PDEATHSIG, sig)


def set_child_subreaper() -> None:
    """Orphaned grandchildren are re-parented to this process, so it can reap and kill them."""
    prctl(PR_SET_CHILD_SUBREAPER, 1)


def current_address_space() -> int:
    """This process's virtual memory size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def cap_address_space(extra_mb: int) -> None:
    """Limit this process to its current address space plus ``extra_mb`` (RLIMIT_AS).

    The warm worker already maps torch (a few GB of virtual space), so the cap is relative. It is
    the hard limit too, so the run cannot lift it (``resource.setrlimit`` back to unlimited).
    """
    if extra_mb <= 0:
        return
    base = current_address_space()
    if not base:
        return
    limit = base + extra_mb * MB
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def cpu_limit_s(pid: int) -> float | None:
    """The soft CPU-time limit (RLIMIT_CPU) of process ``pid``, an unreaped zombie too; ``None``
    when it has none, or it cannot be read."""
    try:
        soft, _hard = resource.prlimit(pid, resource.RLIMIT_CPU)
    except (AttributeError, OSError, ValueError):  # no prlimit outside Linux; already reaped
        return None
    return None if soft == resource.RLIM_INFINITY else float(soft)


def peak_memory() -> int:
    """The most memory this process has held at once so far (peak RSS), in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux counts KiB


def kill_group(pgid: int, sig: int = signal.SIGKILL) -> None:
    """Signal a whole process group, ignoring one that is already gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def child_pids() -> list[int]:
    """This process's living children (Linux; elsewhere an empty list).

    ``/proc/self/task/*/children`` lists them at once; where the kernel lacks it, every process's
    parent is read from ``/proc/PID/stat``.
    """
    me = os.getpid()
    try:
        tasks = os.listdir(f"/proc/{me}/task")
        pids: list[int] = []
        for task in tasks:
            with open(f"/proc/{me}/task/{task}/children") as f:
                pids.extend(int(pid) for pid in f.read().split())
        return pids
    except FileNotFoundError:
        pass
    except OSError:
        return []
    return _child_pids_by_scan(me)


def _child_pids_by_scan(parent: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(parent):
            pids.append(int(entry))
    return pids


def signal_name(signum: int) -> str:
    """``SIGSEGV``; ``signal 40`` for a number with no name."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def signal_description(signum: int) -> str:
    """``Segmentation fault (SIGSEGV)``: the system's words for a signal, and its name."""
    name = signal_name(signum)
    text = signal.strsignal(signum) if hasattr(signal, "strsignal") else None
    return f"{text} ({name})" if text else name
