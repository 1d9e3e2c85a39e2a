"""The warm CPU worker imports torch._dynamo (what every optimizer imports, ~1 s) while idle after
start, so that a lesson's first optimizer step does not pay for it; a request that arrives stops
the preload before its next piece, and is served as ever (sandbox.worker.preload_while_idle)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.worker import Channel, preload_while_idle

PROBE = "import sys\n'torch._dynamo' in sys.modules\n"


@pytest.fixture
def channel() -> Iterator[tuple[Channel, int]]:
    """A worker's channel on a fresh request pipe, and the pipe's write end (the client's)."""
    req_r, req_w = os.pipe()
    res_r, res_w = os.pipe()
    yield Channel(req_r, res_w), req_w
    for fd in (req_r, req_w, res_r, res_w):
        os.close(fd)


@pytest.fixture
def pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Three importable modules, fresh names; the second writes a request to the fd in
    ``PRELOAD_TEST_FD`` as it is imported, when set (a request arriving mid-preload)."""
    names = [f"preload_piece_{os.getpid()}_{n}_{time.monotonic_ns()}" for n in range(3)]
    for n, name in enumerate(names):
        body = "import os\n"
        if n == 1:
            body += (
                "fd = os.environ.get('PRELOAD_TEST_FD')\n"
                'if fd:\n    os.write(int(fd), b\'{"op": "run", "id": 7}\\n\')\n'
            )
        (tmp_path / f"{name}.py").write_text(body)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield names
    for name in names:
        sys.modules.pop(name, None)


def test_an_idle_worker_imports_every_piece(channel, pieces):
    chan, _ = channel
    assert preload_while_idle(chan, tuple(pieces), grace_s=0)
    assert all(name in sys.modules for name in pieces)


def test_a_request_waiting_stops_it_before_it_imports_anything(channel, pieces):
    chan, req_w = channel
    os.write(req_w, b'{"op": "run", "id": 7}\n')
    assert not preload_while_idle(chan, tuple(pieces), grace_s=0)
    assert not any(name in sys.modules for name in pieces)
    assert chan.next_message() == {"op": "run", "id": 7}  # left unread for the worker


def test_a_request_arriving_meanwhile_stops_it_after_the_piece_under_way(
    channel, pieces, monkeypatch
):
    chan, req_w = channel
    monkeypatch.setenv("PRELOAD_TEST_FD", str(req_w))
    assert not preload_while_idle(chan, tuple(pieces), grace_s=0)
    assert [name in sys.modules for name in pieces] == [True, True, False]
    assert chan.next_message() == {"op": "run", "id": 7}
    monkeypatch.delenv("PRELOAD_TEST_FD")
    assert preload_while_idle(chan, tuple(pieces), grace_s=0)  # the next idle moment goes on
    assert pieces[2] in sys.modules


def test_a_fresh_worker_left_idle_has_torch_dynamo_for_the_first_optimizer():
    with Sandbox(timeout_s=60) as box:
        # the first run comes at once, as a lesson's would (whether the preload began before it
        # depends on how busy the machine is: on a loaded one, past the grace)
        assert box.run(PROBE).status == "ok"
        for _ in range(60):  # each wait leaves the worker idle past its grace: one piece or more
            time.sleep(1)
            if box.run(PROBE).value == "True":
                break
        else:
            pytest.fail("the idle worker never imported torch._dynamo")


def test_runs_that_arrive_during_the_preload_are_served():
    with Sandbox(timeout_s=60) as box:
        assert box.run("1 + 1").value == "2"
        # past the grace: into the preload's pieces. A plain run, which imports nothing, leaves
        # the rest of the preload to the next idle moment (an optimizer here would import
        # torch._dynamo itself, and the later pauses would come after the preload)
        for pause in (0.55, 0.6, 0.7, 0.9, 1.2):
            time.sleep(pause)
            r = box.run("1 + 1")
            assert (r.status, r.value) == ("ok", "2"), r.error
        r = box.run("opt = torch.optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1)\n1 + 1")
        assert (r.status, r.value) == ("ok", "2"), r.error
