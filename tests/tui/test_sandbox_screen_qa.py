"""An adversarial learner's walk through the sandbox screen and its trace table: a capped trace
and the root module, a shapes-only trace, long module names at 80 columns, the title at 60."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Sparkline, Static

from tests.tui.conftest import TRACE, FakeResult, FakeSandbox, make_app, plain, ready, wait_for
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.trace_view import TraceView

TRUNCATED = {
    "kind": "truncated",
    "module": "",
    "phase": "",
    "message": "the trace stopped after 2000 events",
    "params": {"max_events": 2000},
}

LONG_NAME = "encoder.layers.11.self_attention.output_projection.dropout"


class TraceHost(App[None]):
    """Just a trace view, in ``lang``."""

    def __init__(self, view: TraceView, lang: str = "en") -> None:
        super().__init__()
        self.view = view
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield self.view


def rows(view: TraceView) -> list[list[str]]:
    table = view.query_one(DataTable)
    return [[plain(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def capped_trace() -> list[dict[str, Any]]:
    """2000 events, the sandbox's cap, of a model called directly (its root module is "")."""
    return [dict(TRACE[i % 2], module="" if i % 2 else "0") for i in range(2000)]


async def test_a_capped_trace_flags_no_module() -> None:
    """The "truncated" warning is about the whole trace; its empty module is not the root's."""
    view = TraceView(capped_trace(), [TRUNCATED], truncated=True, lang="zh")
    async with TraceHost(view, "zh").run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        table = rows(view)
        assert len(table) == 2000
        flagged = [row[2] for row in table if "⚠" in row[2]]
        assert not flagged, flagged[:2]


async def test_a_warning_without_a_module_has_no_empty_prefix() -> None:
    view = TraceView(TRACE, [TRUNCATED], truncated=True, lang="zh")
    async with TraceHost(view, "zh").run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        warnings = plain(view.query_one(".trace-warnings", Static).content).strip()
        assert warnings == "⚠ 追踪在 2000 个事件后停止"


async def test_a_shapes_only_trace_draws_no_flat_norm_sparklines() -> None:
    """Without stats (shapes only) every norm is None: there is no trend to draw, and a flat
    line of zeros would read as "all the norms are zero"."""
    stats = ("mean", "std", "min", "max", "norm", "zero_frac", "has_nan", "has_inf")
    events = [dict(TRACE[i % 2], **dict.fromkeys(stats)) for i in range(6)]
    view = TraceView(events, lang="en")
    async with TraceHost(view).run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert len(view.query(Sparkline)) == 0
        assert rows(view)[0][5:] == ["–"] * 6  # the table says "no stats" itself


async def test_a_long_module_name_leaves_the_stats_in_view_at_80_columns(tmp_path) -> None:
    trace = [dict(event, module=LONG_NAME) for event in TRACE]
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: FakeResult(trace=trace)))
    async with app.run_test(size=(80, 36)) as pilot:
        await ready(pilot)
        await app.push_screen(SandboxScreen(code="model(x)"))
        await pilot.press("ctrl+t", "ctrl+r")
        await wait_for(pilot, lambda: bool(app.screen.query(TraceView)))
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        module = rows(app.screen.query_one(TraceView))[0][2]
        assert module.startswith("…") and "dropout Linear" in module  # the name's end is kept


async def test_the_title_ends_in_an_ellipsis_rather_than_mid_sentence_at_60_columns(
    tmp_path,
) -> None:
    """The top bar has room for one line of title; a longer one says it goes on."""
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 30)) as pilot:
        await ready(pilot)
        await app.push_screen(SandboxScreen(code="1"))
        await pilot.pause()
        title = app.screen.query_one("#sb-title", Static)
        rows_seen = title.region.intersection(title.parent.region).height
        lines_seen = rows_seen - title.styles.padding.top
        shown = [title.render_line(y).text.rstrip() for y in range(lines_seen)]
        assert shown[-1].endswith("…")


async def test_esc_in_the_editor_says_it_leaves_the_editor_and_then_the_screen(tmp_path) -> None:
    """The editor has the focus as the sandbox opens, where esc moves it on: the footer said
    "esc Back" there, and a learner pressing it stayed (as an exercise's editor says it)."""
    from textual.widgets import TextArea

    from tutor.widgets.fitting_footer import FittingFooter

    def esc_says() -> list[str]:
        footer = app.screen.query_one(FittingFooter)
        keys = footer.query_children("FooterKey")
        return [key.description for key in keys if key.display and key.key == "escape"]

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await app.push_screen(SandboxScreen(code="1"))
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        await wait_for(pilot, lambda: esc_says() == ["Leave editor"])
        await pilot.press("escape")
        await wait_for(pilot, lambda: esc_says() == ["Back"])
        assert isinstance(app.screen, SandboxScreen) and app.focused.id == "run"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SandboxScreen))
