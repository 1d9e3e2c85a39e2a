"""A forward's failure and the mark of its exception (:class:`sandbox.tracer.ExceptionMark`)
are recorded in one step: another thread's failure recorded meanwhile is not paired with the
wrong mark, and a KeyboardInterrupt landing while one is recorded does not cost the trace."""

from __future__ import annotations

import contextlib
import gc
import threading
import weakref

import pytest
import torch
from torch import nn

from sandbox import tracer as tracer_module
from sandbox.tracer import ExceptionMark, HookTracer


class Failing(nn.Module):
    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise ValueError(self.words)


def run_error_marks(tracer: HookTracer, run_error: BaseException) -> dict[str, bool]:
    """Each forward_error warning's error, and whether it is marked the run's error."""
    _, warnings, _ = tracer.finish(run_error)
    return {
        w["params"]["error"]: w["params"]["is_run_error"]
        for w in warnings
        if w["kind"] == "forward_error"
    }


def test_a_failure_recorded_by_another_thread_meanwhile_keeps_its_own_mark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the first failure's mark is made, a second thread's model fails and is recorded
    whole (the second thread runs and ends there)."""
    caught: dict[str, ValueError] = {}

    def call(model: Failing) -> None:
        try:
            model(torch.ones(2))
        except ValueError as exc:
            caught[model.words] = exc

    class MarkMadeWhileAnotherFails(ExceptionMark):
        def __init__(self, exc: BaseException) -> None:
            if str(exc) == "first, caught":
                second = threading.Thread(target=call, args=(Failing("second, the run's"),))
                second.start()
                second.join()
            super().__init__(exc)

    monkeypatch.setattr(tracer_module, "ExceptionMark", MarkMadeWhileAnotherFails)
    with HookTracer() as tracer:
        call(Failing("first, caught"))
    assert run_error_marks(tracer, caught["second, the run's"]) == {
        "ValueError: first, caught": False,
        "ValueError: second, the run's": True,
    }


def test_an_interrupt_while_a_failure_is_recorded_leaves_the_trace_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As the worker's timeout or a SIGINT would land, the learner's code catching it: the
    failure it cut short is not recorded, and finish words the others."""

    class InterruptedMark(ExceptionMark):
        def __init__(self, exc: BaseException) -> None:
            if str(exc) == "interrupted":
                raise KeyboardInterrupt
            super().__init__(exc)

    monkeypatch.setattr(tracer_module, "ExceptionMark", InterruptedMark)
    with HookTracer() as tracer:
        with pytest.raises(KeyboardInterrupt):
            Failing("interrupted")(torch.ones(2))
        with pytest.raises(ValueError) as later:
            Failing("later")(torch.ones(2))
    assert run_error_marks(tracer, later.value) == {"ValueError: later": True}


def test_a_caught_failures_mark_lets_go_of_the_tensors_in_its_args() -> None:
    """The mark holds no part of the exception the learner's code may let go of: not its frames,
    and not its ``args``, which may hold a tensor (``raise ValueError("bad values", big)``)."""

    kept: list[weakref.ref[torch.Tensor]] = []

    class Bad(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            big = torch.ones(1000)
            kept.append(weakref.ref(big))
            raise ValueError("bad values", big)

    with HookTracer() as tracer:
        with contextlib.suppress(ValueError):
            Bad()(torch.ones(2))
        gc.collect()
        assert kept[0]() is None  # gone once the learner's code let go of the exception
    tracer.finish()
