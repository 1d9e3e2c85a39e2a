from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator

import pytest

from sandbox import Sandbox
from sandbox.result import RunResult


@pytest.fixture(scope="session")
def sb() -> Iterator[Sandbox]:
    """One warm CPU sandbox for the whole session (runs never share state anyway)."""
    with Sandbox(timeout_s=30) as box:
        yield box


@pytest.fixture(scope="module")
def inprocess() -> Iterator[Sandbox]:
    """The in-process ("cuda") worker, on the CPU (for tests run on both workers, see run_in)."""
    with Sandbox(inprocess_device="cpu", timeout_s=30) as box:
        yield box


@pytest.fixture(params=["cpu", "cuda"])
def run_in(request: pytest.FixtureRequest) -> Callable[..., RunResult]:
    """Runs code in the forked CPU worker, or in the in-process worker (on the CPU); more
    keywords (``timeout``, ``check``, ``trace``) go to :meth:`Sandbox.run`."""
    if request.param == "cpu":
        box: Sandbox = request.getfixturevalue("sb")
    else:
        box = request.getfixturevalue("inprocess")
    return lambda code, **kwargs: box.run(textwrap.dedent(code), device=request.param, **kwargs)
