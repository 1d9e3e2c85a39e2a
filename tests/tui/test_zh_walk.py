"""A learner who reads only Chinese walks the tutor (``--lang zh``) at 80×24 and 60×20."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Button

from tutor.app import TutorApp
from tutor.i18n import tr
from tutor.screens.game import GameScreen

from .conftest import DECKS, FakeSandbox, make_config, screen_text, scripted, wait_for


async def test_progress_that_cannot_be_opened_is_said_in_chinese(tmp_path):
    """A data folder that is a file: the notice read "无法打开学习记录（FileExistsError: [Errno 17]
    File exists: '/…/afile'）" — a Python exception's repr in the middle of Chinese — and later
    only "文件已存在" where the CLI names the file in the folder's place."""
    blocker = tmp_path / "afile"
    blocker.write_text("", encoding="utf-8")
    config = make_config(tmp_path, "zh")
    config = type(config).resolve(data_dir=blocker, decks=[DECKS], lang="zh")
    app = TutorApp(config, autostart_sandbox=False, open_learning=True)
    app.sandbox, app.cuda = FakeSandbox(scripted), False
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._learning_settled.is_set())
        said = [n.message for n in app._notifications]
        failed = [m for m in said if "仍可学习" in m]
        assert failed, said
        assert "Error" not in failed[0] and "Errno" not in failed[0], failed[0]
        # as `nn-tutor stats` says it: the database, and the file in the folder's place
        path = config.paths.database
        problem = tr("cli.data_dir.is_file", "zh", folder=blocker, source="--data-dir")
        assert failed[0].startswith(tr("learning.open_failed", "zh", path=path, error=problem))


async def test_the_palette_says_switch_language_with_chinese_brackets(tmp_path):
    """The palette's language line read "切换语言 (English)": ASCII brackets in Chinese text."""
    app = TutorApp(make_config(tmp_path, "zh"), autostart_sandbox=False, open_learning=False)
    app.sandbox, app.cuda = FakeSandbox(scripted), False
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))

        def lines() -> list[str]:
            options = app.screen.query_one("CommandList").options  # type: ignore[attr-defined]
            return [str(option.prompt) for option in options]

        # the palette gathers its commands in a worker: on a loaded machine they come later
        await wait_for(pilot, lambda: any("切换语言" in line for line in lines()))
        language = [line for line in lines() if "切换语言" in line]
        assert language == ["🌐 切换语言（English）"], lines()


async def test_the_review_summary_says_when_the_next_card_is_due_without_a_stray_space(tmp_path):
    """The summary read "下一张卡片将在 10 分钟 后到期": a space inside Chinese, before 后."""
    config = make_config(tmp_path, "zh")
    app = TutorApp(
        config, autostart_sandbox=False, open_learning=True, start="review", start_arg="tui-cards"
    )
    app.sandbox, app.cuda = FakeSandbox(scripted), False
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: "显示答案" in screen_text(app))
        await pilot.press("space")
        await pilot.pause(0.2)
        # Easy: a card rated Good would be due again within the learn-ahead window and shown
        # again at once, with no summary
        await pilot.press("4")
        await wait_for(pilot, lambda: "后到期" in screen_text(app))
        line = next(x for x in screen_text(app).splitlines() if "后到期" in x)
        assert "天后到期" in line and " 后" not in line, line


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", ["g", "b"])
async def test_a_games_next_round_has_one_name(tmp_path, lang, key):
    """The game's footer offered "^n 新一轮" (New round) and its button "⏭ 下一轮" (Next round):
    one action, two names, in both languages."""
    app = TutorApp(make_config(tmp_path, lang), autostart_sandbox=False, open_learning=False)
    app.sandbox, app.cuda = FakeSandbox(scripted), False
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, GameScreen))
        await pilot.pause(0.2)
        button = str(app.screen.query_one("#next", Button).label).removeprefix("⏭ ")
        footer = app.screen._compositor.render_strips()[-1].text
        assert f"^n {button}" in footer, (button, footer)


async def test_take_first_quotes_the_lesson_as_the_rest_of_the_chinese_does(tmp_path):
    """Opening a lesson before its prerequisite said "「下一课：堆叠层」以它为基础": corner
    brackets, where every other Chinese line quotes with “…”."""
    app = TutorApp(
        make_config(tmp_path, "zh"),
        autostart_sandbox=False,
        open_learning=True,
        start="lesson",
        start_arg="tui-next",
    )
    app.sandbox, app.cuda = FakeSandbox(scripted), False
    async with app.run_test(size=(80, 24)) as pilot:
        said = lambda: [n.message for n in app._notifications if "建议先学" in n.message]  # noqa: E731
        await wait_for(pilot, lambda: bool(said()))
        assert "“下一课：堆叠层”" in said()[0] and "「" not in said()[0], said()
