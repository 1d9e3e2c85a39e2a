"""QA 39: a run ends as plain ``python`` ends a script. Threads and multiprocessing children its
code left going are waited for (their output is the run's), on the CPU worker and on the
in-process (CUDA) one, run here on the CPU; the run's timeout and cancel still stop the wait;
daemon threads, an open pool or executor and a DataLoader's workers do not hold the run up. And
the sandbox's own advice on ``torch.set_num_threads`` never becomes the learner's exception."""

from __future__ import annotations

import textwrap
import threading

import pytest
from test_sandbox_cuda import inproc  # noqa: F401 (a fixture)

from sandbox import Sandbox

THREAD_LEFT = """
import threading, time
def work():
    time.sleep(0.3)
    print("thread finished its work")
threading.Thread(target=work).start()
print("main done")
"""

PROCESS_LEFT = """
import multiprocessing as mp, time
def work():
    time.sleep(0.3)
    print("child finished", flush=True)
mp.Process(target=work).start()
print("main done")
"""

ENDLESS_THREAD = """
import threading, time
def loop():
    while True:
        time.sleep(0.05)
threading.Thread(target=loop).start()
print("started", flush=True)
"""

TICKING_THREAD = """
import threading, time
def tick():
    time.sleep(0.2)
    print("tick", flush=True)
    while True:
        time.sleep(0.05)
threading.Thread(target=tick).start()
"""

# Left open as the code ends: plain python exits at once (measured), so must a run
LEFT_OPEN = {
    "daemon thread": (
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "print('main done')"
    ),
    "pool": (
        "import multiprocessing as mp\ndef sq(x):\n    return x * x\n"
        "pool = mp.Pool(2)\nprint(pool.map(sq, range(4)))"
    ),
    "thread pool executor": (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "ex = ThreadPoolExecutor(2)\nprint(ex.submit(pow, 2, 5).result())"
    ),
    "dataloader with persistent workers": (
        "from torch.utils.data import DataLoader, TensorDataset\n"
        "ds = TensorDataset(torch.randn(64, 3), torch.randn(64, 1))\n"
        "dl = DataLoader(ds, batch_size=8, num_workers=2, persistent_workers=True)\n"
        "for i, (x, y) in enumerate(dl):\n    pass\nprint('batches', i + 1)"
    ),
    "dataloader with workers": (
        "from torch.utils.data import DataLoader\n"
        "dl = DataLoader([torch.randn(2) for _ in range(8)], batch_size=4, num_workers=2)\n"
        "for x in dl:\n    print(x.shape)"
    ),
}
LEFT_OPEN_OUTPUT = {
    "daemon thread": "main done\n",
    "pool": "[0, 1, 4, 9]\n",
    "thread pool executor": "32\n",
    "dataloader with persistent workers": "batches 8\n",
    "dataloader with workers": "torch.Size([4, 2])\ntorch.Size([4, 2])\n",
}
# Much shorter than the 60 s the daemon thread sleeps: a run that waited for it times out
LEFT_OPEN_TIMEOUT_S = 20

ERRORS_FROM_WARNINGS = """
import warnings
warnings.filterwarnings("error")
for _ in range(3):
    torch.set_num_threads(64)
torch.get_num_threads()
"""


@pytest.fixture(params=["cpu", "inprocess"])
def box(request, sb: Sandbox) -> tuple[Sandbox, str]:
    """The CPU worker (forked runs), or the in-process worker (on the CPU)."""
    if request.param == "cpu":
        return sb, "cpu"
    return request.getfixturevalue("inproc"), "cuda"


def test_a_thread_left_running_is_waited_for_and_its_output_kept(box):
    sandbox, device = box
    r = sandbox.run(THREAD_LEFT, device=device)
    assert r.status == "ok", r.error
    assert r.stdout == "main done\nthread finished its work\n"


def test_a_process_left_running_is_waited_for_and_its_output_kept(box):
    sandbox, device = box
    r = sandbox.run(PROCESS_LEFT, device=device)
    assert r.status == "ok", r.error
    assert r.stdout == "main done\nchild finished\n"


def test_a_thread_that_never_ends_ends_as_a_timeout(box):
    sandbox, device = box
    r = sandbox.run(ENDLESS_THREAD, device=device, timeout=1)
    assert r.status == "timeout", r.error
    assert r.stdout == "started\n"
    assert sandbox.run("6 * 7", device=device).value == "42"


def test_a_cancel_stops_the_wait_for_a_thread(box):
    sandbox, device = box
    ticked = threading.Event()  # the thread printed: the run is waiting for it

    def on_output(_stream: str, text: str) -> None:
        if "tick" in text:
            ticked.set()

    canceller = threading.Thread(target=lambda: ticked.wait(30) and sandbox.cancel())
    canceller.start()
    r = sandbox.run(TICKING_THREAD, device=device, timeout=60, on_output=on_output)
    ticked.set()  # lets the canceller go where the thread never printed (nothing to cancel)
    canceller.join()
    assert r.status == "cancelled", r.error
    assert r.stdout == "tick\n"
    assert sandbox.run("6 * 7", device=device).value == "42"


@pytest.mark.parametrize("name", LEFT_OPEN)
def test_what_python_does_not_wait_for_does_not_hold_the_run_up(box, name):
    sandbox, device = box
    r = sandbox.run(LEFT_OPEN[name], device=device, timeout=LEFT_OPEN_TIMEOUT_S)
    assert r.status == "ok", r.error
    assert r.stdout == LEFT_OPEN_OUTPUT[name]
    assert sandbox.run("6 * 7", device=device).value == "42"


def test_an_executor_left_open_after_the_wait_does_not_reach_the_next_run(inproc):  # noqa: F811
    """Threading's exit callbacks shut ``concurrent.futures`` down in the in-process worker: the
    next run, in a fresh one, can still use an executor."""
    code = textwrap.dedent(LEFT_OPEN["thread pool executor"])
    for _ in range(2):
        r = inproc.run(code, device="cuda", timeout=LEFT_OPEN_TIMEOUT_S)
        assert (r.status, r.stdout) == ("ok", "32\n"), r.error


def test_the_thread_advice_is_no_error_under_the_learners_warning_filters(box):
    sandbox, device = box
    r = sandbox.run(ERRORS_FROM_WARNINGS, device=device)
    assert r.status == "ok", r.error
    assert r.value == str(sandbox.limits.threads)
    assert r.stderr.count(f"at most {sandbox.limits.threads} thread") == 1, r.stderr
    assert "<snippet>:5: RuntimeWarning" in r.stderr


CHATTY_THREAD = """
import threading, time
def chat():
    for i in range(25):
        print("from the last run", i, flush=True)
        time.sleep(0.2)
threading.Thread(target=chat).start()
"""

LATE_PICKLE = """
import pickle, threading
class Point:
    def __init__(self, x):
        self.x = x
def later():
    print("round trip", pickle.loads(pickle.dumps(Point(3))).x, flush=True)
threading.Timer(0.2, later).start()
"""

LATE_IMPORT = """
import threading
def later():
    import helper
    print("late", helper.ANSWER, flush=True)
threading.Timer(0.2, later).start()
"""


def test_a_thread_the_timeout_stopped_waiting_for_prints_nothing_into_the_next_run(box):
    """An interrupt landing in a join marks a thread still running as stopped (Python 3.11): the
    in-process worker took it for gone, served on, and its output came in the next runs."""
    sandbox, device = box
    assert sandbox.run(CHATTY_THREAD, device=device, timeout=1).status == "timeout"
    r = sandbox.run("import time\ntime.sleep(1)\nprint('mine')", device=device, timeout=10)
    assert (r.status, r.stdout) == ("ok", "mine\n"), r.stdout


def test_a_thread_waited_for_still_pickles_and_imports_as_the_code_did(box, tmp_path):
    """The wait came once the run's __main__ and import path were gone: a thread saving a
    model of the snippet's class, or importing a module beside the file, failed."""
    from sandbox.protocol import FileSource

    sandbox, device = box
    r = sandbox.run(LATE_PICKLE, device=device)
    assert (r.status, r.stdout, r.stderr) == ("ok", "round trip 3\n", "")
    (tmp_path / "helper.py").write_text("ANSWER = 42\n", encoding="utf-8")
    script = tmp_path / "train.py"
    r = sandbox.run(FileSource(LATE_IMPORT, str(script)), device=device)
    assert (r.status, r.stdout, r.stderr) == ("ok", "late 42\n", "")
