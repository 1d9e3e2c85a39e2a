"""QA (deck authors, review, sandbox file): keys that show are keys that act, wide fences reachable by keyboard, a long
highlighted quiz option scrolled into view, the sandbox's save guarding a file changed on disk."""

from __future__ import annotations

from pathlib import Path

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.tui_helpers import make_app as make_review_app
from tests.learning.tui_helpers import review_first_card
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig
from tutor.screens.help import HelpScreen


async def help_descriptions(pilot, app) -> list[str]:
    """What the help screen lists for the screen underneath (opened and closed again)."""
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    described = [description for _, description in app.screen.key_rows()]
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
    return described


async def test_ratings_offered_only_with_the_answer(tmp_path: Path) -> None:
    """On a card's front 1-4 rate nothing (the answer must be seen first): help does not offer
    them; once the answer shows, it does, and they rate."""
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)])
    app = make_review_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        learning, screen = await review_first_card(pilot, app)
        assert not screen.check_action("rate", (3,))
        front = await help_descriptions(pilot, app)
        assert "Show answer" in front
        assert not {"Again", "Hard", "Good", "Easy"} & set(front)

        await pilot.press("space")
        assert screen.check_action("rate", (3,))
        back = await help_descriptions(pilot, app)
        assert {"Again", "Hard", "Good", "Easy"} <= set(back)
        await pilot.press("3")
        await wait_for(pilot, lambda: learning.store.review_count() == 1)


WIDE_DECK = """\
format: 1
kind: lesson
id: wide
title: "Wide"
summary: "A diagram wider than a narrow terminal, and a quiz option longer than its screen."
steps:
  - type: text
    body: |
      Intro text.

      ```
      +{ruler}+END
      | a | b |
      ```

      After the diagram.
  - type: quiz
    kind: single
    id: wide.q
    question: "Pick one"
    code: |
      x = torch.randn(2, 2, 2)
      y = x.sum(0)
      z = y * 2
      w = z.mean()
      print(y.shape, w)
    options:
      - {{text: "{long}", why: "w"}}
      - {{text: "SECOND", why: "w"}}
    answer: a
""".format(ruler="-" * 100, long="long option words " * 14 + "END")


def wide_deck(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "wide.yaml").write_text(WIDE_DECK, encoding="utf-8")
    return decks


async def test_a_wide_diagram_scrolls_sideways_by_keyboard(tmp_path: Path) -> None:
    """Tab reaches a diagram wider than the screen and ←/→ scroll it (not the lesson's steps,
    while it has focus); the help lists the keys."""
    from textual.widgets.markdown import MarkdownFence

    from tests.tui.conftest import make_app, ready, text_of
    from tutor.screens.lesson import LessonScreen

    app = make_app(tmp_path, decks=[wide_deck(tmp_path)])
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot)
        app.open_lesson("wide")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        await wait_for(pilot, lambda: len(lesson.query(MarkdownFence)) > 0)
        fence = lesson.query_one(MarkdownFence)
        await wait_for(pilot, lambda: fence.max_scroll_x > 0)
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.focused is fence, tries=50)
        hint = lesson.query_one("#nav-hint")  # says what the arrows do now, not "→ next"
        await wait_for(pilot, lambda: "scroll the diagram" in text_of(hint), tries=50)
        await pilot.press("right", "right")
        await wait_for(pilot, lambda: fence.scroll_x > 0, tries=50)
        assert lesson.index == 0  # the diagram scrolled, the lesson stayed
        assert "Scroll the diagram" in await help_descriptions(pilot, app)
        await pilot.press("left", "left")
        await wait_for(pilot, lambda: fence.scroll_x == 0, tries=50)
        assert lesson.index == 0
        await pilot.resize_terminal(200, 24)  # widened until it fits: it gives the focus back
        await wait_for(pilot, lambda: app.focused is not fence, tries=50)
        await wait_for(pilot, lambda: "next" in text_of(hint), tries=50)
        await pilot.resize_terminal(60, 24)
        await wait_for(pilot, lambda: fence.can_focus, tries=50)
        await pilot.press("right")  # away from the diagram → moves on again
        await wait_for(pilot, lambda: lesson.index == 1)


async def test_a_long_highlighted_option_is_scrolled_into_view(tmp_path: Path) -> None:
    """On a short screen, moving the highlight onto an option taller than what is left of the
    step's view scrolls the step until the whole option shows."""
    from tests.tui.conftest import make_app, ready
    from tutor.screens.lesson import LessonScreen
    from tutor.widgets.choice_list import ChoiceList

    app = make_app(tmp_path, decks=[wide_deck(tmp_path)])
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        app.open_lesson("wide", 1)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: len(app.screen.query(ChoiceList)) > 0)
        choices = app.screen.query_one(ChoiceList)
        await wait_for(pilot, lambda: app.focused is choices)
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(2)]
        long_index = next(i for i, prompt in enumerate(prompts) if "END" in prompt)
        scroll = app.screen.query_one("#step-scroll")
        choices.highlighted = 1 - long_index  # start from the short one, the step at its top
        scroll.scroll_home(animate=False)
        await pilot.pause()
        await pilot.press("down" if long_index > choices.highlighted else "up")
        await wait_for(pilot, lambda: choices.highlighted == long_index)
        await pilot.pause(0.2)
        top = choices.content_region.y + choices._index_to_line[long_index] - choices.scroll_y
        bottom = top + choices._heights[long_index]
        view = scroll.content_region
        assert view.y <= top and bottom <= view.bottom, (top, bottom, view)


def notices(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def open_sandbox_on(pilot, app):
    """The sandbox the app opened on a file (``nn-tutor sandbox FILE``), and its editor."""
    from textual.widgets import TextArea

    from tutor.screens.sandbox_screen import SandboxScreen

    await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
    return app.screen, app.screen.query_one(TextArea)


async def test_ctrl_s_asks_before_overwriting_a_file_changed_on_disk(app_factory, tmp_path):
    """A file changed by another program since it was opened is not written over by one ctrl+s:
    a notice says so, and a second ctrl+s overwrites it; a file unchanged saves at once."""
    script = tmp_path / "ext.py"
    script.write_text("x = 1\n", encoding="utf-8")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen, editor = await open_sandbox_on(pilot, app)
        editor.insert("# mine\n", (0, 0))
        await pilot.press("ctrl+s")  # unchanged on disk: saved
        await pilot.pause()
        assert script.read_text(encoding="utf-8") == "# mine\nx = 1\n"

        script.write_text("EXTERNAL CHANGE\n", encoding="utf-8")
        editor.insert("# again\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert script.read_text(encoding="utf-8") == "EXTERNAL CHANGE\n"
        assert screen.unsaved
        assert "changed on disk" in notices(app)[-1] and "ext.py" in notices(app)[-1]

        script.write_text("A SECOND CHANGE\n", encoding="utf-8")  # after the warning
        await pilot.press("ctrl+s")  # warned of the first change, not of this one: asks again
        await pilot.pause()
        assert script.read_text(encoding="utf-8") == "A SECOND CHANGE\n"
        assert len([n for n in notices(app) if "changed on disk" in n]) == 2

        await pilot.press("ctrl+s")  # the learner means it
        await pilot.pause()
        assert script.read_text(encoding="utf-8") == "# again\n# mine\nx = 1\n"
        assert not screen.unsaved


async def test_a_save_error_is_said_in_the_learners_words(app_factory, tmp_path):
    """The file turned into a folder: the error is in Chinese for a Chinese learner, without
    the system's English words and errno."""
    script = tmp_path / "todir.py"
    script.write_text("x = 1\n", encoding="utf-8")
    app = app_factory("zh", start="sandbox", start_arg=str(script))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        _, editor = await open_sandbox_on(pilot, app)
        script.unlink()
        script.mkdir()
        editor.insert("# mine\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = notices(app)[-1]
        assert "这是一个文件夹" in said, said
        assert "Errno" not in said and "Is a directory" not in said, said
