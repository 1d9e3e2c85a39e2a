"""What a run produced: :class:`RunResult` and its parts, plain data that travels as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "error", "timeout", "crashed", "oom", "cancelled"]
LocalMessage = str | dict[str, str]
"""Text for the learner: plain, or ``{"en": ..., "zh": ...}`` like every deck string."""
STATUSES: tuple[str, ...] = ("ok", "error", "timeout", "crashed", "oom", "cancelled")

TRACE_KEYS: tuple[str, ...] = (
    "phase",
    "module",
    "type",
    "shape",
    "dtype",
    "device",
    "mean",
    "std",
    "min",
    "max",
    "norm",
    "zero_frac",
    "has_nan",
    "has_inf",
)
"""The exact keys of every trace event. Stats are ``None`` in shapes-only mode and when not finite."""


@dataclass
class RunError:
    """An exception from the learner's code (or a sandbox-level failure such as a crash).

    ``traceback`` holds only the learner's frames; ``line`` is the learner's line that failed
    (the deepest frame in the snippet), ``None`` when no snippet line is involved.

    ``message`` is always English. A message the sandbox composed itself (a timeout, a crash...)
    also comes as ``code`` and ``params``, from which a UI words it in its own language (the
    codes are in :mod:`sandbox.outcome`); the learner's own exceptions have no code, their
    message is Python's. ``hint`` is advice the sandbox added to such a message, as its last
    words ``" (hint)"``; ``hint_code`` names it the same way.
    """

    type: str
    message: str
    traceback: str = ""
    line: int | None = None
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    hint: str = ""
    hint_code: str | None = None


@dataclass
class CheckOutcome:
    """The verdict of an exercise's ``check`` code, run after the learner's code."""

    passed: bool
    message: LocalMessage = ""


@dataclass
class RunResult:
    status: Status
    stdout: str = ""
    stderr: str = ""
    value: str | None = None
    error: RunError | None = None
    trace: list[dict[str, Any]] = field(default_factory=list)
    trace_warnings: list[dict[str, Any]] = field(default_factory=list)
    trace_truncated: bool = False
    device: str = "cpu"
    duration_s: float = 0.0
    output_truncated: bool = False
    check: CheckOutcome | None = None

    @property
    def ok(self) -> bool:
        """True when the code ran without error and, if a check was given, the check passed."""
        return self.status == "ok" and (self.check is None or self.check.passed)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        data = dict(data)
        if data.get("error") is not None:
            error = data["error"]
            data["error"] = RunError(
                **{k: v for k, v in error.items() if k in RunError.__dataclass_fields__}
            )
        if data.get("check") is not None:
            data["check"] = CheckOutcome(**data["check"])
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> RunResult:
        return cls.from_dict(json.loads(text))


class SandboxStartError(RuntimeError):
    """The sandbox's worker could not start. ``error`` says why, with the ``code`` and ``params``
    a UI words in its own language (``worker_failed``, ``start_timeout``); ``result`` is the
    failed start as a run's result (status "crashed"), for a caller that reports runs."""

    def __init__(self, error: RunError, result: RunResult | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.result = result or RunResult("crashed", error=error)

    @classmethod
    def of(cls, failed: RunResult) -> SandboxStartError:
        """The error of a failed start, as :class:`sandbox.session.SandboxCore` returns it."""
        error = failed.error or RunError("WorkerFailed", "the sandbox could not start")
        return cls(error, failed)
