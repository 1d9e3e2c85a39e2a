"""A forward's failure that is the run's error, uncaught, is marked so in its trace warning
(``params["is_run_error"]``): the run's error says torch's message, and the warning need not say
it again. One the learner's code caught keeps its mark off: its warning is the only place its
message is said."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox import RunResult, Sandbox

# lesson 06's in-place ReLU meeting a full backward hook: the ReLU's forward raises
INPLACE_AFTER_HOOK = """
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(inplace=True), nn.Linear(4, 1))
model[0].register_full_backward_hook(lambda m, gi, go: None)
x = torch.randn(2, 4, requires_grad=True)
"""
MISMATCH = "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 2))\n"
CAUGHT = "try:\n    model(torch.randn(2, 3))\nexcept RuntimeError as e:\n    caught = e\n"


def marks(sb: Sandbox, code: str) -> tuple[str, list[Any]]:
    """The run's status and each forward_error warning's mark, in order."""
    result = sb.run(code, trace=True)
    failures = [w for w in result.trace_warnings if w["kind"] == "forward_error"]
    return result.status, [w["params"]["is_run_error"] for w in failures]


def test_a_forward_error_left_uncaught_is_marked_the_runs_error(
    sb: Sandbox, run_in: Callable[..., RunResult]
) -> None:
    """In the forked worker and the in-process (CUDA) one alike."""
    result = run_in(INPLACE_AFTER_HOOK + "model(x).sum().backward()", trace=True)
    (failure,) = [w for w in result.trace_warnings if w["kind"] == "forward_error"]
    assert result.status == "error" and failure["params"]["is_run_error"] is True
    assert marks(sb, MISMATCH + "model(torch.randn(2, 3))") == ("error", [True])


def test_a_caught_forward_error_raised_again_as_it_was_is_the_runs_error(sb: Sandbox) -> None:
    code = MISMATCH + "try:\n    model(torch.randn(2, 3))\nexcept RuntimeError:\n    raise\n"
    assert marks(sb, code) == ("error", [True])


def test_a_caught_forward_error_is_not_the_runs_error(sb: Sandbox) -> None:
    """Caught, then a normal end, another error, or the learner's own error raised from it."""
    assert marks(sb, MISMATCH + CAUGHT + "print('went on')") == ("ok", [False])
    assert marks(sb, MISMATCH + CAUGHT + "1 / 0") == ("error", [False])
    from_it = MISMATCH + CAUGHT + "raise ValueError('bad width') from caught"
    assert marks(sb, from_it) == ("error", [False])


def test_of_two_forward_errors_only_the_uncaught_one_is_marked(sb: Sandbox) -> None:
    code = MISMATCH + CAUGHT + "model(torch.randn(2, 3))"
    assert marks(sb, code) == ("error", [False, True])


# A forward raising an exception class, not an instance: its args are (), the one empty tuple
# every exception raised with no arguments shares; the learner's code catches it and lets go of
# it, and the run's error is made in the freed one's memory.
RAISES_BARE = """
def fail(error):
    raise error

class Base(nn.Module):
    def forward(self, x):
        fail(NotImplementedError)

try:
    Base()(torch.ones(2, 3))
except NotImplementedError:
    print("caught, going on")
"""


def test_a_caught_failure_is_not_the_runs_error_of_another_type_raised_at_its_line(
    sb: Sandbox,
) -> None:
    assert marks(sb, RAISES_BARE + "fail(AssertionError)") == ("error", [False])


def test_a_caught_failure_is_not_the_runs_error_of_its_type_raised_elsewhere(sb: Sandbox) -> None:
    assert marks(sb, RAISES_BARE + "raise NotImplementedError") == ("error", [False])


def test_the_runs_error_is_not_kept_after_the_run_with_its_frames(sb: Sandbox) -> None:
    """The worker's name for the exception the code ended with goes when the run ends, as an
    except block's does: its traceback holds the worker's frame, and the name would keep the
    failed run's frames (and tensors) alive past it, into the exit callbacks."""
    code = (
        "import atexit, weakref\n"
        "class Big: pass\n"
        "def fail():\n"
        "    big = Big()\n"
        "    global ref\n"
        "    ref = weakref.ref(big)\n"
        "    1 / 0\n"
        "atexit.register(lambda: print('alive at exit:', ref() is not None))\n"
        "fail()\n"
    )
    result = sb.run(code, trace=True)
    assert result.status == "error" and "alive at exit: False" in result.stdout, result.stdout
