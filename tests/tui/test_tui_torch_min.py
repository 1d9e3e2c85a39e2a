"""An item written for a newer torch than the learner's says so, in the lesson and in review.

``torch_min: "99.0"`` is newer than any installed torch, and ``"2.2"`` (the oldest torch nn-tutor
supports) is met by every one, so these tests hold on whatever torch runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.learning.tui_helpers import make_app as make_learning_app
from tests.learning.tui_helpers import settle
from tests.tui.conftest import make_app, plain, ready, wait_for
from tutor.config import TutorConfig
from tutor.screens.lesson import LessonScreen
from tutor.screens.review import ReviewScreen
from tutor.torch_version import installed_torch

LESSON = """\
kind: lesson
id: future
title: {en: A lesson from the future, zh: 来自未来的一课}
summary: Steps for a torch newer than any.
steps:
  - type: quiz
    kind: true_false
    id: future.claim
    question: This holds from torch 99 on.
    answer: true
    why: It is a test.
    torch_min: "99.0"
  - type: code
    id: future.later
    torch_min: "99.1"
    code: |
      nn.Linear(3, 2)
  - type: code
    id: future.today
    torch_min: "2.2"
    code: |
      nn.Linear(3, 2).weight.shape
"""

CARDS = """\
kind: cards
id: future-cards
title: Cards from the future
cards:
  - id: future-cards.later
    front: What does torch 99 add?
    back: Something new.
    torch_min: "99.0"
  - id: future-cards.now
    front: What does torch 2.2 have?
    back: Everything this card needs.
    torch_min: "2.2"
"""


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "future.yaml").write_text(LESSON, encoding="utf-8")
    (folder / "future-cards.yaml").write_text(CARDS, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "This step is about torch 99.0 or newer; yours is {have}, where it may not work"),
        ("zh", "这一步讲的是 torch 99.0 及更新的版本；你装的是 {have}，在它上面可能用不了"),
    ],
)
async def test_a_step_for_a_newer_torch_shows_a_note(tmp_path, decks, lang, words) -> None:
    app = make_app(tmp_path, lang, decks=[decks])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_lesson("future")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.step_view is not None)
        note = screen.query_one(".torch-note")
        assert words.format(have=installed_torch()) in plain(note.content)
        # the note sits above the step it is about
        assert note.region.y < screen.step_view.region.y

        await pilot.press("right")  # the next step needs a newer torch too: one note, its own
        await wait_for(pilot, lambda: screen.index == 1 and screen.step_view is not None)
        await pilot.pause()
        notes = screen.query(".torch-note")
        assert len(notes) == 1 and "99.1" in plain(notes.first().content)

        await pilot.press("right")  # a step whose torch_min is met has no note
        await wait_for(pilot, lambda: screen.index == 2 and screen.step_view is not None)
        await pilot.pause()
        assert not screen.query(".torch-note")


async def test_review_marks_a_card_for_a_newer_torch(tmp_path, decks) -> None:
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(decks)], lang="en")
    app = make_learning_app(config, lang="zh")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        screen = ReviewScreen(deck_id="future-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        seen: dict[str, str] = {}
        for _ in range(2):
            await pilot.pause()
            seen[screen.card.id] = plain(screen.query_one("#review-status").content)
            await pilot.press("space", "4")  # Easy: not back in this sitting (learn-ahead)
            await wait_for(pilot, lambda: screen.card is None or screen.card.id not in seen)
        note = f"需要 torch 99.0 或更新版本（你的是 {installed_torch()}）"
        assert note in seen["future-cards.later"]
        assert "torch" not in seen["future-cards.now"]


async def test_the_version_is_read_while_the_decks_load(tmp_path, decks) -> None:
    """Reading the version imports importlib.metadata (~50 ms): the app does it in its deck-loading
    worker, so no screen pays for it on the UI thread."""
    installed_torch.cache_clear()
    app = make_app(tmp_path, "en", decks=[decks])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert installed_torch.cache_info().currsize == 1
