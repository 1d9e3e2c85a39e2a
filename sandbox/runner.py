"""Runs one snippet in the current process (a forked child, or the CUDA worker) and describes it.

The learner's code is compiled as ``<snippet>``, or as its file's path when it came from one (the
check as ``<check>``), executed in a fresh ``__main__`` module holding ``torch``, ``nn``, ``F`` and
``device``; if its last statement is an expression, its repr becomes ``value`` as in a notebook.
Tracebacks keep only the learner's frames. Its folder is on its import path, and on none of the
sandbox's or torch's (see :func:`learner_imports`).
"""

from __future__ import annotations

import _signal as _signal_module
import ast
import atexit
import builtins
import contextlib
import ctypes
import functools
import importlib.util
import inspect
import io
import linecache
import os
import re
import sys
import threading
import tokenize
import traceback
import warnings
from collections.abc import Callable, Container, Iterator
from types import CodeType, FrameType, FunctionType, ModuleType, TracebackType
from typing import Any, Literal, NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from sandbox.limits import MB, Limits, peak_memory
from sandbox.outcome import CLIP_NOTE, HINTS, NOT_CHECKED, add_hint, error, thread_name
from sandbox.private_builtins import PRIVATE_BUILTINS
from sandbox.protocol import trace_mode
from sandbox.result import LocalMessage, message_with_hint
from sandbox.torch_error_hints import class_to_call_module_init_in, torch_error_hint
from sandbox.warning_paths import SITE_KEYS, STDLIB_KEYS, library_roots
from sandbox.worker import flush_all, stopped_by_interrupt

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

SNIPPET = "<snippet>"
CHECK = "<check>"
_code_file = SNIPPET
"""The file name the learner's code runs under: :data:`SNIPPET`, or the path of the file it came
from; set by :func:`execute` for its run (and left, for a run's interrupt described after it)."""


class TheirModules:
    """The learner's own modules a run imported from its folder (``model.py`` beside
    ``train.py``, a package ``utils/`` and the modules in it): their imports are the learner's
    (:class:`LearnerFolder`), and a traceback shows their frames too, as Python's does. ``in``
    tells whether a file is one of them."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.packages: tuple[str, ...] = ()  # their folders, each ending in a separator

    def add(self, spec: Any) -> None:
        """A module found in the learner's folder (its import spec)."""
        if spec.origin:
            self.files.add(spec.origin)
        self.packages += tuple(os.path.join(p, "") for p in spec.submodule_search_locations or ())

    def clear(self) -> None:
        self.files.clear()
        self.packages = ()

    def __contains__(self, filename: object) -> bool:
        return isinstance(filename, str) and (
            filename in self.files or filename.startswith(self.packages)
        )


_their_modules = TheirModules()
"""This run's :class:`TheirModules`."""

_real_builtins: dict[str, Any] = vars(builtins)
_builtins_before: dict[str, Any] = {}
"""The builtins as the run found them, by name: set by :func:`execute` for its run, and put back
by :func:`put_back_builtins`."""
_MISSING = object()


def put_back_builtins() -> None:
    """Put back the builtins the learner's code replaced or deleted (``builtins.len = None``,
    ``del builtins.repr``), as :func:`execute` found them; names it added stay (a thread it left
    going may use them). Called once the learner's code ran, before the sandbox's own code that
    reports it: the repr of its value, its error's text and traceback, the output's flush and the
    result's encoding all call builtins, where plain ``python`` reports in C no such patch
    reaches. Uses nothing but dict methods and bound names, so that it works whatever was
    replaced."""
    for name, value in _builtins_before.items():
        if _real_builtins.get(name, _MISSING) is not value:
            _real_builtins[name] = value


ExitCallback = tuple[Callable[..., object], tuple[Any, ...], dict[str, Any]]
_real_register, _real_unregister = atexit.register, atexit.unregister
# bound at import, as the learner's code may replace them (``signal.signal = None``); the C
# functions, as signal.py's wrappers look builtins up in the real module
_getsignal, _set_signal, _default_int_handler = (
    _signal_module.getsignal,
    _signal_module.signal,
    _signal_module.default_int_handler,
)
_SIGINT = _signal_module.SIGINT


def _registered_by_learner(frame: FrameType | None) -> bool:
    """Whether ``frame`` (an ``atexit.register`` call's) is the learner's code or one of their
    modules, or code a string made that they ran (``exec``): not a library, imported as the run
    goes (``torch._dynamo``'s exit callbacks belong to the worker, which keeps the module for
    later runs)."""
    while frame is not None:
        name = frame.f_code.co_filename
        if name == _code_file or name in _their_modules:
            return True
        if not name.startswith("<"):
            return False
        frame = frame.f_back
    return False


@contextlib.contextmanager
def exit_callbacks() -> Iterator[list[ExitCallback]]:
    """Meanwhile, what the learner's code registers with ``atexit.register`` (the module's, or
    the decorator) is kept in the list given, for :func:`run_exit_callbacks` as the run ends: a
    run is a script, whose callbacks ``python`` runs as it exits, but the worker's process exits
    with ``os._exit``, and the in-process one serves later runs. ``atexit.unregister`` takes them
    out again. Libraries' registrations go to ``atexit`` as ever."""
    callbacks: list[ExitCallback] = []

    @functools.wraps(_real_register)
    def register(func: Callable[..., object], /, *args: Any, **kwargs: Any) -> Any:
        if not callable(func):
            raise TypeError("the first argument must be callable")  # as atexit's
        if not _registered_by_learner(sys._getframe(1)):
            return _real_register(func, *args, **kwargs)
        callbacks.append((func, args, kwargs))
        return func

    @functools.wraps(_real_unregister)
    def unregister(func: Callable[..., object], /) -> None:
        callbacks[:] = [callback for callback in callbacks if callback[0] != func]
        _real_unregister(func)

    atexit.register, atexit.unregister = register, unregister
    try:
        yield callbacks
    finally:
        atexit.register, atexit.unregister = _real_register, _real_unregister


def run_exit_callbacks(callbacks: list[ExitCallback], stopping: Callable[[], bool]) -> None:
    """Run (and empty) ``callbacks`` as Python 3.11 runs atexit's at exit: those registered when
    it begins (not one a callback registers), last registered first, unless a callback
    unregistered it; what they print in the run's output. One that raises is said on stderr as
    Python says it (``Exception ignored in atexit callback: ...`` and its traceback, without
    this function's frame) and the rest still run, a KeyboardInterrupt of its own too; not the
    worker's interrupt (the run's timeout or cancel, which stops them as it stops the code):
    ``stopping()`` tells it (the in-process worker's), or the SIGINT handler noting it arrived
    (the forked run's, where it is Python's own handler)."""
    signalled = False
    handler = _getsignal(_SIGINT)

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        nonlocal signalled
        signalled = True
        _default_int_handler(signum, frame)

    noting = handler is _default_int_handler
    if noting:
        _set_signal(_SIGINT, on_sigint)
    try:
        for callback in reversed(list(callbacks)):
            if not any(kept is callback for kept in callbacks):
                continue  # unregistered by a callback run before it
            func, args, kwargs = callback
            try:
                func(*args, **kwargs)
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt) and (signalled or stopping()):
                    raise
                _say_ignored(func, exc)
    finally:
        callbacks.clear()
        if noting and _getsignal(_SIGINT) is on_sigint:
            _set_signal(_SIGINT, handler)


def _say_ignored(func: Callable[..., object], exc: BaseException) -> None:
    """Say on stderr, as Python does, that the exit callback ``func`` raised ``exc``."""
    with contextlib.suppress(Exception):  # the learner's stderr may be closed
        put_back_builtins()  # the callback may have replaced those traceback calls
        tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
        text = "".join(traceback.format_exception(type(exc), exc, tb))
        what = _safe_repr(func, MAX_LINE_CHARS)
        sys.stderr.write(f"Exception ignored in atexit callback: {what}\n{text}")


_ALLOC_MARKERS = ("can't allocate memory", "out of memory", "DefaultCPUAllocator")
MAX_FRAMES = 50
"""Learner frames a traceback keeps: a runaway recursion has thousands, and looking up every one's
line took seconds (a fast error then read as a timeout)."""
OUTER_FRAMES = 3
"""Of those, the outermost kept (where the learner's code made the first call); the rest are the
innermost."""
MAX_MESSAGE_CHARS = 20_000
"""An error or check message longer than this is cut (``raise ValueError("x" * 10**8)``), and so
are an exception's notes, all together."""
MAX_LINE_CHARS = 1_000
"""A line of the learner's code longer than this is cut where a traceback shows it (a line of
pasted data, shown with its carets in every frame that ran it)."""


class _GlobalOrDefault:
    """An attribute of a module that is its global of that name (the code's own: set or deleted
    through the module, as a script's), or ``default`` where that global is unset or ``None``
    (a ``None`` spec would send a ``"spawn"`` worker to run the file ``<snippet>``)."""

    def __init__(self, default: object) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, module: ModuleType | None, owner: type | None = None) -> Any:
        if module is None:
            return self
        value = vars(module).get(self.name)
        return self.default if value is None else value

    def __set__(self, module: ModuleType, value: object) -> None:
        vars(module)[self.name] = value

    def __delete__(self, module: ModuleType) -> None:
        if self.name not in vars(module):
            raise AttributeError(f"module {module.__name__!r} has no attribute {self.name!r}")
        del vars(module)[self.name]


class SnippetModule(ModuleType):
    """The ``__main__`` of code without a file. The code has no ``__file__`` (a bare
    ``__file__`` is a NameError, as in ``python -c``), but asked of the module, its
    ``__file__`` is :data:`SNIPPET`, whose lines :mod:`linecache` holds: Python 3.11's
    ``inspect`` finds a class's source through its module's ``__file__`` alone
    (``inspect.getsource(Net)``, and ``torch.jit.script(Net())``, which reads it, failed with
    "source code not available"). Its ``__spec__`` names ``__main__``, so that a ``"spawn"``
    worker (a DataLoader's) runs no file called ``<snippet>`` again, as it runs none for
    ``python -c``. Neither is in the code's globals (its ``__spec__`` is ``None`` there), until
    the code sets it on the module, as a script may (``__main__.__file__ = ...``)."""

    __file__ = _GlobalOrDefault(SNIPPET)  # type: ignore[assignment]
    __spec__ = _GlobalOrDefault(  # type: ignore[assignment]
        importlib.machinery.ModuleSpec("__main__", None)
    )


def main_module(device: str, path: str | None = None) -> ModuleType:
    """A fresh ``__main__`` module for a run: its namespace is the code's globals; with the
    ``__file__`` of the file ``path`` where the code came from one (else a
    :class:`SnippetModule`)."""
    module = ModuleType("__main__") if path is not None else SnippetModule("__main__")
    vars(module).update(__builtins__=builtins, torch=torch, nn=nn, F=F, device=torch.device(device))
    if path is not None:
        module.__file__ = path
    return module


_STDLIB = library_roots(STDLIB_KEYS)
_NOT_LEARNERS = (*library_roots(SITE_KEYS), os.path.join(os.path.dirname(__file__), ""))
"""Installed packages' folders (torch's) and the sandbox's own: their imports are never the
learner's, even where Python's library holds them (a system Python's site-packages)."""
_SITE_FOLDERS = frozenset({"site-packages", "dist-packages"})  # other installations' (Debian's)


class LearnerFolder:
    """The path-entry finder of the learner's folder on ``sys.path`` during a run: it finds
    modules there for the imports the learner's code makes, and none for anyone else's.

    The worker imported torch before any run, but torch goes on importing as a run uses it
    (sympy for ``torch._dynamo``, its probes of the optional ``cuda.bindings`` and ``triton``):
    the learner's ``sympy.py`` or ``cuda.py`` must not stand in for those, nor break them. Whose
    import it is, is told by the innermost frame that is neither the import system's nor Python's
    own library's (``importlib``, ``pkgutil``, ``doctest`` import for whoever called them): an
    installed package's (torch's) or the sandbox's is refused; any other is the learner's code
    (their snippet or file, a module on a path they added, one they loaded by its file name). An
    unpickler's ``find_class`` (``torch.load`` of a model whose class is in the learner's module)
    imports what the data names, on the learner's behalf.
    """

    def __init__(self, folder: str, code_file: str) -> None:
        self.files = _standard_finder(folder)
        self.code_file = code_file

    def find_spec(self, fullname: str, target: ModuleType | None = None) -> Any:
        if self.files is None or not self._asked_by_learner(sys._getframe(1)):
            return None
        spec = self.files.find_spec(fullname, target)
        if spec is not None:
            _their_modules.add(spec)
        return spec

    def invalidate_caches(self) -> None:
        if self.files is not None:
            self.files.invalidate_caches()

    def _asked_by_learner(self, frame: Any) -> bool:
        while frame is not None:
            code = frame.f_code
            name = code.co_filename
            if name == self.code_file or name in _their_modules:
                return True
            if code.co_name == "find_class":
                return True
            if name.startswith(_NOT_LEARNERS) or _SITE_FOLDERS.intersection(name.split(os.sep)):
                return False
            # the import system's and Python's library (importlib.import_module, pkgutil),
            # and code a string made (an exec'd "import x"): whoever called them asked
            if not name.startswith(("<", *_STDLIB)):
                return True
            frame = frame.f_back
        return False


def _standard_finder(folder: str) -> Any:
    """The finder Python's path hooks make for ``folder`` (a ``FileFinder``), or ``None``."""
    for hook in sys.path_hooks:
        try:
            return hook(folder)
        except ImportError:
            continue
    return None


@contextlib.contextmanager
def learner_imports(path: str | None) -> Iterator[None]:
    """Meanwhile, the learner's folder first on ``sys.path`` as Python puts it (``python FILE``:
    the file's folder; code without a file, ``python -c``: the current one), seen by the
    learner's imports alone (see :class:`LearnerFolder`). A folder already on the path (the
    package root) is left as it is: everything there is importable already."""
    try:
        folder = os.path.dirname(os.path.realpath(path)) if path is not None else os.getcwd()
    except OSError:  # the current folder was deleted: there is none to import from
        folder = None
    if folder is None or folder in sys.path:
        yield
        return
    finder = LearnerFolder(folder, path or SNIPPET)
    sys.path.insert(0, folder)
    sys.path_importer_cache[folder] = finder
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):  # the learner's code may have taken it out
            sys.path.remove(folder)
        if sys.path_importer_cache.get(folder) is finder:
            del sys.path_importer_cache[folder]


@contextlib.contextmanager
def script_argv(path: str | None) -> Iterator[None]:
    """``sys.argv`` meanwhile as Python gives a script (``[path]``; code without a file:
    ``["<snippet>"]``), not the worker's own command line: ``argparse`` in a learner's
    ``train.py`` read the worker's options, and failed naming ``worker.py``."""
    saved = sys.argv
    sys.argv = [path if path is not None else SNIPPET]
    try:
        yield
    finally:
        sys.argv = saved


@contextlib.contextmanager
def as_main(module: ModuleType) -> Iterator[None]:
    """Make ``module`` ``sys.modules["__main__"]`` meanwhile, as a script's globals are: pickle
    (``torch.save(model)``, a multiprocessing pool) finds what the code defined by looking its
    name up there."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        yield
    finally:
        if saved is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = saved


def _register_source(filename: str, source: str) -> None:
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    linecache.cache[filename] = (len(source), None, lines, filename)


def _compile(code: str) -> tuple[CodeType, CodeType | None]:
    """The body to exec and, when the code ends with an expression not silenced by a ``;`` (as
    in a notebook), that expression to eval."""
    tree = ast.parse(code, _code_file, "exec")
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not _silenced(code, tree.body[-1]):
        last = ast.Expression(tree.body.pop().value)
        return compile(tree, _code_file, "exec"), compile(last, _code_file, "eval")
    return compile(tree, _code_file, "exec"), None


def _silenced(code: str, last: ast.stmt) -> bool:
    """Whether a ``;`` follows ``last``, the code's last statement: the first real token after
    it (comments, line breaks and continuations aside) is one. Not the text's last character:
    ``x  # shows x;`` shows x. Only the code after the statement is read, a few characters."""
    # ast's columns count UTF-8 bytes; bytes split lines where Python does (\n, \r\n, \r)
    lines = code.encode("utf-8", "surrogatepass").splitlines(keepends=True)
    end = (last.end_lineno or 1) - 1
    tail = lines[end][last.end_col_offset or 0 :] + b"".join(lines[end + 1 :])
    text = tail.decode("utf-8", "surrogatepass")
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in skipped:
                return token.type == tokenize.OP and token.string == ";"
    except (tokenize.TokenError, SyntaxError):
        return False
    return False


def _first_line(code: CodeType) -> int | None:
    """The first source line of ``code``."""
    return next((line for _, _, line in code.co_lines() if line), None)


def _learner_frames(
    tb: TracebackType | None, filename: str, modules: Container[str] = ()
) -> list[tuple[Any, int]]:
    """``(frame, line)`` of each traceback entry in ``filename`` (or in one of ``modules``),
    outermost first; no lines read."""
    return [
        (f, line)
        for f, line in traceback.walk_tb(tb)
        if f.f_code.co_filename == filename or f.f_code.co_filename in modules
    ]


def _frames(
    tb: TracebackType | None, filename: str, modules: Container[str] = ()
) -> tuple[traceback.StackSummary, int]:
    """At most :data:`MAX_FRAMES` frames of ``tb`` in ``filename`` (and ``modules``), with their
    lines: the outermost :data:`OUTER_FRAMES` (where the learner's code made the call) and the
    innermost, and how many between them were left out."""
    return _kept_frames(_learner_frames(tb, filename, modules))


def _kept_frames(entries: list[tuple[Any, int]]) -> tuple[traceback.StackSummary, int]:
    """At most :data:`MAX_FRAMES` of ``entries`` (``(frame, line)``, outermost first), with
    their lines, and how many were left out (see :func:`_frames`)."""
    left_out = max(0, len(entries) - MAX_FRAMES)
    if left_out:
        entries = entries[:OUTER_FRAMES] + entries[OUTER_FRAMES + left_out :]
    return traceback.StackSummary.extract(iter(entries)), left_out


def _traceback_head(frames: traceback.StackSummary, left_out: int) -> list[str]:
    """A traceback's text down to its last frame (the exception's line not yet), for ``frames``
    with ``left_out`` calls left out between the outermost and the rest (see :func:`_frames`);
    none without frames."""
    if not frames:
        return []
    parts = ["Traceback (most recent call last):\n"]
    if left_out:
        outer = traceback.StackSummary.from_list(frames[:OUTER_FRAMES])
        parts.extend(map(clip_lines, outer.format()))
        parts.append(f"  [{left_out} more calls left out]\n")
        inner = traceback.StackSummary.from_list(frames[OUTER_FRAMES:])
        parts.extend(map(clip_lines, inner.format()))
    else:
        parts.extend(map(clip_lines, frames.format()))
    return parts


def clip(text: str, limit: int) -> str:
    """``text``, cut after ``limit`` characters with a note of how many more there were."""
    if len(text) > limit:
        return text[:limit] + CLIP_NOTE.format(count=len(text) - limit)
    return text


def safe_str(value: object, what: str) -> str:
    """``str(value)``, even where its ``__str__`` raises (a learner may write one): then a note
    that it failed, naming ``value`` as ``what``.

    Any exception, ``SystemExit`` and ``KeyboardInterrupt`` too (a learner's ``__str__`` may
    raise them): this describes what already happened, and one escaping it would lose the run's
    whole report. The worker's own interrupt (a timeout, a cancel) landing here is not lost
    either: the worker knows why it sent it, and that wins over what the run reports (see
    :func:`sandbox.outcome.finalize`), which had no line to name once the learner's code had
    ended; what follows here runs none of the learner's code but other ``__str__``s like this.
    """
    try:
        return str(value)
    except BaseException as failure:
        return f"<str() of {what} failed: {type(failure).__name__}>"


def clip_lines(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """``text`` with each of its lines cut after ``limit`` characters (see :func:`clip`)."""
    if len(text) <= limit:
        return text
    return "\n".join(clip(line, limit) for line in text.split("\n"))


def exception_text(exc: BaseException) -> str:
    """``str(exc)``, even for an exception whose ``__str__`` raises."""
    return safe_str(exc, "the exception")


def describe_exception(exc: BaseException, filename: str | None = None) -> dict[str, Any]:
    """A RunError dict: type, message, traceback trimmed to ``filename`` frames (by default the
    learner's code's), failing line.

    The message is Python's (with what it suggests for a ``NameError`` or an
    ``AttributeError``: a near name, a module's import; see :func:`_suggestion`), except where
    the sandbox words it (``sys.exit``, with a ``code``) or adds advice (``input()``, with a
    ``hint_code``); see :mod:`sandbox.outcome`.
    """
    filename = _code_file if filename is None else filename
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        text = clip_lines("".join(traceback.format_exception_only(type(exc), exc)))
        # Python's own has a str msg and an int line; one the learner raised may hold anything
        message = exc.msg if isinstance(exc.msg, str) and exc.msg else exception_text(exc)
        line = exc.lineno if isinstance(exc.lineno, int) else None
        return error(type(exc).__name__, message, text, line)
    # the learner's code's own frames name its line; their modules' are shown with them
    modules = _their_modules if filename == _code_file else ()
    own = _learner_frames(exc.__traceback__, filename)
    frames, left_out = _frames(exc.__traceback__, filename, modules)
    if not frames and _quit_debugger(exc):
        frames = _debugged_frames(exc, filename)
        own = [(None, frames[-1].lineno)] if frames else []
    parts = _traceback_head(frames, left_out)
    suggestion = _suggestion(exc)
    message = clip(exception_text(exc) + suggestion, MAX_MESSAGE_CHARS)
    if isinstance(exc, SyntaxError) and exc.filename in modules:
        # a module of theirs that does not compile: where and what, with Python's caret
        parts.append(clip_lines("".join(traceback.format_exception_only(type(exc), exc))))
    else:
        parts.append(
            f"{_type_name(type(exc))}: {message}\n" if message else f"{_type_name(type(exc))}\n"
        )
    parts.append(_notes(exc))
    described = error(
        type(exc).__name__,
        message,
        "".join(parts),
        own[-1][1] if own else None,
    )
    if isinstance(exc, SystemExit) and exc.code is None:
        # exit(), quit() and sys.exit() all raise SystemExit(None): name no one of them
        described.update(
            message="exit() or sys.exit() was called; the run stopped there", code="exit_called"
        )
    elif isinstance(exc, SystemExit):
        arg = _safe_repr(exc.code, MAX_MESSAGE_CHARS)
        described.update(
            message=f"sys.exit({arg}) was called; the run stopped there",
            code="sys_exit",
            params={"arg": arg},
        )
    elif isinstance(exc, EOFError) and frames:
        add_hint(described, "no_stdin")
    elif frames and (learners_hint := _learners_error_hint(exc)) is not None:
        add_hint(described, learners_hint[0], **learners_hint[1])
    elif _quit_debugger(exc):
        add_hint(described, "no_debugger")  # breakpoint(): pdb read the end of an empty stdin
    elif frames and _no_cuda_here(exc):
        add_hint(described, "no_cuda_here")
    elif frames and _dataloader_worker_died(exc):
        # a file's worker runs it again ("spawn"): only its __main__ guard keeps the loop out
        add_hint(described, "dataloader_worker" if filename == SNIPPET else "dataloader_main")
    elif (hint := _name_error_hint(exc, filename)) is not None and not (
        hint[0] == "fresh_run" and _near_name_meant(exc, suggestion)
    ):
        # Python's own "Did you mean" (a near name) stays; "define it" would contradict it, but
        # a fix by what the name is does not ("Did you mean: 'int'?" for torch's `init`). Python
        # 3.12's "Did you forget to import 'array'?" alone keeps "define it": it says that of any
        # name of a library module, and `array.shape` is likelier an earlier run's variable; so
        # does a builtin function read as a value ("Did you mean: 'input'?" for `lin(inputs)`)
        add_hint(described, hint[0], **hint[1])
    return described


_NEAR_NAME = ". Did you mean: "
"""How Python's suggestion of a near name begins after a ``NameError``'s or an
``AttributeError``'s message (3.10 and later)."""

_NEAR_NAME_SAID = re.compile(re.escape(_NEAR_NAME) + r"'([^']+)'\?")
"""Python's suggestion of a near name, the name its group: at the start of its suggestion, an
import's suggestion (3.12 and later) maybe after it."""


def _near_name_meant(exc: BaseException, suggestion: str) -> bool:
    """Whether ``suggestion``, Python's after ``exc``'s message, names a near name the learner
    likely meant: any but a builtin function or class (``input`` for ``inputs``: the function
    that reads a line of stdin) near a name the code reads as a value, not calls. A name the
    raising frame has (the learner's, or one the sandbox gives the code: ``nn`` for ``nm``), a
    builtin value (``True`` for ``Tru``) and a builtin the code calls the name as (``print`` for
    ``printt('hi')``: that builtin mistyped) are meant. ``False`` where Python names none."""
    said = _NEAR_NAME_SAID.match(suggestion)
    innermost = list(traceback.walk_tb(exc.__traceback__))[-1:]
    if said is None or not innermost:
        return False
    near, frame = said[1], innermost[0][0]
    # the code's own names, bound yet or not, as Python's display looks first: 3.12 runs a
    # module-level comprehension in <module>, its variable in neither dict. No f_locals: it is
    # f_globals where the fresh-run hint is given (a snippet's <module> frame)
    own = (*frame.f_code.co_varnames, *frame.f_code.co_cellvars)
    if near in own or near in frame.f_globals or near not in frame.f_builtins:
        return True
    if not callable(frame.f_builtins[near]):  # its type's slot read: nothing of it runs
        return True  # True, None, Ellipsis: a value mistyped
    missing = getattr(exc, "name", None)
    source = "".join(linecache.getlines(frame.f_code.co_filename))
    return isinstance(missing, str) and _uses(missing, source).called


_SUGGESTION_STARTS = (_NEAR_NAME, ". Did you forget to import ")
"""How Python's suggestions after such a message begin: a near name, or (3.12 and later, for a
``NameError`` whose name is a module of Python's library: ``sys.stdlib_module_names``) that
module's import, after a near name if any (``". Did you mean: 'mat'? Or did you forget to
import 'math'?"``)."""


def _suggestion(exc: BaseException) -> str:
    """What Python adds after a ``NameError``'s or ``AttributeError``'s message where it has a
    suggestion (``". Did you mean: 'model'?"``, ``". Did you forget to import 'math'?"``), else
    ``""``.

    Python 3.11 words it only in its own (C) exception display, not in :mod:`traceback`: this
    asks that display for the exception's last line alone (``sys.tracebacklimit = 0``).
    """
    if not isinstance(exc, (NameError, AttributeError)) or getattr(exc, "name", None) is None:
        return ""
    shown = io.StringIO()
    stderr, limit = sys.stderr, getattr(sys, "tracebacklimit", None)
    sys.stderr, sys.tracebacklimit = shown, 0
    try:
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
    except Exception:  # a learner's odd exception: no suggestion then
        return ""
    finally:
        sys.stderr = stderr
        if limit is None:
            del sys.tracebacklimit
        else:
            sys.tracebacklimit = limit
    return suggestion_in(shown.getvalue(), exception_text(exc))


_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
"""An ANSI escape sequence setting the colour of text (SGR), as Python 3.13 colours its display
of an exception where ``FORCE_COLOR`` or ``PYTHON_COLORS`` asks it to."""


def suggestion_in(shown: str, message: str) -> str:
    """The suggestion Python's display ``shown`` of an exception adds after its ``message``
    (:data:`_SUGGESTION_STARTS`), up to the ``?`` that ends its line; ``""`` where it adds none.
    Its colours (:data:`_COLOUR`) are not read: the words are."""
    shown, message = _COLOUR.sub("", shown), _COLOUR.sub("", message)
    for line in shown.splitlines():
        for start in _SUGGESTION_STARTS:
            said = f": {message}{start}"
            if said in line and line.endswith("?"):
                return line[line.index(said) + len(said) - len(start) :]
    return ""


def _missing_name(exc: BaseException, filename: str) -> tuple[str, str, bool] | None:
    """For a ``NameError`` the learner's code itself raised (its innermost frame is in
    ``filename``): the name, the code's source and whether it was raised at a snippet's top
    level (where a name from an earlier run may be meant). ``None`` for any other exception,
    an ``UnboundLocalError`` among them, whose name the code does define (later)."""
    if type(exc) is not NameError or not isinstance(exc.name, str):
        return None
    innermost = list(traceback.walk_tb(exc.__traceback__))[-1:]
    code = innermost[0][0].f_code if innermost else None
    if code is None or code.co_filename != filename:
        return None
    at_top = filename == SNIPPET and code.co_name == "<module>"
    return exc.name, "".join(linecache.getlines(filename)), at_top


def _name_error_hint(exc: BaseException, filename: str) -> tuple[str, dict[str, str]] | None:
    """The hint code and params (:data:`sandbox.outcome.HINTS`) for a ``NameError`` the
    learner's code raised (see :func:`_missing_name_hint`), else ``None``."""
    missing = _missing_name(exc, filename)
    return None if missing is None else _missing_name_hint(*missing)


def _missing_name_hint(name: str, source: str, at_top: bool) -> tuple[str, dict[str, str]] | None:
    """The hint code and params for the missing ``name`` in ``source``, or ``None``.

    The fix it names must fit the name and how the code uses it: a well-known name's import line
    (:data:`IMPORT_LINES`), then a module of Python's library the code reads from (``random`` in
    ``random.seed(0)``, not ``torch.random``), then torch's own name (``Linear`` for
    ``nn.Linear``), then an installed module already loaded (``numpy``); else, at a snippet's top
    level, that a name from an earlier run is not kept (in a notebook a cell run before would have
    defined it; ``grad.shape`` is such a variable, not ``nn.grad``). A file's run has no earlier
    runs, and a function's missing name is its own code's slip: no hint for those."""
    if name in IMPORT_LINES:
        return "import_name", {"name": name, "line": IMPORT_LINES[name]}
    uses = _uses(name, source)
    if _fits_module(_stdlib_module(name), uses):
        return "import_module", {"name": name}
    if (found := _in_torch(name, uses)) is not None:
        return "qualified_name", {"name": name, "module": found[0], "qualified": found[1]}
    if _fits_module(_loaded_module(name), uses):
        return "import_module", {"name": name}
    return ("fresh_run", {"name": name}) if at_top else None


def _imports(module: str, *names: str) -> dict[str, str]:
    """``from module import name`` for each of ``names``, by name."""
    return {name: f"from {module} import {name}" for name in names}


IMPORT_LINES: dict[str, str] = {
    **_imports("collections", "OrderedDict", "defaultdict", "namedtuple", "Counter", "deque"),
    **_imports("functools", "partial", "reduce"),
    **_imports("dataclasses", "dataclass"),
    **_imports("pathlib", "Path"),
    **_imports("torch", "optim"),
    **_imports("torch.optim", "lr_scheduler"),
    **_imports("torch.nn.utils", "parametrize", "prune", "clip_grad_norm_", "clip_grad_value_"),
    **_imports("torch.nn.utils.rnn", "pad_sequence", "pack_padded_sequence", "pad_packed_sequence"),
    **_imports("torch.utils.data", "DataLoader", "Dataset", "TensorDataset", "random_split"),
    "np": "import numpy as np",  # the alias every numpy example uses (Python suggests `nn`)
}
"""Well-known names of Python's library and of torch's submodules that lessons' code imports
with ``from … import`` (and numpy's usual alias): a missing one gets its exact import line as its
hint, whatever its use (few learners name a variable ``OrderedDict``). Looked up before torch's
own names: ``optim`` is ``torch.optim`` too, but lessons write ``optim.SGD``."""

_TORCH_SPACES: tuple[tuple[str, str, ModuleType, frozenset[str]], ...] = (
    ("torch.nn", "nn", nn, frozenset({"class", "module"})),
    ("torch.nn.functional", "F", F, frozenset({"function"})),
    ("torch", "torch", torch, frozenset({"class", "function", "module"})),
)
"""The torch namespaces a run's code holds: their full name, the name the code has for them and
what kinds of their names a missing one is looked up among, in this order (``nn.Linear``, then
``F.relu`` before ``torch.relu``). The classes ``F`` holds are torch's (``F.Tensor``), and the
functions ``nn`` holds its helpers: neither is the name to suggest."""


class _Uses(NamedTuple):
    """How a snippet uses a missing name: what tells a function, a class or a module from a
    variable of the same name left from an earlier run (``mean`` read is no ``torch.mean``)."""

    called: bool
    """Whether the code calls it (``name(...)``)."""
    as_type: bool
    """Whether the code takes it for a class: a base of a class statement, or the type that
    ``isinstance`` or ``issubclass`` checks against."""
    attrs: frozenset[str]
    """The attributes the code reads from it (``shape`` in ``name.shape``)."""


def _uses(name: str, source: str) -> _Uses:
    """How ``source`` uses ``name`` (see :class:`_Uses`)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # it compiled; a learner's odd linecache entry may not
        return _Uses(False, False, frozenset())
    called = as_type = False
    attrs: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called = called or node.func.id == name
            if node.func.id in {"isinstance", "issubclass"} and len(node.args) == 2:
                as_type = as_type or _names(node.args[1], name)
        elif isinstance(node, ast.ClassDef):
            as_type = as_type or any(_names(base, name) for base in node.bases)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
        ):
            attrs.add(node.attr)
    return _Uses(called, as_type, frozenset(attrs))


def _names(node: ast.expr, name: str) -> bool:
    """Whether ``node`` is ``name``, or a tuple holding it (``isinstance(x, (A, name))``)."""
    if isinstance(node, ast.Tuple):
        return any(_names(item, name) for item in node.elts)
    return isinstance(node, ast.Name) and node.id == name


def _fits_module(module: ModuleType | None, uses: _Uses) -> bool:
    """Whether ``module`` is the fix for a missing name the code used as ``uses``: the code reads
    attributes from it and the module has every one (``array.shape`` is no ``array`` module's)."""
    return module is not None and bool(uses.attrs) and all(hasattr(module, a) for a in uses.attrs)


def _in_torch(name: str, uses: _Uses) -> tuple[str, str] | None:
    """Where torch has ``name`` as the code used it: the namespace's full name and the name to
    write (``("torch.nn", "nn.Linear")``), else ``None``. A class of torch's fits a call, a class
    statement's base, an ``isinstance`` check or attributes it has; a function only a call; a
    submodule only attributes it has (``init.zeros_``, not ``grad.shape``). Torch's own names
    alone: not the ones its modules import (``F.math`` is Python's ``math``), nor any it would
    import first to look up (``torch.onnx``, which ``vars`` does not hold until then)."""
    if name.startswith("_"):
        return None
    for full, short, space, kinds in _TORCH_SPACES:
        found = vars(space).get(name)
        if isinstance(found, ModuleType):
            fits = (
                "module" in kinds
                and found.__name__.startswith("torch.")
                and _fits_module(found, uses)
            )
        elif isinstance(found, type):
            fits = (
                "class" in kinds
                and _torchs(found)
                and (
                    uses.called
                    or uses.as_type
                    or (bool(uses.attrs) and all(hasattr(found, a) for a in uses.attrs))
                )
            )
        else:
            fits = "function" in kinds and uses.called and callable(found) and _torchs(found)
        if fits:
            return full, f"{short}.{name}"
    return None


def _torchs(found: object) -> bool:
    """Whether ``found`` is torch's own, not a name a torch module imported (``typing``'s
    ``Optional`` in ``F``); torch's compiled functions may have no ``__module__``."""
    return (getattr(found, "__module__", None) or "torch").startswith("torch")


_SIDE_EFFECT_MODULES = frozenset(
    {"this", "antigravity", "idlelib", "tkinter", "turtle", "turtledemo", "__hello__", "__phello__"}
)
"""Modules of Python's library that do something as they are imported (print, open a browser or
a window): never imported to look a missing name's attributes up."""


def _stdlib_module(name: str) -> ModuleType | None:
    """Python's own top-level module ``name``, imported to read its attributes, else ``None``.

    Only one found in Python's library folders (or built in): a learner's ``random.py`` in the
    run's folder is their code, never run to look a name up."""
    if name.startswith("_") or name not in sys.stdlib_module_names or name in _SIDE_EFFECT_MODULES:
        return None
    if isinstance(held := sys.modules.get(name), ModuleType):
        return held if _in_stdlib(held.__spec__) else None
    try:
        spec = importlib.util.find_spec(name)
        if not _in_stdlib(spec):
            return None
        with warnings.catch_warnings():  # a deprecated module (imp) warns as it is imported
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except Exception:  # a module for another platform (winreg), a learner's odd import hook
        return None


def _in_stdlib(spec: importlib.machinery.ModuleSpec | None) -> bool:
    """Whether ``spec`` is a module of Python's library: built in, frozen or in its folders."""
    if spec is None:
        return False
    if spec.origin in {"built-in", "frozen"}:
        return True
    where = os.path.realpath(spec.origin or next(iter(spec.submodule_search_locations or ()), ""))
    # a system Python's site-packages lies inside its library folder: an installed package there
    # is no module of Python's own
    return where.startswith(_STDLIB) and not where.startswith(_NOT_LEARNERS)


def _loaded_module(name: str) -> ModuleType | None:
    """The installed top-level module ``name`` where the worker has imported it already
    (``numpy``, which torch imports), else ``None``: another is not imported to look a name up,
    as its import may run anything (a learner's own ``data/`` folder, too, is importable)."""
    held = sys.modules.get(name)
    if name.startswith("_") or not isinstance(held, ModuleType):
        return None
    return held if held.__spec__ is not None and held.__spec__.origin else None


def _dataloader_worker_died(exc: BaseException) -> bool:
    """Whether ``exc`` is torch's DataLoader saying one of its worker processes exited (for a
    ``"spawn"`` worker, most often as it could not find a class the snippet defined)."""
    text = exception_text(exc)
    return (
        isinstance(exc, RuntimeError)
        and text.startswith("DataLoader worker (pid")
        and "exited unexpectedly" in text
    )


def _debugged_frames(exc: BaseException, filename: str) -> traceback.StackSummary:
    """The learner's frames where pdb stopped, for a ``BdbQuit`` whose traceback has none.

    pdb raises it from its trace function; at a frame's return event (``breakpoint()`` on the
    code's last line) that frame has left the traceback already, but bdb's ``dispatch_return``
    still holds it as ``frame``.
    """
    stopped = next(
        (
            held
            for f, _ in reversed(list(traceback.walk_tb(exc.__traceback__)))
            if isinstance(held := f.f_locals.get("frame"), FrameType)
        ),
        None,
    )
    if stopped is None:
        return traceback.StackSummary()
    entries = [(f, n) for f, n in traceback.walk_stack(stopped) if f.f_code.co_filename == filename]
    return traceback.StackSummary.extract(reversed(entries[:MAX_FRAMES]))


_NO_CUDA_WORDS = (
    "Torch not compiled with CUDA enabled",  # torch.cuda._lazy_init on a CPU build
    "PyTorch was compiled without CUDA support",
    "Found no NVIDIA driver on your system",  # a CUDA build without a driver
    "No CUDA GPUs are available",
    "CUDA driver initialization failed",
    "torch.cuda.is_available() is False",  # torch.load of a tensor saved on a GPU
)
"""What torch says, raising for code that asked for CUDA on a machine without it."""


def _no_cuda_here(exc: BaseException) -> bool:
    """Whether ``exc`` is torch finding no CUDA for the learner's ``.cuda()`` or ``"cuda"``."""
    if not isinstance(exc, (AssertionError, RuntimeError)):
        return False
    text = exception_text(exc)
    return any(words in text for words in _NO_CUDA_WORDS)


def _hint_mixed_tabs(described: dict[str, Any], code: str, line: int | None) -> None:
    """Add to an indentation error (``described``) at ``line`` of ``code`` that this line and
    the code line above it indent one with a tab, the other with spaces, naming the one with
    the tab: an editor draws a tab as spaces, so the two look aligned and the learner cannot see
    why Python finds them not. Only those two lines count: spaces in a docstring's or a
    bracket's continuation lines elsewhere mix nothing."""
    lines = code.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return
    above = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), None)
    if above is None:
        return
    indents = {n: _indent(lines[n - 1]) for n in (above, line)}
    tab_lines = [n for n, indent in indents.items() if "\t" in indent]
    if not tab_lines or not any(" " in indent for indent in indents.values()):
        return
    add_hint(described, "mixed_tabs", tab_line=tab_lines[0])


def _indent(line: str) -> str:
    """The whitespace ``line`` starts with."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def _notes(exc: BaseException) -> str:
    """The notes added to ``exc`` (``add_note()``, Python 3.11+), a line each, cut as one."""
    notes = getattr(exc, "__notes__", None)
    if not isinstance(notes, (list, tuple)):
        return ""
    text = "".join(f"{safe_str(note, 'a note')}\n" for note in notes)
    return clip(text, MAX_MESSAGE_CHARS) + ("\n" if len(text) > MAX_MESSAGE_CHARS else "")


def _quit_debugger(exc: BaseException) -> bool:
    """Whether ``exc`` is pdb's ``BdbQuit`` (bdb is imported only by a run that debugged)."""
    bdb = sys.modules.get("bdb")
    return bdb is not None and isinstance(exc, bdb.BdbQuit)


def _type_name(kind: type[BaseException]) -> str:
    """An exception type as a traceback names it: ``ValueError``, ``torch.OutOfMemoryError``.

    Written here rather than with ``traceback.format_exception_only``, which also builds a
    description of every chained exception (``__context__``), seconds for a deep recursion's.
    """
    module = kind.__module__
    if module in ("builtins", "__main__") or not isinstance(module, str):
        return kind.__qualname__
    return f"{module}.{kind.__qualname__}"


def is_oom(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    oom_type = getattr(torch, "OutOfMemoryError", None)
    if oom_type is not None and isinstance(exc, oom_type):
        return True
    return isinstance(exc, RuntimeError) and any(m in exception_text(exc) for m in _ALLOC_MARKERS)


def _safe_repr(value: Any, limit: int, failures: type[BaseException] = BaseException) -> str:
    """``repr(value)`` cut at ``limit``, or a note that it raised one of ``failures`` (a
    learner's ``__repr__`` may raise anything: see :func:`safe_str`). The repr of the last
    expression's value is the learner's code still running, and lets ``KeyboardInterrupt`` and
    ``SystemExit`` through: an interrupt there is the worker stopping the run at that line, and
    a ``sys.exit`` is the code's own."""
    try:
        text = repr(value)
    except failures as exc:
        why = safe_str(exc, "its exception")
        text = f"<repr failed: {type(exc).__name__}{': ' + why if why else ''}>"
    return clip(text, limit)


def bilingual_message(value: object) -> dict[str, str] | None:
    """An assert message written as ``{"en": ..., "zh": ...}`` (the deck's rule for any text)."""
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        return {k: safe_str(v, "the message") for k, v in value.items()}
    return None


def _check_message(exc: BaseException, check: str) -> LocalMessage:
    message = _uncut_check_message(exc, check)
    if isinstance(message, str):
        return clip(message, MAX_MESSAGE_CHARS)
    return {lang: clip(text, MAX_MESSAGE_CHARS) for lang, text in message.items()}


def _uncut_check_message(exc: BaseException, check: str) -> LocalMessage:
    if _checks_assertion(exc):
        localized = bilingual_message(exc.args[0]) if len(exc.args) == 1 else None
        if localized is not None:
            return localized
        if exception_text(exc):
            return exception_text(exc)
        frames, _ = _frames(exc.__traceback__, CHECK)
        # A bare assert: its source is the most precise message there is.
        line = frames[-1].lineno if frames else None
        return _assert_source(check, line) or (frames[-1].line if frames else "") or "assert"
    text = _error_text(exc)
    line = _learner_line(exc)
    if line is not None:
        text += f" (raised in your code, line {line})"
        if (hint := _learners_error_hint(exc)) is not None:
            hint_code, hint_params = hint
            text = message_with_hint(text, HINTS[hint_code].format(**hint_params))
    return text


def _learners_error_hint(exc: BaseException) -> tuple[str, dict[str, str]] | None:
    """The advice (a :data:`sandbox.outcome.HINTS` code and its params) for ``exc``, an error
    of the learner's code by what it says of their objects: their module used before
    ``super().__init__()``, or a torch error (a Linear's input of the wrong width). The same for
    the code itself (:func:`describe_exception`) and for it as a check called it (most checks
    build the learner's class and call it); the errors the others there advise on (no stdin, no
    CUDA, pdb, a DataLoader's worker) are none of these. An error of finding it is no hint: a
    hint must never cost the run its report (the learner's objects may raise, read)."""
    try:
        module_class = uninitialized_module(exc)
        if module_class is not None:
            return "no_module_init", {"cls": module_class}
        return torch_error_hint(exc, exception_text(exc))
    except Exception:
        return None


def _assert_source(check: str, line: int | None) -> str | None:
    """The whole ``assert`` statement of ``check`` that starts on ``line``, on one line (one
    written over several lines read as its first alone: ``assert (x ==``); ``None`` if there is
    none, or more than one (the line then says it whole)."""
    if line is None:
        return None
    try:
        tree = ast.parse(check)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found = [
        node for node in ast.walk(tree) if isinstance(node, ast.Assert) and node.lineno == line
    ]
    if len(found) != 1:  # none, or two on one line (``assert a; assert b``): which, unknown
        return None
    source = ast.get_source_segment(check, found[0])
    return " ".join(part.strip() for part in source.splitlines()) if source else None


def _error_text(exc: BaseException) -> str:
    """``Type: message`` of an exception, as its traceback's last line says it: the type alone
    for one raised without a message (``raise NotImplementedError``), as Python prints it."""
    text = exception_text(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _raised_by_learner(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc``'s traceback that is the learner's code or the
    check's is the learner's: their code raised it (itself or in what it called), not the check
    (torch.testing's assertion, called by the check, is the check's; so is the check's own
    callback, called by the learner's code)."""
    innermost = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename in (_code_file, CHECK):
            innermost = frame.f_code.co_filename
    return innermost == _code_file


def _checks_assertion(exc: BaseException) -> bool:
    """Whether ``exc`` is the check's verdict: an AssertionError the check raised. One the
    learner's code raised (``assert self.training`` in their ``forward``) is an error in their
    code like any other."""
    return isinstance(exc, AssertionError) and not _raised_by_learner(exc)


def uninitialized_module(exc: BaseException) -> str | None:
    """The name of the learner's nn.Module subclass whose ``__init__`` is to call
    ``super().__init__()`` first, where ``exc`` was raised on a module whose ``Module.__init__``
    never ran (see :func:`sandbox.torch_error_hints.class_to_call_module_init_in`); else
    ``None``."""
    return class_to_call_module_init_in(exc, exception_text(exc))


def _learners_class(kind: type) -> bool:
    """Whether the learner's code defined the class ``kind`` (a method of it is compiled from
    their code), not torch nor the check."""
    try:  # only plain functions are looked at: no getattr runs the learner's code
        members = list(vars(kind).values())
    except Exception:
        return False
    return any(
        isinstance(member, FunctionType) and member.__code__.co_filename == _code_file
        for member in members
    )


def _missing_attribute(exc: BaseException) -> tuple[str, str] | None:
    """``(name, class name)`` where the check crashed reading an attribute ``name`` the
    learner's object (of a class their code defined) does not have: the buffer registered as
    ``offset`` that the check reads as ``offsets``. Only one the check itself looked up: called
    from none of the learner's code (an error there is theirs, with its line)."""
    if not isinstance(exc, AttributeError) or not isinstance(getattr(exc, "name", None), str):
        return None
    obj = getattr(exc, "obj", None)
    if obj is None or not _learners_class(type(obj)) or _raised_by_learner(exc):
        return None
    try:  # a property of their class whose getter failed falls back to __getattr__: it is set
        inspect.getattr_static(type(obj), exc.name)
        return None
    except AttributeError:
        pass
    except Exception:  # an odd class (a metaclass' __mro__): say nothing of its attributes
        return None
    return exc.name, type(obj).__name__


def _learner_line(exc: BaseException) -> int | None:
    """The line of the learner's code where ``exc`` was raised, or ``None`` if it was not."""
    learner, _ = _frames(exc.__traceback__, _code_file)
    return learner[-1].lineno if learner else None


def _used_none(exc: BaseException) -> bool:
    """Whether a check that crashed did so on a ``None`` it got from the learner's code: Python
    names ``NoneType`` in the AttributeError or TypeError of using one (``None.shape``, ``a, b =
    None``, ``torch.allclose(None, y)``), most often a function that forgot its ``return``."""
    return isinstance(exc, (AttributeError, TypeError)) and "NoneType" in exception_text(exc)


def _check_failure_code(exc: BaseException) -> tuple[str | None, dict[str, Any]]:
    """The ``code`` and ``params`` (see :data:`sandbox.outcome.CHECK_CODES`) of a check that
    failed by ``exc``; no code for its assertion, whose message is the check's own words, nor for
    an interrupt (the watchdog's, not the check's). An error of the learner's code with advice
    (:func:`_learners_error_hint`) names it as ``hint_code``, with ``hint_params`` where its
    words have any."""
    if _checks_assertion(exc) or not isinstance(exc, Exception):
        return None, {}
    error = clip(_error_text(exc), MAX_MESSAGE_CHARS)
    line = _learner_line(exc)
    module = uninitialized_module(exc)
    if line is not None:
        params: dict[str, Any] = {"error": error, "line": line}
        if (hint := _learners_error_hint(exc)) is not None:
            params["hint_code"], hint_params = hint
            if hint_params:  # the numbers and names its words say: kept apart from the check's
                params["hint_params"] = hint_params
        return "raised_in_code", params
    if module is not None:
        return "module_not_initialized", {"error": error, "name": module}
    if isinstance(exc, NameError) and exc.name:
        return "missing_name", {"error": error, "name": exc.name}
    missing = _missing_attribute(exc)
    if missing is not None:
        name, owner = missing
        return "missing_attribute", {"error": error, "name": name, "type": owner}
    return ("returned_none" if _used_none(exc) else "check_crashed"), {"error": error}


def _stopped_in(exc: BaseException) -> dict[str, Any]:
    """The line of the learner's code and its frames where ``exc`` (an interrupt) stopped the
    check's call into it; ``line`` is ``None`` where it stopped in the check's own code."""
    described = describe_exception(exc)
    return {"line": described["line"], "traceback": described["traceback"]}


def _quietly(read: Callable[[], Any]) -> Any:
    """``read()``, or ``None`` where it raises anything, ``SystemExit`` and ``KeyboardInterrupt``
    too: for reading what the learner's objects say of themselves into a report (see
    :func:`safe_str`, and :func:`thread_whereabouts`)."""
    try:
        return read()
    except BaseException:
        return None


def thread_whereabouts(thread: threading.Thread) -> dict[str, Any]:
    """Where ``thread``, a thread the learner's code started and left running, is now: its name
    (``thread``), the line of the learner's code it is on (``line``: its innermost frame there,
    as a timeout in the code names its line; ``None`` where it has no frame there, as a
    ``Thread(target=time.sleep, args=(60,))``) and the learner's frames it is in
    (``traceback``, as a timeout's, with no exception's line). For a run stopped while it
    waited for that thread, once its code had finished (see :func:`sandbox.outcome.finalize`).

    ``thread`` may be of the learner's ``Thread`` subclass, whose ``name`` or ``ident`` may be a
    property that raises anything (``sys.exit`` too): what it raised is none of the report, and
    would lose all of it. Its ident is threading's own (a property's may name another thread);
    its name the subclass's, else threading's."""
    # threading.Thread's own properties, not the subclass's: what threading keeps
    ident = _quietly(lambda: threading.Thread.ident.fget(thread))
    name = _quietly(lambda: thread.name)
    if name is None:
        name = _quietly(lambda: threading.Thread.name.fget(thread))
    frame = sys._current_frames().get(ident) if isinstance(ident, int) else None
    entries = [] if frame is None else list(traceback.walk_stack(frame))[::-1]
    own = [entry for entry in entries if entry[0].f_code.co_filename == _code_file]
    learners = [
        entry
        for entry in entries
        if entry[0].f_code.co_filename == _code_file
        or entry[0].f_code.co_filename in _their_modules
    ]
    return {
        "thread": thread_name(safe_str(name, "the thread's name")),
        "line": own[-1][1] if own else None,
        "traceback": "".join(_traceback_head(*_kept_frames(learners))),
    }


def run_check(check: str, ns: dict[str, Any]) -> dict[str, Any]:
    _register_source(CHECK, check)
    try:
        exec(compile(check, CHECK, "exec"), ns)
    except BaseException as exc:
        put_back_builtins()  # the check called the learner's code, which may have replaced them
        code, params = _check_failure_code(exc)
        if isinstance(exc, KeyboardInterrupt):
            # an interrupt (the worker stopping the run as the check ran): where the learner's
            # code was, for :func:`sandbox.outcome.finalize` to name (the check's own outcome is
            # replaced there)
            params = {"stopped": _stopped_in(exc)}
        return {
            "passed": False,
            "message": _check_message(exc, check),
            # the check code itself failed (not by its assertion, nor in the learner's code it
            # called): an AttributeError in the f-string of its message, a None it was given
            "crashed": code
            in ("missing_name", "missing_attribute", "returned_none", "check_crashed"),
            "code": code,
            "params": params,
        }
    put_back_builtins()  # passed too: the learner's code it called may have replaced them
    return {"passed": True, "message": ""}


def execute(
    request: dict[str, Any],
    limits: Limits,
    device: str,
    on_begin: Callable[[], object] | None = None,
    at_exit: Callable[[dict[str, Any]], object] | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Run ``request["code"]`` (then ``request["check"]``) here; return a partial RunResult dict.

    ``stdout``/``stderr``/``duration_s`` are filled in by the worker, which owns the real streams.
    ``on_begin`` is called once the code is compiled, just before it runs: the run's timeout
    counts from there (see :class:`~sandbox.limits.Limits`). Code that does not compile never
    begins. ``at_exit`` is called with the result once the code (and check) ran, while the code
    is still ``__main__`` with its import path: as a script ends, the threads it left going
    still import its modules and pickle its classes (the worker waits for them there).
    ``stopping`` tells whether the worker has set out to stop the run (its timeout, a cancel):
    a KeyboardInterrupt in an exit callback is then the worker's (see :func:`run_exit_callbacks`).
    """
    global _code_file, _builtins_before
    _builtins_before = _real_builtins.copy()
    # An editor's byte order mark, saved with the code, is no character of it (Python skips one
    # leading a file it reads, but not one in a string it compiles)
    code: str = request["code"].removeprefix("\ufeff")
    path: str | None = request.get("path")  # the file it came from (see protocol.FileSource)
    _code_file = SNIPPET if path is None else path
    _their_modules.clear()
    check: str | None = request.get("check")
    mode = trace_mode(request.get("trace", False))
    result: dict[str, Any] = {
        "status": "ok",
        "value": None,
        "error": None,
        "trace": [],
        "trace_warnings": [],
        "trace_truncated": False,
        "device": device,
        "check": None,
    }
    _register_source(_code_file, code)
    main = main_module(device, path)
    me = os.getpid()
    with as_main(main), learner_imports(path), script_argv(path), exit_callbacks() as callbacks:
        try:
            _run_code(code, mode, limits, vars(main), result, on_begin)
            if os.getpid() != me:
                # A process the code forked (os.fork() with no os._exit in the child) got here
                # too: the run is the original's to report, so the copy leaves with what it
                # printed.
                flush_all()
                os._exit(0)
            if check is not None:
                if result["status"] == "ok":
                    result["check"] = run_check(check, vars(main))
                else:
                    result["check"] = {"passed": False, "message": NOT_CHECKED}
            if at_exit is not None:
                at_exit(result)
            if not stopped_by_interrupt(result):
                run_exit_callbacks(callbacks, stopping)  # as Python's exit: after the threads
        finally:
            # the learner's code may have run again since (the check's calls into it, the
            # threads it left going): its patches are none of what reports the run
            put_back_builtins()
    return result


def _run_code(
    code: str,
    mode: str | None,
    limits: Limits,
    ns: dict[str, Any],
    result: dict[str, Any],
    on_begin: Callable[[], object] | None,
) -> None:
    """Compile and run ``code`` in ``ns``; what happened goes into ``result`` (see execute)."""
    memory_before = peak_memory()
    try:
        body, last = _compile(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        # ValueError: a NUL byte; RecursionError/MemoryError: code nested too deep to parse
        result["error"] = describe_exception(exc)
        result["status"] = "error"
        if isinstance(exc, IndentationError):  # TabError too
            _hint_mixed_tabs(result["error"], code, exc.lineno)
        if isinstance(exc, MemoryError) and too_big(peak_memory() - memory_before, limits):
            result["status"] = "oom"
        elif isinstance(exc, (RecursionError, MemoryError)):
            result["error"].update(
                message="the code is nested too deeply for Python to compile", code="too_nested"
            )
        return
    tracer = None
    if mode is not None:
        from sandbox.tracer import HookTracer

        tracer = HookTracer(stats=mode == "stats", max_events=limits.max_trace_events)
    showing: int | None = None  # the line of the last expression while its value is shown
    raised: BaseException | None = None  # what the code ended with, for the trace to point at
    # The learner's own trace or profile function (sys.settrace(show)) ends with its code, put back
    # here inline (a call of ours would be traced): the sandbox's frames after that code are none
    # of its business, and what it printed about them read as the run's output.
    trace, profile = sys.gettrace(), sys.getprofile()
    if on_begin is not None:
        on_begin()
    try:
        if tracer is not None:
            tracer.__enter__()
        value = None
        try:
            exec(body, ns)
            if last is not None:
                value = eval(last, ns)
        finally:
            # Always, without asking sys.gettrace() (the learner may have replaced it); the
            # profile first and through ctypes when clearing it (a profile function sees builtin
            # calls, and would print this one), then the trace (which sees none).
            if profile is None:
                _clear_profile(None, None)
            else:
                _setprofile(profile)
            _settrace(trace)
            put_back_builtins()
        if value is not None and last is not None:
            showing = _first_line(last)
            # the value's own __repr__ runs (a learner's class'), with the real builtins back,
            # so that the sandbox's repr of it works whatever the code replaced
            result["value"] = _safe_repr(value, limits.max_value_chars, Exception)
            put_back_builtins()  # that __repr__ is the learner's code too
    except BaseException as exc:
        put_back_builtins()
        raised = exc
        result["status"] = "oom" if is_oom(exc) else "error"
        result["error"] = describe_exception(exc)
        if result["error"]["line"] is None:
            result["error"]["line"] = showing  # stopped in a repr of no learner's frame
    finally:
        if tracer is not None:
            result.update(_finish_trace(tracer, stopped=_why_stopped(result), raised=raised))
        # as Python drops an except block's name: the exception's traceback holds this frame,
        # whose name for it would keep the failed run's frames (and tensors) alive after it
        raised = None


_settrace, _setprofile = sys.settrace, sys.setprofile  # the learner's code may replace them
_clear_profile = ctypes.pythonapi.PyEval_SetProfile  # (NULL, NULL): no profile, and no event


def too_big(grown: int, limits: Limits) -> bool:
    """Whether a MemoryError that grew the process by ``grown`` bytes was memory running out
    (Python's parser on megabytes of code), not the parser's stack (code nested too deeply,
    which takes next to no memory)."""
    return grown > limits.memory_mb * MB // 4


STOPPED_BEFORE_MODULES = {
    "kind": "stopped_before_modules",
    "module": "",
    "phase": "",
    "message": "the run stopped with an error before any nn.Module was called, so there is "
    "nothing to trace yet: fix the error and run it again",
    "params": {},
}
"""What an empty trace says when the run failed first: "no nn.Module was called" would read as
code with no modules (a typo on line 3 before ``model(x)`` on line 9)."""

INTERRUPTED_BEFORE_MODULES = {
    **STOPPED_BEFORE_MODULES,
    "message": "the run was stopped before any nn.Module was called, so there is nothing to trace",
    "params": {"interrupted": True},
}
"""What an empty trace says when the run was interrupted first: the worker stopping it (its
timeout, a cancel, the output cap, which the run's error names: see
:func:`sandbox.outcome.finalize`), or a KeyboardInterrupt of the learner's own. No error of
theirs to fix, as the note above would have them do."""


# why a run's code did not run to its end: a KeyboardInterrupt (the worker's stop) or an error
StopReason = Literal["interrupted", "error"]


def _why_stopped(result: dict[str, Any]) -> StopReason | None:
    """Why the run's code did not run to its end, as :func:`_finish_trace` takes it: ``None``
    (it did), ``"interrupted"`` (a KeyboardInterrupt: the worker sends one to stop a run) or
    ``"error"``."""
    if result["status"] == "ok":
        return None
    if (result.get("error") or {}).get("type") == "KeyboardInterrupt":
        return "interrupted"
    return "error"


def _finish_trace(
    tracer: Any, *, stopped: StopReason | None = None, raised: BaseException | None = None
) -> dict[str, Any]:
    """The trace fields of a result, from a tracer that has seen the whole run (``stopped``: why
    the run ended early, from :func:`_why_stopped`; ``raised``: the exception it ended with).

    A forward's failure that is the run's error is marked so (``is_run_error``): the run's
    error says its message, which the warning need not say again. Not one the worker stopped
    the run with (its timeout's KeyboardInterrupt): the run's error then words the stop."""
    run_error = raised if stopped == "error" else None
    try:
        events, warnings, truncated = tracer.finish(run_error)
    except Exception as exc:  # e.g. the device broke mid-run
        failure = _error_text(exc)
        warning = {
            "kind": "trace_failed",
            "module": "",
            "phase": "",
            "message": failure,
            "params": {"error": failure},
        }
        return {"trace": [], "trace_warnings": [warning], "trace_truncated": False}
    if stopped is not None:
        note = INTERRUPTED_BEFORE_MODULES if stopped == "interrupted" else STOPPED_BEFORE_MODULES
        warnings = [dict(note) if w["kind"] == "no_modules" else w for w in warnings]
    return {"trace": events, "trace_warnings": warnings, "trace_truncated": truncated}
