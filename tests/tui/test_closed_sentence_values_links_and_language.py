"""``closed_sentence`` leaves alone a reason whose last line a stop would spoil (a link, an emoji,
a value printed on a line of its own), and picks the stop by the language the message is shown
in, not by the script of its words: an English reason may quote a learner's Chinese, a Chinese
one may end in code."""

from __future__ import annotations

import pytest
import torch

from tutor.i18n import LANGS, Lang
from tutor.widgets.step_base import closed_sentence


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "reason",
    [
        "see https://pytorch.org/docs/stable/generated/torch.nn.Linear.html",  # a stop joins the link
        "the docs:\nhttps://pytorch.org/docs/stable/nn.html",
        "well done 🎉",
        "好样的 👍🏽",  # an emoji with its skin tone
        "almost there ✔️",  # an emoji with its presentation selector
        str(torch.tensor([1.0, 2.0])),  # tensor([1., 2.])
        str(torch.zeros(2, 3).shape),  # torch.Size([2, 3])
        str(torch.ones(2, requires_grad=True) * 2),  # tensor([2., 2.], grad_fn=<MulBackward0>)
        str({"a": 1}),
        "42",
        "-0.5",
        "None",
        "x has the wrong shape, it is\ntorch.Size([4, 5])",
        # a dtype as torch prints it
        f"the tensor is\n{torch.zeros(2).dtype}",  # torch.float32
        f"dtype 应为\n{torch.zeros(2, dtype=torch.long).dtype}",  # torch.int64
        str(torch.bool),
        str(torch.float8_e4m3fn),
    ],
)
def test_a_reason_a_stop_would_spoil_is_left_as_it_is(reason, lang):
    assert closed_sentence(reason, lang) == reason


@pytest.mark.parametrize(
    ("reason", "lang", "closed"),
    [
        # words about a value still end their sentence
        ("loss was tensor(3.)", "en", "loss was tensor(3.)."),
        ("(see above)", "en", "(see above)."),
        ("3 layers are missing", "en", "3 layers are missing."),
        ("use torch.nn", "en", "use torch.nn."),  # a module is no dtype
        # an English reason quoting the learner's Chinese ends with the English stop
        ("your function returned '权重' instead of a tensor", "en", "…a tensor."),
        ("expected the layer named 隐藏层", Lang.EN, "expected the layer named 隐藏层."),
        # a Chinese reason ends with the Chinese stop, even when its last line is code
        (
            "形状不对，应当满足：\nx.shape == (4, 3)",
            "zh",
            "形状不对，应当满足：\nx.shape == (4, 3)。",
        ),
        ("请检查这一行：\nreturn x", "zh", "请检查这一行：\nreturn x。"),
        ("检查(x)", "zh", "检查(x)。"),  # a call spelled in Chinese is words, not a printed value
        ("请调用 model.eval", Lang.ZH, "请调用 model.eval。"),
    ],
)
def test_a_reason_is_closed_in_the_language_it_is_shown_in(reason, lang, closed):
    said = closed_sentence(reason, lang)
    if closed.startswith("…"):  # a long one: its end is what matters
        assert said.endswith(closed[1:]), said
    else:
        assert said == closed
