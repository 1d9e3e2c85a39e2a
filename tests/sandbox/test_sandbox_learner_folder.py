"""The learner's folder is on their import path only, never on torch's (QA 39).

* A learner's ``cuda.py`` in the folder nn-tutor was started from stopped the sandbox from
  starting: torch's optional ``from cuda.bindings import ...`` found it (the folder was last on
  the worker's path, and nothing installed is called ``cuda`` on a CPU build). Nor may torch's
  later imports during a run (sympy for ``torch._dynamo``, the triton probe) see the folder.
* A file run (``nn-tutor run DIR/file.py``, ``nn-tutor sandbox DIR/file.py``) runs as
  ``python DIR/file.py``: the file's folder first on the learner's import path, ``__file__`` set,
  the traceback naming the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.protocol import FileSource

QA_CUDA_PY = 'import torch\nprint("cuda?", torch.cuda.is_available())\n'
"""QA's ``cuda.py``: imported while torch imports, it finds torch half-initialised."""


def shadow_torch_imports(folder: Path) -> None:
    """``cuda.py`` as QA wrote it, and modules named as others torch imports later, each failing
    loudly if anything imports it; and ``helper.py``, the learner's own."""
    (folder / "cuda.py").write_text(QA_CUDA_PY)
    for name in ("sympy", "triton"):
        (folder / f"{name}.py").write_text(f"raise RuntimeError('the learner\\'s {name}.py')\n")
    (folder / "helper.py").write_text("ANSWER = 42\n")


LAZY_TORCH = """\
import torch._dynamo  # imports sympy
from torch.utils._triton import has_triton
import helper, cuda
(has_triton(), helper.ANSWER, cuda.__file__ == {cuda_py!r})
"""
"""torch's imports made during the run find the installed modules (or none), the learner's own
imports find theirs (``cuda`` too: as Python would, for their code)."""


@pytest.mark.parametrize("device", ["cpu", "cuda"])  # "cuda": the in-process worker, on the CPU
def test_a_cuda_py_where_nn_tutor_starts_is_the_learners_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, device: str
) -> None:
    shadow_torch_imports(tmp_path)
    monkeypatch.chdir(tmp_path)
    with Sandbox(inprocess_device="cpu" if device == "cuda" else None) as box:
        r = box.run(LAZY_TORCH.format(cuda_py=str(tmp_path / "cuda.py")), device=device)
    assert r.status == "ok", r.error
    assert r.value == "(False, 42, True)"
    assert r.stdout == "cuda? False\n"  # their cuda.py ran once: for their import


def test_nn_tutor_run_starts_beside_a_cuda_py(tmp_path: Path) -> None:
    """QA's repro: ``nn-tutor run hello.py`` in a folder holding ``cuda.py``."""
    (tmp_path / "cuda.py").write_text(QA_CUDA_PY)
    (tmp_path / "hello.py").write_text("print('hi')\n")
    out = subprocess.run(
        [sys.executable, "-m", "tutor", "--lang", "en", "run", "hello.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("hi\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """QA's ``proj``: a training file beside the module it imports, and nn-tutor started from
    elsewhere."""
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "mymodel.py").write_text("import torch.nn as nn\nclass Net(nn.Linear):\n    pass\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mymodel.py").write_text("raise RuntimeError('the wrong folder')\n")
    return proj


@pytest.mark.parametrize("device", ["cpu", "cuda"])
def test_a_file_runs_as_python_runs_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, device: str
) -> None:
    monkeypatch.chdir(project.parent / "elsewhere")
    train = project / "train.py"
    code = "from mymodel import Net\nimport os\n(Net.__module__, __file__, os.getcwd())\n"
    with Sandbox(inprocess_device="cpu" if device == "cuda" else None) as box:
        r = box.run(FileSource(code, str(train)), device=device)
        assert r.status == "ok", r.error
        assert r.value == repr(("mymodel", str(train), str(project.parent / "elsewhere")))
        failing = "x = 1\n\ndef f():\n    raise ValueError('no')\n\nf()\n"
        r = box.run(FileSource(failing, str(train)), device=device)
        unparsed = box.run(FileSource("x = 1\ny = (\n", str(train)), device=device)
        scratch = box.run("__file__", device=device)  # a snippet has no file, as before
    assert unparsed.error is not None and unparsed.error.type == "SyntaxError"
    assert unparsed.error.line == 2
    assert f'File "{train}", line 2' in unparsed.error.traceback
    assert r.status == "error"
    assert r.error is not None
    assert r.error.line == 4  # "(line N)": the innermost line of the file
    assert f'File "{train}", line 6, in <module>' in r.error.traceback
    assert f'File "{train}", line 4, in f' in r.error.traceback
    assert "<snippet>" not in r.error.traceback
    assert scratch.error is not None and scratch.error.type == "NameError"
    assert 'File "<snippet>", line 1' in scratch.error.traceback


def test_nn_tutor_run_of_a_file_in_another_folder(project: Path) -> None:
    """QA's repro: ``nn-tutor run proj/train.py`` and ``proj/usefile.py``."""
    (project / "train.py").write_text("from mymodel import Net\nprint(Net(2, 3))\n")
    (project / "usefile.py").write_text("import os\nprint(__file__)\nraise SystemError('x')\n")
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root, "COLUMNS": "300"}  # a traceback line unwrapped

    def nn_tutor_run(path: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tutor", "--lang", "en", "run", path],
            cwd=project.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    trained = nn_tutor_run("proj/train.py")
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert trained.stdout.startswith("Net(in_features=2, out_features=3, bias=True)\n")
    used = nn_tutor_run("proj/usefile.py")
    assert used.stdout.startswith(f"{project / 'usefile.py'}\n")
    assert f'File "{project / "usefile.py"}", line 3, in <module>' in used.stdout
    assert "SystemError (line 3): x" in used.stdout


def test_torch_load_imports_the_learners_module_for_them(project: Path) -> None:
    """An unpickler imports the module its data names on the learner's behalf: a model saved
    whole loads in a run that never imported the module of its class, as under Python."""
    train = str(project / "train.py")
    saved = str(project / "net.pt")
    save = f"from mymodel import Net\ntorch.save(Net(2, 3), {saved!r})\n"
    load = f"import sys\nnet = torch.load({saved!r}, weights_only=False)\n"
    load += "('mymodel' in sys.modules, type(net).__name__)\n"
    with Sandbox() as box:
        assert box.run(FileSource(save, train)).status == "ok"
        r = box.run(FileSource(load, train))
    assert r.status == "ok", r.error
    assert r.value == "(True, 'Net')"


def test_runs_go_on_once_the_folder_is_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each run asks for the current folder: one deleted under the worker leaves none to import
    from, and the run goes on without it."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    with Sandbox() as box:
        gone.rmdir()
        r = box.run("import json\n1 + 1")
    assert r.status == "ok", r.error
    assert r.value == "2"


ON_THEIR_BEHALF = """\
import importlib.util, pkgutil, sys
sys.path.insert(0, "src")
import mod2                                      # on a path they added: imports helper
spec = importlib.util.spec_from_file_location("m", "other/m.py")
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)                       # loaded by its file name: imports helper
(mod2.V, m.W, pkgutil.resolve_name("helper:ANSWER"))
"""


def test_modules_of_theirs_import_theirs_wherever_they_come_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only torch's imports (installed packages', the sandbox's) are kept from the folder: a
    module on a path the learner added, one loaded by its file name, and Python's library
    importing for them (pkgutil, doctest) found none of the learner's modules either."""
    shadow_torch_imports(tmp_path)
    for folder, name, value in (("src", "mod2", "V = helper.ANSWER + 1"), ("other", "m", "W = 44")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{name}.py").write_text(f"import helper\n{value}\n")
    monkeypatch.chdir(tmp_path)
    with Sandbox() as box:
        r = box.run(ON_THEIR_BEHALF + "\n", device="cpu")
        assert (r.status, r.value) == ("ok", "(43, 44, 42)"), r.error
        assert box.run(LAZY_TORCH.format(cuda_py=str(tmp_path / "cuda.py"))).status == "ok"


def test_a_files_run_shows_its_modules_frames_and_argv_as_python_does(project: Path) -> None:
    """An error raised in ``model.py`` showed only the line in ``train.py`` that called it (the
    NameError pointed at a line without that name); a module that does not compile lost its
    line and caret; ``sys.argv`` was the worker's, so ``argparse`` failed naming ``worker.py``."""
    (project / "layers.py").write_text("def boom(x):\n    return undefined_fn(x)\n")
    (project / "broken.py").write_text("class Net(object)\n    pass\n")
    train = project / "train.py"
    with Sandbox() as box:
        code = "import layers\nlayers.boom(1)\n"
        err = box.run(FileSource(code, str(train))).error
        assert err.line == 2  # the line of train.py, where the editor marks it
        assert f'File "{project / "layers.py"}", line 2, in boom' in err.traceback
        assert "return undefined_fn(x)" in err.traceback
        err = box.run(FileSource("import os\nimport broken\n", str(train))).error
        assert (err.type, err.line) == ("SyntaxError", 2)
        assert f'File "{project / "broken.py"}", line 1' in err.traceback
        assert "class Net(object)" in err.traceback and "^" in err.traceback
        code = "import argparse, sys\nargparse.ArgumentParser().parse_args()\nsys.argv\n"
        r = box.run(FileSource(code, str(train)))
        assert (r.status, r.value) == ("ok", repr([str(train)])), r.error
        assert box.run("import sys\nsys.argv").value == "['<snippet>']"


def test_a_files_run_shows_the_frames_of_its_packages_modules(project: Path) -> None:
    """A module inside the learner's package (``utils/ops.py``) is theirs as ``utils`` is: its
    frames were left out of the traceback (only the package's ``__init__`` was known)."""
    (project / "utils").mkdir()
    (project / "utils" / "__init__.py").write_text("")
    (project / "utils" / "ops.py").write_text("def boom():\n    raise ValueError('in ops')\n")
    with Sandbox() as box:
        code = "from utils.ops import boom\nboom()\n"
        err = box.run(FileSource(code, str(project / "train.py"))).error
    assert err.line == 2
    assert f'File "{project / "utils" / "ops.py"}", line 2, in boom' in err.traceback
