"""``ScratchFile``: the learner's kept code is never lost. QA found a draft that is not UTF-8 (a
latin-1 ``é`` in a comment, from another editor) opened as the starter, and the first key typed
wrote over the learner's 42 lines."""

from __future__ import annotations

from pathlib import Path

from tutor.scratch import ScratchFile

STARTER = "x = 0  # your code here\n"


def test_a_draft_that_is_not_utf8_opens_as_written_and_its_bytes_are_kept(tmp_path: Path) -> None:
    draft = tmp_path / "drafts" / "ex.py"
    draft.parent.mkdir()
    original = "# résumé of my work\nmodel = nn.Linear(3, 4)\ny = model(x)\n".encode("latin-1")
    draft.write_bytes(original)
    scratch = ScratchFile(draft, STARTER)
    text = scratch.load("en")
    assert "model = nn.Linear(3, 4)\ny = model(x)\n" in text and STARTER not in text
    scratch.save(text + "print(y)\n")  # the learner types on
    kept = [p for p in draft.parent.iterdir() if p != draft]
    assert [p.read_bytes() for p in kept] == [original]  # the bytes as they were, beside it
    assert draft.read_text(encoding="utf-8").endswith("print(y)\n")


def test_a_utf8_draft_is_read_as_is_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    draft = tmp_path / "ex.py"
    draft.write_text("# résumé\nx = 1\n", encoding="utf-8")
    scratch = ScratchFile(draft, STARTER)
    assert scratch.load("en") == "# résumé\nx = 1\n"
    scratch.save("x = 2\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex.py"]


OLD_STARTER = "layer = nn.Linear(3, 1)  # keeps a bias  #zh: 带着偏置\n"
NEW_STARTER = "net = nn.Linear(3, 1)  # v2 starter\n"
MINE = "layer = nn.Linear(3, 1, bias=False)\n"


def exercise_draft(path: Path, starter: str) -> ScratchFile:
    return ScratchFile(path, starter, remembers_starter=True)


def test_a_draft_remembers_the_starter_it_was_begun_from(tmp_path: Path) -> None:
    draft = tmp_path / "drafts" / "ex.py"
    exercise_draft(draft, OLD_STARTER).save(MINE)
    assert draft.read_text(encoding="utf-8") == MINE
    assert not exercise_draft(draft, OLD_STARTER).begun_from_another_starter()
    reworded = OLD_STARTER.replace("带着偏置", "仍带偏置").replace("keeps", "has")
    assert not exercise_draft(draft, reworded).begun_from_another_starter()  # comments only

    now = exercise_draft(draft, NEW_STARTER)  # the deck's next version
    assert now.begun_from_another_starter()
    assert now.load("en") == MINE
    now.save(MINE + "print(layer)\n")  # typed on: still the draft begun from the old starter
    assert now.begun_from_another_starter()

    now.save(NEW_STARTER)  # reset: the draft is forgotten, and what it was begun from with it
    assert sorted(tmp_path.joinpath("drafts").iterdir()) == []
    now.save(MINE)  # begun again, from the starter shown now
    assert not exercise_draft(draft, NEW_STARTER).begun_from_another_starter()


def test_a_draft_kept_before_drafts_knew_their_starter_says_nothing_and_learns_it(
    tmp_path: Path,
) -> None:
    draft = tmp_path / "ex.py"
    draft.write_text(MINE, encoding="utf-8")  # no record of its starter beside it
    scratch = exercise_draft(draft, NEW_STARTER)
    assert scratch.load("en") == MINE and not scratch.begun_from_another_starter()
    scratch.save(MINE + "# more\n")  # from now on it knows the starter shown when it was kept
    assert exercise_draft(draft, OLD_STARTER).begun_from_another_starter()
    for unreadable in ("", "not a stamp\n"):  # a record that says nothing usable: no claim
        next(p for p in tmp_path.iterdir() if p != draft).write_text(unreadable)
        assert not exercise_draft(draft, OLD_STARTER).begun_from_another_starter()


def test_the_sandbox_keeps_no_record_of_its_starter(tmp_path: Path) -> None:
    scratch = ScratchFile(tmp_path / "sandbox.py", STARTER)
    scratch.save(MINE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sandbox.py"]
    assert not ScratchFile(tmp_path / "sandbox.py", NEW_STARTER).begun_from_another_starter()


def test_each_version_that_is_not_utf8_is_kept_once(tmp_path: Path) -> None:
    """Another editor writing latin-1 again after the learner saved: that version is kept too
    (review: the second one was decoded with its bytes kept nowhere); the same bytes opened
    twice are kept once."""
    draft = tmp_path / "ex.py"
    scratch = ScratchFile(draft, STARTER)
    versions = ["# première\nx = 1\n".encode("latin-1"), "# deuxième\nx = 2\n".encode("latin-1")]
    for version in versions:
        draft.write_bytes(version)
        scratch.load("en")
        scratch.load("en")  # opened again before any save: nothing new to keep
        scratch.save(scratch.load("en") + "y = 3\n")
    kept = sorted(p.read_bytes() for p in tmp_path.iterdir() if p != draft)
    assert kept == sorted(versions)


def test_windows_and_old_mac_line_ends_read_as_newlines(tmp_path: Path) -> None:
    draft = tmp_path / "ex.py"
    draft.write_bytes(b"a = 1\r\nb = 2\rc = 3\n")
    assert ScratchFile(draft, STARTER).load("en") == "a = 1\nb = 2\nc = 3\n"
