"""The client's handle on one worker process: spawn it, send requests, deliver its messages.

A daemon reader thread turns the worker's JSON lines into messages and hands each to ``sink``
(a ``queue.Queue.put`` for :class:`~sandbox.Sandbox`, a thread-safe hop onto the event loop for
:class:`~sandbox.AsyncSandbox`), so neither client ever blocks on a pipe. When the pipe closes the
sink gets a final ``{"type": "exit", "code": ...}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from sandbox.limits import Limits, process_stopped
from sandbox.protocol import Message, decode, encode

Sink = Callable[[Message], None]

_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
DEBUG_ENV = "NN_TUTOR_SANDBOX_DEBUG"  # set to 1 to see the worker's own stderr
INPROCESS_DEVICE_ENV = "NN_TUTOR_SANDBOX_INPROCESS_DEVICE"
HUGE_PAGES_TUNABLE = "glibc.malloc.hugetlb=1"


def with_huge_pages(tunables: str | None) -> str:
    """``GLIBC_TUNABLES`` asking malloc for transparent huge pages, keeping what was set.

    The CPU worker forks once per run, and a fork copies one page-table entry per 4 KiB of the
    worker's ~150 MB of private memory; with its malloc heap on 2 MiB pages, the fork and the
    child's exit cost ~5 ms less per run (see bench/bench_sandbox.py). glibc before 2.35, other C
    libraries, and systems with THP off ignore it. A ``hugetlb`` the user chose is left alone.
    """
    parts = [p for p in (tunables or "").split(":") if p]
    if not any(p.split("=", 1)[0] == "glibc.malloc.hugetlb" for p in parts):
        parts.append(HUGE_PAGES_TUNABLE)
    return ":".join(parts)


# ``python -m sandbox.worker``, but without the current folder on the path: what the worker
# imports (torch, and what torch imports as it starts: its optional ``cuda.bindings``) must never
# find a learner's ``torch.py``, ``numpy.py``, ``sandbox.py`` or ``cuda.py`` there, nor what
# torch imports later, during a run. Each run puts its folder on the path for the learner's own
# imports alone (see :func:`sandbox.runner.learner_imports`). (Under PYTHONSAFEPATH there is no
# '' to take out, and sys.path[0] is the package root PYTHONPATH put there.)
_NO_FOLDER = """\
import sys
if sys.path[:1] == [""]:
    del sys.path[0]
"""
_START_WORKER = (
    _NO_FOLDER
    + """\
import runpy
runpy.run_module("sandbox.worker", run_name="__main__", alter_sys=True)
"""
)


class WorkerProcess:
    """One sandbox worker process (``sandbox.worker``) of a given kind ("cpu" or "cuda")."""

    def __init__(
        self,
        kind: str,
        limits: Limits,
        sink: Sink,
        *,
        inprocess_device: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self.limits = limits
        self.sink = sink
        self.inprocess_device = inprocess_device
        # set in the worker's environment over this process's own (see :class:`~sandbox.Sandbox`)
        self.env = dict(env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self.ready: Message | None = None
        # The process serving runs: a fork the CPU worker replaces when it is killed (see
        # sandbox.worker.supervise), the worker itself on CUDA; from the latest ``ready``.
        self.serving_pid: int | None = None
        self._req: int | None = None
        self._reader: threading.Thread | None = None
        self._send_lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        """Spawn the worker (returns at once; its ``ready`` message follows via the sink).

        Its reader thread spawns it, and lives as long as it does: Linux sends a process its
        PR_SET_PDEATHSIG when the *thread* that started it ends, so a worker started by a
        short-lived thread (a thread pool's) would die with that thread.
        """
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        spawned: queue.Queue[subprocess.Popen[bytes] | BaseException] = queue.Queue()
        self._reader = threading.Thread(
            target=self._spawn_and_read,
            args=(req_r, res_w, res_r, spawned),
            name=f"sandbox-{self.kind}-reader",
            daemon=True,
        )
        self._reader.start()
        outcome = spawned.get()
        if isinstance(outcome, BaseException):
            os.close(req_w)
            os.close(res_r)
            raise outcome
        self.proc = outcome
        self._req = req_w

    def _spawn_and_read(
        self,
        req_r: int,
        res_w: int,
        res_r: int,
        spawned: queue.Queue[subprocess.Popen[bytes] | BaseException],
    ) -> None:
        """Spawn the worker, hand it (or why it failed) to ``spawned``, then read its messages."""
        try:
            proc = self._spawn(req_r, res_w)
        except BaseException as exc:
            spawned.put(exc)
            return
        spawned.put(proc)
        self._read(res_r, proc)

    def _spawn(self, req_r: int, res_w: int) -> subprocess.Popen[bytes]:
        """Start the worker process on its ends of the pipes, ``req_r`` and ``res_w`` (closed here
        once it has them)."""
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        env.setdefault("PYTHONUNBUFFERED", "1")
        if self.inprocess_device:
            env[INPROCESS_DEVICE_ENV] = self.inprocess_device
        if self.kind == "cpu":
            env["GLIBC_TUNABLES"] = with_huge_pages(env.get("GLIBC_TUNABLES"))
        cmd = [
            sys.executable,
            "-c",
            _START_WORKER,
            "--kind",
            self.kind,
            "--req-fd",
            str(req_r),
            "--res-fd",
            str(res_w),
            "--limits",
            json.dumps(self.limits.to_dict()),
        ]
        quiet = None if os.environ.get(DEBUG_ENV) else subprocess.DEVNULL
        try:
            return subprocess.Popen(
                cmd,
                pass_fds=(req_r, res_w),
                stdin=subprocess.DEVNULL,
                stdout=quiet,
                stderr=quiet,
                env=env,
                start_new_session=True,  # terminal signals (Ctrl-C) go to the app, not the worker
            )
        finally:
            os.close(req_r)
            os.close(res_w)

    def _read(self, fd: int, proc: subprocess.Popen[bytes]) -> None:
        with os.fdopen(fd, "rb") as pipe:
            for line in pipe:
                try:
                    message = decode(line)
                except ValueError:
                    continue
                if message.get("type") == "ready":
                    self.ready = message
                    serving = message.get("serving")
                    self.serving_pid = serving if isinstance(serving, int) else None
                self.sink(message)
        code = proc.wait()
        self.sink({"type": "exit", "code": code, "pid": proc.pid})

    def send(self, message: Message) -> bool:
        """Write one request; ``False`` if the worker is gone."""
        data = encode(message)
        with self._send_lock:
            if self._req is None:
                return False
            try:
                os.write(self._req, data)
            except (BrokenPipeError, OSError):
                return False
        return True

    def kill(self) -> None:
        """Kill the worker and everything in its session at once (its runs die by PDEATHSIG)."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self._close_request()

    def _close_request(self) -> None:
        with self._send_lock:
            if self._req is not None:
                with contextlib.suppress(OSError):
                    os.close(self._req)
                self._req = None

    def close(self, timeout: float = 3.0) -> None:
        """Close the request pipe (the worker exits on EOF); kill it if it does not; reap it."""
        if self.proc is None:
            return
        self._close_request()
        if process_stopped(self.proc.pid):  # it would hear of no EOF until the timeout
            self.kill()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(timeout)
