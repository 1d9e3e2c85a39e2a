"""The sandbox screen's trace of QA's model, a dead ReLU after its first layer: the zero gradient
at layer 0 is put down to the ReLU, not to vanishing gradients, and the layers read as layers
("layer 1 (ReLU)", "1 号层（ReLU）"), not as the bare index that read as a count."""

from __future__ import annotations

import pytest

from tests.tui.conftest import make_app, text_of, traced_in_sandbox

QA_MODEL = """\
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
with torch.no_grad(): model[0].bias.fill_(-100.)
model(torch.randn(5, 4)).sum().backward()
"""

SHOWN = {
    "en": [
        "⚠ 100% of the outputs of layer 1 (ReLU) are zero: dead ReLU units pass no gradient",
        "⚠ no gradient reaches the output of layer 0 (Linear): the dead ReLU after it passes "
        "none back",
    ],
    "zh": [
        "⚠ 1 号层（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度",
        "⚠ 0 号层（Linear）的输出收不到梯度：它后面死掉的 ReLU 一点梯度也传不回来",
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_dead_relus_zero_gradient_is_not_called_vanishing(tmp_path, real_sandbox, lang):
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=(140, 50)) as pilot:
        view = await traced_in_sandbox(pilot, QA_MODEL)
        lines = text_of(view.query_one(".trace-warnings")).splitlines()
        assert lines == SHOWN[lang]
