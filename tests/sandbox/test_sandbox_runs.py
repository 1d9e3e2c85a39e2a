"""Ordinary runs: values, output, errors, checks, isolation between runs."""

from __future__ import annotations

import textwrap

import pytest
from sandbox_helpers import no_cuda

from sandbox import CheckOutcome, RunError, RunResult


def code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def test_value_is_repr_of_last_expression(sb):
    r = sb.run("x = torch.ones(2)\nx * 2")
    assert r.status == "ok" and r.ok
    assert r.value == "tensor([2., 2.])"
    assert sb.run("y = 3").value is None
    assert sb.run("3;").value is None
    assert sb.run("None").value is None
    assert sb.run("'a' + 'b'").value == "'ab'"


def test_injected_names(sb):
    r = sb.run("(torch.__name__, nn.Linear.__module__, F.relu.__name__, str(device))")
    assert r.status == "ok", r.error
    assert r.value == "('torch', 'torch.nn.modules.linear', 'relu', 'cpu')"
    assert r.device == "cpu"


def test_stdout_stderr_and_c_level_output(sb):
    r = sb.run(
        code(
            """
            import os, sys, ctypes
            print("from python")
            print("to stderr", file=sys.stderr)
            os.write(1, b"raw fd 1\\n")
            ctypes.CDLL(None).puts(b"from C stdio")
            """
        )
    )
    assert r.status == "ok", r.error
    assert "from python\n" in r.stdout
    assert "raw fd 1\n" in r.stdout
    assert "from C stdio" in r.stdout
    assert r.stderr == "to stderr\n"


def test_error_traceback_is_trimmed_to_learner_lines(sb):
    r = sb.run(
        code(
            """
            import torch
            layer = nn.Linear(4, 3)

            def forward(x):
                return layer(x)

            forward(torch.randn(2, 5))
            """
        )
    )
    assert r.status == "error"
    assert r.error.type == "RuntimeError"
    assert "mat1 and mat2" in r.error.message
    assert r.error.line == 5  # inside forward(), the deepest learner frame
    tb = r.error.traceback
    assert 'File "<snippet>", line 7, in <module>' in tb
    assert 'File "<snippet>", line 5, in forward' in tb
    assert "torch/nn" not in tb and "sandbox/" not in tb


def test_syntax_error_and_missing_module_have_lines(sb):
    r = sb.run("x = 1\ny = (\n")
    assert r.status == "error" and r.error.type == "SyntaxError"
    assert r.error.line == 2
    r = sb.run("x = 1\nimport no_such_module_xyz\n")
    assert r.status == "error" and r.error.type == "ModuleNotFoundError"
    assert r.error.line == 2
    assert "no_such_module_xyz" in r.error.message


def test_stdin_does_not_hang(sb):
    r = sb.run("input('name? ')", timeout=20)
    assert r.status == "error" and r.error.type == "EOFError"
    r = sb.run("import sys\nsys.stdin.read()", timeout=20)
    assert r.status == "ok" and r.value == "''"


def test_check_pass_and_fail(sb):
    learner = "y = torch.zeros(2, 3)\n"
    r = sb.run(learner, check="assert y.shape == (2, 3)")
    assert r.ok and r.check == CheckOutcome(True, r.check.message)
    r = sb.run(learner, check="assert y.shape == (3, 2), f'expected (3, 2), got {tuple(y.shape)}'")
    assert r.status == "ok" and not r.ok
    assert r.check.passed is False
    assert r.check.message == "expected (3, 2), got (2, 3)"
    r = sb.run(learner, check="x = 1\nassert y.sum() == 1")
    assert r.check.message == "assert y.sum() == 1"
    bilingual = '{"en": f"got {y.shape[0]} rows", "zh": f"得到 {y.shape[0]} 行"}'
    r = sb.run(learner, check=f"assert y.shape[0] == 3, {bilingual}")
    assert r.check == CheckOutcome(False, {"en": "got 2 rows", "zh": "得到 2 行"})
    assert r.error is None  # check failures never pose as the learner's error


def test_check_errors_and_learner_failure(sb):
    r = sb.run("y = 1\n", check="z = undefined_name")
    assert not r.check.passed and r.check.message.startswith("NameError")
    assert r.error is None
    r = sb.run("def f():\n    return 1 / 0\n", check="f()")
    assert not r.check.passed and "ZeroDivisionError" in r.check.message
    assert "line 2" in r.check.message  # points at the learner's own line, not the check's
    r = sb.run("y = 1 / 0\n", check="assert True")
    assert r.status == "error" and r.error.line == 1
    assert r.check is not None and not r.check.passed
    assert "did not run" in r.check.message["en"] and "没有运行" in r.check.message["zh"]


def test_two_runs_share_no_state(sb):
    first = code(
        """
        import threading, time
        SECRET = 42
        torch.set_default_dtype(torch.float64)
        torch.set_grad_enabled(False)
        torch.manual_seed(0)
        threading.Thread(target=time.sleep, args=(60,), name="learner-thread", daemon=True).start()
        import builtins
        builtins.LEAKED = True
        [t.name for t in threading.enumerate()]
        """
    )
    r1 = sb.run(first)
    assert r1.status == "ok", r1.error
    assert "learner-thread" in r1.value
    r2 = sb.run(
        code(
            """
            import threading, builtins
            (
                "SECRET" in globals(),
                str(torch.get_default_dtype()),
                torch.is_grad_enabled(),
                hasattr(builtins, "LEAKED"),
                [t.name for t in threading.enumerate()],
                torch.get_num_threads() >= 1,
            )
            """
        )
    )
    assert r2.status == "ok", r2.error
    assert r2.value == "(False, 'torch.float32', True, False, ['MainThread'], True)"


def test_seed_differs_between_runs(sb):
    a = sb.run("torch.rand(3).tolist()").value
    b = sb.run("torch.rand(3).tolist()").value
    assert a != b


@no_cuda
def test_cuda_without_gpu_is_a_clear_error(sb):
    r = sb.run("torch.zeros(1)", device="cuda")
    assert r.status == "error"
    assert r.error.type == "DeviceUnavailable"
    assert "CUDA" in r.error.message
    assert sb.cuda_available() is False
    assert sb.run("str(device)", device="auto").value == "'cpu'"


def test_unknown_device(sb):
    r = sb.run("1", device="tpu")
    assert r.status == "error" and r.error.type == "DeviceUnavailable"


def test_result_json_round_trip(sb):
    r = sb.run(
        "x = torch.ones(2)\nprint('hi')\nnn.Linear(2, 1)(x)",
        trace=True,
        check="assert x.sum() == 2",
    )
    again = RunResult.from_json(r.to_json())
    assert again == r
    assert isinstance(again.check, CheckOutcome)
    err = sb.run("1/0")
    again = RunResult.from_json(err.to_json())
    assert isinstance(again.error, RunError) and again.error.line == 1
    assert again.duration_s > 0


def test_streaming_callback_sync(sb):
    chunks: list[tuple[str, str]] = []
    r = sb.run(
        "print('a')\nimport sys\nprint('b', file=sys.stderr)",
        on_output=lambda s, t: chunks.append((s, t)),
    )
    assert r.status == "ok"
    assert "".join(t for s, t in chunks if s == "stdout") == r.stdout == "a\n"
    assert "".join(t for s, t in chunks if s == "stderr") == r.stderr == "b\n"


def test_a_callback_that_raises_stops_its_run_not_the_next(sb):
    def broken(stream: str, text: str) -> None:
        raise LookupError("the caller's own bug")

    with pytest.raises(LookupError):
        sb.run("print('x', flush=True)\nwhile True:\n    pass", on_output=broken)
    r = sb.run("1 + 1", timeout=5)
    assert r.status == "ok" and r.value == "2", r.error
    assert r.duration_s < 5


def test_a_lazy_import_one_run_needed_is_kept_for_the_next_runs():
    """torch._dynamo (any optimizer imports it, ~0.85 s) would die with each forked run; once a run
    has shown it is needed, the warm worker imports it itself, so later runs start with it."""
    from sandbox import Sandbox

    probe = "import sys\n'torch._dynamo' in sys.modules\n"
    adam = "opt = torch.optim.Adam(nn.Linear(2, 1).parameters())\nopt.step()\n"
    with Sandbox(timeout_s=60) as box:
        assert box.run(probe).value == "False"
        assert box.run(adam).status == "ok"
        assert box.run(probe).value == "True"


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), True, "5"])
def test_a_timeout_that_is_not_seconds_above_zero_is_refused(sb, timeout):
    # 0 used to mean "no limit" without a word, NaN and negatives reached the worker
    with pytest.raises(ValueError, match=r"timeout must be a number of seconds above 0 .* or None"):
        sb.run("1", timeout=timeout)
    assert sb.run("1 + 1", timeout=2.5).value == "2"
