"""``closed_sentence`` leaves alone a reason whose last line a stop would spoil (a link, an emoji,
a value printed on a line of its own), and picks the stop by the message's language, not by the
script of its last line (a Chinese reason may end in code)."""

from __future__ import annotations

import pytest
import torch

from tutor.widgets.step_base import closed_sentence


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
    ],
)
def test_a_reason_a_stop_would_spoil_is_left_as_it_is(reason):
    assert closed_sentence(reason) == reason


@pytest.mark.parametrize(
    ("reason", "closed"),
    [
        # words about a value still end their sentence
        ("loss was tensor(3.)", "loss was tensor(3.)."),
        ("(see above)", "(see above)."),
        ("3 layers are missing", "3 layers are missing."),
        # a Chinese reason ends with the Chinese stop, even when its last line is code
        ("形状不对，应当满足：\nx.shape == (4, 3)", "形状不对，应当满足：\nx.shape == (4, 3)。"),
        ("请检查这一行：\nreturn x", "请检查这一行：\nreturn x。"),
        ("检查(x)", "检查(x)。"),  # a call spelled in Chinese is words, not a printed value
    ],
)
def test_a_reason_is_still_closed_in_its_messages_language(reason, closed):
    assert closed_sentence(reason) == closed
