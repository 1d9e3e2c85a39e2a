"""A ``NameError``'s hint names the fix that fits the name (QA pass 7): torch's own name written
bare (``Linear`` for ``nn.Linear``), a module never imported (``math``), a well-known name to
import (``OrderedDict``); "define it in this code" only for a name that is none of those. Real
sandbox runs, worded through the tutor's own message function in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sandbox.outcome import HINTS
from tutor.sandbox_messages import error_message

HAN = re.compile(r"[\u4e00-\u9fff]")


def words(err: Any) -> tuple[str, str]:
    """The error as the tutor words it in English (the sandbox's own message) and Chinese."""
    en, zh = error_message(err, "en"), error_message(err, "zh")
    assert en == err.message
    assert HAN.search(zh), zh
    return en, zh


def test_torchs_class_written_bare_gets_its_qualified_name(sb):
    err = sb.run("layer = Linear(3, 1)").error
    assert err.type == "NameError" and err.hint_code == "qualified_name"
    assert err.params == {"name": "Linear", "module": "torch.nn", "qualified": "nn.Linear"}
    en, zh = words(err)
    assert en == "name 'Linear' is not defined (`Linear` is in torch.nn: did you mean `nn.Linear`?)"
    assert "`nn.Linear`" in zh and "define `" not in en and "定义" not in zh


@pytest.mark.parametrize(
    ("code", "qualified"),
    [
        ("y = relu(torch.zeros(2))", "F.relu"),  # F's function before torch's
        ("x = zeros(2)", "torch.zeros"),
        ("x = Tensor([1.0])", "torch.Tensor"),  # not F.Tensor, torch's own that F imports
        ("x = linalg.norm(torch.ones(2))", "torch.linalg"),  # a submodule, read as one
    ],
)
def test_torchs_other_names_written_bare_get_theirs(sb, code, qualified):
    err = sb.run(code).error
    assert (err.hint_code, err.params["qualified"]) == ("qualified_name", qualified)
    assert f"`{qualified}`" in words(err)[1]


def test_a_module_never_imported_gets_its_import(sb):
    err = sb.run("import torch\nw = math.sqrt(2)\nlayer = nn.Linear(3, 1, bias=False)").error
    assert err.hint_code == "import_module" and err.params == {"name": "math"}
    en, zh = words(err)
    assert en.endswith("(`math` is a module: add `import math` at the top of this code)")
    assert "`import math`" in zh and "定义" not in zh


@pytest.mark.parametrize(
    ("code", "name", "line"),
    [
        (
            'net = nn.Sequential(OrderedDict([("fc", nn.Linear(6, 3))]))',
            "OrderedDict",
            "from collections import OrderedDict",
        ),
        (
            "m = nn.Linear(2, 2)\nparametrize.register_parametrization(m, 'weight', nn.Identity())",
            "parametrize",
            "from torch.nn.utils import parametrize",
        ),
        (
            "dl = DataLoader(TensorDataset(torch.zeros(4, 2)), batch_size=2)",
            "DataLoader",  # the function is looked up before its arguments
            "from torch.utils.data import DataLoader",
        ),
        ("f = partial(print, 1)", "partial", "from functools import partial"),
        ("x = np.zeros(3)", "np", "import numpy as np"),  # Python alone suggests `nn`
    ],
)
def test_a_well_known_name_gets_its_exact_import_line(sb, code, name, line):
    err = sb.run(code).error
    assert err.hint_code == "import_name" and err.params == {"name": name, "line": line}
    en, zh = words(err)
    assert en.endswith(f"(`{name}` must be imported: add `{line}` at the top of this code)")
    assert f"`{line}`" in zh


@pytest.mark.parametrize("code", ["print(mean)", "print(code)", "y = model(torch.zeros(2))"])
def test_a_name_that_only_looks_like_torchs_or_a_module_keeps_the_fresh_run_hint(sb, code):
    """``mean`` read (not called) is a variable from an earlier run, not ``torch.mean``; ``code``
    read without an attribute is no stdlib module ``code``."""
    err = sb.run(code).error
    assert err.hint_code == "fresh_run"
    assert err.message.endswith(f"({HINTS['fresh_run'].format(name=err.params['name'])})")
    assert "从头开始" in words(err)[1]


def test_pythons_own_suggestion_is_kept_with_a_fix_by_what_the_name_is(sb):
    """Python's near name stays; the fix for torch's ``init`` follows it ("int" is no fix)."""
    err = sb.run("w = torch.empty(2)\ninit.zeros_(w)").error
    assert err.message.startswith("name 'init' is not defined. Did you mean: 'int'? (")
    assert (err.hint_code, err.params["qualified"]) == ("qualified_name", "nn.init")
    zh = words(err)[1]
    assert "Did you mean: 'int'?" in zh and "`nn.init`" in zh
    err = sb.run("cude = 1\ncode.interact()").error
    assert err.message.startswith("name 'code' is not defined. Did you mean: 'cude'? (")
    assert err.hint_code == "import_module"


def test_pythons_own_suggestion_is_never_contradicted_by_the_fresh_run_hint(sb):
    err = sb.run("mean_value = 1\nprint(mean_valu)").error
    assert err.message == "name 'mean_valu' is not defined. Did you mean: 'mean_value'?"
    assert err.hint_code is None


def test_a_files_missing_import_gets_its_import_but_no_fresh_run_hint(sb, tmp_path):
    """A script has no earlier runs, but a missing import is its fix there as well."""
    from sandbox.protocol import FileSource

    script = tmp_path / "train.py"
    err = sb.run(FileSource("def f():\n    return math.pi\nf()\n", str(script))).error
    assert err.hint_code == "import_module"
    err = sb.run(FileSource("print(mean)\n", str(script))).error
    assert err.type == "NameError" and err.hint_code is None


@pytest.mark.parametrize(
    "code",
    ["random.seed(0)\nprint(random.random())", "random.shuffle([1, 2])", "print(signal.SIGINT)"],
)
def test_a_standard_library_module_read_from_gets_its_import_not_torchs_namesake(sb, code):
    """``random`` is ``torch.random`` too, but that has no ``shuffle`` and its ``seed`` takes no
    argument: Python's own module is the fix."""
    err = sb.run(code).error
    name = err.params["name"]
    assert err.hint_code == "import_module" and name in {"random", "signal"}
    assert words(err)[0].endswith(
        f"(`{name}` is a module: add `import {name}` at the top of this code)"
    )


@pytest.mark.parametrize(
    "code",
    [
        "print(grad.shape)",  # not nn.grad: that module has no shape
        "print(array.shape)",  # stdlib array has no shape
        "print(test.mean())",
        "print(trace.shape)",
        "print(queue.put(1))",  # queue.Queue has put, the module has not
        "print(string.upper())",
    ],
)
def test_a_variable_from_an_earlier_run_keeps_the_fresh_run_hint_whatever_its_namesake(sb, code):
    """A module or torch name is named as the fix only where the code's use fits it."""
    err = sb.run(code).error
    assert err.hint_code == "fresh_run", (code, err.hint_code, err.params)
    assert "从头开始" in words(err)[1]


@pytest.mark.parametrize(
    ("code", "near"),
    [
        # torch.dtype, never called
        ("import torch\ndtypes = [torch.float32]\nx = torch.ones(2, dtype=dtype)", "dtypes"),
        ("tokens = []\nprint(token.upper())", "tokens"),  # stdlib token has no upper
    ],
)
def test_a_variable_with_a_near_name_gets_pythons_suggestion_alone(sb, code, near):
    """No made-up import or torch name; Python's near name, one the code defines, stands alone
    (no fresh-run hint)."""
    err = sb.run(code).error
    assert err.message.endswith(f"is not defined. Did you mean: '{near}'?"), err.message
    assert err.hint_code is None, (err.hint_code, err.params)


@pytest.mark.parametrize(
    ("code", "near"),
    [
        ("import torch\nx = torch.ones(2, dtype=dtype)", "type"),
        ("print(token.upper())", "open"),
    ],
)
def test_a_variable_whose_near_name_is_a_builtin_keeps_the_fresh_run_hint(sb, code, near):
    """Python's near name is a builtin no one meant (``type`` for ``dtype``): its words stay,
    and "each run starts fresh" follows them, as for a name with no near name."""
    err = sb.run(code).error
    assert f"is not defined. Did you mean: '{near}'? (each run starts fresh" in err.message
    assert err.hint_code == "fresh_run", (err.hint_code, err.params)


@pytest.mark.parametrize(
    ("code", "near"),
    [
        ("printt('hi')", "print"),
        ("x = [1]\nlenn(x)", "len"),
        ("for i in rangee(3):\n    pass", "range"),
        ("x = Tru", "True"),  # no function nor class: a value's typo
        ("x = Nome", "None"),
    ],
)
def test_a_typo_of_a_builtin_gets_pythons_suggestion_alone(sb, code, near):
    """A missing name called as the builtin near it is (``printt('hi')``), or near a builtin
    value (``Tru``), is that builtin mistyped: Python's suggestion is the fix, and "define
    `printt` in this code" would contradict it."""
    err = sb.run(code).error
    assert err.message.endswith(f"is not defined. Did you mean: '{near}'?"), err.message
    assert err.hint_code is None, (err.hint_code, err.params)
    assert "从头开始" not in error_message(err, "zh")


@pytest.mark.parametrize(
    ("code", "hint_code", "fix"),
    [
        ("class M(Module):\n    pass", "qualified_name", "nn.Module"),  # subclassed
        ("import torch\nok = isinstance(torch.ones(1), Tensor)", "qualified_name", "torch.Tensor"),
        ("print(Tensor.add)", "qualified_name", "torch.Tensor"),  # an attribute it has
        ("import torch\nx = torch.ones(2)\nprint(select.select)", "import_module", "select"),
        ("print(numpy.zeros(3))", "import_module", "numpy"),  # installed, imported already
    ],
)
def test_a_name_whose_use_fits_still_gets_its_fix(sb, code, hint_code, fix):
    err = sb.run(code).error
    assert err.hint_code == hint_code, (code, err.hint_code, err.params)
    assert fix in err.params.values()
