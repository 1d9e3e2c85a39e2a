"""A progress database deleted or replaced while nn-tutor has it open refuses every write
(``DatabaseGoneError``), and says why in the learner's language: in the app's notice and where a
command prints it (``nn-tutor settings``), not in nn-tutor's own English only."""

from __future__ import annotations

import pytest

from tutor.commands.settings import save_settings
from tutor.error_line import error_line
from tutor.i18n import tr
from tutor.learning import Learning
from tutor.learning.store import DatabaseGoneError

from .conftest import LESSON


def move_away(learning: Learning) -> None:
    db = learning.store.path
    db.rename(db.with_name("moved.sqlite3"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_write_to_a_database_moved_away_says_why_in_the_learners_language(
    learning: Learning, lang: str
) -> None:
    move_away(learning)
    with pytest.raises(DatabaseGoneError) as refused:
        learning.mark_step_seen(LESSON, 0)
    said = error_line(refused.value, lang=lang)
    assert said == tr("learning.database_gone", lang, path=learning.store.path)
    assert str(learning.store.path) in said


def test_settings_not_saved_in_a_database_moved_away_are_said_in_chinese(
    learning: Learning, capsys: pytest.CaptureFixture[str]
) -> None:
    move_away(learning)
    assert save_settings(learning, "zh", new_per_day=5) is None
    path = learning.store.path
    why = tr("learning.database_gone", "zh", path=path)
    assert capsys.readouterr().err == tr("settings.save_failed", "zh", path=path, error=why) + "\n"
