"""The course map below 100 columns: a lesson's title, and the lessons it suggests first, each
read on one row, cut with "…" where they do not fit, so more lessons are in view (at 80×24 the
titles wrapped to two rows and the suggestions to three: three and a half lessons showed). The
highlighted lesson's row keeps every word; at 100 columns and wider nothing is cut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tutor.app import TutorApp
from tutor.i18n import localize, tr

from .conftest import make_app, ready, screen_text, wait_for
from .test_home_mastery_kept_whole import finish_with_quizzes_wrong

ROOT = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"(\d+) ")  # a lesson's first row: its number, then its mark
BAR = ("▰", "▱")  # a lesson's second line, its progress bar, starts with one of these


def list_rows(app: TutorApp) -> list[str]:
    """The course map's list rows as drawn, inside its border (the rows in view)."""
    lessons = app.screen.query_one("#lessons", OptionList)
    rows = [strip.text for strip in lessons.render_lines(lessons.region.reset_offset)]
    return [row.strip("│ ").rstrip("▁▂▃▄▅▆▇█ ") for row in rows[1:-1]]


def lesson_rows(app: TutorApp) -> dict[int, list[str]]:
    """Each lesson in view (its number) and its rows as drawn, from its number row on."""
    rows = list_rows(app)
    starts = {int(m[1]): y for y, row in enumerate(rows) if (m := NUMBER.match(row))}
    ends = [*list(starts.values())[1:], len(rows)]
    return {n: rows[y:end] for (n, y), end in zip(starts.items(), ends, strict=True)}


async def shown_at(pilot: Pilot, size: tuple[int, int]) -> dict[int, list[str]]:
    """The lessons in view (:func:`lesson_rows`) once the terminal is ``size``."""
    await pilot.resize_terminal(*size)
    await pilot.pause(0.3)
    return lesson_rows(pilot.app)


def reads_whole(rows: list[str], *texts: str) -> bool:
    """Whether each of ``texts`` is drawn in ``rows``, across their breaks (none cut). Spaces
    are left out: a Chinese title breaks between two characters, an English one at a space."""
    drawn = "".join("".join(rows).split())
    return all("".join(text.split()) in drawn for text in texts)


def a_row_each(app: TutorApp, number: int, rows: list[str]) -> bool:
    """Whether lesson ``number`` is drawn in ``rows`` as its title, its progress bar, and the
    lessons it suggests first (where it has some): a row each."""
    lesson = app.library.lessons[number]
    return len(rows) == 2 + bool(lesson.prerequisites) and rows[1].startswith(BAR)


def titles(app: TutorApp, number: int, lang: str) -> tuple[str, ...]:
    """Lesson ``number``'s title and those of the lessons it suggests first."""
    lesson = app.library.lessons[number]
    return tuple(
        localize(app.library.lesson(i).title, lang) for i in (lesson.id, *lesson.prerequisites)
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_at_80_columns_titles_and_suggestions_take_one_row_each(
    tmp_path: Path, lang: str
) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        await wait_for(pilot, lambda: lessons.highlighted == 0)
        await pilot.pause(0.3)
        shown = lesson_rows(app)
        last = max(shown)  # may go on below the list's bottom
        for number, rows in shown.items():
            if number not in (0, last):
                assert a_row_each(app, number, rows), (number, rows)
        assert any(rows[0].endswith("…") for rows in shown.values()), shown  # some are cut
        assert len(shown) >= 5, shown  # lessons in view (3½ before)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_at_80_columns_the_highlighted_lesson_reads_whole(tmp_path: Path, lang: str) -> None:
    """The highlighted lesson's title and the lessons it suggests first are drawn whole, all of
    its rows in view, and the lesson highlighted before is cut again."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        await wait_for(pilot, lambda: lessons.highlighted == 0)
        assert reads_whole(lesson_rows(app)[0], *titles(app, 0, lang))
        for number in range(1, 7):  # down the list, past the rows first in view
            await pilot.press("down")
            await pilot.pause(0.3)
            shown = lesson_rows(app)
            rows = shown[number]
            assert reads_whole(rows, *titles(app, number, lang)), (number, rows)
            assert rows[-1].endswith("”"), (number, rows)  # its last row in view too
            assert a_row_each(app, number - 1, shown[number - 1]), shown


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_from_100_columns_on_titles_wrap_whole(tmp_path: Path, lang: str) -> None:
    """Today's layout where the list is wide enough: a long title wraps, nothing is cut; a
    terminal one column narrower cuts the lines, and widened again draws them as before."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        before = await shown_at(pilot, (100, 30))
        assert not any("…" in row for rows in before.values() for row in rows), before
        whole = {n: rows for n, rows in before.items() if n != max(before)}  # the last: cut short
        assert any(not a_row_each(app, n, rows) for n, rows in whole.items()), before  # wraps
        narrowed = await shown_at(pilot, (99, 30))
        assert any(rows[0].endswith("…") for rows in narrowed.values()), narrowed
        after = await shown_at(pilot, (100, 30))
        assert after == before


async def test_a_cut_title_keeps_the_progress_line_whole(tmp_path: Path) -> None:
    """The Welcome, finished, its title cut (another lesson highlighted): its minutes and its
    mastery, each kept on one row, are drawn as they read (they follow the cut title)."""
    app = make_app(tmp_path, "en", decks=[ROOT / "lessons"], learning=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.learning is not None)
        pct = round(100 * (await finish_with_quizzes_wrong(pilot)).mastery)
        app.screen.load_progress()
        mastery = tr("home.mastery", "en", pct=pct)
        await wait_for(pilot, lambda: mastery in screen_text(app))  # the progress is read
        await pilot.press("down")
        await pilot.pause(0.3)
        rows = lesson_rows(app)[0]
        assert rows[0].endswith("…"), rows
        minutes = tr("home.minutes", "en", minutes=app.library.lessons[0].minutes)
        for piece in (minutes, mastery):
            assert any(piece in row for row in rows[1:]), (piece, rows)
