"""What the tutor reports at start-up of a deck in the decks folder skipped for reusing the
course's ids: the clashes, and its unknown references too (the loader checks a skipped deck's
references all the same, so its author hears of all in one go). The app loads its decks as
below: these errors are the home screen's problem count and the Problems screen's list."""

from __future__ import annotations

from pathlib import Path

from tests.decks.test_validate_beside_course import BAD_REF, copy_of_welcome
from tutor.config import TutorConfig
from tutor.decks import DeckLoader


def test_a_clashing_copy_in_the_decks_folder_reports_its_unknown_references(tmp_path: Path):
    copy = copy_of_welcome(tmp_path / "decks", replace=BAD_REF)
    config = TutorConfig.resolve(data_dir=tmp_path, lang="en")
    library = DeckLoader(config.deck_paths).load()  # as the app loads it
    assert [skipped.file for skipped in library.skipped] == [copy]
    clashes = [e for e in library.errors if e.said.key == "deck.id_used_in_file"]
    unknown = [e for e in library.errors if e.said.key == "deck.unknown_id"]
    assert [(e.file, dict(e.said.values)["id"]) for e in unknown] == [(copy, "welcome.card-nope")]
    assert len(clashes) == 10 and len(library.errors) == len(clashes) + len(unknown)
