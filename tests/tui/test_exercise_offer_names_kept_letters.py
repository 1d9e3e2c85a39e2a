"""Off an exercise's editor, the verdict says that letters go into the editor; ``h`` and ``s``
stay the step's keys there (a hint, or the note that none is left; the solution, asked first).
Once every hint was taken the offer named ``s`` alone: a fix typed from Check that began with
``h`` (``hidden``) lost its first letter, against what the step had just said."""

from __future__ import annotations

import re
from string import ascii_lowercase

import pytest

from .conftest import SIZE, screen_text
from .test_exercise_typing_safety import failed_check
from .test_help_on_exercise import focus_off_the_editor


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("every_hint_taken", "offer_key"),
    [(False, "ex.hint_available_key"), (True, "ex.back_to_code_check")],
)
async def test_the_offer_to_type_names_each_letter_that_stays_a_key(
    app_factory, lang, every_hint_taken, offer_key
):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, view, _ = await failed_check(pilot)
        if every_hint_taken:
            view.show_hints_taken(len(view.step.hints))
        await focus_off_the_editor(pilot, "check")
        offer = screen.t(offer_key)
        assert offer in screen_text(app)
        kept = [letter for letter in ascii_lowercase if not view.types_key(letter, letter)]
        assert "h" in kept  # a step key off the editor, a hint left or not
        named = {letter for letter in kept if re.search(rf"(?<![a-z]){letter}(?![a-z])", offer)}
        assert named == set(kept), offer
