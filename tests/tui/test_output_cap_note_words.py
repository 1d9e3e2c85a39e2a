"""Output the sandbox cut (its output cap reached: the run stopped, ``output_truncated``) is noted
in the same words on the screen's run panel as by ``nn-tutor run``: one cut, said one way, which
says why the output ends there. (The panel's own cut, of output too long to show whole, keeps
its notes in the middle: "left out here: the start and the end are shown".)"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tutor.commands.run import render

from .conftest import FakeResult, PanelApp
from .test_output_view import WIDTH, drawn


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_panel_notes_output_the_sandbox_cut_in_the_clis_words(lang: str):
    result = FakeResult(status="error", stdout="x\n", output_truncated=True)
    console = Console(file=io.StringIO(), record=True, width=100)
    render(result, lang, console)
    printed = console.export_text().splitlines()

    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        app.lang = lang  # type: ignore[misc]
        app.query_one("RunPanel").finish(result)
        await pilot.pause()
        *output, note = drawn(app)
    assert output == ["x"]
    assert note in printed, (note, printed)
