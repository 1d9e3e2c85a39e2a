"""``nn-tutor check`` judges each unit by what a learner will get: the player's time limit, the
trace where the step asks for it, a check that says "not yet" by its own assertion, and reasons
in the command's language."""

from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path
from types import SimpleNamespace

from tutor.checking import CheckUnit, collect_units, judge
from tutor.decks import DeckLoader
from tutor.i18n import tr


def _deck(tmp_path: Path, text: str) -> Path:
    deck = tmp_path / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    return deck


def _outcomes(deck: Path, **run: object) -> dict[tuple[str, str], object]:
    """Each unit of ``deck`` run in the real sandbox, as ``check`` runs it."""
    from tutor.commands import check

    units = collect_units(DeckLoader([deck]).load())
    return {(o.unit.item_id, o.unit.kind): o for o in check.run_units(units, cuda=False, **run)}


def test_check_gives_a_unit_the_time_the_player_gives_a_run() -> None:
    from tutor.commands import check
    from tutor.widgets.run_panel import run_in_panel

    players = inspect.signature(run_in_panel).parameters["timeout"].default
    checks = inspect.signature(check.run_units).parameters["timeout"].default
    assert checks == players


def test_a_unit_slower_than_the_limit_fails(tmp_path) -> None:
    deck = _deck(
        tmp_path,
        "kind: lesson\nid: slow\ntitle: T\nsummary: S\nsteps:\n"
        "  - type: code\n    id: slow.sleeps\n    code: |\n      import time\n"
        "      time.sleep(3)\n"
        "  - type: code\n    id: slow.quick\n    code: |\n      x = 1\n",
    )
    outcomes = _outcomes(deck, timeout=1.0)
    slow = outcomes[("slow.sleeps", "snippet")]
    assert (slow.verdict, slow.reason.split(":")[0]) == ("fail", "Timeout")
    assert outcomes[("slow.quick", "snippet")].verdict == "pass"


TRACED = (
    "kind: lesson\nid: tr\ntitle: T\nsummary: S\nsteps:\n"
    "  - type: code\n    id: tr.{id}\n    trace: {trace}\n    code: |\n"
    "      from torch.nn.modules import module\n"
    "      assert not module._global_forward_hooks, 'traced'\n"
    "      nn.Linear(2, 3)(torch.zeros(1, 2))\n"
)


def test_a_traced_step_runs_traced(tmp_path) -> None:
    """The player runs a ``trace: true`` step with the tracer's hooks on every module; check ran
    it bare, so code that breaks under the trace passed."""
    traced = _outcomes(_deck(tmp_path, TRACED.format(id="on", trace="true")))
    bare = _outcomes(_deck(tmp_path, TRACED.format(id="off", trace="false")))
    assert traced[("tr.on", "snippet")].verdict == "fail"
    assert "traced" in traced[("tr.on", "snippet")].reason
    assert bare[("tr.off", "snippet")].verdict == "pass"


EXERCISE = (
    "kind: lesson\nid: ex\ntitle: T\nsummary: S\nsteps:\n"
    "  - type: exercise\n    id: ex.{id}\n    title: T\n    prompt: P\n"
    "    starter: |\n      {starter}\n"
    "    check: |\n      {check}\n"
    "    solution: |\n      layer = nn.Linear(3, 2, bias=False)\n"
)


def _starter(tmp_path: Path, item: str, starter: str, check_code: str, **run: object):
    deck = _deck(tmp_path, EXERCISE.format(id=item, starter=starter, check=check_code))
    return _outcomes(deck, **run)[(f"ex.{item}", "starter")]


def test_a_starter_slower_than_the_limit_fails(tmp_path) -> None:
    """Out of time, a starter shows every learner a timeout, never the check's hint: it passed
    check as "failing", as any run that did not end "ok" did."""
    slow = "import time; time.sleep(3); layer = nn.Linear(3, 2)"
    outcome = _starter(tmp_path, "slow", slow, "assert layer.bias is None", timeout=1.0)
    assert (outcome.verdict, outcome.reason.split(":")[0]) == ("fail", "Timeout")


def test_a_check_that_crashes_on_the_starter_fails(tmp_path) -> None:
    """A typo in the check's message: the starter "failed" only by the check's AttributeError,
    the error every learner with a wrong answer sees instead of the hint."""
    outcome = _starter(
        tmp_path,
        "typo",
        "layer = nn.Linear(3, 2)",
        'assert layer.bias is None, f"bias has shape {tuple(layer.bias.shap)}"',
    )
    assert outcome.verdict == "fail"
    assert "AttributeError" in outcome.reason and "shap" in outcome.reason


def test_a_starter_failing_by_assertion_or_by_its_own_code_passes(tmp_path) -> None:
    check_code = 'assert make().bias is None, "remove the bias"'
    asserted = _starter(tmp_path, "a", "def make():\n          return nn.Linear(3, 2)", check_code)
    todo = _starter(tmp_path, "t", "def make():\n          raise NotImplementedError", check_code)
    unfinished = _starter(tmp_path, "u", "layer = TODO", check_code)
    # the learner's function raising as the check calls it; an assert message worded like an
    # error: the learner's fault and the check's "not yet", not the check crashing
    raising = _starter(tmp_path, "r", "def make():\n          raise ValueError('no')", check_code)
    worded = _starter(tmp_path, "w", "x = 1", 'assert x == 2, "ValueError: x must be 2"')
    outcomes = (asserted, todo, unfinished, raising, worded)
    assert [o.verdict for o in outcomes] == ["pass"] * 5, [o.reason for o in outcomes]


def _zh_check(deck: Path, tmp_path: Path, capsys) -> list[str]:
    from tutor.commands import check
    from tutor.config import TutorConfig

    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="zh")
    assert check.main(argparse.Namespace(paths=[str(deck)], json=False), config) == 1
    return capsys.readouterr().err.splitlines()


def test_check_words_its_reasons_in_the_commands_language(tmp_path, capsys) -> None:
    deck = _deck(
        tmp_path,
        "kind: lesson\nid: zhc\ntitle: T\nsummary: S\nsteps:\n"
        "  - type: exercise\n    id: zhc.ex\n    title: T\n    prompt: P\n"
        "    starter: |\n      y = 1\n"
        '    check: |\n      assert y == 2, {"en": f"y is {y}, want 2", "zh": f"y 是 {y}，应为 2"}\n'
        "    solution: |\n      y = 3\n"
        "  - type: quiz\n    kind: predict\n    id: zhc.p\n    question: Q\n    why: W\n"
        '    code: print(1)\n    expect: "2"\n',
    )
    solution, predict = _zh_check(deck, tmp_path, capsys)
    assert solution.endswith("zhc.ex [solution]: 参考答案没有通过检查：y 是 3，应为 2")
    assert predict.endswith("zhc.p [predict]: expect 写的是 '2'，但代码打印的是 '1'")


def _failure_at_line_3(unit: CheckUnit, lang: str) -> str:
    from sandbox.result import RunError

    error = RunError("ValueError", "bad", line=3)
    result = SimpleNamespace(status="error", stdout="", error=error, check=None)
    return judge(unit, result, lang).reason


def test_a_line_whose_file_line_is_unknown_is_named_in_the_code(tmp_path) -> None:
    """Without the file line of the code's first line, "line 3" is the code's third line: said
    bare it reads as the deck file's line 3."""
    unit = CheckUnit(
        "c.x", "verify", tmp_path / "c.yaml", 5, "a = 1\nb = 2\nraise ValueError('bad')"
    )
    assert unit.code_line is None
    assert _failure_at_line_3(unit, "en") == "ValueError: bad (line 3 of its code)"
    assert _failure_at_line_3(unit, "zh") == "ValueError：bad（代码第 3 行）"


# Words of English a line for a Chinese reader should not hold: a run's status as the sandbox
# names it, a kind it names itself. (Python's exception names, the deck's ids and the unit
# kinds in brackets, which name the deck's own fields, stay as written.)
ENGLISH_STATUS = re.compile(r"\b(?:ok|error|timeout|Timeout|crashed|oom|cancelled)\b")


def test_check_words_a_failed_run_as_nn_tutor_run_does(tmp_path, capsys) -> None:
    """``nn-tutor --lang zh check`` said "error: ValueError: boom（第 7 行）" and "应当抛出
    KeyError，实际得到 状态 ok": the run's status in the sandbox's English, where ``nn-tutor
    run`` heads the same error "ValueError：boom" and the tutor calls an ok run 完成."""
    from tutor.cli import main

    deck = _deck(
        tmp_path,
        "kind: lesson\nid: zhr\ntitle: T\nsummary: S\nsteps:\n"
        '  - type: code\n    id: zhr.raise\n    code: |\n      raise ValueError("boom")\n'
        "  - type: code\n    id: zhr.calm\n    raises: KeyError\n    code: |\n      x = 1\n",
    )
    code = main(["--lang", "zh", "--data-dir", str(tmp_path / "data"), "check", str(deck)])
    raised, calm = capsys.readouterr().err.splitlines()
    assert code == 1
    assert raised == f"{deck}:6: zhr.raise [snippet]: ValueError：boom（第 9 行）"
    # a run that raised nothing is said so (it read "got status Done" since: QA 37)
    ran = tr("check.why.ran_without_error", "zh")
    assert calm == f"{deck}:10: zhr.calm [snippet]: 应当抛出 KeyError，实际得到 {ran}"


def test_a_timeout_is_worded_in_chinese_as_nn_tutor_run_words_it(tmp_path) -> None:
    """It said "timeout: Timeout: 运行超过了 1 秒，已被停止（第 9 行）", the status and the kind
    in English before the Chinese message, where ``nn-tutor run`` says "超时：运行超过了 1 秒…"."""
    from tutor.commands import check

    deck = _deck(
        tmp_path,
        "kind: lesson\nid: zht\ntitle: T\nsummary: S\nsteps:\n"
        "  - type: code\n    id: zht.hang\n    code: |\n      while True: pass\n",
    )
    units = collect_units(DeckLoader([deck]).load())
    (outcome,) = check.run_units(units, cuda=False, timeout=1.0, lang="zh")
    heading = tr("run.error_head", "zh", type=tr("sandbox.kind.timeout", "zh"))
    assert outcome.verdict == "fail"
    assert outcome.reason.startswith(heading + "运行超过了 1 秒"), outcome.reason
    assert outcome.reason.endswith("（第 9 行）"), outcome.reason
    assert not ENGLISH_STATUS.search(outcome.reason), outcome.reason
