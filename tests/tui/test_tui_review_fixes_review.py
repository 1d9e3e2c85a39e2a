"""Review, games and trace, as a reviewer found them: a review example run that showed no code
(and could give the answer away before it was revealed), interval units that read as months in
Chinese, games and a running spinner left in the old language after F2 (with buttons cut to the
old label's width), an English-only trace phase column, a Bug Hunt that named one line of a
two-line bug, printed what its code never printed and wrapped long lines flush left, and
"1 day(s)"."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.widgets import Button, DataTable, OptionList

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.tui_helpers import make_app as make_learning_app
from tests.learning.tui_helpers import settle
from tutor.config import TutorConfig
from tutor.games.bug_hunt import KINDS, BugPuzzle, new_puzzle
from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen, NumberedLine
from tutor.screens.review import ReviewScreen, interval_words
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.stats_text import reviews_line
from tutor.widgets.code_view import CodeView
from tutor.widgets.run_panel import RunPanel
from tutor.widgets.trace_view import TraceView

from .conftest import HANG, FakeResult, FakeSandbox, plain, ready, screen_text, wait_for

SIZE = (100, 40)
EXAMPLE_RUN = FakeResult(stdout="8\n")


def status_of(panel: RunPanel) -> str:
    return plain(panel.query_one(".run-status-text").content)


def fits(button: Button) -> bool:
    """Whether the button is wide enough for its whole label."""
    return button.content_size.width >= cell_len(str(button.label))


# ------------------------------------------------------------------------- 1. review example


async def open_review(tmp_path: Path, lang: str = "en", sandbox: Any = None) -> Any:
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang=lang)
    app = make_learning_app(config, lang=lang)
    app.sandbox = sandbox or FakeSandbox(lambda code, **_: EXAMPLE_RUN)
    app.cuda = False
    return app


async def first_card(pilot: Any) -> ReviewScreen:
    app = pilot.app
    await settle(pilot, app, lessons_finished=True)
    screen = ReviewScreen()
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "card")
    assert screen.card.id == "tensors.card-count" and screen.card.card.example
    return screen


async def test_the_example_and_its_key_come_with_the_answer_and_show_the_code(tmp_path):
    app = await open_review(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_card(pilot)
        assert "r" not in screen.active_bindings  # not offered: its output may be the answer
        await pilot.press("r")
        await pilot.pause()
        assert app.sandbox.calls == [] and not screen.query_one("#example-run").display

        await pilot.press("space")
        await pilot.pause()
        assert "r" in screen.active_bindings
        code = screen.query_one("#example-code", CodeView)
        assert code.display and "nn.Linear(3, 2).parameters()" in code.code
        await pilot.press("r")
        panel = screen.query_one("#example-run", RunPanel)
        await wait_for(pilot, lambda: panel.result is not None)
        assert app.sandbox.calls[-1]["code"].startswith("sum(p.numel()")
        text = screen_text(app)
        assert "nn.Linear(3, 2).parameters()" in text and "8" in text  # the code with its output

        await pilot.press("3")  # the next card shows neither the last example nor its output
        await wait_for(pilot, lambda: screen.card.id != "tensors.card-count")
        assert not code.display and not panel.display and "r" not in screen.active_bindings


async def test_the_next_card_stops_the_last_example_run(tmp_path):
    app = await open_review(tmp_path, sandbox=FakeSandbox(lambda code, **_: HANG))
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_card(pilot)
        await pilot.press("space", "r")
        await wait_for(pilot, lambda: "working..." in screen_text(app))
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.card.id != "tensors.card-count")
        await pilot.pause()
        assert not screen.query_one("#example-run").display
        assert not [w for w in screen.workers if w.group == "run" and not w.is_finished]


# ---------------------------------------------------------------------------- 2. intervals


@pytest.mark.parametrize(
    ("label", "en", "zh"),
    [
        ("45s", "45 s", "45 秒"),
        ("10m", "10 min", "10 分钟"),
        ("3h", "3 h", "3 小时"),
        ("8d", "8 d", "8 天"),
        ("1.5mo", "1.5 mo", "1.5 个月"),
        ("2y", "2 yr", "2 年"),
        ("", "", ""),
    ],
)
def test_interval_labels_are_words_of_the_language(label, en, zh):
    assert interval_words(label, "en") == en
    assert interval_words(label, "zh") == zh


async def test_rating_buttons_and_summary_say_minutes_and_days(tmp_path):
    app = await open_review(tmp_path, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_card(pilot)
        await pilot.press("space")
        await pilot.pause()
        assert str(screen.query_one("#rate-3", Button).label) == "3 良好 · 10 分钟"
        assert str(screen.query_one("#rate-4", Button).label) == "4 简单 · 8 天"
        await pilot.press("f2")
        await pilot.pause()
        assert str(screen.query_one("#rate-3", Button).label) == "3 Good · 10 min"
        for _ in range(3):
            await pilot.press("enter", "4")
            await pilot.pause()
        await wait_for(pilot, lambda: screen.state == "done")
        assert "Next card due in 8 d" in str(screen.query_one("#review-summary").render())


# ------------------------------------------------------------------------- 3. F2 in games


async def show(pilot, screen):
    """Push ``screen`` once the app is ready; return it."""
    await ready(pilot)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_shape_guesser_follows_f2_after_an_answer(app_factory):
    box = FakeSandbox(lambda code, **_: FakeResult(stdout="(2, 4)\n"))
    app = app_factory(lang="zh", sandbox=box)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, ShapeGuesserScreen(seed=1))
        await pilot.press(*"(1, 1)", "enter")
        await wait_for(pilot, lambda: screen.verdict is not None)
        assert status_of(screen.query_one(RunPanel)).startswith("✅ 完成")
        await pilot.press("f2")
        await pilot.pause()
        assert status_of(screen.query_one(RunPanel)).startswith("✅ Done")
        assert str(screen.query_one("#submit", Button).label) == "✔ Submit"
        assert all(fits(button) for button in screen.query(Button))


async def test_bug_hunt_follows_f2_after_its_demo(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, BugHuntScreen(seed=1))
        await pilot.press("enter", "ctrl+r")
        await wait_for(pilot, lambda: screen.query_one(RunPanel).result is not None)
        await pilot.press("f2")
        await pilot.pause()
        assert status_of(screen.query_one(RunPanel)).startswith("✅ 完成")
        assert str(screen.query_one("#demo", Button).label) == "▶ 运行看看"
        assert all(fits(button) for button in screen.query(Button))


async def test_a_run_in_progress_follows_f2(app_factory):
    app = app_factory(sandbox=FakeSandbox(lambda code, **_: HANG))
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, ShapeGuesserScreen(seed=1))
        await pilot.press(*"(1, 1)", "enter")
        await wait_for(pilot, lambda: "working..." in screen_text(app))
        panel = screen.query_one(RunPanel)
        assert status_of(panel) == tr("run.running", "en", device="CPU")
        await pilot.press("f2")
        await pilot.pause()
        assert status_of(panel) == tr("run.running", "zh", device="CPU")
        assert panel.has_class("-running") and "working..." in screen_text(app)


async def test_a_hidden_run_stays_hidden_after_f2(app_factory):
    box = FakeSandbox(lambda code, **_: FakeResult(stdout="(2, 4)\n"))
    app = app_factory(sandbox=box)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, ShapeGuesserScreen(seed=1))
        await pilot.press(*"(1, 1)", "enter")
        await wait_for(pilot, lambda: screen.verdict is not None)
        await pilot.press("ctrl+n", "f2")
        await pilot.pause()
        assert not screen.query_one(RunPanel).display  # the last round's result stays away


# ------------------------------------------------------------------------------ 4. trace


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_trace_phase_column_speaks_the_language_and_fits_100_columns(app_factory, lang):
    from .test_tui_flows import open_basics

    app = app_factory(lang=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_basics(pilot, step=1)
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query(TraceView))
        await pilot.pause()
        table = app.screen.query_one(TraceView).query_one(DataTable)
        phases = [table.get_row_at(row)[1].plain for row in range(table.row_count)]
        assert phases == [tr("trace.phase.forward", lang), tr("trace.phase.backward", lang)]
        if lang == "zh":
            assert phases == ["→ 前向", "← 反向"]
        assert table.virtual_size.width <= table.scrollable_content_region.width


# --------------------------------------------------------------------------- 5. bug hunt


def puzzle(kind: str) -> BugPuzzle:
    return new_puzzle(random.Random(0), kind)


async def bug_hunt_with(pilot: Any, kind: str) -> BugHuntScreen:
    await ready(pilot)
    screen = BugHuntScreen(seed=0)
    screen.puzzle = puzzle(kind)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def test_bug_span_names_every_marked_line():
    assert puzzle("no_zero_grad").bug_lines == {4, 5, 6, 7}  # wherever zero_grad works
    assert puzzle("no_zero_grad").bug_span == "4–7"
    assert puzzle("double_softmax").bug_span == str(puzzle("double_softmax").answer)
    spread = BugPuzzle("x", "a\nb\nc\nd\ne\n", frozenset({2, 4, 5}), {}, {}, "", "")
    assert spread.bug_span == "2, 4–5"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_two_line_bug_is_named_as_two_lines(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await bug_hunt_with(pilot, "no_zero_grad")
        await pilot.press("enter")  # line 1: wrong
        await pilot.pause()
        text = screen_text(app)
        # a missing line is named by the lines around it, its fix shown after the first; no
        # innocent line is marked as the bug (QA 36: 🐞 on all four lines of the loop)
        # (fixer 8: named by the lines it goes right after)
        places = {"en": "4, 5 or 7", "zh": "4、5 或 7"}[lang]
        assert tr("game.bug.was_missing", lang, lines=places) in text
        assert tr("game.bug.was", lang, line=4) not in text
        assert not [line for line in text.splitlines() if "🐞" in line and "│" in line]
        fixed = [line for line in text.splitlines() if "⤵ opt.zero_grad()" in line]
        assert len(fixed) == 1


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_demo_is_the_puzzle_code_and_the_harness_it_shows(kind):
    shown = puzzle(kind)
    start, extra = shown.harness
    if not extra:
        assert shown.demo.strip() == shown.code.strip()
        return
    demo_lines = shown.demo.rstrip("\n").split("\n")
    assert demo_lines[start - 1 :] == extra.split("\n")
    assert shown.demo.startswith(shown.code)


async def test_the_demo_shows_the_lines_that_print(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "no_zero_grad")
        assert not screen.query_one("#demo-code").display
        await pilot.press("enter", "ctrl+r")
        await wait_for(pilot, lambda: screen.query_one(RunPanel).result is not None)
        shown = plain(screen.query_one("#demo-code").content)
        assert "print(f'step {step + 1}: loss {loss.item():.3f}')" in shown
        assert re.search(r"^\s*8 .*if step % 5 == 4:", shown, re.M)  # numbered after the code
        assert tr("game.bug.demo_adds", "en") in shown
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not screen.query_one("#demo-code").display


async def test_a_demo_that_adds_nothing_says_so(app_factory):
    app = app_factory(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "eval_forgotten")
        await pilot.press("enter", "ctrl+r")
        await wait_for(pilot, lambda: screen.query_one(RunPanel).result is not None)
        assert plain(screen.query_one("#demo-code").content) == tr("game.bug.demo_as_is", "zh")


CONTINUATION = re.compile(r"^ {3}│ (?P<indent> *)\S")
NUMBERED = re.compile(r"^ ?\d+ │ ")


def test_a_wrapped_code_line_hangs_under_a_blank_gutter():
    code = Text("    nn.Linear(16, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2)")
    console = Console(width=40, file=None, record=True, legacy_windows=False)
    with console.capture() as captured:
        console.print(NumberedLine(2, code, Text("  🐞")))
    rows = captured.get().rstrip("\n").split("\n")
    assert len(rows) > 1 and rows[0].startswith(" 2 │     nn.Linear")
    for row in rows[1:]:
        match = CONTINUATION.match(row)
        assert match and len(match["indent"]) == 8, rows  # its own indent, and 4 more
        assert cell_len(row) <= 40
    assert "".join(rows).replace(" ", "").endswith("nn.Linear(16,2)🐞")


async def test_long_lines_wrap_as_continuations_at_80_columns(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 40)) as pilot:
        screen = await bug_hunt_with(pilot, "eval_forgotten")
        await pilot.press("down", "enter")  # line 2, the longest, is wrong: ❌ makes it wrap
        await pilot.pause()
        lines = screen.query_one(OptionList)
        rows = [lines.render_line(y).text.rstrip() for y in range(lines.size.height)]
        rows = [row for row in rows if row]
        assert len(rows) > len(screen.puzzle.lines), rows  # something wrapped
        for row in rows:
            assert NUMBERED.match(row) or CONTINUATION.match(row), rows


# ---------------------------------------------------------------------------- 6. plurals


@pytest.mark.parametrize(("days", "en"), [(0, "0 days 🌱"), (1, "1 day 🔥"), (2, "2 days 🔥")])
def test_the_streak_has_a_proper_plural_and_no_flame_at_zero(days, en):
    """A flame beside "0 days" (stats screen and ``nn-tutor stats``; the course map had 🌱)."""
    values = {"reviews_total": 3, "retention_30d": 0.9, "streak_days": days}
    assert f"streak: {en}" in reviews_line(values, "en")
    assert f"连续学习：{days} 天 {en[-1]}" in reviews_line(values, "zh")
    assert "(s)" not in reviews_line(values, "en")


def test_format_specs_other_than_plurals_still_work():
    assert tr("export.done", "en", count=1, path="x").startswith("Exported 1 card to x.")
    assert tr("export.done", "en", count=2, path="x").startswith("Exported 2 cards to x.")
    assert tr("sandbox.status.ok", "en", duration=0.123, device="cpu") == "✅ ran in 0.12 s on cpu"
