"""A learner with only a mouse: every dialog closes with a click, Bug Hunt is answered with a
button, and what looks clickable (the home panels, the sandbox's trace label, the review card)
does what its key does. The 🧠 icon's tooltip is in the learner's language."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.tui_helpers import make_app as make_review_app
from tests.learning.tui_helpers import review_first_card
from tutor.config import TutorConfig
from tutor.i18n import Lang
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.problems import ProblemsScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import open_with_key, ready, wait_for

SIZE = (80, 24)
CLOSE = {"en": "✕ Close", "zh": "✕ 关闭"}


async def show_dialog(pilot: Any, which: str) -> Any:
    """Help (the app's ``?``) or Deck problems (the palette's entry), over the course map."""
    await ready(pilot)
    app = pilot.app
    if which == "help":
        app.action_help()
        kind: type = HelpScreen
    else:
        app.action_problems()
        kind = ProblemsScreen
    await wait_for(pilot, lambda: isinstance(app.screen, kind))
    return app.screen


@pytest.mark.parametrize("which", ["help", "problems"])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_dialog_closes_with_its_close_button(app_factory, which, lang):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await show_dialog(pilot, which)
        close = dialog.query_one("#modal-close", Button)
        assert str(close.label) == CLOSE[lang]
        # in sight, inside the box, at 80×24 too (Help's keys scroll above it)
        assert close.region.area and dialog.region.contains_region(close.region)
        await pilot.click("#modal-close")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_the_close_button_follows_f2(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await show_dialog(pilot, "help")
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == Lang.ZH)
        assert str(dialog.query_one("#modal-close", Button).label) == CLOSE["zh"]


@pytest.mark.parametrize("which", ["help", "problems"])
async def test_a_click_outside_a_dialog_closes_it_and_one_inside_does_not(app_factory, which):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await show_dialog(pilot, which)
        box = dialog.query_one(f"#{which}-box")
        await pilot.click(offset=(box.region.x + 3, box.region.y + 1))  # on the title
        await pilot.pause()
        assert app.screen is dialog
        await pilot.click(offset=(1, 1))  # the dimmed course map around the box
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


@pytest.mark.parametrize("lang, label", [("en", "✔ Submit"), ("zh", "✔ 提交")])
async def test_bug_hunt_is_answered_by_clicks_on_a_line_then_submit(app_factory, lang, label):
    app = app_factory(lang)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        lines = screen.query_one(ChoiceList)
        await pilot.click(lines, offset=(6, 1 + 2))  # line 3: code in every puzzle
        await pilot.pause()
        assert lines.highlighted == 2 and screen.verdict is None  # a click only points
        submit = screen.query_one("#submit", Button)
        assert str(submit.label) == label
        await pilot.click("#submit")
        await pilot.pause()
        assert screen.verdict is not None and screen.verdict["line"] == 3
        assert submit.disabled  # the round is answered: nothing more to submit
        assert screen.query_one("#demo").display
        await pilot.click("#next")
        await wait_for(pilot, lambda: screen.verdict is None)
        assert not submit.disabled


async def test_a_click_on_the_continue_panel_continues(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.click("#continue-box", offset=(4, 2))
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))


@pytest.mark.parametrize("row, screen", [(1, ShapeGuesserScreen), (2, BugHuntScreen)])
async def test_a_click_on_a_games_line_opens_its_game(app_factory, row, screen):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.click("#games", offset=(6, 1 + row))  # under the border, past the title
        await wait_for(pilot, lambda: isinstance(app.screen, screen))


async def test_a_click_on_the_games_f2_line_switches_the_language(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.click("#games", offset=(3, 4))  # on "f2"
        await wait_for(pilot, lambda: app.lang == Lang.ZH)
        assert isinstance(app.screen, HomeScreen)


async def test_a_click_on_the_trace_label_switches_the_trace(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        assert not screen.trace
        await pilot.click("#sb-trace", offset=(2, 0))
        await pilot.pause()
        assert screen.trace
        await pilot.click("#sb-trace", offset=(2, 0))
        await pilot.pause()
        assert not screen.trace


async def test_a_click_on_the_review_card_shows_the_answer_and_never_rates(tmp_path):
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)])
    app = make_review_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        learning, screen = await review_first_card(pilot, app)
        assert not screen.revealed
        await pilot.click("#card-front", offset=(4, 0))
        await pilot.pause()
        assert screen.revealed
        await pilot.click("#card-front", offset=(4, 0))  # a second click, on the answer
        await pilot.double_click("#review-card", offset=(4, 2))
        await pilot.pause()
        assert screen.session.ratings == [] and learning.store.review_count() == 0


async def test_a_click_on_the_show_the_answer_line_shows_it(tmp_path):
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)])
    app = make_review_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        _learning, screen = await review_first_card(pilot, app)
        await pilot.click("#reveal-hint")
        await pilot.pause()
        assert screen.revealed


@pytest.mark.parametrize("lang, said", [("en", "Open the command palette"), ("zh", "打开命令面板")])
async def test_the_header_icon_tooltip_is_in_the_learners_language(app_factory, lang, said):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert str(app.screen.query_one("HeaderIcon").tooltip) == said
        screen = await open_with_key(pilot, "s", SandboxScreen)  # another screen's header
        assert str(screen.query_one("HeaderIcon").tooltip) == said


async def test_the_header_icon_tooltip_follows_f2(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == Lang.ZH)
        assert str(app.screen.query_one("HeaderIcon").tooltip) == "打开命令面板"
