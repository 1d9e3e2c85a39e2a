"""Resource limits for runs, and the OS-level knobs that enforce them (Linux-first, POSIX-safe)."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import resource
import signal
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sandbox.private_builtins import PRIVATE_BUILTINS

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

MB = 1024 * 1024
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


MAX_SECONDS = 86_400.0
"""The longest timeout a run may have: one day. Far past any snippet's need, and far inside what
the waits that count it accept (``queue.get(timeout=1e10)`` raised OverflowError)."""


def is_seconds(value: object) -> bool:
    """Whether ``value`` can be a run's timeout: a number of seconds above zero and at most
    :data:`MAX_SECONDS` (NaN is neither)."""
    return (
        isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= MAX_SECONDS
    )


SECONDS_WORDS = f"a number of seconds above 0 and at most {MAX_SECONDS:g} (one day)"
"""What :func:`is_seconds` accepts, in the words of the errors that refuse a timeout."""


def _is_whole(least: int) -> Callable[[object], bool]:
    """A test for a whole number (not a bool) of at least ``least``."""
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= least


def _is_within(low: float, high: float, *, above_low: bool = False) -> Callable[[object], bool]:
    """A test for a number (not a bool) from ``low`` (or above it) to ``high``; NaN is none."""

    def test(v: object) -> bool:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return False
        return (low < v if above_low else low <= v) and v <= high

    return test


LIMIT_RULES: dict[str, tuple[Callable[[object], bool], str]] = {
    "timeout_s": (is_seconds, SECONDS_WORDS),
    "output_bytes": (_is_whole(1), "a whole number of bytes above 0"),
    "memory_mb": (_is_whole(0), "a whole number of MB (0: no cap)"),
    "cuda_memory_fraction": (_is_within(0, 1, above_low=True), "a fraction above 0, at most 1"),
    "threads": (_is_whole(1), "a whole number of threads, at least 1"),
    "grace_s": (_is_within(0, MAX_SECONDS), f"a number of seconds from 0 to {MAX_SECONDS:g}"),
    "start_allowance_s": (
        _is_within(0, MAX_SECONDS),
        f"a number of seconds from 0 to {MAX_SECONDS:g}",
    ),
    "max_trace_events": (_is_whole(0), "a whole number of events, 0 or more"),
    "max_value_chars": (_is_whole(0), "a whole number of characters, 0 or more"),
}
"""Every :class:`Limits` field: the test its value must pass, and what it must be, in words."""


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

    def __post_init__(self) -> None:
        """Refuse a value no run could keep to, naming the field, here where it is given: a
        timeout of -1 or NaN stopped every run with "took longer than -1 s", and 0 threads
        crashed every run in the worker, far from the mistake."""
        for name, (test, wanted) in LIMIT_RULES.items():
            value = getattr(self, name)
            if not test(value):
                raise ValueError(f"Limits.{name} must be {wanted}, not {value!r}")

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


def oom_kills() -> int | None:
    """How many processes the system has killed for want of memory since it booted (Linux 4.13+:
    ``oom_kill`` in /proc/vmstat, a cgroup's kills too); ``None`` where it cannot be read.

    A process killed by SIGKILL may have been the OOM killer's, or anyone's (a run can kill its
    own worker): only this count going up while it ran is evidence that memory ran out.
    """
    try:
        with open("/proc/vmstat", "rb") as f:
            for line in f:
                if line.startswith(b"oom_kill "):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def ran_out_of_memory(since: int | None) -> bool:
    """Whether the system has killed a process for want of memory since :func:`oom_kills` was
    ``since`` (``False`` when either count is unknown)."""
    now = oom_kills()
    return since is not None and now is not None and now > since


def process_stopped(pid: int | None) -> bool:
    """Whether process ``pid`` is stopped (SIGSTOP or SIGTSTP: state ``T`` in /proc/PID/stat),
    so that nothing it is to do happens until something continues it; ``False`` where that cannot
    be read (not Linux, gone). A debugger's stop (``t``) is not one: it is someone's choice."""
    if pid is None:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] == b"T"
    except (OSError, IndexError):
        return False


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
