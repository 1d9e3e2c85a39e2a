"""What a learner walkthrough found: footers cut at 80 and 60 columns, review buttons losing their
intervals when narrow, Help offering deck problems there are none of, Bug Hunt's "Run it" before
any answer, the sandbox's focus after Run, "Cancelled" said twice, a predict step's "Try again"
keeping the last output, and a "starting the sandbox" status that was never shown."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.widgets import Button, Footer, Input
from textual.widgets._footer import FooterKey

from tutor.i18n import catalog_keys, tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.fitting_footer import COMMAND_PALETTE, keys_to_hide
from tutor.widgets.run_panel import RunPanel

from .conftest import (
    BROKEN,
    DECKS,
    FakeError,
    FakeResult,
    FakeSandbox,
    open_with_key,
    plain,
    ready,
    screen_text,
    scripted,
    wait_for,
)
from .test_tui_review_fixes_review import first_card, open_review

LANGS = ("en", "zh")


def drawn(app: Any) -> list[str]:
    """The screen's rows, as drawn."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def footer_keys(app: Any) -> tuple[list[str], str]:
    """The texts of the keys the footer shows, and of its palette key."""
    keys = list(app.screen.query_one(Footer).query_children(FooterKey))
    shown = [plain(k.render()) for k in keys if k.display and not k.has_class(COMMAND_PALETTE)]
    palette = next(plain(k.render()) for k in keys if k.has_class(COMMAND_PALETTE))
    return shown, palette


async def open_step(pilot: Any, step: int) -> LessonScreen:
    await ready(pilot)
    pilot.app.open_lesson("tui-basics", step=step)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    await wait_for(pilot, lambda: pilot.app.focused is not None)
    return pilot.app.screen


# -- 1. the footer at 80 and 60 columns ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [80, 60])
async def test_a_code_steps_footer_shows_whole_keys_when_narrow(app_factory, width, lang):
    app = app_factory(lang)
    async with app.run_test(size=(width, 30)) as pilot:
        await open_step(pilot, 1)
        await pilot.pause()
        shown, palette = footer_keys(app)
        row = drawn(app)[-1]  # the footer
        keys, _, rest = row.partition("▏")
        assert keys.rstrip() == " ".join(shown)  # every key shown whole, nothing under the palette
        assert rest.rstrip() == palette  # and nothing after it
        assert tr("k.run", lang) in keys  # the step's own keys stay


async def test_keys_left_out_of_a_narrow_footer_still_work_and_help_lists_them(app_factory):
    app = app_factory()
    async with app.run_test(size=(60, 30)) as pilot:
        lesson = await open_step(pilot, 1)
        shown, _ = footer_keys(app)
        # Next and Back stay, for a mouse to click (QA 39); the detours go first
        assert any("Next" in key for key in shown) and any("Back" in key for key in shown)
        assert not any("Still to pass" in key or "Open in sandbox" in key for key in shown)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        described = [description for _, description in app.screen.key_rows()]
        assert {"Next", "Back", "Still to pass", "Open in sandbox", "Close"} <= set(described)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is lesson)
        await pilot.press("right")
        await wait_for(pilot, lambda: lesson.index == 2)


def test_the_footer_leaves_out_spare_keys_first_then_from_the_right():
    widths = [5, 5, 5, 5]
    assert keys_to_hide(widths, 20, spare=[1]) == set()
    assert keys_to_hide(widths, 15, spare=[1]) == {1}
    assert keys_to_hide(widths, 9, spare=[1]) == {1, 3, 2}
    assert keys_to_hide(widths, 12, spare=[]) == {3, 2}


def test_the_footer_needs_no_private_textual_class_to_start():
    """FooterKey is private to Textual: a Textual without it leaves the footer's keys unfitted
    but must not stop the tutor from importing its footer."""
    code = (
        "import textual.widgets._footer as footer\n"
        "del footer.FooterKey\n"
        "from tutor.widgets.fitting_footer import FittingFooter\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


# -- 2. the review's rating buttons when narrow ----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [70, 60])
async def test_narrow_rating_buttons_still_show_their_intervals(tmp_path, width, lang):
    app = await open_review(tmp_path, lang)
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await first_card(pilot)
        await pilot.press("space")
        await pilot.pause()
        for rating in range(1, 5):
            button = screen.query_one(f"#rate-{rating}", Button)
            label = str(button.label)
            assert screen.intervals[rating][0] in label  # the interval's number, at least
            lines = label.splitlines()
            assert button.content_size.height >= len(lines)
            room = button.content_size.width - 2 * button.styles.line_pad  # inside its padding
            assert all(room >= cell_len(line) for line in lines), label


# -- 3. Help lists "x" only with deck problems to show ----------------------------------------------


@pytest.mark.parametrize(("decks", "listed"), [([DECKS], False), ([DECKS, BROKEN], True)])
async def test_help_lists_deck_problems_only_when_there_are_some(app_factory, decks, listed):
    app = app_factory(decks=decks)
    async with app.run_test(size=(100, 36)) as pilot:
        await ready(pilot)
        await pilot.pause()
        panel = app.screen.query_one("#problems")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        described = [description for _, description in app.screen.key_rows()]
        assert panel.display is listed
        assert ("Deck problems" in described) is listed


# -- 4. Bug Hunt's "Run it" ---------------------------------------------------------------------


async def test_bug_hunt_offers_run_it_only_once_answered(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        assert "ctrl+r" not in screen.active_bindings
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.sandbox.calls == []
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.verdict is not None)
        assert "ctrl+r" in screen.active_bindings
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.verdict is None)
        assert "ctrl+r" not in screen.active_bindings


# -- 5 and 6. the sandbox: focus after Run, "Cancelled" once ------------------------------------------


async def open_sandbox(pilot: Any, code: str) -> SandboxScreen:
    await ready(pilot)
    await pilot.app.push_screen(SandboxScreen(code=code))
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SandboxScreen))
    return pilot.app.screen


START_RUN = {
    "click-run": lambda pilot: pilot.click("#run"),
    "ctrl+r": lambda pilot: pilot.press("ctrl+r"),
}


@pytest.mark.parametrize(("start", "focused"), [("click-run", "#run"), ("ctrl+r", "#sb-editor")])
async def test_after_a_run_the_focus_is_where_the_run_was_started(app_factory, start, focused):
    """A click on Run (disabled while the code runs) gets the focus back on Run, not on the
    Trace toggle next to it; ctrl+r in the editor leaves the focus in the editor."""
    app = app_factory()
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_sandbox(pilot, "x = 1\nx\n")
        await START_RUN[start](pilot)
        await wait_for(pilot, lambda: app.sandbox.calls and not screen.running)
        assert app.focused is screen.query_one(focused)


@dataclass
class CancelledError(FakeError):
    code: str = "cancelled"  # worded from the catalogue in Chinese, as the sandbox's own


class CancellingSandbox(FakeSandbox):
    """Ends a cancelled run as the real sandbox does: status "cancelled" and an error saying so."""

    async def run(self, code: str, *args: Any, **options: Any) -> FakeResult:
        result = await super().run(code, *args, **options)
        error = CancelledError("Cancelled", "the run was cancelled")
        return FakeResult(status="cancelled", stdout=result.stdout, error=error, duration_s=0.5)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_cancelled_run_says_cancelled_once(app_factory, lang):
    app = app_factory(lang, sandbox=CancellingSandbox(scripted))
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await open_sandbox(pilot, "while True: pass\n")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "working..." in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.running)
        cancelled = tr("run.status.cancelled", lang)
        panel = screen.query_one(RunPanel)
        assert cancelled in plain(panel.query_one(".run-status-text").content)
        assert screen_text(app).count(cancelled) == 1


# -- 7. a predict step's "Try again" ------------------------------------------------------------------


async def test_try_again_clears_the_last_runs_output(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        lesson = await open_step(pilot, 5)
        view = lesson.step_view
        await pilot.press(*"(2, 4)", "enter")
        await wait_for(pilot, lambda: view.graded)
        panel = view.query_one(RunPanel)
        assert panel.display and "torch.Size([4, 2])" in "\n".join(drawn(app))
        await pilot.press("enter")  # "Try again" has the focus
        await wait_for(pilot, lambda: not view.graded and isinstance(app.focused, Input))
        await pilot.pause()
        assert not panel.display and "torch.Size([4, 2])" not in "\n".join(drawn(app))


# -- 8. the catalogue's unused strings ---------------------------------------------------------------


async def test_a_run_says_the_sandbox_is_starting_until_it_has(app_factory):
    """A run asked for while the sandbox's worker still starts (importing torch) says so, then
    runs once it is up."""
    app = app_factory(sandbox=None)
    started = asyncio.Event()

    async def start() -> None:
        await started.wait()
        app.sandbox = FakeSandbox(scripted)

    async with app.run_test(size=(100, 40)) as pilot:
        app._sandbox_start = asyncio.create_task(start())
        lesson = await open_step(pilot, 1)
        await pilot.press("r")
        panel = lesson.step_view.query_one(RunPanel)
        status = panel.query_one(".run-status-text")
        await wait_for(pilot, lambda: panel.display)
        assert plain(status.content) == tr("sandbox.starting", "en")
        started.set()
        await wait_for(pilot, lambda: panel.result is not None)
        assert plain(status.content).startswith("✅")


def test_every_palette_string_is_used():
    """By the palette's commands, or by the app that opens it (its placeholder)."""
    tutor = Path(__file__).parents[2] / "tutor"
    source = "".join(
        (tutor / name).read_text(encoding="utf-8") for name in ("palette.py", "app.py")
    )
    palette_keys = [key for key in catalog_keys() if key.startswith("palette.")]
    assert (
        palette_keys
        and [key for key in palette_keys if f"'{key}'" not in source and f'"{key}"' not in source]
        == []
    )
