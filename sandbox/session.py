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
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sandbox.limits import (
    SECONDS_WORDS,
    Limits,
    is_seconds,
    oom_kills,
    process_stopped,
    ran_out_of_memory,
    signal_description,
    signal_name,
)
from sandbox.outcome import UNREPORTED, run_died
from sandbox.process import Sink, WorkerProcess
from sandbox.protocol import Message, output_chunks, run_request
from sandbox.result import CheckOutcome, MalformedResult, RunError, RunResult

OutputCallback = Callable[[str, str], Any]
MailboxFactory = Callable[[], tuple[Sink, Any]]

START_TIMEOUT_S = {"cpu": 90.0, "cuda": 180.0}
WATCHDOG_SLACK_S = 5.0  # beyond timeout + grace before the client gives up on a silent worker
STOPPED_POLL_S = 0.25  # how often, past timeout + grace, the client looks for a stopped worker
CANCEL_WAIT_S = 3.0  # how long a cancelled run may take to acknowledge before its worker is killed
DEVICES = ("auto", "cpu", "cuda")


def worker_stopped(
    message: Message, *, out_of_memory: bool = False
) -> tuple[str, str, dict[str, Any]]:
    """The English message, code and params for a worker that stopped mid-run: it failed with
    an error of its own (``fatal``), was killed by SIGKILL while the system killed for want of
    memory (``out_of_memory``: see :func:`sandbox.limits.ran_out_of_memory`), was stopped by
    another signal (a SIGKILL without that evidence too: a run can kill its own worker), exited,
    or could no longer be sent the request."""
    if message.get("type") == "fatal":
        reason = str(message.get("message"))
        return f"the sandbox worker stopped ({reason})", "worker_died", {"reason": reason}
    if message.get("unreachable"):
        return "the sandbox worker stopped (its request pipe is closed)", "worker_unreachable", {}
    exit_code = message.get("code")
    if isinstance(exit_code, int) and exit_code < 0:
        params = {"signal": signal_description(-exit_code), "name": signal_name(-exit_code)}
        if -exit_code == signal.SIGKILL and out_of_memory:
            return (
                f"the sandbox worker was killed ({params['name']}); the system ran out of memory",
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


def replaced_server(message: Message, kind: str) -> bool:
    """Whether ``message`` says the CPU worker put a new server in place of one that was killed
    (see ``sandbox.worker.supervise``): the worker lives on. Only the CPU worker's is believed: the
    CUDA worker runs the learner's code in its own process, which can write on its pipe."""
    return kind == "cpu" and message.get("type") == "exit" and message.get("restarted") is True


def died_with(message: Message, run_id: int) -> bool:
    """Whether a replaced server's ``exit`` names run ``run_id`` among the runs it had in hand."""
    ids = message.get("ids")
    return isinstance(ids, list) and run_id in ids


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
    else:  # a number the UI words itself: "exit code" is English in any language
        return (
            f"the {kind} sandbox could not start: exit code {code}",
            "start_exited",
            {"device": kind, "exit_code": code},
        )
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
    has_check: bool = False,
) -> RunResult:
    """A result the client words itself (the run never reached a worker, or its worker is gone),
    with the ``code`` and ``params`` a UI words it from (see :mod:`sandbox.outcome`). A run given
    a check (``has_check``) says its check did not run either."""
    from sandbox.outcome import NOT_CHECKED

    error = RunError(kind, message, code=code, params=params or {})
    result = RunResult(status=status, error=error, device=device)  # type: ignore[arg-type]
    if has_check:
        result.check = CheckOutcome(False, NOT_CHECKED)
    return result


def cancelled_run(device: str, *, has_check: bool) -> RunResult:
    """The result of a run cancelled before its worker finished it (or began it)."""
    return failure(
        "cancelled",
        "Cancelled",
        "the run was cancelled",
        device,
        code="cancelled",
        has_check=has_check,
    )


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
        # From timeout + grace on, a worker that is stopped (SIGSTOP, from the run's own code,
        # say) is given up at once: it can stop nothing, and the slack and the start allowance
        # are for a worker that is slow, not one that is not running at all.
        self.look_after_s = timeout + limits.grace_s if timeout else None
        # The worker's clock: the run is allowed its start too, until its learner's code has begun
        # (a "began" message), when the watchdog counts afresh (see Limits.start_allowance_s).
        self.start_allowance_s = limits.start_allowance_s
        self.began = False
        self.cancel_deadline: float | None = None
        self.oom_kills_before = oom_kills()  # a worker's SIGKILL is memory's only if this grows

    def time_left(self) -> float | None:
        ends = []
        if self.watchdog_s is not None and self.started_at is not None:
            allowance = 0.0 if self.began else self.start_allowance_s
            ends.append(self.started_at + self.watchdog_s + allowance)
        if self.cancel_deadline is not None:
            ends.append(self.cancel_deadline)
        if not ends:
            return None
        return max(0.0, min(ends) - time.monotonic())

    def _looks_from(self) -> float | None:
        """When (monotonic) the client starts looking for a stopped worker: timeout + grace
        after the run's start; ``None`` without a timeout, or before the run has started."""
        if self.look_after_s is None or self.started_at is None:
            return None
        return self.started_at + self.look_after_s

    def wait_s(self) -> float | None:
        """How long to wait for the worker's next message: until :meth:`time_left` runs out,
        or, from timeout + grace on, until the next look at whether the worker is stopped."""
        left, looks_from = self.time_left(), self._looks_from()
        if looks_from is None:
            return left
        look = looks_from - time.monotonic()
        look = look if look > 0 else STOPPED_POLL_S
        return look if left is None else min(left, look)

    def given_up(self, *worker_pids: int | None) -> bool:
        """Whether the worker, silent for :meth:`wait_s`, is to be replaced: its time is up, or,
        past timeout + grace, one of its processes is stopped (see
        :func:`sandbox.limits.process_stopped`): the one serving runs, or the one that was
        started, which keeps the pipes open and so hides the other's death."""
        if self.time_left() == 0.0:
            return True
        looks_from = self._looks_from()
        return (
            looks_from is not None
            and time.monotonic() >= looks_from
            and any(process_stopped(pid) for pid in worker_pids)
        )

    def feed(self, message: Message) -> bool:
        """Take one worker message; ``True`` once the run has its result."""
        kind = message.get("type")
        if kind in ("output", "output_batch") and message.get("id") == self.run_id:
            for stream, text in output_chunks(message):  # in the order written
                (self.stdout if stream == "stdout" else self.stderr).append(text)
                if self.on_output is not None:
                    self.on_output(stream, text)
        elif kind == "began" and message.get("id") == self.run_id:
            self.began = True
            self.started_at = time.monotonic()
        elif kind == "result" and message.get("id") == self.run_id:
            self.result = self._reported(message.get("result"))
        elif kind in ("exit", "fatal"):
            if replaced_server(message, self.kind) and not died_with(message, self.run_id):
                return False  # a server that died between runs, already replaced: not this run's
            self.worker_died = True
            self.result = self._died(message)
        return self.result is not None

    def _reported(self, data: object) -> RunResult:
        """The result the worker sent, with the output it streamed. One that is not a result
        (:class:`~sandbox.result.MalformedResult`) came from the learner's code, which the CUDA
        worker runs in its own process, on the worker's pipe: the run is told so, and the worker,
        whose pipe may hold more of it, is replaced (``worker_died``)."""
        try:
            return self._with_output(RunResult.from_dict(data))
        except MalformedResult:
            self.worker_died = True
            died = run_died(exit_code=UNREPORTED)
            return self._local("crashed", died["type"], died["message"], died["code"])

    def _died(self, message: Message) -> RunResult:
        """The result of a run whose worker stopped before sending one. The in-process (CUDA)
        worker runs the learner's code in its own process: once that code has begun, its
        ``os._exit`` or segfault is the run's, told as a forked CPU run's would be."""
        code = message.get("code")
        memory = ran_out_of_memory(self.oom_kills_before)
        if self.kind != "cuda" or not self.began or not isinstance(code, int):
            stopped = worker_stopped(message, out_of_memory=memory)
            return self._local("crashed", "WorkerDied", *stopped)
        if code < 0:
            died = run_died(signal_number=-code, out_of_memory=memory)
        else:
            died = run_died(exit_code=code)
        return self._local("crashed", died["type"], died["message"], died["code"], died["params"])

    @property
    def has_check(self) -> bool:
        return self.request.get("check") is not None

    def _with_output(self, result: RunResult) -> RunResult:
        """``result``, a result the client words itself, with what the run printed."""
        result.stdout = "".join(self.stdout)
        result.stderr = "".join(self.stderr)
        return result

    def _local(
        self, status: str, kind: str, message: str, code: str, params: dict[str, Any] | None = None
    ) -> RunResult:
        device = self.request["device"]
        return self._with_output(
            failure(
                status, kind, message, device, code=code, params=params, has_check=self.has_check
            )
        )

    def cancelled(self) -> RunResult:
        """End the run as cancelled, whatever the worker said or did not say."""
        self.result = self._with_output(
            cancelled_run(self.request["device"], has_check=self.has_check)
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
        env: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> None:
        self.limits = replace(limits, **overrides)  # rejects a misspelt override, not ignores it
        self.mailbox_factory = mailbox_factory
        self.inprocess_device = inprocess_device  # test hook: run the "cuda" worker on this device
        self.env = env  # set in each worker's environment (see WorkerProcess)
        self.workers: dict[str, WorkerProcess] = {}
        self.cuda: bool | None = True if inprocess_device else None
        self.current: RunSession | None = None
        # Set while a run waits for its worker to start (torch importing): cancel() sets the event
        # and the run comes back cancelled without running.
        self.pending: threading.Event | None = None
        self.closed = False
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # -- workers ----------------------------------------------------------------------------
    def spawn(self, kind: str) -> WorkerProcess:
        sink, mailbox = self.mailbox_factory()
        device = self.inprocess_device if kind == "cuda" else None
        worker = WorkerProcess(kind, self.limits, sink, inprocess_device=device, env=self.env)
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
            if message is not None and replaced_server(message, kind):
                continue  # its first server was killed as it started: the next one says ready
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

    def _ensure_for_run(
        self, kind: str, cancelled: threading.Event, *, has_check: bool
    ) -> Generator[Wait, Message | None, WorkerProcess | RunResult]:
        """:meth:`ensure` for a run, given up once the run is ``cancelled`` (see :meth:`cancel`):
        the run then comes back cancelled at once, and the worker goes on starting for the next."""
        steps = self.ensure(kind)
        try:
            wait = next(steps)
            while not cancelled.is_set():
                wait = steps.send((yield wait))
        except StopIteration as stop:
            return stop.value
        steps.close()
        return cancelled_run(kind, has_check=has_check)

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
        if not isinstance(code, str):
            raise TypeError(f"code must be a str, not {type(code).__name__}")
        if check is not None and not isinstance(check, str):
            raise TypeError(f"check must be a str or None, not {type(check).__name__}")
        if timeout is not None and not is_seconds(timeout):
            # 0, a negative or NaN would each stop nothing, or everything, without a word
            raise ValueError(f"timeout must be {SECONDS_WORDS} or None, not {timeout!r}")
        pending = self.pending = threading.Event()
        try:
            return (yield from self._run(code, device, timeout, trace, check, on_output, pending))
        finally:
            if self.pending is pending:  # no lock: this may run in a finalizer
                self.pending = None

    def _run(
        self,
        code: str,
        device: str,
        timeout: float | None,
        trace: bool | str,
        check: str | None,
        on_output: OutputCallback | None,
        cancelled: threading.Event,
    ) -> Steps:
        """:meth:`run`, once its arguments are checked; ``cancelled`` is set by :meth:`cancel`
        until the run's request has been sent."""
        has_check = check is not None
        if self.cuda is None or (device or "auto").strip().lower() == "auto":
            started = yield from self._ensure_for_run("cpu", cancelled, has_check=has_check)
            if isinstance(started, RunResult):
                return started
        kind, refused = self.resolve_device(device)
        if refused is not None:
            return refused
        worker = yield from self._ensure_for_run(kind, cancelled, has_check=has_check)
        if isinstance(worker, RunResult):
            return worker
        run_id = next(self._ids)
        timeout = self.limits.timeout_s if timeout is None else timeout
        request = run_request(
            run_id, code, device=kind, timeout=timeout or None, trace=trace, check=check
        )
        session = RunSession(run_id, kind, request, self.limits, on_output)
        if cancelled.is_set():  # as its worker became ready: there is nothing to stop yet
            return session.cancelled()
        session.started_at = time.monotonic()
        if not worker.send(request):
            session.feed({"type": "exit", "unreachable": True})
            self.retire(worker)
            return session.result  # type: ignore[return-value]
        with self._lock:  # from here cancel() stops the run in its worker
            self.current, self.pending = session, None
        if cancelled.is_set():  # while the request was on its way
            self.cancel()
        try:
            while True:
                message = yield Wait(worker, session.wait_s())
                if message is None:
                    if not session.given_up(worker.serving_pid, worker.pid):
                        continue
                    self.retire(worker)  # it did not answer in time, or cannot: restart it
                    return session.expire()
                if session.feed(message):
                    replaced = replaced_server(message, worker.kind)
                    if (session.worker_died and not replaced) or message.get("worker_exiting"):
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
        """Ask the worker to stop the current run (it ends with status "cancelled"); a run still
        waiting for its worker to start comes back cancelled at once, without running."""
        with self._lock:
            session, pending = self.current, self.pending
            if session is None and pending is not None:
                pending.set()
        if session is None:
            if pending is None:
                return False
            for worker in list(self.workers.values()):
                worker.sink({"type": "wake"})  # the run waits for a message: look at the event
            return True
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
