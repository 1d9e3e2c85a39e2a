"""Client-side state and protocol logic shared by :class:`Sandbox` and :class:`AsyncSandbox`.

The logic is written once, sans-I/O, as generators that ``yield Wait(worker, timeout)`` whenever
they need the next message from a worker and receive it (or ``None`` on timeout) back. The sync
client drives them with a blocking ``queue.Queue``; the async client with an ``asyncio.Queue``.
"""

from __future__ import annotations

import itertools
import signal
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import Any

from sandbox.limits import Limits, is_seconds, signal_description, signal_name
from sandbox.process import Sink, WorkerProcess
from sandbox.protocol import Message, run_request
from sandbox.result import RunError, RunResult

OutputCallback = Callable[[str, str], Any]
MailboxFactory = Callable[[], tuple[Sink, Any]]

START_TIMEOUT_S = {"cpu": 90.0, "cuda": 180.0}
WATCHDOG_SLACK_S = 5.0  # beyond timeout + grace before the client gives up on a silent worker
CANCEL_WAIT_S = 3.0  # how long a cancelled run may take to acknowledge before its worker is killed
DEVICES = ("auto", "cpu", "cuda")


def worker_stopped(message: Message) -> tuple[str, str, dict[str, Any]]:
    """The English message, code and params for a worker that stopped mid-run: it failed with
    an error of its own (``fatal``), was killed (SIGKILL: most often the system's OOM killer),
    was stopped by another signal, exited, or could no longer be sent the request."""
    if message.get("type") == "fatal":
        reason = str(message.get("message"))
        return f"the sandbox worker stopped ({reason})", "worker_died", {"reason": reason}
    if message.get("unreachable"):
        return "the sandbox worker stopped (its request pipe is closed)", "worker_unreachable", {}
    exit_code = message.get("code")
    if isinstance(exit_code, int) and exit_code < 0:
        params = {"signal": signal_description(-exit_code), "name": signal_name(-exit_code)}
        if -exit_code == signal.SIGKILL:
            return (
                f"the sandbox worker was killed ({params['name']}); "
                "perhaps the system ran out of memory",
                "worker_killed",
                params,
            )
        return (
            f"the sandbox worker was stopped by a signal: {params['signal']}",
            "worker_signal",
            params,
        )
    return (
        f"the sandbox worker exited with code {exit_code}",
        "worker_exited",
        {"exit_code": exit_code},
    )


def start_failed(kind: str, message: Message | None) -> tuple[str, str, dict[str, Any]]:
    """The English message, code and params for a ``kind`` worker that never became ready: it
    was not ready in time (``message`` is ``None``), or it exited or failed while starting."""
    if message is None:
        seconds = START_TIMEOUT_S[kind]
        return (
            f"the {kind} sandbox did not start within {seconds:g} s",
            "start_timeout",
            {"device": kind, "seconds": seconds},
        )
    code = message.get("code")
    if message.get("message"):
        reason = str(message["message"])  # its own exception
    elif isinstance(code, int) and code < 0:
        reason = signal_name(-code)
    else:
        reason = f"exit code {code}"
    return (
        f"the {kind} sandbox could not start: {reason}",
        "worker_failed",
        {"device": kind, "reason": reason},
    )


@dataclass
class Wait:
    """A request from the shared logic to its driver: the next message from ``worker``."""

    worker: WorkerProcess
    timeout: float | None


Steps = Generator[Wait, "Message | None", RunResult]


def failure(
    status: str,
    kind: str,
    message: str,
    device: str = "cpu",
    *,
    code: str,
    params: dict[str, Any] | None = None,
) -> RunResult:
    """A result the client words itself (the run never reached a worker, or its worker is gone),
    with the ``code`` and ``params`` a UI words it from (see :mod:`sandbox.outcome`)."""
    error = RunError(kind, message, code=code, params=params or {})
    return RunResult(status=status, error=error, device=device)  # type: ignore[arg-type]


class RunSession:
    """One run from the client's side: collects streamed output and the final result."""

    def __init__(
        self,
        run_id: int,
        kind: str,
        request: Message,
        limits: Limits,
        on_output: OutputCallback | None,
    ) -> None:
        self.run_id = run_id
        self.kind = kind
        self.request = request
        self.on_output = on_output
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.result: RunResult | None = None
        self.worker_died = False
        self.started_at: float | None = None
        timeout = request.get("timeout")
        self.watchdog_s = (timeout or 0) + limits.grace_s + WATCHDOG_SLACK_S if timeout else None
        self.cancel_deadline: float | None = None

    def time_left(self) -> float | None:
        ends = []
        if self.watchdog_s is not None and self.started_at is not None:
            ends.append(self.started_at + self.watchdog_s)
        if self.cancel_deadline is not None:
            ends.append(self.cancel_deadline)
        if not ends:
            return None
        return max(0.0, min(ends) - time.monotonic())

    def feed(self, message: Message) -> bool:
        """Take one worker message; ``True`` once the run has its result."""
        kind = message.get("type")
        if kind == "output" and message.get("id") == self.run_id:
            stream, text = message["stream"], message["text"]
            (self.stdout if stream == "stdout" else self.stderr).append(text)
            if self.on_output is not None:
                self.on_output(stream, text)
        elif kind == "result" and message.get("id") == self.run_id:
            data = dict(message["result"])
            data["stdout"] = "".join(self.stdout)
            data["stderr"] = "".join(self.stderr)
            self.result = RunResult.from_dict(data)
        elif kind in ("exit", "fatal"):
            self.worker_died = True
            self.result = self._local("crashed", "WorkerDied", *worker_stopped(message))
        return self.result is not None

    def _local(
        self, status: str, kind: str, message: str, code: str, params: dict[str, Any] | None = None
    ) -> RunResult:
        has_check = self.request.get("check") is not None
        from sandbox.outcome import NOT_CHECKED
        from sandbox.result import CheckOutcome

        result = failure(
            status, kind, message, device=self.request["device"], code=code, params=params
        )
        result.stdout = "".join(self.stdout)
        result.stderr = "".join(self.stderr)
        if has_check:
            result.check = CheckOutcome(False, NOT_CHECKED)
        return result

    def cancelled(self) -> RunResult:
        """End the run as cancelled, whatever the worker said or did not say."""
        self.result = self._local(
            "cancelled", "Cancelled", "the run was cancelled", code="cancelled"
        )
        return self.result

    def expire(self) -> RunResult:
        if self.cancel_deadline is not None:
            self.cancelled()
        else:
            timeout = self.request.get("timeout")
            self.result = self._local(
                "timeout",
                "Timeout",
                f"the run took longer than {timeout:g} s and the sandbox had to be restarted",
                code="timeout_restarted",
                params={"seconds": timeout},
            )
        return self.result


class SandboxCore:
    """Workers, device choice, run ids and the run/cancel logic, with no I/O waiting of its own."""

    def __init__(
        self,
        limits: Limits,
        mailbox_factory: MailboxFactory,
        *,
        inprocess_device: str | None = None,
        **overrides: Any,
    ) -> None:
        self.limits = replace(limits, **overrides)  # rejects a misspelt override, not ignores it
        self.mailbox_factory = mailbox_factory
        self.inprocess_device = inprocess_device  # test hook: run the "cuda" worker on this device
        self.workers: dict[str, WorkerProcess] = {}
        self.cuda: bool | None = True if inprocess_device else None
        self.current: RunSession | None = None
        self.closed = False
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # -- workers ----------------------------------------------------------------------------
    def spawn(self, kind: str) -> WorkerProcess:
        sink, mailbox = self.mailbox_factory()
        device = self.inprocess_device if kind == "cuda" else None
        worker = WorkerProcess(kind, self.limits, sink, inprocess_device=device)
        worker.mailbox = mailbox  # type: ignore[attr-defined]
        worker.ready_seen = False  # type: ignore[attr-defined]
        worker.start()
        self.workers[kind] = worker
        return worker

    def retire(self, worker: WorkerProcess, *, respawn: bool = True) -> None:
        """Kill a worker that misbehaved or died; start its replacement now (a warm-up head start)."""
        worker.kill()
        worker.close(timeout=1.0)
        if self.workers.get(worker.kind) is worker:
            del self.workers[worker.kind]
            if respawn and not self.closed:
                self.spawn(worker.kind)

    def ensure(self, kind: str) -> Generator[Wait, Message | None, WorkerProcess | RunResult]:
        """The ready worker of ``kind`` (spawned if needed), or a failed RunResult."""
        worker = self.workers.get(kind)
        if worker is None or (worker.ready_seen and not worker.alive):  # type: ignore[attr-defined]
            if worker is not None:
                self.retire(worker, respawn=False)
            worker = self.spawn(kind)
        deadline = time.monotonic() + START_TIMEOUT_S[kind]
        while not worker.ready_seen:  # type: ignore[attr-defined]
            message = yield Wait(worker, max(0.0, deadline - time.monotonic()))
            if message is None or message.get("type") in ("exit", "fatal"):
                self.retire(worker, respawn=False)
                text, code, params = start_failed(kind, message)
                return failure(
                    "crashed", "WorkerFailed", text, device=kind, code=code, params=params
                )
            if message.get("type") == "ready":
                worker.ready_seen = True  # type: ignore[attr-defined]
                if kind == "cpu" and self.inprocess_device is None:
                    self.cuda = bool(message.get("cuda"))
        return worker

    def start(self) -> Generator[Wait, Message | None, WorkerProcess | RunResult]:
        return self.ensure("cpu")

    # -- runs -------------------------------------------------------------------------------
    def resolve_device(self, device: str) -> tuple[str, RunResult | None]:
        """``(kind, None)`` for a usable device, else ``(requested, failed result)``."""
        name = (device or "auto").strip().lower()
        if name == "auto":
            return ("cuda" if self.cuda else "cpu"), None
        if name == "cpu":
            return "cpu", None
        if name == "cuda" or name.startswith("cuda:"):
            if self.cuda:
                return "cuda", None
            return name, failure(
                "error",
                "DeviceUnavailable",
                "CUDA was requested but no CUDA device is available here; run on the CPU instead",
                device=name,
                code="no_cuda",
            )
        return name, failure(
            "error",
            "DeviceUnavailable",
            f"unknown device {device!r}: use auto, cpu or cuda",
            device=name,
            code="unknown_device",
            params={"device": repr(device)},
        )

    def run(
        self,
        code: str,
        *,
        device: str = "auto",
        timeout: float | None = None,
        trace: bool | str = False,
        check: str | None = None,
        on_output: OutputCallback | None = None,
    ) -> Steps:
        if self.closed:
            raise RuntimeError("this sandbox is closed")
        if timeout is not None and not is_seconds(timeout):
            # 0, a negative or NaN would each stop nothing, or everything, without a word
            raise ValueError(
                f"timeout must be a number of seconds above 0 or None, not {timeout!r}"
            )
        if self.cuda is None or (device or "auto").strip().lower() == "auto":
            started = yield from self.ensure("cpu")
            if isinstance(started, RunResult):
                return started
        kind, refused = self.resolve_device(device)
        if refused is not None:
            return refused
        worker = yield from self.ensure(kind)
        if isinstance(worker, RunResult):
            return worker
        run_id = next(self._ids)
        timeout = self.limits.timeout_s if timeout is None else timeout
        request = run_request(
            run_id, code, device=kind, timeout=timeout or None, trace=trace, check=check
        )
        session = RunSession(run_id, kind, request, self.limits, on_output)
        session.started_at = time.monotonic()
        if not worker.send(request):
            session.feed({"type": "exit", "unreachable": True})
            self.retire(worker)
            return session.result  # type: ignore[return-value]
        self.current = session
        try:
            while True:
                message = yield Wait(worker, session.time_left())
                if message is None:  # the worker did not answer in time: restart it
                    self.retire(worker)
                    return session.expire()
                if session.feed(message):
                    if session.worker_died or message.get("worker_exiting"):
                        self.retire(worker)
                    if session.worker_died and self.closed:
                        return session.cancelled()  # close() stopped its worker, not a fault
                    return session.result  # type: ignore[return-value]
        except BaseException:
            # Abandoned (on_output raised, the caller was interrupted): stop the run in the worker
            # too, or the next run would queue behind it. Its late messages carry the old id.
            worker.send({"op": "cancel", "id": run_id})
            raise
        finally:
            self.current = None

    def cancel(self) -> bool:
        """Ask the worker to stop the current run (it ends with status "cancelled")."""
        session = self.current
        if session is None:
            return False
        worker = self.workers.get(session.kind)
        session.cancel_deadline = time.monotonic() + CANCEL_WAIT_S + self.limits.grace_s
        if worker is not None:
            worker.send({"op": "cancel", "id": session.run_id})
            # The run's driver may be waiting for the worker's next message with a timeout set
            # before this deadline existed: wake it, so that it waits no longer than the deadline.
            worker.sink({"type": "wake"})
        return True

    def cuda_flag(self) -> Generator[Wait, Message | None, bool]:
        if self.cuda is None:
            yield from self.ensure("cpu")
        return bool(self.cuda)

    def close(self) -> None:
        """Stop every worker and reap it (blocking, a few ms when they exit on EOF)."""
        self.closed = True
        for worker in list(self.workers.values()):
            worker.close()
        self.workers.clear()
