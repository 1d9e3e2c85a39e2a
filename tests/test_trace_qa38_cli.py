"""A clipped module cell keeps what tells its rows apart (QA pass 38, finding 5): at 80 columns
``run --trace`` cut a transformer's ``layers.0.self_attn MultiheadAttention`` and its
``layers.1`` twin evenly, to the same ``….self_attn MultiheadAt…``. The type gives way first,
and a name's index stays where its end alone would lose it: the TUI and the CLI share the cell."""

from __future__ import annotations

import re

import pytest

from tests.test_cli_run_qa37 import cli_env
from tutor.trace_layout import ModuleCell

TRANSFORMER = """
torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True)
enc = nn.TransformerEncoder(layer, num_layers=2)
enc(torch.randn(3, 5, 16)).sum().backward()
"""


@pytest.mark.parametrize("cells", range(15, 41))
@pytest.mark.parametrize(
    "name",
    [
        "layers.{}.self_attn",
        "encoder.layers.{}.self_attn.out_proj",
        "blocks.{}",
        "model.features.0.{}.conv_block",  # two indices side by side: the inner one tells
    ],
)
def test_twin_modules_keep_their_index_when_clipped(name: str, cells: int) -> None:
    first, second = (
        ModuleCell(name.format(i), "MultiheadAttention").render(True, cells).plain for i in (0, 1)
    )
    assert first != second and "0" in first, (first, second)
    assert len(first) <= cells, first


def test_the_type_gives_way_before_the_name() -> None:
    cell = ModuleCell("layers.0.self_attn", "MultiheadAttention").render(True, 24).plain
    assert cell == "…ers.0.self_attn Multih…", cell


@pytest.mark.parametrize(("lang", "columns"), [("en", "80"), ("zh", "80"), ("zh", "90")])
def test_run_trace_tells_the_layers_of_a_transformer_apart(tmp_path, lang, columns) -> None:
    import subprocess
    import sys

    args = ["--lang", lang, "--data-dir", str(tmp_path), "run", "-", "--trace", "--device", "cpu"]
    out = subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        input=TRANSFORMER.encode(),
        capture_output=True,
        timeout=180,
        env=cli_env(COLUMNS=columns),
    )
    assert out.returncode == 0, out.stderr.decode()
    rows = [line for line in out.stdout.decode().splitlines() if "(3, 5, " in line]
    # each row's phase and module: all before its shape, its number left out
    cells = [re.sub(r"^\s*\d+\s+", "", row[: row.index("(3, 5, ")]).rstrip() for row in rows]
    assert len(cells) == 38, rows
    layer0, layer1 = cells[0:9], cells[9:18]  # the two layers' forward calls, in order
    for zero, one in zip(layer0, layer1, strict=True):
        assert zero != one, (zero, one)
