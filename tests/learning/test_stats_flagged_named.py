"""Flagged cards are named by their fronts, in the learner's language, on the stats screen and in
``nn-tutor stats`` (they were listed by id, "🚩 tensors.card-bias", which a learner cannot tell
apart); a long front is cut with … to keep to a line, and a card no deck has any more keeps its
id, said to be in none of the learner's decks. In the Stats panel, with the flag's note, the
whole line is cut to fit the narrowest panel: the front shortened first to leave the note room,
then the note; ``nn-tutor stats`` has no panel and cuts nothing. A front's inline Markdown
(code spans, bold, italics) is dropped, as it reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.learning.conftest import FIXTURE_DECKS, load_library
from tests.learning.test_stats_screen import open_stats
from tests.learning.tui_helpers import make_app
from tutor.cli import main as cli_main
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.i18n import Lang, localize, tr
from tutor.learning import Learning
from tutor.stats_text import (
    FLAGGED_LINE_CELLS,
    FRONT_CELLS,
    FRONT_LEAST_CELLS,
    flagged_card_line,
)
from tutor.trace_layout import clip

BIAS_FRONT = {"en": "What is `bias` with `bias=False`?", "zh": "`bias=False` 时 `bias` 是什么？"}
BIAS_SHOWN = {"en": "What is bias with bias=False?", "zh": "bias=False 时 bias 是什么？"}
GONE = "tensors.card-dropped"


def flagged_lines(out: str, lang: str, count: int = 2) -> list[str]:
    """The ``count`` lines listed under the flagged cards' heading of ``nn-tutor stats``."""
    lines = out.splitlines()
    start = lines.index(tr("stats.flagged", lang, count=count)) + 1
    listed = lines[start : start + count]
    assert all(line.startswith("  ") for line in listed)
    return [line.strip() for line in listed]


def stats_text(config: TutorConfig, lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    options = ["--data-dir", str(config.data_dir), "--decks", str(config.deck_paths[0])]
    assert cli_main([*options, "--lang", lang, "stats"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nn_tutor_stats_names_a_flagged_card_by_its_front(
    config: TutorConfig, library: DeckLibrary, capsys, lang
):
    with Learning.open(config, library) as learning:
        learning.flag(GONE)
        learning.flag("tensors.card-bias", "two answers fit")
    assert flagged_lines(stats_text(config, lang, capsys), lang) == [
        tr("stats.flagged_note", lang, card=BIAS_SHOWN[lang], note="two answers fit"),
        tr("stats.flagged_gone", lang, card_id=GONE),
    ]


LONG_FRONT = {
    "en": "Which of these " + "very " * 30 + "long\\nwords is the card about?",
    "zh": "这张卡片讲的是下面" + "非常" * 30 + "长的\\n哪一个词？",
}
LONG_NOTE = {
    "en": "the answer says None\nbut " + "the lesson says otherwise " * 4,
    "zh": "答案说是 None，\n但" + "课程里说的不一样，" * 6,
}


def decks_with_long_fronts(
    tmp_path: Path, lang: str = "en", front: dict[str, str] = LONG_FRONT
) -> tuple[Path, TutorConfig]:
    """The fixture decks with the bias card's front ``front`` (in both languages), and a config
    in ``lang`` over them."""
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    cards = decks / "cards-tensors.yaml"
    text = cards.read_text(encoding="utf-8")
    for each in ("en", "zh"):
        text = text.replace(BIAS_FRONT[each], front[each])
    cards.write_text(text, encoding="utf-8")
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[decks], lang=lang)
    return decks, config


def panel_line(library: DeckLibrary, card_id: str, lang: str, note: str = "") -> str:
    """A flagged card's line as the Stats panel shows it (cut to :data:`FLAGGED_LINE_CELLS`)."""
    flag = {"card_id": card_id, "note": note}
    return flagged_card_line(flag, library, Lang(lang), cells=FLAGGED_LINE_CELLS)


def test_a_long_front_is_cut_to_a_line(tmp_path: Path):
    decks, _ = decks_with_long_fronts(tmp_path)
    shown = panel_line(load_library(decks), "tensors.card-bias", "en")
    assert shown.startswith("Which of these very very") and shown.endswith("…")
    assert cell_len(shown) == FRONT_CELLS


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_stats_screen_names_a_flagged_card_by_its_front(config, lang):
    app = make_app(config, lang=lang)
    async with app.run_test(size=(110, 44)) as pilot:
        _, screen = await open_stats(pilot, app)
        cards = str(screen.query_one("#stats-cards").render())
    front = localize(BIAS_SHOWN, lang)
    assert tr("stats.flagged_note", lang, card=front, note="two answers fit") in cards
    assert "tensors.card-bias" not in cards


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_front_is_cut_further_to_keep_its_note_whole(tmp_path: Path, lang: str):
    """The front was cut to :data:`FRONT_CELLS` and the note put after it whole, so the line
    wrapped in the Stats panel at 80 columns: now the front gives the note room."""
    decks, _ = decks_with_long_fronts(tmp_path, lang)
    shown = panel_line(load_library(decks), "tensors.card-bias", lang, "two answers fit")
    assert cell_len(shown) <= FLAGGED_LINE_CELLS
    assert shown.startswith(LONG_FRONT[lang][:8])
    assert shown.endswith(tr("stats.flagged_note", lang, card="…", note="two answers fit"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_note_is_cut_to_the_line(library: DeckLibrary, lang: str):
    """The note, the learner's own words, gets the line but for the front's start."""
    front = clip(BIAS_SHOWN[lang], FRONT_LEAST_CELLS, keep="start")
    shown = panel_line(library, "tensors.card-bias", lang, LONG_NOTE[lang])
    assert cell_len(shown) == FLAGGED_LINE_CELLS
    front_then = tr("stats.flagged_note", lang, card=front, note="")
    assert shown.startswith(front_then + LONG_NOTE[lang][:10]) and shown.endswith("…")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_each_flagged_card_keeps_to_a_line_in_the_stats_panel_at_80_columns(
    tmp_path: Path, lang: str
):
    """The reviewer's case: a 60-cell front, " — " and the note wrapped in the 72-cell panel."""
    decks, config = decks_with_long_fronts(tmp_path, lang)
    with Learning.open(config, load_library(decks)) as learning:
        learning.flag("tensors.card-call", LONG_NOTE[lang])
    app = make_app(config, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        _, screen = await open_stats(pilot, app)  # flags the long-fronted bias card
        panel = screen.query_one("#stats-cards")
        width = panel.content_region.width
        lines = str(panel.render()).splitlines()
    start = lines.index(tr("stats.flagged", lang, count=2)) + 1
    assert lines[start + 2] == tr("stats.orphans", lang, count=0)  # two lines, one a card
    assert [line for line in lines if cell_len(line) > width] == []


MARKED_FRONT = {
    "en": "How is `nn.Linear(in, out).weight` laid out, **rows** by *columns*, and which way "
    "round is it stored in the module?",
    "zh": "`nn.Linear(in, out).weight` 是怎样布局的？**行**是 *输出*，列是输入，"
    "它在模块里按哪种顺序存放？为什么这样存放？",
}
MARKED_SHOWN = {
    "en": "How is nn.Linear(in, out).weight laid out, rows by columns, and which way round is it "
    "stored in the module?",
    "zh": "nn.Linear(in, out).weight 是怎样布局的？行是 输出，列是输入，"
    "它在模块里按哪种顺序存放？为什么这样存放？",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_fronts_inline_markdown_is_dropped_before_it_is_cut(tmp_path: Path, lang: str):
    """Review of f30d8d0: the front was shown with its backticks and asterisks, which took cells
    of a cut line (and could leave half a code span's marks at the cut)."""
    decks, _ = decks_with_long_fronts(tmp_path, lang, MARKED_FRONT)
    shown = panel_line(load_library(decks), "tensors.card-bias", lang, "two answers fit")
    then_note = tr("stats.flagged_note", lang, card="", note="two answers fit")
    assert shown.endswith(then_note) and cell_len(shown) <= FLAGGED_LINE_CELLS
    front = shown.removesuffix(then_note)
    assert front.endswith("…") and MARKED_SHOWN[lang].startswith(front.removesuffix("…"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nn_tutor_stats_cuts_no_flagged_line(tmp_path: Path, capsys, lang: str):
    """Review of f30d8d0: ``nn-tutor stats`` cut each line to the Stats panel's
    :data:`FLAGGED_LINE_CELLS` at 80 columns, though it prints to no panel: the front and the
    note are now whole (a line break in the note still a space)."""
    decks, config = decks_with_long_fronts(tmp_path, lang, MARKED_FRONT)
    with Learning.open(config, load_library(decks)) as learning:
        learning.flag("tensors.card-bias", LONG_NOTE[lang])
    (shown,) = flagged_lines(stats_text(config, lang, capsys), lang, count=1)
    note = " ".join(LONG_NOTE[lang].split())
    assert shown == tr("stats.flagged_note", lang, card=MARKED_SHOWN[lang], note=note)


@pytest.mark.parametrize("cells", [30, FLAGGED_LINE_CELLS, 100])
def test_a_panel_line_keeps_to_the_cells_it_is_given(tmp_path: Path, cells: int):
    decks, _ = decks_with_long_fronts(tmp_path)
    flag = {"card_id": "tensors.card-bias", "note": LONG_NOTE["en"]}
    shown = flagged_card_line(flag, load_library(decks), Lang.EN, cells=cells)
    assert cell_len(shown) == cells and shown.endswith("…")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_flagged_card_in_no_deck_is_not_said_gone_beside_no_gone_cards(
    config: TutorConfig, library: DeckLibrary, lang: str
):
    """Review of f30d8d0: a flagged card no deck has read "(no longer in any deck)" right above
    "Cards no longer in any deck (0)": it was never reviewed, so it is no such card (those are
    the cards whose history is kept). Its note says it is not in the learner's decks."""
    with Learning.open(config, library) as learning:
        learning.flag(GONE)
    app = make_app(config, lang=lang)
    async with app.run_test(size=(110, 44)) as pilot:
        _, screen = await open_stats(pilot, app)
        lines = str(screen.query_one("#stats-cards").render()).splitlines()
    (gone,) = [line for line in lines if GONE in line]
    orphans = lines.index(tr("stats.orphans", lang, count=0))
    said = gone.replace(GONE, "").strip(" 🚩()（）")
    assert said and said not in lines[orphans]
