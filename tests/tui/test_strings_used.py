"""Every string in the catalogue is used: a key no code asks for is text a learner never reads,
and a translator keeps up for nothing (``cli.not_built``, ``k.pick_line`` and
``sandbox.trace.device`` sat there since the first commit).

A key is used when ``tutor/`` names it in quotes, as ``tr``, ``self.t`` and a binding's
description do, or when it starts with one of the prefixes the code builds keys from at run time
(``f"interval.{unit}"``). Lesson decks carry their own ``{en, zh}`` text, not catalogue keys.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tutor.i18n import catalog_keys

TUTOR = Path(__file__).parents[2] / "tutor"

DYNAMIC_PREFIXES: dict[str, str] = {
    "interval.": "screens/review.py: interval.{unit}",
    "kind.": "screens/lesson.py: kind.{step_kind(step)}",
    "quiz.kind.": "widgets/step_quiz_choice.py: 'quiz.kind.' + quiz.KIND",
    "quiz.predict_hint.": "widgets/step_quiz_predict.py: quiz.predict_hint.{match}",
    "run.status.": "widgets/run_panel.py: run.status.{status}",
    "sandbox.error.": "sandbox_messages.py: sandbox.error.{code}",
    "sandbox.hint.": "sandbox_messages.py: sandbox.hint.{hint_code}",
    "sandbox.phase.": "sandbox_messages.py: sandbox.phase.{phase}",
    "sandbox.status.": "commands/run.py: sandbox.status.{result.status}",
    "sandbox.warning.": "sandbox_messages.py: sandbox.warning.{kind}",
    "trace.col.": "widgets/trace_view.py: trace.col.{column}",
    "trace.phase.": "widgets/trace_view.py: trace.phase.{forward|backward}",
}
"""The prefixes the code builds keys from, and where: a key under one counts as used."""


@cache
def source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(TUTOR.rglob("*.py")))


def quoted(text: str) -> bool:
    """Whether the source has ``text`` right after a quote (a literal or an f-string's start)."""
    return f'"{text}' in source() or f"'{text}" in source()


def named(key: str) -> bool:
    return f'"{key}"' in source() or f"'{key}'" in source()


def test_every_catalogue_string_is_used() -> None:
    unused = [
        key
        for key in catalog_keys()
        if not named(key) and not any(key.startswith(p) for p in DYNAMIC_PREFIXES)
    ]
    assert unused == []


@pytest.mark.parametrize("prefix", sorted(DYNAMIC_PREFIXES))
def test_every_dynamic_prefix_is_still_built(prefix: str) -> None:
    """A prefix no code builds keys from any more would hide its keys from the test above."""
    assert quoted(prefix), DYNAMIC_PREFIXES[prefix]
    assert any(key.startswith(prefix) for key in catalog_keys())
