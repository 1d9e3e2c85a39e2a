"""The run panel says of a run that timed out waiting for a thread its finished code left
running that the code had finished, which thread ran on and where, in the learner's language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import SIZE, FakeSandbox, make_app, real_runs
from .test_tui_sandbox_messages import error_shown, run_on_sandbox_screen

TIMEOUT_S = 1

SPINNING_THREAD = """\
import threading
def spin():
    while True: pass
threading.Thread(target=spin, name="spinner").start()
"""


@pytest.fixture(scope="module")
def one_second_sandbox() -> Iterator[Any]:
    from sandbox import Sandbox

    with Sandbox(timeout_s=TIMEOUT_S) as box:
        yield box


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            'your code had finished, but the thread "spinner" it started was still running '
            "(at line 3)",
        ),
        ("zh", "你的代码已经运行完毕，但它启动的线程“spinner”仍在运行（运行到第 3 行）"),
    ],
)
async def test_the_run_panel_names_the_thread_and_its_line(
    tmp_path: Any, one_second_sandbox: Any, lang: str, words: str
) -> None:
    app = make_app(tmp_path, lang, sandbox=FakeSandbox(real_runs(one_second_sandbox)))
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_on_sandbox_screen(pilot, SPINNING_THREAD)
        assert panel.result.error.code == "thread_timeout"
        assert words in " ".join(error_shown(panel).split()), error_shown(panel)
