"""Lesson 09's diagrams, redrawn to fit 66 cells: what belongs together starts in one column.

The notes of a diagram (``(parameters)``, ``(L1, by hand)``, ``✘ NotImplementedError``) form a
column that reads down; a step of a chain hangs under the key it changes; the load half of the
state-dict hooks panel starts in one column beside the save half. Columns are terminal cells, as
Rich draws them, in en and zh.
"""

from __future__ import annotations

import pytest

from tests.content.test_redrawn_diagrams_read_in_line import LANGS, column, diagram
from tutor.decks import DeckLibrary

KEYS = ('"0.weight"', '"1.weight"', '"1.running_mean"', '"1.num_batches_tracked"', '"2.weight"')
ONE_COLUMN = {
    "suitcase keys": ("l09.txt-suitcase", {"en": KEYS, "zh": KEYS}),
    "suitcase notes": (
        "l09.txt-suitcase",
        {"en": ("(parameters)", "(buffers)"), "zh": ("（参数）", "（缓冲区）")},
    ),
    "regularisation notes": (
        "l09.txt-regularisation",
        {"en": ("(L1", "(L2"), "zh": ("（L1", "（L2")},
    ),
    "meta branch notes": (
        "l09.txt-meta-device",
        {"en": ("✘ NotImplementedError", "real memory"), "zh": ("✘ NotImplementedError", "真内存")},
    ),
    "init chart labels": (
        "l09.txt-init",
        {"en": ("vanishing", "Kaiming", "exploding"), "zh": ("信号消失", "Kaiming", "信号爆炸")},
    ),
    "hooks load half": (
        "l09.txt-state-dict-hooks",
        {
            "en": ("model.load_state_dict(ckpt)", "copy ckpt", "strict and"),
            "zh": ("model.load_state_dict(ckpt)", "先复制 ckpt", "strict 且"),
        },
    ),
}
"""Texts of a step's diagram that start in one column: (step id, {lang: texts})."""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("what", ONE_COLUMN)
def test_texts_that_belong_together_start_in_one_column(
    library: DeckLibrary, what: str, lang: str
) -> None:
    step_id, texts = ONE_COLUMN[what]
    lines = diagram(library, step_id, lang)
    assert len({column(lines, text) for text in texts[lang]}) == 1, "\n".join(lines)


@pytest.mark.parametrize("lang", LANGS)
def test_remap_steps_hang_under_the_key_they_change(library: DeckLibrary, lang: str) -> None:
    """Strip, then rename: the rename starts under the key the strip made, and the tick under
    the key the rename made."""
    lines = diagram(library, "l09.txt-remap", lang)
    rename = [line for line in lines if "└─" in line][-1]
    assert column([rename], "└─") == column(lines, '"features.0.weight"') + 1, lines
    assert column(lines, "✔") == column(lines, '"backbone.0.weight"') + 1, lines


@pytest.mark.parametrize("lang", LANGS)
def test_save_load_arrow_points_at_torch_load(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l09.txt-save-load", lang)
    start = column(lines, "torch.load")
    assert start <= column(lines, "▲") < start + len("torch.load"), lines
