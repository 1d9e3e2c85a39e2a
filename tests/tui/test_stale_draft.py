"""An exercise's draft begun from a starter the deck has since changed says so (QA): the new
starter renamed ``layer`` to ``net`` and the check read ``net``, so the kept draft could never
pass, and nothing said why, nor that ↺ Reset brings the new starter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tutor.widgets.editor import KeptEditor

from .conftest import DECKS, screen_text, wait_for

SIZE = (100, 40)
EXERCISE_STEP = 7  # the fixture lesson's exercise
MINE = "layer = nn.Linear(3, 1)  # keeps a bias\nprint('my edit')\n"
NOTICE = {"en": "starter code changed since you began", "zh": "初始代码改过了"}


@pytest.fixture(autouse=True)
def quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 0.05)


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A copy of the fixture decks, for a test to change between two app runs."""
    folder = tmp_path / "decks"
    shutil.copytree(DECKS, folder)
    return folder


def new_deck_version(decks: Path) -> None:
    """The deck's next version: its starter names the layer ``net``, and so does its check."""
    deck = decks / "01-basics.yaml"
    text = deck.read_text(encoding="utf-8")
    changed = (
        text.replace("layer = nn.Linear(3, 1)  # keeps a bias", "net = nn.Linear(3, 1)  # v2")
        .replace("isinstance(layer, nn.Linear)", "isinstance(net, nn.Linear)")
        .replace("assert layer.bias is None", "assert net.bias is None")
    )
    assert changed != text
    deck.write_text(changed, encoding="utf-8")


async def open_exercise(app, pilot) -> TextArea:
    await wait_for(pilot, lambda: app.library is not None)
    app.open_lesson("tui-basics", step=EXERCISE_STEP)
    await wait_for(pilot, lambda: bool(app.screen.query("ExerciseStepView TextArea")))
    return app.screen.query_one("ExerciseStepView TextArea", TextArea)


async def begin_a_draft(app_factory, decks: Path) -> Path:
    """A first session: the learner edits the exercise's starter and leaves; the draft's path."""
    app = app_factory(decks=[decks])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(app, pilot)
        editor.load_text(MINE)
        await pilot.pause()
    draft = app.config.paths.draft("tui-basics", "tui-basics.ex")
    assert draft.read_text(encoding="utf-8") == MINE
    return draft


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_draft_from_an_older_starter_says_so_and_reset_brings_the_new_one(
    app_factory, decks, lang
):
    draft = await begin_a_draft(app_factory, decks)
    new_deck_version(decks)
    app = app_factory(lang=lang, decks=[decks])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await open_exercise(app, pilot)
        assert editor.text == MINE  # the learner's code, as kept
        shown = screen_text(app)
        assert NOTICE[lang] in shown, shown
        notice = next(line for line in shown.splitlines() if NOTICE[lang] in line)
        assert "↺ " + ("Reset" if lang == "en" else "重置") in notice and "^z" in notice

        await pilot.click("#reset")
        await wait_for(pilot, lambda: not draft.exists())
        assert editor.text.startswith("net = nn.Linear(3, 1)  # ")  # the new starter
        assert NOTICE[lang] not in screen_text(app)  # said, and done
        assert sorted(p.name for p in draft.parent.iterdir()) == []  # nothing left of it

        await pilot.press("ctrl+z")  # as the notice says: the learner's code is back
        await wait_for(pilot, lambda: draft.exists())
        assert editor.text == MINE == draft.read_text(encoding="utf-8")

    app = app_factory(lang=lang, decks=[decks])  # kept after the notice was read: not again
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(app, pilot)
        assert editor.text == MINE and NOTICE[lang] not in screen_text(app)


async def test_a_draft_from_the_same_starter_or_from_before_drafts_knew_it_says_nothing(
    app_factory, decks
):
    draft = await begin_a_draft(app_factory, decks)
    app = app_factory(decks=[decks])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(app, pilot)
        assert editor.text == MINE and NOTICE["en"] not in screen_text(app)

    for beside in draft.parent.iterdir():  # a draft kept before drafts knew their starter
        if beside != draft:
            beside.unlink()
    new_deck_version(decks)
    app = app_factory(decks=[decks])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(app, pilot)
        assert editor.text == MINE and NOTICE["en"] not in screen_text(app)
