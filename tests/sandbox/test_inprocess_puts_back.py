"""QA on the in-process (CUDA) worker, run on the CPU (``inprocess_device="cpu"``): what a
run changes in place (function defaults and code, the timezone, asyncgen hooks, faulthandler,
copyreg, ``__all__`` lists) must not reach the next run, and a run that patches the stdlib the
worker itself uses (threading's waits, ``select``, json) must not stop its answers or timeouts."""

from __future__ import annotations

import time

import pytest
from test_sandbox_cuda import inproc  # noqa: F401 (a fixture)

from sandbox import Sandbox

ENDLESS = "while True:\n    pass"
TIMEOUT_S = 2.0
# How late a timeout may come: the grace period, the reset after the run, a loaded CI machine.
# The client's own kill, which the worker's watchdog must not need, comes seconds later.
TIMEOUT_SLACK_S = 2.5

# (a change a run makes in place, an expression whose value it would change in the next run)
IN_PLACE_CHANGES = {
    "Linear defaults": (
        "nn.Linear.__init__.__defaults__ = (False, None, None)",
        "nn.Linear(2, 2).bias is not None",
    ),
    "relu code": (
        "F.relu.__code__ = (lambda input, inplace=False: input * 0).__code__",
        "F.relu(torch.tensor([2.0])).item()",
    ),
    "MSELoss defaults": (
        "nn.MSELoss.__init__.__defaults__ = (None, None, 'sum')",
        "nn.MSELoss().reduction",
    ),
    "Adam defaults": (
        "torch.optim.Adam.__init__.__defaults__ = (0.5,) + torch.optim.Adam.__init__.__defaults__[1:]",
        "torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults['lr']",
    ),
    "keyword defaults changed in place": (
        "torch.optim.Adam.__init__.__kwdefaults__['foreach'] = False",
        "torch.optim.Adam.__init__.__kwdefaults__['foreach']",
    ),
    "timezone": (
        "import os, time\nos.environ['TZ'] = 'Asia/Tokyo'\ntime.tzset()",
        "import time\n(time.strftime('%Z', time.localtime(0)), time.tzname)",
    ),
    "asyncgen hooks": (
        "import sys\nsys.set_asyncgen_hooks(firstiter=lambda g: print('hook'))",
        "import sys\nsys.get_asyncgen_hooks()",
    ),
    "faulthandler": (
        "import faulthandler\nfaulthandler.enable()",
        "import faulthandler\nfaulthandler.is_enabled()",
    ),
    "copyreg dispatch table": (
        "import copyreg\ncopyreg.dispatch_table[torch.Tensor] = lambda t: (int, (7,))",
        "import io\nbuf = io.BytesIO()\ntorch.save(torch.ones(2), buf)\nbuf.seek(0)\n"
        "torch.load(buf).tolist()",
    ),
    "module __all__": ("torch.nn.modules.__all__.clear()", "len(torch.nn.modules.__all__)"),
    "threading.Event.wait": (
        "import threading\nthreading.Event.wait = lambda self, timeout=None: True",
        "import threading\nthreading.Event.wait.__qualname__",
    ),
    "json encoder code": (
        "import json\njson.JSONEncoder.encode.__code__ = (lambda self, o: 'garbage').__code__",
        "import json\njson.dumps({'a': 1})",
    ),
}


@pytest.mark.parametrize("name", IN_PLACE_CHANGES)
def test_a_change_made_in_place_does_not_reach_the_next_run(inproc: Sandbox, name: str):  # noqa: F811
    change, probe = IN_PLACE_CHANGES[name]
    before = inproc.run(probe, device="cuda")
    assert before.status == "ok", before.error
    pid = inproc.worker_pids()["cuda"]
    changed = inproc.run(change, device="cuda")
    assert changed.status == "ok", changed.error
    after = inproc.run(probe, device="cuda")
    assert (after.status, after.value) == ("ok", before.value), after.error
    # put back, not paid for with a fresh worker (seconds on a GPU)
    assert inproc.worker_pids()["cuda"] == pid, "the worker was replaced"


# Patches of what the worker's own watchdog used to wait with: its timeouts then came from the
# client's kill, seconds late (7.3 s, 17.4 s for a 2 s timeout).
WAIT_PATCHES = {
    "Event.wait": "import threading\nthreading.Event.wait = lambda self, timeout=None: True",
    "Condition.wait": "import threading\nthreading.Condition.wait = lambda self, timeout=None: True",
    "select.select": "import select\nselect.select = lambda *a: ([], [], [])",
    "time.monotonic": "import time\ntime.monotonic = lambda: 0.0",
}


def _timed_run(box: Sandbox, code: str, timeout: float) -> tuple[str, float]:
    start = time.monotonic()
    result = box.run(code, device="cuda", timeout=timeout)
    return result.status, time.monotonic() - start


@pytest.mark.parametrize("name", WAIT_PATCHES)
def test_a_patched_wait_does_not_delay_the_next_runs_timeout(inproc: Sandbox, name: str):  # noqa: F811
    assert inproc.run(WAIT_PATCHES[name], device="cuda").status == "ok"
    status, took = _timed_run(inproc, ENDLESS, TIMEOUT_S)
    assert status == "timeout"
    assert took < TIMEOUT_S + TIMEOUT_SLACK_S, f"stopped after {took:.1f} s"
    assert inproc.run("1 + 1", device="cuda").value == "2"


@pytest.mark.parametrize("name", WAIT_PATCHES)
def test_a_patched_wait_does_not_delay_the_timeout_of_its_own_run(inproc: Sandbox, name: str):  # noqa: F811
    status, took = _timed_run(inproc, WAIT_PATCHES[name] + "\n" + ENDLESS, TIMEOUT_S)
    assert status == "timeout"
    assert took < TIMEOUT_S + TIMEOUT_SLACK_S, f"stopped after {took:.1f} s"
    assert inproc.run("1 + 1", device="cuda").value == "2"


# Patches of what the worker's replies are written with: the run's own output and answer, and the
# next run's, must still come (a patched JSONEncoder.encode had them come as a timeout after 13 s).
JSON_PATCHES = {
    "JSONEncoder.encode": "import json\njson.JSONEncoder.encode = lambda self, o: 'garbage'",
    "JSONEncoder.iterencode": "import json\njson.JSONEncoder.iterencode = lambda *a, **k: ['x']",
    "json.dumps": "import json\njson.dumps = lambda *a, **k: 'garbage'",
    "os.write": "import os\nos.write = lambda fd, data: len(data)",
}


@pytest.mark.parametrize("name", JSON_PATCHES)
def test_a_patched_encoder_or_write_does_not_break_the_answers(inproc: Sandbox, name: str):  # noqa: F811
    start = time.monotonic()
    r = inproc.run(JSON_PATCHES[name] + "\nprint('still here')\n6 * 7", device="cuda", timeout=5)
    assert (r.status, r.stdout, r.value) == ("ok", "still here\n", "42"), r.error
    r = inproc.run("print('next')\n'é'", device="cuda", timeout=5)
    assert (r.status, r.stdout, r.value) == ("ok", "next\n", "'é'"), r.error
    assert time.monotonic() - start < 4.0, "answered only after the client's timeout"
