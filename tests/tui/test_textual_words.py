"""What Textual itself says to the learner (the palette's empty result, ctrl+c's "how to quit"
note) is worded in the learner's language too, and names the key as the footer draws it."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from .conftest import ready, wait_for

SIZE = (100, 40)


@pytest.mark.parametrize("lang, said", [("en", "No matches found"), ("zh", "没有找到匹配的结果")])
async def test_the_palette_says_no_match_in_the_learners_language(app_factory, lang, said):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"qqzz")
        options = app.screen.query_one(OptionList)
        no_match = lambda: [o for o in options.options if o.id == "--no-matches"]  # noqa: E731
        await wait_for(pilot, lambda: bool(no_match()), tries=800)
        shown = lambda: [str(option.prompt.renderable) for option in no_match()]  # noqa: E731
        assert said in " ".join(shown())
        if lang == "zh":
            assert "No matches" not in " ".join(shown())


@pytest.mark.parametrize(
    "lang, title, body",
    [("en", "Do you want to quit?", "Press ^q to quit"), ("zh", "要退出吗？", "按 ^q 退出")],
)
async def test_ctrl_c_says_how_to_quit_in_the_learners_language(app_factory, lang, title, body):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        notes = [(note.title, note.message) for note in app._notifications]
        assert notes and notes[-1][0] == title and body in notes[-1][1]
        assert app.is_running  # ctrl+c does not quit


async def test_ctrl_c_says_how_to_quit_over_a_dialog_too(app_factory):
    """A dialog stops keys at itself: over Help, ctrl+c said nothing (the app's binding was
    never reached), where every other screen says how to quit."""
    from tutor.screens.help import HelpScreen

    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.action_help()
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert [note.title for note in app._notifications] == ["Do you want to quit?"]
        assert app.is_running and isinstance(app.screen, HelpScreen)
