"""The note that the sandbox cut a run's output starts a row of its own, after output that the
cut left mid-line (a line longer than the cap lets out whole, see ``sandbox.worker.OutputCap``)
as after a whole line, streamed or not."""

from __future__ import annotations

import pytest

from tutor.i18n import tr

from .conftest import FakeResult, PanelApp
from .test_output_view import WIDTH, drawn, stream


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_cut_note_starts_its_own_row_after_a_cut_line(lang: str):
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        app.lang = lang  # type: ignore[misc]
        panel = await stream(app, pilot, "whole\n", "cut sho")
        panel.finish(FakeResult(stdout="whole\ncut sho", output_truncated=True))
        await pilot.pause()
        assert drawn(app) == ["whole", "cut sho", tr("sandbox.output_truncated", lang)]
