"""The CUDA worker: holds one CUDA context and runs snippets in-process, resetting state between runs.

CUDA cannot be used in a forked child of a process that initialised it, so unlike the CPU worker
this one does not fork. Instead:

* fd 1/2 are redirected for good to pipes; pump threads forward what arrives, tagged with the
  current run, and stop a run that floods (cap in :class:`~sandbox.limits.Limits`);
* a reader thread takes requests (cancel arrives mid-run); a watchdog thread interrupts the run
  on timeout, cancel or host-memory overuse (SIGINT to ourselves, plus an async KeyboardInterrupt
  for code that ignores SIGINT). Code stuck in C past the grace period is the client's business:
  it kills this worker and starts another;
* after each run: torch defaults (dtype, grad mode, seed, threads, determinism, anomaly mode, print
  options, global module hooks), cwd and ``sys.path`` are restored, the caching allocator is
  emptied, leftover child processes are killed; if the run left threads running this worker exits
  after answering (a thread cannot be killed) and the client starts a fresh one;
* ``torch.cuda.set_per_process_memory_fraction`` caps the allocator; ``torch.OutOfMemoryError``
  becomes status "oom".
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import gc
import os
import queue
import signal
import sys
import threading
import time
from typing import Any

from sandbox.limits import MB, Limits, current_address_space
from sandbox.outcome import finalize
from sandbox.process import INPROCESS_DEVICE_ENV
from sandbox.protocol import Message
from sandbox.worker import (
    READ_SIZE,
    Channel,
    flush_all,
    keep_lazy_imports,
    rebind_stdio,
)

_END = b"\x00\x1enn-tutor-end\x1e\x00"


def _rss() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child_pids() -> list[int]:
    me = str(os.getpid())
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == me:
            pids.append(int(entry))
    return pids


class InProcessWorker:
    def __init__(self, channel: Channel, limits: Limits) -> None:
        import torch

        self.channel = channel
        self.limits = limits
        self.device = os.environ.get(INPROCESS_DEVICE_ENV) or "cuda"
        if self.device.startswith("cuda"):
            torch.cuda.init()
            torch.cuda.set_per_process_memory_fraction(limits.cuda_memory_fraction)
            torch.zeros(1, device=self.device).sum()  # create the context now, not in a run
        torch.set_num_threads(limits.threads)
        import sandbox.runner
        import sandbox.tracer  # noqa: F401

        self._reset(os.getcwd(), list(sys.path))  # its own first-call imports happen now; collects
        gc.freeze()  # the full collection after each run then scans only what the run made
        self.main_ident = threading.get_ident()
        self.lock = threading.Lock()
        self.send_lock = threading.Lock()
        self.current: int | None = None
        self.reason: str | None = None
        self.total = 0
        self.truncated = False
        self.requests: queue.Queue[Message | None] = queue.Queue()
        self.markers: dict[str, threading.Event] = {}
        self.recycle = False
        self._own_threads: set[threading.Thread] = set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self._capture_output()
        self._start(self._read_requests, "requests")

    # -- plumbing ---------------------------------------------------------------------------
    def _start(self, target: Any, name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=f"sandbox-{name}", daemon=True)
        self._own_threads.add(thread)
        thread.start()

    def send(self, message: Message) -> None:
        with self.send_lock:
            self.channel.send(message)

    def _capture_output(self) -> None:
        for fd, stream in ((1, "stdout"), (2, "stderr")):
            r, w = os.pipe()
            os.dup2(w, fd)
            os.close(w)
            self.markers[stream] = threading.Event()
            self._start(self._pump, stream, r, stream)
        rebind_stdio()

    def _pump(self, fd: int, stream: str) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        pending = b""
        while True:
            data = os.read(fd, READ_SIZE)
            if not data:
                return
            data = pending + data
            pending = b""
            while True:
                cut = data.find(_END)
                if cut < 0:
                    # keep a possible partial marker for the next read
                    keep = next(
                        (k for k in range(len(_END) - 1, 0, -1) if data.endswith(_END[:k])), 0
                    )
                    if keep:
                        data, pending = data[:-keep], data[-keep:]
                    self._forward(stream, decoder.decode(data))
                    break
                self._forward(stream, decoder.decode(data[:cut]) + decoder.decode(b"", final=True))
                self.markers[stream].set()
                data = data[cut + len(_END) :]

    def _forward(self, stream: str, text: str) -> None:
        if not text:
            return
        with self.lock:
            run_id = self.current
            if run_id is None or self.truncated:
                return
            data = text.encode("utf-8")
            room = self.limits.output_bytes - self.total
            if len(data) > room:
                text = data[: max(room, 0)].decode("utf-8", "ignore")
                self.truncated = True
            self.total += len(data)
        if text:
            self.send({"type": "output", "id": run_id, "stream": stream, "text": text})
        if self.truncated:
            self.interrupt("output")

    def _read_requests(self) -> None:
        while True:
            try:
                ready = self.channel.read_available()
            except OSError:
                ready = []
                self.channel.closed = True
            for message in ready:
                if message.get("op") == "cancel":
                    with self.lock:
                        match = message.get("id") == self.current
                    if match:
                        self.interrupt("cancelled")
                elif message.get("op") == "shutdown":
                    self.channel.closed = True
                else:
                    self.requests.put(message)
            if self.channel.closed:
                self.interrupt("shutdown")
                self.requests.put(None)
                return

    def interrupt(self, why: str) -> None:
        """Stop the current run: SIGINT (KeyboardInterrupt) plus an async exception as backup."""
        with self.lock:
            if self.current is None:
                return
            if self.reason is None:
                self.reason = why
        os.kill(os.getpid(), signal.SIGINT)
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(self.main_ident), ctypes.py_object(KeyboardInterrupt)
        )

    def _watch(self, run_id: int, deadline: float | None, done: threading.Event) -> None:
        rss_cap = _rss() + self.limits.memory_mb * MB if self.limits.memory_mb > 0 else None
        while not done.wait(0.05):
            if deadline is not None and time.monotonic() >= deadline:
                self.interrupt("timeout")
                return
            if rss_cap is not None and _rss() > rss_cap:
                self.interrupt("oom")
                return

    # -- serving ------------------------------------------------------------------------------
    def serve(self) -> None:
        while not self.recycle:
            request = self.requests.get()
            if request is None:
                return
            if request.get("op") == "run":
                self.run(request)

    def run(self, request: Message) -> None:
        from sandbox.runner import execute

        run_id = request["id"]
        timeout = request.get("timeout")
        threads_before = set(threading.enumerate())
        cwd, path = os.getcwd(), list(sys.path)
        with self.lock:
            self.current, self.reason, self.total, self.truncated = run_id, None, 0, False
        start = time.perf_counter()
        done = threading.Event()
        deadline = time.monotonic() + timeout if timeout else None
        self._start(self._watch, f"watch-{run_id}", run_id, deadline, done)
        child: dict[str, Any] | None
        try:
            child = execute(request, self.limits, self.device)
        except BaseException as exc:  # an interrupt that landed outside the learner's code
            child = {"status": "error", "error": {"type": type(exc).__name__, "message": str(exc)}}
        finally:
            done.set()
        child = self._settle(child)
        self._flush_output()
        with self.lock:
            self.current = None
            reason = self.reason
            truncated = self.truncated
        self._reset(cwd, path)
        leaked = [
            t
            for t in threading.enumerate()
            if t not in threads_before and t not in self._own_threads and t.is_alive()
        ]
        self._kill_children()
        result = finalize(
            child,
            reason=reason,
            timeout=timeout,
            limits=self.limits,
            device=self.device,
            has_check=request.get("check") is not None,
        )
        if child and child.get("status") == "oom" and reason is None:
            result["status"] = "oom"
        result["output_truncated"] = truncated
        result["duration_s"] = time.perf_counter() - start
        if leaked:
            self.recycle = True
        message: Message = {"type": "result", "id": run_id, "result": result}
        if self.recycle:
            message["worker_exiting"] = True  # the client starts a fresh worker
        self.send(message)
        # The first run that imported torch._dynamo (any optimizer) left ~120k module objects that
        # stay for good: freeze them too, once the learner has the result. What else is alive now
        # is reachable from module state, where learner leftovers already outlive a run here.
        keep_lazy_imports(sys.modules)

    def _settle(self, child: dict[str, Any] | None) -> dict[str, Any] | None:
        """Absorb a late async KeyboardInterrupt (sent just as the run ended)."""
        for _ in range(3):
            try:
                time.sleep(0.001)
                return child
            except KeyboardInterrupt:
                continue
        return child

    def _flush_output(self) -> None:
        flush_all()
        for stream, fd in (("stdout", 1), ("stderr", 2)):
            self.markers[stream].clear()
            with contextlib.suppress(OSError):
                os.write(fd, _END)
        for event in self.markers.values():
            event.wait(2.0)

    def _reset(self, cwd: str, path: list[str]) -> None:
        import torch
        from torch.nn.modules import module as nn_module

        with contextlib.suppress(Exception):
            os.chdir(cwd)
        sys.path[:] = path
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.set_num_threads(self.limits.threads)
        if torch.are_deterministic_algorithms_enabled():  # the call imports torch._dynamo
            torch.use_deterministic_algorithms(False)
        torch.autograd.set_detect_anomaly(False)
        torch.set_printoptions(profile="default")
        torch.seed()
        for name in dir(nn_module):
            if name.startswith("_global_") and name.endswith("hooks"):
                hooks = getattr(nn_module, name)
                if isinstance(hooks, dict):
                    hooks.clear()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        gc.collect()
        if self.device.startswith("cuda"):
            with contextlib.suppress(Exception):
                torch.cuda.synchronize()
                torch.cuda.empty_cache()

    def _kill_children(self) -> None:
        for pid in _child_pids():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


__all__ = ["InProcessWorker", "current_address_space"]
