"""QA at 80x24: a card's example run ended below the card box's last row ("'num_batches_tracked']
True" hidden until PgDn). Once the run ends the card scrolls its end into view, keeping the
question in sight where both fit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.learning.tui_helpers import make_app, review_first_card
from tests.tui.conftest import FakeResult, FakeSandbox, drawn, wait_for
from tutor.widgets.run_panel import RunPanel

LAST_LINE = "the-last-line-of-the-output"
OUTPUT = f"first line\nsecond line\n{LAST_LINE}\n"


async def answer_shown(pilot: Any, lang: str = "en") -> Any:
    """The review's first card (one with an example) with its answer and example on screen, in
    ``lang``: the review screen."""
    app = pilot.app
    _, screen = await review_first_card(pilot, app)
    assert screen.card.card.example
    await pilot.press("space")
    await wait_for(pilot, lambda: screen.query_one("#example-title").region.height > 0)
    return screen


async def run_example(pilot: Any) -> Any:
    """Run the shown card's example and wait for the run's end to be laid out and scrolled to."""
    screen = pilot.app.screen
    await pilot.press("r")
    panel = screen.query_one("#example-run", RunPanel)
    await wait_for(pilot, lambda: panel.result is not None)
    for _ in range(3):  # the run's end is laid out, then scrolled to
        await pilot.pause()
    return screen


def sandbox_printing(output: str) -> FakeSandbox:
    return FakeSandbox(lambda code, **_: FakeResult(stdout=output))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_runs_end_comes_into_view_on_a_short_terminal(config, lang: str) -> None:
    app = make_app(config, lang=lang)
    app.sandbox, app.cuda = sandbox_printing(OUTPUT), False
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_shown(pilot, lang)
        screen = await run_example(pilot)
        card = screen.query_one("#review-card")
        assert card.max_scroll_y > 0  # the card is taller than its box: the case QA found
        assert LAST_LINE in drawn(app)


async def test_the_question_stays_in_sight_where_all_fits(config) -> None:
    """A terminal tall enough for the question and the whole run: nothing scrolls away."""
    app = make_app(config)
    app.sandbox, app.cuda = sandbox_printing(OUTPUT), False
    async with app.run_test(size=(80, 40)) as pilot:
        await answer_shown(pilot)
        screen = await run_example(pilot)
        assert screen.query_one("#review-card").scroll_y == 0
        shown = drawn(app)
        assert "How many parameters" in shown and LAST_LINE in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_one_blank_row_between_the_answer_and_the_example(config, lang: str) -> None:
    """The answer's last block ends in a blank row; the example's title adds none of its own
    (two blank rows there cost the row that kept the question in sight at 80x24)."""
    app = make_app(config, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await answer_shown(pilot, lang)
        last_block = screen.query_one("#card-back").children[-1]
        assert screen.query_one("#example-title").region.y - last_block.region.bottom == 1
