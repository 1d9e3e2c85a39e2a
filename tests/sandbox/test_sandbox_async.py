"""AsyncSandbox: streaming, cancellation, a loop that keeps ticking."""

from __future__ import annotations

import asyncio

import pytest

from sandbox import AsyncSandbox


async def test_async_run_stream_cancel_and_recover():
    async with AsyncSandbox() as asb:
        chunks: list[tuple[str, str]] = []
        r = await asb.run(
            "print('hello')\n2 * 21",
            device="cpu",
            timeout=20,
            on_output=lambda s, t: chunks.append((s, t)),
        )
        assert r.status == "ok" and r.value == "42" and r.stdout == "hello\n"
        assert chunks == [("stdout", "hello\n")]

        # cancelling the awaiting task stops the run in the worker
        streamed = asyncio.Event()
        task = asyncio.create_task(
            asb.run(
                "print('started', flush=True)\nwhile True:\n    pass",
                device="cpu",
                timeout=60,
                on_output=lambda s, t: streamed.set(),
            )
        )
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        tick_task = asyncio.create_task(ticker())
        await asyncio.wait_for(streamed.wait(), 30)
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        tick_task.cancel()
        assert ticks > 5, "the event loop was blocked during a run"
        assert asb.last_result is not None and asb.last_result.status == "cancelled"
        assert asb.last_result.stdout == "started\n"

        r = await asb.run("1 + 1", device="cpu")
        assert r.status == "ok" and r.value == "2"

        # explicit cancel(): run() returns the cancelled result
        pending = asyncio.create_task(asb.run("import time\ntime.sleep(60)", timeout=60))
        await asyncio.sleep(0.5)
        assert asb.cancel()
        r = await asyncio.wait_for(pending, 30)
        assert r.status == "cancelled"
        assert (await asb.run("3", trace=True)).value == "3"
        assert await asb.cuda_available() in (True, False)


async def test_async_start_close_without_context_manager():
    asb = AsyncSandbox()
    await asb.start()
    pids = asb.worker_pids()
    assert pids
    r = await asb.run("'ok'", timeout=10)
    assert r.ok
    await asb.close()
    for pid in pids.values():
        with pytest.raises(ChildProcessError):
            import os

            os.waitpid(pid, os.WNOHANG)  # already reaped


async def test_a_task_cancelled_twice_still_waits_for_its_run_to_stop():
    async with AsyncSandbox() as asb:
        assert (await asb.run("1", device="cpu")).status == "ok"
        started = asyncio.Event()
        task = asyncio.create_task(
            asb.run(
                "print('started', flush=True)\nwhile True:\n    pass",
                device="cpu",
                timeout=60,
                on_output=lambda s, t: started.set(),
            )
        )
        await asyncio.wait_for(started.wait(), 30)
        task.cancel()
        await asyncio.sleep(0)
        task.cancel()  # a second cancel while the first waits for the run to stop
        with pytest.raises(asyncio.CancelledError):
            await task
        assert asb.last_result is not None and asb.last_result.status == "cancelled"
        assert not asb.cancel(), "no run is in flight any more"
        r = await asb.run("2 + 2", device="cpu")
        assert r.status == "ok" and r.value == "4"


async def test_async_run_refuses_a_timeout_that_is_not_seconds():
    async with AsyncSandbox() as sb:
        with pytest.raises(ValueError, match="timeout must be a number of seconds"):
            await sb.run("1", timeout=0)
        assert (await sb.run("2")).value == "2"


async def test_a_run_asked_for_while_another_goes_waits_its_turn_and_is_told_when_it_comes():
    """Runs go one at a time: while one goes the sandbox is busy, and a second run's
    ``on_start`` is called only once the first is over (a UI says "waiting" until then)."""
    async with AsyncSandbox() as asb:
        assert not asb.busy
        order: list[str] = []
        streamed = asyncio.Event()
        first = asyncio.create_task(
            asb.run(
                "import time\nprint('go', flush=True)\ntime.sleep(0.5)\n'first'",
                on_start=lambda: order.append("first starts"),
                on_output=lambda s, t: streamed.set(),
            )
        )
        await asyncio.wait_for(streamed.wait(), 20)
        assert asb.busy
        second = asyncio.create_task(
            asb.run("'second'", on_start=lambda: order.append("second starts"))
        )
        await asyncio.sleep(0.1)
        assert order == ["first starts"]  # still waiting for the first
        assert (await first).value == "'first'"
        assert (await second).value == "'second'"
        assert order == ["first starts", "second starts"]
        assert not asb.busy
