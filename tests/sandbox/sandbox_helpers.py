"""Helpers for the sandbox tests (imported by name: tests/sandbox is on sys.path under pytest)."""

from __future__ import annotations

import os
import queue
import textwrap
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from sandbox import cuda_available
from sandbox.protocol import Message, encode

if TYPE_CHECKING:
    import torch

    from sandbox import Sandbox

HAS_CUDA = cuda_available()  # no torch import here: reads torch's build info or asks a subprocess
requires_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA device")
no_cuda = pytest.mark.skipif(HAS_CUDA, reason="only meaningful without a CUDA device")


def pid_gone(pid: int, within: float = 10.0) -> bool:
    """True once ``pid`` no longer exists (a zombie still counts as existing)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not os.path.exists(f"/proc/{pid}"):
            return True
        time.sleep(0.05)
    return False


def send_at_once(box: Sandbox, kind: str, *messages: Message) -> None:
    """Write ``messages`` to ``box``'s ``kind`` worker ("cpu", "cuda") in one write, so that it
    reads them together (as it does when they arrive while it is still busy with the last run)."""
    os.write(box._core.workers[kind]._req, b"".join(encode(m) for m in messages))


def result_of(box: Sandbox, kind: str, run_id: int, within: float) -> Message:
    """``box``'s ``kind`` worker's result for ``run_id``, read from its mailbox past any other
    message; fails (``queue.Empty``) if none comes ``within`` seconds."""
    mailbox: queue.Queue[Message] = box._core.workers[kind].mailbox
    end = time.monotonic() + within
    while True:
        message = mailbox.get(timeout=max(0.0, end - time.monotonic()))
        if message.get("type") == "result" and message.get("id") == run_id:
            return message["result"]


# os.fork() with no os._exit in the child: the copy runs the rest of the snippet too
FORK_WITHOUT_EXIT = textwrap.dedent(
    """
    import os, time
    pid = os.fork()
    if pid:
        time.sleep(0.5)
    print('from', 'parent' if pid else 'child', flush=True)
    'parent' if pid else 'child'
    """
)


def host_stats_by_torch_ops(t: torch.Tensor) -> list[float]:
    """:func:`sandbox.tracer.host_stats` as it runs without the one-pass kernel."""
    from sandbox.tracer import host_stats

    return host_stats(t, native=False)


# True in a run whose process has the one-pass stats kernel mapped (loaded before any run)
KERNEL_MAPPED = "any('/tensor_scan-' in line for line in open('/proc/self/maps'))"


Events = list[dict[str, Any]]


def trace(step: Callable[[], object]) -> tuple[Events, Events]:
    """``step`` run in this process under a :class:`sandbox.tracer.HookTracer`: its events and
    warnings. (torch is imported here, not when this module is.)"""
    from sandbox.tracer import HookTracer

    tracer = HookTracer()
    with tracer:
        step()
    events, found, _ = tracer.finish()
    return events, found


def names(events: Events, phase: str) -> list[str]:
    """The modules of ``events`` in ``phase`` (``forward`` or ``backward``), in order."""
    return [e["module"] for e in events if e["phase"] == phase]
