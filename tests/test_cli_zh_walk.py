"""A learner who reads only Chinese, on the command line (``--lang zh``, or ``LANG=zh_CN``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console

from tutor.cli import main
from tutor.commands.run import render
from tutor.i18n import tr

ROOT = Path(__file__).resolve().parents[1]

# Words a Chinese reader should not meet in a line meant for them (technical names such as
# dtype values, module class names and exception types are fine).
ENGLISH_WORDS = re.compile(r"\b(?:fwd|bwd|mean|std|min|max|norm|scalar|must|between|steps)\b")


class _Result:
    """The fields of a RunResult that :func:`render` reads, for a trace of two events."""

    stdout = stderr = ""
    output_truncated = False
    value = None
    trace_warnings: tuple = ()
    error = None
    check = None
    status = "ok"
    duration_s = 0.01
    device = "cpu"

    def __init__(self) -> None:
        event = {
            "module": "Linear",
            "type": "Linear",
            "device": "cpu",
            "dtype": "float32",
            "mean": 0.5,
            "std": 1.0,
            "min": -1.0,
            "max": 2.0,
            "norm": 3.0,
            "zero_frac": 0.0,
            "has_nan": False,
            "has_inf": False,
        }
        self.trace = [
            {**event, "phase": "forward", "shape": [2, 4]},
            {**event, "phase": "backward", "shape": []},
        ]


def _rendered(lang: str) -> str:
    console = Console(width=120, record=True, color_system=None)
    render(_Result(), lang, console)
    return console.export_text()


def test_run_trace_table_speaks_chinese_like_the_tutors_trace():
    """``nn-tutor run --trace`` headed five columns mean/std/min/max/norm and wrote → fwd / ← bwd
    and "scalar" in English, where the tutor's own trace says 均值 … 范数 and → 前向 / ← 反向."""
    text = _rendered("zh")
    assert not ENGLISH_WORDS.search(text), text
    for key in ("trace.col.mean", "trace.col.norm", "trace.phase.forward", "trace.phase.backward"):
        assert tr(key, "zh") in text


def test_run_trace_table_in_english_keeps_its_words():
    text = _rendered("en")
    for word in ("mean", "std", "min", "max", "norm", "→ fwd", "← bwd"):
        assert word in text
    assert "(2, 4)" in text and "()" in text  # shapes as the tutor's trace writes them


@pytest.mark.parametrize(
    "option",
    [
        ["--retention", "2"],
        ["--new-per-day", "-1"],
        ["--max-interval", "0"],
        ["--learning-steps", "0"],
        ["--relearning-steps", "a,b"],
    ],
)
def test_settings_out_of_range_is_said_in_chinese(tmp_path, capsys, option):
    """``nn-tutor --lang zh settings --retention 2`` answered in English: "desired retention must
    be between 0.70 and 0.99" (and ``--new-per-day -1`` named a field, "new_per_day must be >= 0")."""
    code = main(["--lang", "zh", "--data-dir", str(tmp_path), "settings", *option])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("nn-tutor settings：")
    words = re.sub(r"--[a-z-]+", "", err.removeprefix("nn-tutor settings："))  # option names stay
    assert not re.search(r"[A-Za-z]{3,}", words), err


def test_a_data_dir_that_is_a_file_is_said_in_chinese(tmp_path, capsys, monkeypatch):
    """``LANG=zh_CN.UTF-8 nn-tutor --data-dir FILE stats``: "…：FILE: File exists". (``stats``
    only reads, so it makes no folder: the file is in the way of the database's path.)"""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    blocker = tmp_path / "afile"
    blocker.write_text("", encoding="utf-8")
    code = main(["--data-dir", str(blocker), "stats"])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "Not a directory" not in err
        and tr("cli.data_dir.is_file", "zh", folder=blocker, source="--data-dir") in err
    )


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["settings", "--help"]])
@pytest.mark.parametrize("how", ["flag", "locale"])
def test_help_is_in_chinese_and_fits_the_terminal(capsys, monkeypatch, argv, how):
    """``nn-tutor --lang zh run --help`` (or under ``LANG=zh_CN.UTF-8``) was all English:
    "usage:", "options:", "show this help message and exit", every option's help."""
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8" if how == "locale" else "C")
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(SystemExit) as done:
        main((["--lang", "zh"] if how == "flag" else []) + argv)
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.startswith(tr("cli.usage", "zh")) and tr("cli.help.help", "zh") in out
    for english in ("usage:", "options:", "show this help", "seconds before", "new cards a day"):
        assert english not in out
    assert max(_cells(line) for line in out.splitlines()) <= 60, out


def test_the_usage_lines_line_up_under_chinese(capsys, monkeypatch):
    """argparse counts "用法：" as three columns, not six: the usage's second line started three
    columns left of the first one's options."""
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "run", "--help"])
    first, second = capsys.readouterr().out.splitlines()[:2]
    assert _cells(first[: first.index("[")]) == len(second) - len(second.lstrip())


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["run"], "缺少必需的参数：FILE|-"),
        (
            ["run", "--timeout", "x", "-"],
            "参数 --timeout：需要一个大于 0、不超过 86400（一天）的秒数，而不是 'x'",
        ),
        (["run", "--device", "tpu", "x.py"], "参数 --device：无效的选择：'tpu'"),
        (["stats", "--bogus"], "无法识别的参数：--bogus"),
        (["settings", "--retention", "x"], "参数 --retention：'x' 不是有效的 float 值"),
        # reviewer's find: a subcommand's option that abbreviates --lang hid the language
        (["settings", "--l", "1", "--retention", "x"], "参数 --retention：'x' 不是有效的 float 值"),
        (["stats", "a\nb"], "无法识别的参数：a\nb"),  # an argument holding a newline
    ],
)
def test_bad_arguments_are_said_in_chinese(tmp_path, capsys, argv, said):
    """``nn-tutor --lang zh run`` answered "nn-tutor run: error: the following arguments are
    required: FILE|-" under an English "usage:"."""
    with pytest.raises(SystemExit) as done:
        main(["--lang", "zh", "--data-dir", str(tmp_path), *argv])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.startswith(tr("cli.usage", "zh")), err
    assert "：错误：" in err and said in err, err
    assert "error:" not in err and "usage:" not in err


def test_stats_forecast_line_has_a_chinese_colon(tmp_path, capsys):
    """``nn-tutor --lang zh stats`` wrote "未来 30 天: 0 0 …", an English colon among the
    report's "现在到期：…" lines."""
    assert main(["--lang", "zh", "--data-dir", str(tmp_path), "stats"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith(tr("stats.forecast", "zh")))
    assert line.startswith(tr("stats.forecast", "zh") + "：0 "), line
