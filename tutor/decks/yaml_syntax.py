"""A YAML syntax error told as the slip a deck author made, in the author's language.

libyaml's words name the parser's state, not the mistake ("found character that cannot start
any token" does not even say which character). The common slips in a deck (a ``: `` in a text
left unquoted, text after a closing quote, a line out of line with its neighbours, a quote
never closed) each get a sentence that says what to change. Anything else keeps the parser's
own words (English: it has no others) inside a sentence in the learner's language.
"""

from __future__ import annotations

import re

import yaml

from tutor.decks.errors import Message
from tutor.decks.yaml_events import events

# indicators of two characters: a dash or question mark is one only before a space
_TWO_CHARACTER_STARTS = ("- ", "? ")


def syntax_problem(exc: yaml.MarkedYAMLError, lines: list[str]) -> Message:
    """What ``exc`` means for the deck whose text has ``lines``: the slip and its fix where it
    is a common one, else the parser's words. Problems are matched in libyaml's words and in
    PyYAML's own parser's (used where PyYAML was built without libyaml)."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    start = exc.context_mark
    started = start.line + 1 if start else line  # where an unclosed quote or bracket opened
    problem, context = exc.problem or "", exc.context or ""
    if "unexpected end of stream" not in problem:
        opened = _unclosed_quote_line(lines, mark)
        if opened is not None:  # a quote left open: YAML read on, and failed further down
            return Message.of("deck.yaml_slip.quote_runs_on", line=opened)
    # `answer:b`: the parser stops a line on, at the next key
    key = _key_without_colon(lines, mark) or _key_without_colon(lines, start)
    if not key and mark is not None:
        key = _key_without_colon_on(_line_above(lines, mark.line))
    if key and (
        "mapping values" in problem
        or "expected key" in problem
        or "<block end>" in problem
        or "expected ':'" in problem
    ):
        return Message.of("deck.yaml_slip.key_colon", key=key)  # `title {en: …}`, `title:{…}`
    if "mapping values are not allowed" in problem:
        return Message.of("deck.yaml_slip.colon")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        if mark and not _starts_line(lines, mark):  # `en: "foo" bar`: the value ended mid-line
            bracket = _text_at(lines, mark)
            if bracket in ("]", "}"):  # `[a, b]]`
                return Message.of("deck.yaml_slip.stray_bracket", bracket=bracket)
            return Message.of("deck.yaml_slip.after_value")
        return Message.of("deck.yaml_slip.out_of_line")
    if "did not find expected '-' indicator" in problem:
        return Message.of("deck.yaml_slip.not_an_item")
    if "cannot start any token" in problem or " are not allowed" in problem:
        return Message.of("deck.yaml_slip.start", character=_text_at(lines, mark))
    if "alphabetic or numeric character" in problem:  # `*bold*` read as an alias, `&` alone
        return Message.of("deck.yaml_slip.start", character=_text_at(lines, start))
    if "unknown escape character" in problem or "hexdecimal number" in problem:
        return Message.of("deck.yaml_slip.escape")  # `"C:\Users"`: \U wants 8 hex digits
    same_line = mark is not None and start is not None and mark.line == start.line
    flow = "expected ',' or ']'" in problem or "expected ',' or '}'" in problem
    if flow and same_line and _closed_later(lines, mark, "]" if "']'" in problem else "}"):
        # `{en: "said "hi"", zh: …}`
        return Message.of("deck.yaml_slip.flow_entry", brackets="{…} / […]")
    if "expected ',' or ']'" in problem:
        return Message.of("deck.yaml_slip.unclosed_list", line=started)
    if "expected ',' or '}'" in problem:
        return Message.of("deck.yaml_slip.unclosed_mapping", line=started)
    if "could not find expected ':'" in problem:
        return Message.of("deck.yaml_slip.no_colon", line=started)
    if "expected comment or line break" in problem and "block scalar" in context:
        return Message.of("deck.yaml_slip.after_block_mark")
    if "unexpected end of stream" in problem and "quoted scalar" in context:
        return Message.of("deck.yaml_slip.unclosed_quote", line=started)
    if context and start is not None and started != line:
        return Message.of("deck.yaml_syntax_from", context=context, line=started, problem=problem)
    said = " ".join(p for p in (context, problem) if p)
    return Message.of("deck.yaml_syntax", problem=said or Message.of("deck.yaml_invalid"))


# spaces YAML does not read as spaces (it reads them as letters): a no-break space, which some
# editors and web pages put in for a space, and the full-width space a Chinese input method types
ODD_SPACES: dict[str, Message] = {
    "\u00a0": Message.of("deck.space.nbsp"),
    "\u3000": Message.of("deck.space.ideographic"),
}
# what each may have been typed for: one plain space, two (a full-width space looks two wide),
# or nothing (one typed after the plain spaces)
_MENDS: dict[str, tuple[str, ...]] = {"\u00a0": (" ", ""), "\u3000": (" ", "  ", "")}
_ODD_SPACE_LOOKBACK = 3
"""How many lines above a syntax error an odd space is looked for: YAML often stops on the
line after the one holding it (a key's indentation lost makes the next line out of line)."""
_ODD_SPACE_TRIES = 24
"""At most this many mended texts are parsed to find it (each parse reads the whole file)."""


def odd_space(lines: list[str], mark: yaml.Mark | None) -> tuple[int, int, Message] | None:
    """``(line, column, what)``, 1-based, of a no-break or full-width space that broke the YAML
    where it stopped at ``mark``, with the message that names it: in indentation, after a
    ``:`` or a ``-``, YAML reads such a space as a letter, and its error names another line
    ("does not line up") and never the character. One is only named when typing a plain space
    for it (or one more, or none) lets the file parse past ``mark``: one in a text or a
    comment changes nothing there."""
    if mark is None or not lines:
        return None
    last = min(mark.line, len(lines) - 1)
    tries = 0
    for number in range(last, max(-1, last - _ODD_SPACE_LOOKBACK - 1), -1):
        text = lines[number]
        for column, char in enumerate(text):
            if char not in ODD_SPACES:
                continue
            for mend in _MENDS[char]:
                tries += 1
                if tries > _ODD_SPACE_TRIES:
                    return None
                mended = [*lines[:number], text[:column] + mend + text[column + 1 :]]
                if _parses_past("\n".join(mended + lines[number + 1 :]), mark.line):
                    said = Message.of("deck.yaml_slip.odd_space", space=ODD_SPACES[char])
                    return number + 1, column + 1, said
    return None


# a line starting with a key-like word then a value with no ": " between (`title {en: …}`,
# `title:{en: …}`); a plain text's next line (`text continued: more`) is not one
_KEY_WITHOUT_COLON = re.compile(
    r"\s*(?:- )?([A-Za-z_][\w.-]*)(?::(?=\S)|：|\s+(?=[{\[\"'|>]))"  # ： a full-width colon
)


def _key_without_colon(lines: list[str], mark: yaml.Mark | None) -> str:
    """The key the line of ``mark`` starts with but gives no ``": "`` (a colon, then a space),
    or "" where it starts otherwise."""
    if mark is None or mark.line >= len(lines):
        return ""
    return _key_without_colon_on(lines[mark.line])


def _key_without_colon_on(text: str) -> str:
    """The key ``text`` starts with but gives no ``": "``, or ""."""
    found = _KEY_WITHOUT_COLON.match(text)
    return found.group(1) if found else ""


def _line_above(lines: list[str], line: int) -> str:
    """The nearest line above 0-based ``line`` that is not blank, or ""."""
    return next(
        (lines[n] for n in range(min(line, len(lines)) - 1, -1, -1) if lines[n].strip()), ""
    )


def _unclosed_quote_line(lines: list[str], mark: yaml.Mark | None) -> int | None:
    """The line (1-based) above ``mark`` whose quoted text is left open (``en: "text`` and no
    closing quote): YAML reads a quoted text on over lines, so its error shows further down,
    often as "text after the value" on a line that is fine. A line is only named when closing
    its quote lets the file parse past ``mark``; quotes in code blocks change nothing there."""
    if mark is None:
        return None
    for number in range(min(mark.line, len(lines)) - 1, max(-1, mark.line - _QUOTE_LOOKBACK), -1):
        quote = _open_quote(lines[number])
        if not quote:
            continue
        text = lines[number]
        end = len(text) - len(text.rstrip("]} \t"))  # `zh: "text}`: its quote goes before `}`
        mended = [*lines[:number], text[: len(text) - end] + quote + text[len(text) - end :]]
        mended += lines[number + 1 :]
        if _parses_past("\n".join(mended), mark.line):
            return number + 1
    return None


_QUOTE_LOOKBACK = 40
"""How many lines above an error a quote left open is looked for."""
_VALUE_STARTS = " \t{[,:"
"""What may come before the quote that opens a YAML text (a plain text's apostrophe: no)."""


def _open_quote(line: str) -> str:
    """The quote mark a YAML line leaves open at its end, or "": ``"`` escapes with ``\\``,
    ``'`` doubles itself (``''``); a ``#`` after a space outside quotes starts a comment."""
    quote, index = "", 0
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if quote == "'" and line.startswith("''", index):
            index += 2
            continue
        if quote and char == quote:
            quote = ""
        elif not quote and char in "\"'" and (index == 0 or line[index - 1] in _VALUE_STARTS):
            quote = char
        elif not quote and char == "#" and (index == 0 or line[index - 1] in " \t"):
            break
        index += 1
    return quote


def _parses_past(text: str, line: int) -> bool:
    """Whether YAML reads ``text`` past 0-based ``line`` without an error."""
    try:
        for _ in events(text):
            pass
    except yaml.MarkedYAMLError as exc:
        stop = exc.problem_mark or exc.context_mark
        return stop is not None and stop.line > line
    except yaml.YAMLError:
        return False
    return True


def _closed_later(lines: list[str], mark: yaml.Mark | None, bracket: str) -> bool:
    """Whether the line of ``mark`` closes a ``{…}`` or ``[…]`` after it: the bracket was closed,
    and the slip is inside it (a quote in a quoted text, a missing comma)."""
    if mark is None or mark.line >= len(lines):
        return False
    return bracket in lines[mark.line][mark.column :]


def _starts_line(lines: list[str], mark: yaml.Mark) -> bool:
    """Whether ``mark`` is on its line's first non-blank character (an indentation slip)."""
    text = lines[mark.line] if mark.line < len(lines) else ""
    return not text[: mark.column].strip()


def _text_at(lines: list[str], mark: yaml.Mark | None) -> str:
    """The character the parser stopped on, or the two (``- ``, ``? ``) that YAML reads as one
    indicator there."""
    if mark is None or mark.line >= len(lines):
        return "?"
    rest = lines[mark.line][mark.column :]
    return rest[:2] if rest[:2] in _TWO_CHARACTER_STARTS else rest[:1] or "?"
