"""A warning from torch's own code names torch's file from its package, not by the environment's
full path (five such lines pushed a run's value out of an 80x24 sandbox)."""

from __future__ import annotations

import sysconfig
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.warning_paths import package_path, without_sandbox_frames

TRANSFORMER = (
    "model = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1,\n"
    "                       dim_feedforward=32)\n"
)


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(timeout_s=30) as box:
        yield box


def test_a_library_file_is_named_from_its_package() -> None:
    site = sysconfig.get_paths()["purelib"]
    assert package_path(f"{site}/torch/nn/modules/transformer.py") == (
        "torch/nn/modules/transformer.py"
    )
    assert package_path("<snippet>") == "<snippet>"
    assert package_path("/home/me/model.py") == "/home/me/model.py"


def test_torchs_warning_names_torchs_file_and_keeps_its_line(sb: Sandbox) -> None:
    r = sb.run(TRANSFORMER)
    assert r.status == "ok", r.error
    first, source = r.stderr.splitlines()[:2]
    assert first.startswith("torch/nn/modules/transformer.py:"), r.stderr
    assert "UserWarning: enable_nested_tensor is True" in first
    assert source.strip() and "site-packages" not in r.stderr, r.stderr


def test_the_learners_own_warning_names_their_line(sb: Sandbox) -> None:
    r = sb.run("import warnings\nwarnings.warn('mind the shapes')\n")
    assert r.stderr.splitlines() == [
        "<snippet>:2: UserWarning: mind the shapes",
        "  warnings.warn('mind the shapes')",
    ]


ANOMALY = (
    "torch.autograd.set_detect_anomaly(True)\n"
    "x = torch.tensor([-1.0, 4.0], requires_grad=True)\n"
    "y = x.sqrt()\n"
    "y.sum().backward()\n"
)


def test_a_warnings_stack_leaves_out_the_sandboxs_own_calls(sb: Sandbox) -> None:
    """Anomaly mode's "Traceback of forward call" is the whole stack: the worker's and runner's
    calls buried the learner's line under 25 lines of the sandbox's."""
    r = sb.run(ANOMALY)
    assert r.status == "error", r.error
    start = r.stderr.index("Traceback of forward call")
    stack = r.stderr[start:].split("(Triggered internally")[0]
    assert 'File "<snippet>", line 3' in stack and "y = x.sqrt()" in stack, r.stderr
    assert "sandbox/" not in r.stderr and "runpy" not in r.stderr, r.stderr
    assert stack.count('  File "') == 1, stack


def test_only_the_sandboxs_frames_are_left_out() -> None:
    here = without_sandbox_frames.__code__.co_filename  # a file of the sandbox's own
    text = (
        "Error detected. Traceback of forward call that caused the error:\n"
        '  File "<frozen runpy>", line 88, in _run_code\n'
        f'  File "{here}", line 9, in execute\n'
        "    value = eval(last, ns)\n"
        '  File "<snippet>", line 3, in <module>\n'
        "    y = x.sqrt()\n"
        '  File "/home/me/model.py", line 7, in forward\n'
        "    return self.fc(x)\n"
        " (Triggered internally at anomaly_mode.cpp:122.)\n"
    )
    assert without_sandbox_frames(text) == (
        "Error detected. Traceback of forward call that caused the error:\n"
        '  File "<snippet>", line 3, in <module>\n'
        "    y = x.sqrt()\n"
        '  File "/home/me/model.py", line 7, in forward\n'
        "    return self.fc(x)\n"
        " (Triggered internally at anomaly_mode.cpp:122.)\n"
    )
    assert without_sandbox_frames("no stack here") == "no stack here"
