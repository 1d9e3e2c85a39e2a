"""``Sandbox``: the blocking client (scripts, the CLI, the deck checker)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Mapping
from typing import Any, TypeVar

from sandbox.limits import Limits
from sandbox.process import Sink
from sandbox.protocol import Message
from sandbox.result import RunResult, SandboxStartError
from sandbox.session import OutputCallback, SandboxCore, Wait

T = TypeVar("T")


def _queue_mailbox() -> tuple[Sink, queue.Queue[Message]]:
    mailbox: queue.Queue[Message] = queue.Queue()
    return mailbox.put, mailbox


def drive(steps: Generator[Wait, Message | None, T]) -> T:
    """Run shared sans-I/O logic to completion, blocking on worker mailboxes."""
    try:
        wait = next(steps)
        while True:
            try:
                message = wait.worker.mailbox.get(timeout=wait.timeout)  # type: ignore[attr-defined]
            except queue.Empty:
                message = None
            wait = steps.send(message)
    except StopIteration as stop:
        return stop.value


class Sandbox:
    """Runs torch snippets in a warm worker process; this process never imports torch.

    >>> with Sandbox() as sb:
    ...     r = sb.run("x = torch.ones(2)\\nx * 2")
    >>> r.status, r.value
    ('ok', 'tensor([2., 2.])')

    ``limits`` (or keyword overrides such as ``timeout_s=5, memory_mb=512``) apply to every run.
    ``env``: variables set in each worker's environment over this process's own, when it starts
    (``{"PYTHONHASHSEED": "1"}``: runs whose str hashes differ from another sandbox's).
    Runs are serialised; :meth:`cancel` may be called from another thread.
    """

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        inprocess_device: str | None = None,
        env: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> None:
        self._core = SandboxCore(
            limits or Limits(),
            _queue_mailbox,
            inprocess_device=inprocess_device,
            env=env,
            **overrides,
        )
        self._lock = threading.Lock()

    @property
    def limits(self) -> Limits:
        return self._core.limits

    def start(self) -> Sandbox:
        """Start the CPU worker and wait until it has torch loaded (about 1.5 s)."""
        with self._lock:
            started = drive(self._core.start())
        if isinstance(started, RunResult):
            raise SandboxStartError.of(started)
        return self

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(
        self,
        code: str,
        device: str = "auto",
        timeout: float | None = None,
        trace: bool | str = False,
        check: str | None = None,
        *,
        on_output: OutputCallback | None = None,
    ) -> RunResult:
        """Run ``code`` in a fresh namespace; see :class:`~sandbox.RunResult`.

        ``trace``: ``True`` for full stats, ``"shapes"`` for shapes only. ``timeout`` in seconds
        (``None``: the sandbox default). ``check``: exercise test code run after ``code`` in the
        same namespace. ``on_output(stream, text)`` receives output as it is produced.
        """
        with self._lock:
            return drive(
                self._core.run(
                    code,
                    device=device,
                    timeout=timeout,
                    trace=trace,
                    check=check,
                    on_output=on_output,
                )
            )

    def cancel(self) -> bool:
        """Stop the run in progress (from another thread); it returns status "cancelled". A run
        still waiting for the worker to start (torch importing) comes back so without running."""
        return self._core.cancel()

    def cuda_available(self) -> bool:
        """Whether this sandbox can run on CUDA (asks the worker; no torch import here)."""
        with self._lock:
            return drive(self._core.cuda_flag())

    def worker_pids(self) -> dict[str, int]:
        return {kind: w.pid for kind, w in self._core.workers.items() if w.pid is not None}

    def close(self) -> None:
        """Stop and reap all workers. Safe to call twice."""
        self._core.close()
