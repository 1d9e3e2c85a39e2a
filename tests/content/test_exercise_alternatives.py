"""Exercise checks judge what learners really write: another valid solution passes, a cheat fails.

Each case is run as the app runs a Check: the learner's code, then the exercise's ``check``, in
one sandbox namespace (``Sandbox().run(code, device="cpu", check=step.check)``). The exercise is
loaded from the shipped decks by its id. To add a case, append a row to ``CASES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import pytest
import torch
from torch import nn

from sandbox import Sandbox
from tutor.decks import DeckLibrary, model


class Case(NamedTuple):
    exercise: str  # the exercise step's id
    label: str  # what the attempt is, for the test id
    code: str  # what the learner types in the editor
    passes: bool  # True: a valid solution the check must accept; False: must be rejected
    says: str = ""  # when rejected: words the English check message must contain


CASES: list[Case] = [
    # ---------------------------------------------------------------- welcome.ex-tiny-linear
    Case(
        "welcome.ex-tiny-linear",
        "lazy-linear-in-features-unset",
        "layer = nn.LazyLinear(1, bias=False)\n",
        False,
        "LazyLinear",
    ),
    # ---------------------------------------------------------------- l01.ex-functional-twin
    Case(
        "l01.ex-functional-twin",
        "alternative-if-bias-none",
        "def my_linear(x, layer):\n"
        "    if layer.bias is None:\n"
        "        return F.linear(x, layer.weight)\n"
        "    return F.linear(x, layer.weight, layer.bias)\n",
        True,
    ),
    Case(
        "l01.ex-functional-twin",
        "cheat-calls-linear-forward",
        "def my_linear(x, layer):\n    return nn.Linear.forward(layer, x)\n",
        False,
        "don't call the layer",
    ),
    # ---------------------------------------------------------------- l01.ex-dropout-aware
    Case(
        "l01.ex-dropout-aware",
        "forward-without-return",
        "class MyDropout(nn.Module):\n"
        "    def __init__(self, p=0.5):\n"
        "        super().__init__()\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        F.dropout(x, self.p, self.training)\n",
        False,
        "does forward `return` its result",
    ),
    Case(
        "l01.ex-dropout-aware",
        "alternative-nn-dropout-submodule",
        "class MyDropout(nn.Module):\n"
        "    def __init__(self, p=0.5):\n"
        "        super().__init__()\n"
        "        self.p = p\n"
        "        self.drop = nn.Dropout(p)\n\n"
        "    def forward(self, x):\n"
        "        return self.drop(x)\n",
        True,
    ),
    Case(
        "l01.ex-dropout-aware",
        "alternative-by-hand-mask",
        "class MyDropout(nn.Module):\n"
        "    def __init__(self, p=0.5):\n"
        "        super().__init__()\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        if not self.training:\n"
        "            return x\n"
        "        keep = (torch.rand_like(x) >= self.p).to(x.dtype)\n"
        "        return x * keep / (1 - self.p)\n",
        True,
    ),
    Case(
        "l01.ex-dropout-aware",
        "alternative-inplace-f-dropout",
        "class MyDropout(nn.Module):\n"
        "    def __init__(self, p=0.5):\n"
        "        super().__init__()\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        return F.dropout(x, self.p, self.training, inplace=True)\n",
        True,
    ),
    Case(
        "l01.ex-dropout-aware",
        "cheat-zeroes-everything",
        "class MyDropout(nn.Module):\n"
        "    def __init__(self, p=0.5):\n"
        "        super().__init__()\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        return torch.zeros_like(x) if self.training else x\n",
        False,
        "zeroed",
    ),
    Case(
        "l01.ex-dropout-aware",
        "ignores-self-p",
        "class MyDropout(nn.Module):\n"
        "    def __init__(self, p=0.5):\n"
        "        super().__init__()\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        return F.dropout(x, 0.5, training=self.training)\n",
        False,
        "p=0.2",
    ),
    # ---------------------------------------------------------------- l02.ex-tower-add-module
    Case(
        "l02.ex-tower-add-module",
        "alternative-setattr-children",
        "class Tower(nn.Module):\n"
        "    def __init__(self, depth, width):\n"
        "        super().__init__()\n"
        "        for i in range(depth):\n"
        "            setattr(self, f'layer{i}', nn.Linear(width, width))\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.children():\n"
        "            x = F.relu(layer(x))\n"
        "        return x\n",
        True,
    ),
    Case(
        "l02.ex-tower-add-module",
        "cheat-hard-coded-width",
        "class Tower(nn.Module):\n"
        "    def __init__(self, depth, width):\n"
        "        super().__init__()\n"
        "        for i in range(depth):\n"
        "            self.add_module(f'layer{i}', nn.Linear(4, 4))\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.children():\n"
        "            x = F.relu(layer(x))\n"
        "        return x\n",
        False,
        "Tower(2, 5)",
    ),
    Case(
        "l02.ex-tower-add-module",
        "hard-coded-depth",
        "class Tower(nn.Module):\n"
        "    def __init__(self, depth, width):\n"
        "        super().__init__()\n"
        "        for i in range(3):\n"
        "            self.add_module(f'layer{i}', nn.Linear(width, width))\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.children():\n"
        "            x = F.relu(layer(x))\n"
        "        return x\n",
        False,
        "Tower(2, 5)",
    ),
    # ---------------------------------------------------------------- l02.ex-fix-scaler
    Case(
        "l02.ex-fix-scaler",
        "alternative-nn-init-ones",
        "class Scaler(nn.Module):\n"
        "    def __init__(self, n):\n"
        "        super().__init__()\n"
        "        self.n = n\n"
        "        self.scale = nn.Parameter(torch.ones(n))\n\n"
        "    def reset(self):\n"
        "        nn.init.ones_(self.scale)\n\n"
        "    def forward(self, x):\n"
        "        return x * self.scale\n",
        True,
    ),
    Case(
        "l02.ex-fix-scaler",
        "in-place-without-no-grad",
        "class Scaler(nn.Module):\n"
        "    def __init__(self, n):\n"
        "        super().__init__()\n"
        "        self.n = n\n"
        "        self.scale = nn.Parameter(torch.ones(n))\n\n"
        "    def reset(self):\n"
        "        self.scale.fill_(1.0)\n\n"
        "    def forward(self, x):\n"
        "        return x * self.scale\n",
        False,
        "Autograd refuses an in-place change",
    ),
    # ---------------------------------------------------------------- l03.ex-register-state
    Case(
        "l03.ex-register-state",
        "alternative-nn-buffer",
        "class Standardize(nn.Module):\n"
        "    def __init__(self, features):\n"
        "        super().__init__()\n"
        "        self.gain = nn.Parameter(torch.ones(features))\n"
        "        self.mean = nn.Buffer(torch.zeros(features))\n"
        "        self.mask = nn.Buffer(torch.ones(features), persistent=False)\n\n"
        "    def forward(self, x):\n"
        "        return (x - self.mean) * self.gain * self.mask\n",
        True,
    ),
    Case(
        "l03.ex-register-state",
        "gain-not-learnable",
        "class Standardize(nn.Module):\n"
        "    def __init__(self, features):\n"
        "        super().__init__()\n"
        "        self.gain = nn.Parameter(torch.ones(features), requires_grad=False)\n"
        "        self.register_buffer('mean', torch.zeros(features))\n"
        "        self.register_buffer('mask', torch.ones(features), persistent=False)\n\n"
        "    def forward(self, x):\n"
        "        return (x - self.mean) * self.gain * self.mask\n",
        False,
        "learnable",
    ),
    # ---------------------------------------------------------------- l03.ex-freeze-backbone
    Case(
        "l03.ex-freeze-backbone",
        "alternative-head-parameters",
        "torch.manual_seed(0)\n"
        "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n"
        "for p in model[0].parameters():\n"
        "    p.requires_grad = False\n"
        "opt = torch.optim.SGD(model[2].parameters(), lr=0.1)\n",
        True,
    ),
    Case(
        "l03.ex-freeze-backbone",
        "not-sgd-lr-0.1",
        "torch.manual_seed(0)\n"
        "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n"
        "model[0].requires_grad_(False)\n"
        "opt = torch.optim.Adam(model[2].parameters(), lr=1.0)\n",
        False,
        "lr=0.1",
    ),
    # ---------------------------------------------------------------- l03.ex-symmetric-weight
    Case(
        "l03.ex-symmetric-weight",
        "alternative-average",
        "from torch.nn.utils import parametrize\n\n"
        "class Symmetric(nn.Module):\n"
        "    def forward(self, X):\n"
        "        return (X + X.mT) / 2\n\n"
        "torch.manual_seed(0)\n"
        "layer = nn.Linear(3, 3)\n"
        "parametrize.register_parametrization(layer, 'weight', Symmetric())\n",
        True,
    ),
    Case(
        "l03.ex-symmetric-weight",
        "cheat-symmetric-left-as-identity",
        "from torch.nn.utils import parametrize\n\n"
        "class Symmetric(nn.Module):\n"
        "    def forward(self, X):\n"
        "        return X\n\n"
        "class Mirror(nn.Module):\n"
        "    def forward(self, X):\n"
        "        return (X + X.mT) / 2\n\n"
        "torch.manual_seed(0)\n"
        "layer = nn.Linear(3, 3)\n"
        "parametrize.register_parametrization(layer, 'weight', Mirror())\n",
        False,
        "not symmetric",
    ),
    # ---------------------------------------------------------------- l04.ex-conv-out-size
    Case(
        "l04.ex-conv-out-size",
        "alternative-math-floor",
        "import math\n\n"
        "def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        "    return math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1)\n",
        True,
    ),
    Case(
        "l04.ex-conv-out-size",
        "alternative-ask-a-real-conv2d",  # the layer is the truth the formula describes: fair
        "def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        "    conv = nn.Conv2d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation)\n"
        "    return conv(torch.zeros(1, 1, size, size)).shape[-1]\n",
        True,
    ),
    Case(
        "l04.ex-conv-out-size",
        "printed-not-returned",
        "def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        "    print((size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1)\n",
        False,
        "returned None",
    ),
    # ---------------------------------------------------------------- l04.ex-last-valid-state
    Case(
        "l04.ex-last-valid-state",
        "alternative-sort-and-unsort",
        "from torch.nn.utils.rnn import pack_padded_sequence\n\n"
        "def last_hidden(gru, x, lengths):\n"
        "    order = lengths.argsort(descending=True)\n"
        "    packed = pack_padded_sequence(x[order], lengths[order], batch_first=True)\n"
        "    _, h_n = gru(packed)\n"
        "    out = torch.empty_like(h_n[-1])\n"
        "    out[order] = h_n[-1]\n"
        "    return out\n",
        True,
    ),
    Case(
        "l04.ex-last-valid-state",
        "bottom-layer",
        "from torch.nn.utils.rnn import pack_padded_sequence\n\n"
        "def last_hidden(gru, x, lengths):\n"
        "    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n"
        "    _, h_n = gru(packed)\n"
        "    return h_n[0]\n",
        False,
        "first (bottom) layer",
    ),
    Case(
        "l04.ex-last-valid-state",
        "alternative-pack-sequence",
        "from torch.nn.utils.rnn import pack_sequence\n\n"
        "def last_hidden(gru, x, lengths):\n"
        "    seqs = [x[i, :n] for i, n in enumerate(lengths.tolist())]\n"
        "    _, h_n = gru(pack_sequence(seqs, enforce_sorted=False))\n"
        "    return h_n[-1]\n",
        True,
    ),
    Case(
        "l04.ex-last-valid-state",
        "alternative-forward-called-directly",
        "from torch.nn.utils.rnn import pack_padded_sequence\n\n"
        "def last_hidden(gru, x, lengths):\n"
        "    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)\n"
        "    _, h_n = gru.forward(input=packed)\n"
        "    return h_n[-1]\n",
        True,
    ),
    Case(
        "l04.ex-last-valid-state",
        "no-packing-reads-output-at-last-step",
        "def last_hidden(gru, x, lengths):\n"
        "    out, _ = gru(x)\n"
        "    return out[torch.arange(len(lengths)), lengths - 1]\n",
        False,
        "not a PackedSequence",
    ),
    Case(
        "l04.ex-last-valid-state",
        "no-packing-one-sequence-at-a-time",
        "def last_hidden(gru, x, lengths):\n"
        "    states = [gru(x[i:i + 1, :n])[1][-1, 0] for i, n in enumerate(lengths.tolist())]\n"
        "    return torch.stack(states)\n",
        False,
        "not a PackedSequence",
    ),
    # ---------------------------------------------------------------- l05.ex-bn-eval-by-hand
    Case(
        "l05.ex-bn-eval-by-hand",
        "alternative-f-batch-norm",
        "def bn_eval(x, bn):\n"
        "    return F.batch_norm(x, bn.running_mean, bn.running_var, bn.weight, bn.bias,\n"
        "                        training=False, eps=bn.eps)\n",
        True,
    ),
    Case(
        "l05.ex-bn-eval-by-hand",
        "alternative-rsqrt",
        "def bn_eval(x, bn):\n"
        "    return (x - bn.running_mean) * torch.rsqrt(bn.running_var + bn.eps) * bn.weight + bn.bias\n",
        True,
    ),
    Case(
        "l05.ex-bn-eval-by-hand",
        "eps-outside-the-sqrt",
        "def bn_eval(x, bn):\n"
        "    return (x - bn.running_mean) / (bn.running_var.sqrt() + bn.eps) * bn.weight + bn.bias\n",
        False,
        "eps",
    ),
    Case(
        "l05.ex-bn-eval-by-hand",
        "cheat-class-forward",
        "def bn_eval(x, bn):\n    return nn.BatchNorm1d.forward(bn, x)\n",
        False,
        "called the BatchNorm",
    ),
    Case(
        "l05.ex-bn-eval-by-hand",
        "cheat-copy-of-bn",
        "def bn_eval(x, bn):\n"
        "    twin = nn.BatchNorm1d(bn.num_features)\n"
        "    twin.load_state_dict(bn.state_dict())\n"
        "    return twin.eval()(x)\n",
        False,
        "called the BatchNorm",
    ),
    # ---------------------------------------------------------------- l05.ex-freeze-bn
    Case(
        "l05.ex-freeze-bn",
        "alternative-apply-base-class",
        "def freeze_bn(model):\n"
        "    def freeze(m):\n"
        "        if isinstance(m, nn.modules.batchnorm._BatchNorm):\n"
        "            m.eval()\n"
        "            for p in m.parameters():\n"
        "                p.requires_grad = False\n"
        "    model.apply(freeze)\n",
        True,
    ),
    Case(
        "l05.ex-freeze-bn",
        "cheat-hard-coded-index",
        "def freeze_bn(model):\n    model[1].eval()\n    model[1].requires_grad_(False)\n",
        False,
        "BatchNorm2d",
    ),
    Case(
        "l05.ex-freeze-bn",
        "direct-children-only",
        "def freeze_bn(model):\n"
        "    for m in model.children():\n"
        "        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)):\n"
        "            m.eval()\n"
        "            m.requires_grad_(False)\n",
        False,
        "BatchNorm2d",
    ),
    Case(
        "l05.ex-freeze-bn",
        "batchnorm1d-only",
        "def freeze_bn(model):\n"
        "    for m in model.modules():\n"
        "        if isinstance(m, nn.BatchNorm1d):\n"
        "            m.eval()\n"
        "            m.requires_grad_(False)\n",
        False,
        "BatchNorm2d",
    ),
    Case(
        "l05.ex-freeze-bn",
        "alternative-tuple-naming-sync-batchnorm",
        "def freeze_bn(model):\n"
        "    kinds = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.SyncBatchNorm)\n"
        "    for m in model.modules():\n"
        "        if isinstance(m, kinds):\n"
        "            m.eval()\n"
        "            m.requires_grad_(False)\n",
        True,
    ),
    Case(
        "l05.ex-freeze-bn",
        "tuple-misses-sync-batchnorm",
        "def freeze_bn(model):\n"
        "    for m in model.modules():\n"
        "        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)):\n"
        "            m.eval()\n"
        "            m.requires_grad_(False)\n",
        False,
        "SyncBatchNorm",
    ),
    Case(
        "l05.ex-freeze-bn",
        "every-norm-by-class-name",
        "def freeze_bn(model):\n"
        "    for m in model.modules():\n"
        "        if 'Norm' in type(m).__name__:\n"
        "            m.eval()\n"
        "            m.requires_grad_(False)\n",
        False,
        "GroupNorm",
    ),
    Case(
        "l05.ex-freeze-bn",
        "norm-base-class-takes-in-instancenorm",
        "def freeze_bn(model):\n"
        "    for m in model.modules():\n"
        "        if isinstance(m, nn.modules.batchnorm._NormBase):\n"
        "            m.eval()\n"
        "            m.requires_grad_(False)\n",
        False,
        "InstanceNorm2d",
    ),
    Case(
        "l05.ex-freeze-bn",
        "alternative-batchnorm-in-class-name",
        "def freeze_bn(model):\n"
        "    for m in model.modules():\n"
        "        if 'BatchNorm' in type(m).__name__:\n"
        "            m.eval()\n"
        "            m.requires_grad_(False)\n",
        True,
    ),
    # ---------------------------------------------------------------- l06.ex-functional-block
    Case(
        "l06.ex-functional-block",
        "alternative-matmul-if-training",
        "class Block(nn.Module):\n"
        "    def __init__(self, d=8, p=0.5):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(d, d)\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        h = F.relu(x @ self.fc.weight.T + self.fc.bias)\n"
        "        if self.training:\n"
        "            h = F.dropout(h, self.p)\n"
        "        return h\n",
        True,
    ),
    Case(
        "l06.ex-functional-block",
        "ignores-self-p",
        "class Block(nn.Module):\n"
        "    def __init__(self, d=8, p=0.5):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(d, d)\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        h = F.relu(F.linear(x, self.fc.weight, self.fc.bias))\n"
        "        return F.dropout(h, 0.5, training=self.training)\n",
        False,
        "p=0.2",
    ),
    Case(
        "l06.ex-functional-block",
        "returns-float64",
        "class Block(nn.Module):\n"
        "    def __init__(self, d=8, p=0.5):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(d, d)\n"
        "        self.p = p\n\n"
        "    def forward(self, x):\n"
        "        h = F.relu(F.linear(x, self.fc.weight, self.fc.bias)).double()\n"
        "        return F.dropout(h, self.p, training=self.training)\n",
        False,
        "torch.float64",
    ),
    # ---------------------------------------------------------------- l06.ex-record-shapes
    Case(
        "l06.ex-record-shapes",
        "alternative-exit-stack",
        "from contextlib import ExitStack\n\n"
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    names = {m: n for n, m in model.named_modules() if not any(m.children())}\n\n"
        "    def hook(m, args, out):\n"
        "        shapes[names[m]] = tuple(out.shape)\n\n"
        "    with ExitStack() as stack:\n"
        "        for m in names:\n"
        "            stack.enter_context(m.register_forward_hook(hook))\n"
        "        model(x)\n"
        "    return shapes\n",
        True,
    ),
    Case(
        "l06.ex-record-shapes",
        "late-binding-name",
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    handles = []\n"
        "    for name, module in model.named_modules():\n"
        "        if len(list(module.children())) == 0:\n"
        "            handles.append(module.register_forward_hook(\n"
        "                lambda m, args, out: shapes.__setitem__(name, tuple(out.shape))))\n"
        "    model(x)\n"
        "    for h in handles:\n"
        "        h.remove()\n"
        "    return shapes\n",
        False,
        "expected {'0': (5, 8)",
    ),
    Case(
        "l06.ex-record-shapes",
        "cheat-global-hook-left-behind",
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    names = {m: n for n, m in model.named_modules() if not any(m.children())}\n"
        "    torch.nn.modules.module.register_module_forward_hook(\n"
        "        lambda m, a, out: shapes.__setitem__(names[m], tuple(out.shape)) if m in names else None)\n"
        "    model(x)\n"
        "    return shapes\n",
        False,
        "global",
    ),
    Case(
        "l06.ex-record-shapes",
        "alternative-handles-removed-without-try",
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    handles = []\n"
        "    for name, module in model.named_modules():\n"
        "        if not list(module.children()):\n"
        "            handles.append(module.register_forward_hook(\n"
        "                lambda m, args, out, name=name: shapes.update({name: tuple(out.shape)})))\n"
        "    model(x)\n"
        "    for h in handles:\n"
        "        h.remove()\n"
        "    return shapes\n",
        True,
    ),
    Case(
        "l06.ex-record-shapes",
        "alternative-global-hook-removed",
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    names = {m: n for n, m in model.named_modules() if not any(m.children())}\n"
        "    handle = torch.nn.modules.module.register_module_forward_hook(\n"
        "        lambda m, a, out: shapes.__setitem__(names[m], tuple(out.shape)) if m in names else None)\n"
        "    try:\n"
        "        model(x)\n"
        "    finally:\n"
        "        handle.remove()\n"
        "    return shapes\n",
        True,
    ),
    Case(
        "l06.ex-record-shapes",
        "cheat-clears-every-forward-hook",  # also deletes hooks other code had put there
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    for name, module in model.named_modules():\n"
        "        if len(list(module.children())) == 0:\n"
        "            module.register_forward_hook(\n"
        "                lambda m, args, out, name=name: shapes.__setitem__(name, tuple(out.shape)))\n"
        "    model(x)\n"
        "    for m in model.modules():\n"
        "        m._forward_hooks.clear()\n"
        "    return shapes\n",
        False,
        "removed hooks it did not register",
    ),
    Case(
        "l06.ex-record-shapes",
        "cheat-clears-the-global-hooks",
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    names = {m: n for n, m in model.named_modules() if not any(m.children())}\n"
        "    torch.nn.modules.module.register_module_forward_hook(\n"
        "        lambda m, a, out: shapes.__setitem__(names[m], tuple(out.shape)) if m in names else None)\n"
        "    model(x)\n"
        "    torch.nn.modules.module._global_forward_hooks.clear()\n"
        "    return shapes\n",
        False,
        "removed hooks it did not register",
    ),
    # ---------------------------------------------------------------- l07.ex-fix-plain-list
    Case(
        "l07.ex-fix-plain-list",
        "alternative-sequential",
        "class DeepMLP(nn.Module):\n"
        "    def __init__(self, width=8, depth=3):\n"
        "        super().__init__()\n"
        "        self.hidden = nn.Sequential(\n"
        "            *[nn.Sequential(nn.Linear(width, width), nn.ReLU()) for _ in range(depth)]\n"
        "        )\n"
        "        self.out = nn.Linear(width, 1)\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.hidden:\n"
        "            x = layer(x)\n"
        "        return self.out(x)\n",
        True,
    ),
    Case(
        "l07.ex-fix-plain-list",
        "one-layer-repeated",
        "class DeepMLP(nn.Module):\n"
        "    def __init__(self, width=8, depth=3):\n"
        "        super().__init__()\n"
        "        self.hidden = nn.ModuleList([nn.Sequential(nn.Linear(width, width), nn.ReLU())] * depth)\n"
        "        self.out = nn.Linear(width, 1)\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.hidden:\n"
        "            x = layer(x)\n"
        "        return self.out(x)\n",
        False,
        "separate object",
    ),
    Case(
        "l07.ex-fix-plain-list",
        "add-module-but-hidden-still-a-list",
        "class DeepMLP(nn.Module):\n"
        "    def __init__(self, width=8, depth=3):\n"
        "        super().__init__()\n"
        "        self.hidden = [nn.Sequential(nn.Linear(width, width), nn.ReLU()) for _ in range(depth)]\n"
        "        for i, layer in enumerate(self.hidden):\n"
        "            self.add_module(f'hidden{i}', layer)\n"
        "        self.out = nn.Linear(width, 1)\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.hidden:\n"
        "            x = layer(x)\n"
        "        return self.out(x)\n",
        False,
        "plain list",
    ),
    Case(
        "l07.ex-fix-plain-list",
        "relu-dropped",
        "class DeepMLP(nn.Module):\n"
        "    def __init__(self, width=8, depth=3):\n"
        "        super().__init__()\n"
        "        self.hidden = nn.ModuleList([nn.Sequential(nn.Linear(width, width)) for _ in range(depth)])\n"
        "        self.out = nn.Linear(width, 1)\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.hidden:\n"
        "            x = layer(x)\n"
        "        return self.out(x)\n",
        False,
        "ReLU",
    ),
    Case(
        "l07.ex-fix-plain-list",
        "alternative-inplace-relu",
        "class DeepMLP(nn.Module):\n"
        "    def __init__(self, width=8, depth=3):\n"
        "        super().__init__()\n"
        "        self.hidden = nn.ModuleList(\n"
        "            nn.Sequential(nn.Linear(width, width), nn.ReLU(inplace=True)) for _ in range(depth)\n"
        "        )\n"
        "        self.out = nn.Linear(width, 1)\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.hidden:\n"
        "            x = layer(x)\n"
        "        return self.out(x)\n",
        True,
    ),
    # ---------------------------------------------------------------- l07.ex-named-checkpoint
    Case(
        "l07.ex-named-checkpoint",
        "alternative-add-module",
        "autoencoder = nn.Sequential()\n"
        "autoencoder.add_module('encoder', nn.Linear(6, 3))\n"
        "autoencoder.add_module('act', nn.ReLU())\n"
        "autoencoder.add_module('decoder', nn.Linear(3, 6))\n",
        True,
    ),
    Case(
        "l07.ex-named-checkpoint",
        "relu-named-relu",
        "from collections import OrderedDict\n"
        "autoencoder = nn.Sequential(OrderedDict(\n"
        "    encoder=nn.Linear(6, 3), relu=nn.ReLU(), decoder=nn.Linear(3, 6)))\n",
        False,
        "autoencoder.act",
    ),
    Case(
        "l07.ex-named-checkpoint",
        "relu-registered-last",
        "from collections import OrderedDict\n"
        "autoencoder = nn.Sequential(OrderedDict(\n"
        "    encoder=nn.Linear(6, 3), decoder=nn.Linear(3, 6), act=nn.ReLU()))\n",
        False,
        "['encoder', 'decoder', 'act']",
    ),
    Case(
        "l07.ex-named-checkpoint",
        "widths-not-the-checkpoints",
        "from collections import OrderedDict\n"
        "autoencoder = nn.Sequential(OrderedDict(\n"
        "    encoder=nn.Linear(6, 6), act=nn.ReLU(), decoder=nn.Linear(6, 6)))\n",
        False,
        "size mismatch",
    ),
    # ---------------------------------------------------------------- l08.ex-buffer-follows
    Case(
        "l08.ex-buffer-follows",
        "alternative-nn-buffer",
        "class PositionalBias(nn.Module):\n"
        "    def __init__(self, length=5):\n"
        "        super().__init__()\n"
        "        self.offsets = nn.Buffer(torch.linspace(-1.0, 1.0, length), persistent=False)\n\n"
        "    def forward(self, x):\n"
        "        return x + self.offsets\n",
        True,
    ),
    Case(
        "l08.ex-buffer-follows",
        "parameter-without-grad",
        "class PositionalBias(nn.Module):\n"
        "    def __init__(self, length=5):\n"
        "        super().__init__()\n"
        "        self.offsets = nn.Parameter(torch.linspace(-1.0, 1.0, length), requires_grad=False)\n\n"
        "    def forward(self, x):\n"
        "        return x + self.offsets\n",
        False,
        "requires_grad=False",
    ),
    Case(
        "l08.ex-buffer-follows",
        "length-ignored",
        "class PositionalBias(nn.Module):\n"
        "    def __init__(self, length=5):\n"
        "        super().__init__()\n"
        "        self.register_buffer('offsets', torch.linspace(-1.0, 1.0, 5), persistent=False)\n\n"
        "    def forward(self, x):\n"
        "        return x + self.offsets\n",
        False,
        "use the length argument",
    ),
    # ---------------------------------------------------------------- l08.ex-evaluate
    Case(
        "l08.ex-evaluate",
        "alternative-decorator-and-flags",
        "@torch.no_grad()\n"
        "def evaluate(model, x):\n"
        "    modes = [(m, m.training) for m in model.modules()]\n"
        "    model.eval()\n"
        "    out = model(x)\n"
        "    for m, mode in reversed(modes):\n"
        "        m.training = mode\n"
        "    return out\n",
        True,
    ),
    Case(
        "l08.ex-evaluate",
        "detach-after-the-graph-is-built",
        "def evaluate(model, x):\n"
        "    modes = {m: m.training for m in model.modules()}\n"
        "    model.eval()\n"
        "    out = model(x).detach()\n"
        "    for m, mode in modes.items():\n"
        "        m.train(mode)\n"
        "    return out\n",
        False,
        "detach",
    ),
    Case(
        "l08.ex-evaluate",
        "flags-restored-children-first",
        "def evaluate(model, x):\n"
        "    modes = [(m, m.training) for m in model.modules()]\n"
        "    model.eval()\n"
        "    with torch.inference_mode():\n"
        "        y = model(x)\n"
        "    for m, mode in reversed(modes):\n"
        "        m.train(mode)\n"
        "    return y\n",
        False,
        "parents first",
    ),
    # ---------------------------------------------------------------- l09.ex-load-backbone
    Case(
        "l09.ex-load-backbone",
        "drops-head-by-name-never-compares-shapes",
        "def load_backbone(model, old_sd):\n"
        "    sd = {k.replace('features.', 'backbone.', 1): v for k, v in old_sd.items()}\n"
        "    sd = {k: v for k, v in sd.items() if not k.startswith('head.')}\n"
        "    return model.load_state_dict(sd, strict=False)\n",
        False,
        "size mismatch on backbone.2",
    ),
    # ---------------------------------------------------------------- l09.ex-tie-weights
    Case(
        "l09.ex-tie-weights",
        "alternative-tie-the-other-way",
        "class TinyLM(nn.Module):\n"
        "    def __init__(self, vocab=50, dim=16):\n"
        "        super().__init__()\n"
        "        self.emb = nn.Embedding(vocab, dim)\n"
        "        self.head = nn.Linear(dim, vocab, bias=False)\n"
        "        self.emb.weight = self.head.weight\n\n"
        "    def forward(self, tokens):\n"
        "        return self.head(self.emb(tokens))\n",
        True,
    ),
    Case(
        "l09.ex-tie-weights",
        "shares-data-only",
        "class TinyLM(nn.Module):\n"
        "    def __init__(self, vocab=50, dim=16):\n"
        "        super().__init__()\n"
        "        self.emb = nn.Embedding(vocab, dim)\n"
        "        self.head = nn.Linear(dim, vocab, bias=False)\n"
        "        self.head.weight.data = self.emb.weight.data\n\n"
        "    def forward(self, tokens):\n"
        "        return self.head(self.emb(tokens))\n",
        False,
        ".data",
    ),
    Case(
        "l09.ex-tie-weights",
        "head-removed",
        "class TinyLM(nn.Module):\n"
        "    def __init__(self, vocab=50, dim=16):\n"
        "        super().__init__()\n"
        "        self.emb = nn.Embedding(vocab, dim)\n\n"
        "    def forward(self, tokens):\n"
        "        return F.linear(self.emb(tokens), self.emb.weight)\n",
        False,
        "no head",
    ),
    # ---------------------------------------------------------------- l09.ex-materialise
    Case(
        "l09.ex-materialise",
        "alternative-apply",
        "def materialise(model, device):\n"
        "    model.to_empty(device=device)\n"
        "    model.apply(lambda m: m.reset_parameters() if hasattr(m, 'reset_parameters') else None)\n"
        "    return model\n",
        True,
    ),
    Case(
        "l09.ex-materialise",
        "reset-before-to-empty",
        "def materialise(model, device):\n"
        "    for m in model.modules():\n"
        "        if hasattr(m, 'reset_parameters'):\n"
        "            m.reset_parameters()\n"
        "    model.to_empty(device=device)\n"
        "    return model\n",
        False,
        "before their real memory was allocated",
    ),
    Case(
        "l09.ex-materialise",
        "known-layer-types-only",
        "def materialise(model, device):\n"
        "    model.to_empty(device=device)\n"
        "    for m in model.modules():\n"
        "        if isinstance(m, (nn.Linear, nn.BatchNorm1d)):\n"
        "            m.reset_parameters()\n"
        "    return model\n",
        False,
        "not only known layer types",
    ),
    # ---------------------------------------------------------------- l10.ex-first-nonfinite
    Case(
        "l10.ex-first-nonfinite",
        "alternative-raise-to-stop-early",
        "class Found(Exception):\n"
        "    pass\n\n"
        "def first_nonfinite(model, x):\n"
        "    def make(name):\n"
        "        def hook(m, args, out):\n"
        "            if not torch.isfinite(out).all():\n"
        "                raise Found(name)\n"
        "        return hook\n"
        "    handles = [m.register_forward_hook(make(n)) for n, m in model.named_modules() if n]\n"
        "    try:\n"
        "        model(x)\n"
        "    except Found as found:\n"
        "        return found.args[0]\n"
        "    finally:\n"
        "        for h in handles:\n"
        "            h.remove()\n"
        "    return None\n",
        True,
    ),
    Case(
        "l10.ex-first-nonfinite",
        "nan-only",
        "def first_nonfinite(model, x):\n"
        "    bad = []\n"
        "    def make(name):\n"
        "        return lambda m, args, out: bad.append(name) if torch.isnan(out).any() else None\n"
        "    handles = [m.register_forward_hook(make(n)) for n, m in model.named_modules() if n]\n"
        "    try:\n"
        "        model(x)\n"
        "    finally:\n"
        "        for h in handles:\n"
        "            h.remove()\n"
        "    return bad[0] if bad else None\n",
        False,
        "as non-finite as a NaN",
    ),
    Case(
        "l10.ex-first-nonfinite",
        "no-finally",
        "def first_nonfinite(model, x):\n"
        "    bad = []\n"
        "    def make(name):\n"
        "        return lambda m, args, out: None if torch.isfinite(out).all() else bad.append(name)\n"
        "    handles = [m.register_forward_hook(make(n)) for n, m in model.named_modules() if n]\n"
        "    model(x)\n"
        "    for h in handles:\n"
        "        h.remove()\n"
        "    return bad[0] if bad else None\n",
        False,
        "the error skipped the code that removes them",
    ),
    Case(
        "l10.ex-first-nonfinite",
        "cheat-global-hook-left-behind",
        "def first_nonfinite(model, x):\n"
        "    names = {m: n for n, m in model.named_modules()}\n"
        "    bad = []\n"
        "    torch.nn.modules.module.register_module_forward_hook(\n"
        "        lambda m, a, out: None if m not in names or torch.isfinite(out).all() else bad.append(names[m]))\n"
        "    model(x)\n"
        "    return bad[0] if bad else None\n",
        False,
        "global",
    ),
    # ---------------------------------------------------------------- l10.ex-fix-hidden-params
    Case(
        "l10.ex-fix-hidden-params",
        "alternative-sequential",
        "class MLP(nn.Module):\n"
        "    def __init__(self, sizes=(4, 8, 8, 2)):\n"
        "        super().__init__()\n"
        "        self.layers = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])])\n"
        "        self.scale = nn.Parameter(torch.ones(1))\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.layers[:-1]:\n"
        "            x = F.relu(layer(x))\n"
        "        return self.layers[-1](x) * self.scale\n",
        True,
    ),
    # ---------------------------------------------------------------- l11.ex-masks
    Case(
        "l11.ex-masks",
        "alternative-loop",
        "def make_masks(lengths, max_len):\n"
        "    causal = torch.triu(torch.ones(max_len, max_len), diagonal=1).bool()\n"
        "    padding = torch.zeros(len(lengths), max_len, dtype=torch.bool)\n"
        "    for i, n in enumerate(lengths):\n"
        "        padding[i, n:] = True\n"
        "    return causal, padding\n",
        True,
    ),
    Case(
        "l11.ex-masks",
        "causal-size-hard-coded",
        "def make_masks(lengths, max_len):\n"
        "    causal = torch.ones(5, 5, dtype=torch.bool).triu(1)\n"
        "    padding = torch.arange(max_len)[None, :] >= torch.as_tensor(lengths)[:, None]\n"
        "    return causal, padding\n",
        False,
        "make_masks(torch.tensor([1, 4]), 4) gave causal",
    ),
    # ---------------------------------------------------------------- l11.ex-mha-by-hand
    Case(
        "l11.ex-mha-by-hand",
        "alternative-packed-projection",
        "def mha_by_hand(mha, x):\n"
        "    h, d = mha.num_heads, mha.head_dim\n"
        "    q, k, v = F.linear(x, mha.in_proj_weight, mha.in_proj_bias).chunk(3, dim=-1)\n"
        "    q, k, v = (t.unflatten(-1, (h, d)).transpose(1, 2) for t in (q, k, v))\n"
        "    out = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).flatten(2)\n"
        "    return F.linear(out, mha.out_proj.weight, mha.out_proj.bias)\n",
        True,
    ),
    Case(
        "l11.ex-mha-by-hand",
        "cheat-class-forward",
        "def mha_by_hand(mha, x):\n    return nn.MultiheadAttention.forward(mha, x, x, x)[0]\n",
        False,
        "called the module",
    ),
    Case(
        "l11.ex-mha-by-hand",
        "cheat-functional-mha",
        "def mha_by_hand(mha, x):\n"
        "    t = x.transpose(0, 1)\n"
        "    out = F.multi_head_attention_forward(\n"
        "        t, t, t, mha.embed_dim, mha.num_heads, mha.in_proj_weight, mha.in_proj_bias,\n"
        "        None, None, False, 0.0, mha.out_proj.weight, mha.out_proj.bias,\n"
        "        training=False, need_weights=False)[0]\n"
        "    return out.transpose(0, 1)\n",
        False,
        "called the module",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[f"{c.exercise}:{c.label}" for c in CASES])
def test_exercise_check_judges_the_attempt(case: Case, library: DeckLibrary, sb: Sandbox) -> None:
    found = library.item(case.exercise)
    assert found is not None, f"no exercise {case.exercise!r} in the shipped decks"
    step = found[1]
    result = sb.run(case.code, device="cpu", check=step.check)
    assert result.check is not None, (result.status, result.error)
    message = result.check.message
    shown = message.get("en", "") if isinstance(message, dict) else message
    if case.passes:
        assert result.ok, f"a valid solution was rejected: {shown!r} {result.error}"
    else:
        assert not result.ok, "the check accepted an attempt that does not do what the prompt asks"
        assert case.says in shown, f"expected the message to mention {case.says!r}: {shown!r}"
        if isinstance(message, dict):
            assert message.get("zh"), f"the message has no Chinese: {message!r}"


def failed_check_message(code: str, step: model.ExerciseStep, sb: Sandbox) -> model.Text:
    """What ``step``'s check says of ``code``, run as the app runs a Check: the code must run to
    its end and the check must fail by its own assert (not crash, nor be left unrun, nor meet
    the learner's code raising inside it: the sandbox words those, with a ``code``)."""
    result = sb.run(code, device="cpu", check=step.check)
    assert result.status == "ok", (result.status, result.error)
    assert result.check is not None and not result.check.crashed, result.check
    assert result.check.code is None, result.check
    assert not result.check.passed, "the check accepted a wrong attempt"
    return result.check.message


def attempt_code(exercise_id: str, label: str, cases: Iterable[Any] = CASES) -> str:
    """The code of the attempt ``cases`` (each with its exercise, label and code) hold under
    ``exercise_id`` and ``label``, written there once (a test of another file may look among
    several files' cases)."""
    for case in cases:
        if (case.exercise, case.label) == (exercise_id, label):
            return case.code
    raise LookupError(f"no attempt {label!r} for {exercise_id!r}")


@pytest.mark.slow
def test_fix_scaler_sets_torchs_words_apart_from_the_explanation(
    library: DeckLibrary, sb: Sandbox
) -> None:
    """torch's English error stands on its own line; the explanation starts on the next one.

    A reset() that forgets torch.no_grad() raises torch's RuntimeError; run into one sentence,
    its English and the check's Chinese read as a single garbled line.
    """
    leaf = nn.Parameter(torch.ones(3))
    with pytest.raises(RuntimeError) as raised:
        leaf.fill_(1.0)
    torch_says = str(raised.value)
    found = library.item("l02.ex-fix-scaler")
    assert found is not None
    code = attempt_code("l02.ex-fix-scaler", "in-place-without-no-grad")
    message = failed_check_message(code, found[1], sb)
    assert isinstance(message, dict), message
    explained_by = {"en": "Autograd refuses", "zh": "autograd 不允许"}
    for language, explanation in explained_by.items():
        lines = message[language].splitlines()
        said_at = [i for i, line in enumerate(lines) if torch_says in line]
        assert said_at, f"{language}: torch's words are missing: {message[language]!r}"
        torch_line = lines[said_at[0]]
        assert torch_line.rstrip().endswith(torch_says), f"{language}: {torch_line!r}"
        later = lines[said_at[0] + 1 :]
        assert any(explanation in line for line in later), f"{language}: {message[language]!r}"
