"""``AsyncSandbox``: the asyncio client for the Textual app. It never blocks the event loop:
worker messages arrive through a reader thread that hops onto the loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from sandbox.limits import Limits
from sandbox.process import Sink
from sandbox.protocol import Message
from sandbox.result import RunResult, SandboxStartError
from sandbox.session import OutputCallback, SandboxCore, Wait

T = TypeVar("T")


class _Done:
    """An already-finished awaitable, so ``close()`` works with and without ``await``."""

    def __await__(self) -> Generator[None, None, None]:
        return
        yield  # pragma: no cover


class AsyncSandbox:
    """Async twin of :class:`~sandbox.Sandbox`, sharing its logic (:mod:`sandbox.session`).

    Cancelling the task awaiting :meth:`run` stops the run in the worker (the worker stays
    usable) and re-raises ``CancelledError`` as asyncio expects; the stopped run's result, status
    ``"cancelled"``, is then in :attr:`last_result`. :meth:`cancel` instead makes the pending
    :meth:`run` *return* that result (handy for a Stop button).
    """

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        inprocess_device: str | None = None,
        **overrides: Any,
    ) -> None:
        self._core = SandboxCore(
            limits or Limits(), self._mailbox, inprocess_device=inprocess_device, **overrides
        )
        self._lock: asyncio.Lock | None = None
        self._owner: object = None  # whose run is in progress (``run(owner=)``)
        self.last_result: RunResult | None = None

    @property
    def limits(self) -> Limits:
        return self._core.limits

    def _mailbox(self) -> tuple[Sink, asyncio.Queue[Message]]:
        loop = asyncio.get_running_loop()
        mailbox: asyncio.Queue[Message] = asyncio.Queue()

        def sink(message: Message) -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(mailbox.put_nowait, message)

        return sink, mailbox

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def _pump(self, steps: Generator[Wait, Message | None, T], wait: Wait) -> T:
        try:
            while True:
                try:
                    message = await asyncio.wait_for(wait.worker.mailbox.get(), wait.timeout)  # type: ignore[attr-defined]
                except TimeoutError:
                    message = None
                wait = steps.send(message)
        except StopIteration as stop:
            return stop.value

    async def _drive(self, steps: Generator[Wait, Message | None, T]) -> T:
        try:
            wait = next(steps)
        except StopIteration as stop:
            return stop.value
        task = asyncio.ensure_future(self._pump(steps, wait))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not self._core.cancel():
                task.cancel()  # no run in flight yet (still starting): just stop waiting
                raise
            # Wait for the stopped run to report, through any further cancel of this task too:
            # leaving early would abandon the run half-way through its protocol.
            while not task.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(task)
            if not task.cancelled() and task.exception() is None:
                result = task.result()
                if isinstance(result, RunResult):
                    self.last_result = result
            raise

    async def start(self) -> AsyncSandbox:
        """Start the CPU worker and wait (without blocking the loop) until torch is loaded."""
        async with self._get_lock():
            started = await self._drive(self._core.start())
        if isinstance(started, RunResult):
            raise SandboxStartError.of(started)
        return self

    async def __aenter__(self) -> AsyncSandbox:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def run(
        self,
        code: str,
        device: str = "auto",
        timeout: float | None = None,
        trace: bool | str = False,
        check: str | None = None,
        *,
        on_output: OutputCallback | None = None,
        on_start: Callable[[], object] | None = None,
        owner: object = None,
    ) -> RunResult:
        """Run ``code``; the arguments are those of :meth:`sandbox.Sandbox.run`. Runs go one at a
        time (see :attr:`busy`): ``on_start()`` is called when this one's turn comes. ``owner``
        names who asked (a screen): :meth:`cancel` with it stops this run only, not one it waits
        for."""
        async with self._get_lock():
            if on_start is not None:
                on_start()
            self.last_result = None
            self._owner = owner
            try:
                result = await self._drive(
                    self._core.run(
                        code,
                        device=device,
                        timeout=timeout,
                        trace=trace,
                        check=check,
                        on_output=on_output,
                    )
                )
            finally:
                self._owner = None
            self.last_result = result
            return result

    def cancel(self, owner: object = None) -> bool:
        """Stop the run in progress; its ``run()`` returns status "cancelled". With ``owner``,
        only a run that ``owner`` started: ``False`` when the run in progress is another's (one
        of ``owner``'s may be waiting for it, and is stopped by cancelling its task)."""
        if owner is not None and owner is not self._owner:
            return False
        return self._core.cancel()

    @property
    def busy(self) -> bool:
        """Whether a run (or the start) holds the sandbox now: a run asked for waits its turn."""
        return self._lock is not None and self._lock.locked()

    async def cuda_available(self) -> bool:
        async with self._get_lock():
            return await self._drive(self._core.cuda_flag())

    def worker_pids(self) -> dict[str, int]:
        return {kind: w.pid for kind, w in self._core.workers.items() if w.pid is not None}

    def close(self) -> _Done:
        """Stop and reap the workers (they exit on EOF within milliseconds). Awaitable or not."""
        self._core.close()
        return _Done()

    async def aclose(self) -> None:
        await asyncio.to_thread(self._core.close)
