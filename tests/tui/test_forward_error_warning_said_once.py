"""A forward's failure that is the run's error is said once: the run's error line says torch's
message, and the trace's warning names the layer and its input shapes and points at that error
(it said the message a third time, after the error line and the traceback's last line). A
failure the learner's code caught keeps its message in the warning, the only place it is said.
In the run panel (error above the trace) and ``nn-tutor run`` (trace above the error) alike."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator

import pytest
from rich.console import Console

from sandbox import RunResult, Sandbox
from tutor.commands.run import render
from tutor.widgets.run_panel import RunPanel

from .conftest import PanelApp, text_of

MISMATCH = "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 2))\n"
TORCHS = "mat1 and mat2 shapes cannot be multiplied (2x4 and 5x2)"
POINTER = {
    "en": "⚠ layer 2 (Linear) failed on input (2, 4), raising the run's error",
    "zh": "⚠ 2 号层（Linear）处理输入 (2, 4) 时出错，这次运行报的错误正是它抛出的",
}


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(timeout_s=60) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def uncaught(box: Sandbox) -> RunResult:
    result = box.run(MISMATCH + "model(torch.randn(2, 3))", trace=True)
    assert result.status == "error" and TORCHS in result.error.message
    return result


def printed(result: RunResult, lang: str) -> str:
    """What ``nn-tutor run --trace`` prints, without colours."""
    out = io.StringIO()
    render(result, lang, Console(file=out, width=200, color_system=None))
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nn_tutor_run_says_the_runs_error_once_the_warning_pointing_at_it(
    uncaught: RunResult, lang: str
) -> None:
    text = printed(uncaught, lang)
    assert f"  {POINTER[lang]}" in text.splitlines()
    untraced = printed(dataclasses.replace(uncaught, trace=[], trace_warnings=[]), lang)
    assert text.count(TORCHS) == untraced.count(TORCHS)  # the trace says it no more


def test_a_caught_forward_error_keeps_its_message_in_the_warning(box: Sandbox) -> None:
    caught = "try:\n    model(torch.randn(2, 3))\nexcept RuntimeError:\n    pass\n1 / 0\n"
    result = box.run(MISMATCH + caught, trace=True)
    assert result.error.type == "ZeroDivisionError"
    for lang in ("en", "zh"):
        warning = next(line for line in printed(result, lang).splitlines() if "⚠" in line)
        assert TORCHS in warning, warning


class ChinesePanelApp(PanelApp):
    lang = "zh"


@pytest.mark.parametrize(("app_class", "lang"), [(PanelApp, "en"), (ChinesePanelApp, "zh")])
async def test_the_run_panel_says_the_runs_error_once(
    uncaught: RunResult, app_class: type[PanelApp], lang: str
) -> None:
    app = app_class()
    async with app.run_test() as pilot:
        panel = app.query_one(RunPanel)
        panel.finish(uncaught)
        await pilot.pause()
        assert TORCHS in text_of(panel.query_one(".run-error"))
        assert text_of(panel.query_one(".trace-warnings")).splitlines() == [POINTER[lang]]
