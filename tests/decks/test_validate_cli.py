"""``nn-tutor validate`` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BAD = Path(__file__).parent / "bad"


def nn_tutor(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_shipped_decks_json(tmp_path: Path) -> None:
    done = nn_tutor("validate", "--json", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {
        "lessons",
        "card_decks",
        "cards",
        "quiz_items",
        "exercises",
        "snippets",
        "verify_blocks",
        "languages",
        "errors",
    }
    assert report["errors"] == [] and report["languages"] == ["en", "zh"]
    assert report["lessons"] >= 1 and report["cards"] >= 1


def test_validate_bad_deck_exits_1_with_one_line_errors(tmp_path: Path) -> None:
    done = nn_tutor(
        "--lang",
        "en",
        "validate",
        str(BAD / "wrong_type.yaml"),
        str(BAD / "tabs.yaml"),
        home=tmp_path,
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[0].startswith(str(BAD / "wrong_type.yaml") + ":9:12: steps[0].trace:")
    assert lines[1].startswith(str(BAD / "tabs.yaml") + ":6:1:")
    assert "Traceback" not in done.stderr
    assert lines[-1] == "2 problems found; no deck loaded."  # both files given were bad


def test_validate_says_the_good_decks_still_load_beside_a_bad_one(tmp_path: Path) -> None:
    good = Path(__file__).resolve().parents[2] / "lessons" / "00-welcome.yaml"
    done = nn_tutor("--lang", "en", "validate", str(good), str(BAD / "tabs.yaml"), home=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "1 problem found; the other decks still load."


def test_a_decks_path_that_is_not_there_is_not_said_to_leave_decks_loading(tmp_path: Path):
    done = nn_tutor("--lang", "en", "--decks", str(tmp_path / "nowhere"), "validate", home=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{tmp_path / 'nowhere'}:1:1: no such deck file or folder",
        "1 problem found; no deck loaded.",
    ]


def test_decks_option_replaces_the_default(tmp_path: Path) -> None:
    only = Path(__file__).resolve().parents[2] / "cards" / "welcome.yaml"
    done = nn_tutor("--decks", str(only), "validate", "--json", home=tmp_path)
    report = json.loads(done.stdout)
    assert report["lessons"] == 0 and report["card_decks"] == 1
    # the card deck names its lesson, which is not loaded now: a reference error, reported
    assert done.returncode == 1 and "unknown lesson 'welcome'" in report["errors"][0]["message"]


def test_validate_json_gives_each_error_its_parts(tmp_path: Path) -> None:
    """An editor or a script reading the report needs the file, line, column and field apart,
    not one line to split again (a path may hold ':' and a message ': ')."""
    done = nn_tutor("validate", "--json", str(BAD / "wrong_type.yaml"), home=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 1
    first = report["errors"][0]
    assert first["file"] == str(BAD / "wrong_type.yaml")
    assert (first["line"], first["column"], first["field"]) == (9, 12, "steps[0].trace")
    assert first["message"].startswith("expected ")
    plain = nn_tutor("--lang", "en", "validate", str(BAD / "wrong_type.yaml"), home=tmp_path)
    assert plain.stderr.splitlines()[0] == (
        f"{first['file']}:{first['line']}:{first['column']}: {first['field']}: {first['message']}"
    )


def test_user_decks_in_the_data_dir_join_the_default(tmp_path: Path) -> None:
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "mine.yaml").write_text(
        "kind: cards\nid: mine\ntitle: Mine\ncards:\n  - {id: mine.one, front: f, back: b}\n"
    )
    report = json.loads(nn_tutor("validate", "--json", home=tmp_path).stdout)
    baseline = json.loads(nn_tutor("validate", "--json", home=tmp_path / "empty").stdout)
    assert report["card_decks"] == baseline["card_decks"] + 1


def test_paths_resolve_references_against_the_configured_decks(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    done = nn_tutor("validate", "--json", str(root / "cards" / "welcome.yaml"), home=tmp_path)
    report = json.loads(done.stdout)
    # the card deck names lesson 'welcome', which is not being validated but does exist
    assert done.returncode == 0 and report["errors"] == []
    assert report["lessons"] == 0 and report["card_decks"] == 1


def test_paths_catch_id_clashes_with_the_configured_decks(tmp_path: Path) -> None:
    clash = tmp_path / "clash.yaml"
    clash.write_text(
        "kind: cards\nid: clash\ntitle: t\ncards:\n"
        "  - {id: welcome.card-bias-none, front: f, back: b}\n"
    )
    done = nn_tutor("validate", str(clash), home=tmp_path / "home")
    assert done.returncode == 1
    assert "already used in" in done.stderr and "welcome.yaml" in done.stderr


def test_validate_in_chinese_says_each_problem_in_chinese(tmp_path: Path) -> None:
    """``--lang zh``: the problems in Chinese, in the same one-line form (file, line, column and
    field as written); ``--json`` stays English, for the scripts that read it."""
    bad = (str(BAD / "wrong_type.yaml"), str(BAD / "unknown_field.yaml"))
    done = nn_tutor("--lang", "zh", "validate", *bad, home=tmp_path)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[:2] == [
        f"{bad[0]}:9:12: steps[0].trace: 应为：true 或 false；实际：文本",
        f"{bad[1]}:9:5: steps[0].tarce: 未知字段；你是不是想写 'trace'？"
        "（可用字段：caption, code, device, id, raises, title, torch_min, trace）",
    ]
    assert lines[-1] == "发现 2 个问题；没有任何卡组加载成功。"
    report = json.loads(nn_tutor("--lang", "zh", "validate", "--json", *bad, home=tmp_path).stdout)
    assert [e["message"] for e in report["errors"]] == [
        "expected true or false, got text",
        "unknown field; did you mean 'trace'? "
        "(allowed: caption, code, device, id, raises, title, torch_min, trace)",
    ]
