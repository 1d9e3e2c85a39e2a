"""Warnings from library code, named from their package: ``torch/nn/modules/transformer.py:143``.

A warning torch raises without a ``stacklevel`` that reaches the learner's code names torch's own
file, by its full path inside the environment (``/home/me/project/.venv/lib/python3.11/
site-packages/torch/...``): a line of noise that, five warnings in a row, pushed a run's value out
of an 80x24 sandbox. The part a learner can look up is the package's. The learner's own code is
``<snippet>`` and stays as it is.

A warning may carry a stack in its message (anomaly mode's "Traceback of forward call"): the
calls in it that are the sandbox's own (its worker and runner, ``runpy``, the worker's start)
are left out, as they are from a run's traceback, so the learner's line is not buried under 25
lines of the sandbox's.
"""

from __future__ import annotations

import linecache
import os
import re
import sysconfig
import warnings

from sandbox.private_builtins import PRIVATE_BUILTINS

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

SITE_KEYS = ("purelib", "platlib")
"""The ``sysconfig`` paths installed packages (torch, numpy) are in."""
STDLIB_KEYS = ("stdlib", "platstdlib")
"""The ``sysconfig`` paths Python's own library is in."""


def library_roots(keys: tuple[str, ...] = SITE_KEYS + STDLIB_KEYS) -> tuple[str, ...]:
    """The folders of the ``sysconfig`` paths ``keys`` (installed packages, Python's library),
    each as written and as its real path, ending in a separator, longest first (a virtual
    environment's site-packages inside the installation's prefix)."""
    paths = sysconfig.get_paths()
    roots = {
        os.path.join(form, "")
        for key in keys
        if paths.get(key)
        for form in (paths[key], os.path.realpath(paths[key]))
    }
    return tuple(sorted(roots, key=len, reverse=True))


def package_path(filename: str, roots: tuple[str, ...] | None = None) -> str:
    """``filename`` from its package on (``torch/nn/modules/transformer.py``) where it lies
    under one of ``roots`` (the library folders), else as it is."""
    for root in library_roots() if roots is None else roots:
        if filename.startswith(root):
            return filename[len(root) :]
    return filename


_SANDBOX_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
_STARTS = ("<frozen runpy>", "<string>")  # how the worker is started: ``python -c``, runpy
_FRAME = re.compile(r'^ {2}File "(?P<file>[^"]*)", line \d+')


def _sandbox_file(filename: str) -> bool:
    return filename in _STARTS or filename.startswith(_SANDBOX_FOLDER)


def without_sandbox_frames(text: str) -> str:
    """``text`` with the stack entries (a ``  File "…", line N`` line and the source lines
    indented under it) of the sandbox's own files left out; the rest as it is."""
    if "  File " not in text:
        return text
    kept: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        frame = _FRAME.match(line)
        if frame is not None:
            skipping = _sandbox_file(frame.group("file"))
        elif skipping and not line.startswith("    "):
            skipping = False  # the stack is over: whatever follows is kept
        if not skipping:
            kept.append(line)
    return "".join(kept)


def shorten_library_warnings() -> None:
    """Make every warning name a library file from its package on. Its source line is read
    from the real file first: the short name is not one ``linecache`` can open."""
    if getattr(warnings.formatwarning, "_names_packages", False):
        return  # once per process
    roots = library_roots()
    original = warnings.formatwarning

    def formatwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        line: str | None = None,
    ) -> str:
        if line is None:
            line = linecache.getline(filename, lineno)
        if isinstance(message, Warning) and "  File " in str(message):
            message = without_sandbox_frames(str(message))  # type: ignore[assignment]
        return original(message, category, package_path(filename, roots), lineno, line)

    formatwarning._names_packages = True  # type: ignore[attr-defined]
    warnings.formatwarning = formatwarning
