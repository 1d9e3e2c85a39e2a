"""What a run produced: :class:`RunResult` and its parts, plain data that travels as JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sandbox.private_builtins import PRIVATE_BUILTINS

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

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
    words ``" (hint)"`` (:func:`message_with_hint`); ``hint_code`` names it the same way.
    """

    type: str
    message: str
    traceback: str = ""
    line: int | None = None
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    hint: str = ""
    hint_code: str | None = None


def message_with_hint(message: str, hint: str) -> str:
    """``message`` with the advice ``hint`` as its last words, ``"message (hint)"``; the hint
    alone where there is no message (an exception raised without one: pdb's ``BdbQuit``), as
    :attr:`RunError.message` holds it. :func:`message_without_hint` takes it off again."""
    return f"{message} ({hint})" if message else hint


def message_without_hint(message: str, hint: str) -> str | None:
    """``message`` as it was before :func:`message_with_hint` added ``hint`` (``""`` where it is
    the hint alone); ``None`` where it does not end in that hint, or there is no hint: a UI reads
    the advice apart from the message it ends (to word it in its own language, to see whether the
    message is the one a traceback ends in)."""
    if not hint:
        return None
    if message == hint:
        return ""
    suffix = f" ({hint})"
    return message[: -len(suffix)] if message.endswith(suffix) else None


def message_before_hint(message: str, hint: str) -> str:
    """``message`` without ``hint`` at its end (:func:`message_without_hint`), or whole where it
    does not end in it."""
    before = message_without_hint(message, hint)
    return message if before is None else before


@dataclass
class CheckOutcome:
    """The verdict of an exercise's ``check`` code, run after the learner's code."""

    passed: bool
    message: LocalMessage = ""
    # the check code itself raised (anything but its assertion, and not in the learner's code):
    # a fault of the check, shown to every learner with a wrong answer in place of its hint
    crashed: bool = False
    # why it failed, as data, where the sandbox words it (not the check's assertion): a code of
    # sandbox.outcome.CHECK_CODES and its params, for a UI to say it in the learner's language
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


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
    def from_dict(cls, data: object) -> RunResult:
        """The result ``data`` describes; :class:`MalformedResult` (a ValueError) when it is not
        one a sandbox sends (see :func:`checked_result`)."""
        fields = checked_result(data)
        if fields.get("error") is not None:
            fields["error"] = RunError(**fields["error"])
        if fields.get("check") is not None:
            fields["check"] = CheckOutcome(**fields["check"])
        return cls(**fields)

    def to_json(self, indent: int | None = None) -> str:
        return fields_json(self.to_dict(), indent)

    @classmethod
    def from_json(cls, text: str) -> RunResult:
        return cls.from_dict(json.loads(text))


class MalformedResult(ValueError):
    """A run's result that is not what the sandbox sends: a field of the wrong type, a status that
    is none of :data:`STATUSES`. The learner's code can write on the pipe its result travels on
    (a forked run finds it among its fds; the CUDA worker runs the code in its own process), so
    whatever arrives there is checked before anything reads it."""


Clean = Callable[[Any, str], Any]
"""Checks one field (``where`` names it in the error) and returns it as the sandbox keeps it."""


def _kind(test: Callable[[Any], bool], wanted: str) -> Clean:
    """A :data:`Clean` that accepts the values ``test`` approves, unchanged."""

    def clean(value: Any, where: str) -> Any:
        if not test(value):
            shown = repr(value) if isinstance(value, str) and len(value) <= 40 else None
            raise MalformedResult(
                f"{where} should be {wanted}, not {shown or type(value).__name__}"
            )
        return value

    return clean


def _optional(clean: Clean) -> Clean:
    """``clean``, or ``None``."""
    return lambda value, where: None if value is None else clean(value, where)


def _list_of(clean: Clean) -> Clean:
    """A list whose every item passes ``clean``."""

    def check(value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise MalformedResult(f"{where} should be a list, not {type(value).__name__}")
        return [clean(item, f"{where}[{i}]") for i, item in enumerate(value)]

    return check


def _record(fields: dict[str, Clean], required: tuple[str, ...] = ()) -> Clean:
    """An object with the ``required`` keys, each field checked; keys it does not know are
    dropped (a newer sandbox may send more)."""

    def check(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise MalformedResult(f"{where} should be an object, not {type(value).__name__}")
        if missing := [key for key in required if key not in value]:
            raise MalformedResult(f"{where} has no {missing[0]!r}")
        return {
            key: clean(value[key], f"{where}.{key}")
            for key, clean in fields.items()
            if key in value
        }

    return check


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    """A finite int or float: JSON has no NaN, and ``RunResult.to_json`` refuses one."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_shape(shape: list[Any]) -> bool:
    """A tensor's shape, a list of ints; a nested tensor's, the list of its components'."""
    if all(_is_int(n) for n in shape):
        return True
    return all(isinstance(part, list) and all(_is_int(n) for n in part) for part in shape)


def _is_local_message(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    )


_TEXT = _kind(lambda v: isinstance(v, str), "a str")
_FLAG = _kind(lambda v: isinstance(v, bool), "a bool")
_OBJECT = _kind(lambda v: isinstance(v, dict), "an object")
_STATS = ("mean", "std", "min", "max", "norm", "zero_frac")
_EVENT_TYPES: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    *((key, str) for key in ("phase", "module", "type", "dtype", "device")),
    ("shape", list),
    *((key, (int, float, type(None))) for key in _STATS),
    *((key, (bool, type(None))) for key in ("has_nan", "has_inf")),
)


def _event(value: Any, where: str) -> dict[str, Any]:
    """A trace event: every one of :data:`TRACE_KEYS`, of its type, in that order. Written out,
    not built from :func:`_record`: a trace has up to 2000 events, checked in the worker and
    again in the client, and this takes half the time (about as long as decoding them)."""
    if not isinstance(value, dict):
        raise MalformedResult(f"{where} should be an object, not {type(value).__name__}")
    try:
        event = {key: value[key] for key in TRACE_KEYS}
    except KeyError as missing:
        raise MalformedResult(f"{where} has no {missing.args[0]!r}") from None
    for key, types in _EVENT_TYPES:
        if not isinstance(event[key], types):
            raise MalformedResult(f"{where}.{key} is a {type(event[key]).__name__}")
    if not _is_shape(event["shape"]):
        raise MalformedResult(f"{where}.shape should hold ints, or a list of ints per component")
    if not all(event[key] is None or math.isfinite(event[key]) for key in _STATS):
        raise MalformedResult(f"{where} has a stat that is not finite")
    return event


_WARNING = _record(
    {**dict.fromkeys(("kind", "module", "phase", "message"), _TEXT), "params": _OBJECT},
    ("kind", "module", "phase", "message", "params"),
)
_ERROR = _record(
    {
        "type": _TEXT,
        "message": _TEXT,
        "traceback": _TEXT,
        "line": _optional(_kind(_is_int, "an int")),
        "code": _optional(_TEXT),
        "params": _OBJECT,
        "hint": _TEXT,
        "hint_code": _optional(_TEXT),
    },
    ("type", "message"),
)
_CHECK = _record(
    {
        "passed": _FLAG,
        "message": _kind(_is_local_message, "a str or {lang: str}"),
        "crashed": _FLAG,
        "code": _optional(_TEXT),
        "params": _OBJECT,
    },
    ("passed",),
)
_RESULT = _record(
    {
        "status": _kind(lambda v: v in STATUSES, f"one of {', '.join(STATUSES)}"),
        "stdout": _TEXT,
        "stderr": _TEXT,
        "value": _optional(_TEXT),
        "error": _optional(_ERROR),
        "trace": _list_of(_event),
        "trace_warnings": _list_of(_WARNING),
        "trace_truncated": _FLAG,
        "device": _TEXT,
        "duration_s": _kind(lambda v: _is_number(v) and v >= 0, "a number of seconds"),
        "output_truncated": _FLAG,
        "check": _optional(_CHECK),
    },
    ("status",),
)


def checked_result(data: object) -> dict[str, Any]:
    """``data`` as the fields of a :class:`RunResult` (plain dicts for its parts), each of the
    type it must have, and those it does not know dropped; :class:`MalformedResult` naming the
    first that is wrong otherwise. A run that stopped (any status but "ok") says why in its
    ``error``, and one that did not has none: a UI reads one where the other holds."""
    fields: dict[str, Any] = _RESULT(data, "the result")
    if (fields["status"] == "ok") != (fields.get("error") is None):
        has = "an error" if fields.get("error") is not None else "no error"
        raise MalformedResult(f"the result has status {fields['status']!r} and {has}")
    return fields


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


def fields_json(fields: dict[str, Any], indent: int | None = None) -> str:
    """A result's fields (:meth:`RunResult.to_dict`, with what a caller adds) as JSON: its text
    as it is (no ``\\u`` escapes), and no ``NaN``, which is no JSON."""
    return json.dumps(fields, indent=indent, ensure_ascii=False, allow_nan=False)
