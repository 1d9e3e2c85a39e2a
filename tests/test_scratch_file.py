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
