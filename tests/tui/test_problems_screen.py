"""The deck problems screen: each problem one entry, however it wraps, and files told apart."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rich.console import Console

from tests.tui.conftest import BROKEN, DECKS, make_app, ready
from tutor.screens.problems import ProblemsScreen


def shown_lines(app) -> list[str]:
    """The problems text as the screen wraps it."""
    static = app.screen.query_one("#problems-text")
    console = Console(width=static.content_region.width, file=io.StringIO(), record=True)
    console.print(static.content)
    return console.export_text().splitlines()


async def test_a_wrapped_problem_stays_indented_under_its_first_line(tmp_path: Path) -> None:
    app = make_app(tmp_path, decks=[DECKS, BROKEN])
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        await app.push_screen(ProblemsScreen())
        await pilot.pause()
        lines = shown_lines(app)
        first = next(
            i for i, line in enumerate(lines) if "answer 'z'" in line or "bad.yaml:" in line
        )
        assert "bad.yaml:14:13" in lines[first], lines
        assert lines[first + 1].startswith("    ") and lines[first + 1].strip(), lines


async def test_two_bad_files_of_one_name_are_told_apart(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        shutil.copy(BROKEN / "bad.yaml", tmp_path / folder / "bad.yaml")
    app = make_app(tmp_path, decks=[DECKS, tmp_path / "one", tmp_path / "two"])
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await app.push_screen(ProblemsScreen())
        await pilot.pause()
        text = "\n".join(shown_lines(app))
        assert "one/bad.yaml" in text and "two/bad.yaml" in text, text


async def test_f2_says_the_problems_in_the_other_language_without_reloading(
    tmp_path: Path,
) -> None:
    """Every text on the screen follows F2, the problems too; they were found once, at load,
    and are only worded again (a reload would race the worker that loads the decks)."""
    app = make_app(tmp_path, decks=[DECKS, BROKEN])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        library, errors = app.library, list(app.library.errors)
        await app.push_screen(ProblemsScreen())
        await pilot.pause()
        english = "\n".join(shown_lines(app))
        assert "answer 'z' is not among the options (a, b)" in english, english

        await pilot.press("f2")
        await pilot.pause()
        chinese = "\n".join(shown_lines(app))
        assert "卡组问题" in chinese, chinese
        assert "bad.yaml:14:13: steps[0].answer: 答案 'z' 不在选项（a, b）之中" in chinese, chinese
        assert "not among" not in chinese, chinese
        assert app.library is library and app.library.errors == errors

        await pilot.press("f2")
        await pilot.pause()
        assert "\n".join(shown_lines(app)) == english


def test_files_with_only_the_root_in_common_are_named_by_their_whole_path(tmp_path: Path) -> None:
    """Below a shared folder a file is named from there (``one/bad.yaml``); with only ``/`` in
    common that read ``tmp/…/bad.yaml``, a path that is neither absolute nor relative to here
    (QA): the whole path then."""
    from tutor.screens.problems import display_names

    shared = {tmp_path / "one" / "bad.yaml", tmp_path / "two" / "bad.yaml"}
    assert sorted(display_names(shared).values()) == ["one/bad.yaml", "two/bad.yaml"]
    apart = {tmp_path / "bad.yaml", Path("/dev/shm/nn-tutor-elsewhere/bad.yaml")}
    assert display_names(apart) == {file: str(file) for file in apart}


async def test_the_skipped_decks_panel_shows_at_80x24_beside_a_long_title(tmp_path: Path) -> None:
    """A long lesson title in Continue pushed the "deck skipped · x see why" panel below the
    footer at 80×24: the one word on why a lesson is missing was never seen."""
    decks = tmp_path / "decks"
    shutil.copytree(DECKS, decks)
    basics = decks / "01-basics.yaml"
    long_title = "Basics: one Linear layer, its weight, its bias and everything around them " * 2
    text = basics.read_text(encoding="utf-8")
    basics.write_text(text.replace("Basics: one Linear layer", long_title.strip(), 1), "utf-8")
    app = make_app(tmp_path, decks=[decks, BROKEN])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause(0.2)
        panel = app.screen.query_one("#problems")
        footer = app.screen.query_one("Footer")
        assert panel.display and panel.region.height > 0
        assert panel.region.bottom <= footer.region.y, (panel.region, footer.region)
