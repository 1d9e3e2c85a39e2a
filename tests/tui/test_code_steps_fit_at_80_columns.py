"""A lesson's code is read whole at 80×24, in English and in Chinese: every code step's snippet
and every quiz's code (a prediction's, mostly), in the code view that shows it. That view wraps a
line wider than it under the line number of the line above, so a long trailing comment broke
mid-word ("# 用它自己的张 / 量", "# -> / _parameters") or left a word alone on a row ("# 不保存").
Every such step of the shipped lessons is opened in turn in one app per language. (Exercises'
starters and solutions are measured in ``test_starter_fits_editor``.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tutor.app import TutorApp
from tutor.decks import DeckLoader, model
from tutor.decks.code_comments import comments, localize_comments
from tutor.widgets.code_view import CodeView

from .conftest import ready, wait_for, wrapped_line_numbers

LESSONS = Path(__file__).resolve().parents[2] / "lessons"


def code_shown(step: Any) -> str | None:
    """The code a lesson step shows in a code view of its own: a code step's snippet, a
    quiz's code; None for a step without (an exercise's is measured elsewhere)."""
    if isinstance(step, model.CodeStep):
        return step.code
    if isinstance(step, model.QuizStep):
        return step.quiz.code
    return None


def steps_with_code(lessons: list[Any]) -> list[tuple[str, int, Any]]:
    """Every step of ``lessons`` that shows code: its lesson's id, its index there, the step."""
    return [
        (lesson.id, index, step)
        for lesson in lessons
        for index, step in enumerate(lesson.steps)
        if code_shown(step)
    ]


def step_name(step: Any) -> str:
    """What a failure calls a step: its id, or its quiz's."""
    return step.id if isinstance(step, model.CodeStep) else step.quiz.id


def shown_step(screen: Any) -> Any:
    """The step ``screen`` shows, if it is a lesson's."""
    view = getattr(screen, "step_view", None)
    return view.step if view is not None else None


@dataclass
class Wraps:
    """What the code views of the shipped lessons wrap at 80×24 in one language."""

    commented: dict[str, list[str]] = field(default_factory=dict)
    """Per step, its wrapped lines that hold a comment, as shown: never needed (a comment can
    go on its own line above its code)."""
    code: dict[str, int] = field(default_factory=dict)
    """Per step, how many of its lines without a comment wrap."""


async def wraps_of_every_step(app: TutorApp) -> Wraps:
    """Open every shipped step that shows code, in turn, and note the lines its view wraps."""
    wraps = Wraps()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for lesson_id, index, step in steps_with_code(app.library.lessons):
            app.open_lesson(lesson_id, step=index)
            await wait_for(pilot, lambda step=step: shown_step(app.screen) is step)
            view = app.screen.step_view.query_one(CodeView)
            await wait_for(pilot, lambda view=view: bool(view.content_size.height))
            shown = localize_comments(view.code, app.lang)
            with_comment = {token.start[0] for token in comments(shown)}
            wrapped = wrapped_line_numbers(view)
            lines = shown.split("\n")
            name = step_name(step)
            commented = [lines[number - 1] for number in wrapped if number in with_comment]
            if commented:
                wraps.commented[name] = [f"{view.content_size.width} columns", *commented]
            if uncommented := len([n for n in wrapped if n not in with_comment]):
                wraps.code[name] = uncommented
    return wraps


WALKS: dict[str, Wraps] = {}
"""Each language's walk, taken once for the tests below (about a minute each)."""


async def wraps_in(lang: str, app_factory: Any) -> Wraps:
    if lang not in WALKS:
        WALKS[lang] = await wraps_of_every_step(app_factory(lang=lang, decks=[LESSONS]))
    return WALKS[lang]


def test_the_shipped_lessons_have_code_to_measure():
    steps = steps_with_code(DeckLoader([LESSONS]).load().lessons)
    names = {step_name(step) for _, _, step in steps}
    assert len(steps) > 100 and {"l01.snip-two-spellings", "l09.q-predict-incompatible"} <= names


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_no_comment_wraps_in_a_code_view_at_80_columns(lang, app_factory):
    wraps = await wraps_in(lang, app_factory)
    assert wraps.commented == {}, "\n".join(f"{n}: {lines}" for n, lines in wraps.commented.items())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_no_code_line_wraps_in_a_code_view_at_80_columns(lang, app_factory):
    """A call or expression past the view's edge, broken at a space, reads as two statements:
    break it inside its brackets (without changing what the code prints)."""
    wraps = await wraps_in(lang, app_factory)
    assert wraps.code == {}, "(steps and how many of their lines wrap)"
