"""What F2 (the language switch) leaves on screen, and a quiz in a very narrow terminal.

* the sandbox's buttons after F2 are as wide as when the sandbox opens in that language (they
  kept the old label's width: "Cancel" was cut after 中文, and English left 中文's too wide);
* F2 in the middle of a long lesson step keeps the place read (it went back to the top);
* a quiz step shrunk to a few columns draws (Textual's option list divided by a zero width).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import Horizontal, VerticalScroll

from tutor.screens.lesson import LessonScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import drawn, make_app, wait_for
from .test_tui_review_fixes_steps import open_lesson

ROOT = Path(__file__).resolve().parents[2]
OTHER = {"en": "zh", "zh": "en"}


async def sandbox_button_row(tmp_path: Path, lang: str, switch: bool) -> str:
    """The sandbox's Run / Cancel / Trace row as drawn, opened in ``lang`` (then F2 if
    ``switch``)."""
    app = make_app(tmp_path / f"{lang}-{switch}", lang, start="sandbox")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        if switch:
            await pilot.press("f2")
            await wait_for(pilot, lambda: app.lang == OTHER[lang])
        await pilot.pause(0.2)
        row = app.screen.query_one("#sb-buttons", Horizontal).region
        return "\n".join(drawn(app).splitlines()[row.y : row.bottom])


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_sandbox_buttons_after_f2_match_a_sandbox_opened_in_that_language(
    tmp_path: Path, lang: str
) -> None:
    switched = await sandbox_button_row(tmp_path, lang, switch=True)
    direct = await sandbox_button_row(tmp_path, OTHER[lang], switch=False)
    assert "Cancel" in direct or "取消" in direct  # the row was found
    assert switched == direct


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_f2_in_a_long_step_keeps_the_place_read(tmp_path: Path, lang: str) -> None:
    """At 60x20 the attention lesson's first step is several screens long: scrolled halfway
    down, F2 shows the same place (or the new text's end, when it is shorter)."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_lesson(pilot, "attention", 0)
        scroll = screen.query_one("#step-scroll", VerticalScroll)
        await wait_for(pilot, lambda: scroll.max_scroll_y > 10)
        scroll.scroll_to(y=scroll.max_scroll_y // 2 + 1, animate=False, immediate=True)
        await pilot.pause(0.1)
        before = scroll.scroll_y
        assert before > 0
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == OTHER[lang])
        await pilot.pause(0.5)
        assert isinstance(app.screen, LessonScreen)
        assert scroll.scroll_y == min(before, scroll.max_scroll_y) > 0


@pytest.mark.parametrize("step", [2, 6])  # single choice, order
@pytest.mark.parametrize("width", [8, 5])
async def test_a_quiz_step_in_a_very_narrow_terminal_draws(
    tmp_path: Path, step: int, width: int
) -> None:
    app = make_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, "tui-basics", step)
        await pilot.resize_terminal(width, 20)
        await pilot.pause(0.3)
        assert app.screen is screen
        assert screen.query(ChoiceList)  # the quiz is still there, drawn without a crash
        assert len(drawn(app).splitlines()) == 20
