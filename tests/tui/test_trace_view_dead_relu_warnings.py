"""The sandbox screen's trace of QA's model, a dead ReLU after its first layer: the zero gradient
at layer 0 is put down to the ReLU, not to vanishing gradients, and the layers read as layers
("layer 1 (ReLU)", "1 号层（ReLU）"), not as the bare index that read as a count. A nested index
reads as the path it is ("layer [0][1]", as in model[0][1], where "0.1" read as a decimal), and a
zero gradient with no dead ReLU known behind it is no gradient, not vanishing gradients."""

from __future__ import annotations

import pytest

from tests.tui.conftest import make_app, text_of, traced_in_sandbox

QA_MODEL = """\
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
with torch.no_grad(): model[0].bias.fill_(-100.)
model(torch.randn(5, 4)).sum().backward()
"""

NESTED_DEAD_RELU_THEN_ZERO_WEIGHTS = """\
torch.manual_seed(0)
model = nn.Sequential(nn.Sequential(nn.Linear(4, 8), nn.ReLU()), nn.Linear(8, 1))
with torch.no_grad(): model[0][0].bias.fill_(-100.)
model(torch.randn(5, 4)).sum().backward()
flat = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
with torch.no_grad(): flat[2].weight.zero_()
flat(torch.randn(5, 4)).sum().backward()
"""

SHOWN = {
    (QA_MODEL, "en"): [
        "⚠ 100% of the outputs of layer 1 (ReLU) are zero: dead ReLU units pass no gradient",
        "⚠ no gradient reaches the output of layer 0 (Linear): the dead ReLU after it passes "
        "none back",
    ],
    (QA_MODEL, "zh"): [
        "⚠ 1 号层（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度",
        "⚠ 0 号层（Linear）的输出收不到梯度：它后面死掉的 ReLU 一点梯度也传不回来",
    ],
    (NESTED_DEAD_RELU_THEN_ZERO_WEIGHTS, "en"): [
        "⚠ 100% of the outputs of layer [0][1] (ReLU) are zero: dead ReLU units pass no gradient",
        "⚠ no gradient reaches the output of layer [0][0] (Linear): the dead ReLU after it passes "
        "none back",
        "⚠ no gradient reaches the output of layer 1 (ReLU) (its gradient is all zeros): something "
        "after it passes none back, such as a dead ReLU or a multiplication by zero",
    ],
    (NESTED_DEAD_RELU_THEN_ZERO_WEIGHTS, "zh"): [
        "⚠ [0][1] 号层（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度",
        "⚠ [0][0] 号层（Linear）的输出收不到梯度：它后面死掉的 ReLU 一点梯度也传不回来",
        "⚠ 1 号层（ReLU）的输出收不到梯度（梯度全为零）：它后面有一步没把任何梯度传回来，"
        "比如死掉的 ReLU，或乘以零",
    ],
}


@pytest.mark.parametrize(
    ("code", "lang"), list(SHOWN), ids=["qa-en", "qa-zh", "nested-en", "nested-zh"]
)
async def test_a_zero_gradient_is_no_gradient_and_layers_read_as_layers(
    tmp_path, real_sandbox, code, lang
):
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=(140, 50)) as pilot:
        view = await traced_in_sandbox(pilot, code)
        lines = text_of(view.query_one(".trace-warnings")).splitlines()
        assert lines == SHOWN[code, lang]
