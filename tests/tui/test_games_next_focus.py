"""The "Next round" button takes the focus a moment after the verdict (NEXT_AFTER_S). When
the learner ran the demo within that moment (or a loaded machine ran the timer late), the
focus moving to the button scrolled the game back up to it, and the demo's output, just
scrolled into view, went out of sight at 60x20 (a flaky test_tui_games_walk under load)."""

from __future__ import annotations

import pytest

from tutor.screens.game import GameScreen
from tutor.widgets.run_panel import RunPanel

from .conftest import FakeResult, FakeSandbox, drawn, wait_for
from .test_tui_games_walk import DEMO_SAID, open_bug_hunt


@pytest.mark.parametrize("kind", ["plain_list", "no_zero_grad"])
async def test_next_round_taking_the_focus_late_leaves_the_demo_output_in_view(
    app_factory, monkeypatch, kind
):
    monkeypatch.setattr(GameScreen, "NEXT_AFTER_S", 1e9)  # its timer is fired by hand below
    box = FakeSandbox(lambda code, **_: FakeResult(stdout=f"{DEMO_SAID}\n"))
    app = app_factory("zh", sandbox=box)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_bug_hunt(pilot, kind)
        await pilot.press("enter")  # an answer, then at once ctrl+r
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.query_one(RunPanel).result is not None)
        await pilot.pause()
        assert DEMO_SAID in drawn(app)
        screen._focus_next()  # the moment is over: what the timer does
        await pilot.pause()
        assert app.focused is screen.query_one("#next")
        assert DEMO_SAID in drawn(app)
