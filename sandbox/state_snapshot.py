"""``StateSnapshot``: the process-wide state a snippet may change, put back after each run of the
in-process (CUDA) worker.

A CPU run is a fresh fork, so whatever it changes dies with it; the CUDA worker runs every snippet
in one process (CUDA must not be initialised in a process that forks), so it records this state once
after warm-up and restores it after each run (see :class:`StateSnapshot`).
"""

from __future__ import annotations

import builtins
import contextlib
import faulthandler
import gc
import logging
import os
import resource
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Mapping
from functools import partial
from types import ModuleType
from typing import Any

from sandbox.worker import flush_all, rebind_stdio


class Unrestorable(Exception):
    """A run changed something that cannot be put back in place: this worker must be replaced."""


class _Namespace:
    """A mapping of names (a module's or class's ``vars()``, ``sys.modules``) and a copy of it.

    ``restore`` first compares the live mapping with the copy in C (dict equality short-circuits on
    identity, so an untouched namespace costs microseconds) and only then walks it: replaced entries
    get their object back, deleted ones come back, added ones go unless ``keep`` says that this kind
    of addition is torch's or Python's own lazy work (a submodule bound by a later import); those
    join the copy, so the next comparison is cheap again.
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
            if self.live == self.saved:
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


class _NamespaceGroup:
    """Many small namespaces (~260 torch classes) checked in one C-level list comparison, which
    costs a tenth of checking them one by one; only on a difference does each get restored."""

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
    so the worker is replaced."""

    def __init__(self) -> None:
        self.added = False
        sys.addaudithook(self._watch)

    def _watch(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "sys.addaudithook":
            self.added = True

    def restore(self) -> None:
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


class _RootLogger:
    """The root logger's level and handlers. Tutorials start with ``logging.basicConfig(...)``,
    which in one run must not format (or silence) the next run's log messages."""

    def __init__(self) -> None:
        self.root = logging.getLogger()
        self.level = self.root.level
        self.handlers = list(self.root.handlers)

    def restore(self) -> None:
        if self.root.handlers != self.handlers:
            for handler in self.root.handlers:
                if handler not in self.handlers:
                    with contextlib.suppress(Exception):  # a learner's handler may fail to close
                        handler.close()
            self.root.handlers[:] = self.handlers
        if self.root.level != self.level:
            self.root.setLevel(self.level)


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
        self.saved = {fd: _fd_identity(fd) for fd in (0, 1, 2)}

    def restore(self) -> None:
        for fd, identity in self.saved.items():
            if _fd_identity(fd) != identity:
                raise Unrestorable(f"fd {fd} was closed or replaced")


class _TorchModes:
    """Contexts a run entered and never left (``torch.device`` as a context manager, a
    TorchFunctionMode or TorchDispatchMode, ``inference_mode``, ``saved_tensors_hooks``): there
    is no public way to pop another's context, so they cost a fresh worker."""

    def __init__(self) -> None:
        import torch

        self.torch = torch
        self.saved = self.state()

    def state(self) -> tuple[int, int, bool, bool]:
        c = self.torch._C
        return (
            c._len_torch_function_stack(),
            c._len_torch_dispatch_stack(),
            self.torch.is_inference_mode_enabled(),
            self._saved_tensors_hooks() is not None,
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


def _fd_identity(fd: int) -> tuple[int, int] | None:
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _is_submodule(owner: ModuleType) -> Callable[[str, Any], bool]:
    """``keep`` for a module: a submodule bound as an attribute by its first import."""
    prefix = owner.__name__ + "."
    return lambda name, value: isinstance(value, ModuleType) and value.__name__ == prefix + name


def _is_imported_module(name: str, value: Any) -> bool:
    """``keep`` for ``sys.modules``: a module the import system loaded (not ``sys.modules[x] = y``)."""
    return isinstance(value, ModuleType) and getattr(value, "__spec__", None) is not None


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
    """The classes a learner is likely to monkeypatch: Tensor, torch's modules and optimizers."""
    import torch
    import torch.utils.data
    from torch import nn

    data = [v for v in vars(torch.utils.data).values() if isinstance(v, type)]
    classes = [
        torch.Tensor,
        nn.Parameter,
        *torch_subclasses(nn.Module, "torch.nn"),
        *torch_subclasses(torch.optim.Optimizer, "torch.optim"),
        *torch_subclasses(torch.optim.lr_scheduler.LRScheduler, "torch.optim"),
        *data,
    ]
    return list(dict.fromkeys(classes))  # each once


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


def _namespaces() -> list[Part]:
    """The names a learner is likely to patch: builtins, ``sys`` hooks and streams, ``os``,
    ``warnings``, ``sys.modules``, torch's main modules and its patchable classes."""
    import torch
    import torch.nn.functional
    import torch.nn.init
    import torch.utils.data

    modules = sys.modules
    sys_namespace = _Namespace.attributes(sys, _keep_nothing)
    parts: list[Part] = [
        # sys: stdout/stderr/stdin, excepthook, displayhook, ...; builtins: print, new names
        ("sys", sys_namespace),
        ("std streams", _StdStreams(sys_namespace)),
        *((m.__name__, _Namespace.attributes(m, _keep_nothing)) for m in (builtins, os, warnings)),
        (
            "sys.modules",
            _Namespace(modules, modules.__setitem__, modules.__delitem__, _is_imported_module),
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
        torch.optim,
        torch.optim.lr_scheduler,
        torch.autograd,
        torch.utils.data,
    ):
        parts.append((module.__name__, _Namespace.attributes(module, _is_submodule(module))))
    classes = [_Namespace.attributes(cls, _python_cache) for cls in _patchable_classes()]
    parts.append(("torch classes", _NamespaceGroup(classes)))
    return parts


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
        ("root logger", _RootLogger()),
        ("faulthandler timer", _Always(faulthandler.cancel_dump_traceback_later)),
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


def _torch_settings() -> list[Part]:
    """Global torch switches beyond those ``_reset_torch`` always sets."""
    import torch

    def device_context() -> Any:
        return getattr(torch._GLOBAL_DEVICE_CONTEXT, "device_context", None)

    cudnn = torch.backends.cudnn
    parts = [
        # set_default_device(None) leaves the default-device mode; 'cpu' would push another one
        *_setting("default device", device_context, lambda _: torch.set_default_device(None)),
        *_setting(
            "matmul precision",
            torch.get_float32_matmul_precision,
            torch.set_float32_matmul_precision,
        ),
        *_setting("warn always", torch.is_warn_always_enabled, torch.set_warn_always),
    ]
    for kind in ("cpu", "cuda"):
        get, put = (
            partial(torch.is_autocast_enabled, kind),
            partial(torch.set_autocast_enabled, kind),
        )
        parts += _setting(f"{kind} autocast", get, put)
    for flag in ("enabled", "benchmark", "deterministic", "allow_tf32"):
        get, put = partial(getattr, cudnn, flag), partial(setattr, cudnn, flag)
        parts += _setting(f"cudnn.{flag}", get, put)
    matmul = torch.backends.cuda.matmul
    for flag in ("allow_tf32", "allow_fp16_reduced_precision_reduction"):
        get, put = partial(getattr, matmul, flag), partial(setattr, matmul, flag)
        parts += _setting(f"cuda.matmul.{flag}", get, put)
    return parts


class StateSnapshot:
    """Process-wide state a snippet may change, recorded once after warm-up, restored after each run.

    A CPU run is a fresh fork, so whatever it changes dies with it; here every run shares one
    process, and a ``nn.Linear.forward = ...``, ``os.environ[...] = ...`` or ``sys.stdout = ...``
    would reach every later run. What can be put back cheaply is: each part compares before it
    writes, ~0.2 ms for all when nothing changed (this runs after every run). What cannot (fds,
    entered torch modes) or a restore that fails makes :meth:`restore` report a problem, and the
    worker is replaced. Not covered: changes to other modules (numpy, math, ...) or to objects
    reachable from them, and state torch keeps in C++ beyond the switches listed here.
    """

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts

    @classmethod
    def take(cls) -> StateSnapshot:
        return cls(
            [
                # first: the recursion limit, so that the rest (and the worker after) runs with ours
                ("recursion limit", _Setting(sys.getrecursionlimit, sys.setrecursionlimit)),
                ("output fds", _OutputFds()),
                *_namespaces(),
                ("os.environ", _Environment()),
                ("warnings", _Warnings()),
                ("audit hooks", _AuditHooks()),
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
