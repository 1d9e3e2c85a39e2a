"""The sandbox's own messages in the learner's language.

The sandbox words its messages in English (``RunError.message``, a trace warning's ``message``)
and sends them also as data: an error it composed itself has a ``code`` and ``params``, a hint it
added to a learner's exception a ``hint_code``, and a trace warning its ``kind`` with ``params``
(see :mod:`sandbox.outcome` and ``HookTracer._warnings``). Here they become text again, from the
``sandbox.error.*``, ``sandbox.hint.*`` and ``sandbox.warning.*`` strings. A code this version does
not know, or params that do not fit its string, fall back to the English message; an exception of
the learner's own keeps Python's text, glossed in the learner's language where it is one of
Python's common errors worded as Python words them (:func:`glossed`: a missing name or attribute,
a syntax or indentation slip).

:func:`error_summary` (an error's one line), :func:`error_message` and :func:`warning_message` are
what every view shows (the run panel, the trace view, ``nn-tutor run``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import cache
from typing import Any

from rich.cells import cell_len, set_cell_size

from sandbox.result import message_before_hint, message_without_hint
from sandbox.torch_error_hints import TORCH_HINT_CODES
from tutor.i18n import Lang, catalog_keys, localize, tr
from tutor.line_breaks import joins_without_space
from tutor.terminal_text import terminal_text

_FORMAT_ERRORS = (KeyError, IndexError, ValueError, TypeError, AttributeError)


@cache
def _keys() -> frozenset[str]:
    return frozenset(catalog_keys())


def _field(item: Any, name: str, default: Any = None) -> Any:
    """``item[name]`` of a dict, or ``item.name`` of a ``RunError`` (or anything shaped like it)."""
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _format(key: str, lang: Lang | str, values: dict[str, Any]) -> str | None:
    """The catalog string ``key`` filled with ``values``; ``None`` if it is unknown or they do
    not fit it (a sandbox newer or older than this UI)."""
    if key not in _keys():
        return None
    try:
        # ``_key`` is always given so the string is always formatted: a placeholder without a
        # value must fail here, not show its braces.
        return tr(key, lang, _key=key, **values)
    except _FORMAT_ERRORS:
        return None


KIND_KEYS = {
    "Timeout": "sandbox.kind.timeout",
    "Cancelled": "sandbox.kind.cancelled",
    "Crashed": "sandbox.kind.crashed",
    "OutOfMemory": "sandbox.kind.out_of_memory",
    "OutputLimitExceeded": "sandbox.kind.output_limit",
    "WorkerFailed": "sandbox.kind.worker_failed",
    "DeviceUnavailable": "sandbox.kind.device_unavailable",
}
"""The kinds of error the sandbox names itself (not Python's exceptions) -> their words."""


def error_heading(error: Any, lang: Lang | str) -> tuple[str, int | None]:
    """What a view puts before an error's message: its kind in ``lang`` (a Python exception
    keeps its name: ``EOFError``) and the line to name there, or ``None``. A kind the sandbox
    names itself says its line in its message where it has one ("stopped at line 3"), so the
    heading does not say it again."""
    kind = str(_field(error, "type", "") or "")
    if kind in KIND_KEYS and _field(error, "code"):
        return tr(KIND_KEYS[kind], lang), None
    return kind, _field(error, "line")


def error_summary(error: Any, lang: Lang | str) -> tuple[str, str]:
    """An error's one line as every view shows it (the run panel, ``nn-tutor run``), in two
    parts so a view can style them apart: the heading and the message, in ``lang``.

    ``("ValueError (line 3): ", "bad input")``, ``("超时：", "运行超过了…")``. An exception raised
    without a message (``raise ValueError``, or one of escape sequences alone, which a view drops)
    is headed as Python prints it, with no colon and nothing after it: ``("ValueError (line 3)",
    "")``. A crash's heading says it crashed, so its message says only how (:func:`crash_words`).
    """
    kind, line = error_heading(error, lang)
    message = crash_words(error, lang)
    if message is None:
        message = error_message(error, lang)
    shown = learners_words(message)  # what a view draws of it: escapes are dropped
    key = _HEADING_KEYS[bool(line), bool(shown.strip())]
    return tr(key, lang, type=kind, line=line), message


CRASH_KEYS = {
    "crashed_signal": "sandbox.crash.signal",
    "killed": "sandbox.crash.killed",
}
"""A crash's ``code`` -> what its line says after the heading ("Crashed: "), which names the
crash already: the sandbox's message ("the run crashed: …") would say it twice."""


def crash_words(error: Any, lang: Lang | str) -> str | None:
    """What an error line says of a crash after its heading, in ``lang``: the signal that ended
    the run, and why where the system said (out of memory); ``""`` when there is nothing more to
    say (the heading alone reads "Crashed"). ``None`` for any other error, or a crash whose params
    do not fit (a sandbox newer or older than this UI): its message then says it."""
    code = _field(error, "code")
    if _field(error, "type") != "Crashed" or not isinstance(code, str):
        return None
    if code == "crashed":  # "the run crashed", and nothing more known
        return ""
    key = CRASH_KEYS.get(code)
    return _format(key, lang, dict(_field(error, "params") or {})) if key else None


_HEADING_KEYS = {  # (names a line, has a message) -> the heading's string
    (True, True): "run.error_head.at_line",
    (True, False): "run.error_head.at_line.bare",
    (False, True): "run.error_head",
    (False, False): "run.error_head.bare",
}


def error_message(error: Any, lang: Lang | str) -> str:
    """The message of a ``RunError`` (or its dict) in ``lang``: the sandbox's own English words
    in English, else :func:`worded_error`, else (an exception the learner's code raised, a code
    this version does not know) the message as it came, what the sandbox cut of it noted in
    ``lang`` (:func:`clip_notes`), with a gloss in ``lang`` after it where it is one of Python's
    common errors (:func:`glossed`)."""
    message = str(_field(error, "message", "") or "")
    if lang == "en":
        return message
    kind = str(_field(error, "type", "") or "")
    return worded_error(error, lang) or glossed(kind, clip_notes(message, lang), lang)


PYTHON_GLOSS_KEYS: dict[str, tuple[str, ...]] = {
    "NameError": (
        "sandbox.gloss.name_not_defined",
        "sandbox.gloss.name_not_defined_did_you_mean",
        "sandbox.gloss.name_not_defined_forgot_import",
        "sandbox.gloss.name_not_defined_did_you_mean_or_import",
    ),
    "AttributeError": (
        "sandbox.gloss.no_attribute",
        "sandbox.gloss.no_attribute_did_you_mean",
        "sandbox.gloss.module_no_attribute",
        "sandbox.gloss.module_no_attribute_did_you_mean",
    ),
    "SyntaxError": (
        "sandbox.gloss.invalid_syntax",
        "sandbox.gloss.invalid_syntax_comma",
        "sandbox.gloss.never_closed",
        "sandbox.gloss.unmatched",
        "sandbox.gloss.mismatched_bracket",
        "sandbox.gloss.mismatched_bracket_on_line",
        "sandbox.gloss.unterminated_string",
        "sandbox.gloss.unterminated_triple_quoted_string",
        "sandbox.gloss.unterminated_fstring",
        "sandbox.gloss.unterminated_triple_quoted_fstring",
        "sandbox.gloss.expected_colon",
    ),
    "IndentationError": (
        "sandbox.gloss.indent_after_statement",
        "sandbox.gloss.indent_after_function",
        "sandbox.gloss.indent_after_class",
        "sandbox.gloss.unexpected_indent",
        "sandbox.gloss.unindent",
    ),
}
"""Python's own common errors a learner meets first, by type -> the strings that gloss them.
Each string's English is Python's exact wording (3.10 to 3.13 word them alike, but for an
unclosed f-string, which 3.12 and later name apart, and a library module's missing import, which
3.12 and later suggest), read as the pattern its message must match
whole (:func:`_gloss_pattern`)."""


_GLOSS_FIELD = r"[^'`\n]+"
"""What Python puts in a gloss string's placeholder (a name, a bracket, a keyword): no quote, and
no backtick, which marks code in a gloss (:func:`gloss_words`): words with one are a learner's."""

_GLOSS_FIELD_PATTERNS = {"line": r"\d+"}
"""What Python puts in a gloss string's placeholder of this name, where it is narrower than
:data:`_GLOSS_FIELD`: a line number is digits ("on line 1 or 2" is not Python's)."""


@cache
def _gloss_pattern(key: str) -> re.Pattern[str]:
    """The catalog's English of ``key`` as a pattern, each placeholder a group of its name that
    matches what Python puts there (:data:`_GLOSS_FIELD`, :data:`_GLOSS_FIELD_PATTERNS`).
    ``tr`` without values gives the string unformatted, its placeholders in it."""
    pattern = ""
    for literal, field, _spec, _conversion in string.Formatter().parse(tr(key, "en")):
        pattern += re.escape(literal)
        if field:
            pattern += f"(?P<{field}>{_GLOSS_FIELD_PATTERNS.get(field, _GLOSS_FIELD)})"
    return re.compile(pattern)


def glossed(kind: str, words: str, lang: Lang | str) -> str:
    """``words``, Python's message of an error of type ``kind``, with a short gloss in ``lang``
    after it where it is one of Python's common errors worded exactly as Python words it
    (:data:`PYTHON_GLOSS_KEYS`: ``name 'x' is not defined``, ``'(' was never closed``); Python's
    words stay, since they are what a search finds. Any other words come back as they are, and
    English never adds a gloss."""
    gloss = _gloss(kind, words, lang)
    return words if gloss is None else tr("sandbox.gloss", lang, message=words, gloss=gloss)


def _gloss(kind: str, words: str, lang: Lang | str) -> str | None:
    """The gloss in ``lang`` of ``words``, Python's message of an error of type ``kind``, where
    it is one of :data:`PYTHON_GLOSS_KEYS` worded exactly as Python words it; else ``None``."""
    for key in PYTHON_GLOSS_KEYS.get(kind, ()):
        found = _gloss_pattern(key).fullmatch(words)
        gloss = _format(key, lang, found.groupdict()) if found else None
        if gloss is not None:
            return gloss
    return None


def gloss_words(error: Any, lang: Lang | str) -> str | None:
    """The gloss :func:`error_message` says after Python's words of ``error`` in ``lang``, without
    what joins them: a view draws its code spans as code (the gloss is the tutor's words; Python's
    before it stay as written); ``None`` where it says none. Python's words are the message
    before the sandbox's hint, and before an earlier hint the hint's params kept."""
    message = str(_field(error, "message", "") or "")
    if lang == "en" or not message:
        return None
    words = message_before_hint(message, str(_field(error, "hint", "") or ""))
    earlier = _earlier_hint(dict(_field(error, "params") or {}), Lang.EN)
    if earlier is not None:
        words = message_before_hint(words, earlier[0])
    return _gloss(str(_field(error, "type", "") or ""), words, lang)


def glossed_error_line(error_line: str, lang: Lang | str, *, quote: str = "") -> str:
    """``error_line``, Python's ``Type: message`` as a traceback ends in it (a failed check's
    ``params["error"]``, the error Bug Hunt quotes), with the gloss :func:`glossed` adds to its
    message after it. ``quote`` goes either side of Python's words, not of the gloss: a view that
    quotes the error as a code span passes a backtick, and the gloss (with code spans of its own:
    the missing name) follows the span. A line of another shape, or a message without a gloss,
    comes back as it is, quoted."""
    kind, colon, words = error_line.partition(": ")
    gloss = _gloss(kind, words, lang) if colon else None
    quoted = f"{quote}{error_line}{quote}"
    return quoted if gloss is None else tr("sandbox.gloss", lang, message=quoted, gloss=gloss)


@cache
def _clip_note() -> re.Pattern[str]:
    """The note the sandbox ends what it cut with, as a pattern: the catalog's English, which
    reads exactly as the sandbox's (``sandbox.outcome.CLIP_NOTE``; the tests hold them equal)."""
    english = tr("sandbox.clipped", "en", count="{count}")
    return re.compile(re.escape(english).replace(re.escape("{count}"), r"(\d+)"))


def clip_notes(text: str, lang: Lang | str) -> str:
    """``text`` (a value, a message, a traceback) with the notes the sandbox ends what it cut
    with worded in ``lang``."""
    if lang == "en":
        return text
    return _clip_note().sub(lambda m: tr("sandbox.clipped", lang, count=int(m[1])), text)


TRACEBACK_END_WIDTH = 72
"""The most cells a traceback's last line keeps where the error's line above says its message
whole (:func:`shown_traceback`): a row of the run panel at 80 columns."""


def shown_traceback(error: Any, lang: Lang | str) -> str:
    """An error's traceback as a view shows it with the error's line (:func:`error_summary`),
    the sandbox's notes of what it cut worded in ``lang``. Its last line, Python's ``Type:
    message``, is cut to its first row (``…`` after it) where the error's line says that message
    whole: torch's long messages (an inference tensor's, a state_dict's size mismatch) filled the
    screen twice. The type and the first words stay, as Python ends a traceback."""
    traceback = str(_field(error, "traceback", "") or "").rstrip()
    start = _end_said_above(error, traceback)
    if start is not None:
        traceback = traceback[:start] + _first_row(traceback[start:])
    return clip_notes(traceback, lang)


def _end_said_above(error: Any, traceback: str) -> int | None:
    """Where ``traceback``'s last line, ``Type: message``, begins, if that message is what the
    error's line says in every language: an exception of the learner's own (no ``code``: the
    sandbox words those), its hint after it if any. ``None`` otherwise."""
    if _field(error, "code"):
        return None
    kind = str(_field(error, "type", "") or "")
    message = str(_field(error, "message", "") or "")
    hint = str(_field(error, "hint", "") or "")
    said = message_before_hint(message, hint)
    earlier = _earlier_hint(dict(_field(error, "params") or {}), Lang.EN)
    if earlier is not None:  # the fix of the error, before the output cap's note
        said = message_before_hint(said, earlier[0])
    said = said.rstrip()
    ending = f": {said}"
    if not said.strip() or not traceback.endswith(ending):
        return None
    named_at = len(traceback) - len(ending)
    start = traceback.rfind("\n", 0, named_at) + 1
    name = traceback[start:named_at]  # a class of the learner's: __main__.MyError
    return start if kind and (name == kind or name.endswith(f".{kind}")) else None


TRACEBACK_END_KEPT = 20
"""The fewest cells of the message a cut last line keeps after its ``Type: ``: backed up to a
space before that, a long name's NameError kept only ``NameError: name …``."""


def _first_row(line: str) -> str:
    """``line`` (``Type: message``, of one line or more) as one row of at most
    :data:`TRACEBACK_END_WIDTH` cells, ending in ``…`` where it was cut, at a space if one leaves
    :data:`TRACEBACK_END_KEPT` cells of the message. Measured and cut as the row draws it
    (:func:`learners_words`): a tab takes it to the next 8-column stop, and an escape sequence
    is dropped, never cut into (its rest drawn as text)."""
    first = line.split("\n", 1)[0]
    shown = learners_words(first)
    if first == line and cell_len(shown) <= TRACEBACK_END_WIDTH:
        return line
    cut = shown
    if cell_len(shown) > TRACEBACK_END_WIDTH - 2:
        cut = set_cell_size(shown, TRACEBACK_END_WIDTH - 2)
        space = cut.rfind(" ")
        message_at = shown.find(": ") + 2
        if space > message_at and cell_len(cut[message_at:space]) >= TRACEBACK_END_KEPT:
            cut = cut[:space]
    return f"{cut.rstrip()} …"


def worded_error(error: Any, lang: Lang | str) -> str | None:
    """A ``RunError``'s message worded from the catalog; ``None`` when it has nothing to go on.

    A code is worded from ``sandbox.error.CODE`` (``sandbox.error.CODE.at_line`` when the params
    name a line and that string exists), then the allocator's ``detail`` if any. A hint's
    English words at the end of the message are replaced with ``sandbox.hint.HINT_CODE``, and
    Python's words before them glossed where they are one of its common errors (an earlier hint
    they end in worded too: :func:`_worded_earlier_hint`). In English this reads exactly as the
    sandbox's message (the tests hold the catalog to that).
    """
    message = str(_field(error, "message", "") or "")
    code = _field(error, "code")
    params = dict(_field(error, "params") or {})
    if code:
        key = f"sandbox.error.{code}"
        if params.get("line") is not None and f"{key}.at_line" in _keys():
            key += ".at_line"
        text = _format(key, lang, params)
        if text is not None:
            detail = params.get("detail")
            if detail:
                text += tr("sandbox.error_detail", lang, detail=detail)
            return text
    hint, hint_code = str(_field(error, "hint", "") or ""), _field(error, "hint_code")
    before = message_without_hint(message, hint)
    if hint_code and before is not None:
        # a hint's params: what it names (mixed_tabs' line, a NameError's name and fix)
        localized = _format(f"sandbox.hint.{hint_code}", lang, params)
        if localized is None:
            return None
        if not before:  # an exception without a message of its own (BdbQuit)
            return localized
        kind = str(_field(error, "type", "") or "")
        said = _worded_earlier_hint(kind, before, params, lang)
        return said + tr("sandbox.hint", lang, hint=localized)
    return None


def hint_words(error: Any, lang: Lang | str) -> str | None:
    """The words of the hint ending ``error``'s message (:func:`error_message`) in ``lang``,
    without the brackets ``sandbox.hint`` puts around them: a view draws their code spans as
    code (the learner's words before them stay as written); ``None`` where it knows of none."""
    hint = str(_field(error, "hint", "") or "")
    if not hint:
        return None
    if lang == "en":
        return hint
    hint_code = _field(error, "hint_code")
    if not hint_code:
        return None
    return _format(f"sandbox.hint.{hint_code}", lang, dict(_field(error, "params") or {}))


def _worded_earlier_hint(
    kind: str, message: str, params: Mapping[str, Any], lang: Lang | str
) -> str:
    """``message`` (what comes before a hint), with the hint it ends in worded in ``lang``, where
    the hint after it kept that one's code and params (``earlier_hint_code``,
    ``earlier_hint_params``: the output cap's note, after the fix of the learner's error), and
    Python's words before them :func:`glossed` (the error is of type ``kind``)."""
    earlier = _earlier_hint(params, lang)
    before = None if earlier is None else message_without_hint(message, earlier[0])
    if earlier is None or before is None:
        return glossed(kind, message, lang)
    return glossed(kind, before, lang) + tr("sandbox.hint", lang, hint=earlier[1])


def _earlier_hint(params: Mapping[str, Any], lang: Lang | str) -> tuple[str, str] | None:
    """The hint (the fix of the learner's error: a torch error's, a NameError's import) a hint's
    ``params`` kept (``earlier_hint_code``, ``earlier_hint_params``: the output cap's note, said
    after it): its English words, which the sandbox's message ends in (``message (hint)``, then
    the output cap's note), and its words in ``lang``; ``None`` where none was kept."""
    code, earlier_params = params.get("earlier_hint_code"), params.get("earlier_hint_params")
    if not code or not isinstance(earlier_params, Mapping):
        return None
    english = _format(f"sandbox.hint.{code}", Lang.EN, dict(earlier_params))
    localized = _format(f"sandbox.hint.{code}", lang, dict(earlier_params))
    if english is None or localized is None:
        return None
    return english, localized


CHECK_KEYS = {
    "raised_in_code": "sandbox.check.raised_in_code",
    "missing_name": "sandbox.check.missing_name",
    "module_not_initialized": "sandbox.check.module_not_initialized",
    "missing_attribute": "sandbox.check.missing_attribute",
    "returned_none": "sandbox.check.returned_none",
    "check_crashed": "sandbox.check.check_crashed",
}
"""A failed check's ``code`` (``sandbox.outcome.CHECK_CODES``) -> its words."""

CHECK_HINT_KEYS = {
    hint_code: f"sandbox.hint.{hint_code}" for hint_code in ("no_module_init", *TORCH_HINT_CODES)
}
"""The advice a failed check's params may name as ``hint_code`` (``sandbox.outcome.HINTS``) ->
its words, said after the check's, filled with its ``hint_params``: the learner's module used
before ``super().__init__()``, a torch error (``sandbox.torch_error_hints``)."""


def check_words(check: Any, lang: Lang | str) -> tuple[str, str]:
    """A failed check's message in ``lang`` as a view shows it, in two parts: what it says and,
    for a check that crashed on what the learner's code gave it, the check's own error (Python's
    English, for the curious: a view shows it dim), else ``""``. ``check`` is a
    ``CheckOutcome`` or its dict.

    A check's assertion has its own words (``{"en": ..., "zh": ...}``), localized here; a check
    the sandbox words (``sandbox.outcome.CHECK_CODES``) is worded from its :data:`CHECK_KEYS`,
    falling back to its message as it came (a code this version does not know). Both in the
    learner's words (see :func:`learners_words`): a check's f-string may quote their values."""
    message = localize(_field(check, "message", "") or "", lang)
    code = _field(check, "code")
    params = _field(check, "params")
    params = dict(params) if isinstance(params, Mapping) else {}  # a recorded one may be odd
    key = CHECK_KEYS.get(code) if isinstance(code, str) else None
    if code == "raised_in_code" and isinstance(params.get("error"), str):
        params["error"] = glossed_error_line(params["error"], lang)  # the words it says
    worded = _format(key, lang, params) if key else None
    if worded is None:
        return learners_words(clip_notes(message, lang)), ""
    hint_code = params.get("hint_code")  # advice the sandbox has for the error, if any
    hint_key = CHECK_HINT_KEYS.get(hint_code) if isinstance(hint_code, str) else None
    hint_params = params.get("hint_params")
    hint_params = dict(hint_params) if isinstance(hint_params, Mapping) else {}
    hint = _format(hint_key, lang, hint_params) if hint_key else None
    if hint is not None:
        worded += tr("sandbox.hint", lang, hint=hint)
    raw = ""
    if code != "raised_in_code" and params.get("error"):  # that one says its error already
        raw = tr("sandbox.check.raw_error", lang, error=params["error"])
    return learners_words(worded), learners_words(raw)


def unavailable_message(reason: Any, lang: Lang | str) -> str:
    """ "The sandbox is not available: …" in ``lang``, for why it did not start: the worker's
    ``RunError`` (worded by :func:`error_message`) or a plain message."""
    worded = reason if isinstance(reason, str) else error_message(reason, lang)
    return tr("run.unavailable", lang, error=worded)


def learners_words(text: object) -> str:
    """Words the learner's code chose (a module's name, a type's) as a view shows them: the text
    alone, any escape sequence in it dropped as in a run's output, so it never reaches the
    terminal as a command (clear the screen, set its title)."""
    return terminal_text(str(text)).plain


def warning_message(warning: Mapping[str, Any], lang: Lang | str) -> str:
    """The message of a trace warning in ``lang``: its English words in English, else
    :func:`worded_warning`, else the message as it came. It names a module: its
    :func:`learners_words`."""
    message = str(warning.get("message", ""))
    if lang != "en":
        message = worded_warning(warning, lang) or message
    return learners_words(message)


def worded_warning(warning: Mapping[str, Any], lang: Lang | str) -> str | None:
    """A trace warning worded from ``sandbox.warning.KIND``; ``None`` without params or strings.

    The string gets the warning's ``params`` plus its ``module``, ``where`` (the module and its
    type, or the type alone for a model called directly, which the tracer names by its type), its
    ``phase`` in words and, for a forward that failed, ``shapes``: the input shapes as text. A
    warning of a run the worker interrupted (``params["interrupted"]``) is worded from
    ``sandbox.warning.KIND.interrupted`` where that string exists.
    """
    params = warning.get("params")
    if not isinstance(params, Mapping):
        return None
    values = dict(params)
    phase = str(warning.get("phase") or "")
    values["module"] = warning.get("module", "")
    where = _where(values, lang)
    if where is not None:  # without a type, a string naming ``where`` falls back to the message
        values["where"] = where
    values["phase"] = _format(f"sandbox.phase.{phase}", lang, {}) or phase
    if "input_shapes" in values:
        shapes = values["input_shapes"] or []
        values["shapes"] = ", ".join(str(tuple(s)) for s in shapes) or tr(
            "sandbox.warning.no_inputs", lang
        )
    key = f"sandbox.warning.{warning.get('kind')}"
    if values.get("interrupted") and f"{key}.interrupted" in _keys():
        key += ".interrupted"  # stopped by the worker (a timeout, a cancel), not by an error
    worded = _format(key, lang, values)
    return _unspaced_after(worded, where) if worded and where else worded


def _where(values: Mapping[str, Any], lang: Lang | str) -> str | None:
    """The module a warning is about, in ``lang``: its type alone for a model called directly,
    ``sandbox.warning.where_layer`` ("layer 1") for one the tracer says is named by a container's
    index (``layer``), else ``sandbox.warning.where``; ``None`` without a type. A warning from
    before the tracer said ``layer`` and ``shown_name`` names its module as it is."""
    type_name = values.get("type")
    if type_name and values["module"] == type_name:
        return type_name
    key = "sandbox.warning.where_layer" if values.get("layer") else "sandbox.warning.where"
    return _format(key, lang, {"shown_name": values["module"], **values})


def _unspaced_after(text: str, where: str) -> str:
    """``text`` without the space after its first ``where`` where the language has none: the
    Chinese strings space a module from the words after it (``Linear 的``, docs/zh-glossary.md),
    but a module named with its type ends in ``）``, which takes no space (``0（Linear）的``). Only
    that space: the rest may be the learner's own words (an exception's message)."""
    at = text.find(f"{where} ")
    after = at + len(where) + 1
    if at < 0 or after >= len(text) or not joins_without_space(where[-1], text[after]):
        return text
    return text[: after - 1] + text[after:]
