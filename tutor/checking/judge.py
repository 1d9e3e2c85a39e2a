"""Decide whether one unit's run is what the deck promised."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from tutor.checking.names import undefined_names
from tutor.checking.units import CheckUnit
from tutor.i18n import Lang, localize, tr
from tutor.quiz.predict import PARSERS
from tutor.sandbox_messages import error_heading, worded_error

Verdict = Literal["pass", "fail", "skip"]


@dataclass(frozen=True)
class UnitOutcome:
    unit: CheckUnit
    verdict: Verdict
    reason: str = ""
    duration_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.unit.item_id,
            "kind": self.unit.kind,
            "where": self.unit.where,
            "verdict": self.verdict,
            "reason": self.reason,
            "duration_s": round(self.duration_s, 4),
        }


_STRING = r"""b?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""  # bytes hash by the seed too
_STRING_SET = re.compile(rf"\{{{_STRING}(?:, {_STRING})+\}}")
"""A set of two strings (or bytes) or more as Python prints one (``{'train', 'eval'}``); a
dict's strings are followed by ``:``, a set of one has one order. A set mixing strings with
other values, or of tuples of strings, is left to the seeds' runs."""


def shows_string_set(line: str) -> bool:
    """Whether ``line`` prints a set of strings: its order is the str hash seed's, which each
    Python process draws anew, so no one answer is right. The seeds' runs catch most such
    lines, yet two strings come in one order under every seed about one time in seven."""
    return _STRING_SET.search(line) is not None


def last_printed_line(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _squash(text: str) -> str:
    return " ".join(text.split())


def _where_in_code(unit: CheckUnit, line: int, source: str, lang: Lang | str) -> str:
    """Where ``line`` of the unit's code is, with ``source`` (that line's code) when given:
    "(line 11)" counted in the deck file, as the report's ``file:line`` is. Where the file line of
    the code is not known, "(line 3 of its code)": a bare number would read as the file's."""
    if unit.code_line is None:
        key = "check.where.code_line_source" if source else "check.where.code_line"
        return tr(key, lang, line=line, source=source)
    key = "check.where.file_line_source" if source else "check.where.file_line"
    return tr(key, lang, line=unit.code_line + line - 1, source=source)


def _describe_failure(result: Any, unit: CheckUnit, lang: Lang | str) -> str:
    """One line on why a run failed, worded as ``nn-tutor run`` and the tutor word it (the
    error's kind and message, "超时：运行超过了…"), its line counted in the deck file (as the
    report's ``file:line`` is). The run's status is not said before it: the error's kind already
    says it ("Timeout"), and the status would be the sandbox's English word. An exception with
    no message (a bare ``assert``) names the source line instead, as the tutor does for a
    learner."""
    error = result.error
    if error is None:
        return tr("check.why.status", lang, status=tr(f"run.status.{result.status}", lang))
    said = error.message
    params = getattr(error, "params", None) or {}
    if getattr(error, "code", None):
        # the sandbox's own message, worded in the command's language; one naming the
        # snippet's line ("stopped at line 3") is worded without it: the file's line below is
        # the one number the report gives
        unlined = {"message": said, "code": error.code, "params": {**params, "line": None}}
        said = worded_error(unlined, lang) or said
    # the heading without its line: the deck file's line is said after the message
    kind, _ = error_heading(error, lang)
    message = tr("run.error_head" if said else "run.error_head.bare", lang, type=kind) + said
    if not error.line:
        return message
    lines = unit.code.splitlines()
    bare = not error.message and error.line <= len(lines)
    source = lines[error.line - 1].strip() if bare else ""
    return message + _where_in_code(unit, error.line, source, lang)


def _judge_starter(unit: CheckUnit, result: Any, lang: Lang | str) -> tuple[Verdict, str]:
    """A starter must fail: its own code erring (a TODO raising NotImplementedError) or the
    check's assertion saying "not yet", the hint a learner is meant to read. A check that
    passes gives learners the exercise free; one that crashes shows its error instead of the
    hint to every learner with a wrong answer; a starter that runs out of time or memory (or
    crashes the run) shows every learner that, never the hint."""
    if result.status == "error":
        return "pass", ""
    if result.status != "ok":
        return "fail", _describe_failure(result, unit, lang)
    if result.check is None or result.check.passed:
        return "fail", tr("check.why.starter_passes", lang)
    if result.check.crashed:
        return "fail", tr("check.why.check_crashes", lang, error=result.check.message)
    return "pass", ""


def _undefined_in_check(unit: CheckUnit, lang: Lang | str) -> str:
    """Why the exercise's check names something nothing defines, or "" where it does not: the
    first such name, at its line counted in the deck file where that is known."""
    stray = undefined_names(unit.check or "", unit.code)
    if not stray:
        return ""
    name, row = stray[0]
    if unit.check_line is None:
        where = tr("check.where.check_line", lang, line=row)
    else:
        where = tr("check.where.file_line", lang, line=unit.check_line + row - 1)
    return tr("check.why.check_undefined_name", lang, name=name, where=where)


def judge(
    unit: CheckUnit, result: Any, lang: Lang | str = "en", again: Sequence[Any] = ()
) -> UnitOutcome:
    """Compare a sandbox ``RunResult`` with what ``unit`` requires; the reason in ``lang``.
    ``again`` are more fresh runs of a predict unit's code, each in another worker with another
    str hash seed (as another learner's is): their last lines must be the same, or the quiz's
    right answer changes from one learner's run to the next."""
    duration = getattr(result, "duration_s", 0.0)

    def outcome(verdict: Verdict, reason: str = "") -> UnitOutcome:
        return UnitOutcome(unit, verdict, reason, duration)

    if unit.kind == "starter":
        return outcome(*_judge_starter(unit, result, lang))
    if unit.kind == "solution":
        # read, not run: only a learner whose answer trips the assert would ever meet it
        stray = _undefined_in_check(unit, lang)
        if stray:
            return outcome("fail", stray)
    if unit.kind == "snippet" and unit.raises:
        error_type = result.error.type if result.error else None
        if result.status == "error" and error_type == unit.raises:
            return outcome("pass")
        if result.status == "ok":
            got = tr("check.why.ran_without_error", lang)
        else:
            got = _describe_failure(result, unit, lang)
        return outcome("fail", tr("check.why.not_raised", lang, expected=unit.raises, got=got))
    if result.status != "ok":
        return outcome("fail", _describe_failure(result, unit, lang))
    warnings = getattr(result, "trace_warnings", None) or []
    if unit.trace and any(w.get("kind") == "no_modules" for w in warnings):
        return outcome("fail", tr("check.why.trace_empty", lang))
    if unit.kind == "solution" and (result.check is None or not result.check.passed):
        if result.check is None:
            message = tr("check.why.no_check_outcome", lang)
        else:
            message = localize(result.check.message, lang)
        return outcome("fail", tr("check.why.solution_fails", lang, message=message))
    if unit.kind == "predict":
        printed = last_printed_line(result.stdout)
        if not printed:
            return outcome("fail", tr("check.why.predict_prints_nothing", lang))
        if shows_string_set(printed):
            return outcome("fail", tr("check.why.predict_string_set", lang))
        if any(last_printed_line(run.stdout) != printed for run in again):
            return outcome("fail", tr("check.why.predict_unstable", lang))
        parse = PARSERS.get(unit.match)
        if parse is not None and parse(printed) is None:
            # no answer could ever count: the learner's shape or number is compared with a
            # line that is none (``shape is torch.Size([2, 3])``), and only the whole line passes
            why = tr("check.why.predict_unparsable", lang, match=unit.match, printed=repr(printed))
            return outcome("fail", why)
        if unit.expect is not None and _squash(printed) != _squash(unit.expect):
            return outcome(
                "fail",
                tr(
                    "check.why.predict_differs",
                    lang,
                    expect=repr(unit.expect),
                    printed=repr(printed),
                ),
            )
    return outcome("pass")
