"""Stopping a screen's runs before going on (a new card, a new round): the wait for a run slow to
stop, itself cancelled, must stop its caller rather than let it go on as if the run were over."""

from __future__ import annotations

import asyncio
import contextlib

from textual.app import App, ComposeResult
from textual.widgets import Static

from tutor.widgets.run_panel import stop_runs


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="owner")


async def slow_to_stop() -> None:
    """A run that ends only when cancelled, and then takes a while (as a sandbox run does)."""
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(asyncio.sleep(0.3))
        raise


async def test_a_cancelled_wait_stops_its_caller() -> None:
    app = Host()
    async with app.run_test() as pilot:
        owner = app.query_one("#owner")
        run = owner.run_worker(slow_to_stop, group="run", exit_on_error=False)
        went_on: list[bool] = []

        async def next_card() -> None:
            await stop_runs(owner)
            went_on.append(True)  # would show a card over a run still going

        caller = asyncio.create_task(next_card())
        await pilot.pause(0.05)
        caller.cancel()  # a newer load replaced this one
        await asyncio.gather(caller, return_exceptions=True)
        assert caller.cancelled() and not went_on
        await asyncio.gather(run.wait(), return_exceptions=True)  # the run ends as it would
        assert run.is_finished


async def test_it_returns_once_the_runs_are_over() -> None:
    app = Host()
    async with app.run_test():
        owner = app.query_one("#owner")
        run = owner.run_worker(slow_to_stop, group="run", exit_on_error=False)
        other = app.run_worker(slow_to_stop, group="run", exit_on_error=False)  # not owner's
        await stop_runs(owner)
        assert run.is_finished and not other.is_finished
        other.cancel()
