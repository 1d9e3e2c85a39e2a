"""A run panel's message (a run cancelled, the sandbox not available) follows F2 both ways, and
a theme change after it keeps the new language: it stayed in the one the run ended in."""

from __future__ import annotations

import pytest

from tests.tui.conftest import FakeSandbox, make_app, text_of, wait_for
from tests.tui.test_caution_text_contrast import MESSAGES, run_panel_message
from tutor.sandbox_messages import unavailable_message
from tutor.widgets.run_panel import cancelled_note

SAID = {
    "cancelled": cancelled_note,
    "unavailable": lambda lang: unavailable_message("no torch here", lang),
}
"""Each of :data:`MESSAGES`' messages in a language (its sandbox's reason, for unavailable)."""


@pytest.mark.parametrize(("start", "other"), [("en", "zh"), ("zh", "en")])
@pytest.mark.parametrize("message", MESSAGES)
async def test_a_run_panels_message_is_said_again_in_the_language_f2_picks(
    tmp_path, message, start, other
) -> None:
    handler, cancel, _ = MESSAGES[message]
    app = make_app(tmp_path, start, start="sandbox", sandbox=FakeSandbox(handler))
    async with app.run_test() as pilot:
        status = await run_panel_message(pilot, cancel)
        assert text_of(status) == SAID[message](start)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == other)
        assert text_of(status) == SAID[message](other)
        app.theme = "solarized-light"  # a theme change redraws it: in the language shown now
        await pilot.pause()
        assert text_of(status) == SAID[message](other)
