"""A warning from torch's own code names torch's file from its package, not by the environment's
full path (five such lines pushed a run's value out of an 80x24 sandbox)."""

from __future__ import annotations

import sysconfig
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.warning_paths import package_path

TRANSFORMER = (
    "model = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1,\n"
    "                       dim_feedforward=32)\n"
)


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(timeout_s=30) as box:
        yield box


def test_a_library_file_is_named_from_its_package() -> None:
    site = sysconfig.get_paths()["purelib"]
    assert package_path(f"{site}/torch/nn/modules/transformer.py") == (
        "torch/nn/modules/transformer.py"
    )
    assert package_path("<snippet>") == "<snippet>"
    assert package_path("/home/me/model.py") == "/home/me/model.py"


def test_torchs_warning_names_torchs_file_and_keeps_its_line(sb: Sandbox) -> None:
    r = sb.run(TRANSFORMER)
    assert r.status == "ok", r.error
    first, source = r.stderr.splitlines()[:2]
    assert first.startswith("torch/nn/modules/transformer.py:"), r.stderr
    assert "UserWarning: enable_nested_tensor is True" in first
    assert source.strip() and "site-packages" not in r.stderr, r.stderr


def test_the_learners_own_warning_names_their_line(sb: Sandbox) -> None:
    r = sb.run("import warnings\nwarnings.warn('mind the shapes')\n")
    assert r.stderr.splitlines() == [
        "<snippet>:2: UserWarning: mind the shapes",
        "  warnings.warn('mind the shapes')",
    ]
