"""A learner's own nn.LayerNorm given an input whose last dimensions are not its normalized_shape
is told which dimensions must match, with their numbers (sandbox.torch_error_hints: torch says
only 'expected input with shape [*, 16]'); a norm_first Transformer layer's own LayerNorm keeps
the layer's terms, and near messages get no LayerNorm hint."""

from __future__ import annotations

import pytest

from tests.sandbox.test_torch_error_hints import worded

MODEL = (
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.proj = nn.Linear(4, 8)\n"
    "        self.norm = nn.LayerNorm(16)\n"
    "    def forward(self, x):\n"
    "        return self.norm(self.proj(x))\n"
)


@pytest.mark.parametrize(
    ("code", "expected", "shape", "got"),
    [
        pytest.param("nn.LayerNorm(16)(torch.randn(3, 8))", "16", "3, 8", "8", id="alone"),
        pytest.param(MODEL + "Net()(torch.randn(3, 4))", "16", "3, 8", "8", id="in-a-model"),
        pytest.param(
            "norm = nn.LayerNorm(16)\nnorm.eval()\nwith torch.no_grad():\n"
            "    norm(torch.randn(2, 5, 8))",
            "16",
            "2, 5, 8",
            "8",
            id="eval-no-grad",
        ),
        # a normalized_shape of two dimensions: the input's last two are compared
        pytest.param(
            "nn.LayerNorm((4, 16))(torch.randn(3, 5, 16))", "4, 16", "3, 5, 16", "5, 16", id="2-d"
        ),
        # a stack's final norm of the learner's, given the layers' 8-wide output
        pytest.param(
            "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2), 1, norm=nn.LayerNorm(16))"
            "(torch.randn(3, 2, 8))",
            "16",
            "3, 2, 8",
            "8",
            id="a-stacks-final-norm",
        ),
        # the learner's own LayerNorm put into torch's layer: its d_model is not the norm's 16
        pytest.param(
            "layer = nn.TransformerEncoderLayer(8, 2, norm_first=True)\n"
            "layer.norm1 = nn.LayerNorm(16)\nlayer(torch.randn(3, 2, 8))",
            "16",
            "3, 2, 8",
            "8",
            id="put-into-torchs-layer",
        ),
    ],
)
def test_a_layer_norms_input_not_ending_in_its_shape_is_told_so(sb, code, expected, shape, got):
    err = sb.run(code).error
    assert err.message.startswith(f"Given normalized_shape=[{expected}]"), err
    en, zh = worded(err, "layer_norm_shape", expected=expected, shape=shape, got=got)
    assert f"must end in its normalized_shape, here [{expected}]" in en
    assert f"this input's shape [{shape}] ends in [{got}]" in en
    assert "d_model" not in en + zh and "normalized_shape" in zh
    # true of a LayerNorm alone or first as of one after another layer
    assert en.endswith(
        f"build it with the size of what it is given, [{got}] here, or give it an input that "
        f"ends in [{expected}])"
    )


def test_doing_as_the_layer_norm_hint_says_runs(sb):
    code = "nn.LayerNorm(16)(torch.randn(3, 8)).shape"
    assert sb.run(code).error.hint_code == "layer_norm_shape"
    fixed = sb.run(code.replace("LayerNorm(16)", "LayerNorm(8)"))
    assert fixed.value == "torch.Size([3, 8])", fixed.error


def test_a_norm_first_layers_own_layer_norm_keeps_the_layers_terms(sb):
    err = sb.run("nn.TransformerEncoderLayer(8, 2, norm_first=True)(torch.randn(3, 2, 7))").error
    assert err.message.startswith("Given normalized_shape=[8]"), err
    assert (err.hint_code, err.params["name"]) == ("transformer_d_model", "src")


@pytest.mark.parametrize(
    "code",
    [
        # F.layer_norm called by the learner: no nn.LayerNorm was built
        "F.layer_norm(torch.randn(3, 8), (16,))",
        # an input of fewer dimensions than normalized_shape, or none: no last ones to compare
        "nn.LayerNorm((4, 16))(torch.randn(16))",
        "nn.LayerNorm(16)(torch.tensor(1.0))",
        # the learner's own error in torch's words
        "raise RuntimeError('Given normalized_shape=[16], expected input with shape [*, 16], "
        "but got input of size[3, 8]')",
        # a LayerNorm subclass whose own forward calls F.layer_norm with another shape
        "class Norm(nn.LayerNorm):\n    def forward(self, x):\n"
        "        return F.layer_norm(x, (4,))\nNorm(8)(torch.randn(3, 8))",
        # another norm's words
        "nn.GroupNorm(2, 4)(torch.randn(3, 6))",
    ],
)
def test_near_messages_get_no_layer_norm_hint(sb, code):
    err = sb.run(code).error
    assert err is not None and err.hint_code is None, err


@pytest.mark.parametrize(
    ("code", "shape", "got"),
    [
        # the learner's own LayerNorm(16) put into torch's layer, given the layer's right input
        # (8 wide) or what the layer made of it: d_model is not its 16
        pytest.param(
            "layer = nn.TransformerEncoderLayer(8, 2)\nlayer.norm1 = nn.LayerNorm(16)\n"
            "layer(torch.randn(3, 2, 8))",
            "3, 2, 8",
            "8",
            id="norm1",
        ),
        pytest.param(
            "layer = nn.TransformerEncoderLayer(8, 2, norm_first=True)\n"
            "layer.norm2 = nn.LayerNorm(16)\nlayer(torch.randn(3, 2, 8))",
            "3, 2, 8",
            "8",
            id="norm2",
        ),
        pytest.param(
            "layer = nn.TransformerDecoderLayer(8, 2, norm_first=True)\n"
            "layer.norm3 = nn.LayerNorm(16)\nlayer(torch.randn(3, 2, 8), torch.randn(4, 2, 8))",
            "3, 2, 8",
            "8",
            id="norm3",
        ),
    ],
)
def test_a_learners_layer_norm_in_torchs_layer_is_told_of_its_own_shape(sb, code, shape, got):
    # not the layer's d_model hint: the LayerNorm's 16 is none of the layer's
    worded(sb.run(code).error, "layer_norm_shape", expected="16", shape=shape, got=got)


def test_torchs_layer_norm_given_what_the_learners_modules_made_names_no_d_model(sb):
    # torch's own LayerNorm(8) given not the layer's 1-wide src but what the learner's modules
    # made of it (5 wide): the LayerNorm's words, of what reached it
    code = (
        "layer = nn.TransformerEncoderLayer(8, 2, norm_first=True)\n"
        "layer.norm1, layer.dropout1 = nn.Linear(1, 8), nn.Linear(8, 5)\n"
        "layer(torch.randn(3, 2, 1))"
    )
    worded(sb.run(code).error, "layer_norm_shape", expected="8", shape="3, 2, 5", got="5")
