"""Torch's directory, by which the hints tell torch's own frames (sandbox.torch_error_hints), is
not a run's to change for the runs after it: the in-process worker runs every run in one
process, and a run may set ``torch.__file__``."""

from __future__ import annotations

from sandbox import Sandbox

ENCODER_GIVEN_7_WIDE = "nn.TransformerEncoderLayer(8, 2)(torch.randn(3, 2, 7))"
"""Told in the layer's terms (transformer_d_model) only where its attention is found to be
torch's layer's own, by the files of torch's frames."""


def test_a_run_setting_torch_file_leaves_the_next_run_its_hint() -> None:
    # a fresh worker: a directory first looked up (or looked up again) in a run would be the one
    # the run set through torch.__file__
    with Sandbox(inprocess_device="cpu", timeout_s=30) as box:
        moved = box.run("torch.__file__ = '/nowhere/torch/__init__.py'\n" + ENCODER_GIVEN_7_WIDE)
        after = box.run(ENCODER_GIVEN_7_WIDE)
    assert after.error is not None and after.error.hint_code == "transformer_d_model", after.error
    assert moved.error is not None and moved.error.hint_code == "transformer_d_model", moved.error
