"""The trace view after QA pass 38 (findings 1-4): the gradient sparkline runs forward in time
over a training loop's passes, a NaN or Inf is drawn at the top of a sparkline and flagged, the
numbers in the table are set flush right as ``run --trace`` sets them, and the full table shows
whenever it fits its space."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Sparkline, Static

from tests.tui.conftest import TRACE, FakeResult, FakeSandbox, drawn, make_app, traced_in_sandbox
from tests.tui.test_sandbox_screen_qa import TraceHost
from tutor.trace_layout import COLUMNS
from tutor.trace_text import stat_text
from tutor.widgets.trace_view import TraceView

LOOP = """
torch.manual_seed(0)
net = nn.Linear(1, 1)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.linspace(-1, 1, 32).unsqueeze(1)
for step in range(12):
    opt.zero_grad()
    nn.functional.mse_loss(net(x), 3 * x + 2).backward()
    opt.step()
"""
"""A training loop whose gradients fall step by step (0.818 at the first, less at each)."""


def event(phase: str, module: str, norm: float | None, **more: Any) -> dict[str, Any]:
    return dict(TRACE[0], phase=phase, module=module, type="Linear", norm=norm, **more)


def sparklines(view: TraceView) -> list[list[float]]:
    return [list(spark.data or []) for spark in view.query(Sparkline)]


def faked(tmp_path, trace: list[dict[str, Any]]):
    return make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: FakeResult(trace=trace)))


async def test_a_training_loops_gradient_sparkline_runs_forward_in_time(tmp_path, real_sandbox):
    """Built as every backward event reversed, a loop's falling gradients climbed."""
    app = make_app(tmp_path, sandbox=real_sandbox())
    async with app.run_test(size=(120, 40)) as pilot:
        view = await traced_in_sandbox(pilot, LOOP)
        backward = [e["norm"] for e in view.events if e["phase"] == "backward"]
        assert len(backward) == 12 and backward[0] > backward[-1], backward
        assert sparklines(view)[1] == backward  # one layer a pass: the passes in time order


async def test_each_backward_pass_goes_input_to_output_and_passes_left_to_right(tmp_path):
    """Within a pass the hooks fire output first: reversed, it reads as the forward does."""
    trace = [
        event("forward", "0", 1.0),
        event("forward", "1", 2.0),
        event("backward", "1", 0.4),
        event("backward", "0", 0.3),
        event("forward", "0", 1.1),
        event("forward", "1", 2.1),
        event("backward", "1", 0.2),
        event("backward", "0", 0.1),
    ]
    async with faked(tmp_path, trace).run_test(size=(120, 40)) as pilot:
        view = await traced_in_sandbox(pilot)
        assert sparklines(view) == [[1.0, 2.0, 1.1, 2.1], [0.3, 0.4, 0.1, 0.2]]


async def test_a_nan_or_inf_norm_is_drawn_at_the_top_and_flagged(tmp_path):
    """Drawn as 0, an exploding gradient read as a vanishing one."""
    trace = [
        event("forward", "0", 3.0),
        event("forward", "1", 5.0),
        event("backward", "1", None, has_inf=True),
        event("backward", "0", 0.5),
    ]
    trace += [event("backward", "0", 0.7), event("backward", "0", None, has_nan=True)]
    async with faked(tmp_path, trace).run_test(size=(120, 40)) as pilot:
        view = await traced_in_sandbox(pilot)
        activations, gradients = sparklines(view)
        assert activations == [3.0, 5.0]
        # drawn input to output: 0's NaN, 0's 0.7, 0's 0.5, 1's Inf
        finite = [gradients[1], gradients[2]]
        assert finite == [0.7, 0.5], gradients
        assert min(gradients[0], gradients[3]) > max(finite), gradients
        labels = [str(label.content) for label in view.query(".spark-label").results(Static)]
        assert "NaN/Inf" not in labels[0] and labels[1].endswith("\nNaN/Inf"), labels


async def test_the_tables_numbers_are_flush_right(tmp_path):
    """``run --trace`` set them flush right; the TUI's table set them flush left."""
    trace = [event("forward", "0", 2.0, mean=0.5), event("forward", "1", 23456.7, mean=-12.345)]
    async with TraceHost(TraceView(trace, lang="en")).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = drawn(pilot.app).splitlines()
        for stat in ("mean", "norm"):
            short, long = (str(stat_text(e[stat])) for e in trace)
            rows = [
                next(line for line in lines if f" {row} " in line[:6] and text in line)
                for row, text in ((1, short), (2, long))
            ]
            ends = [
                row.index(text) + len(text) for row, text in zip(rows, (short, long), strict=True)
            ]
            assert ends[0] == ends[1], (stat, rows)


async def test_the_full_table_shows_whenever_it_fits(tmp_path):
    """At 120 columns a small trace's full table (under 100 cells) fits its 114: min, max and
    the type's column were hidden all the same, the terminal being under 120."""
    async with faked(tmp_path, TRACE).run_test(size=(120, 40)) as pilot:
        table = (await traced_in_sandbox(pilot)).query_one(DataTable)
        assert tuple(column.value for column in table.columns) == COLUMNS
        assert table.virtual_size.width <= table.scrollable_content_region.width


def test_gradient_checkpointing_keeps_one_pass_in_layer_order():
    """The forwards checkpointing runs again inside the backward split it into runs, each
    reversed alone: the pass was drawn out of layer order (review of the change)."""
    import torch
    from torch import nn
    from torch.utils.checkpoint import checkpoint

    from sandbox.tracer import HookTracer
    from tutor.widgets.trace_view import _norms

    class Checkpointed(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.blocks = nn.ModuleList(nn.Sequential(nn.Linear(4, 4), nn.Tanh()) for _ in "abc")

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            for block in self.blocks:
                x = checkpoint(block, x, use_reentrant=False)
            return x

    torch.manual_seed(0)
    net, tracer = Checkpointed(), HookTracer()
    with tracer:
        net(torch.randn(2, 4)).sum().backward()
    events = tracer.finish()[0]
    backward = [e["norm"] for e in events if e["phase"] == "backward"]
    first_backward = next(i for i, e in enumerate(events) if e["phase"] == "backward")
    assert any(e["phase"] == "forward" for e in events[first_backward:])  # run again inside
    assert _norms(events, "backward") == backward[::-1]
