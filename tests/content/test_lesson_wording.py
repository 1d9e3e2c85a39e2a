"""Claims in lesson text held to what they say: a bold lead is read as the whole rule, and a hint
that points at a line of the starter must point at the line that is there."""

from __future__ import annotations

import re

from tutor.decks import DeckLibrary, model


def texts(text: model.Text) -> list[str]:
    return list(text.values()) if isinstance(text, dict) else [text]


def lesson(library: DeckLibrary, file_stem: str) -> model.LessonDeck:
    deck_id = next(i for i, path in library.files.items() if path.stem == file_stem)
    found = library.lesson(deck_id)
    assert found is not None, file_stem
    return found


def test_lesson_08s_integer_dtype_rule_is_said_of_the_methods_it_holds_for(library):
    """``Module.type(torch.float16)`` converts ``num_batches_tracked`` too: the lead that says
    integer tensors keep their dtype names ``.to()`` (and ``.half()``/``.double()``), in the
    lesson's body and its recap, in both languages."""
    deck = lesson(library, "08-modes-devices")
    leads: list[str] = []
    for step in deck.steps:
        if isinstance(step, model.TextStep):
            for body in texts(step.body):
                leads += [b for b in re.findall(r"\*\*(.+?)\*\*", body) if "dtype" in b]
        elif isinstance(step, model.RecapStep):
            for point in step.points:
                for said in texts(point):
                    if "num_batches_tracked" in said:
                        leads.append(re.split(r"[:：]", said)[0])
    integer_leads = [lead for lead in leads if "bool" in lead]
    assert len(integer_leads) == 4, leads  # body and recap, en and zh
    for lead in integer_leads:
        assert "`.to()`" in lead and "`.half()`" in lead, lead


def test_mha_by_hand_first_hint_points_at_the_query_line_the_starter_has(library):
    found = library.item("l11.ex-mha-by-hand")
    assert found is not None
    step = found[1]
    assert isinstance(step, model.ExerciseStep)
    # each line's code, its comment aside
    starter_lines = [
        code for line in step.starter.splitlines() if (code := line.split("#")[0].strip())
    ]
    assert not starter_lines[-1].startswith("q = ")  # the starter ends in `return q`
    for hint in texts(step.hints[0]):
        assert "last line" not in hint and "最后一行" not in hint, hint
        quoted = [code for code in re.findall(r"`([^`]+)`", hint) if code.startswith("q = ")]
        assert quoted, hint
        assert all(code in starter_lines for code in quoted), (quoted, starter_lines)
