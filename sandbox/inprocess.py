"""The CUDA worker: holds one CUDA context and runs snippets in-process, resetting state between runs.

CUDA cannot be used in a forked child of a process that initialised it, so unlike the CPU worker
this one does not fork. Instead:

* fd 1/2 are redirected for good to pipes, and ``sys.stdout``/``sys.stderr`` write framed to a
  third (see :func:`~sandbox.worker.rebind_stdio`), so the two arrive in the order written;
  pump threads forward what arrives (one for the frames), tagged with the current run, and
  stop a run that floods (cap in :class:`~sandbox.limits.Limits`);
* a reader thread takes requests (a cancel arrives mid-run, or before its run has begun: that
  run then ends as cancelled without running); a watchdog thread interrupts the run on timeout,
  cancel or host-memory overuse (SIGINT to ourselves, or an async KeyboardInterrupt for code that
  ignores SIGINT, sent as a backup after the grace period). Code stuck in C past that is the
  client's business: it kills this worker and starts another;
* after each run the process is put back as the run found it, so each run starts as clean as a
  forked CPU run: torch defaults (dtype, grad mode, threads, determinism, anomaly mode, print
  options, global module and optimizer hooks), fresh seeds for torch, ``random`` and numpy, cwd
  and ``sys.path``, and what :class:`StateSnapshot` recorded after warm-up (monkeypatched torch
  functions and classes, builtins, ``sys`` hooks and streams, import finders and path hooks,
  environment and timezone, warnings filters, loggers, signal handlers, default device,
  torch.backends switches, the code and defaults of torch.nn's, torch.optim's and the standard
  library's functions, modules' ``__all__``, copyreg's reducers, ...); the caching allocator is
  emptied, leftover child processes are killed. A run runs in a copy of the worker's context
  variables. Before all that, the run waits for the non-daemon threads and processes its code
  left going, as a forked run does (:func:`~sandbox.worker.wait_as_python_exits`). What cannot
  be put back (threads or fds the run left open, threading's exit callbacks run, fd 0/1/2 closed or
  replaced, a torch mode left entered, a profiler left running, an audit hook added, interop
  threads set) makes this worker exit after answering, and the client starts a fresh one;
* ``torch.cuda.set_per_process_memory_fraction`` caps the allocator; ``torch.OutOfMemoryError``
  becomes status "oom";
* the worker's own machinery (its watchdog's waits and clock, its interrupts, its replies) runs on
  what it bound at import to objects a run's patches do not reach: a lock from ``_thread`` (a C
  type) rather than ``threading.Event.wait``, ``_json``'s C encoder rather than
  ``json.JSONEncoder``, ``os.write`` and ``time.monotonic`` as they were. A run that patches the
  standard library still gets its timeout and its answer, and the patch is put back after it.

The sandbox contains mistakes, not malice: a learner's code runs with the worker's rights, and a
run that sets out to (``sys.modules["sandbox.inprocess"]``, ``gc.get_objects()``) can reach the
worker's objects. (It is not the app's child: ``os.kill(os.getppid(), ...)`` stops the process
the app started, which this worker dies with; see ``sandbox.worker.serve_at_arms_length``.)
What is guarded against is what a learner's code does by accident or in exploring: patches,
global settings, leaked threads and fds, floods, endless loops.
"""

from __future__ import annotations

import _signal
import _thread
import codecs
import contextlib
import contextvars
import ctypes
import functools
import gc
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, NoReturn

from sandbox.limits import MB, Limits, current_address_space
from sandbox.outcome import UNREPORTED, finalize
from sandbox.private_builtins import PRIVATE_BUILTINS
from sandbox.process import INPROCESS_DEVICE_ENV
from sandbox.protocol import Message, output_message
from sandbox.state_snapshot import StateSnapshot, torch_subclasses
from sandbox.worker import (
    FRAME,
    LAZY_IMPORTS,
    LEFT_RUNNING_KEY,
    MARK,
    READ_SIZE,
    Channel,
    FrameReader,
    OutputCap,
    cap_threads,
    file_id,
    flush_all,
    keep_lazy_imports,
    kill_children,
    rebind_stdio,
    reseed,
    wait_at_exit,
)

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

_END = b"\x00\x1enn-tutor-end\x1e\x00"
_END_FRAME = FRAME.pack(MARK, 0)  # the end marker on the framed channel
FRAMES = "frames"  # the framed channel's key in pipe_ends, markers and pumps

# What the worker's own machinery calls, bound now: a run may rebind the module attributes (they are
# put back only after it) or patch the Python functions behind them; these are C functions.
_allocate_lock = _thread.allocate_lock
_monotonic = time.monotonic
_sleep = time.sleep
PUMP_PAUSE_S = 0.001
_write = os.write
_kill = os.kill
_getpid = os.getpid
_getsignal = _signal.getsignal  # signal.getsignal is Python, around this one
_open = open
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class _Flag:
    """A flag with a timed wait, as ``threading.Event``, on a bare lock from ``_thread`` (a C type),
    held while the flag is clear: ``Event.wait`` and ``Condition.wait`` are Python methods a run
    can patch, and ``Event.wait = lambda self, timeout=None: True`` had the watchdog stop watching.
    A waiter that finds the lock free (the flag set) takes it and gives it straight back."""

    def __init__(self) -> None:
        self._held = _allocate_lock()
        self._guard = _allocate_lock()  # set and clear one at a time, each seeing the other's flag
        self._set = False
        self._held.acquire()

    def set(self) -> None:
        with self._guard:
            if not self._set:
                self._set = True
                self._held.release()

    def clear(self) -> None:
        with self._guard:
            if self._set:
                self._set = False
                self._held.acquire()  # at once, or once a waiter gives it back

    def wait(self, timeout: float) -> bool:
        """True once set, False after ``timeout`` seconds."""
        if not self._held.acquire(True, timeout):
            return False
        try:
            return True
        finally:  # given straight back, even if an interrupt lands here
            self._held.release()


def _rss() -> int:
    try:
        with _open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _open_fds() -> set[str]:
    try:
        return set(os.listdir("/proc/self/fd"))  # ~7 us
    except OSError:  # no /proc: nothing to compare
        return set()


def _leaked_fds(before: set[str]) -> list[str]:
    """What fds the run left open (``os.pipe()``, ``tempfile.mkstemp()``, an event loop it never
    closed), as their targets: a later run could read or write them, and they pile up to the
    open-file limit. Closing them is unsafe (a C library or a surviving object may own one and
    close it later under us), so the worker is replaced. The driver's own (``/dev/nvidia*``,
    ``anon_inode:``) are not the run's doing."""
    leaked = []
    for fd in _open_fds() - before:
        with contextlib.suppress(OSError):  # the listing's own fd, closed by now
            target = os.readlink(f"/proc/self/fd/{fd}")
            if not target.startswith(("/dev/nvidia", "anon_inode:")):
                leaked.append(target)
    return leaked


def _describe_interrupted(exc: BaseException) -> dict[str, Any]:
    """The error for an exception that escaped the runner, with the learner's line if it has one.

    An interrupt can land while the runner handles an earlier one (the watchdog's backup, or one
    sent just as the run failed); that earlier one, chained as ``__context__``, still holds the
    line the run was stopped at, which the CPU path reports ("stopped at line N").
    """
    from sandbox.runner import describe_exception

    seen: BaseException | None = exc
    for _ in range(8):  # chains are short; the bound guards against a hand-built loop
        if seen is None:
            break
        described = describe_exception(seen)
        if described["line"] is not None:
            return described
        seen = seen.__context__
    return {"type": type(exc).__name__, "message": str(exc)}


def _interrupt_point() -> None:
    """Nothing: a Python call, at whose entry an async exception still pending is raised."""


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
        cap_threads(torch, limits.threads)  # as in a forked run: a run cannot take every core
        import sandbox.runner
        import sandbox.tracer  # noqa: F401
        from sandbox import tensor_scan

        tensor_scan.kernel()  # before the state snapshot: loading it is not a run's doing

        self.main_ident = threading.get_ident()
        self._main_thread = ctypes.c_ulong(self.main_ident)
        self._set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
        self.lock = threading.Lock()
        self.send_lock = threading.Lock()
        self.current: int | None = None
        self.interruptible = False  # True only while the learner's code runs (see run())
        self.interrupted_at: float | None = None
        self.async_sent = False  # an async KeyboardInterrupt was sent, perhaps not yet raised
        # When the current run is out of time: its start allowance at first, then (once its
        # learner's code has begun, see _began) its timeout. Read by its watchdog.
        self.deadline: float | None = None
        self.began = False  # the current run's learner's code has begun
        self.reason: str | None = None
        self.output_cap = OutputCap(self.limits.output_bytes)  # the current run's
        self.requests: queue.Queue[Message | None] = queue.Queue()
        # Run requests read but not begun, by id: whether a cancel for it has come (see _cancel).
        self.queued: dict[Any, bool] = {}
        self.markers: dict[str, _Flag] = {}
        self.pipe_ends: dict[str, int] = {}
        self.pumps: dict[str, threading.Thread] = {}
        self.recycle = False
        self._own_threads: set[threading.Thread] = set()
        self._sigint = self._on_sigint  # one bound method, so that `is` finds it
        signal.signal(signal.SIGINT, self._sigint)
        self._capture_output()
        self._warm_up()
        self._reset_torch()  # its own first-call imports happen now
        self._real_exit = os._exit
        os._exit = self._exit_after_output(os._exit)  # before the snapshot: a run's is put back
        self.result_pipe = file_id(channel.res_fd)
        self.state = StateSnapshot.take()  # after all of the above: that is the clean state
        gc.collect()
        gc.freeze()  # the full collection after each run then scans only what the run made
        self._start(self._read_requests, "requests")

    @staticmethod
    def _warm_up() -> None:
        """Do now what torch does on first use and leaves behind, so the snapshot taken next holds it.

        Otherwise the first run to build an optimizer would import torch._dynamo (~1 s), which
        rebinds ``torch.manual_seed`` and adds warnings filters and an environment variable, and
        would hook its optimizer class's ``step``: changes a restore would take for the learner's.
        """
        import torch

        keep_lazy_imports(LAZY_IMPORTS)
        param = torch.zeros(1, 1, requires_grad=True)
        for cls in torch_subclasses(torch.optim.Optimizer, "torch.optim"):
            with contextlib.suppress(Exception):  # the abstract base, or one that wants more
                cls([param])

    # -- plumbing ---------------------------------------------------------------------------
    def _start(self, target: Any, name: str, *args: Any) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, name=f"sandbox-{name}", daemon=True)
        self._own_threads.add(thread)
        thread.start()
        return thread

    def send(self, message: Message) -> None:
        """Send ``message`` to the client, one whole message at a time (the pumps' threads send
        too); encoded as every reply is, by an encoder a run's patches do not reach
        (:func:`sandbox.protocol.encode`)."""
        with self.send_lock:
            self.channel.send(message)

    def _capture_output(self) -> None:
        for fd, stream in ((1, "stdout"), (2, "stderr")):
            r, w = os.pipe()
            os.dup2(w, fd)
            # Our own write end: the end-of-run marker goes here, so it arrives (after everything
            # the run wrote) even when the run closed fd 1/2 or pointed them elsewhere.
            self.pipe_ends[stream] = w
            self.markers[stream] = _Flag()
            self.pumps[stream] = self._start(self._pump, stream, r, stream)
        # sys.stdout/sys.stderr write framed to a pipe of their own, read by one pump in the
        # order written (see rebind_stdio); fd 1/2's pumps forward C-level and subprocess
        # output, ordered against it only by when each pump reads
        r, w = os.pipe()
        self.pipe_ends[FRAMES] = w
        self.markers[FRAMES] = _Flag()
        self.pumps[FRAMES] = self._start(self._pump_frames, FRAMES, r)
        rebind_stdio(w)

    def _pump_frames(self, fd: int) -> None:
        """Forward the framed channel's output, each stream decoded on its own."""
        frames = FrameReader()  # uncapped: the cap is on text, in _forward_all
        while True:
            data = os.read(fd, READ_SIZE)
            if not data:
                return
            for chunks, marked in frames.feed(data):  # one read's output: one message
                self._forward_all(chunks)  # at a mark: all of the run's output before it
                if marked:
                    self.markers[FRAMES].set()
            if len(data) < READ_SIZE:
                # Let a flood's writes gather in the pipe (a read per line cost each of them a
                # switch of the GIL); 1 ms later is still at once on screen.
                _sleep(PUMP_PAUSE_S)

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
        self._forward_all([(stream, text)])

    def _forward_all(self, chunks: list[tuple[str, str]]) -> None:
        """Send the current run's output ``chunks`` ((stream, text), in order) as one message,
        within the output cap."""
        sent: list[tuple[str, str]] = []
        cut = False  # whether these chunks reached the cap
        with self.lock:
            run_id = self.current
            for stream, text in chunks:
                if not text:
                    continue
                if run_id is None or self.output_cap.reached:
                    break
                data = text.encode("utf-8")
                kept = self.output_cap.keep(data)
                if self.output_cap.reached:
                    text = kept.decode("utf-8", "ignore")
                    cut = True
                if text:
                    sent.append((stream, text))
        if sent:
            self.send(output_message(run_id, sent))
        if cut:
            self.interrupt("output", run_id)

    def _read_requests(self) -> None:
        while True:
            try:
                ready = self.channel.read_available()
            except OSError:
                ready = []
                self.channel.closed = True
            for message in ready:
                op = message.get("op")
                if op == "cancel":
                    self._cancel(message.get("id"))
                elif op == "shutdown":
                    self.channel.closed = True
                else:
                    if op == "run":
                        with self.lock:  # before serve() can take it: a cancel read next finds it
                            self.queued[message.get("id")] = False
                    self.requests.put(message)
            if self.channel.closed:
                with self.lock:
                    going = self.current
                self.interrupt("shutdown", going)
                self.requests.put(None)
                return

    def _cancel(self, run_id: Any) -> None:
        """Stop run ``run_id``: at once if it is going; if it is still queued (read with its run
        request, or while the run before it was going), as soon as it would begin, so that it ends
        as cancelled without running. A cancel of a run already answered (it crossed the result)
        is dropped: it must never stop a later run."""
        with self.lock:
            if run_id in self.queued:
                self.queued[run_id] = True
                return
        self.interrupt("cancelled", run_id)

    def interrupt(self, why: str, run_id: Any) -> None:
        """Stop run ``run_id``, if it is the current one, with one KeyboardInterrupt.

        SIGINT while the run keeps our handler (it also wakes a ``time.sleep``), else an async
        exception; the watchdog sends the async one as a backup if the run is still going after
        the grace period (see :meth:`_watch`). Sending both at once lands the second inside the
        runner's handling of the first, which then loses the line the run was stopped at.

        The id is checked, and the interrupt sent, under the lock: a cancel or a watchdog late for
        its own run never stops the next, and once the run has stopped taking interrupts (see
        :meth:`_stop_interrupts`) none is on its way. Before the run has begun only the reason is
        kept, and the run does not begin.
        """
        with self.lock:
            if self.current is None or run_id != self.current:
                return
            if self.reason is None:
                self.reason = why
            if not self.interruptible or self.interrupted_at is not None:
                return
            self.interrupted_at = _monotonic()
            if _getsignal(signal.SIGINT) is self._sigint:
                _kill(_getpid(), signal.SIGINT)
            else:
                self._raise_in_main()

    def _on_sigint(self, signum: int, frame: Any) -> None:
        """Our SIGINT handler: a KeyboardInterrupt while the learner's code runs, and nothing
        otherwise (a SIGINT sent just as the run ended is not the worker's own code's to take)."""
        if self.interruptible:
            raise KeyboardInterrupt

    def _raise_in_main(self) -> None:
        self.async_sent = True
        self._set_async_exc(self._main_thread, ctypes.py_object(KeyboardInterrupt))

    def _stop_interrupts(self) -> None:
        """End the run's interruptible window (in the main thread, once the learner's code is done).

        Interrupts are sent under the lock while the window is open, so none is sent after this;
        an async one sent before and not yet raised is taken here, under the same lock, and a
        SIGINT by :meth:`_on_sigint`. It is taken by raising it, not cleared with
        ``PyThreadState_SetAsyncExc(id, NULL)``: in CPython 3.11 that leaves the interpreter's
        "eval breaker" set for good, and then, with a trace or profile function set
        (``sys.settrace``), the next Python call spins in C for ever.
        """
        with self.lock:
            self.interruptible = False
            if self.async_sent:
                self.async_sent = False
                # not contextlib.suppress(): the pending one would be raised on calling it
                try:  # noqa: SIM105
                    _interrupt_point()
                except KeyboardInterrupt:
                    pass

    def _may_wait(self) -> bool:
        """Whether the current run may wait for what its code left going: not once the worker
        has set out to stop it (a timeout, a cancel, its output or memory over the limit)."""
        with self.lock:
            return self.reason is None

    def _stopping(self) -> bool:
        """Whether the worker has set out to stop the current run: a KeyboardInterrupt in its
        exit callbacks is then ours, not one the learner's callback raised."""
        return not self._may_wait()

    def _began(self, run_id: int, timeout: float | None) -> None:
        """The learner's code of run ``run_id`` begins: its timeout counts from now, here and in
        the client's watchdog. Not when its start (compiling the code) already overran what it
        was allowed: compile() holds the GIL, so the watchdog could not stop it in time, and the
        run stops here, not begun, as the CPU worker stops it (in a process of its own)."""
        with self.lock:
            overran = self.deadline is not None and _monotonic() >= self.deadline
            if overran:
                if self.reason is None:
                    self.reason = "not_begun"
                self.interrupted_at = _monotonic()  # the watchdog sends no second one
            else:
                self.began = True
                if timeout:
                    self.deadline = _monotonic() + timeout
        if overran:
            raise KeyboardInterrupt  # out of the runner, before the learner's first line
        self.send({"type": "began", "id": run_id})

    def _watch(self, run_id: int, done: _Flag) -> None:
        rss_cap = _rss() + self.limits.memory_mb * MB if self.limits.memory_mb > 0 else None
        backup_sent = False
        while not done.wait(0.05):
            now = _monotonic()
            # its run's (or, should this watch outlive its run, a later run's: harmless, since
            # interrupt() stops only the run it names)
            deadline = self.deadline
            if deadline is not None and now >= deadline:
                self.interrupt("timeout" if self.began else "not_begun", run_id)
            elif rss_cap is not None and _rss() > rss_cap:
                self.interrupt("oom", run_id)
            since = self.interrupted_at
            if since is not None and not backup_sent and now - since >= self.limits.grace_s:
                backup_sent = True  # SIGINT ignored or swallowed: the async exception, once
                with self.lock:  # as in interrupt(): only into this run, while it takes them
                    if self.interruptible and self.current == run_id:
                        self._raise_in_main()

    # -- serving ------------------------------------------------------------------------------
    def serve(self) -> None:
        while not self.recycle:
            request = self.requests.get()
            if request is None or self.channel.closed:
                return  # the app left: nobody reads what a run still queued would answer
            if request.get("op") == "run":
                self.run(request)

    def run(self, request: Message) -> None:
        from sandbox.runner import execute

        run_id = request["id"]
        timeout = request.get("timeout")
        threads_before = set(threading.enumerate())
        fds_before = _open_fds()
        cwd, path = os.getcwd(), list(sys.path)
        with self.lock:
            cancelled_early = self.queued.pop(run_id, False)
            self.current, self.output_cap = run_id, OutputCap(self.limits.output_bytes)
            self.reason = "cancelled" if cancelled_early else None
            self.interrupted_at = None
            # until its code begins, the run is allowed its start (compiling the code) too
            allowed = timeout + self.limits.start_allowance_s if timeout else None
            self.deadline = _monotonic() + allowed if allowed else None
            self.began = False
        start = time.perf_counter()
        done = _Flag()
        watcher = self._start(self._watch, f"watch-{run_id}", run_id, done)
        child: dict[str, Any] | None = None
        try:
            # The run takes interrupts only inside this try: one that lands in our code just
            # before or after the learner's ends up in the except below, not in serve().
            with self.lock:
                # Cancelled (or out of time) before it began: it does not begin.
                self.interruptible = self.reason is None
            if self.interruptible:
                # in a context of its own: what the run sets in context variables (decimal's
                # context, numpy's print options and error handling, torch.compile's config)
                # ends with it
                began = functools.partial(self._began, run_id, timeout)

                def at_exit(result: dict[str, Any]) -> None:
                    # as a forked run's process does before it exits, still taking interrupts;
                    # after threading's exit callbacks this process serves no more runs
                    if self._may_wait() and wait_at_exit(result, skip=threads_before):
                        self.recycle = True

                child = contextvars.copy_context().run(
                    execute, request, self.limits, self.device, began, at_exit, self._stopping
                )
            self._stop_interrupts()
        except BaseException as exc:  # an interrupt that landed outside the learner's code
            try:
                self._stop_interrupts()
            except KeyboardInterrupt:  # the second of the two a run can be sent, landing now
                self._stop_interrupts()
            if child is None:
                child = {"status": "error", "error": _describe_interrupted(exc)}
        finally:
            done.set()
        # Before anything else of ours: what follows runs on our streams, limits and hooks.
        self._reset(cwd, path)
        self._flush_output()
        with self.lock:
            self.current = None
            reason = self.reason
            truncated = self.output_cap.reached
        leaked = [
            t
            for t in threading.enumerate()
            if t not in threads_before and t not in self._own_threads and t.is_alive()
        ]
        watcher.join(1.0)  # its reads of /proc/self/statm are not the run's fds
        leaked_fds = _leaked_fds(fds_before)
        kill_children()
        # the thread the run's finished code left running, which the wait for it was stopped at
        left_running = child.pop(LEFT_RUNNING_KEY, None) if child else None
        result = finalize(
            child,
            reason=reason,
            timeout=timeout,
            limits=self.limits,
            device=self.device,
            has_check=request.get("check") is not None,
            left_running=left_running,
        )
        if child and child.get("status") == "oom" and reason is None:
            result["status"] = "oom"
        result["output_truncated"] = truncated
        result["duration_s"] = time.perf_counter() - start
        if leaked or leaked_fds:
            self.recycle = True
        message: Message = {"type": "result", "id": run_id, "result": result}
        if self.recycle:
            message["worker_exiting"] = True  # the client starts a fresh worker
        self._send_result(message)

    def _send_result(self, message: Message) -> None:
        """Send a run's result, unless the run closed or replaced our result pipe
        (``os.closerange(3, ...)``, ``os.dup2(1, fd)``): then no answer can reach the client, nor
        go into the learner's output, and this process exits with :data:`UNREPORTED`, which the
        client words as for a forked run that could not report. (Why cannot be said: the run is
        over, and its output goes the same way.)"""
        try:
            if file_id(self.channel.res_fd) != self.result_pipe:
                raise OSError  # closed (None) or another file
            self.send(message)
        except OSError:
            self._real_exit(UNREPORTED)

    def _exit_after_output(self, real_exit: Callable[[int], NoReturn]) -> Callable[[int], NoReturn]:
        """``os._exit`` for a run's code: what the run printed reaches the client first. The
        pumps that forward it are threads of this process, which the real one stops at once, so
        ``print("before"); os._exit(1)`` lost "before". A forked child's exit is left alone (it
        has no pumps to wait for), and so is ours outside a run."""
        main_pid = os.getpid()

        @functools.wraps(real_exit)
        def _exit(status: int) -> NoReturn:  # os._exit(status=3) works too
            if os.getpid() == main_pid and self.current is not None:
                with contextlib.suppress(BaseException):
                    self._flush_output()
            real_exit(status)

        return _exit

    def _flush_output(self) -> None:
        """Wait until the pumps have forwarded everything the run wrote (up to our end marker),
        2 s at most; not where the marker cannot go or its pump has ended (the run closed our
        pipes: the worker is replaced then)."""
        flush_all()
        sent = []
        for stream, fd in self.pipe_ends.items():
            self.markers[stream].clear()
            with contextlib.suppress(OSError):
                _write(fd, _END_FRAME if stream == FRAMES else _END)
                sent.append(stream)
        deadline = _monotonic() + 2.0
        for stream in sent:
            while not self.markers[stream].wait(0.02) and self.pumps[stream].is_alive():
                if _monotonic() > deadline:
                    break

    def _reset(self, cwd: str, path: list[str]) -> None:
        """Put the process back as the run found it; what cannot be put back recycles the worker."""
        problems = self.state.restore()
        with contextlib.suppress(Exception):
            os.chdir(cwd)
        sys.path[:] = path
        self._reset_torch()
        gc.collect()
        self._reset_device()
        if problems:
            self.recycle = True

    def _reset_torch(self) -> None:
        """torch's global defaults, set after every run whether or not the run changed them."""
        import torch
        from torch.nn.modules import module as nn_module
        from torch.optim import optimizer

        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.set_num_threads(self.limits.threads)
        if torch.are_deterministic_algorithms_enabled():
            torch.use_deterministic_algorithms(False)
        torch.autograd.set_detect_anomaly(False)
        torch.set_printoptions(profile="default")
        reseed(torch, all_devices=True)  # as a fresh process: no stream a run seeded goes on
        # global hooks: nn.Module's (forward, backward, buffer/parameter/module registration) and
        # the optimizers' step hooks (register_optimizer_step_pre_hook)
        for module in (nn_module, optimizer):
            for name in dir(module):
                if name.startswith("_global_") and name.endswith("hooks"):
                    hooks = getattr(module, name)
                    if isinstance(hooks, dict):
                        hooks.clear()

    def _reset_device(self) -> None:
        """Empty the caching allocator and re-apply our cap on it (a run may have raised it)."""
        if self.device.startswith("cuda"):
            import torch

            with contextlib.suppress(Exception):
                torch.cuda.synchronize()
                torch.cuda.empty_cache()
                torch.cuda.set_per_process_memory_fraction(self.limits.cuda_memory_fraction)


__all__ = ["InProcessWorker", "current_address_space"]
