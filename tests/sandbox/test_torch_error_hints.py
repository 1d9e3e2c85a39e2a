"""The torch errors a torch.nn learner meets most come back with advice naming their numbers
(sandbox.torch_error_hints): real torch in the sandbox, worded in English and Chinese through the
tutor's own message function. A message torch might word otherwise gets no hint, not a wrong one."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from sandbox import runner
from sandbox.outcome import HINTS
from sandbox.torch_error_hints import (
    _RAISED_BUILDING,
    _learners_name_of,
    _raised_in_container_init,
    torch_error_hint,
)
from tutor.i18n import tr
from tutor.sandbox_messages import check_words, error_message

HAN = re.compile(r"[\u4e00-\u9fff]")


def worded(err: Any, code: str, **params: str) -> tuple[str, str]:
    """``err``'s hint is ``code`` with ``params``; its English (the sandbox's own message, torch's
    first) and its Chinese, which names the same numbers."""
    assert (err.hint_code, err.params) == (code, params), err
    en, zh = error_message(err, "en"), error_message(err, "zh")
    assert en == err.message and en.endswith(f" ({HINTS[code].format(**params)})")
    assert HAN.search(zh) and all(value in zh for value in params.values()), zh
    return en, zh


def test_a_linears_input_of_the_wrong_width_names_in_features(sb):
    err = sb.run("layer = nn.Linear(4, 2)\nx = torch.randn(3, 5)\nlayer(x)").error
    assert err.line == 3
    en, zh = worded(err, "matmul_shapes", width="5", inner="4")
    assert en.startswith("mat1 and mat2 shapes cannot be multiplied (3x5 and 4x2) (")
    assert "last dimension (5) must equal the right one's first (4)" in en
    assert "in_features, here 4" in en and "in_features" in zh


@pytest.mark.parametrize(
    ("code", "width", "inner"),
    [
        ("torch.randn(2, 3) @ torch.randn(2, 3)", "3", "2"),
        ("torch.mm(torch.randn(2, 3), torch.randn(2, 3))", "3", "2"),
        ("torch.matmul(torch.randn(2, 3), torch.randn(2, 3))", "3", "2"),
        # x folded to 6x5: its last is still 5
        ("x = torch.randn(2, 3, 5)\nw = torch.randn(4, 2)\ny = x @ w", "5", "4"),
        # the learner's own function named linear: its x @ w raised, no Linear
        (
            "def linear(x, w):\n    return x @ w\nlinear(torch.randn(2, 3), torch.randn(2, 3))",
            "3",
            "2",
        ),
        # a name linear that is torch.mm, not F.linear
        ("linear = torch.mm\nlinear(torch.randn(3, 5), torch.randn(4, 2))", "5", "4"),
    ],
)
def test_a_plain_matrix_product_is_told_of_no_linear(sb, code, width, inner):
    en, zh = worded(sb.run(code).error, "matrix_product_shapes", width=width, inner=inner)
    assert f"last dimension ({width}) must equal the right one's first ({inner})" in en
    assert "A @ B needs A's columns to equal B's rows" in en and "A @ B" in zh
    assert "Linear" not in en and "in_features" not in zh


@pytest.mark.parametrize(
    ("code", "width", "inner"),
    [
        ("nn.Linear(4, 2)(torch.randn(3, 5))", "5", "4"),
        ("F.linear(torch.randn(2, 3), torch.randn(4, 2))", "3", "2"),
        # over two lines, as torch.nn.functional's, inside another call
        (
            "torch.relu(torch.nn.functional.linear(\n    torch.randn(2, 3), torch.randn(4, 2)))",
            "3",
            "2",
        ),
        (
            "net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(4, 1))\nnet(torch.randn(3, 4))",
            "8",
            "4",
        ),
        (
            "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.w = nn.Parameter(torch.randn(2, 4))\n"
            "    def forward(self, x):\n        return F.linear(x, self.w)\n"
            "Net()(torch.randn(3, 5))",
            "5",
            "4",
        ),
        # F.linear by the names the learner's code gives it
        (
            "from torch.nn.functional import linear\nlinear(torch.randn(3, 5), torch.randn(2, 4))",
            "5",
            "4",
        ),
        ("project = F.linear\nproject(torch.randn(3, 5), torch.randn(2, 4))", "5", "4"),
        ("nn.functional.linear(torch.randn(3, 5), torch.randn(2, 4))", "5", "4"),
    ],
)
def test_a_linears_input_of_the_wrong_width_in_any_linear_names_in_features(sb, code, width, inner):
    en, zh = worded(sb.run(code).error, "matmul_shapes", width=width, inner=inner)
    assert f"in_features, here {inner}" in en and "in_features" in zh


def test_torchs_matrix_words_with_no_traceback_get_the_plain_hint():
    text = "mat1 and mat2 shapes cannot be multiplied (3x5 and 4x2)"
    hint = torch_error_hint(RuntimeError(text), text)
    assert hint == ("matrix_product_shapes", {"width": "5", "inner": "4"})


@pytest.mark.parametrize(
    ("code", "a", "b", "dim"),
    [
        ("torch.randn(2, 3) + torch.randn(3, 2)", "3", "2", "1"),
        ("torch.randn(4, 2, 3) * torch.randn(3, 2)", "3", "2", "2"),  # counted in the longer
        ("x = torch.randn(2, 3)\nx += torch.randn(3, 3)", "2", "3", "0"),
        ("nn.MSELoss()(torch.randn(3, 2), torch.randn(2, 3))", "2", "3", "1"),
    ],
)
def test_a_broadcast_mismatch_teaches_broadcasting_with_its_numbers(sb, code, a, b, dim):
    en, zh = worded(sb.run(code).error, "broadcast_shapes", a=a, b=b, dim=dim)
    assert en.startswith(f"The size of tensor a ({a}) must match the size of tensor b ({b}) ")
    assert "compared from the last dimension" in en and "equal or one of them 1" in en
    assert f"at dim={dim} (counted from 0, in the longer shape) one has {a} and the other {b}" in en
    assert "从最后一维开始" in zh and f"dim={dim}（从 0 数起" in zh


@pytest.mark.parametrize(
    ("code", "a", "b", "dim"),
    [
        ("torch.randn(2, 3, 4) @ torch.randn(3, 4, 5)", "2", "3", "0"),
        # counted in the longer shape, the right one here
        ("torch.matmul(torch.randn(2, 3, 4), torch.randn(5, 3, 4, 5))", "2", "3", "1"),
        ("x = torch.randn(2, 1, 3, 4)\nx.matmul(torch.randn(3, 2, 4, 5))", "2", "3", "0"),
        ("x = torch.randn(2, 3, 3)\nx @= torch.randn(3, 3, 3)", "2", "3", "0"),
        ("torch.Tensor.matmul(torch.randn(2, 3, 4), torch.randn(3, 4, 5))", "2", "3", "0"),
        # torch.linalg.matmul is not torch.matmul, nor is a tensor's method: each is named
        ("torch.linalg.matmul(torch.randn(2, 3, 4), torch.randn(3, 4, 5))", "2", "3", "0"),
        ("mm = torch.Tensor.matmul\nmm(torch.randn(2, 3, 4), torch.randn(3, 4, 5))", "2", "3", "0"),
        (
            "mm = torch.Tensor.__matmul__\nmm(torch.randn(2, 3, 4), torch.randn(3, 4, 5))",
            "2",
            "3",
            "0",
        ),
        ("torch.randn(2, 3, 4).__matmul__(torch.randn(3, 4, 5))", "2", "3", "0"),
        (
            "from torch import matmul\nmatmul(torch.randn(2, 3, 4), torch.randn(3, 4, 5))",
            "2",
            "3",
            "0",
        ),
        # a method of an object the frame's names do not tell: a tensor's, by its name
        (
            "class Box:\n    pass\nbox = Box()\nbox.a = torch.randn(2, 3, 4)\n"
            "box.a.matmul(torch.randn(3, 4, 5))",
            "2",
            "3",
            "0",
        ),
    ],
)
def test_a_batched_matrix_products_batch_dimensions_are_named_as_its_own(sb, code, a, b, dim):
    en, zh = worded(sb.run(code).error, "matmul_batch_shapes", a=a, b=b, dim=dim)
    assert en.startswith(f"The size of tensor a ({a}) must match the size of tensor b ({b}) ")
    assert "element-wise ops (+" not in en and "from the last dimension" not in en
    assert "multiplies the last two dimensions as matrices" in en
    assert f"at dim={dim} (counted from 0, in the longer shape) the left tensor has {a}" in en
    assert "批量矩阵乘法" in zh and f"左边的张量是 {a}，右边的是 {b}" in zh


@pytest.mark.parametrize(
    "code",
    [
        "matmul = torch.add\nmatmul(torch.randn(2, 3, 4), torch.randn(3, 4, 5))",
        "import types\nops = types.ModuleType('ops')\nops.matmul = torch.mul\n"
        "ops.matmul(torch.randn(2, 3, 4), torch.randn(3, 4, 5))",
    ],
)
def test_a_name_matmul_that_is_no_matrix_product_gets_the_element_wise_words(sb, code):
    worded(sb.run(code).error, "broadcast_shapes", a="4", b="5", dim="2")


def test_batch_dimensions_that_broadcast_as_the_hint_says_work(sb):
    code = "a = torch.randn(2, 3, 4)\nb = torch.randn(3, 4, 5)\n(a @ b).shape"
    assert sb.run(code).error.hint_code == "matmul_batch_shapes"
    fixed = sb.run(code.replace("randn(3, 4, 5)", "randn(1, 4, 5)"))  # a batch size of 1
    assert fixed.value == "torch.Size([2, 3, 5])", fixed.error


def test_shapes_that_broadcast_as_the_hint_says_work(sb):
    code = "a = torch.randn(2, 3)\nb = torch.randn(2)\n(a + b).shape"
    assert sb.run(code).error.hint_code == "broadcast_shapes"
    fixed = sb.run(code.replace("(a + b)", "(a + b.unsqueeze(1))"))  # (2, 1) against (2, 3)
    assert fixed.value == "torch.Size([2, 3])", fixed.error


def test_a_conv_gets_its_channels_named(sb):
    err = sb.run("conv = nn.Conv2d(3, 8, 3)\nconv(torch.randn(1, 1, 8, 8))").error
    en, zh = worded(err, "conv_channels", expected="3", got="1")
    assert "in_channels is 3, the input has 1 there" in en
    # counted from 0, unlike the "第一维" (dim 0) of the other hints: said as dim=1
    assert "dim=1（从 0 数起）" in zh and "第 1 维" not in zh


@pytest.mark.parametrize(
    ("code", "expected", "got"),
    [
        ("nn.ConvTranspose2d(3, 8, 3)(torch.randn(1, 1, 8, 8))", "3", "1"),
        ("nn.ConvTranspose1d(3, 8, 3)(torch.randn(1, 1, 8))", "3", "1"),
        ("nn.ConvTranspose3d(3, 8, 3)(torch.randn(1, 1, 4, 4, 4))", "3", "1"),
        # a decoder's layer whose in_channels is not the previous layer's out_channels
        (
            "decoder = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ConvTranspose2d(8, 1, 3))\n"
            "decoder(torch.randn(1, 1, 8, 8))",
            "8",
            "16",
        ),
        # groups=2: torch's weight is [4, 2, 3, 3] (in, out/groups, k, k); it wants in_channels
        ("nn.ConvTranspose2d(4, 4, 3, groups=2)(torch.randn(1, 2, 8, 8))", "4", "2"),
    ],
)
def test_a_transposed_conv_gets_its_in_channels_named(sb, code, expected, got):
    err = sb.run(code).error
    en, _ = worded(err, "conv_channels", expected=expected, got=got)
    assert en.startswith("Given transposed=1, weight of size [")
    assert f"in_channels is {expected}, the input has {got} there" in en


@pytest.mark.parametrize(
    ("code", "other"),
    [
        # a float64 NumPy array made a tensor, into a Linear
        (
            "import numpy as np\nx = torch.from_numpy(np.zeros((3, 4)))\nnn.Linear(4, 2)(x)",
            "Double",
        ),
        ("nn.Linear(4, 2)(torch.tensor([[1, 2, 3, 4]]))", "Long"),  # whole numbers
        # torch words these dtypes as C types ("double != float"): named as its other messages do
        ("torch.zeros(3, 4, dtype=torch.float64) @ torch.zeros(4, 2)", "Double"),
        ("nn.Conv2d(3, 8, 3)(torch.zeros(1, 3, 8, 8, dtype=torch.float64))", "Double"),
        ("F.conv2d(torch.zeros(1, 3, 8, 8), torch.zeros(8, 3, 3, 3).double())", "Double"),
        # a bias-less float32 conv fed float64: "expected scalar type Double but found Float"
        ("nn.Conv2d(3, 8, 3, bias=False)(torch.zeros(1, 3, 8, 8, dtype=torch.float64))", "Double"),
        # nn.BCELoss with a target of whole numbers
        ("nn.BCELoss()(torch.sigmoid(torch.randn(3)), torch.tensor([1, 0, 1]))", "Long"),
    ],
)
def test_mixed_dtypes_name_the_one_to_convert(sb, code, other):
    en, zh = worded(sb.run(code).error, "dtype_mismatch", other=other)
    assert "make them the same" in en and f"`.float()` on the {other} one" in en
    assert f"对 {other} 类型的那个张量调用 `.float()`" in zh
    assert "`x = x.to(model.weight.dtype)`" in en and "`x = x.to(model.weight.dtype)`" in zh


@pytest.mark.parametrize(
    ("code", "torch_words", "other"),
    [
        # raw pixels (uint8) into a conv
        (
            "nn.Conv2d(3, 8, 3)(torch.zeros(1, 3, 8, 8, dtype=torch.uint8))",
            "Input type (unsigned char) and bias type (float) should be the same",
            "Byte",
        ),
        (
            "nn.Conv2d(3, 8, 3)(torch.zeros(1, 3, 8, 8, dtype=torch.long))",
            "Input type (long int) and bias type (float) should be the same",
            "Long",
        ),
        (
            "nn.Conv2d(3, 8, 3)(torch.zeros(1, 3, 8, 8, dtype=torch.int32))",
            "Input type (int) and bias type (float) should be the same",
            "Int",
        ),
        (  # a conv cast to half, fed float32
            "nn.Conv2d(3, 8, 3).half()(torch.zeros(1, 3, 8, 8))",
            "Input type (float) and bias type (c10::Half) should be the same",
            "Half",
        ),
        # on the CPU a bias-less conv, or any transposed one, checks a BFloat16 input on its
        # MKLDNN path: the tensors' types, not their C types
        (
            "nn.Conv2d(3, 8, 3, bias=False)(torch.zeros(1, 3, 8, 8, dtype=torch.bfloat16))",
            "Input type (CPUBFloat16Type) and weight type (torch.FloatTensor) should be the same "
            "or input should be a MKLDNN tensor and weight is a dense tensor",
            "BFloat16",
        ),
        (
            "nn.ConvTranspose2d(3, 8, 3)(torch.zeros(1, 3, 8, 8, dtype=torch.bfloat16))",
            "Input type (CPUBFloat16Type) and weight type (torch.FloatTensor) should be the same "
            "or input should be a MKLDNN tensor and weight is a dense tensor",
            "BFloat16",
        ),
        # BCEWithLogitsLoss's target of whole numbers: a Float result written into a Long
        (
            "nn.BCEWithLogitsLoss()(torch.randn(3), torch.tensor([1, 0, 1]))",
            "result type Float can't be cast to the desired output type Long",
            "Long",
        ),
        (  # a part of uint8 pixels scaled in place: a new tensor is not its fix
            "x = torch.zeros(2, 2, dtype=torch.uint8)\nx[0] /= 255",
            "result type Float can't be cast to the desired output type Byte",
            "Byte",
        ),
        (
            "torch.arange(12).reshape(3, 4) @ torch.zeros(4, 2)",
            "expected m1 and m2 to have the same dtype, but got: long int != float",
            "Long",
        ),
        (
            "torch.zeros(3, 4, dtype=torch.uint8) @ torch.zeros(4, 2)",
            "expected m1 and m2 to have the same dtype, but got: unsigned char != float",
            "Byte",
        ),
    ],
)
def test_dtypes_torch_words_as_c_types_are_named_as_torch_names_them(sb, code, torch_words, other):
    err = sb.run(code).error
    en, zh = worded(err, "dtype_mismatch", other=other)
    assert en.startswith(f"{torch_words} (")
    assert f"`.float()` on the {other} one" in en and f"对 {other} 类型的那个张量" in zh


@pytest.mark.parametrize(
    ("code", "other", "fix"),
    [
        (
            "pixels = torch.zeros(2, 2, dtype=torch.uint8)\npixels /= 255",
            "Byte",
            "pixels = pixels / 255",
        ),
        (
            "pixels = torch.zeros(2, 2, dtype=torch.uint8)\npixels.div_(255)",
            "Byte",
            "pixels = pixels.div(255)",
        ),
        (
            "counts = torch.zeros(3, dtype=torch.long)\ncounts *= 0.5",
            "Long",
            "counts = counts * 0.5",
        ),
        (
            "counts = torch.zeros(3, dtype=torch.long)\ncounts.add_(0.5, alpha=2)",
            "Long",
            "counts = counts.add(0.5, alpha=2)",
        ),
        (
            "class Stats:\n    pass\nstats = Stats()\nstats.total = torch.zeros(3, dtype=torch.long)\n"
            "stats.total += 0.5",
            "Long",
            "stats.total = stats.total + 0.5",
        ),
        # called on its class: the tensor is the first argument
        (
            "pixels = torch.zeros(3, dtype=torch.uint8)\ntorch.Tensor.div_(pixels, 255)",
            "Byte",
            "pixels = torch.Tensor.div(pixels, 255)",
        ),
    ],
)
def test_an_in_place_op_is_told_it_cannot_change_its_tensors_dtype(sb, code, other, fix):
    en, zh = worded(sb.run(code).error, "inplace_dtype", other=other, fix=fix)
    assert en.startswith(f"result type Float can't be cast to the desired output type {other} (")
    assert f"whose dtype ({other}) cannot hold the Float result: make a new tensor, `{fix}`" in en
    assert "原地操作" in zh and f"`{fix}`" in zh
    assert "share one dtype" not in en and "model.weight" not in en


def test_pixels_made_a_new_tensor_as_the_hint_says_are_float(sb):
    code = "pixels = torch.full((2,), 255, dtype=torch.uint8)\npixels /= 255\npixels"
    fix = sb.run(code).error.params["fix"]
    fixed = sb.run(code.replace("pixels /= 255", fix))
    assert fixed.value == "tensor([1., 1.])", fixed.error


def test_a_model_cast_to_half_is_not_told_its_weights_are_float(sb):
    code = "model = nn.Linear(4, 2).half()\nx = torch.randn(3, 4)\nmodel(x)"
    en, zh = worded(sb.run(code).error, "dtype_mismatch", other="Half")
    assert "weights are Float" not in en and "权重是 Float" not in zh
    # the fix it gives first keeps the learner's cast: the input follows the model
    fixed = sb.run(code.replace("model(x)", "x = x.to(model.weight.dtype)\nmodel(x).dtype"))
    assert fixed.value == "torch.float16", fixed.error


def test_a_bce_with_logits_target_made_float_as_the_hint_says_works(sb):
    code = "y = torch.tensor([1, 0, 1])\nnn.BCEWithLogitsLoss()(torch.zeros(3), y).item()"
    assert sb.run(code).error.hint_code == "dtype_mismatch"
    fixed = sb.run(code.replace("(torch.zeros(3), y)", "(torch.zeros(3), y.float())"))
    assert fixed.value == "0.6931471824645996", fixed.error  # log 2: the loss of logits 0


def test_a_float64_result_into_a_long_target_gets_no_float_hint(sb):
    # neither is Float: "use .float() on the Long one" would not be the whole fix
    code = "nn.BCEWithLogitsLoss()(torch.zeros(3, dtype=torch.float64), torch.tensor([1, 0, 1]))"
    err = sb.run(code).error
    assert err.message == "result type Double can't be cast to the desired output type Long"
    assert err.hint_code is None


def test_a_loss_with_fewer_targets_than_rows_says_both(sb):
    err = sb.run("F.cross_entropy(torch.randn(3, 5), torch.tensor([1, 2]))").error
    assert err.type == "ValueError"
    en, _ = worded(err, "loss_batch", inputs="3", targets="2")
    assert "got 3 rows of predictions and 2 targets" in en


def test_class_indices_written_as_floats_are_told_to_be_long(sb):
    err = sb.run("F.cross_entropy(torch.randn(3, 5), torch.tensor([1.0, 2.0, 0.0]))").error
    en, zh = worded(err, "target_dtype", got="Float")
    assert "`.long()`" in en and "`.long()`" in zh


@pytest.mark.parametrize(
    ("code", "got"),
    [
        ("nn.Embedding(10, 3)(torch.tensor([1.0, 2.0]))", "Float"),
        ("F.embedding(torch.tensor([1.0]), torch.randn(10, 3))", "Float"),
        ("nn.EmbeddingBag(10, 3)(torch.tensor([[1.0, 2.0]], dtype=torch.float64))", "Double"),
        # torch names a BFloat16 tensor's type otherwise: named as its dtype
        ("nn.Embedding(10, 3)(torch.tensor([1.0], dtype=torch.bfloat16))", "BFloat16"),
    ],
)
def test_an_embedding_fed_floats_is_told_its_indices_are_whole_numbers(sb, code, got):
    en, zh = worded(sb.run(code).error, "embedding_indices", got=got)
    assert en.startswith("Expected tensor for argument #1 'indices' to have one of the following")
    assert "`.long()`" in en and "`.long()`" in zh


def test_an_embedding_given_long_indices_as_the_hint_says_works(sb):
    code = "ids = torch.tensor([1.0, 2.0])\nnn.Embedding(10, 3)(ids).shape"
    assert sb.run(code).error.hint_code == "embedding_indices"
    fixed = sb.run(code.replace("(ids)", "(ids.long())"))
    assert fixed.value == "torch.Size([2, 3])", fixed.error


def test_a_sequential_given_a_dict_is_told_to_use_an_ordered_dict(sb):
    code = "net = nn.Sequential({'fc': nn.Linear(2, 1), 'act': nn.Sigmoid()})\nnet.fc"
    err = sb.run(code).error
    assert err.type == "TypeError"
    en, zh = worded(err, "sequential_dict")
    assert en.startswith("dict is not a Module subclass (")
    assert "from collections import OrderedDict" in en and "OrderedDict" in zh
    ordered = code.replace("Sequential({", "Sequential(OrderedDict({").replace("})", "}))")
    fixed = sb.run(f"from collections import OrderedDict\n{ordered}")  # the fix it names
    assert fixed.value == "Linear(in_features=2, out_features=1, bias=True)", fixed.error


def test_a_sequential_given_a_list_is_told_to_unpack_it(sb):
    code = "layers = [nn.Linear(2, 4), nn.ReLU()]\nnet = nn.Sequential(layers)\nlen(net)"
    en, zh = worded(sb.run(code).error, "sequential_list")
    assert "`nn.Sequential(*layers)`" in en and "`nn.Sequential(*layers)`" in zh
    assert sb.run(code.replace("Sequential(layers)", "Sequential(*layers)")).value == "2"


@pytest.mark.parametrize(
    "make",
    [
        "nn.Sequential(encoder=nn.Linear(2, 4), decoder=nn.Linear(4, 1))",
        "torch.nn.Sequential(encoder=nn.Linear(2, 4), decoder=nn.Linear(4, 1))",
        # a subclass with Sequential's own __init__: Python names that one
        "class Net(nn.Sequential):\n    pass\nNet(encoder=nn.Linear(2, 4), decoder=nn.Linear(4, 1))",
    ],
)
def test_a_sequential_given_its_layers_by_keyword_is_told_to_use_an_ordered_dict(sb, make):
    err = sb.run(f"{make}\n").error
    assert err.type == "TypeError"
    en, zh = worded(err, "sequential_keywords")
    assert en.startswith("Sequential.__init__() got an unexpected keyword argument 'encoder' (")
    assert "`nn.Sequential(layer1, layer2)`" in en and "`nn.Sequential(layer1, layer2)`" in zh
    assert "OrderedDict" in en and "OrderedDict" in zh
    fixed = sb.run(  # the fix it names
        "from collections import OrderedDict\n"
        "net = nn.Sequential(OrderedDict(encoder=nn.Linear(2, 4), decoder=nn.Linear(4, 1)))\n"
        "net.decoder"
    )
    assert fixed.value == "Linear(in_features=4, out_features=1, bias=True)", fixed.error


@pytest.mark.parametrize(
    "make",
    [
        "nn.ModuleDict(encoder=nn.Linear(2, 2), decoder=nn.ReLU())",
        "torch.nn.ModuleDict(encoder=nn.Linear(2, 2), decoder=nn.ReLU())",
        # a subclass with ModuleDict's own __init__: Python names that one
        "class Parts(nn.ModuleDict):\n    pass\nParts(encoder=nn.Linear(2, 2), decoder=nn.ReLU())",
    ],
)
def test_a_module_dict_given_its_layers_by_keyword_is_told_to_pass_one_dict(sb, make):
    err = sb.run(make).error
    assert err.type == "TypeError"
    en, zh = worded(err, "module_dict_keywords")
    assert en.startswith("ModuleDict.__init__() got an unexpected keyword argument 'encoder' (")
    fix = "`nn.ModuleDict({'encoder': layer1, 'decoder': layer2})`"
    assert fix in en and fix in zh
    fixed = sb.run(  # the fix it names
        "parts = nn.ModuleDict({'encoder': nn.Linear(2, 2), 'decoder': nn.ReLU()})\nlist(parts)"
    )
    assert fixed.value == "['encoder', 'decoder']", fixed.error


@pytest.mark.parametrize(
    "make",
    [
        "nn.ModuleList(nn.Linear(2, 2), nn.ReLU())",
        "torch.nn.ModuleList(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))",
    ],
)
def test_a_module_list_given_its_layers_one_by_one_is_told_to_pass_one_list(sb, make):
    err = sb.run(make).error
    assert err.type == "TypeError"
    en, zh = worded(err, "module_list_arguments")
    assert en.startswith("ModuleList.__init__() takes from 1 to 2 positional arguments but ")
    assert "`nn.ModuleList([layer1, layer2])`" in en and "`nn.ModuleList([layer1, layer2])`" in zh
    assert "nn.Sequential" in en and "nn.Sequential" in zh  # the container that takes them so
    fixed = sb.run("len(nn.ModuleList([nn.Linear(2, 2), nn.ReLU()]))")  # the fix it names
    assert fixed.value == "2", fixed.error


@pytest.mark.parametrize(
    "make",
    [
        "nn.ModuleDict([nn.Linear(2, 2), nn.ReLU()])",
        # a pair, then a layer alone: torch names the element it stopped at
        "nn.ModuleDict([('fc', nn.Linear(2, 2)), nn.ReLU()])",
        # the learner's subclass handing torch's __init__ the list
        "class Parts(nn.ModuleDict):\n    def __init__(self, layers):\n"
        "        super().__init__(layers)\nParts([nn.Linear(2, 2), nn.ReLU()])",
    ],
)
def test_a_module_dict_given_a_list_of_layers_is_told_to_name_them(sb, make):
    err = sb.run(make).error
    assert err.type == "TypeError"
    en, zh = worded(err, "module_dict_unnamed")
    assert en.startswith("ModuleDict update sequence element #")
    named = "`nn.ModuleDict({'fc': layer1, 'act': layer2})`"  # the commonest way: a dict
    assert named in en and named in zh
    assert "nn.ModuleList" in en and "nn.ModuleList" in zh  # for layers without names
    fixed = sb.run(  # the fix it names
        "parts = nn.ModuleDict({'fc': nn.Linear(2, 2), 'act': nn.ReLU()})\nlist(parts)"
    )
    assert fixed.value == "['fc', 'act']", fixed.error


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        # a layer where a list of them belongs
        (
            "nn.ModuleList(nn.Linear(2, 2))",
            "module_list_arguments",
            "ModuleList.extend should be called with an iterable, but got Linear",
        ),
        # the learner's subclass handing torch's __init__ the layer
        (
            "class Stack(nn.ModuleList):\n    def __init__(self, layer):\n"
            "        super().__init__(layer)\nStack(nn.Linear(2, 2))",
            "module_list_arguments",
            "ModuleList.extend should be called with an iterable, but got Linear",
        ),
        # a layer, or layers one by one, where (name, layer) pairs belong
        (
            "nn.ModuleDict(nn.Linear(2, 2))",
            "module_dict_unnamed",
            "ModuleDict.update should be called with an iterable of key/value pairs, but got Linear",
        ),
        (
            "nn.ModuleDict(nn.Linear(2, 2), nn.ReLU())",
            "module_dict_unnamed",
            "ModuleDict.__init__() takes from 1 to 2 positional arguments but 3 were given",
        ),
        (
            "class Parts(nn.ModuleDict):\n    pass\nParts(nn.Linear(2, 2), nn.ReLU())",
            "module_dict_unnamed",
            "ModuleDict.__init__() takes from 1 to 2 positional arguments but 3 were given",
        ),
    ],
)
def test_a_container_given_layers_bare_is_told_how_it_takes_them(sb, make, code, words):
    err = sb.run(make).error
    assert err.type == "TypeError"
    en, _ = worded(err, code)
    assert en.startswith(f"{words} (")


def test_a_module_list_of_one_layer_as_the_hint_says_works(sb):
    assert sb.run("nn.ModuleList(nn.Linear(2, 2))").error.hint_code == "module_list_arguments"
    fixed = sb.run("len(nn.ModuleList([nn.Linear(2, 2)]))")  # one list, however many layers
    assert fixed.value == "1", fixed.error


CONTAINER_HINTS = (
    "module_dict_keywords",
    "module_list_arguments",
    "module_dict_unnamed",
    "module_class_not_instance",
)
"""The hints for an nn.ModuleDict or nn.ModuleList built wrong, and a module's class put in a
container."""


@pytest.mark.parametrize("code", CONTAINER_HINTS)
def test_a_container_hint_opens_no_bracket_inside_its_own(code):
    # the hint is drawn in brackets after torch's words: a bracket of its own, beside its code
    # and the (name, layer) pairs it names, would close two at once ("…in order))")
    name = "nn.ReLU"  # module_class_not_instance's param
    for text in (HINTS[code].format(name=name), tr(f"sandbox.hint.{code}", "zh", name=name)):
        prose = re.sub(r"`[^`]*`", "", text)
        prose = prose.replace("(name, layer)", "").replace("（名字，层）", "")
        assert not re.search(r"[()（）]", prose), text


@pytest.mark.parametrize(
    "code",
    [
        # the learner's own classes named ModuleDict and ModuleList: torch's words, not its fix
        "class ModuleDict:\n    def __init__(self, modules=None):\n        pass\n"
        "ModuleDict(encoder=nn.Linear(2, 2))",
        "class ModuleList:\n    def __init__(self, modules=None):\n        pass\n"
        "ModuleList(nn.Linear(2, 2), nn.ReLU())",
        "class ModuleDict:\n    def __init__(self, modules):\n        raise TypeError(\n"
        "            'ModuleDict update sequence element #0 should be Iterable; isLinear')\n"
        "ModuleDict([nn.Linear(2, 2)])",
        # a subclass of the learner's with its own __init__: the keyword its own refused
        "class ModuleDict(nn.ModuleDict):\n    def __init__(self, width):\n"
        "        super().__init__({'fc': nn.Linear(width, width)})\nModuleDict(depth=3)",
        # a ModuleDict's update the learner called, not the ModuleDict they built
        "parts = nn.ModuleDict()\nparts.update([nn.Linear(2, 2)])",
        "raise TypeError('ModuleDict update sequence element #0 should be Iterable; isLinear')",
        # Python's words raised in a ModuleList's or ModuleDict's own call, by a class of the
        # learner's of that name
        "class ModuleList:\n    def __init__(self, modules=None):\n        pass\n"
        "nn.ModuleList([ModuleList(1, 2)])",
        "class ModuleDict:\n    def __init__(self, modules=None):\n        pass\n"
        "nn.ModuleDict({'act': ModuleDict(encoder=1)})",
        "class ModuleDict:\n    def __init__(self, modules=None):\n        pass\n"
        "ModuleDict(nn.Linear(2, 2), nn.ReLU())",
        # a layer given to the extend or update of a container built before, not to its __init__
        "nn.ModuleList().extend(nn.Linear(2, 2))",
        "nn.ModuleDict().update(nn.Linear(2, 2))",
    ],
)
def test_only_torchs_module_dict_and_module_list_are_told_how_they_are_built(sb, code):
    err = sb.run(code).error
    assert err is not None and err.type == "TypeError", err
    # the very words a hint is given for, were they raised building the container
    assert any(words.fullmatch(err.message) for words in _RAISED_BUILDING), err
    assert err.hint_code is None, err


SYMMETRIC = (
    "from torch.nn.utils import parametrize\n"
    "class Symmetric(nn.Module):\n"
    "    def forward(self, X):\n"
    "        return X.triu() + X.triu(1).mT\n"
    "layer = nn.Linear(3, 3)\n"
)
"""Lesson 03's exercise l03.ex-symmetric-weight, its parametrization written, not registered."""


@pytest.mark.parametrize(
    ("code", "name", "words"),
    [
        # torch's words: not a Module subclass (it is one: it is no module, an instance)
        (
            "nn.Sequential(nn.Linear(2, 2), nn.ReLU)",
            "nn.ReLU",
            "torch.nn.modules.activation.ReLU is not a Module subclass",
        ),
        (
            "net = nn.Module()\nnet.add_module('act', nn.ReLU)",
            "nn.ReLU",
            "torch.nn.modules.activation.ReLU is not a Module subclass",
        ),
        (
            "nn.ModuleList([nn.Linear(2, 2), nn.ReLU])",
            "nn.ReLU",
            "torch.nn.modules.activation.ReLU is not a Module subclass",
        ),
        (
            "nn.ModuleDict({'fc': nn.Linear(2, 2), 'act': torch.nn.Tanh})",
            "torch.nn.Tanh",
            "torch.nn.modules.activation.Tanh is not a Module subclass",
        ),
        # the class by another name: named as the learner's call names it
        (
            "from torch.nn import ReLU\nact = ReLU\nnn.Sequential(nn.Linear(2, 2), act)",
            "act",
            "torch.nn.modules.activation.ReLU is not a Module subclass",
        ),
        # the same class also called among the arguments: the name it was passed by, not the
        # call's own nn.ReLU
        (
            "act = nn.ReLU\nnn.Sequential(nn.ReLU(), act)",
            "act",
            "torch.nn.modules.activation.ReLU is not a Module subclass",
        ),
        # where the call does not name it (a subclass's super().__init__): the class's own name
        (
            "class Net(nn.Sequential):\n    def __init__(self, *layers):\n"
            "        super().__init__(*layers)\nNet(nn.Linear(2, 2), nn.ReLU)",
            "ReLU",
            "torch.nn.modules.activation.ReLU is not a Module subclass",
        ),
        # torch calls the class's unbound train with the layer's training flag as its self
        (
            SYMMETRIC + "parametrize.register_parametrization(layer, 'weight', Symmetric)",
            "Symmetric",
            "'bool' object has no attribute 'training'",
        ),
    ],
)
def test_a_module_class_passed_for_a_module_is_told_to_pass_an_instance(sb, code, name, words):
    err = sb.run(code).error
    en, zh = worded(err, "module_class_not_instance", name=name)
    assert en.startswith(f"{words} (")
    assert f"`{name}()`" in en and f"`{name}()`" in zh


@pytest.mark.parametrize(
    ("code", "fixed", "value"),
    [
        (
            "net = nn.Sequential(nn.Linear(2, 2), nn.ReLU)\nnet[1]",
            "net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())\nnet[1]",
            "ReLU()",
        ),
        (
            SYMMETRIC + "parametrize.register_parametrization(layer, 'weight', Symmetric)\n"
            "torch.equal(layer.weight, layer.weight.T)",
            SYMMETRIC + "parametrize.register_parametrization(layer, 'weight', Symmetric())\n"
            "torch.equal(layer.weight, layer.weight.T)",
            "True",
        ),
    ],
)
def test_a_module_class_made_an_instance_as_the_hint_says_works(sb, code, fixed, value):
    assert sb.run(code).error.hint_code == "module_class_not_instance"
    done = sb.run(fixed)
    assert done.value == value, done.error


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        # no module class: an instance of it would be no module either
        ("nn.Sequential(nn.Linear(2, 2), F.relu)", "TypeError"),
        ("class Act:\n    pass\nnn.Sequential(nn.Linear(2, 2), Act)", "TypeError"),
        (
            SYMMETRIC.replace("(nn.Module)", "")
            + "parametrize.register_parametrization(layer, 'weight', Symmetric)",
            "AttributeError",
        ),
        # torch's words raised by the learner, not by torch's add_module or train
        (
            "raise TypeError('torch.nn.modules.activation.ReLU is not a Module subclass')",
            "TypeError",
        ),
        ("flag = False\nflag.training = True", "AttributeError"),
        # the learner's own add_module raising torch's words for a class: not torch's
        (
            "class Box:\n    def add_module(self, name, module):\n"
            "        raise TypeError(f'{torch.typename(module)} is not a Module subclass')\n"
            "Box().add_module('act', nn.ReLU)",
            "TypeError",
        ),
        # a class's train called unbound by a function of the learner's named as torch's
        (
            SYMMETRIC + "def register_parametrization(module, name, parametrization):\n"
            "    parametrization.train(module.training)\n"
            "register_parametrization(layer, 'weight', Symmetric)",
            "AttributeError",
        ),
        # ... and by another function in torch's parametrize.py: only register_parametrization
        # is told to take an instance (its file alone does not say which call it was)
        (
            SYMMETRIC + "ns = {}\nexec(compile('def attach(module, parametrization):\\n"
            "    parametrization.train(module.training)\\n', parametrize.__file__, 'exec'), ns)\n"
            "ns['attach'](layer, Symmetric)",
            "AttributeError",
        ),
        # Module.train called unbound by the learner: no class passed to name
        ("nn.Module.train(False)", "AttributeError"),
    ],
)
def test_near_errors_get_no_module_class_hint(sb, code, kind):
    err = sb.run(code).error
    assert err is not None and err.type == kind, err
    assert err.hint_code is None, err


def module_init(assigns: str, *, name: str = "Net", base: str = "nn.Module") -> str:
    """A class ``name`` of ``base`` whose ``__init__`` runs ``assigns`` (one line) before its
    ``super().__init__()``, and a call building one."""
    return (
        f"class {name}({base}):\n    def __init__(self):\n        {assigns}\n"
        f"        super().__init__()\n{name}()"
    )


@pytest.mark.parametrize(
    ("code", "cls", "words"),
    [
        (module_init("self.fc = nn.Linear(2, 2)"), "Net", "cannot assign module"),
        (module_init("self.w = nn.Parameter(torch.zeros(2))"), "Net", "cannot assign parameters"),
        (
            module_init("self.register_buffer('offset', torch.zeros(2))"),
            "Net",
            "cannot assign buffer",
        ),
        (module_init("self.offset = nn.Buffer(torch.zeros(2))"), "Net", "cannot assign buffer"),
        (
            module_init("self.register_parameter('w', nn.Parameter(torch.zeros(2)))"),
            "Net",
            "cannot assign parameter",
        ),
        # a subclass of a container, and no super().__init__() at all
        (module_init("self.head = nn.ReLU()", base="nn.Sequential"), "Net", "cannot assign module"),
        (
            "class Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(2, 2)\n"
            "Net()",
            "Net",
            "cannot assign module",
        ),
        # a registry looked up on a module whose Module.__init__ never ran: in its own
        # __init__ (add_module), a base's, or calling the module, which no __init__ runs
        (
            "class Tower(nn.Module):\n    def __init__(self):\n"
            "        self.add_module('fc', nn.Linear(2, 2))\nTower()",
            "Tower",
            "'Tower' object has no attribute '_modules'",
        ),
        (
            "class Base(nn.Module):\n    def __init__(self):\n"
            "        self.register_module('fc', nn.Linear(2, 2))\n"
            "class Deep(Base):\n    def __init__(self):\n        super().__init__()\nDeep()",
            "Base",
            "'Deep' object has no attribute '_modules'",
        ),
        (
            "class Net(nn.Module):\n    def __init__(self):\n        pass\n"
            "    def forward(self, x):\n        return x\nNet()(torch.ones(2))",
            "Net",
            "'Net' object has no attribute '_backward_hooks'",
        ),
        # a metaclass's __name__ of the learner's is not read: the class's own name is
        (
            "class Meta(type):\n    @property\n    def __name__(cls):\n        return 'Other'\n"
            "class Net(nn.Module, metaclass=Meta):\n    def __init__(self):\n        pass\n"
            "    def forward(self, x):\n        return x\nNet()(torch.ones(2))",
            "Net",
            "'Other' object has no attribute '_backward_hooks'",
        ),
        # a subclass of the learner's subclass: the class whose __init__ assigned too soon
        (
            "class Base(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            + module_init("self.fc = nn.Linear(2, 2)", name="Deep", base="Base"),
            "Deep",
            "cannot assign module",
        ),
        (
            "class Base(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(2, 2)\n"
            "class Deep(Base):\n    def __init__(self):\n        super().__init__()\nDeep()",
            "Base",
            "cannot assign module",
        ),
    ],
)
def test_a_module_set_up_before_its_module_init_is_told_to_call_it_first(sb, code, cls, words):
    if not words.startswith("'"):  # torch's refusal to assign, not a lookup's
        words += " before Module.__init__() call"
    err = sb.run(code).error
    assert err.type == "AttributeError"
    en, zh = worded(err, "no_module_init", cls=cls)
    assert en.startswith(f"{words} (")
    assert f"`{cls}.__init__`" in en and f"`{cls}.__init__`" in zh
    assert "`super().__init__()`" in en and "`super().__init__()`" in zh


def test_a_module_that_calls_its_module_init_first_as_the_hint_says_works(sb):
    late = module_init("self.fc = nn.Linear(2, 2)") + ".fc"
    assert sb.run(late).error.hint_code == "no_module_init"
    fixed = (  # super().__init__() first in Net.__init__, then the layer
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(2, 2)\nNet().fc"
    )
    done = sb.run(fixed)
    assert done.value == "Linear(in_features=2, out_features=2, bias=True)", done.error


@pytest.mark.parametrize(
    "code",
    [
        # torch's words raised by the learner, in a module whose Module.__init__ has not run:
        # no torch Module method raised them
        "raise AttributeError('cannot assign module before Module.__init__() call')",
        "class Net(nn.Module):\n    def __init__(self):\n"
        "        raise AttributeError('cannot assign module before Module.__init__() call')\n"
        "Net()",
        "class Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(2, 2)\n"
        "    def __setattr__(self, name, value):\n"
        "        raise AttributeError('cannot assign module before Module.__init__() call')\n"
        "Net()",
        # torch's words for a module whose Module.__init__ ran: its registry of layers undone
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self._modules = None\n        self.fc = nn.Linear(2, 2)\nNet()",
        # torch's Module.__setattr__ called on an object that is no module
        "class Plain:\n    pass\nnn.Module.__setattr__(Plain(), 'fc', nn.Linear(2, 2))",
    ],
)
def test_near_errors_get_no_module_init_hint(sb, code):
    err = sb.run(code).error
    assert err is not None and err.type == "AttributeError", err
    assert err.message.startswith("cannot assign module before Module.__init__() call"), err
    assert err.hint_code is None, err


@pytest.mark.parametrize(
    "code",
    [
        "nn.Linear(2, 1, encoder=nn.Linear(2, 4))",  # Python's same words, another class's
        "nn.ModuleList(encoder=nn.Linear(2, 4))",
        # the learner's own class named Sequential: its words are torch's, its fix is not
        "class Sequential:\n    def __init__(self, *layers):\n        pass\nSequential(encoder=1)",
        # a subclass of the learner's with its own __init__: the keyword its own refused
        "class Sequential(nn.Sequential):\n    def __init__(self, width):\n"
        "        super().__init__(nn.Linear(width, width))\nSequential(depth=3)",
        # an unexpected keyword raised in a Sequential's own call, by another's
        "nn.Sequential(nn.Linear(2, 1, encoder=1))",
    ],
)
def test_only_a_sequential_given_its_layers_by_keyword_is_told_so(sb, code):
    err = sb.run(code).error
    assert err.type == "TypeError" and "got an unexpected keyword argument" in err.message, err
    assert err.hint_code is None, err


@pytest.mark.parametrize(
    "code",
    [
        # another thing that is not a module, and a dict's words not raised by torch as its
        "nn.Sequential(nn.Linear(2, 2), F.relu)",
        "nn.Sequential((nn.Linear(2, 2),))",
        "raise RuntimeError('dict is not a Module subclass')",
        # an index torch wanted whole, not an embedding's
        "torch.randn(3).index_select(0, torch.tensor([0.0]))",
        # torch's TypeError alike for what is not nn.Sequential: their fixes are not its
        "nn.ModuleList([{'fc': nn.Linear(2, 1)}])",
        "nn.ModuleList([[nn.Linear(2, 1)]])",
        "m = nn.Module()\nm.add_module('fc', {'fc': nn.Linear(2, 1)})",
        "raise TypeError('dict is not a Module subclass')",
    ],
)
def test_near_errors_get_no_module_or_embedding_hint(sb, code):
    err = sb.run(code).error
    assert err is not None and err.hint_code is None, err


@pytest.mark.parametrize(
    "code",
    [
        "with torch.no_grad():\n    loss = nn.Linear(2, 1)(torch.randn(3, 2)).sum()\nloss.backward()",
        "loss = nn.Linear(2, 1)(torch.randn(3, 2)).sum().detach()\nloss.backward()",
    ],
)
def test_backward_with_no_graph_says_where_grad_was_lost(sb, code):
    en, _ = worded(sb.run(code).error, "backward_no_grad")
    assert "`torch.no_grad()`" in en and "`.detach()`" in en


def test_backward_twice_says_to_run_the_forward_pass_again(sb):
    code = "h = nn.Linear(2, 1)(torch.randn(3, 2)).tanh()\nh.sum().backward()\n(h * 2).sum().backward()"
    err = sb.run(code).error
    assert err.line == 3
    en, _ = worded(err, "backward_twice")
    assert en.startswith("Trying to backward through the graph a second time")


RNN_CARRYING_H = """\
rnn = nn.RNN(2, 3)
h = torch.zeros(1, 1, 3)
for step in range(2):
    out, h = rnn(torch.randn(4, 1, 2), h)
    out.sum().backward()
step"""


def test_backward_twice_through_a_carried_rnn_state_says_to_detach_it(sb):
    en, zh = worded(sb.run(RNN_CARRYING_H).error, "backward_twice")
    assert "`h = h.detach()`" in en and "`h = h.detach()`" in zh
    fixed = RNN_CARRYING_H.replace("    out, h", "    h = h.detach()\n    out, h")
    assert sb.run(fixed).value == "1"  # the fix it names works


TWO_HEADS_ONE_ENCODER = """\
encoder = nn.Linear(2, 2)
head1, head2 = nn.Linear(2, 1), nn.Linear(2, 1)
z = torch.tanh(encoder(torch.randn(3, 2)))
loss1, loss2 = head1(z).sum(), head2(z).sum()
loss1.backward()
loss2.backward()
encoder.weight.grad is not None"""


def test_backward_twice_for_two_losses_of_one_forward_pass_says_to_add_them(sb):
    en, zh = worded(sb.run(TWO_HEADS_ONE_ENCODER).error, "backward_twice")
    for words in ("`(loss1 + loss2).backward()`", "`retain_graph=True`"):
        assert words in en and words in zh
    for fixed in (
        TWO_HEADS_ONE_ENCODER.replace(
            "loss1.backward()\nloss2.backward()", "(loss1 + loss2).backward()"
        ),
        TWO_HEADS_ONE_ENCODER.replace("loss1.backward()", "loss1.backward(retain_graph=True)"),
    ):
        assert sb.run(fixed).value == "True"  # either fix it names works


def test_tensors_on_two_devices_are_told_to_move_both(sb):
    # no GPU here: the learner's code raises torch 2.13's words for it (from libtorch_cpu.so)
    code = (
        "raise RuntimeError('Expected all tensors to be on the same device, but found at least "
        "two devices, cuda:0 and cpu!')"
    )
    en, _ = worded(sb.run(code).error, "device_mismatch")
    assert "`model.to(device)`" in en


@pytest.mark.parametrize(
    "text",
    [
        "mat1 and mat2 shapes cannot be multiplied (3x5 and 4x2) in a new way",  # more words
        "mat1 and mat2 shapes cannot be multiplied (3x5x2 and 4x2)",  # another shape wording
        "mat1 and mat2 must have the same dtype, but got Half and Double",  # neither is Float
        "expected scalar type Long but found Float",  # an index was expected: no float fits
        "expected scalar type Double but found Half",  # neither is Float
        "Input type (torch.cuda.FloatTensor) and weight type (torch.FloatTensor) should be the same",
        "expected m1 and m2 to have the same dtype, but got: unsigned char != double",  # no Float
        "Input type (unsigned long long int) and bias type (float) should be the same",
        # a transposed conv's channels, its words cut short
        "Given transposed=1, weight of size [3, 8, 3, 3], expected input[1, 1, 8, 8] to have 3 "
        "channels",
        # the MKLDNN check: neither is Float; a CUDA tensor's type (two devices)
        "Input type (CPUBFloat16Type) and weight type (torch.HalfTensor) should be the same or "
        "input should be a MKLDNN tensor and weight is a dense tensor",
        "Input type (torch.cuda.BFloat16Tensor) and weight type (torch.FloatTensor) should be the "
        "same or input should be a MKLDNN tensor and weight is a dense tensor",
        "Input type (CPUBFloat16Type) and weight type (torch.FloatTensor) should be the same",
        # a result written into a tensor of another dtype: not Float into whole numbers
        "result type ComplexFloat can't be cast to the desired output type Float",
        "result type Long can't be cast to the desired output type Bool",
        "result type Float can't be cast to the desired output type Half",
        # a broadcast's words with more after them; expand's own (a size, not two tensors')
        "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension "
        "1 in a new way",
        "The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
        "dimension 1.  Target sizes: [3, 4].  Tensor sizes: [2, 3]",
        # an embedding's indices: another op's words
        "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
        "Long, Int; but got torch.FloatTensor instead (while checking arguments for gather)",
    ],
)
def test_words_torch_might_use_otherwise_get_no_hint(text):
    assert torch_error_hint(RuntimeError(text), text) is None


def _as_on_python_3_10(tb: Any) -> Any:
    """Traceback ``tb`` rebuilt as Python 3.10's would read: its code objects with no
    ``co_qualname`` and no ``co_positions`` (its frames' names and last instructions kept)."""
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    rebuilt = None
    for entry in reversed(entries):
        code = entry.tb_frame.f_code
        frame = SimpleNamespace(
            f_code=SimpleNamespace(co_name=code.co_name, co_filename=code.co_filename),
            f_locals=entry.tb_frame.f_locals,
            f_globals=entry.tb_frame.f_globals,
            f_builtins=entry.tb_frame.f_builtins,
        )
        rebuilt = SimpleNamespace(tb_frame=frame, tb_next=rebuilt, tb_lasti=entry.tb_lasti)
    return rebuilt


@pytest.mark.parametrize(
    ("make", "sequentials"),
    [
        (lambda nn: nn.Sequential({"fc": nn.Linear(2, 1)}), True),
        (lambda nn: nn.Sequential([nn.Linear(2, 1)]), True),
        (lambda nn: nn.ModuleList([{"fc": nn.Linear(2, 1)}]), False),
        (lambda nn: nn.ModuleList([[nn.Linear(2, 1)]]), False),
        (lambda nn: nn.ModuleDict({"fc": {"fc": nn.Linear(2, 1)}}), False),
    ],
    ids=["Sequential-dict", "Sequential-list", "ModuleList-dict", "ModuleList-list", "ModuleDict"],
)
def test_sequentials_init_is_told_from_a_module_lists_without_co_qualname(make, sequentials):
    nn = pytest.importorskip("torch.nn")
    with pytest.raises(TypeError) as raised:
        make(nn)
    tb = raised.value.__traceback__
    assert _raised_in_container_init(tb, "Sequential") == sequentials
    assert _raised_in_container_init(_as_on_python_3_10(tb), "Sequential") == sequentials


@pytest.mark.parametrize(
    ("code", "learners_names", "name"),
    [
        ("nn.Sequential(nn.Linear(2, 2), nn.ReLU)", ("torch", "nn"), "nn.ReLU"),
        ("torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh)", ("torch",), "torch.nn.Tanh"),
        ("act = nn.ReLU\nnn.Sequential(nn.Linear(2, 2), act)", ("nn",), "act"),
        ("from torch.nn import ReLU\nnn.Sequential(nn.Linear(2, 2), ReLU)", ("nn",), "ReLU"),
    ],
)
def test_a_module_class_is_named_by_the_learners_names_without_source_positions(
    code, learners_names, name
):
    """Python 3.10 has no source positions to read the call from: the class is named by a name
    of the learner's frame that is it (``nn.ReLU()`` then runs), not its bare ``ReLU``."""
    named, scope, module_class = _named_as_on_python_3_10(code, learners_names)
    assert named == name
    assert type(eval(f"{named}()", scope)) is module_class  # the hint's fix runs


def test_a_module_class_no_name_of_the_learners_is_gets_its_own_name_without_source_positions():
    code = (  # a class made in a function, whose frame has ended
        "def made():\n    class Act(nn.ReLU):\n        pass\n    return Act\n"
        "nn.Sequential(nn.Linear(2, 2), made())"
    )
    assert _named_as_on_python_3_10(code, ("nn",))[0] == "Act"


def _named_as_on_python_3_10(
    code: str, learners_names: tuple[str, ...]
) -> tuple[str, dict[str, Any], type]:
    """What :func:`_learners_name_of` names the module class that ``code`` (run with
    ``learners_names`` of ``torch`` and ``nn`` as its globals) gave an nn.Sequential, read as on
    Python 3.10; with the globals, and the class."""
    torch = pytest.importorskip("torch")
    learners = {"torch": torch, "nn": torch.nn}
    scope = {key: learners[key] for key in learners_names}
    with pytest.raises(TypeError) as raised:
        exec(compile(code, "<learner>", "exec"), scope)
    last = raised.value.__traceback__
    while last.tb_next is not None:
        last = last.tb_next
    module_class = last.tb_frame.f_locals["module"]  # what torch's add_module refused
    named = _learners_name_of(_as_on_python_3_10(raised.value.__traceback__), module_class)
    return named, scope, module_class


def test_only_torchs_error_types_are_read(sb):
    text = "element 0 of tensors does not require grad and does not have a grad_fn"
    assert torch_error_hint(TypeError(text), text) is None
    assert sb.run(f"raise TypeError({text!r})").error.hint_code is None
    not_a_layer = "dict is not a Module subclass"  # torch's TypeError alone
    assert torch_error_hint(ValueError(not_a_layer), not_a_layer) is None


@pytest.mark.parametrize(
    ("code", "hint_code", "in_features"),
    [
        ("def f(x):\n    return x @ torch.randn(4, 2)\n", "matrix_product_shapes", False),
        ("def f(x):\n    return F.linear(x, torch.randn(2, 4))\n", "matmul_shapes", True),
    ],
)
def test_an_exercise_check_tells_a_matrix_product_from_a_linear(sb, code, hint_code, in_features):
    r = sb.run(code, device="cpu", timeout=20, check="f(torch.randn(3, 5))")
    assert r.check.code == "raised_in_code" and r.check.params["line"] == 2
    assert r.check.params["hint_code"] == hint_code
    assert r.check.params["hint_params"] == {"width": "5", "inner": "4"}
    english, _ = check_words(r.check, "en")
    said, _ = check_words(r.check, "zh")
    assert english.endswith(f" ({HINTS[hint_code].format(width=5, inner=4)})")
    assert "左边张量的最后一维（5）必须等于右边张量的第一维（4）" in said
    assert ("in_features" in english) == in_features == ("in_features" in said)


def test_an_in_place_method_called_on_its_class_with_no_tensor_named_gets_no_fix(sb):
    code = "torch.Tensor.div_(torch.zeros(3, dtype=torch.uint8), 255)"
    en, _ = worded(sb.run(code).error, "dtype_mismatch", other="Byte")
    assert "torch.Tensor =" not in en


# the learner's code that finding a hint must not run: a class body whose scope is a mapping of
# the learner's (its metaclass's __prepare__), a module whose class has a __dict__ of its own
RUNS_IF_READ = {
    "a class body's own mapping": """\
class Loud(dict):
    def __contains__(self, key):
        print("read", key)
        raise KeyError("the learner's")
    def get(self, key, default=None):
        print("read", key)
        raise KeyError("the learner's")
class Meta(type):
    @classmethod
    def __prepare__(mcs, name, bases):
        return Loud()
class Layer(metaclass=Meta):
    F.linear(torch.ones(2, 3), torch.ones(4, 4))
""",
    "a module's own __dict__": """\
import types
class Loud(types.ModuleType):
    @property
    def __dict__(self):
        print("read __dict__")
        raise KeyError("the learner's")
ops = Loud("ops")
ops.linear = F.linear
def forward(ops=ops):
    return ops.linear(torch.ones(2, 3), torch.ones(4, 4))
forward()
""",
}


@pytest.mark.parametrize("code", RUNS_IF_READ.values(), ids=RUNS_IF_READ)
def test_finding_a_hint_runs_none_of_the_learners_code(run_in, code):
    """What the learner's code raised there was reported in place of torch's error (in-process),
    or lost the run's report (forked); their names are not told, so no Linear is named."""
    r = run_in(code)
    assert (r.status, r.stdout) == ("error", ""), r
    assert r.error.type == "RuntimeError", r.error
    worded(r.error, "matrix_product_shapes", width="3", inner="4")


def test_an_error_finding_a_hint_gives_no_hint(monkeypatch):
    """A hint must never cost the run its report."""

    def raises(exc: BaseException, text: str) -> None:
        raise KeyError("the hint's own")

    monkeypatch.setattr(runner, "torch_error_hint", raises)
    error = RuntimeError("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x4)")
    assert runner._learners_error_hint(error) is None


def _with_a_class_read_logged(base: type, claimed: type) -> tuple[type, list[str]]:
    """A subclass of ``base`` whose ``__class__`` is a property of the learner's (a sleep could
    be there): it logs each read, claiming ``claimed``, which ``isinstance`` would believe."""
    reads: list[str] = []

    class Claiming(base):  # type: ignore[misc, valid-type]
        @property  # type: ignore[misc]
        def __class__(self) -> type:
            reads.append("__class__")
            return claimed

    return Claiming, reads


def test_telling_a_module_used_before_its_init_reads_no_class_of_the_learners():
    from torch import nn

    Sneaky, reads = _with_a_class_read_logged(object, nn.Module)
    with pytest.raises(AttributeError) as raised:
        Sneaky().missing  # noqa: B018
    assert runner.uninitialized_module(raised.value) is None
    assert runner._learners_error_hint(raised.value) is None
    assert reads == []


def test_telling_a_module_used_before_its_init_reads_no_obj_of_the_learners():
    """An AttributeError of the learner's whose ``obj`` is a property of theirs: not run."""
    reads: list[str] = []

    class Sneaky(AttributeError):
        @property  # type: ignore[misc]
        def obj(self) -> object:
            reads.append("obj")
            return None

    assert runner.uninitialized_module(Sneaky("'Net' object has no attribute '_modules'")) is None
    assert reads == []


def test_telling_torchs_error_types_reads_no_class_of_the_learners():
    text = "element 0 of tensors does not require grad and does not have a grad_fn"
    Sneaky, reads = _with_a_class_read_logged(Exception, RuntimeError)
    assert torch_error_hint(Sneaky(text), text) is None
    assert runner._learners_error_hint(Sneaky(text)) is None
    assert reads == []


def test_telling_a_sequential_runs_none_of_its_classs_code(run_in):
    """Its class was compared by ``==`` through its ``__mro__``: a metaclass's own."""
    code = """\
class Meta(type):
    def __eq__(cls, other):
        print("compared")
        return NotImplemented
    __hash__ = type.__hash__
class Layers(nn.Sequential, metaclass=Meta):
    pass
Layers({"fc": nn.Linear(4, 2)})
"""
    r = run_in(code)
    assert (r.status, r.stdout) == ("error", ""), r
    assert (r.error.type, r.error.hint_code) == ("TypeError", "sequential_dict")
