"""A Transformer layer's inputs of the wrong width or batch size are told so in its own terms
(its src, tgt and memory, its d_model; sandbox.torch_error_hints), not in those of the
nn.MultiheadAttention it holds, whose kdim, vdim and embed_dim it takes no argument for: in
training mode and on torch's fast path (eval mode, no grad, batch_first). A learner's own module
calling an nn.MultiheadAttention keeps the attention hints."""

from __future__ import annotations

import pytest

from tests.sandbox.test_torch_error_hints import worded

DECODER = "layer = nn.TransformerDecoderLayer(8, 2{first})\n"
ENCODER = "layer = nn.TransformerEncoderLayer(8, 2{first})\n"
EVAL_NO_GRAD = "layer.eval()\nwith torch.no_grad():\n    y = layer({inputs})\n"
TRAINING = "y = layer({inputs})\n"
SHAPES = {
    # (length, batch, width) as the layer reads them: batch first where built so
    False: "torch.randn({0}, {1}, {2})",
    True: "torch.randn({1}, {0}, {2})",
}


def transformer_code(built: str, called: str, batch_first: bool, *inputs: tuple) -> str:
    """A layer built as ``built`` called (``called``) on tensors of ``inputs`` (length, batch,
    width), batch first where ``batch_first``."""
    first = ", batch_first=True" if batch_first else ""
    tensors = ", ".join(SHAPES[batch_first].format(*shape) for shape in inputs)
    return built.format(first=first) + called.format(inputs=tensors)


MODES = [
    pytest.param(TRAINING, False, id="training"),
    pytest.param(TRAINING, True, id="training-batch-first"),
    pytest.param(EVAL_NO_GRAD, False, id="eval"),
    pytest.param(EVAL_NO_GRAD, True, id="fast-path"),
]

WIDTH_MISTAKES = [
    # (layer, its inputs, the one of the wrong width, its width)
    pytest.param(ENCODER, [(3, 2, 7)], "src", "7", "TransformerEncoderLayer", id="src"),
    pytest.param(DECODER, [(3, 2, 7), (4, 2, 8)], "tgt", "7", "TransformerDecoderLayer", id="tgt"),
    pytest.param(
        DECODER, [(3, 2, 8), (4, 2, 6)], "memory", "6", "TransformerDecoderLayer", id="memory"
    ),
]


def assert_transformer_words(en: str, zh: str, layer: str, name: str, got: str) -> None:
    """The hint speaks of the layer, its d_model and input ``name``, never of the attention's
    arguments it has none of."""
    assert f"an nn.{layer}'s inputs (src; tgt and memory for a decoder)" in en
    assert f"its d_model, here 8 (nn.{layer}(d_model=8, …)), but this {name}'s is {got}" in en
    assert f"nn.Linear({got}, 8)" in en and f"nn.{layer}(d_model=8, …)" in zh
    # the hints, after torch's words (the fast path's name embed_dim)
    for words in (en.split(" (", 1)[1], zh.split("（", 1)[1]):
        assert "kdim" not in words and "vdim" not in words and "embed_dim" not in words


@pytest.mark.parametrize(("called", "batch_first"), MODES)
@pytest.mark.parametrize(("built", "inputs", "name", "got", "layer"), WIDTH_MISTAKES)
def test_an_input_not_of_d_model_is_told_in_the_layers_terms(
    sb, called, batch_first, built, inputs, name, got, layer
):
    err = sb.run(transformer_code(built, called, batch_first, *inputs)).error
    en, zh = worded(err, "transformer_d_model", layer=layer, name=name, expected="8", got=got)
    assert_transformer_words(en, zh, layer, name, got)


@pytest.mark.parametrize(
    ("code", "layer", "name", "got"),
    [
        # the reviewer's: memory of width 6, in a stack of decoder layers too
        (
            "nn.TransformerDecoderLayer(8, 2)(torch.randn(3, 1, 8), torch.randn(4, 1, 6))",
            "TransformerDecoderLayer",
            "memory",
            "6",
        ),
        (
            "stack = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2), 2)\n"
            "stack(torch.randn(3, 1, 8), torch.randn(4, 1, 6))",
            "TransformerDecoderLayer",
            "memory",
            "6",
        ),
        (
            "stack = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, batch_first=True), 2)\n"
            "stack.eval()\nwith torch.no_grad():\n    stack(torch.randn(2, 3, 7))",
            "TransformerEncoderLayer",
            "src",
            "7",
        ),
        # a layer in a model of the learner's
        (
            "class Encoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.layer = nn.TransformerEncoderLayer(8, 2)\n"
            "    def forward(self, x):\n        return self.layer(x)\n"
            "Encoder()(torch.randn(3, 1, 7))",
            "TransformerEncoderLayer",
            "src",
            "7",
        ),
    ],
)
def test_a_layer_in_a_stack_or_a_model_is_told_in_its_terms(sb, code, layer, name, got):
    err = sb.run(code).error
    en, zh = worded(err, "transformer_d_model", layer=layer, name=name, expected="8", got=got)
    assert_transformer_words(en, zh, layer, name, got)


@pytest.mark.parametrize(
    ("mistake", "fix"),
    [
        ("torch.randn(4, 1, 6)", "torch.randn(4, 1, 8)"),
        ("torch.randn(4, 1, 6)", "nn.Linear(6, 8)(torch.randn(4, 1, 6))"),
    ],
)
def test_doing_as_the_transformer_hint_says_works(sb, mistake, fix):
    code = f"nn.TransformerDecoderLayer(8, 2)(torch.randn(3, 1, 8), {mistake}).shape"
    assert sb.run(code).error.hint_code == "transformer_d_model"
    fixed = sb.run(code.replace(mistake, fix))
    assert fixed.value == "torch.Size([3, 1, 8])", fixed.error


@pytest.mark.parametrize(("called", "batch_first"), MODES)
@pytest.mark.parametrize("memory_batch", ["3", "1"])
def test_a_memory_of_another_batch_size_than_tgt_is_told_so(sb, called, batch_first, memory_batch):
    code = transformer_code(DECODER, called, batch_first, (3, 2, 8), (4, int(memory_batch), 8))
    err = sb.run(code).error
    assert err.type == "RuntimeError", err
    en, zh = worded(err, "transformer_memory_batch", tgt_batch="2", memory_batch=memory_batch)
    assert f"memory's batch size must be tgt's, here 2, but this memory's is {memory_batch}" in en
    assert "batch_first=True" in zh and "kdim" not in en + zh


def test_a_memory_of_tgts_batch_size_runs(sb):
    code = "nn.TransformerDecoderLayer(8, 2)(torch.randn(3, 2, 8), torch.randn(4, 3, 8)).shape"
    assert sb.run(code).error.hint_code == "transformer_memory_batch"
    fixed = sb.run(code.replace("torch.randn(4, 3, 8)", "torch.randn(4, 2, 8)"))
    assert fixed.value == "torch.Size([3, 2, 8])", fixed.error


CROSS = (
    # the learner's own module calling an nn.MultiheadAttention on x and memory
    "class Cross(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    "        self.attend = nn.MultiheadAttention(8, 2)\n"
    "    def forward(self, x, memory):\n        return self.attend(x, memory, memory)[0]\n"
)


@pytest.mark.parametrize(
    ("code", "hint_code"),
    [
        # the learner's own module calling an nn.MultiheadAttention: the attention's hints
        (
            CROSS + "Cross()(torch.randn(3, 1, 8), torch.randn(4, 1, 6))",
            "attention_embed_dim",
        ),
        # a Transformer layer's own attention called by the learner: theirs to call
        (
            "layer = nn.TransformerEncoderLayer(8, 2)\nx = torch.randn(3, 1, 7)\n"
            "layer.self_attn(x, x, x)",
            "attention_query_width",
        ),
        # an nn.MultiheadAttention's key of another batch size: told in its own terms
        (
            "nn.MultiheadAttention(8, 2)(torch.randn(3, 2, 8), *[torch.randn(4, 3, 8)] * 2)",
            "attention_key_batch",
        ),
        # the learner's own module calling one so: its terms too, not a decoder's memory
        (
            CROSS + "Cross()(torch.randn(3, 2, 8), torch.randn(4, 3, 8))",
            "attention_key_batch",
        ),
        # a reshape of the learner's own in those words
        ("torch.randn(96).view(4, 4, 5)", None),
    ],
)
def test_attention_called_by_the_learner_keeps_its_hints(sb, code, hint_code):
    err = sb.run(code).error
    assert err is not None and err.hint_code == hint_code, err


RELATIVE_LAYER = (
    # a Transformer layer subclass whose self-attention is the learner's own, built too wide
    "class Relative(nn.TransformerEncoderLayer):\n"
    "    def __init__(self):\n"
    "        super().__init__(d_model=8, nhead=2)\n"
    "        self.rel = nn.MultiheadAttention(16, 2)\n"
    "    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):\n"
    "        return self.rel(x, x, x, need_weights=False)[0]\n"
    "Relative()(torch.randn(3, 1, 8))"
)
OWN_ACTIVATION = (
    # a custom activation calling the learner's own attention, given 5 of its 16 features
    "own = nn.MultiheadAttention(4, 2)\n"
    "def act(x):\n"
    "    y = x[..., :5]\n"
    "    return own(y, y, y)[0]\n"
    "nn.TransformerEncoderLayer(8, 2, activation=act)(torch.randn(3, 1, 8))"
)
OWN_KDIM_ATTENTION = (
    # a subclass's own attention built with kdim=6, vdim=6, given a key of width 5
    "class Context(nn.TransformerEncoderLayer):\n"
    "    def __init__(self):\n"
    "        super().__init__(8, 2)\n"
    "        self.ctx_attn = nn.MultiheadAttention(8, 2, kdim=6, vdim=6)\n"
    "        self.ctx = torch.randn(5, 1, 5)\n"
    "    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):\n"
    "        return self.ctx_attn(x, self.ctx, self.ctx, need_weights=False)[0]\n"
    "Context()(torch.randn(3, 1, 8))"
)


@pytest.mark.parametrize(
    ("code", "hint_code", "params"),
    [
        pytest.param(
            RELATIVE_LAYER,
            "attention_query_width",
            {"expected": "16", "got": "8"},
            id="overridden-sa-block",
        ),
        pytest.param(
            OWN_ACTIVATION,
            "attention_query_width",
            {"expected": "4", "got": "5"},
            id="custom-activation",
        ),
        pytest.param(
            OWN_KDIM_ATTENTION,
            "attention_kdim",
            {"name": "key", "dim": "kdim", "got": "5", "expected": "6"},
            id="own-kdim-attention",
        ),
    ],
)
def test_the_learners_own_attention_in_a_transformer_layer_keeps_its_hints(
    sb, code, hint_code, params
):
    # the layer's terms are for its own attention, called by torch's _sa_block or _mha_block;
    # an attention the learner built and called there is theirs to fix
    en, _ = worded(sb.run(code).error, hint_code, **params)
    assert "nn.TransformerEncoderLayer" not in en
