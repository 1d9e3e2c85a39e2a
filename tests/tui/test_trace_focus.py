"""The trace table is a Tab stop; its focus showed as a header a few levels brighter, nothing
under NO_COLOR. Focused, it shows the bar down its left edge that a lesson's step shows."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.conftest import TRACE
from tests.tui.test_a11y_qa38_sandbox_focus import BAR, left_edge
from tests.tui.test_sandbox_screen_qa import TraceHost
from tutor.widgets.trace_view import TraceView


async def test_the_focused_trace_table_shows_a_bar_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    view = TraceView(list(TRACE), lang="en")
    async with TraceHost(view).run_test(size=(100, 30)) as pilot:
        table = view.query_one(DataTable)
        pilot.app.set_focus(None)  # the app focused its one Tab stop
        await pilot.pause()
        before = table.content_region
        assert BAR not in left_edge(table)
        table.focus()
        await pilot.pause()
        edge = left_edge(table)
        assert edge and set(edge) == {BAR}, repr(edge)
        assert table.content_region == before  # the columns did not move
