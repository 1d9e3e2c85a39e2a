"""Torch's Transformer errors that no attention hint answered are told in the layer's terms
(sandbox.torch_error_hints): nn.Transformer's own checks of its src and tgt (two batch sizes, a
last dimension not its d_model), a norm_first layer's LayerNorm given an input of the wrong
width, and a tgt and memory one batched (3-D) and the other not (2-D). Their numbers are read
only from plain tensors: a tensor subclass or a torch function mode would run the learner's
code."""

from __future__ import annotations

import pytest

from tests.sandbox.test_torch_error_hints import worded

TRANSFORMER = (
    "model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, "
    "dim_feedforward=16{first})\n"
)


@pytest.mark.parametrize(
    ("first", "src", "tgt", "dim"),
    [
        pytest.param("", "(3, 2, 8)", "(4, 3, 8)", "1", id="length-first"),
        pytest.param(", batch_first=True", "(2, 3, 8)", "(3, 4, 8)", "0", id="batch-first"),
    ],
)
def test_a_transformers_src_and_tgt_of_two_batch_sizes_are_told_so(sb, first, src, tgt, dim):
    code = TRANSFORMER.format(first=first) + f"model(torch.randn{src}, torch.randn{tgt})"
    err = sb.run(code).error
    assert err.type == "RuntimeError", err
    batch_first = str(bool(first))
    params = {"src_batch": "2", "tgt_batch": "3", "dim": dim, "batch_first": batch_first}
    en, zh = worded(err, "transformer_src_tgt_batch", **params)
    assert en.startswith("the batch number of src and tgt must be equal (")
    assert f"(dimension {dim}, as it was built with batch_first={batch_first})" in en
    assert "src's is 2 and tgt's 3" in en and f"batch_first={batch_first}" in zh


@pytest.mark.parametrize(
    ("src", "tgt", "name", "got"),
    [("(3, 2, 7)", "(4, 2, 8)", "src", "7"), ("(3, 2, 8)", "(4, 2, 6)", "tgt", "6")],
)
def test_a_transformers_input_not_of_d_model_is_told_in_its_terms(sb, src, tgt, name, got):
    code = TRANSFORMER.format(first="") + f"model(torch.randn{src}, torch.randn{tgt})"
    err = sb.run(code).error
    en, zh = worded(
        err, "transformer_d_model", layer="Transformer", name=name, expected="8", got=got
    )
    assert en.startswith("the feature number of src and tgt must be equal to d_model (")
    assert f"here 8 (nn.Transformer(d_model=8, …)), but this {name}'s is {got}" in en
    assert "nn.Transformer(d_model=8, …)" in zh


@pytest.mark.parametrize(
    ("first", "src", "tgt", "dim"),
    [
        # batch-first tensors (batch 2, lengths 10 and 7) into a model built length-first
        pytest.param("", "(2, 10, 8)", "(2, 7, 8)", "1", id="batch-first-tensors"),
        # length-first tensors (lengths 10 and 7, batch 2) into a model built batch_first
        pytest.param(", batch_first=True", "(10, 2, 8)", "(7, 2, 8)", "0", id="length-first"),
    ],
)
def test_src_and_tgt_whose_other_dimension_agrees_are_told_of_batch_first(sb, first, src, tgt, dim):
    code = TRANSFORMER.format(first=first) + f"model(torch.randn{src}, torch.randn{tgt})"
    err = sb.run(code).error
    other, batch_first, flipped = str(1 - int(dim)), str(bool(first)), str(not first)
    params = {"src_batch": "10", "tgt_batch": "7", "dim": dim, "batch_first": batch_first}
    flip = {"other": other, "flipped": flipped, "other_size": "2"}
    en, zh = worded(err, "transformer_batch_first", **params, **flip)
    assert en.startswith("the batch number of src and tgt must be equal (")
    assert f"if dimension {other} is your batch, build it with batch_first={flipped}" in en
    assert f"batch_first={flipped}" in zh


def test_doing_as_the_batch_first_hint_says_runs(sb):
    code = TRANSFORMER.format(first="") + "model(torch.randn(2, 10, 8), torch.randn(2, 7, 8)).shape"
    assert sb.run(code).error.hint_code == "transformer_batch_first"
    fixed = sb.run(code.replace("dim_feedforward=16", "dim_feedforward=16, batch_first=True"))
    assert fixed.value == "torch.Size([2, 7, 8])", fixed.error


def test_doing_as_the_batch_hint_says_runs(sb):
    code = TRANSFORMER.format(first="") + "model(torch.randn(3, 2, 8), torch.randn(4, 3, 8)).shape"
    assert sb.run(code).error.hint_code == "transformer_src_tgt_batch"
    fixed = sb.run(code.replace("torch.randn(4, 3, 8)", "torch.randn(4, 2, 8)"))
    assert fixed.value == "torch.Size([4, 2, 8])", fixed.error


NORM_FIRST_MODES = [
    pytest.param("y = layer({x})", "", id="training"),
    pytest.param("layer.eval()\nwith torch.no_grad():\n    y = layer({x})", "", id="eval"),
    pytest.param(
        "layer.eval()\nwith torch.no_grad():\n    y = layer({x})",
        ", batch_first=True",
        id="fast-path",
    ),
]


@pytest.mark.parametrize(("called", "first"), NORM_FIRST_MODES)
@pytest.mark.parametrize(
    ("layer", "inputs", "name"),
    [
        ("TransformerEncoderLayer", "torch.randn(3, 2, 7)", "src"),
        ("TransformerDecoderLayer", "torch.randn(3, 2, 7), torch.randn(4, 2, 8)", "tgt"),
    ],
)
def test_a_norm_first_layers_input_not_of_d_model_is_told_in_its_terms(
    sb, called, first, layer, inputs, name
):
    # its LayerNorm raises before its attention can: torch names normalized_shape
    code = f"layer = nn.{layer}(8, 2, norm_first=True{first})\n" + called.format(x=inputs)
    err = sb.run(code).error
    assert err.message.startswith("Given normalized_shape=[8], expected input with shape [*, 8]")
    en, _ = worded(err, "transformer_d_model", layer=layer, name=name, expected="8", got="7")
    assert f"but this {name}'s is 7" in en


ENCODER = (
    "class Encoder(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "{init}"
    "    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):\n"
    "        return {memory}\n" + TRANSFORMER.format(first=", custom_encoder=Encoder()")
)
"""An nn.Transformer with the learner's own encoder, whose forward makes the memory
``{memory}`` of src, after ``{init}`` (lines of ``__init__``)."""
DECODER_LAYER_INIT = "        self.layer = nn.TransformerDecoderLayer(8, 2, 16)\n"
DECODER_LAYER_ON_SRC = "self.layer(torch.randn(5, 2, 8), src)"
"""A decoder layer of the encoder's own, which it runs on a tgt of its own with src for memory."""

UNBATCHED_MIXES = [
    # (code, layer, tgt's dims, the other input, its dims)
    pytest.param(
        "nn.TransformerDecoderLayer(8, 2)(torch.randn(3, 2, 8), torch.randn(4, 8))",
        "TransformerDecoderLayer",
        "3",
        "memory",
        "2",
        id="decoder-layer",
    ),
    pytest.param(
        "nn.TransformerDecoderLayer(8, 2, batch_first=True)(torch.randn(3, 8), "
        "torch.randn(2, 4, 8))",
        "TransformerDecoderLayer",
        "2",
        "memory",
        "3",
        id="unbatched-tgt-batch-first",
    ),
    pytest.param(
        "nn.TransformerDecoderLayer(8, 2, norm_first=True)(torch.randn(3, 2, 8), "
        "torch.randn(4, 8))",
        "TransformerDecoderLayer",
        "3",
        "memory",
        "2",
        id="norm-first",
    ),
    pytest.param(
        "stack = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2), 2)\n"
        "stack(torch.randn(3, 2, 8), torch.randn(4, 8))",
        "TransformerDecoderLayer",
        "3",
        "memory",
        "2",
        id="decoder-stack",
    ),
    # nn.Transformer: its memory is src encoded; a 3-D src with a 2-D tgt fails its batch check
    pytest.param(
        TRANSFORMER.format(first="") + "model(torch.randn(3, 8), torch.randn(4, 2, 8))",
        "Transformer",
        "3",
        "src",
        "2",
        id="transformer-unbatched-src",
    ),
    pytest.param(
        TRANSFORMER.format(first="") + "model(torch.randn(3, 2, 8), torch.randn(4, 8))",
        "Transformer",
        "2",
        "src",
        "3",
        id="transformer-unbatched-tgt",
    ),
    # an nn.Transformer whose memory is not its src encoded (its encoder's makes it 2-D of a 3-D
    # src), or whose error is not its decoder's (a decoder layer its encoder runs, given a 3-D
    # tgt of its own): said in the decoder layer's terms, of a 3-D tgt and a 2-D memory
    *(
        pytest.param(
            ENCODER.format(init=init, memory=memory) + f"model(torch.randn{src}, torch.randn{tgt})",
            "TransformerDecoderLayer",
            "3",
            "memory",
            "2",
            id=name,
        )
        for name, init, memory, src, tgt in [
            ("custom-encoder-2-d-memory", "", "src.mean(1)", "(3, 2, 8)", "(4, 2, 8)"),
            (
                "layer-in-encoder",
                DECODER_LAYER_INIT,
                "self.layer(src, src[:, 0])",
                "(3, 2, 8)",
                "(4, 2, 8)",
            ),
            (
                "layer-in-encoder-given-src",
                DECODER_LAYER_INIT,
                DECODER_LAYER_ON_SRC,
                "(3, 8)",
                "(4, 8)",
            ),
        ]
    ),
]


@pytest.mark.parametrize(("code", "layer", "tgt_dims", "other", "other_dims"), UNBATCHED_MIXES)
def test_a_batched_tgt_with_an_unbatched_memory_is_told_so(
    sb, code, layer, tgt_dims, other, other_dims
):
    err = sb.run(code).error
    params = {"layer": layer, "tgt_dims": tgt_dims, "other": other, "other_dims": other_dims}
    en, zh = worded(err, "transformer_batched_mix", **params)
    assert f"nn.{layer}'s tgt and {other} must both be batched, 3-D" in en
    assert f"this tgt is {tgt_dims}-D and this {other} {other_dims}-D" in en
    hint = en.split(" (an nn.", 1)[1]  # after torch's words, which name its query and key
    assert "kdim" not in hint + zh and "key" not in hint and "query" not in hint


def test_doing_as_the_batched_hint_says_runs(sb):
    code = "nn.TransformerDecoderLayer(8, 2)(torch.randn(3, 2, 8), torch.randn(4, 8)).shape"
    assert sb.run(code).error.hint_code == "transformer_batched_mix"
    fixed = sb.run(code.replace("torch.randn(4, 8)", "torch.randn(4, 2, 8)"))
    assert fixed.value == "torch.Size([3, 2, 8])", fixed.error


@pytest.mark.parametrize(
    "code",
    [
        # the learner's own error in torch's words
        "raise RuntimeError('the batch number of src and tgt must be equal')",
        "raise RuntimeError('the feature number of src and tgt must be equal to d_model')",
        # the learner's own model named Transformer raising them
        "class Transformer(nn.Module):\n    def forward(self, src, tgt):\n"
        "        raise RuntimeError('the batch number of src and tgt must be equal')\n"
        "Transformer()(torch.randn(3, 2, 8), torch.randn(4, 3, 8))",
        # (a LayerNorm of the learner's own, or torch's given what the learner's modules made:
        # the LayerNorm's hint, tests/sandbox/test_torch_error_hints_layer_norm.py)
        # a 4-D tgt beside a 3-D src: no mix of batched and unbatched (torch takes no 4-D tgt)
        TRANSFORMER.format(first="") + "model(torch.randn(3, 2, 8), torch.randn(4, 3, 2, 8))",
        # (the learner's own attention given a batched query and an unbatched key and value:
        # the attention's hint, tests/sandbox/test_torch_error_hints_attention_batched_mix.py)
        # src and tgt of a tensor subclass: their shapes would run its __torch_function__
        "class Tagged(torch.Tensor):\n    pass\n"
        + TRANSFORMER.format(first="")
        + "model(torch.randn(3, 2, 8).as_subclass(Tagged), "
        "torch.randn(4, 3, 8).as_subclass(Tagged))",
    ],
)
def test_near_messages_get_no_transformer_hint(sb, code):
    err = sb.run(code).error
    assert err is not None and err.hint_code is None, err


def test_a_shape_is_read_from_a_plain_tensor_alone():
    torch = pytest.importorskip("torch")
    from torch.overrides import TorchFunctionMode

    from sandbox.torch_error_hints import _plain_shape

    seen: list[object] = []

    class Watching(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append(func)
            return func(*args, **(kwargs or {}))

    class Tagged(torch.Tensor):
        pass

    plain = torch.zeros(3, 2, 8)
    assert _plain_shape(plain) == (3, 2, 8)
    assert _plain_shape(plain.as_subclass(Tagged)) is None
    assert _plain_shape([3, 2, 8]) is None
    with Watching():
        assert _plain_shape(plain) is None
    assert seen == []


def test_a_d_model_not_an_int_is_not_compared():
    torch = pytest.importorskip("torch")

    from sandbox.torch_error_hints import torch_error_hint

    compared: list[object] = []

    class Width:
        """A d_model of the learner's: torch's check asks !=, the hint must not ask ==."""

        __hash__ = None

        def __ne__(self, other: object) -> bool:
            return True

        def __eq__(self, other: object) -> bool:
            compared.append(other)
            return False

    model = torch.nn.Transformer(
        d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16
    )
    model.d_model = Width()
    with pytest.raises(RuntimeError) as caught:
        model(torch.randn(3, 2, 7), torch.randn(4, 2, 8))
    assert str(caught.value) == "the feature number of src and tgt must be equal to d_model"
    assert torch_error_hint(caught.value, str(caught.value)) is None
    assert compared == []
