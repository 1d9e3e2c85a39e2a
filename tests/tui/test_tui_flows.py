"""A learner's flows through the app, driven with Textual's pilot (a scripted sandbox; the torch
check at the end boots the real one in a subprocess)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable, Input, OptionList, TextArea

from tutor.i18n import tr
from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.problems import ProblemsScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.trace_layout import COLUMNS, COMPACT_COLUMNS
from tutor.widgets.step_base import StepView
from tutor.widgets.step_quiz_choice import ChoiceQuizView
from tutor.widgets.trace_view import TraceView

from .conftest import (
    BIAS_LEFT,
    BROKEN,
    DECKS,
    SIZE,
    FakeLearning,
    from_palette,
    open_with_key,
    ready,
    run_code_step,
    screen_text,
    toasts,
    wait_for,
)

REPO = Path(__file__).resolve().parents[2]


async def next_step(pilot) -> None:
    """Press → as a learner would: an answer box or editor keeps → for its cursor, so leave it."""
    if isinstance(pilot.app.focused, Input):
        await pilot.press("tab")
    elif isinstance(pilot.app.focused, TextArea):
        await pilot.press("escape")
    await pilot.press("right")
    await pilot.pause()


async def open_basics(pilot, step: int = 0) -> LessonScreen:
    await ready(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    screen = pilot.app.screen
    for _ in range(step):
        await next_step(pilot)
    assert screen.index == step
    await pilot.pause()
    return screen


async def test_home_shows_course_map_with_prerequisites(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Basics: one Linear layer" in text
        assert "Next: stacking layers" in text
        assert "suggested first: “Basics" in text


async def test_open_lesson_and_step_through(app_factory):
    learning = FakeLearning()
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot)
        assert "Step 1/10" in screen_text(app)
        assert "x (N, 3)" in screen_text(app)  # the ASCII diagram survives
        for expected in range(1, 10):
            await next_step(pilot)
            assert screen.index == expected
        await pilot.press("left")
        await pilot.pause()
        assert screen.index == 8
        await wait_for(pilot, lambda: ("save_position", "tui-basics", 8) in learning.calls)
        assert ("mark_step_seen", "tui-basics", 9) in learning.calls
        assert ("introduce_card", "tui-basics.card") in learning.calls
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_finishing_a_lesson_says_its_flashcards_join_the_review(app_factory):
    app = app_factory(learning=FakeLearning())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_basics(pilot, step=9)
        await next_step(pilot)  # past the last step: back home
        await wait_for(pilot, lambda: len(app.screen.query("Toast")) > 0)
        shown = toasts(app)
        assert any(
            "Lesson finished" in t and "Flashcards unlocked for your review: 1" in t for t in shown
        ), shown
        assert any("Next up: Next: stacking layers (c on the home screen)" in t for t in shown)


class ResumedLearning(FakeLearning):
    """A learner who resumed at a saved position: three steps of the lesson were never shown."""

    def lesson_progress(self, lesson_id: str) -> dict[str, Any]:
        return {**super().lesson_progress(lesson_id), "seen_steps": 7, "completed": False}


async def test_finishing_with_unseen_steps_says_the_flashcards_still_wait(app_factory):
    app = app_factory(learning=ResumedLearning())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_basics(pilot, step=9)
        await next_step(pilot)
        await wait_for(pilot, lambda: len(app.screen.query("Toast")) > 0)
        shown = toasts(app)
        assert any(
            "waiting until you have seen every step: 1" in t and "not seen yet: 3" in t
            for t in shown
        ), shown
        assert not any("unlocked" in t or "Next up" in t for t in shown), shown
        # not "finished" (QA: it said "Lesson finished — nice work!" with 3 steps unseen)
        assert any(t.startswith("🏁 End of the lesson, not finished yet") for t in shown), shown
        assert not any("Lesson finished" in t for t in shown), shown


async def test_single_choice_wrong_then_right_explains_every_option(app_factory):
    learning = FakeLearning()
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=2)
        assert isinstance(app.focused, OptionList)
        await pilot.press("1", "enter")  # (3, 2): wrong
        await pilot.pause()
        text = screen_text(app)
        assert "Not quite." in text
        for why in ("That is (in, out): transposed.", "Right: (out, in).", "That is the bias."):
            assert why in text
        await pilot.click("#retry")
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert "Right!" in screen_text(app)
        await wait_for(pilot, lambda: len(learning.named("record_quiz")) == 2)
        assert learning.named("record_quiz") == [
            ("tui-basics.q-single", "tui-basics", False, "a", False),
            ("tui-basics.q-single", "tui-basics", True, "b", True),  # after the answer showed
        ]


async def test_multiple_choice_and_true_false(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=3)
        await pilot.press("1", "3", "enter")  # weight + in_features: wrong
        await pilot.pause()
        assert "Not quite." in screen_text(app)
        assert "No: a plain int." in screen_text(app)
        await pilot.press("right")
        await pilot.pause()
        assert screen.index == 4
        await pilot.press("t", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Right!" in text
        assert "The name stays registered, as None." in text


async def test_order_quiz_solved_with_keys(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=6)
        state = screen.states[6]
        items = app.screen.query_one("#items", OptionList)
        for place in range(3):
            here = state["arrangement"].index(place)
            items.highlighted = here
            for _ in range(here - place):
                await pilot.press("shift+up")
            await pilot.pause()
        assert state["arrangement"] == [0, 1, 2]
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Right!" in text
        assert "The right order:" in text


async def test_predict_runs_the_snippet_to_reveal_the_truth(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=5)
        assert isinstance(app.focused, Input)
        await pilot.press(*"(2, 4)", "enter")
        await wait_for(pilot, lambda: "It printed:" in screen_text(app))
        text = screen_text(app)
        assert "Not quite." in text
        assert "torch.Size([4, 2])" in text
        assert "The batch passes through" in text
        await pilot.click("#retry")
        await pilot.pause()
        await pilot.press(*"4x2", "enter")
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert app.sandbox.calls[-1]["code"].startswith("print(nn.Linear(3, 2)")


async def test_code_step_runs_and_shows_output_value_and_trace(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=1)
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query(TraceView))
        text = screen_text(app)
        assert "weight (2, 3)" in text
        assert "torch.Size([4, 2])" in text
        assert "Done" in text
        table = app.screen.query_one(TraceView).query_one(DataTable)
        assert table.row_count == 2
        assert app.sandbox.calls[-1]["trace"] is True
        assert app.sandbox.calls[-1]["device"] == "cpu"


async def test_exercise_fail_then_hint_then_pass(app_factory):
    learning = FakeLearning()
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=7)
        assert isinstance(app.focused, TextArea)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "Not yet:" in screen_text(app))
        assert "layer still has a bias" in screen_text(app)
        assert "Reference solution" not in screen_text(app)
        await pilot.press("escape", "h")
        await pilot.pause()
        assert "Hint 1/2: Only the bias must go." in screen_text(app)
        editor = app.screen.query_one(TextArea)
        editor.load_text("layer = nn.Linear(3, 1, bias=False)\n")
        editor.focus()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "All checks passed!" in screen_text(app))
        assert "Reference solution" in screen_text(app)
        await wait_for(pilot, lambda: len(learning.named("record_exercise")) == 2)
        assert learning.named("record_exercise") == [
            ("tui-basics.ex", "tui-basics", False, 0, {"check": BIAS_LEFT, "error": None}, False),
            ("tui-basics.ex", "tui-basics", True, 1, None, False),  # a hint shows no solution
        ]


async def test_check_message_speaks_the_learners_language(app_factory):
    app = app_factory(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=7)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "layer 还带着偏置" in screen_text(app))
        assert "still has a bias" not in screen_text(app)


async def test_cancel_a_long_run(app_factory):
    app = app_factory(start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_code_step(pilot)
        assert "working..." in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not panel.has_class("-running"))
        assert "Cancelled" in screen_text(app)
        assert isinstance(app.screen, LessonScreen)  # esc cancelled the run, it did not leave
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_switch_language_everywhere(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "Course" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        text = screen_text(app)
        assert "课程" in text and "基础：一个 Linear 层" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause()
        assert "第 1/10 步" in screen_text(app)
        assert "计算" in screen_text(app)
        footer_labels = [b.binding.description for b in app.screen.active_bindings.values()]
        assert "下一步" in footer_labels
        await pilot.press("f2")
        await pilot.pause()
        assert "Step 1/10" in screen_text(app)
        assert "computes" in screen_text(app)


async def test_help_lists_the_keys_of_the_current_screen(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=2)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        descriptions = [a.binding.description for a in app.screen.under.active_bindings.values()]
        assert {"Next", "Back", "Close", "Choose"} <= set(descriptions)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_on_a_question_says_how_to_answer_and_names_n_and_p(app_factory, lang):
    """Help on a choice question listed no way to answer it (the list's own Enter, "Select",
    hid the quiz's Submit and was dropped as Textual's; the digits had no words), and named ←
    and → for n and p, which it never named (QA)."""
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=2)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = dict((words, keys.split()) for keys, words in app.screen.key_rows())

        def t(key: str) -> str:
            return tr(key, lang)

        assert rows[t("k.pick_number")] == ["1-3"]  # the fixture quiz has three options
        assert app.get_key_display(Binding("enter", "")) in rows[t("k.submit")]
        assert {"→", "n"} <= set(rows[t("k.next")]) and {"←", "p"} <= set(rows[t("k.previous")])


async def test_f2_over_help_speaks_the_other_language(app_factory):
    # A dialog stops the keys at itself: F2 is the dialogs' own binding, not only the app's.
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=2)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Keys on this screen" in screen_text(app)
        await pilot.press("f2")
        await wait_for(pilot, lambda: "本页按键" in screen_text(app))
        assert isinstance(app.screen, HelpScreen) and app.lang == "zh"


async def test_command_palette_reaches_lessons(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await from_palette(pilot, "stacking")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson_id == "tui-next"


async def test_command_palette_in_chinese_also_finds_english_words(app_factory):
    """In zh the palette matched only the Chinese titles: typing "sandbox" (how the README, the
    CLI and the code name it) found nothing."""
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await from_palette(pilot, "sandbox")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))


async def test_sandbox_screen_shows_error_line(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        editor = (await open_with_key(pilot, "s", SandboxScreen)).query_one(TextArea)
        editor.load_text("x = 1\nboom\n")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "NameError" in screen_text(app))
        assert "line 2" in screen_text(app)
        assert editor.selection.start[0] == 1  # the learner's line is selected
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_sandbox_screen_loads_a_file(app_factory, tmp_path):
    script = tmp_path / "mine.py"
    script.write_text("print('hello from a file')\n")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        assert "hello from a file" in app.screen.query_one(TextArea).text


async def test_deck_problems_are_shown(tmp_path):
    from .conftest import make_app

    app = make_app(tmp_path, decks=[DECKS, BROKEN])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "1 deck skipped" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "bad.yaml" in text and "answer 'z' is not among the options" in text


async def test_home_shows_progress_streak_and_continue(app_factory):
    learning = FakeLearning()
    learning.positions["tui-next"] = 1
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: "4-day streak" in screen_text(app))
        text = screen_text(app)
        assert "3 cards to review" in text
        assert "suggested first" not in text  # basics is completed
        await pilot.press("c")  # continue: the first unfinished lesson, at its saved step
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson_id == "tui-next" and app.screen.index == 1


async def test_review_and_stats_keys_open_their_screens_when_present(app_factory):
    from tutor.app import _screen_class

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for key, module, name in (("r", "review", "ReviewScreen"), ("t", "stats", "StatsScreen")):
            cls = _screen_class(f"tutor.screens.{module}", name)
            await pilot.press(key)
            await pilot.pause(0.3)
            if cls is None:
                assert isinstance(app.screen, HomeScreen)
            else:
                assert isinstance(app.screen, cls)
                app.pop_screen()
                await pilot.pause()


async def test_lesson_resumes_at_a_saved_step(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_lesson("tui-basics", step=2)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause()
        assert app.screen.index == 2
        views = app.screen.query(StepView)
        assert len(views) == 1 and isinstance(views.first(), ChoiceQuizView)
        assert "Step 3/10" in screen_text(app)


async def test_escape_leaves_the_editor_then_the_lesson(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=7)
        assert isinstance(app.focused, TextArea)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and not isinstance(app.focused, TextArea)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


UI_WITHOUT_TORCH = """
import asyncio, sys
from tests.tui.conftest import make_app, ready, wait_for
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.run_panel import RunPanel

async def main(tmp):
    app = make_app(tmp, sandbox="real")  # the app starts the real sandbox, as it does for real
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        await pilot.press("ctrl+r")
        panel = app.screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None, tries=1500)
        assert panel.result.status == "ok", panel.result
        visits = [
            ("escape", "SandboxScreen"),  # leaves the editor
            ("escape", "HomeScreen"),
            ("g", "ShapeGuesserScreen"),
            ("escape", "HomeScreen"),
            ("b", "BugHuntScreen"),
            ("escape", "HomeScreen"),
            ("t", "StatsScreen"),
            ("escape", "HomeScreen"),
            ("enter", "LessonScreen"),
        ]
        for key, screen in visits:
            await pilot.press(key)
            await wait_for(pilot, lambda: type(app.screen).__name__ == screen)
    print("torch" in sys.modules)

import pathlib, tempfile
asyncio.run(main(pathlib.Path(tempfile.mkdtemp())))
"""


def test_ui_process_never_imports_torch():
    """Only the sandbox's worker imports torch: a run, every screen, and still none here."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", UI_WITHOUT_TORCH],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(("width", "compact"), [(80, True), (100, False), (140, False)])
async def test_trace_table_drops_columns_on_narrow_terminals(app_factory, width, compact):
    """The full table wherever it fits (this lesson's does at 100 columns), else the compact one
    with the type beside the module's name."""
    expected = COMPACT_COLUMNS if compact else COLUMNS
    app = app_factory()
    async with app.run_test(size=(width, 40)) as pilot:
        await open_basics(pilot, step=1)
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query(TraceView))
        table = app.screen.query_one(TraceView).query_one(DataTable)
        assert tuple(column.value for column in table.columns) == expected
        module = table.get_row_at(0)[expected.index("module")]
        assert module.plain == ("Linear" if compact else "")  # the type beside the name


async def test_code_comments_follow_the_language(app_factory):
    app = app_factory(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=1)
        text = screen_text(app)
        assert "# 每次运行数字都一样" in text and "same numbers" not in text, text
        await pilot.press("f2")
        await pilot.pause()
        text = screen_text(app)
        assert "# the same numbers every run" in text and "#zh:" not in text, text


async def test_a_code_view_the_screen_does_not_rebuild_follows_the_language(app_factory):
    """A step mid-run is not rebuilt on F2 (the run would end with it), nor is a game's code:
    their code views are told of the switch themselves, as every widget in a screen is."""
    from tutor.widgets.code_view import CodeView

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=1)
        view = CodeView("x = 1  # a kept view  #zh: 留着的视图", id="kept-view")
        await screen.mount(view)
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert screen.query_one("#kept-view") is view
        assert "留着的视图" in screen_text(app) and "a kept view" not in screen_text(app)


async def test_the_sandbox_starter_follows_the_language_until_edited(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        editor = screen.query_one(TextArea)
        assert "# torch, nn, F and device are ready." in editor.text
        await pilot.press("f2")
        await pilot.pause()
        assert "# torch、nn、F 和 device 都已就绪。" in editor.text
        assert "#zh:" not in editor.text
        editor.insert("x = 1\n", (0, 0))  # the learner's own code stays put
        await pilot.press("f2")
        await pilot.pause()
        assert editor.text.startswith("x = 1\n# torch、nn、F")


async def test_switching_language_right_after_a_step_change_focuses_the_new_step(app_factory):
    """F2 pressed as the next step mounts: its view is replaced before its children exist, and
    focusing its Run button then raised NoMatches and took the app down."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot)
        await pilot.press("right", "f2")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "run")
        assert screen.index == 1 and app.lang == "zh"


async def test_the_exercise_starter_follows_the_language_until_edited(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=7)
        assert app.screen.query_one(TextArea).text == "layer = nn.Linear(3, 1)  # keeps a bias\n"
        await pilot.press("escape", "f2")
        await wait_for(pilot, lambda: "# 带着偏置" in app.screen.query_one(TextArea).text)
        editor = app.screen.query_one(TextArea)
        editor.insert("# mine\n", (0, 0))
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text.startswith("# mine\nlayer = nn.Linear(3, 1)")


def type_ahead(app, *keys: str) -> None:
    """Keys that reach the app in one read of the terminal (typed fast, batched by SSH, or an app
    busy for a moment): each is queued before the first is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@pytest.mark.parametrize(
    ("step", "keys", "quiz"),
    [(2, ("2", "enter", "right"), "q-single"), (4, ("t", "enter", "escape"), "q-tf")],
    ids=["enter-then-next", "enter-then-leave"],
)
async def test_an_answer_followed_at_once_by_another_key_is_recorded(app_factory, step, keys, quiz):
    """Enter then → (or esc) in one read: the step showed its verdict, but the answer was never
    recorded (QA): the report bubbled up from the step view, which the → removed before its queue
    was handled. Score, "still to pass" and the answer shown on reopening were all wrong."""
    learning = FakeLearning()
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot)
        screen.index = step
        # the step ready for its keys (its answer focused): on a loaded machine the keys came
        # before, and went to no answer
        await wait_for(
            pilot,
            lambda: app.focused is not None and screen._shown_view in app.focused.ancestors,
        )
        type_ahead(app, *keys)
        await wait_for(pilot, lambda: screen.index != step or app.screen is not screen)
        # the answer is recorded on the learning thread, later on a loaded machine; the pause
        # after it leaves time for a second record (there must be none)
        await wait_for(pilot, lambda: bool(learning.named("record_quiz")))
        await pilot.pause(0.2)
        recorded = [call[0] for call in learning.named("record_quiz")]
        assert recorded == [f"tui-basics.{quiz}"], learning.calls


class OneLessonDone(FakeLearning):
    """A learner who went straight to a later lesson: only that one is finished."""

    def __init__(self, done: str) -> None:
        super().__init__()
        self.done = done

    def lesson_progress(self, lesson_id: str) -> dict[str, Any]:
        done = lesson_id == self.done
        return {**super().lesson_progress(lesson_id), "seen_steps": 10 if done else 0,
                "total_steps": 10, "completed": done}  # fmt: skip


async def test_c_continues_with_the_lesson_the_end_of_a_lesson_names(app_factory):
    """The end of a lesson said "Next up: Parameters and buffers (c on the home screen)", and
    c opened Welcome, the first lesson not finished, for a learner who began further on (QA)."""
    lessons = sorted(p for p in (REPO / "lessons").glob("*.yaml"))
    app = app_factory(learning=OneLessonDone("inside-module"), decks=lessons)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        ids = [lesson.id for lesson in app.library.lessons]
        following = ids[ids.index("inside-module") + 1]
        app.open_lesson("inside-module", step=len(app.library.lesson("inside-module").steps) - 1)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await next_step(pilot)  # past the last step: home, and the toast
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        title = app.library.lesson(following).title["en"]
        await wait_for(pilot, lambda: any(f"Next up: {title}" in t for t in toasts(app)))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson_id == following


def test_the_home_screen_loads_no_code_editor():
    """The code editor (Textual's TextArea, tree-sitter's grammar) is ~40 ms of a start: it is
    loaded by the screens that show one, not by the app and its home screen (the screens' base
    class had come to import it, and start-up went from 1.64x a bare Textual app to 1.89x)."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, tutor.app, tutor.screens.home\n"
        "print(sorted(m for m in ('tutor.widgets.editor', 'textual.widgets._text_area')"
        " if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[]"
