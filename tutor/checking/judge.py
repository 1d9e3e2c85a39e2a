"""Decide whether one unit's run is what the deck promised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tutor.checking.units import CheckUnit
from tutor.i18n import localize
from tutor.sandbox_messages import worded_error

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


def last_printed_line(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _squash(text: str) -> str:
    return " ".join(text.split())


def _describe_failure(result: Any, unit: CheckUnit) -> str:
    """One line on why a run failed, its line counted in the deck file (as the report's
    ``file:line`` is). An exception with no message (a bare ``assert``) names the source line
    instead, as the tutor does for a learner."""
    error = result.error
    if error is None:
        return f"status {result.status}"
    said = error.message
    params = getattr(error, "params", None) or {}
    if getattr(error, "code", None) and params.get("line") is not None:
        # the sandbox's own message names the snippet's line ("stopped at line 3"): worded
        # without it, the file's line below is the one number the report gives
        unlined = {"message": said, "code": error.code, "params": {**params, "line": None}}
        said = worded_error(unlined, "en") or said
    message = f"{error.type}: {said}" if said else error.type
    if not error.line:
        return f"{result.status}: {message}"
    line = error.line if unit.code_line is None else unit.code_line + error.line - 1
    lines = unit.code.splitlines()
    if not error.message and error.line <= len(lines):
        return f"{result.status}: {message} (line {line}: {lines[error.line - 1].strip()})"
    return f"{result.status}: {message} (line {line})"


def judge(unit: CheckUnit, result: Any) -> UnitOutcome:
    """Compare a sandbox ``RunResult`` with what ``unit`` requires."""
    duration = getattr(result, "duration_s", 0.0)

    def outcome(verdict: Verdict, reason: str = "") -> UnitOutcome:
        return UnitOutcome(unit, verdict, reason, duration)

    if unit.kind == "starter":
        if result.check is not None and not result.check.passed:
            return outcome("pass")
        if result.status != "ok":
            return outcome("pass")
        return outcome("fail", "the starter code already passes the check; learners get it free")
    if unit.kind == "snippet" and unit.raises:
        error_type = result.error.type if result.error else None
        if result.status == "error" and error_type == unit.raises:
            return outcome("pass")
        return outcome(
            "fail",
            f"expected it to raise {unit.raises}, got {_describe_failure(result, unit)}",
        )
    if result.status != "ok":
        return outcome("fail", _describe_failure(result, unit))
    if unit.kind == "solution" and (result.check is None or not result.check.passed):
        message = localize(result.check.message, "en") if result.check else "no check outcome"
        return outcome("fail", f"the reference solution fails the check: {message}")
    if unit.kind == "predict":
        printed = last_printed_line(result.stdout)
        if not printed:
            return outcome("fail", "a predict snippet must print what the learner guesses")
        if unit.expect is not None and _squash(printed) != _squash(unit.expect):
            return outcome("fail", f"expect says {unit.expect!r} but the code prints {printed!r}")
    return outcome("pass")
