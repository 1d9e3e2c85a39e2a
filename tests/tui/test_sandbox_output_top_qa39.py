"""QA pass 39: a run's first lines showed at the foot of the sandbox's empty output area while
it ran (26 blank rows above them at 200x60), then jumped up to the buttons when it ended:
Textual's anchor scrolls an area to its content's height less its own, above its start for
content shorter than the area. The area follows its end only once its content overflows."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from tests.tui.conftest import HANG, FakeSandbox, make_app, open_with_key, wait_for
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.following_scroll import FollowingScroll
from tutor.widgets.run_panel import RunPanel


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_running_runs_status_sits_under_the_buttons(tmp_path, size):
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: HANG))
    async with app.run_test(size=size) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.running)
        await pilot.pause()
        await pilot.pause()
        area = screen.query_one("#sb-output", FollowingScroll)
        panel = screen.query_one(RunPanel)
        buttons_end = screen.query_one("#run", Button).region.bottom
        assert area.following and area.scroll_y == 0
        assert panel.region.y - buttons_end <= 1, (panel.region, buttons_end)
        await pilot.press("escape")


async def test_output_longer_than_the_area_is_followed_to_its_end(tmp_path):
    def long_run(code, *, on_output=None, **_):
        return HANG

    app = make_app(tmp_path, sandbox=FakeSandbox(long_run))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.running)
        panel = screen.query_one(RunPanel)
        for i in range(40):
            panel.add_output("stdout", f"line-{i}\n")
        area = screen.query_one("#sb-output", FollowingScroll)
        await wait_for(pilot, lambda: area.max_scroll_y > 0 and area.is_anchored)
        await pilot.pause()
        assert area.scroll_y == area.max_scroll_y
        await pilot.press("escape")
