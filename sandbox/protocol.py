"""The wire format between client and worker: one JSON object per line, on dedicated pipes.

Client -> worker: ``{"op": "run", "id", "code", "path", "check", "device", "timeout", "trace"}``
(``path``: the file the code came from, or ``None``: see :class:`FileSource`),
``{"op": "cancel", "id"}``, ``{"op": "shutdown"}``; closing the request pipe also stops the worker.

Worker -> client: ``{"type": "ready", "pid", "serving", "kind", "device", "cuda", "torch"}``
(``serving``: the pid of the process that serves runs, the CPU worker's fork; again from each new
one, after ``{"type": "exit", "code", "pid", "ids", "restarted": true}`` says the last one was
killed, with the runs it had in hand: see ``sandbox.worker.supervise``),
``{"type": "began", "id"}`` (the run's learner's code begins: its timeout counts from here),
``{"type": "output", "id", "stream", "text"}`` (streamed as it arrives), or, for what one read
brought from both streams, ``{"type": "output_batch", "id", "chunks": [[stream, text], ...]}`` in
the order written (see :func:`output_message`, :func:`output_chunks`),
``{"type": "result", "id", "result": {...}}`` (a RunResult dict without stdout/stderr, which the
client assembles from the output messages), ``{"type": "fatal", "message"}`` when the worker
cannot start or serve, and, synthesised on the client, ``{"type": "exit", "code"}`` when the
pipe closes, ``{"type": "exit", "unreachable": True}`` when a request cannot be sent and
``{"type": "wake"}`` (no news: look at the clock again) when a run is cancelled.

The learner's code can write on these pipes (a forked run finds its result pipe among its fds;
the CUDA worker runs the code in its own process), so a line that is no JSON object is no message
(:func:`decode`), and a result is checked where it arrives, by the worker from a forked run and by
the client from a worker (:func:`sandbox.result.checked_result`): one of the wrong shape is a
"crashed" run, never an exception in the app or the worker.
"""

from __future__ import annotations

import _json
import codecs
import json
from collections.abc import Callable
from typing import Any, NoReturn

from sandbox.private_builtins import PRIVATE_BUILTINS

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

Message = dict[str, Any]


class FileSource(str):
    """A learner's file's code, knowing the file's absolute ``path``: the sandbox runs it as
    ``python PATH`` would, with ``__file__`` set, the file's folder first on the learner's import
    path and its tracebacks naming the file (see :func:`sandbox.runner.execute`). Code without
    one (a lesson's snippet, the scratch sandbox) runs as ``<snippet>`` from the current folder.

    A ``str``, so it goes through every layer that passes code on (the app's sandbox, the run
    panel) unchanged; :func:`run_request` puts the path in the request.
    """

    path: str

    def __new__(cls, code: str, path: str) -> FileSource:
        source = super().__new__(cls, code)
        source.path = path
        return source


_LONE_SURROGATES = "nn-tutor-escape-surrogates"


def _escape_surrogates(error: UnicodeError) -> tuple[str, int]:
    """Spell lone surrogates (``'\\udcff'``, from ``surrogateescape`` or a learner's literal) as the
    six characters ``\\udcff`` in the JSON text: UTF-8 cannot carry them, and a JSON ``\\u``
    escape would bring them back as a str the terminal cannot print either."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(f"\\\\u{ord(c):04x}" for c in bad), error.end


codecs.register_error(_LONE_SURROGATES, _escape_surrogates)


def _json_encoder() -> Callable[[Message], str]:
    """A compact JSON encoder (``ensure_ascii=False``, as ``json.dumps`` with ``(",", ":")``
    separators), built from ``_json``'s C encoder once, at import. ``json.dumps`` goes through
    ``json.JSONEncoder.encode`` and ``iterencode``, Python methods a run can patch, and the
    workers encode a run's result and replies after its code ran: one run's
    ``JSONEncoder.encode = lambda self, o: 'garbage'`` turned the in-process worker's every reply
    into garbage (the client read the run as hung) and a forked run's result into a crash."""

    def unencodable(value: Any) -> NoReturn:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    # (markers, default, encode str, indent, key separator, item separator, sort keys,
    # skip keys, allow NaN) as json.JSONEncoder passes them; no circular check: ours are trees
    encoder = _json.make_encoder(
        None, unencodable, _json.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda message: "".join(encoder(message, 0))


_to_json = _json_encoder()


def encode(message: Message) -> bytes:
    """``message`` as one line on the wire, by :func:`_json_encoder`'s encoder."""
    return (_to_json(message) + "\n").encode("utf-8", _LONE_SURROGATES)


def decode(line: bytes | str) -> Message:
    """The message on one line; ``ValueError`` for anything but a JSON object (a line the
    learner's code wrote on a pipe of the sandbox's, say: ``5``, ``[[[...]]]`` nested past
    Python's recursion limit), so that no reader of messages meets one of another shape."""
    try:
        message = json.loads(line)
    except RecursionError as exc:
        raise ValueError("the line is nested too deeply") from exc
    if not isinstance(message, dict):
        raise ValueError(f"a message is a JSON object, not {type(message).__name__}")
    return message


def output_message(run_id: int, chunks: list[tuple[str, str]]) -> Message:
    """One message for a run's output ``chunks`` ((stream, text), in the order written): a flood
    that alternates stdout and stderr is then one message per read, not one per line."""
    if len(chunks) == 1:
        ((stream, text),) = chunks
        return {"type": "output", "id": run_id, "stream": stream, "text": text}
    return {"type": "output_batch", "id": run_id, "chunks": [list(chunk) for chunk in chunks]}


def output_chunks(message: Message) -> list[tuple[str, str]]:
    """The (stream, text) chunks an ``output`` or ``output_batch`` message carries, in order;
    those of another shape (the learner's code can write on the pipe) left out."""
    if message.get("type") == "output":
        found = [[message.get("stream"), message.get("text")]]
    else:
        found = message.get("chunks")
        if not isinstance(found, list):
            return []
    return [
        (chunk[0], chunk[1])
        for chunk in found
        if isinstance(chunk, list)
        and len(chunk) == 2
        and chunk[0] in ("stdout", "stderr")
        and isinstance(chunk[1], str)
    ]


def run_request(
    run_id: int,
    code: str,
    *,
    device: str,
    timeout: float | None,
    trace: bool | str,
    check: str | None,
) -> Message:
    return {
        "op": "run",
        "id": run_id,
        "code": code,
        "path": code.path if isinstance(code, FileSource) else None,
        "check": check,
        "device": device,
        "timeout": timeout,
        "trace": trace,
    }


def trace_mode(trace: bool | str) -> str | None:
    """``True``/``"stats"`` -> ``"stats"``; ``"shapes"`` -> shapes-only; falsy -> no trace."""
    if not trace:
        return None
    if trace == "shapes":
        return "shapes"
    return "stats"


class LineBuffer:
    """Splits a byte stream into complete lines (the worker reads its request pipe with this)."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Message]:
        self._buf += data
        out: list[Message] = []
        while True:
            nl = self._buf.find(b"\n")
            if nl < 0:
                return out
            line = bytes(self._buf[:nl])
            del self._buf[: nl + 1]
            if line.strip():
                out.append(decode(line))
