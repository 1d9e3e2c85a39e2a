"""The sandbox screen (QA walk 47, 80×24): the "more below" row says how many of a traced run's
warnings are out of sight; ctrl+o pressed again without CUDA shows its note once, not two stacked
over the error text; the sandbox's own notes go as the learner leaves it, and a lesson's
"best to take first" note does not follow the learner into the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.tui.conftest import (
    make_app,
    open_with_key,
    plain,
    ready,
    sandbox_settled,
    toasts,
    wait_for,
)
from tests.tui.test_take_first_notice_withdrawn import (  # noqa: F401 (an autouse fixture)
    CODE,
    app_with_after,
    notes_outlast_the_test,
    take_first_shown,
)
from tutor.i18n import tr
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.following_scroll import FollowingScroll
from tutor.widgets.run_panel import RunPanel

DEAD_RELU = """\
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
model[0].bias.data.fill_(-100.)
model(torch.randn(16, 4)).sum().backward()
"""


def notes(app: Any) -> list[str]:
    """The notes the app holds now, shown or waiting to be."""
    return [note.message for note in app._notifications]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_row_below_counts_the_warnings_out_of_sight(tmp_path, real_sandbox, lang):
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.push_screen(SandboxScreen(code=DEAD_RELU, trace=True))
        screen = app.screen
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None, tries=3000)
        await sandbox_settled(pilot)
        warnings = panel.result.trace_warnings
        assert len(warnings) >= 2, warnings  # the dead ReLU, and no gradient past it
        area = screen.query_one("#sb-output", FollowingScroll)
        said = screen.query_one(".trace-warnings", Static)
        assert said.region.y >= area.content_region.bottom  # all of them out of sight
        more = screen.query_one("#sb-more", Static)
        below = round(area.max_scroll_y - area.scroll_y)
        expected = tr("sb.more_below_warnings", lang, rows=below, warnings=len(warnings))
        assert plain(more.content) == expected
        await pilot.press("ctrl+pagedown", "ctrl+pagedown", "ctrl+pagedown")
        await wait_for(pilot, lambda: area.scroll_y == area.max_scroll_y)
        assert not more.display  # all in sight: nothing said


async def test_ctrl_o_again_without_cuda_shows_one_note(tmp_path):
    app = make_app(tmp_path)  # the fake sandbox found no CUDA
    no_cuda = tr("run.no_cuda", "en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: no_cuda in notes(app))
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.pause()
        assert notes(app).count(no_cuda) == 1, notes(app)
        await wait_for(pilot, lambda: sum(no_cuda in text for text in toasts(app)) == 1)


async def test_the_sandboxs_notes_go_as_the_learner_leaves_it(tmp_path):
    app = make_app(tmp_path, "zh")
    starter_back = tr("sb.starter", "zh")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        screen.query_one("#sb-editor").load_text("x = 1\n")
        await pilot.press("ctrl+n")  # the starter back: "^z brings yours back", here only
        await wait_for(pilot, lambda: starter_back in notes(app))
        await pilot.press("escape", "escape")  # off the editor, then out of the sandbox
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert starter_back not in notes(app), notes(app)


async def test_a_lessons_take_first_note_stays_behind_in_the_lesson(tmp_path: Path):
    app = app_with_after(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        app.open_lesson("tui-after", step=CODE)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: take_first_shown(app))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        await pilot.pause()
        await pilot.pause()
        assert not take_first_shown(app), toasts(app)
