"""A course of a hundred lessons or more: the numbers grow a digit, everywhere at once.

Anki sorted "nn-tutor::100 · …" between 10 and 11 (Study Now left the course order), and the
course map's number column, five cells wide, pushed lesson 100's ✅ / 🔒 / ▶ out of sight."""

from __future__ import annotations

from rich.console import Console

from tutor.decks import DeckLibrary
from tutor.decks.model import Card, CardDeck, LessonDeck, TextStep
from tutor.learning.anki_export import deck_names


def course(lessons: int) -> DeckLibrary:
    library = DeckLibrary()
    for n in range(lessons):
        steps = [TextStep(body="A step.")]
        library.lessons.append(LessonDeck(id=f"l{n}", title=f"Lesson {n}", summary="", steps=steps))
        cards = [Card(id=f"l{n}.card", front="F?", back="B.")]
        library.card_decks.append(
            CardDeck(id=f"l{n}-cards", title="Cards", cards=cards, lesson=f"l{n}")
        )
    return library


def test_anki_deck_names_sort_in_course_order_past_lesson_99():
    library = course(105)
    names = deck_names(library)
    in_course = [names[lesson.id] for lesson in library.lessons]
    assert sorted(in_course) == in_course
    assert in_course[7] == "nn-tutor::007 · Lesson 7" and names["l7-cards"].startswith(
        "nn-tutor::007a"
    )
    small = deck_names(course(12))
    assert small["l7"] == "nn-tutor::07 · Lesson 7"  # a course under 100 keeps its names


LESSON = """\
format: 1
kind: lesson
id: l{n}
title: "Lesson {n}"
summary: "Lesson {n}."
steps:
  - type: text
    body: "A step."
"""


async def test_the_course_map_shows_lesson_100s_mark(tmp_path):
    from textual.widgets import OptionList

    from tests.tui.conftest import make_app, ready

    decks = tmp_path / "decks"
    decks.mkdir()
    for n in range(101):
        (decks / f"{n:03d}.yaml").write_text(LESSON.format(n=n), encoding="utf-8")
    app = make_app(tmp_path, "en", decks=[decks])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        options = app.screen.query_one("#lessons", OptionList)
        rows = []
        for index in (9, 100):
            console = Console(width=60, record=True, color_system=None)
            console.print(options.get_option_at_index(index).prompt)
            rows.append(console.export_text().splitlines()[0])
        assert rows[0].startswith("  9 ○  Lesson 9"), rows  # ○ padded to the two cells of ✅
        assert rows[1].startswith("100 ○  Lesson 100"), rows
