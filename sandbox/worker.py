"""The warm worker: ``python -m sandbox.worker --kind cpu|cuda --req-fd R --res-fd W``.

It imports torch once, says ``ready``, then serves run requests read from fd R and answers on fd W
(JSON lines, see :mod:`sandbox.protocol`). It exits when the request pipe closes, and Linux kills
it (PR_SET_PDEATHSIG) if its parent dies first.

* ``cpu``: this warm process forks a server (:func:`supervise`), and puts a new one in its place
  at once if a run or the OOM killer kills it. Every run is a fresh ``fork()`` of the server, in
  its own process group, with fd 0 on /dev/null, fd 1/2 on pipes, RLIMIT_AS capped. The server
  never runs learner code, so it survives segfaults, ``os._exit``, floods and endless loops; it
  enforces timeouts (SIGINT, then SIGKILL to the group after a grace period), counted from when
  the run says its learner's code begins (:data:`BEGAN`), cancels, and the output cap (stopped
  the same way, what comes past the cap dropped). A run's process ends as plain ``python``
  does, waiting for the non-daemon threads and processes its code left going
  (:func:`wait_as_python_exits`), within its timeout. The worker keeps torch at
  one thread: GNU OpenMP hangs in a forked child once the parent has run a parallel region, so
  only the children raise the thread count (to ``Limits.threads``, which a run cannot go past).
  Nor does it run a backward (autograd's per-device threads would refuse every child's), and on a
  machine with a GPU a run sees none (see :class:`ForkWorker`): CPU runs are CPU runs.
* ``cuda``: CUDA must not be initialised in a process that forks, so this worker holds one CUDA
  context and runs snippets in-process (see :mod:`sandbox.inprocess`).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import errno
import functools
import gc
import importlib
import io
import json
import mmap
import os
import random
import resource
import select
import signal
import struct
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any, NoReturn

from sandbox import tensor_scan
from sandbox.limits import (
    Limits,
    cap_address_space,
    child_pids,
    cpu_limit_s,
    kill_group,
    libc,
    oom_kills,
    ran_out_of_memory,
    set_child_subreaper,
    set_pdeathsig,
    signal_name,
)
from sandbox.outcome import UNREPORTED, finalize, run_died, thread_name
from sandbox.private_builtins import PRIVATE_BUILTINS
from sandbox.protocol import LineBuffer, Message, decode, encode, output_message
from sandbox.result import checked_result
from sandbox.warning_paths import shorten_library_warnings

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

READ_SIZE = 65536
POLL_S = 0.25  # how often a silent run is checked for an exited child
LAZY_IMPORTS = ("torch._dynamo",)
"""Slow imports that torch makes on first use of common paths: every optimizer imports
torch._dynamo (~800 modules with sympy, ~0.9 s). Importing them at start would slow every start, and
leaving them to the forked runs would make each run that builds an optimizer pay again; so the warm
worker imports them once it is idle after start (:func:`preload_while_idle`), or as soon as a run
has shown that one is needed (see :func:`keep_lazy_imports`), whichever comes first."""
PRELOAD_STEPS = ("sympy", "torch.fx.experimental.symbolic_shapes", "torch.distributed.fsdp")
"""Pieces of :data:`LAZY_IMPORTS` that import alone, in order, each a fraction of the whole (on an
idle 2-core machine sympy ~0.26 s, symbolic_shapes ~0.02 s, fsdp ~0.3 s, then torch._dynamo
itself ~0.6 s): a preload (:func:`preload_while_idle`) looks for a request between them, so one
that arrives meanwhile waits for the piece under way and, after the last piece, for the freeze
too (:func:`freeze_heap`, ~0.14 s): 0.4 s the longest wait measured."""
PRELOAD_GRACE_S = 0.5
"""How long the worker waits, idle, before it preloads: the first run after start, sent as soon
as the worker is ready (a lesson opened with a run), starts at once."""
LAZY_KEY = "_lazy_imports"  # in a child's result: the LAZY_IMPORTS its run imported
LEFT_RUNNING_KEY = "_left_running"
"""In a child's result: the thread its code left running that the worker stopped the run waiting
for, once the code had finished (:func:`sandbox.runner.thread_whereabouts`; see
:func:`wait_at_exit`)."""
BEGAN = b"began\n"
"""What a run's process writes on its result pipe, ahead of its result, as its learner's code
begins: its timeout counts from there (see :class:`~sandbox.limits.Limits`)."""
CPU_LIMIT_SHORTFALL = 0.05
"""How far below its CPU-time limit a run's reported CPU time may be when the kernel killed it at
that limit (see :attr:`Ended.over_cpu_limit`)."""
_kept: set[str] = set()
IDLE_DEATHS = 5
"""Servers killed in a row with no run in hand after which the CPU worker gives up (see
:func:`supervise`)."""


def freeze_heap() -> None:
    """Collect, then move every object left out of the collector's sight (``gc.freeze``).

    A warm worker holds ~400k objects from torch's imports for its whole life; frozen, they are not
    scanned by the full collections of later runs (~60 ms each otherwise), and a forked run's
    collections do not touch, and so copy, the pages they share with the worker.
    """
    gc.collect()
    gc.freeze()


def keep_lazy_imports(names: Container[str]) -> None:
    """Import here those of :data:`LAZY_IMPORTS` that are in ``names`` (once), then freeze."""
    new = [name for name in LAZY_IMPORTS if name in names and name not in _kept]
    if not new:
        return
    for name in new:
        _kept.add(name)
        with contextlib.suppress(Exception):  # an odd torch build must not take the worker down
            importlib.import_module(name)
    freeze_heap()


def preload_while_idle(
    channel: Channel,
    steps: tuple[str, ...] = (*PRELOAD_STEPS, *LAZY_IMPORTS),
    grace_s: float = PRELOAD_GRACE_S,
) -> bool:
    """Import ``steps`` (by default :data:`LAZY_IMPORTS`, in the pieces :data:`PRELOAD_STEPS`)
    while no request is waiting on ``channel``, once it has been idle ``grace_s``; ``True`` once
    all are imported (then kept as :func:`keep_lazy_imports` keeps them, and frozen).

    A request that arrives stops it before the next piece, left unread for the caller: it waits
    for the piece under way, and, where that was the last, for the freeze as well. What was
    imported stays; a later idle moment goes on."""
    if channel.pending or _request_waiting(channel, grace_s):
        return False
    imported = False
    done = True
    for name in steps:
        if name in sys.modules:
            continue
        if _request_waiting(channel, 0):
            done = False
            break
        imported = True
        with contextlib.suppress(Exception):  # an odd torch build must not take the worker down
            importlib.import_module(name)
    if done:
        _kept.update(name for name in steps if name in LAZY_IMPORTS)
        # only once all are in, even with a request come during the last piece (it waits for
        # this too); a preload stopped early leaves the freeze to the next one, or to a run's
        # keep_lazy_imports
        if imported:
            freeze_heap()
    return done


def _request_waiting(channel: Channel, within_s: float) -> bool:
    """Whether the request pipe has something to read, or the client has gone (its end reads as
    readable), within ``within_s`` seconds."""
    readable, _, _ = select.select([channel.req_fd], [], [], within_s)
    return bool(readable)


class Channel:
    """The worker's end of the protocol pipes.

    ``serving``, where a supervisor forks the process serving runs (:func:`supervise`): each run
    request read is noted there, for the supervisor to name it should the server die before the
    run begins."""

    def __init__(self, req_fd: int, res_fd: int, serving: ServingRun | None = None) -> None:
        self.req_fd = req_fd
        self.res_fd = res_fd
        self.lines = LineBuffer()
        self.pending: list[Message] = []
        self.closed = False
        self.serving = serving

    def send(self, message: Message, *, fresh_line: bool = False) -> None:
        """Write one message; ``fresh_line`` begins it on a line of its own, for a writer that
        follows one killed mid-message (the client skips the cut line, not this one)."""
        write_all(self.res_fd, (b"\n" if fresh_line else b"") + encode(message))

    def read_available(self) -> list[Message]:
        """Read once from the request pipe (call when select says it is readable)."""
        try:
            data = os.read(self.req_fd, READ_SIZE)
        except InterruptedError:
            return []
        if not data:
            self.closed = True
            return []
        messages = self.lines.feed(data)
        if self.serving is not None:
            for message in messages:
                if message.get("op") == "run":
                    self.serving.taken = message.get("id")
        return messages

    def next_message(self) -> Message | None:
        """Block until a request arrives; ``None`` once the client has gone."""
        while not self.pending:
            if self.closed:
                return None
            self.pending.extend(self.read_available())
        return self.pending.pop(0)


def flush_all() -> None:
    """Flush Python's streams and C stdio buffers (``puts``/``printf`` from extensions)."""
    # ours too, if replaced; ours as they are flushed twice: harmless, and a set of them by id()
    # would call a builtin the run may have replaced, in the run's process after its code
    for stream in (sys.stdout, sys.stderr, *_own_streams.values()):
        with contextlib.suppress(Exception):
            stream.flush()
    if (lib := libc()) is not None:
        with contextlib.suppress(Exception):
            lib.fflush(None)


FRAME = struct.Struct("<BH")
"""A frame's head on the output channel (see :func:`rebind_stdio`): what it is (:data:`MARK`,
:data:`STDOUT` or :data:`STDERR`) and how many bytes follow."""
MARK, STDOUT, STDERR = 0, 1, 2  # MARK: the in-process worker's end-of-run marker, no output
STREAM_NAMES = {STDOUT: "stdout", STDERR: "stderr"}
FRAME_DATA = select.PIPE_BUF - FRAME.size
"""The most bytes one frame carries: a whole frame is at most PIPE_BUF, which one ``write`` to a
pipe puts in at once, so threads and forked processes writing together never split a frame."""

# bound at import: a run that patches os (or builtins) still has its output and result written
_write, _fstat, _memoryview = os.write, os.fstat, memoryview
_frame_lock = threading.RLock()  # re-entrant: a signal handler that prints mid-write goes on
_channel: int | None = None  # the output channel's write end, given to rebind_stdio
_own_streams: dict[int, io.TextIOWrapper] = {}  # the streams rebind_stdio made last, by id
_turn = [MARK]  # the stream whose frame went last (MARK: none yet)
_given: dict[int, tuple[int, int] | None] = {}  # fd 1/2 as the worker gave them, by fd
_fd_moves = [0]
"""Counts the calls that can have closed or replaced an fd (see :func:`_counting_fd_moves`): a
:class:`FramedBuffer` looks at its fds again only when it has changed, not on every write."""


def write_all(fd: int, data: Any) -> None:
    """Write all of ``data`` (a bytes-like object) to ``fd``, however many writes it takes,
    through the ``os.write`` bound at import (:data:`_write`)."""
    view = _memoryview(data).cast("B")
    while view:
        try:
            n = _write(fd, view)
        except InterruptedError:
            continue
        view = view[n:]


def _new_frame_lock() -> None:
    """In a forked child (multiprocessing, a DataLoader worker): a lock held by a thread of the
    parent as it forked would be held for good."""
    global _frame_lock
    _frame_lock = threading.RLock()


os.register_at_fork(after_in_child=_new_frame_lock)


def _counting_fd_moves(move: Callable[..., Any]) -> Callable[..., Any]:
    """``move`` (``os.dup2``, ``os.close``, ``os.closerange``), counted in :data:`_fd_moves`."""

    @functools.wraps(move)
    def counted(*args: Any, **kwargs: Any) -> Any:
        try:
            return move(*args, **kwargs)
        finally:
            _fd_moves[0] += 1

    counted._counts_fd_moves = True  # type: ignore[attr-defined]
    return counted


def count_fd_moves() -> None:
    """Have ``os.dup2``/``os.close``/``os.closerange`` counted (once): how a run points fd 1/2
    elsewhere (``os.dup2(f.fileno(), 1)``, silencing with ``os.devnull``) or closes the channel."""
    for name in ("dup2", "close", "closerange"):
        move = getattr(os, name)
        if not getattr(move, "_counts_fd_moves", False):
            setattr(os, name, _counting_fd_moves(move))
    _fd_moves[0] += 1


def _same_file(fd: int, identity: tuple[int, int] | None) -> bool:
    """Whether ``fd`` is still open on the file ``identity`` names (see :func:`file_id`)."""
    return identity is not None and file_id(fd) == identity


class FramedBuffer(io.BufferedIOBase):
    """The binary layer (``.buffer``) under a run's ``sys.stdout`` or ``sys.stderr``: each write
    goes to the output channel at once, as frames tagged with the stream, so the worker reads
    both streams in the order written. The text layer above holds a partial line (it is
    line-buffered); a write here first lets the other stream's partial line go, so that
    ``print("loading...", end="")`` stays ahead of a warning written after it.

    ``fileno()`` is still fd 1 or 2 (the pipes C-level code and subprocesses write to); what
    arrives there is ordered against the frames only roughly, by when the worker reads it.
    Writes go to fd 1 or 2 as plain bytes instead, as a plain ``sys.stdout`` would, when the run
    has pointed that fd elsewhere (``os.dup2(f.fileno(), 1)``, ``os.dup2(devnull, 2)``) and when
    the channel is gone or replaced (``os.closerange(3, ...)``, ``os.dup2(1, fd)``): a frame
    never lands in anything but the channel. The fds are looked at again only after a call that
    can have moved them (:func:`count_fd_moves`) or a failed write, not on every write."""

    def __init__(self, channel: int, fd: int, stream: int) -> None:
        super().__init__()
        self._channel, self._fd, self._stream = channel, fd, stream
        self._channel_id, self._fd_id = file_id(channel), _given.get(fd, file_id(fd))
        self._looked_at = _fd_moves[0]  # the count of fd moves when the fds were looked at
        self._framed = True  # whether writes go to the channel (else plainly to fd 1/2)
        self._raw: io.FileIO | None = None
        self.name = fd  # as open(fd) names it

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return False

    @property
    def raw(self) -> io.FileIO:
        """fd 1 or 2 itself, as a ``BufferedWriter``'s ``raw`` is (unframed, as C-level output)."""
        if self._raw is None:
            self._raw = io.FileIO(self._fd, "w", closefd=False)
        return self._raw

    def write(self, data: Any) -> int:  # a bytes-like object, as BufferedIOBase.write takes
        if self.closed:
            raise ValueError("write to closed file")
        if _turn[0] != self._stream:
            self._take_turn()
        if self._looked_at != _fd_moves[0]:
            self._look_at_fds()
        if self._framed:
            try:
                if type(data) is bytes and len(data) <= FRAME_DATA:  # a line, as a rule: a frame
                    with _frame_lock:  # not between another thread's frames of one write
                        _write(self._channel, FRAME.pack(self._stream, len(data)) + data)
                    return len(data)
                return self._write_frames(data)
            except OSError:
                self._look_at_fds()  # closed by other means than os.close: plain, or raise
                if self._framed:
                    raise
        size = memoryview(data).nbytes
        write_all(self._fd, data)
        return size

    def _take_turn(self) -> None:
        """Let the other stream's partial line go first (its flush comes back to ``write``)."""
        other = _own_streams.get(STDOUT + STDERR - self._stream)
        _turn[0] = STDOUT + STDERR - self._stream  # its flush comes back here: no loop
        if other is not None:
            try:  # noqa: SIM105 - a try costs nothing; suppress() costs a call per switch in a flood
                other.flush()
            except (OSError, ValueError):  # closed, or its pipe gone
                pass
        _turn[0] = self._stream

    def _write_frames(self, data: Any) -> int:
        """Write ``data`` to the channel as frames, however long."""
        view = memoryview(data).cast("B")
        size = len(view)
        # one lock across the frames: a long write stays whole against this process's threads
        with _frame_lock:
            for start in range(0, size, FRAME_DATA):
                piece = view[start : start + FRAME_DATA]
                _write(self._channel, FRAME.pack(self._stream, len(piece)) + piece)
        return size

    def _look_at_fds(self) -> None:
        """Frame writes only while the channel and fd 1/2 are still the pipes they were."""
        self._looked_at = _fd_moves[0]
        self._framed = _same_file(self._channel, self._channel_id) and _same_file(
            self._fd, self._fd_id
        )


def rebind_stdio(channel: int | None = None) -> None:
    """Point ``sys.stdout``/``sys.stderr`` (and ``sys.__stdout__``/``sys.__stderr__``, so that
    undoing a capture with them keeps the order) at new line-buffered streams that write framed
    to the output ``channel``, the write end of a pipe the worker reads (:class:`FramedBuffer`);
    without one, to the channel given last.

    The streams live as long as the process, so no context manager applies; undecodable text is
    escaped rather than raised, since learners print anything. Their text layer is C's own: a
    print's text and its "\\n" go in with no Python code between them, so no other thread's
    write comes between them either.
    """
    global _channel
    if channel is not None:
        _channel = channel
        _given.update({fd: file_id(fd) for fd in (1, 2)})  # what "pointed elsewhere" is against
    if _channel is None:
        raise RuntimeError("rebind_stdio() needs an output channel first")
    count_fd_moves()
    for name, fd, stream_id in (("stdout", 1, STDOUT), ("stderr", 2, STDERR)):
        stream = io.TextIOWrapper(
            FramedBuffer(_channel, fd, stream_id),
            encoding="utf-8",
            errors="backslashreplace",
            line_buffering=True,
        )
        stream.mode = "w"  # as open() sets it
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
        _own_streams[stream_id] = stream
    _turn[0] = MARK


class Unframer:
    """Reads the output channel's frames back (see :func:`rebind_stdio`), whatever the reads cut."""

    def __init__(self) -> None:
        self.pending = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        """The frames ``data`` completes, as (kind, bytes); runs of one stream's frames joined.
        Bytes that are no frame (the run wrote on the channel itself) count as stdout."""
        buf = self.pending
        buf += data
        runs: list[tuple[int, list[bytearray]]] = []  # a run's pieces, joined once at the end
        pos, head = 0, FRAME.size
        while len(buf) - pos >= head:
            kind, size = FRAME.unpack_from(buf, pos)
            if kind not in (MARK, STDOUT, STDERR):
                kind, end, start = STDOUT, len(buf), pos
            else:
                start, end = pos + head, pos + head + size
                if end > len(buf):
                    break
            piece = buf[start:end]  # a bytearray: the join below makes the one bytes copy
            if runs and runs[-1][0] == kind != MARK:
                runs[-1][1].append(piece)
            else:
                runs.append((kind, [piece]))
            pos = end
        del buf[:pos]
        return [(kind, b"".join(pieces)) for kind, pieces in runs]


Chunks = list[tuple[str, str]]
"""A run's output as (stream, text) chunks, in the order written."""

CUT_LINE_BYTES = 1024
"""The most of a line the output cap leaves out rather than show cut short: a line half printed
(``l`` of ``line 96335``, ``value 10`` of ``value 1000292``) says nothing, or what is not so,
and puts the cap's note after a fragment. More, in one piece with no line break (one huge
print), is kept as far as the cap; a progress bar redrawn with ``\\r`` in small pieces stops at
its last whole piece."""


class OutputCap:
    """The cap on one run's output: its streams' bytes counted together, up to ``limit``.

    What reaches the cap is cut at its last line break, so the output ends on a whole line (or,
    where a line begun in earlier output is cut short, on what was already passed on of it:
    ``value `` then the cap's note, not ``value 10`` of ``value 1000292``), when what would be
    kept after that break is at most :data:`CUT_LINE_BYTES`; more is kept as far as the cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.reached = False

    def keep(self, data: bytes) -> bytes:
        """What the cap lets through of ``data``, the run's next output on either stream; once
        it is reached (:attr:`reached`, and the run is to be stopped), nothing."""
        if self.reached:
            return b""
        room = self.limit - self.total
        if len(data) > room:
            data = data[: max(room, 0)]
            self.reached = True
            line_start = data.rfind(b"\n") + 1
            if len(data) - line_start <= CUT_LINE_BYTES:
                data = data[:line_start]
        self.total += len(data)
        return data


class FrameReader:
    """The output channel read back as text: frames unframed (:class:`Unframer`), then each
    stream's bytes decoded on its own, so that a character cut between two frames comes whole.

    ``cap``, where given, gets each frame's bytes before they are decoded and gives back what
    the output cap leaves of them (:class:`OutputCap`: the forked worker caps so; the
    in-process one caps as it forwards the text, in ``InProcessWorker._forward_all``).
    ``marks``: whether an end mark ends a batch (see :meth:`feed`); where there are none to
    expect (a forked run's channel: one there is the run's own bytes), it is passed over."""

    def __init__(self, cap: Callable[[bytes], bytes] | None = None, *, marks: bool = True) -> None:
        self._unframer = Unframer()
        self._decoders = {
            kind: codecs.getincrementaldecoder("utf-8")("replace") for kind in STREAM_NAMES
        }
        self._cap = cap
        self._marks = marks

    def feed(self, data: bytes) -> list[tuple[Chunks, bool]]:
        """What ``data`` completes, in batches of chunks (no empty text): each ends at an end mark
        (``True``: the streams' :meth:`tails` last in it, all of a run's output before the mark),
        and the last at the end of ``data`` (``False``)."""
        batches: list[tuple[Chunks, bool]] = []
        chunks: Chunks = []
        # local names: this loop runs once per line of an alternating flood
        decoders, cap, names, add = self._decoders, self._cap, STREAM_NAMES, chunks.append
        for kind, payload in self._unframer.feed(data):
            if kind != MARK:
                text = decoders[kind].decode(payload if cap is None else cap(payload))
                if text:
                    add((names[kind], text))
            elif self._marks:
                batches.append((chunks + self.tails(), True))
                chunks.clear()
        batches.append((chunks, False))
        return batches

    def tails(self) -> Chunks:
        """What each stream's decoder still holds (a character cut short), as text; it starts
        afresh."""
        tails = (
            (kind, decoder.decode(b"", final=True)) for kind, decoder in self._decoders.items()
        )
        return [(STREAM_NAMES[kind], text) for kind, text in tails if text]


def read_report(
    data: bytes,
) -> tuple[dict[str, Any] | None, list[str], dict[str, Any] | None]:
    """What a run's process reported on its result pipe after :data:`BEGAN`: its result, checked
    (:func:`~sandbox.result.checked_result`), the :data:`LAZY_IMPORTS` its run imported, and the
    thread its code left running that stopped the run (:data:`LEFT_RUNNING_KEY`), if any.

    ``(None, [], None)`` when no whole line came (it died first: how it died says why).
    ``ValueError`` when what came is not the runner's one line of a result: the learner's code
    can find the pipe among its fds and write on it, and nothing it wrote may reach the client, or
    this worker's own use of the report (the names to import), as something other than the
    runner's."""
    line, newline, rest = data.partition(b"\n")
    if not newline:
        return None, [], None
    if rest.strip():
        raise ValueError("more than one line came on the result pipe")
    report = decode(line)
    needed = report.pop(LAZY_KEY, [])
    if not isinstance(needed, list) or not all(isinstance(name, str) for name in needed):
        raise ValueError(f"{LAZY_KEY} should be a list of module names")
    left_running = report.pop(LEFT_RUNNING_KEY, None)
    if left_running is not None and not _is_whereabouts(left_running):
        raise ValueError(f"{LEFT_RUNNING_KEY} should name a thread, its line and its frames")
    return checked_result(report), needed, left_running


def _is_whereabouts(value: object) -> bool:
    """Whether ``value`` is what :func:`sandbox.runner.thread_whereabouts` gives: a line of the
    code (from 1) or none, and a thread's name as a message names it (on one line, cut: see
    :func:`~sandbox.outcome.thread_name`)."""
    if not isinstance(value, dict) or set(value) != {"thread", "line", "traceback"}:
        return False
    line, thread = value["line"], value["thread"]
    line_ok = line is None or (isinstance(line, int) and not isinstance(line, bool) and line >= 1)
    thread_ok = isinstance(thread, str) and thread == thread_name(thread)
    return thread_ok and isinstance(value["traceback"], str) and line_ok


def _pidfd(pid: int) -> int | None:
    """A file descriptor that becomes readable when child ``pid`` exits (Linux 5.3+), or None."""
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


def kill_children(within: float = 1.0) -> None:
    """Kill (and reap) every child of this worker, with the process groups they lead.

    Between runs a worker has no children of its own, so every one left was started by a run:
    directly, or in a session of its own (``setsid``, ``start_new_session=True``), which a kill of
    the run's group misses. Once the process that started such a one has exited, it is re-parented
    to this worker, a subreaper (:func:`~sandbox.limits.set_child_subreaper`).
    """
    end = time.monotonic() + within
    while (pids := child_pids()) and time.monotonic() < end:
        for pid in pids:
            kill_group(pid, signal.SIGKILL)  # the group it leads, if any
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        reap_children()
        time.sleep(0.002)


def reap_children() -> None:
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return


JOIN_POLL_S = 0.1
"""How often :func:`wait_as_python_exits` looks whether what it waits for has ended: between
looks, an interrupt sent as an async exception (the in-process worker's backup) can land."""


def wait_as_python_exits(skip: Container[threading.Thread] = ()) -> bool:
    """Wait, as plain ``python`` does as the script ends, for what a run's code left going: its
    non-daemon threads (threading's shutdown: the callbacks registered with it first, which stop
    an executor's idle workers, then a join of each), then its multiprocessing children that are
    not daemons (as multiprocessing's exit function, see :func:`_wait_for_processes`). What they
    print meanwhile is the run's output, and the run's timeout and cancel stop the wait (an
    interrupt raised here). Daemon threads are not waited for, nor are threads in ``skip``.

    Returns whether threading's exit callbacks ran: they leave process-wide state shut down
    (``concurrent.futures`` takes no more work), so a process that goes on serving runs must not.
    """
    ran_callbacks = False
    while leftovers := _threads_to_wait_for(skip):
        if not ran_callbacks:
            ran_callbacks = True
            for callback in reversed(list(getattr(threading, "_threading_atexits", ()))):
                try:
                    callback()
                except Exception:  # as Python's exit: said, and the rest still run
                    traceback.print_exc()
        for thread in leftovers:
            # slept, not joined: an interrupt landing in a join's wait leaves the thread marked
            # stopped while it runs on (Python 3.11), and the in-process worker then kept it
            while thread.is_alive():
                time.sleep(JOIN_POLL_S)
    _wait_for_processes()
    return ran_callbacks


def _threads_to_wait_for(skip: Container[threading.Thread]) -> list[threading.Thread]:
    """The living non-daemon threads other than this one and those in ``skip``."""
    me = threading.current_thread()
    return [
        thread
        for thread in threading.enumerate()
        if thread is not me and not thread.daemon and thread not in skip and thread.is_alive()
    ]


def _wait_for_processes() -> None:
    """Join multiprocessing's non-daemon children, as its exit function does.

    Not its daemon ones, which that function terminates first: a pool's workers are, and one
    terminated as it waits for work holds the pool's queue lock for good, so the pool's own
    clean-up (its finalizer, run when the pool is collected) then waits for ever. They go as they
    went before: the worker kills what a run leaves. Only children still alive are looked at: one
    the worker killed and reaped after an earlier run stays in multiprocessing's list, and waiting
    for it would never end."""
    process = sys.modules.get("multiprocessing.process")
    if process is None:
        return
    alive = set(child_pids())
    for child in process.active_children():
        if child.pid in alive and not child.daemon:
            while child.exitcode is None:
                time.sleep(JOIN_POLL_S)


def wait_at_exit(result: dict[str, Any], skip: Container[threading.Thread] = ()) -> bool:
    """A run's end (:func:`~sandbox.runner.execute`'s ``at_exit``): what its code left going is
    waited for (:func:`wait_as_python_exits`, not the threads in ``skip``), unless the run is
    being stopped; an interrupt meanwhile is the worker's timeout, cancel or output cap, which it
    knows and says. Its code (and check) has finished then, and the thread it was waiting for is
    noted in ``result`` (:data:`LEFT_RUNNING_KEY`), for a timeout or the output cap to name it
    and the line it was on: "stopped" names no line of the code, which had ended.

    Returns whether threading's exit callbacks may have run (see :func:`wait_as_python_exits`):
    ``True`` too where an interrupt cut the wait short, which does not say."""
    if stopped_by_interrupt(result):
        return False
    try:
        return wait_as_python_exits(skip)
    except KeyboardInterrupt:
        if leftovers := _threads_to_wait_for(skip):
            from sandbox.runner import thread_whereabouts  # loaded: the run's code ran there

            result[LEFT_RUNNING_KEY] = thread_whereabouts(leftovers[0])
        return True


def stopped_by_interrupt(result: dict[str, Any]) -> bool:
    """Whether the runner's ``result`` ended in an interrupt (the worker's timeout or cancel, in
    the code or in the check it ran): the run is being stopped, so nothing more is waited for."""
    error = result.get("error") or {}
    check = result.get("check") or {}
    params = check.get("params") or {}
    return error.get("type") == "KeyboardInterrupt" or "stopped" in params


@dataclass(frozen=True)
class Ended:
    """How a run's process ended: its wait status, and the CPU time it used against the CPU-time
    limit it had set itself (``resource.RLIMIT_CPU``; ``None`` when it set none)."""

    status: int
    cpu_s: float
    cpu_limit_s: float | None

    @property
    def over_cpu_limit(self) -> bool:
        # The kernel kills at the limit by the process's exact runtime; the rusage read back is
        # split from it by sampling and can fall short (0.990 s for a 1 s limit, seen here).
        limit = self.cpu_limit_s
        return limit is not None and self.cpu_s >= limit * (1 - CPU_LIMIT_SHORTFALL)


def reap_run(pid: int, *, block: bool = True) -> Ended | None:
    """Reap the run's process ``pid``; ``None`` if ``block`` is false and it is still running.

    Its CPU-time limit is read before it is reaped (a reaped process has none): a run that ignores
    SIGXCPU is killed by SIGKILL at that limit, which is otherwise the sign of the OOM killer.
    """
    flags = os.WEXITED | os.WNOWAIT | (0 if block else os.WNOHANG)
    if os.waitid(os.P_PID, pid, flags) is None:
        return None
    limit = cpu_limit_s(pid)
    _, status, usage = os.wait4(pid, 0)
    return Ended(status, usage.ru_utime + usage.ru_stime, limit)


def signal_run(pid: int, sig: int) -> None:
    """Signal the run's process group, and the run itself if it has left its group (for the
    worker's: ``os.setpgid(0, os.getpgid(os.getppid()))``), which the group's signal then
    missed. Only for a run not yet reaped: its pid is then free for another process to take.

    The run is signalled once: a second SIGINT, sent to it as well as to its group, could raise a
    second KeyboardInterrupt in the runner's handling of the first, and the run would report
    nothing (a timeout naming no line). One that leaves its group just after the group's signal
    gets two, which is no worse than it was.
    """
    kill_group(pid, sig)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) != pid:
            os.kill(pid, sig)


def file_id(fd: int) -> tuple[int, int] | None:
    """What ``fd`` is open on (device, inode); ``None`` once it is closed. Through the ``fstat``
    bound at import, as a run's stdout asks it (:func:`_same_file`) after the run patched ``os``."""
    try:
        st = _fstat(fd)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def allow_interrupts() -> bool:
    """Unblock SIGINT in a run's process; ``False`` if an interrupt was already waiting.

    The worker blocks SIGINT across the fork: it ignores SIGINT itself, so an interrupt sent
    before the run had set its own handler would be lost, and the run killed only after the
    grace period. Blocked, it waits until here, before any of the learner's code has run.
    """
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    except KeyboardInterrupt:
        return False
    return True


def cap_threads(torch: Any, most: int) -> None:
    """Hold this run's torch to ``most`` intra-op threads (``Limits.threads``, which leaves a core
    to the UI): ``torch.set_num_threads(64)`` gets ``most``, with a warning that says so."""
    set_num_threads = torch.set_num_threads

    def capped(n: int) -> None:
        if isinstance(n, int) and n > most:
            sandbox_warning(
                f"the sandbox runs torch on at most {most} thread(s), "
                f"so torch.set_num_threads({n}) uses {most}",
                sys._getframe(1),
            )
            n = most
        set_num_threads(n)

    torch.set_num_threads = capped


def sandbox_warning(text: str, caller: Any) -> None:
    """Show ``text`` as a RuntimeWarning of ``caller``'s line (a frame), once per line as Python
    shows one, but past the learner's warnings filters: it is the sandbox's advice, not Python's,
    and ``warnings.filterwarnings("error")`` turned it into the run's exception where the same code
    runs under plain ``python``. It goes to ``warnings.showwarning``, which the learner's own
    display of warnings (``logging.captureWarnings``, ``catch_warnings(record=True)``) replaces."""
    lineno = caller.f_lineno or 1
    key = (text, RuntimeWarning, lineno)
    registry = caller.f_globals.setdefault("__warningregistry__", {})
    if not isinstance(registry, dict) or registry.get(key):
        return
    registry[key] = True
    warnings.showwarning(RuntimeWarning(text), RuntimeWarning, caller.f_code.co_filename, lineno)


def reseed(torch: Any, *, all_devices: bool) -> None:
    """Give this run random streams of its own: torch's, and ``random``'s and numpy's from the
    same seed (numpy's only where ``numpy.random`` is loaded: a first import seeds itself).

    Runs are forks of one process (or, on CUDA, runs of one process), so without this every run
    would draw the same numbers, or continue a stream a run seeded (``random.seed(0)``).
    ``torch.seed()`` also queues a seed for each lazily initialised accelerator, and each queued
    call records a stack trace (~1.5 ms in a forked run); a forked run sees no GPU (see
    :class:`ForkWorker`), so only its CPU generator is seeded.
    """
    seed = torch.seed() if all_devices else torch.default_generator.seed()
    random.seed(seed)
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        with contextlib.suppress(Exception):
            numpy_random.seed(seed & 0xFFFF_FFFF)  # ~10 us; numpy's own reseeding costs ~200


CPU_RUN_NO_CUDA = "this run is on the CPU, where CUDA is not available: run it on the GPU to use it"


def refuse_cuda(torch: Any) -> None:
    """Make torch's first use of CUDA in this process raise at once, in words, without reaching
    the CUDA driver: a forked CPU run's parent may have started the driver (asking NVML whether
    there is a GPU did, on an H200), and after a fork its first call can hang (``.cuda()`` in a
    CPU run did). Every path that starts CUDA goes through ``torch.cuda._lazy_init``, the C++ ones
    (``torch.ones(1, device="cuda")``) too: they call it by name."""

    def _lazy_init() -> NoReturn:
        raise RuntimeError(CPU_RUN_NO_CUDA)

    torch.cuda._lazy_init = _lazy_init


def _run_id_slot(offset: int, doc: str) -> property:
    """A run id kept at ``offset`` in a :class:`ServingRun`'s shared memory (0: none)."""

    def get(self: ServingRun) -> int:
        return struct.unpack_from("q", self._memory, offset)[0]

    def set(self: ServingRun, run_id: object) -> None:
        in_range = isinstance(run_id, int) and 0 < run_id < 2**63
        struct.pack_into("q", self._memory, offset, run_id if in_range else 0)

    return property(get, set, doc=doc)


class ServingRun:
    """The runs a serving process has in hand, in memory it shares with the process that forked
    it: when the serving process is killed, that one can say which runs died with it (see
    :func:`supervise`): the one it was running, and one whose request it had read but not begun
    (it came with a cancel of the last, while that run was still ending)."""

    running = _run_id_slot(0, "The run in flight (0 between runs).")
    taken = _run_id_slot(8, "The last run request read from the pipe and not begun yet.")

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, 16)  # anonymous and shared: a fork writes where we read

    def take_ids(self) -> list[int]:
        """The runs in hand (none: 0), and none from now on."""
        ids = sorted({self.running, self.taken} - {0})
        self.running = self.taken = 0
        return ids


def supervise(channel: Channel, serve: Callable[[], None]) -> int:
    """Serve from a fork of this warm process, and put a new fork in its place when it is killed.

    A run's code can kill the process that serves it (``os.kill(os.getppid(), SIGKILL)``), and the
    system's OOM killer can pick it; a new worker would import torch again (~1.6 s). This process
    keeps the warm state untouched instead and forks the next server in milliseconds, after
    killing what the dead one left (its runs die with it by PDEATHSIG; processes they started in
    sessions of their own come back to this process, a subreaper). The client hears
    ``{"type": "exit", "code", "pid", "ids", "restarted": true}``, ``ids`` naming the runs that
    died with it (the channel's :class:`ServingRun`, which it must have), then the new server's
    ``ready``.

    Returns the exit code of a server that exits (the request pipe closed, or its own ``fatal``),
    or 1 once :data:`IDLE_DEATHS` servers in a row were killed with no run in hand (something
    kills every one: the client then starts afresh, rather than this process forking forever).
    Only this process's children are waited for, so it writes on the result pipe only while no
    server is alive: two writers could interleave a long message.
    """
    serving = channel.serving
    if serving is None:
        raise ValueError("supervise needs a channel that notes the runs read (serving=)")
    supervisor = os.getpid()
    idle_deaths = 0
    while True:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked server
            _serve_forked(channel, supervisor, serve)
        status = _wait_for(pid)
        if not os.WIFSIGNALED(status):
            return os.waitstatus_to_exitcode(status)
        kill_children()
        ids = serving.take_ids()
        idle_deaths = 0 if ids else idle_deaths + 1
        code = -os.WTERMSIG(status)
        if idle_deaths >= IDLE_DEATHS:
            reason = f"its server was killed {idle_deaths} times in a row ({signal_name(-code)})"
            channel.send({"type": "fatal", "message": reason}, fresh_line=True)
            return 1
        message = {"type": "exit", "code": code, "pid": pid, "ids": ids, "restarted": True}
        channel.send(message, fresh_line=True)


def _wait_for(pid: int) -> int:
    """The wait status of child ``pid``, reaping the orphans that come back to us meanwhile."""
    while True:
        done, status = os.waitpid(-1, 0)
        if done == pid:
            return status


def serve_at_arms_length(channel: Channel, serve: Callable[[], None]) -> int:
    """Serve from a forked child, and end as it ends: with its exit code, or killed by its signal.

    For the CUDA worker, which runs the learner's code in its own process: there,
    ``os.kill(os.getppid(), ...)`` would reach the app, and now reaches this process, whose
    death the app hears of (the child dies with it) as it would hear of the worker's. Forked before
    anything touches CUDA, which must not be initialised in a process that forks.
    """
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked server
        _serve_forked(channel, parent, serve)
    status = _wait_for(pid)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        with contextlib.suppress(OSError, ValueError):
            signal.signal(sig, signal.SIG_DFL)  # SIGKILL takes no handler
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # the child's crash: no second core
        os.kill(parent, sig)
    return os.waitstatus_to_exitcode(status)


def _serve_forked(
    channel: Channel, parent: int, serve: Callable[[], None]
) -> NoReturn:  # pragma: no cover - runs in the forked server
    """A forked server's life: dies with its parent, serves, exits with its own code."""
    code = 0
    try:
        set_pdeathsig(signal.SIGKILL)
        if os.getppid() != parent:  # it died as we were forked
            os._exit(0)
        set_child_subreaper()  # not inherited across fork
        serve()
    except BrokenPipeError:
        pass
    except BaseException as exc:
        code = 1
        with contextlib.suppress(BaseException):
            channel.send({"type": "fatal", "message": f"{type(exc).__name__}: {exc}"})
    os._exit(code)


class ForkWorker:
    """Serves runs by forking this warm, torch-loaded process once per run."""

    def __init__(
        self,
        channel: Channel,
        limits: Limits,
        *,
        hide_gpus: bool = False,
    ) -> None:
        self.channel = channel
        self.limits = limits
        # the run in flight, where the supervisor can read it (a channel without one: nobody will)
        self.serving = channel.serving or ServingRun()
        # A CPU run sees no GPU: CUDA cannot start under a run's address-space cap (it reserves
        # far more), so torch's own calls into it (an optimizer's step asks whether a CUDA graph is
        # being captured) failed with "CUDA error: out of memory" on a machine with a GPU; hidden,
        # torch.cuda.is_available() is False and .cuda() says so (see refuse_cuda)
        self.hide_gpus = hide_gpus

    def serve(self) -> None:
        preloaded = False
        while True:
            if not preloaded:
                preloaded = preload_while_idle(self.channel)
            message = self.channel.next_message()
            if message is None or message.get("op") == "shutdown":
                return
            if message.get("op") == "run":
                self.run(message)
                if self.channel.closed:
                    return

    # -- one run ------------------------------------------------------------------------------
    def _take_queued_cancel(self, run_id: int) -> bool:
        """Whether a cancel of run ``run_id`` came with its request (both read at once, as when
        they arrive while this worker is still busy after the previous run); it is taken out of
        the queue, where nothing would look at it."""
        for i, message in enumerate(self.channel.pending):
            if message.get("op") == "cancel" and message.get("id") == run_id:
                del self.channel.pending[i]
                return True
        return False

    def run(self, request: Message) -> None:
        self.serving.running, self.serving.taken = request["id"], 0
        try:
            self._run(request)
        finally:
            self.serving.running = 0

    def _run(self, request: Message) -> None:
        run_id = request["id"]
        timeout = request.get("timeout")
        if self._take_queued_cancel(run_id):
            result = finalize(
                None,
                reason="cancelled",
                timeout=timeout,
                limits=self.limits,
                device="cpu",
                has_check=request.get("check") is not None,
            )
            self.channel.send({"type": "result", "id": run_id, "result": result})
            return
        start = time.perf_counter()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        res_r, res_w = os.pipe()
        # sys.stdout/sys.stderr write framed to one pipe, in the order written (see rebind_stdio);
        # fd 1/2 are pipes of their own, for C-level output and subprocesses
        ch_r, ch_w = os.pipe()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # see allow_interrupts()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            self._child(request, (out_r, err_r, res_r, ch_r), out_w, err_w, res_w, ch_w)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        oom_before = oom_kills()  # read as the child starts, not before the fork: no delay
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        for fd in (out_w, err_w, res_w, ch_w):
            os.close(fd)

        streams = {out_r: "stdout", err_r: "stderr"}
        # one decoder per pipe, and the frames' own (FrameReader): a character cut between two
        # frames is not mixed with fd 1's
        decoders = {fd: codecs.getincrementaldecoder("utf-8")("replace") for fd in streams}
        outbox: list[tuple[str, str]] = []  # the output of one read, as (stream, text): one message
        output_cap = OutputCap(self.limits.output_bytes)
        result_bytes = bytearray()
        reason: str | None = None
        interrupted_at: float | None = None
        watch = [out_r, err_r, ch_r, res_r, self.channel.req_fd]
        # Readable once the child has exited: a run that closed the result pipe (os.closerange,
        # a daemonising idiom) is waited for like any other, not taken for dead at once.
        exit_fd = _pidfd(pid)
        if exit_fd is not None:
            watch.append(exit_fd)
        # Until the learner's code begins, the run is allowed its start too; then its timeout.
        deadline = start + timeout + self.limits.start_allowance_s if timeout else None
        began = False

        def interrupt(why: str) -> None:
            nonlocal reason, interrupted_at
            if reason is None:
                reason = why
            if interrupted_at is None:
                interrupted_at = time.perf_counter()
                signal_run(pid, signal.SIGINT)

        def cap(data: bytes) -> bytes:
            """What the output cap leaves of ``data``, output's bytes; reaching it stops the
            run as its timeout does (an interrupt, and a kill after the grace), so that the run
            still reports the line its main thread was stopped at (the interrupt reaches that
            thread only, which may not be the one printing), or the thread its finished code
            left running that it was waiting for (see :func:`wait_at_exit`), and its trace so
            far. What it prints
            meanwhile is read and dropped (the grace bounds it), not left to block the run's
            writes: its report comes after a flush of its streams."""
            nonlocal reason
            data = output_cap.keep(data)
            if output_cap.reached:
                if ended is None:  # not reaped yet: its pid is still its own
                    interrupt("output")
                reason = reason or "output"
            return data

        frames = FrameReader(cap, marks=False)

        def take(fd: int, data: bytes) -> None:
            """Forward what was read from an output pipe: fd 1's, fd 2's, or the frames."""
            if fd != ch_r:
                if text := decoders[fd].decode(cap(data)):
                    outbox.append((streams[fd], text))
            else:
                for chunks, _ in frames.feed(data):
                    outbox.extend(chunks)
            if outbox:
                self.channel.send(output_message(run_id, outbox))
                outbox.clear()

        def take_result(data: bytes) -> None:
            """Add what the child wrote to its result pipe; the news that its learner's code has
            begun (ahead of its result) restarts the clock, here and in the client."""
            nonlocal began, deadline
            result_bytes.extend(data)
            if not began and result_bytes.startswith(BEGAN):
                began = True
                del result_bytes[: len(BEGAN)]
                if timeout:
                    deadline = time.perf_counter() + timeout
                self.channel.send({"type": "began", "id": run_id})

        def take_rest_of_result() -> None:
            """Once the child is gone: what it wrote to the result pipe and we have not read."""
            self._drain(res_r, lambda _fd, data: take_result(data), lambda: False)

        ended: Ended | None = None
        while (res_r in watch or exit_fd in watch) and b"\n" not in result_bytes:
            now = time.perf_counter()
            wait = POLL_S
            if interrupted_at is not None:
                wait = min(wait, max(0.0, interrupted_at + self.limits.grace_s - now))
            elif deadline is not None:
                wait = min(wait, max(0.0, deadline - now))
            ready, _, _ = select.select(watch, [], [], wait)
            now = time.perf_counter()
            if interrupted_at is not None and now >= interrupted_at + self.limits.grace_s:
                signal_run(pid, signal.SIGKILL)
                interrupted_at = float("inf")  # killed: just wait for it to go
            elif interrupted_at is None and deadline is not None and now >= deadline:
                interrupt("timeout" if began else "not_begun")
            for fd in ready:
                if fd == self.channel.req_fd:
                    for msg in self.channel.read_available():
                        if msg.get("op") == "cancel" and msg.get("id") == run_id:
                            interrupt("cancelled")
                        elif msg.get("op") == "shutdown":
                            self.channel.closed = True
                        elif msg.get("op") != "cancel":
                            self.channel.pending.append(msg)
                    if self.channel.closed:
                        reason = reason or "shutdown"
                        signal_run(pid, signal.SIGKILL)
                        watch.remove(fd)
                    continue
                if fd == exit_fd:  # the child has exited: what it reported is in the pipe
                    ended = reap_run(pid)
                    take_rest_of_result()
                    for done in (exit_fd, res_r):
                        if done in watch:
                            watch.remove(done)
                    break
                try:
                    data = os.read(fd, READ_SIZE)
                except InterruptedError:
                    continue
                if fd == res_r:
                    if data:
                        take_result(data)
                    else:
                        watch.remove(fd)
                elif not data:
                    watch.remove(fd)
                elif not output_cap.reached:
                    take(fd, data)
            if not ready:
                # A grandchild may hold the pipes open after the child died: ask the kernel.
                ended = reap_run(pid, block=False)
                if ended is not None:
                    take_rest_of_result()
                    break

        # The child is done (or dead): kill whatever it left in its group.
        kill_group(pid, signal.SIGKILL)
        forged: dict[str, Any] | None = None
        try:
            child, needed, left_running = read_report(bytes(result_bytes))
        except ValueError:  # the learner's code wrote on the result pipe: trust none of it
            child, needed, left_running = None, [], None
            forged = run_died(exit_code=UNREPORTED)
        if ended is None and child is None:
            ended = reap_run(pid)  # it died without reporting: how?
        # A child that reported had flushed its output first, so the pipes already hold all of it.
        for fd in (ch_r, out_r, err_r):
            if fd in watch:
                self._drain(fd, take, lambda: output_cap.reached)
        outbox.extend(frames.tails())
        for fd, stream in streams.items():
            if tail := decoders[fd].decode(b"", final=True):
                outbox.append((stream, tail))
        if outbox and not output_cap.reached:
            self.channel.send(output_message(run_id, outbox))

        result = finalize(
            child,
            reason=reason,
            timeout=timeout,
            limits=self.limits,
            device="cpu",
            crash=forged or (self._crash(ended, oom_before) if ended is not None else None),
            has_check=request.get("check") is not None,
            left_running=left_running,
        )
        result["output_truncated"] = output_cap.reached
        result["duration_s"] = time.perf_counter() - start
        if not self.channel.closed:
            self.channel.send({"type": "result", "id": run_id, "result": result})
        # Answered. The child's exit (dropping its copy of this process's memory map) takes a few
        # ms: the client gets the result meanwhile, and the next request waits until the child and
        # whatever it left behind are gone, so runs still never overlap.
        if ended is None:
            reap_run(pid)
        for fd in (out_r, err_r, ch_r, res_r):
            os.close(fd)
        if exit_fd is not None:
            os.close(exit_fd)
        self._reap_group(pid)
        kill_children()  # those it started in a session of their own, which the group kill missed
        if not self.channel.closed:
            keep_lazy_imports(needed)  # after answering: the next run waits for it, not this one

    @staticmethod
    def _reap_group(pgid: int, within: float = 1.0) -> None:
        """Wait (briefly) until the run's group is empty, reaping the orphans we inherited."""
        end = time.monotonic() + within
        while True:
            reap_children()
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                return
            if time.monotonic() > end:
                return
            kill_group(pgid, signal.SIGKILL)
            time.sleep(0.002)

    @staticmethod
    def _drain(fd: int, forward: Any, is_truncated: Any) -> None:
        """Read what is left in a pipe without blocking (an escaped grandchild may hold it open)."""
        os.set_blocking(fd, False)
        while True:
            try:
                data = os.read(fd, READ_SIZE)
            except BlockingIOError:
                return
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                return
            if not data:
                return
            if not is_truncated():
                forward(fd, data)

    @staticmethod
    def _crash(ended: Ended, oom_before: int | None) -> dict[str, Any]:
        """The error of a run that died without reporting (see :mod:`sandbox.outcome`'s codes);
        ``oom_before`` is the system's count of kills for want of memory as it started."""
        wait_status = ended.status
        if os.WIFSIGNALED(wait_status):
            sig = os.WTERMSIG(wait_status)
            if sig == signal.SIGKILL and ended.over_cpu_limit:
                sig = signal.SIGXCPU  # killed at the CPU-time limit it set, ignoring SIGXCPU
            memory = sig == signal.SIGKILL and ran_out_of_memory(oom_before)
            return run_died(signal_number=sig, out_of_memory=memory)
        return run_died(exit_code=os.waitstatus_to_exitcode(wait_status))

    def _child(
        self,
        request: Message,
        parent_fds: tuple[int, ...],
        out_w: int,
        err_w: int,
        res_w: int,
        ch_w: int,
    ) -> None:  # pragma: no cover - runs in the forked child
        status = 0
        try:
            os.setpgid(0, 0)
            set_pdeathsig(signal.SIGKILL)
            for fd in (*parent_fds, self.channel.req_fd, self.channel.res_fd):
                os.close(fd)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (devnull, out_w, err_w):
                os.close(fd)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            for sig in (signal.SIGTERM, signal.SIGPIPE):
                signal.signal(sig, signal.SIG_DFL)
            sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
            rebind_stdio(ch_w)
            result_pipe = file_id(res_w)
            import torch

            torch.set_num_threads(self.limits.threads)
            cap_threads(torch, self.limits.threads)
            if self.hide_gpus:
                os.environ["CUDA_VISIBLE_DEVICES"] = ""  # read by torch's NVML check and by CUDA
                refuse_cuda(torch)
            reseed(torch, all_devices=False)
            cap_address_space(self.limits.memory_mb)
            from sandbox.runner import execute

            if not allow_interrupts():
                status = UNREPORTED  # stopped before it began: the worker knows why
                return
            result = execute(
                request, self.limits, "cpu", lambda: os.write(res_w, BEGAN), wait_at_exit
            )
            result[LAZY_KEY] = [name for name in LAZY_IMPORTS if name in sys.modules]
            flush_all()
            if file_id(res_w) not in (result_pipe, None):  # closed, writing it says so itself
                raise OSError(f"the run replaced the sandbox's result pipe (fd {res_w})")
            # a bare write, not os.fdopen(): that imports io, and the learner's code may have
            # replaced builtins.__import__ (or io.open) with something that refuses; through the
            # os.write bound at import (write_all), which a run's `os.write = ...` does not reach
            write_all(res_w, encode(result))
        except KeyboardInterrupt:
            # The worker's own interrupt (a timeout, a cancel), landed in the sandbox's frames
            # before or after the learner's code (which catches its own): the worker knows why,
            # and those frames are no output of the run.
            status = UNREPORTED
        except BaseException:
            status = UNREPORTED
            with contextlib.suppress(BaseException):
                os.write(2, traceback.format_exc().encode("utf-8", "replace"))
        finally:
            os._exit(status)


def _ready(channel: Channel, kind: str, device: str, cuda: bool) -> None:
    """Say the worker is ready, from the server forked from it (:func:`supervise`,
    :func:`serve_at_arms_length`): ``serving`` is the server's pid, ``pid`` the worker's, which
    the client started."""
    import torch

    channel.send(
        {
            "type": "ready",
            "pid": os.getppid(),
            "serving": os.getpid(),
            "kind": kind,
            "device": device,
            "cuda": cuda,
            "torch": torch.__version__,
        }
    )


def _warm_up() -> None:
    """Touch the common paths once (below OpenMP's grain size) so the first run is fast.

    A forward only: this process forks every run, and a backward here would, on a machine with a
    GPU, start autograd's per-device threads, after which torch makes every forked child's backward
    raise "Unable to handle autograd's threading in combination with fork-based multiprocessing"
    (it also asks the CUDA runtime for its device count, initialising it before a fork). A forked
    run's first backward costs no more for it (measured: ~4 ms either way).
    """
    import torch
    import torch.nn.functional
    from torch import nn

    torch.set_num_threads(1)
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
    model(torch.randn(2, 4)).sum()
    reseed(torch, all_devices=False)  # primes it: a forked run's call then costs ~0.14 ms, not ~0.2
    flush_all()  # binds fflush in the parent, so runs inherit it bound
    import sandbox.runner
    import sandbox.tracer  # noqa: F401

    tensor_scan.kernel()  # loaded here, so every forked run has it
    freeze_heap()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sandbox.worker")
    parser.add_argument("--kind", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--req-fd", type=int, required=True)
    parser.add_argument("--res-fd", type=int, required=True)
    parser.add_argument("--limits", default="{}")
    args = parser.parse_args(argv)
    set_pdeathsig(signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal Ctrl-C is the client's business
    shorten_library_warnings()  # torch's own warnings name torch/..., not the venv's path
    # the CPU worker supervises the fork serving runs: it must learn which runs that one read
    channel = Channel(args.req_fd, args.res_fd, ServingRun() if args.kind == "cpu" else None)
    limits = Limits.from_dict(json.loads(args.limits))
    try:
        if args.kind == "cpu":
            tensor_scan.start_build()  # the first start compiles it while torch is imported
            os.environ["PYTORCH_NVML_BASED_CUDA_CHECK"] = "1"  # fork-safe CUDA probe
            set_child_subreaper()
            _warm_up()
            import torch

            cuda = bool(torch.cuda.is_available())

            def serve() -> None:
                _ready(channel, "cpu", "cpu", cuda)
                ForkWorker(channel, limits, hide_gpus=cuda).serve()

            return supervise(channel, serve)
        else:

            def serve_cuda() -> None:
                tensor_scan.start_build()  # here: a build started before the fork is not ours
                from sandbox.inprocess import InProcessWorker

                worker = InProcessWorker(channel, limits)
                _ready(channel, "cuda", worker.device, True)
                worker.serve()
                # _serve_forked ends with os._exit: leaked learner threads keep nothing alive

            return serve_at_arms_length(channel, serve_cuda)
    except BrokenPipeError:
        return 0
    except BaseException as exc:
        with contextlib.suppress(BaseException):
            channel.send({"type": "fatal", "message": f"{type(exc).__name__}: {exc}"})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
