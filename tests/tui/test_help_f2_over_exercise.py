"""F2 with Help open over an exercise step, the focus off its editor: the lesson rebuilds the
step, and Help, redrawn in the new language before the new step's editor is mounted, asked it
which keys type into the editor and the app died (``NoMatches: TextArea``)."""

from __future__ import annotations

from tests.tui.conftest import make_app, wait_for
from tests.tui.test_help_wrapped_row_scrolls_into_view import EXERCISE, LESSON, ROOT
from tests.tui.test_tui_review_fixes_steps import open_lesson
from tutor.i18n import tr
from tutor.screens.help import HelpScreen


async def test_f2_with_help_open_over_an_exercise_redraws_help_in_the_new_language(tmp_path):
    app = make_app(tmp_path, "en", decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, LESSON, EXERCISE)
        await pilot.press("escape")  # the focus off the editor: keys may type into it
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == "zh")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        title = str(app.screen.query_one("#help-title").render())
        assert tr("help.title", "zh") in title
