"""Quitting while the sandbox worker is still starting (torch importing) takes the worker along.

The start was cancelled but the worker it had spawned was left running until the process that
ran the app exited: nothing in the CLI (its process ends), but in a test run, or an app embedded
in a longer-lived process, each such quit left a torch process behind.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from .conftest import make_app

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def children() -> set[int]:
    """This process's child processes, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def test_quitting_as_the_sandbox_starts_stops_its_worker(tmp_path) -> None:
    before = children()
    app = make_app(tmp_path, sandbox="real")
    async with app.run_test(size=(100, 30)) as pilot:
        started: set[int] = set()
        for _ in range(100):  # the worker is spawned within a moment; torch takes ~1.5 s more
            started = children() - before
            if started:
                break
            await asyncio.sleep(0.01)
        assert started and app.sandbox is None, "the worker should still be starting"
        await pilot.press("ctrl+q")
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not any(alive(pid) for pid in started), "the starting worker outlived the app"
