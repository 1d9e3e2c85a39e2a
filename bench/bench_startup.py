"""Time to first frame: nn-tutor's home screen against a bare Textual app, measured in one run.

Run: python bench/bench_startup.py [--runs N] [--size WxH]
Each run is a fresh Python process on its own pseudo-terminal, so the app really draws (as in a
terminal): the clock starts just before the process is spawned and stops when the app receives
Textual's ``Ready`` event, posted right after the first frame is composited and written. The
tutor runs as it does for real: the course decks load and the sandbox's torch worker starts in
the background. Bare and tutor runs alternate, so both see the same machine load.
Prints medians and their ratio. Goal: tutor <= 1.6 x bare.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.6


# ------------------------------------------------------------------------------- child side


def child(kind: str, out: str, data_dir: str) -> None:
    """Start one app; write the wall-clock time of its first frame to ``out``, then quit."""

    def first_frame(app: object) -> None:
        Path(out).write_text(repr(time.time()))
        app.exit()  # type: ignore[attr-defined]

    if kind == "bare":
        from textual.app import App

        class Bare(App):
            def on_ready(self) -> None:
                first_frame(self)

        Bare().run()
    else:
        from tutor.app import TutorApp
        from tutor.config import TutorConfig

        # Not a subclass: TutorApp's CSS_PATH is relative to the module defining the class.
        TutorApp.on_ready = first_frame  # type: ignore[attr-defined]
        TutorApp(TutorConfig.resolve(data_dir=data_dir, lang="en")).run()


# ------------------------------------------------------------------------------ parent side


def one_run(kind: str, size: tuple[int, int], data_dir: str) -> float:
    """Seconds from spawning a process running ``kind`` to its first frame."""
    master, slave = os.openpty()
    width, height = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    with tempfile.NamedTemporaryFile(suffix=".t", delete=False) as handle:
        out = handle.name
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("TEXTUAL", None)  # no devtools
    screen = bytearray()
    drain = threading.Thread(target=_drain, args=(master, screen), daemon=True)
    start = time.time()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, out, data_dir],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    drain.start()
    try:
        process.wait(timeout=60)
        drain.join(timeout=5)
        text = Path(out).read_text()
        if not text:
            tail = screen[-2000:].decode(errors="replace")
            raise RuntimeError(f"{kind}: the app exited without drawing a frame:\n{tail}")
        return float(text) - start
    finally:
        if process.poll() is None:  # timed out: its own session, so closing the pty won't stop it
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
        Path(out).unlink(missing_ok=True)


def _drain(master: int, screen: bytearray) -> None:
    """Read what the app writes to its terminal, so it never blocks on a full pty."""
    try:
        while chunk := os.read(master, 65536):
            screen.extend(chunk)
    except OSError:
        pass  # the child closed its side


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12, help="runs of each app (default 12)")
    parser.add_argument("--size", default="100x30", help="terminal size (default 100x30)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    times: dict[str, list[float]] = {"bare": [], "tutor": []}
    with tempfile.TemporaryDirectory(prefix="nn-tutor-bench-") as data_dir:
        one_run("tutor", (width, height), data_dir)  # warm the OS caches and the data dir
        one_run("bare", (width, height), data_dir)
        for _ in range(args.runs):
            for kind in times:
                times[kind].append(one_run(kind, (width, height), data_dir))
    bare, tutor = (statistics.median(times[kind]) for kind in ("bare", "tutor"))
    ratio = tutor / bare
    print(f"time to first frame, median of {args.runs} runs each ({width}x{height} pty):")
    print(f"  bare Textual app   {bare * 1000:7.1f} ms")
    print(f"  nn-tutor home      {tutor * 1000:7.1f} ms")
    print(
        f"  ratio              {ratio:7.2f} x  (goal <= {GOAL} x: {'ok' if ratio <= GOAL else 'MISSED'})"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        main()
