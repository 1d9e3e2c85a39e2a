"""How a trace warning names its module in the learner's words (``sandbox.warning.where`` and
``sandbox.warning.where_layer``): a module named by a container's index is a layer ("layer 1",
"1 号层"), any other by its name, and a model called directly by its type alone.

A warning from a result older than the ``layer`` and ``shown_name`` params (the tracer before
674e4fb) names its module as it is: it is still worded in the learner's language, not left in
English. Hand-made warnings: no sandbox, no torch."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.sandbox_messages import warning_message, worded_warning


def dead_relu(module: str, message: str, **name_params: Any) -> dict[str, Any]:
    """A ``dead_relu`` warning about ReLU ``module``, with the name params given."""
    return {
        "kind": "dead_relu",
        "module": module,
        "phase": "forward",
        "message": message,
        "params": {"type": "ReLU", **name_params, "zero_frac": 1.0},
    }


def test_a_warning_without_the_name_params_is_worded_in_chinese() -> None:
    old = dead_relu(
        "1", "100% of the outputs of 1 (ReLU) are zero: dead ReLU units pass no gradient"
    )
    assert worded_warning(old, "en") == old["message"]  # the catalogue words it as it came
    assert warning_message(old, "zh") == "1（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度"


@pytest.mark.parametrize(
    ("module", "name_params", "en", "zh_before"),
    [
        ("1", {"layer": True, "shown_name": "1"}, "layer 1 (ReLU)", "1 号层（ReLU）的"),
        (
            "0.1",
            {"layer": True, "shown_name": "[0][1]"},
            "layer [0][1] (ReLU)",
            "[0][1] 号层（ReLU）的",
        ),
        ("act", {"layer": False, "shown_name": "act"}, "act (ReLU)", "act（ReLU）的"),
        ("ReLU", {"layer": False, "shown_name": "ReLU"}, "ReLU", "ReLU 的"),
    ],
)
def test_a_module_is_named_as_a_layer_by_its_name_or_by_its_type(
    module: str, name_params: dict[str, Any], en: str, zh_before: str
) -> None:
    message = f"100% of the outputs of {en} are zero: dead ReLU units pass no gradient"
    warning = dead_relu(module, message, **name_params)
    assert worded_warning(warning, "en") == message
    assert (
        warning_message(warning, "zh") == f"{zh_before}输出有 100% 为零：死掉的 ReLU 单元传不回梯度"
    )


def test_a_warning_without_a_type_keeps_its_message() -> None:
    warning = dead_relu("1", "its own words", layer=True, shown_name="1")
    del warning["params"]["type"]
    assert worded_warning(warning, "zh") is None
    assert warning_message(warning, "zh") == "its own words"
