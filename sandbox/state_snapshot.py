"""``StateSnapshot``: the process-wide state a snippet may change, put back after each run of the
in-process (CUDA) worker.

A CPU run is a fresh fork, so whatever it changes dies with it; the CUDA worker runs every snippet
in one process (CUDA must not be initialised in a process that forks), so it records this state once
after warm-up and restores it after each run (see :class:`StateSnapshot`).
"""

from __future__ import annotations

import builtins
import contextlib
import contextvars
import copyreg
import faulthandler
import gc
import locale
import logging
import multiprocessing
import operator
import os
import resource
import signal
import socket
import sys
import sysconfig
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from functools import partial
from types import FunctionType, ModuleType
from typing import Any

from sandbox.private_builtins import PRIVATE_BUILTINS
from sandbox.worker import file_id, flush_all, rebind_stdio

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins


class Unrestorable(Exception):
    """A run changed something that cannot be put back in place: this worker must be replaced."""


class _Namespace:
    """A mapping of names (a module's or class's ``vars()``, ``sys.modules``) and a copy of it.

    ``restore`` first compares the live mapping with the copy in C (dict equality short-circuits on
    identity, so an untouched namespace costs microseconds), then, since equal is not the same, the
    objects themselves, in order (``m._global_forward_hooks = {}`` equals torch's empty
    OrderedDict, which torch weakly references: left in place, it failed every later hook), and
    only then walks it: replaced entries get their object back, deleted ones come back, added ones
    go unless ``keep`` says that this kind of addition is torch's or Python's own lazy work (a
    submodule bound by a later import); those join the copy, so the next comparison is cheap again.
    """

    def __init__(
        self,
        live: Mapping[str, Any],
        put: Callable[[str, Any], None],
        drop: Callable[[str], None],
        keep: Callable[[str, Any], bool],
    ) -> None:
        self.live = live
        self.saved = dict(live)
        self.put = put
        self.drop = drop
        self.keep = keep

    @classmethod
    def attributes(cls, owner: Any, keep: Callable[[str, Any], bool]) -> _Namespace:
        """``owner``'s attributes. Through setattr/delattr: a class's ``vars()`` is a read-only
        mappingproxy, and setattr also keeps the type's method cache right."""
        return cls(vars(owner), partial(setattr, owner), partial(delattr, owner), keep)

    def restore(self) -> None:
        try:
            if self.live == self.saved and all(
                map(operator.is_, self.live.values(), self.saved.values())
            ):
                return
        except Exception:  # a replacement whose __eq__ raises (a tensor): walk it
            pass
        for name, value in list(self.live.items()):
            if name not in self.saved:
                if self.keep(name, value):
                    self.saved[name] = value
                else:
                    self.drop(name)
            elif value is not self.saved[name]:
                self.put(name, self.saved[name])
        for name in self.saved.keys() - self.live.keys():
            self.put(name, self.saved[name])
        if self.live.keys() == self.saved.keys() and list(self.live) != list(self.saved):
            # one put back went to the end: follow its order, so the next comparison is cheap
            saved = dict(self.saved)
            self.saved.clear()  # in place: a _NamespaceGroup compares this very dict
            self.saved.update((name, saved[name]) for name in self.live)


class _NamespaceGroup:
    """Many small namespaces (~260 torch classes) checked in one C-level list comparison, which
    costs a tenth of checking them one by one; only on a difference does each get restored.

    Unlike a single :class:`_Namespace`, the group compares by equality only: a class attribute
    replaced by an equal but different object stays. No such replacement of a torch class's
    attribute was found to matter (a module's ``_global_forward_hooks``, which did, is checked
    on its own), and checking identity too would cost every run a walk of all the classes."""

    def __init__(self, namespaces: list[_Namespace]) -> None:
        self.namespaces = namespaces
        self.lives = [ns.live for ns in namespaces]  # live views: a class's proxy follows it
        self.saveds = [ns.saved for ns in namespaces]  # the very copies each one keeps up to date

    def restore(self) -> None:
        try:
            if self.lives == self.saveds:
                return
        except Exception:  # a replacement whose __eq__ raises: let each one walk
            pass
        for ns in self.namespaces:
            ns.restore()


class _Setting:
    """One process-wide value read by ``get`` and, when a run changed it, written back by ``put``."""

    def __init__(self, get: Callable[[], Any], put: Callable[[Any], Any]) -> None:
        self.get = get
        self.put = put
        self.saved = get()

    def restore(self) -> None:
        if self.get() != self.saved:
            self.put(self.saved)


class _Settings:
    """Many process-wide values, each read by a getter and written back by its setter, read in one
    list comprehension (~0.1 us a C getter) and compared in C; only on a difference does each
    changed one get written. A setter that fails (or cannot undo, as :func:`_cannot_undo`) makes
    :meth:`restore` fail once the others are back."""

    def __init__(self, settings: list[tuple[str, Callable[[], Any], Callable[[Any], Any]]]) -> None:
        self.settings = settings
        self.gets = [get for _, get, _ in settings]
        self.saved = self._read()

    def _read(self) -> list[Any]:
        return [get() for get in self.gets]

    def restore(self) -> None:
        now = self._read()
        if now == self.saved:
            return
        failed = []
        for (name, _, put), value, saved in zip(self.settings, now, self.saved, strict=True):
            if value != saved:
                try:
                    put(saved)
                except Exception as exc:
                    failed.append(f"{name}: {exc}")
        if failed:
            raise Unrestorable("; ".join(failed))


class _ListItems:
    """A list the interpreter reads in place (``sys.meta_path``, ``sys.path_hooks``): finders and
    hooks go in with ``insert``/``append``, which the ``sys`` namespace (the same list object)
    does not see. Its items are put back, compared by identity (a finder may define ``__eq__``)."""

    def __init__(self, live: list[Any]) -> None:
        self.live = live
        self.saved = list(live)

    def restore(self) -> None:
        live, saved = self.live, self.saved
        if len(live) != len(saved) or any(a is not b for a, b in zip(live, saved, strict=True)):
            live[:] = saved


class _AuditHooks:
    """``sys.addaudithook`` cannot be undone: a hook a run added would see every later run (and
    print into it). The worker watches for additions with a hook of its own (CPython announces
    each one to the hooks already there), and a run that added one makes :meth:`restore` fail,
    so the worker is replaced.

    The same hook notes each object whose special attribute a run wrote (CPython's
    ``object.__setattr__`` event: a function's ``__code__``, ``__defaults__``,
    ``__kwdefaults__``, a class's ``__name__``...), for :class:`_FunctionCode`, which restores
    before this part forgets them."""

    def __init__(self) -> None:
        self.added = False
        self.written: list[Any] = []
        sys.addaudithook(self._watch)

    def _watch(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "object.__setattr__":
            self.written.append(args[0])
        elif event == "sys.addaudithook":
            self.added = True

    def restore(self) -> None:
        self.written.clear()  # nor kept alive
        if self.added:
            raise Unrestorable("the run added an audit hook (sys.addaudithook cannot be undone)")


class _Environment:
    """``os.environ``, compared through its encoded dict (a C comparison; decoding costs ~20 us)."""

    def __init__(self) -> None:
        self.saved = dict(os.environ)
        self.raw = dict(os.environ._data)  # type: ignore[attr-defined]

    def restore(self) -> None:
        if os.environ._data == self.raw:  # type: ignore[attr-defined]
            return
        for name in os.environ.keys() - self.saved.keys():
            del os.environ[name]  # unsetenv too, for C code and child processes
        for name, value in self.saved.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


class _Warnings:
    """The warnings filters, and the "show once" bookkeeping.

    ``_filters_mutated`` invalidates every module's ``__warningregistry__`` on each run, so a
    warning torch gives shows in every run that triggers it, as in a freshly forked CPU run.
    """

    def __init__(self) -> None:
        self.filters = list(warnings.filters)
        self.once = dict(warnings.onceregistry)

    def restore(self) -> None:
        if warnings.filters != self.filters:
            warnings.filters[:] = self.filters
        if warnings.onceregistry != self.once:
            warnings.onceregistry.clear()
            warnings.onceregistry.update(self.once)
        mutated = getattr(warnings, "_filters_mutated", None)  # CPython's; absent elsewhere
        if mutated is not None:
            mutated()


class _StdStreams:
    """``sys.stdin``/``stdout``/``stderr`` open: a run may close the very objects it was given
    (``sys.stdout.close()``; fd 1 stays open, as they do not own it). New ones replace them, and
    become what the ``sys`` namespace puts back from then on. Runs after that namespace."""

    def __init__(self, sys_namespace: _Namespace) -> None:
        self.saved = sys_namespace.saved
        self.settings = self._settings()

    def _settings(self) -> tuple[Any, ...]:
        """What ``reconfigure()`` can change on the streams we own (encoding, errors, buffering)."""
        return tuple(
            (stream.encoding, stream.errors, stream.line_buffering)
            for stream in (self.saved["stdout"], self.saved["stderr"])
        )

    def restore(self) -> None:
        if self.saved["stdin"].closed:
            sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - for good
            self.saved["stdin"] = sys.stdin
        if self.saved["stdout"].closed or self.saved["stderr"].closed:
            flush_all()  # what the run left in the one still open
        elif self._settings() == self.settings:
            return
        # closed, or reconfigured (sys.stdout.reconfigure(encoding="ascii") broke print("é"))
        rebind_stdio()
        self.saved["stdout"], self.saved["stderr"] = sys.stdout, sys.stderr
        self.settings = self._settings()


_LOGGER_MARK = object()
"""Left in the root logger's level cache: ``setLevel`` and ``logging.disable`` clear every cache."""
_FRESH_LOGGER = (logging.NOTSET, True, False, (), ())
"""A new logger's state (as ``_Loggers`` reads it): level, propagate, disabled, handlers, filters."""


class _Loggers:
    """Every logger's level, handlers, filters, ``propagate`` and ``disabled`` (the root's too).

    Tutorials start with ``logging.basicConfig(...)``, give ``logging.getLogger(__name__)`` a
    handler, or quieten a library's logger; in one run that must not format, silence or double the
    next run's log messages. Walking ~200 loggers costs ~40 us, so they are walked only when a run
    may have changed one: a logger was added, a handler made or dropped (``logging._handlerList``),
    or a level set (``setLevel``, ``logging.disable`` and ``dictConfig`` clear every logger's level
    cache, which takes away a mark left in the root's). A logger made after the snapshot (the
    learner's ``__main__``) goes back to the state of a fresh one (a torch artifact logger's: as
    torch sets it up); a handler no logger keeps is closed (a learner's ``FileHandler`` holds its
    file open).
    """

    def __init__(self) -> None:
        self.root = logging.getLogger()
        self.manager = self.root.manager
        self.saved = {name: self._state(logger) for name, logger in self._loggers()}
        self._mark()

    def _loggers(self) -> list[tuple[str | None, logging.Logger]]:
        named = list(self.manager.loggerDict.items())  # a copy: torch's set-up may add to it
        return [(None, self.root), *((n, lg) for n, lg in named if isinstance(lg, logging.Logger))]

    @staticmethod
    def _state(logger: logging.Logger) -> tuple[Any, ...]:
        return (
            logger.level,
            logger.propagate,
            logger.disabled,
            tuple(logger.handlers),
            tuple(logger.filters),
        )

    def _mark(self) -> None:
        self.count = len(self.manager.loggerDict)
        self.handler_refs = list(logging._handlerList)  # type: ignore[attr-defined]
        self.root._cache[_LOGGER_MARK] = True  # type: ignore[attr-defined,index]

    def restore(self) -> None:
        if (
            _LOGGER_MARK in self.root._cache  # type: ignore[attr-defined]
            and len(self.manager.loggerDict) == self.count
            and logging._handlerList == self.handler_refs  # type: ignore[attr-defined]
        ):
            return
        kept = {handler for state in self.saved.values() for handler in state[3]}
        dropped: list[logging.Handler] = []
        for name, logger in self._loggers():
            saved = self.saved.get(name, _FRESH_LOGGER)
            if self._state(logger) != saved:
                dropped += [handler for handler in logger.handlers if handler not in kept]
                logger.level, logger.propagate, logger.disabled, handlers, filters = saved
                logger.handlers[:] = handlers
                logger.filters[:] = filters
            if name not in self.saved:  # new since the snapshot: as it would start in a fresh run
                _configure_torch_logger(logger)
                self.saved[name] = self._state(logger)
        for handler in dict.fromkeys(dropped):
            with contextlib.suppress(Exception):  # a learner's handler may fail to close
                handler.close()
        self.manager._clear_cache()  # the levels' cache, as setLevel does
        self._mark()


def _configure_torch_logger(logger: logging.Logger) -> None:
    """A torch artifact logger (made when its module is first imported) as torch sets it up: an
    artifact that is off by default does not propagate."""
    internal = sys.modules.get("torch._logging._internal")
    if internal is not None and hasattr(logger, "artifact_name"):
        with contextlib.suppress(Exception):
            internal.configure_artifact_log(logger)


class _TorchLogState:
    """What ``torch._logging.set_logs`` keeps beside the loggers' levels: the artifacts it turned on
    (``graph_breaks``, ``recompiles``, ...), which torch.compile tutorials ask for."""

    def __init__(self) -> None:
        from torch._logging import _internal

        self.internal = _internal
        self.state = _internal.log_state
        self.levels = dict(self.state.log_qname_to_level)
        self.artifacts = set(self.state.artifact_names)

    def restore(self) -> None:
        state = self.internal.log_state
        if (
            state is self.state
            and state.log_qname_to_level == self.levels
            and state.artifact_names == self.artifacts
        ):
            return
        self.internal.log_state = self.state
        self.state.clear()
        self.state.log_qname_to_level.update(self.levels)
        self.state.artifact_names.update(self.artifacts)


class _TorchConfigs:
    """torch's config modules (``torch._dynamo.config``, ``torch._inductor.config``, ...) where
    this torch keeps their values process-wide, on each entry (torch 2.11 does: a run's
    ``torch._dynamo.config.cache_size_limit = 3`` reached every later run). A newer torch keeps
    the values in context variables, which end with the run's own context: not recorded there.

    Every torch keeps an entry's ``hide`` flag process-wide (``del`` hides a name, as
    ``unittest.mock.patch`` needs), an alias's too: recorded everywhere. Put back on the entry
    itself, since ``delattr`` to unset a value would hide its name too, and the module marked
    dirty where it keeps that flag process-wide, so that its cached hash is computed again. A
    config module first imported by a run is put back as a fresh import leaves it.
    """

    KEPT = object()  # a value not put back: in a context variable, or an alias's (its target's)

    def __init__(self) -> None:
        from torch.utils import _config_module

        self.config_module = _config_module.ConfigModule
        self.unset = _config_module._UNSET_SENTINEL
        self.saved: list[tuple[Any, Any, Any, bool]] = []
        self.seen: set[int] = set()
        self.modules = -1  # len(sys.modules) when last looked for new config modules
        self._record_new(fresh=False)

    def _record_new(self, *, fresh: bool) -> None:
        """Record the config modules not seen yet: as they are now, or (``fresh``: a run
        imported them, and may have set values) as a fresh import leaves them. A look through
        ``sys.modules`` only when its size changed: exact, because ``sys.modules`` is put back
        first (see :meth:`StateSnapshot.take`), which returns every module a run took out, so a
        module added (one imported in place of one taken out, too) always grows it."""
        if len(sys.modules) == self.modules:
            return
        self.modules = len(sys.modules)
        for module in list(sys.modules.values()):
            if not isinstance(module, self.config_module) or id(module) in self.seen:
                continue
            self.seen.add(id(module))
            for entry in module._config.values():
                value = self.KEPT if self._kept(entry) else entry.user_override
                if fresh and value is not self.KEPT:
                    value = self.unset
                hide = False if fresh else getattr(entry, "hide", False)
                self.saved.append((module, entry, value, hide))

    @staticmethod
    def _kept(entry: Any) -> bool:
        return getattr(entry, "alias", None) is not None or isinstance(
            entry.user_override, contextvars.ContextVar
        )

    def restore(self) -> None:
        self._record_new(fresh=True)
        for module, entry, value, hide in self.saved:
            changed = False
            if value is not self.KEPT and entry.user_override is not value:
                entry.user_override = value
                changed = True
            if getattr(entry, "hide", False) != hide:
                entry.hide = hide
                changed = True
            if changed and hasattr(module, "_is_dirty"):
                module._is_dirty = True


class _FunctionCode:
    """The code and defaults of functions a run may change in place: ``F.relu.__code__ = ...``,
    ``nn.Linear.__init__.__defaults__ = (False, None, None)`` (every later ``nn.Linear`` had no
    bias), ``Adam.__init__.__kwdefaults__["foreach"] = False``. The function objects stay the
    same, so no namespace sees it.

    Reading ``__code__`` or a default is an audited event (~1 us each: ~25 ms to read them all),
    and so is writing one, which the worker's audit hook notes (see :class:`_AuditHooks`): only
    the functions written are read and put back. A keyword-defaults dict can also be changed in
    place, unaudited: those (~290) are held and compared with copies after every run, in C.
    Writing back cannot fail: the saved code fits the function's closure, as it did before."""

    READ = operator.attrgetter("__code__", "__defaults__", "__kwdefaults__")

    def __init__(self, functions: list[FunctionType], audit: _AuditHooks) -> None:
        self.functions = functions
        self.audit = audit
        self.index = {id(function): i for i, function in enumerate(functions)}
        self.saved = [
            (code, defaults, None if keywords is None else dict(keywords))
            for code, defaults, keywords in map(self.READ, functions)
        ]
        self.with_keywords = [i for i, saved in enumerate(self.saved) if saved[2] is not None]
        self.keyword_copies = [self.saved[i][2] for i in self.with_keywords]
        self._hold_keywords()

    def _hold_keywords(self) -> None:
        """Hold the live keyword-defaults dicts: compared without reading them (an event each)."""
        self.keywords = [self.functions[i].__kwdefaults__ for i in self.with_keywords]

    def restore(self) -> None:
        changed = {self.index[id(obj)] for obj in self.audit.written if id(obj) in self.index}
        try:
            same = self.keywords == self.keyword_copies
        except Exception:  # a default whose __eq__ raises (a tensor) put in one
            same = False
        if not same:
            changed.update(
                i
                for i, live, saved in zip(
                    self.with_keywords, self.keywords, self.keyword_copies, strict=True
                )
                if not _same_items(live, saved)
            )
        if changed:
            for i in changed:
                self._put_back(i)
            self._hold_keywords()

    def _put_back(self, i: int) -> None:
        function, (code, defaults, keywords) = self.functions[i], self.saved[i]
        if function.__code__ is not code:
            function.__code__ = code
        if function.__defaults__ is not defaults:
            function.__defaults__ = defaults
        if not _same_items(function.__kwdefaults__, keywords):
            function.__kwdefaults__ = None if keywords is None else dict(keywords)


def _same_items(live: dict[str, Any] | None, saved: dict[str, Any] | None) -> bool:
    """Whether two keyword-defaults dicts hold the very same objects (never calling ``__eq__``)."""
    if live is None or saved is None:
        return live is saved
    return live.keys() == saved.keys() and all(live[name] is saved[name] for name in saved)


class _AllLists:
    """Every imported module's ``__all__`` list, changed in place (``torch.nn.modules.__all__
    .clear()`` broke ``from torch.nn.modules import *`` in every later run) or rebound: put back,
    contents and object. ~600 lists compared in one C comparison."""

    def __init__(self) -> None:
        self.owners = [
            vars(module)
            for module in list(sys.modules.values())
            if isinstance(module, ModuleType) and isinstance(vars(module).get("__all__"), list)
        ]
        self.lists = [owner["__all__"] for owner in self.owners]
        self.saved = [list(names) for names in self.lists]

    def restore(self) -> None:
        try:
            if [owner.get("__all__") for owner in self.owners] == self.saved:
                return
        except Exception:  # a name whose __eq__ raises, added to a list: put every list back
            pass
        for owner, names, saved in zip(self.owners, self.lists, self.saved, strict=True):
            if (
                owner.get("__all__") is not names
                or len(names) != len(saved)
                or any(map(operator.is_not, names, saved))
            ):
                names[:] = saved
                owner["__all__"] = names


class _Always:
    """A reset done after every run, with nothing to compare first."""

    def __init__(self, reset: Callable[[], Any]) -> None:
        self.reset = reset

    def restore(self) -> None:
        self.reset()


class _OutputFds:
    """fd 0/1/2 must still be what they were: /dev/null and the pipes our pumps read.

    A run that closed or ``dup2``-ed over one could be patched back with ``dup2``, but a file object
    of the run's may own that fd number and close it later under us; a fresh worker is certain.
    """

    def __init__(self) -> None:
        self.saved = {fd: file_id(fd) for fd in (0, 1, 2)}

    def restore(self) -> None:
        for fd, identity in self.saved.items():
            if file_id(fd) != identity:
                raise Unrestorable(f"fd {fd} was closed or replaced")


class _TorchModes:
    """Contexts a run entered and never left (``torch.device`` as a context manager, a
    TorchFunctionMode or TorchDispatchMode, ``inference_mode``, ``saved_tensors_hooks``, a
    forward-AD ``dual_level``), and a profiler started and never stopped (``prof.start()``: it
    would record every later run): there is no public way to pop another's context, so they cost
    a fresh worker."""

    def __init__(self) -> None:
        import torch
        import torch.autograd.forward_ad

        self.torch = torch
        self.forward_ad = torch.autograd.forward_ad
        self.saved = self.state()

    def state(self) -> tuple[Any, ...]:
        c = self.torch._C
        return (
            c._len_torch_function_stack(),
            c._len_torch_dispatch_stack(),
            self.torch.is_inference_mode_enabled(),
            self._saved_tensors_hooks() is not None,
            c._autograd._profiler_enabled(),
            getattr(self.forward_ad, "_current_level", -1),
        )

    def _saved_tensors_hooks(self) -> Any:
        """The innermost (pack, unpack) hooks entered, or ``None`` (also where torch cannot say);
        older torch's query takes no argument."""
        top = getattr(self.torch._C._autograd, "_top_saved_tensors_default_hooks", None)
        if top is None:
            return None
        try:
            return top(False)
        except TypeError:
            return top()

    def restore(self) -> None:
        if self.state() != self.saved:
            raise Unrestorable("a torch mode or inference_mode was left entered")


class _Libraries:
    """Operators a run defined with ``torch.library.define``/``impl``, which keep their
    ``Library`` alive for good (``torch.library._keep_alive``): the next run defining the same
    operator would fail ("Tried to register an operator ... with the same name"). Each new one is
    destroyed, which unregisters its operators and kernels."""

    def __init__(self) -> None:
        import torch.library

        self.alive = torch.library._keep_alive
        self.count = len(self.alive)

    def restore(self) -> None:
        if len(self.alive) == self.count:
            return
        if len(self.alive) < self.count:
            raise Unrestorable("torch.library's own registrations were dropped")
        for library in reversed(self.alive[self.count :]):
            library._destroy()
        del self.alive[self.count :]


class _Precision:
    """The float32 precision switches: ``torch.set_float32_matmul_precision``, the TF32 flags
    (``torch.backends.cuda.matmul.allow_tf32``, ``cudnn.allow_tf32``) and the ``fp32_precision``
    of each backend and op. torch keeps the legacy ones and the new ones apart and derives each from
    the other, so a run that set either has all of them written back, legacy first (the other order
    leaves some at 'ieee'); torch's getter even raises once both kinds were set."""

    LEGACY = (
        ("_get_float32_matmul_precision", "_set_float32_matmul_precision"),
        ("_get_cublas_allow_tf32", "_set_cublas_allow_tf32"),
        ("_get_cudnn_allow_tf32", "_set_cudnn_allow_tf32"),
    )
    FP32 = (
        ("generic", "all"),
        *((b, op) for b in ("cuda", "mkldnn") for op in ("all", "matmul", "conv", "rnn")),
    )

    def __init__(self) -> None:
        import torch

        c = torch._C
        self.legacy = [(getattr(c, get), getattr(c, put)) for get, put in self.LEGACY]
        self.get_fp32 = c._get_fp32_precision_getter
        self.put_fp32 = c._set_fp32_precision_setter
        self.saved = self.state()
        if isinstance(self.saved[0], RuntimeError):
            raise self.saved[0]

    def state(self) -> list[Any]:
        try:
            return [get() for get, _ in self.legacy] + [self.get_fp32(*k) for k in self.FP32]
        except RuntimeError as exc:  # "a mix of the legacy and new APIs": changed, for certain
            return [exc]

    def restore(self) -> None:
        if self.state() == self.saved:
            return
        with warnings.catch_warnings():  # torch warns of TF32 on oneDNN without an Intel GPU
            warnings.simplefilter("ignore")
            for (_, put), value in zip(self.legacy, self.saved[: len(self.legacy)], strict=True):
                put(value)
            for key, value in zip(self.FP32, self.saved[len(self.legacy) :], strict=True):
                self.put_fp32(*key, value)


def _is_submodule(owner: ModuleType) -> Callable[[str, Any], bool]:
    """``keep`` for a module: a submodule bound as an attribute by its first import."""
    prefix = owner.__name__ + "."
    return lambda name, value: isinstance(value, ModuleType) and value.__name__ == prefix + name


def _library_dirs() -> tuple[str, ...]:
    """Where library code lives: the installation's prefixes and site-packages, and the folders of
    the packages already imported (torch or this sandbox checked out elsewhere)."""
    dirs = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}
    dirs.update(
        sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")
    )
    for name, module in list(sys.modules.items()):
        if "." not in name:
            dirs.update(p for p in getattr(module, "__path__", None) or () if isinstance(p, str))
    return tuple(os.path.join(os.path.realpath(d), "") for d in dirs if d)


class _ImportedModules:
    """``keep`` for ``sys.modules``: a library module the import system loaded (torch's lazy
    imports, ``import scipy``), not ``sys.modules[x] = y``, nor the learner's own module: a run
    that writes ``model.py`` and imports it, then a run that changes the file and imports it again,
    must get the new one, as a fresh process would."""

    def __init__(self) -> None:
        self.dirs = _library_dirs()

    def __call__(self, name: str, value: Any) -> bool:
        spec = getattr(value, "__spec__", None)
        if not isinstance(value, ModuleType) or spec is None:
            return False
        origin = spec.origin if spec.has_location else None
        return origin is None or os.path.realpath(origin).startswith(self.dirs)


def _python_cache(name: str, value: Any) -> bool:
    """``keep`` for a class: ``__slotnames__`` is copyreg's cache, written by copy/pickle."""
    return name == "__slotnames__"


def _keep_nothing(name: str, value: Any) -> bool:
    return False


def torch_subclasses(root: type, package: str) -> list[type]:
    """``root`` and its subclasses defined in ``package`` (not the learner's)."""
    found, todo = [], [root]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith(package) and cls not in found:
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _patchable_classes() -> list[type]:
    """The classes a learner is likely to monkeypatch: Tensor, torch's modules and optimizers,
    autograd's Function (``Function.apply``)."""
    import torch
    import torch.utils.data
    from torch import nn

    data = [v for v in vars(torch.utils.data).values() if isinstance(v, type)]
    stdlib = [
        v
        for name in _WORKER_STDLIB
        if isinstance(module := sys.modules.get(name), ModuleType)
        for v in vars(module).values()
        if isinstance(v, type) and v.__module__ == name
    ]
    classes = [
        torch.Tensor,
        nn.Parameter,
        torch.autograd.Function,
        *torch_subclasses(nn.Module, "torch.nn"),
        *torch_subclasses(torch.optim.Optimizer, "torch.optim"),
        *torch_subclasses(torch.optim.lr_scheduler.LRScheduler, "torch.optim"),
        *data,
        *stdlib,
    ]
    return list(dict.fromkeys(classes))  # each once


_FUNCTION_PACKAGES = ("torch.nn", "torch.optim")
"""torch packages whose functions' code and defaults are put back after each run (with the
standard library's): modules, ``F``, ``nn.init``, optimizers and schedulers, as lessons use."""


def _functions_of(value: Any) -> list[FunctionType]:
    """The Python functions behind a module or class attribute: itself, a static or class
    method's, a property's accessors."""
    if isinstance(value, FunctionType):
        return [value]
    if isinstance(value, (staticmethod, classmethod)):
        return _functions_of(value.__func__)
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if isinstance(f, FunctionType)]
    return []


def _watches_functions(name: str, module: ModuleType, stdlib: str) -> bool:
    """Whether ``module`` is one of :data:`_FUNCTION_PACKAGES` or of the standard library."""
    if name in _FUNCTION_PACKAGES or name.startswith(tuple(p + "." for p in _FUNCTION_PACKAGES)):
        return True
    origin = vars(module).get("__file__")
    return (
        isinstance(origin, str)
        and os.path.realpath(origin).startswith(stdlib)
        and "site-packages" not in origin  # a virtualenv inside the installation
    )


def _patchable_functions() -> list[FunctionType]:
    """The functions (module-level, and the methods of the classes defined there) of the
    imported modules of :data:`_FUNCTION_PACKAGES` and of the standard library, whose code and
    defaults :class:`_FunctionCode` watches: ~8,100 functions with torch's, of which ~290 have
    keyword defaults. Read through ``vars()``, never ``getattr``: a module's ``__getattr__`` may
    warn or import."""
    stdlib = os.path.join(os.path.realpath(sysconfig.get_paths()["stdlib"]), "")
    found: dict[int, FunctionType] = {}
    for name, module in list(sys.modules.items()):
        if not isinstance(module, ModuleType) or not _watches_functions(name, module, stdlib):
            continue
        for value in list(vars(module).values()):
            if not isinstance(value, type):
                members = [value]
            elif value.__module__ == name:
                members = list(vars(value).values())
            else:
                continue  # a class imported from elsewhere: its own module covers it
            for member in members:
                found.update((id(f), f) for f in _functions_of(member))
    return list(found.values())


Part = tuple[str, Any]  # (what it is, an object whose restore() puts it back or raises)


def _umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _setting(name: str, get: Callable[[], Any], put: Callable[[Any], Any]) -> list[Part]:
    """A :class:`_Setting` part, or none where this Python or torch lacks the getter."""
    try:
        return [(name, _Setting(get, put))]
    except (AttributeError, TypeError, RuntimeError):
        return []


def _part(name: str, make: Callable[[], Any]) -> list[Part]:
    """A part built by ``make``, or none where this torch lacks what it watches."""
    try:
        return [(name, make())]
    except (ImportError, AttributeError, TypeError, RuntimeError):
        return []


_WORKER_STDLIB = (
    *("threading", "queue", "select", "signal", "_thread", "copyreg", "codecs", "contextlib"),
    *("json.encoder", "json.decoder"),
)
"""The standard library the worker's own machinery runs on (its threads, waits, replies, output
decoding): a run's ``threading.Event.wait = lambda *a: True`` must not reach the next run, where it
stopped the watchdog from ever waking (its timeouts then came from the client's kill, seconds late).
Their namespaces and their classes' are put back."""

_PATCHABLE_MODULES = (
    *("math", "random", "functools", "itertools", "operator", "collections", "copy"),
    *("io", "json", "time"),
    *_WORKER_STDLIB,
    *("torch.jit", "torch.random", "torch.distributions", "torch.utils.checkpoint"),
)
"""More modules a run may patch (``math.pi = 3``, ``random.random = ...``) and the worker's next
run would see, where already imported: ~30 ns an entry to compare, ~70 us a run for these. Not
every module: all of them (~84,000 entries with torch) would cost ~20 ms a run."""


def _namespaces() -> list[Part]:
    """The names a learner is likely to patch: builtins, ``sys`` hooks and streams, ``os``,
    ``warnings``, ``sys.modules``, torch's main modules and its patchable classes."""
    import torch
    import torch.fft
    import torch.linalg
    import torch.nn.functional
    import torch.nn.init
    import torch.nn.utils
    import torch.special
    import torch.utils.data

    modules = sys.modules
    sys_namespace = _Namespace.attributes(sys, _keep_nothing)
    parts: list[Part] = [
        # sys: stdout/stderr/stdin, excepthook, displayhook, ...; builtins: print, new names
        ("sys", sys_namespace),
        ("std streams", _StdStreams(sys_namespace)),
        # logging: captureWarnings' saved showwarning, setLoggerClass, the record factory, ...
        *(
            (m.__name__, _Namespace.attributes(m, _keep_nothing))
            for m in (builtins, os, warnings, logging)
        ),
        (
            "sys.modules",
            _Namespace(modules, modules.__setitem__, modules.__delitem__, _ImportedModules()),
        ),
        ("sys.meta_path", _ListItems(sys.meta_path)),
        ("sys.path_hooks", _ListItems(sys.path_hooks)),
        # finders the path hooks made, per directory: a cache, so whatever a run added goes
        (
            "sys.path_importer_cache",
            _Namespace(
                sys.path_importer_cache,
                sys.path_importer_cache.__setitem__,
                sys.path_importer_cache.__delitem__,
                _keep_nothing,
            ),
        ),
    ]
    for module in (
        torch,
        torch.nn,
        torch.nn.functional,
        torch.nn.init,
        torch.nn.modules.module,
        torch.nn.utils,  # clip_grad_norm_, parameters_to_vector, ...
        torch.linalg,
        torch.fft,
        torch.special,
        torch.optim,
        torch.optim.lr_scheduler,
        torch.autograd,
        torch.utils.data,
    ):
        parts.append((module.__name__, _Namespace.attributes(module, _is_submodule(module))))
    for name in _PATCHABLE_MODULES:
        module = modules.get(name)
        if isinstance(module, ModuleType):
            parts.append((name, _Namespace.attributes(module, _is_submodule(module))))
    classes = [_Namespace.attributes(cls, _python_cache) for cls in _patchable_classes()]
    parts.append(("torch classes", _NamespaceGroup(classes)))
    parts.append(("module globals", _Settings(_module_globals())))
    return parts


_MODULE_GLOBALS = (
    ("torch.backends.mha", "_is_fastpath_enabled"),  # set_fastpath_enabled
    ("torch.backends.opt_einsum", "enabled"),
    ("torch.backends.opt_einsum", "strategy"),
    ("torch.hub", "_hub_dir"),  # set_dir
    ("torch.utils.checkpoint", "_checkpoint_debug_enabled"),
    ("torch.utils.checkpoint", "_enable_checkpoint_early_stop"),
    # asyncio.set_event_loop(loop) in one run handed the next run its loop, closed or not
    ("asyncio.events", "_event_loop_policy"),
)
"""Module globals that hold a switch a run may flip (a whole module's namespace costs ~30 ns an
entry to compare; these cost ~0.1 us each)."""


def _module_globals() -> list[tuple[str, Callable[[], Any], Callable[[Any], Any]]]:
    """Getters and setters for those of :data:`_MODULE_GLOBALS` whose module is imported."""
    import torch.backends

    settings = []
    for module_name, name in _MODULE_GLOBALS:
        module = sys.modules.get(module_name)
        if isinstance(module, torch.backends.PropModule):
            module = module.m  # the module behind it, whose globals its properties read
        if module is not None and hasattr(module, name):
            get, put = partial(getattr, module, name), partial(setattr, module, name)
            settings.append((f"{module_name}.{name}", get, put))
    return settings


def _put_gc_callbacks(saved: list[Callable[..., Any]]) -> None:
    gc.callbacks[:] = saved


def _process_settings() -> list[Part]:
    """Interpreter and OS-level settings: tracing, gc, signal handlers, mask and timers."""
    parts = [
        *_setting("trace function", sys.gettrace, sys.settrace),
        *_setting("profile function", sys.getprofile, sys.setprofile),
        # threading's: every thread started later (a DataLoader's, the worker's own) runs them
        *_setting("thread trace function", threading.gettrace, threading.settrace),
        *_setting("thread profile function", threading.getprofile, threading.setprofile),
        *_setting(
            "thread excepthook",
            lambda: threading.excepthook,
            lambda hook: setattr(threading, "excepthook", hook),
        ),
        *_setting("switch interval", sys.getswitchinterval, sys.setswitchinterval),
        *_setting(
            "int digits limit",
            lambda: sys.get_int_max_str_digits(),  # not in every 3.10
            lambda n: sys.set_int_max_str_digits(n),
        ),
        *_setting("gc enabled", gc.isenabled, lambda on: gc.enable() if on else gc.disable()),
        *_setting("gc thresholds", gc.get_threshold, lambda t: gc.set_threshold(*t)),
        # a callback a run added would run at every collection of the runs after it
        *_setting("gc callbacks", lambda: list(gc.callbacks), _put_gc_callbacks),
        *_setting(
            "signal mask",
            partial(signal.pthread_sigmask, signal.SIG_BLOCK, ()),
            partial(signal.pthread_sigmask, signal.SIG_SETMASK),
        ),
    ]
    parts += _setting("umask", _umask, os.umask)
    for name in ("RLIMIT_NOFILE", "RLIMIT_AS", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CPU",
                 "RLIMIT_FSIZE", "RLIMIT_NPROC", "RLIMIT_CORE"):  # fmt: skip
        kind = getattr(resource, name, None)
        if kind is not None:  # a lowered hard limit cannot be raised again: the worker is replaced
            get, put = partial(resource.getrlimit, kind), partial(resource.setrlimit, kind)
            parts += _setting(f"limit {name}", get, put)
    parts += _setting("logging disabled", lambda: logging.root.manager.disable, logging.disable)
    parts += [
        *_part("torch logging", _TorchLogState),  # before the loggers, which torch's settings read
        ("loggers", _Loggers()),
        ("faulthandler timer", _Always(faulthandler.cancel_dump_traceback_later)),
        ("process settings", _Settings(_available(_more_process_settings()))),
    ]
    for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):  # and alarm()
        put = partial(lambda t, value: signal.setitimer(t, *value), timer)
        parts += _setting("interval timer", partial(signal.getitimer, timer), put)
    for sig in signal.valid_signals():
        if sig in (signal.SIGKILL, signal.SIGSTOP) or signal.getsignal(sig) is None:
            continue  # uncatchable, or set outside Python (so not by a snippet either)
        get, put = partial(signal.getsignal, sig), partial(signal.signal, sig)
        parts += _setting(f"handler of signal {int(sig)}", get, put)
    return parts


_TORCH_SWITCHES = (
    # (getter, setter) in torch._C behind torch.backends.* and torch.autograd's switches; those
    # this build lacks (CUDA's on a CPU build) are left out. Tuples go back as the setter's args.
    ("_get_cudnn_enabled", "_set_cudnn_enabled"),
    ("_get_cudnn_benchmark", "_set_cudnn_benchmark"),
    ("_get_cudnn_deterministic", "_set_cudnn_deterministic"),
    ("_cuda_get_cudnn_benchmark_limit", "_cuda_set_cudnn_benchmark_limit"),
    ("_cuda_get_sync_debug_mode", "_cuda_set_sync_debug_mode"),
    ("_get_mkldnn_enabled", "_set_mkldnn_enabled"),
    ("_get_mkldnn_deterministic", "_set_mkldnn_deterministic"),
    ("_get_nnpack_enabled", "_set_nnpack_enabled"),
    ("_get_qengine", "_set_qengine"),
    ("_get_cublas_allow_fp16_reduced_precision_reduction",
     "_set_cublas_allow_fp16_reduced_precision_reduction"),
    ("_get_cublas_allow_bf16_reduced_precision_reduction",
     "_set_cublas_allow_bf16_reduced_precision_reduction"),
    ("_get_cublas_allow_fp16_accumulation", "_set_cublas_allow_fp16_accumulation"),
    ("_get_cpu_allow_fp16_reduced_precision_reduction",
     "_set_cpu_allow_fp16_reduced_precision_reduction"),
    # scaled_dot_product_attention's kernels (enable_flash_sdp, sdpa_kernel left entered, ...)
    ("_get_flash_sdp_enabled", "_set_sdp_use_flash"),
    ("_get_mem_efficient_sdp_enabled", "_set_sdp_use_mem_efficient"),
    ("_get_math_sdp_enabled", "_set_sdp_use_math"),
    ("_get_cudnn_sdp_enabled", "_set_sdp_use_cudnn"),
    ("_get_fa3_sdp_enabled", "_set_sdp_use_fa3"),
    ("_get_math_sdp_allow_fp16_bf16_reduction", "_set_math_sdp_allow_fp16_bf16_reduction"),
    ("_get_sdp_priority_order", "_set_sdp_priority_order"),
    ("_get_linalg_preferred_backend", "_set_linalg_preferred_backend"),
    ("_get_blas_preferred_backend", "_set_blas_preferred_backend"),
    ("_get_deterministic_fill_uninitialized_memory",
     "_set_deterministic_fill_uninitialized_memory"),
    ("_get_warnAlways", "_set_warnAlways"),
    ("_is_multithreading_enabled", "_set_multithreading_enabled"),
    ("_is_fwd_grad_enabled", "_set_fwd_grad_enabled"),
)  # fmt: skip

_DENORMAL = 5e-324
"""The smallest double; ``_DENORMAL * 1.0`` is 0.0 only while denormals are flushed (a global, so
Python does not fold it at compile time)."""


def _denormals_flushed() -> bool:
    return _DENORMAL * 1.0 == 0.0


def _cannot_undo(what: str) -> Callable[[Any], Any]:
    def put(_: Any) -> None:
        raise Unrestorable(f"{what} cannot be undone")

    return put


def _spread(put: Callable[..., Any]) -> Callable[[Any], Any]:
    """A setter for a getter that answers a tuple of the setter's arguments."""
    return lambda value: put(*value) if isinstance(value, tuple) else put(value)


def _available(
    settings: list[tuple[str, Callable[[], Any], Callable[[Any], Any]]],
) -> list[tuple[str, Callable[[], Any], Callable[[Any], Any]]]:
    """Those settings whose getter works here (not every Python, OS or torch build has each)."""
    found = []
    for name, get, put in settings:
        try:
            get()
        except (AttributeError, TypeError, RuntimeError, OSError, NotImplementedError):
            continue
        found.append((name, get, put))
    return found


def _drop_garbage(count: int) -> None:
    del gc.garbage[count:]


def _set_start_method(method: str | None) -> None:
    multiprocessing.set_start_method(method, force=True)


def _set_priority(value: int) -> None:
    os.setpriority(os.PRIO_PROCESS, 0, value)  # lowering it back needs privilege: else replaced


def _set_asyncgen_hooks(saved: Any) -> None:
    sys.set_asyncgen_hooks(firstiter=saved.firstiter, finalizer=saved.finalizer)


def _set_faulthandler(enabled: bool) -> None:
    if enabled:
        faulthandler.enable()
    else:
        faulthandler.disable()


def _set_dispatch_table(saved: dict[type, Any]) -> None:
    # in place: pickle's C module holds this very dict
    copyreg.dispatch_table.clear()
    copyreg.dispatch_table.update(saved)


_HALF_A_YEAR_S = 15_778_800
"""Into summer (and back in the southern hemisphere): the timezone's other offset, if it has one."""


def _timezone() -> tuple[Any, ...]:
    """The C library's timezone as ``time.localtime`` applies it, in winter and in summer."""
    winter, summer = time.localtime(0), time.localtime(_HALF_A_YEAR_S)
    return winter.tm_zone, winter.tm_gmtoff, summer.tm_zone, summer.tm_gmtoff


def _tzset(_: Any) -> None:
    """``time.tzset()`` again, with the environment put back (``TZ`` among it): a run's
    ``os.environ["TZ"] = ...; time.tzset()`` left its timezone set in the C library."""
    time.tzset()


def _set_safe_globals(saved: set[Any]) -> None:
    import torch.serialization

    torch.serialization.clear_safe_globals()
    torch.serialization.add_safe_globals(list(saved))


def _more_process_settings() -> list[tuple[str, Callable[[], Any], Callable[[Any], Any]]]:
    """Process-wide values read and written through a getter and a setter, in one
    :class:`_Settings`: each would otherwise reach every later run (``mp.set_start_method('spawn')``
    would even fail there: "context has already been set")."""
    import torch.multiprocessing
    import torch.serialization

    everything = partial(locale.setlocale, locale.LC_ALL)  # with no locale given, it reads
    return [
        ("locale", everything, everything),
        ("socket timeout", socket.getdefaulttimeout, socket.setdefaulttimeout),
        ("gc debug flags", gc.get_debug, gc.set_debug),
        ("gc garbage", partial(len, gc.garbage), _drop_garbage),  # what DEBUG_SAVEALL kept
        ("thread stack size", threading.stack_size, threading.stack_size),
        ("dlopen flags", sys.getdlopenflags, sys.setdlopenflags),
        ("cpu affinity", partial(os.sched_getaffinity, 0), partial(os.sched_setaffinity, 0)),
        ("niceness", partial(os.getpriority, os.PRIO_PROCESS, 0), _set_priority),
        ("start method", partial(multiprocessing.get_start_method, True), _set_start_method),
        ("sharing strategy", torch.multiprocessing.get_sharing_strategy,
         torch.multiprocessing.set_sharing_strategy),
        # per thread, and these runs run in this one: a hook would see every later run's async code
        ("asyncgen hooks", sys.get_asyncgen_hooks, _set_asyncgen_hooks),
        ("coroutine origin tracking", sys.get_coroutine_origin_tracking_depth,
         sys.set_coroutine_origin_tracking_depth),
        ("faulthandler", faulthandler.is_enabled, _set_faulthandler),
        # a reducer for a class (torch.Tensor's broke torch.save in every later run)
        ("copyreg dispatch table", partial(dict, copyreg.dispatch_table), _set_dispatch_table),
        # classes torch.load(weights_only=True) accepts: one run's must not pass in the next
        ("torch safe globals", lambda: set(torch.serialization.get_safe_globals()),
         _set_safe_globals),
    ]  # fmt: skip


def _torch_settings() -> list[Part]:
    """Global torch switches beyond those ``_reset_torch`` always sets."""
    import torch

    def device_context() -> Any:
        return getattr(torch._GLOBAL_DEVICE_CONTEXT, "device_context", None)

    c = torch._C
    switches = [
        (f"torch._C.{get}", getattr(c, get), _spread(getattr(c, put)))
        for get, put in _TORCH_SWITCHES
        if hasattr(c, get) and hasattr(c, put)
    ]
    for kind in ("cpu", "cuda"):
        switches += [
            (f"{kind} autocast", partial(torch.is_autocast_enabled, kind),
             partial(torch.set_autocast_enabled, kind)),
            (f"{kind} autocast dtype", partial(torch.get_autocast_dtype, kind),
             partial(torch.set_autocast_dtype, kind)),
        ]  # fmt: skip
    switches += [
        ("autocast cache", torch.is_autocast_cache_enabled, torch.set_autocast_cache_enabled),
        # denormals flushed to zero: Python's own float arithmetic too, in this thread
        ("flush denormal", _denormals_flushed, torch.set_flush_denormal),
        # set once per process (torch refuses a second call): a fresh worker lets the next run
        ("interop threads", torch.get_num_interop_threads,
         _cannot_undo("torch.set_num_interop_threads")),
    ]  # fmt: skip
    return [
        # set_default_device(None) leaves the default-device mode; 'cpu' would push another one
        *_setting("default device", device_context, lambda _: torch.set_default_device(None)),
        ("torch switches", _Settings(_available(switches))),
        *_part("float32 precision", _Precision),
        *_part("torch.library registrations", _Libraries),
        # after sys.modules is put back (in _namespaces): _TorchConfigs relies on it
        *_part("torch config modules", _TorchConfigs),
    ]


class StateSnapshot:
    """Process-wide state a snippet may change, recorded once after warm-up, restored after each run.

    A CPU run is a fresh fork, so whatever it changes dies with it; here every run shares one
    process, and a ``nn.Linear.forward = ...``, ``os.environ[...] = ...`` or ``sys.stdout = ...``
    would reach every later run. What can be put back cheaply is: each part compares before it
    writes, ~0.3 ms for all when nothing changed (this runs after every run). What cannot (fds,
    entered torch modes) or a restore that fails makes :meth:`restore` report a problem, and the
    worker is replaced. The code and defaults of torch.nn's, torch.optim's and the standard
    library's functions are put back too, those a run wrote (see :class:`_FunctionCode`). Not
    covered: changes to other modules (numpy, math, ...) or to objects reachable from them
    (context variables, numpy's print options among them, are the worker's business: each run
    gets a copy), libraries' ``atexit`` registrations (a worker leaves with ``os._exit``, so they
    hold only memory; the learner's code's are the run's, see
    :func:`sandbox.runner.exit_callbacks`), and state torch keeps in C++ beyond the switches listed
    here.
    """

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts

    @classmethod
    def take(cls) -> StateSnapshot:
        audit = _AuditHooks()  # first: the parts before its own (which forgets) read its notes
        return cls(
            [
                # first: the recursion limit, so that the rest (and the worker after) runs with ours
                ("recursion limit", _Setting(sys.getrecursionlimit, sys.setrecursionlimit)),
                ("output fds", _OutputFds()),
                *_namespaces(),
                ("os.environ", _Environment()),
                *_setting("timezone", _timezone, _tzset),  # after TZ is put back
                ("function code and defaults", _FunctionCode(_patchable_functions(), audit)),
                ("module __all__ lists", _AllLists()),
                ("warnings", _Warnings()),
                ("audit hooks", audit),
                *_process_settings(),
                *_torch_settings(),
                ("torch modes", _TorchModes()),  # after the default device, which is a mode
            ]
        )

    def restore(self) -> list[str]:
        """Put every part back; return what could not be (then the worker must be replaced)."""
        problems = []
        for name, part in self.parts:
            try:
                part.restore()
            except BaseException as exc:  # a late interrupt too: then replace the worker
                problems.append(f"{name}: {type(exc).__name__}: {exc}")
        return problems
