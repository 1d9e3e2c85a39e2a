"""Shape Guesser's learner text lives in the string catalogue (``game.shape.<kind>.rule``), so the
catalogue's checks cover it: every challenge's rule is a key with both languages, taking exactly
the values the challenge fills it with. Written inline as ``{en, zh}`` dicts, a rule missing its
Chinese showed English to a Chinese learner, and no catalogue test saw it."""

from __future__ import annotations

import random

import pytest

from tests.decks.test_messages_zh import fields
from tutor.games.shape_guesser import KINDS, new_challenge
from tutor.i18n import LANGS, _catalog


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_rule_is_a_catalogue_string_in_every_language(kind: str) -> None:
    catalog = _catalog()
    rule = new_challenge(random.Random(0), kind).rule  # a kind's rule is one text, whatever drawn
    assert rule.key == f"game.shape.{kind}.rule"
    assert rule.key in catalog, rule.key
    given = {value_name for value_name, _ in rule.values}
    for lang in LANGS:
        assert lang in catalog[rule.key], (rule.key, lang)
        assert fields(catalog[rule.key][lang]) == given, (rule.key, lang)
        assert rule.text(lang).strip(), (rule.key, lang)
