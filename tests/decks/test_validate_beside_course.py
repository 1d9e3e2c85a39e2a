"""``nn-tutor validate PATH`` checks an author's decks as the tutor would load them: beside the
decks it loads (the course and the decks folder), as from the decks folder. A deck reusing the
course's ids is skipped there, so each clash is a problem; but the author still hears of the
deck's other errors and advice, of how to fix the clash, and a summary counting every line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import build_parser
from tutor.cli import main as cli_main
from tutor.i18n import tr

WELCOME = Path(__file__).resolve().parents[2] / "lessons" / "00-welcome.yaml"
ZH_TITLE = '  zh: "欢迎：初探 nn.Linear 的内部 👋"\n'
# a related id that no deck has
BAD_REF = ("related: [welcome.card-linear-weight-layout]", "related: [welcome.card-nope]")


def copy_of_welcome(folder: Path, *, drop: str = "", replace: tuple[str, str] = ("", "")) -> Path:
    """The course's first lesson copied into ``folder``, less ``drop``, one text replaced."""
    text = WELCOME.read_text(encoding="utf-8")
    assert drop in text and replace[0] in text
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / WELCOME.name
    copy.write_text(text.replace(drop, "", 1).replace(*replace, 1), encoding="utf-8")
    return copy


def validate(args: list[str], home: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert cli_main(["--lang", "en", "--data-dir", str(home), *args]) == 1
    return capsys.readouterr().err.splitlines()


def test_a_clashing_copy_still_gets_its_advice(tmp_path: Path, capsys) -> None:
    copy = copy_of_welcome(tmp_path / "good", drop=ZH_TITLE)
    lines = validate(["validate", str(tmp_path / "good")], tmp_path / "home", capsys)
    assert any(f"{copy}:4:5: id: id 'welcome' is already used in" in line for line in lines)
    assert any(line.startswith(f"{copy}:6:") and "advice: no zh text" in line for line in lines)


def test_a_clashing_copy_still_gets_its_unknown_references(tmp_path: Path, capsys) -> None:
    copy = copy_of_welcome(tmp_path / "good", replace=BAD_REF)
    lines = validate(["validate", str(tmp_path / "good")], tmp_path / "home", capsys)
    assert any(line.startswith(f"{copy}:93:") and "welcome.card-nope" in line for line in lines)


def test_each_clash_is_said_once_and_how_to_fix_it(tmp_path: Path, capsys) -> None:
    copy_of_welcome(tmp_path / "good")
    lines = validate(["validate", str(tmp_path / "good")], tmp_path / "home", capsys)
    clashes = [line for line in lines if "is already used in" in line]
    assert len(clashes) == len({line.split("id '")[1] for line in clashes}) == 10
    decks = f"--decks {tmp_path / 'good'}"
    assert lines[-2:] == [
        "10 problems found; no deck loaded.",
        tr("validate.clash_with_loaded", "en", count=10, decks=decks),
    ]
    assert (
        f"rename them, or load your decks on their own with --decks (`nn-tutor {decks}" in lines[-1]
    )


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "4 problems and 1 piece of advice found; the deck still loads."),
        ("zh", "发现 4 个问题和 1 条建议；该卡组仍可加载。"),
    ],
)
def test_the_summary_counts_the_advice_it_printed(tmp_path: Path, capsys, lang, summary) -> None:
    """The lesson alone names four cards of the course's card deck, and lacks one zh text."""
    copy_of_welcome(tmp_path / "own", drop=ZH_TITLE)
    args = ["--lang", lang, "--data-dir", str(tmp_path / "home"), "--decks", str(tmp_path / "own")]
    assert cli_main([*args, "validate"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines.index(summary) == 5  # four problems and one piece of advice above it


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_says_paths_are_checked_beside_the_loaded_decks(lang: str) -> None:
    validate_parser = build_parser(lang)._subparsers._group_actions[0].choices["validate"]
    help_text = "".join(validate_parser.format_help().split())  # as wrapped, less the breaks
    assert "".join(tr("cli.help.validate_paths", lang).split()) in help_text
    assert "".join(tr("cli.help.validate_epilog", lang).split()) in help_text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_clashing_copy_in_the_decks_folder_is_told_how_to_fix_it(tmp_path, capsys, lang):
    """Plain ``validate`` checks the decks folder beside the course: a lesson copied there
    heard of each clash, and nothing of how to fix it."""
    copy = copy_of_welcome(tmp_path / "home" / "decks")
    assert cli_main(["--lang", lang, "--data-dir", str(tmp_path / "home"), "validate"]) == 1
    lines = capsys.readouterr().err.splitlines()
    found = tr("validate.problems", lang, count=10)
    assert lines[-2:] == [
        tr("validate.failed", lang, found=found),
        tr("validate.clash_with_loaded", lang, count=10, decks=f"--decks {copy}"),
    ]


def test_a_data_dir_reached_through_a_link_still_gets_the_fix_line(tmp_path, capsys):
    """The loader lists deck files resolved: a data dir given through a link (or relative) had
    its decks folder's files taken for none of the folder's, and the fix line went unsaid."""
    copy = copy_of_welcome(tmp_path / "home" / "decks")
    (tmp_path / "link").symlink_to(tmp_path / "home")
    assert cli_main(["--lang", "en", "--data-dir", str(tmp_path / "link"), "validate"]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == tr("validate.clash_with_loaded", "en", count=10, decks=f"--decks {copy}")


def test_decks_clashing_among_those_given_with_decks_are_told_to_rename(tmp_path, capsys):
    """With --decks and no PATH, the decks load on their own already: a clash is among them,
    and --decks is no way out of it."""
    copy_of_welcome(tmp_path / "own" / "a")
    copy_of_welcome(tmp_path / "own" / "b")
    args = ["--decks", str(tmp_path / "own"), "validate"]
    lines = validate(args, tmp_path / "home", capsys)
    assert sum("is already used in" in line for line in lines) == 10
    assert not any(line.startswith("10 ids above are already used") for line in lines)
