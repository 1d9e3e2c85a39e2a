"""The sandbox screen (QA walk 47, 80×24): the "more below" row says how many of a traced run's
warnings are out of sight; ctrl+o pressed again without CUDA shows its note once, not two stacked
over the error text; the sandbox's own notes go as the learner leaves it, and a lesson's
"best to take first" note does not follow the learner into the sandbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.geometry import Region
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
from tutor.screens.help import HelpScreen
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


WARNINGS_SAID = re.compile(r"(\d+) (?:warnings?|条警告)")


def notes(app: Any) -> list[str]:
    """The notes the app holds now, shown or waiting to be."""
    return [note.message for note in app._notifications]


async def traced_dead_relu(pilot: Any) -> SandboxScreen:
    """A sandbox screen that has run a dead ReLU with the trace on: its two warnings (the dead
    ReLU, and no gradient past it) drawn last, below the output area's fold at 80×24."""
    app = pilot.app
    await ready(pilot)
    await app.push_screen(SandboxScreen(code=DEAD_RELU, trace=True))
    screen = app.screen
    await pilot.press("ctrl+r")
    panel = screen.query_one(RunPanel)
    await wait_for(pilot, lambda: panel.result is not None, tries=3000)
    await sandbox_settled(pilot)
    assert len(panel.result.trace_warnings) >= 2, panel.result.trace_warnings
    return screen


def warnings_said(more: Static) -> int:
    """How many warnings the "more below" row says are below: none where it names none."""
    if more.has_class("-empty"):
        return 0
    found = WARNINGS_SAID.search(plain(more.content))
    return int(found.group(1)) if found else 0


def warnings_drawn_below(screen: SandboxScreen) -> int:
    """How many warnings begin below the output area as the screen is drawn: the rows of the
    warnings' text that begin with ⚠, at the screen rows their Static is drawn on."""
    area = screen.query_one("#sb-output", FollowingScroll)
    said = screen.query_one(".trace-warnings", Static)
    region = said.content_region
    lines = said.render_lines(Region(0, 0, region.width, region.height))
    starts = [row for row, line in enumerate(lines) if line.text.lstrip().startswith("⚠")]
    return sum(region.y + row >= area.content_region.bottom for row in starts)


async def steady(pilot: Any, read: Callable[[], object]) -> None:
    """Wait until ``read()`` gives the same value twice running: the screen laid out again."""
    seen: list[object] = []

    def twice() -> bool:
        seen.append(read())
        return len(seen) >= 2 and seen[-1] == seen[-2]

    await wait_for(pilot, twice)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_row_below_counts_the_warnings_out_of_sight(tmp_path, real_sandbox, lang):
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await traced_dead_relu(pilot)
        warnings = screen.query_one(RunPanel).result.trace_warnings
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


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_warnings_below_are_counted_row_by_row_as_a_wheel_scrolls(
    tmp_path, real_sandbox, lang
):
    """A mouse wheel scrolls the output one row at a time: at each row the count said is of the
    warnings out of sight then (a count read from where they were drawn before the scroll said
    2 with one in sight), rows where one is in sight and one below among them."""
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await traced_dead_relu(pilot)
        area = screen.query_one("#sb-output", FollowingScroll)
        said = screen.query_one(".trace-warnings", Static)
        more = screen.query_one("#sb-more", Static)
        for size in ((80, 24), (44, 24)):
            await pilot.resize_terminal(*size)
            await wait_for(pilot, lambda width=size[0]: screen.size.width == width)
            area.scroll_to(y=0, animate=False)
            await wait_for(pilot, lambda: area.scroll_y == 0)
            await steady(pilot, lambda: said.region)
            # where the warnings begin in the output: their screen row as a scroll lays it out
            begin = said.region.y + round(area.scroll_y)
            counts = []
            y = 0
            while y <= area.max_scroll_y:  # a row less once all is in sight (the row below goes)
                area.scroll_to(y=y, animate=False)
                await wait_for(
                    pilot, lambda begin=begin: said.region.y + round(area.scroll_y) == begin
                )
                below = warnings_drawn_below(screen)
                await wait_for(pilot, lambda below=below: warnings_said(more) == below)
                counts.append(below)
                y += 1
            assert 1 in counts and 2 in counts, counts  # one in sight and one below, at some rows


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


async def test_ctrl_o_held_down_without_cuda_shows_one_note(tmp_path):
    """A held key's repeats come in one read, each handled before the first note is shown."""
    app = make_app(tmp_path)  # the fake sandbox found no CUDA
    no_cuda = tr("run.no_cuda", "en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_with_key(pilot, "s", SandboxScreen)
        for _ in range(2):
            app.post_message(events.Key("ctrl+o", None))
        await wait_for(pilot, lambda: no_cuda in notes(app))
        await pilot.pause()
        assert notes(app).count(no_cuda) == 1, notes(app)
        await wait_for(pilot, lambda: sum(no_cuda in text for text in toasts(app)) == 1)


async def starter_note_said(pilot: Any, lang: str) -> SandboxScreen:
    """Your sandbox, open, with its note that ctrl+z brings the learner's code back said: about
    its editor only."""
    screen = await open_with_key(pilot, "s", SandboxScreen)
    screen.query_one("#sb-editor").load_text("x = 1\n")
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: tr("sb.starter", lang) in notes(pilot.app))
    return screen


async def test_the_sandboxs_notes_go_as_the_learner_leaves_it(tmp_path):
    app = make_app(tmp_path, "zh")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await starter_note_said(pilot, "zh")
        await pilot.press("escape", "escape")  # off the editor, then out of the sandbox
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert tr("sb.starter", "zh") not in notes(app), notes(app)


async def test_a_note_still_to_be_shown_as_the_learner_leaves_is_never_shown(tmp_path):
    """ctrl+n and esc in one read: the note is taken down before it is shown."""
    app = make_app(tmp_path, "en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        screen.query_one("#sb-editor").load_text("x = 1\n")
        screen.query_one("#sb-output").focus()  # off the editor: esc leaves the sandbox
        await wait_for(pilot, lambda: not screen._editor.has_focus)
        for key in ("ctrl+n", "escape"):
            app.post_message(events.Key(key, None))
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert tr("sb.starter", "en") not in notes(app), notes(app)


async def test_a_dialog_over_the_sandbox_leaves_its_notes_up(tmp_path):
    """Help is about the sandbox under it, which stays in sight: its notes stay too."""
    app = make_app(tmp_path, "zh")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await starter_note_said(pilot, "zh")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert tr("sb.starter", "zh") in notes(app), notes(app)


async def test_a_lesson_opened_over_the_sandbox_takes_its_notes_down(tmp_path):
    """The sandbox stays open under the lesson (esc comes back to it): its notes go all the same,
    being about its editor."""
    app = make_app(tmp_path, "en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        sandbox = await starter_note_said(pilot, "en")
        app.open_lesson("tui-basics")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause()
        assert sandbox in app.screen_stack  # suspended, not closed
        assert tr("sb.starter", "en") not in notes(app), notes(app)


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
