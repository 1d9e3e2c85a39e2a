"""The sandbox's own messages travel as data too (a code and params, a hint code, a warning's
params), so the UI can word them in the learner's language; the English message stays as it was.

Real snippets through the real sandbox, rendered by the one formatter every view uses."""

from __future__ import annotations

import io
import os
import re
import signal
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import nn

from sandbox import RunError, RunResult, Sandbox, SandboxStartError
from sandbox.limits import Limits
from sandbox.outcome import (
    CLIP_NOTE,
    ERROR_CODES,
    HINTS,
    WARNING_KINDS,
    error,
    finalize,
    run_died,
)
from sandbox.session import START_TIMEOUT_S, RunSession, failure, worker_stopped
from sandbox.tracer import HookTracer
from tutor.i18n import catalog_keys, tr
from tutor.sandbox_messages import (
    clip_notes,
    error_message,
    warning_message,
    worded_error,
    worded_warning,
)
from tutor.trace_table import warning_line

HAN = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    return bool(HAN.search(text))


def assert_worded(err: Any, *needles: str) -> str:
    """English shows the sandbox's message, which the catalog's English words exactly; Chinese is
    Chinese, naming ``needles``."""
    assert error_message(err, "en") == worded_error(err, "en") == err.message
    zh = error_message(err, "zh")
    assert chinese(zh), zh
    for needle in needles:
        assert needle in zh, (needle, zh)
    return zh


def warning(result: RunResult, kind: str) -> dict[str, Any]:
    assert {w["kind"] for w in result.trace_warnings} <= set(WARNING_KINDS)  # none unlisted
    found = [w for w in result.trace_warnings if w["kind"] == kind]
    assert found, result.trace_warnings
    return found[0]


def assert_warning_worded(w: dict[str, Any], *needles: str) -> str:
    assert warning_message(w, "en") == worded_warning(w, "en") == w["message"]
    zh = warning_message(w, "zh")
    assert chinese(zh), zh
    for needle in needles:
        assert needle in zh, (needle, zh)
    return zh


# -- errors the sandbox words itself ---------------------------------------------------------


def test_timeout_names_the_seconds_and_the_line(sb):
    r = sb.run("x = 0\nwhile True:\n    x += 1\n", timeout=1)
    assert r.status == "timeout"
    err = r.error
    assert err.code == "timeout"
    assert err.params == {"seconds": 1, "line": err.line}
    assert err.line in (2, 3)
    assert (
        err.message == f"the run took longer than 1 s and was stopped (stopped at line {err.line})"
    )
    zh = assert_worded(err, "1 秒", f"第 {err.line} 行")
    assert "stopped" not in zh
    # where it was stopped, without the KeyboardInterrupt the sandbox used to stop it
    assert f'File "<snippet>", line {err.line}' in err.traceback, err.traceback
    assert "KeyboardInterrupt" not in err.traceback, err.traceback


def test_output_flood_names_the_limit(sb):
    r = sb.run("while True:\n    print('spam' * 100)", timeout=60)
    kb = sb.limits.output_bytes // 1024
    assert r.error.type == "OutputLimitExceeded"
    assert (r.error.code, r.error.params) == ("output_limit", {"kb": kb, "line": 2})
    assert_worded(r.error, f"{kb} KB")


def test_input_gets_a_hint_of_its_own(sb):
    r = sb.run("name = input()\n")
    err = r.error
    assert err.type == "EOFError" and err.line == 1
    assert err.code is None and err.params == {}  # Python's exception: no code
    assert err.hint_code == "no_stdin"
    assert err.hint == HINTS["no_stdin"]
    assert err.message == f"EOF when reading a line ({HINTS['no_stdin']})"  # as before
    zh = assert_worded(err, "键盘")
    assert zh.startswith("EOF when reading a line（")  # Python's words stay, the hint is Chinese
    assert "keyboard" not in zh


def test_sys_exit_names_its_argument(sb):
    r = sb.run("import sys\nsys.exit(2)")
    assert (r.error.code, r.error.params) == ("sys_exit", {"arg": "2"})
    assert r.error.message == "sys.exit(2) was called; the run stopped there"
    assert_worded(r.error, "sys.exit(2)")


def test_os_exit_names_the_exit_code(sb):
    r = sb.run("import os\nos._exit(3)")
    assert r.status == "crashed"
    assert (r.error.code, r.error.params) == ("exited", {"exit_code": 3})
    assert_worded(r.error, "3", "os._exit")


def test_segfault_names_the_signal(sb):
    r = sb.run("import ctypes\nctypes.string_at(0)")
    assert r.error.code == "crashed_signal"
    assert r.error.params["name"] == "SIGSEGV"
    assert r.error.params["signal"] in r.error.message
    assert_worded(r.error, "SIGSEGV")


def test_out_of_memory_names_the_budget_and_keeps_the_allocator_words(sb):
    r = sb.run("x = torch.empty(10**12)")
    assert r.status == "oom" and r.error.code == "out_of_memory"
    assert r.error.params["mb"] == sb.limits.memory_mb
    detail = r.error.params["detail"]
    assert detail and r.error.message.endswith(f": {detail}")
    assert_worded(r.error, f"{sb.limits.memory_mb} MB", f"：{detail}")


def test_code_too_nested_to_compile(sb):
    r = sb.run("x = " + "-" * 100_000 + "1")
    assert r.error.code == "too_nested"
    assert_worded(r.error, "嵌套")


def test_a_learners_own_exception_keeps_pythons_words(sb):
    r = sb.run("a = 1\n1 / 0")
    err = r.error
    assert err.type == "ZeroDivisionError" and err.code is None and err.hint_code is None
    assert error_message(err, "zh") == error_message(err, "en") == "division by zero"


@pytest.mark.parametrize(
    ("reason", "child", "device", "code", "needle"),
    [
        ("cancelled", None, "cpu", "cancelled", "取消"),
        ("shutdown", None, "cpu", "cancelled", "取消"),
        ("not_begun", None, "cpu", "not_begun", "15 秒"),
        ("oom", None, "cpu", "memory_limit", "64 MB"),
        (None, None, "cpu", "crashed", "崩溃"),
        (
            None,
            {"status": "oom", "error": error("OutOfMemoryError", "CUDA out of memory.")},
            "cuda",
            "out_of_memory_gpu",
            "GPU",
        ),
        (None, {"status": "oom", "error": error("MemoryError", "")}, "cpu", "out_of_memory", "64"),
    ],
)
def test_every_way_a_run_is_stopped_has_a_code(reason, child, device, code, needle):
    """The reasons no quick snippet reaches (a cancel, the worker's memory watch, a GPU) go
    through the same ``finalize`` the workers call."""
    data = finalize(child, reason=reason, timeout=5, limits=Limits(memory_mb=64), device=device)
    err = RunResult.from_dict(data).error
    assert err.code == code
    assert_worded(err, needle)


def client_session(**request: Any) -> RunSession:
    return RunSession(1, "cpu", {"device": "cpu", **request}, Limits(), None)


def timed_out() -> RunResult:
    return client_session(timeout=5.0).expire()  # the worker never answered


def cancel_given_up() -> RunResult:
    session = client_session(timeout=5.0)
    session.cancel_deadline = 0.0  # a cancel was sent; its answer never came
    return session.expire()


def stopped_run(message: dict[str, Any]) -> Callable[[], RunResult]:
    def stop() -> RunResult:
        session = client_session()
        assert session.feed(message)
        assert session.result is not None and session.result.status == "crashed"
        return session.result

    return stop


@pytest.mark.parametrize(
    ("make", "code", "needle"),
    [
        (timed_out, "timeout_restarted", "5 秒"),
        (cancel_given_up, "cancelled", "取消"),
        (stopped_run({"type": "exit", "code": -9}), "worker_signal", "SIGKILL"),
        (stopped_run({"type": "exit", "code": -11}), "worker_signal", "信号 SIGSEGV"),
        (stopped_run({"type": "exit", "code": 3}), "worker_exited", "退出码 3"),
        (stopped_run({"type": "exit", "unreachable": True}), "worker_unreachable", "请求"),
        (
            stopped_run({"type": "fatal", "message": "ImportError: no torch"}),
            "worker_died",
            "ImportError: no torch",  # the worker's own exception, as Python worded it
        ),
    ],
)
def test_the_clients_own_failures_have_codes(make, code, needle):
    """What the client words itself, for runs no worker finished."""
    err = make().error
    assert err.code == code
    assert_worded(err, needle)


def test_a_sigkill_is_blamed_on_memory_only_on_the_systems_word():
    """Anyone may send SIGKILL (a run can kill its own worker): the sandbox says memory ran out
    only when the system's count of kills for want of memory grew meanwhile."""
    text, code, params = worker_stopped({"type": "exit", "code": -9}, out_of_memory=True)
    worker = failure("crashed", "WorkerDied", text, code=code, params=params).error
    assert worker is not None and worker.code == "worker_killed"
    assert_worded(worker, "SIGKILL", "内存不足")
    run = RunError(**run_died(signal_number=signal.SIGKILL, out_of_memory=True))
    assert run.code == "killed"
    assert_worded(run, "SIGKILL", "内存不足")
    plain = RunError(**run_died(signal_number=signal.SIGKILL))
    assert plain.code == "crashed_signal" and "memory" not in plain.message
    assert_worded(plain, "SIGKILL")


def test_a_worker_killed_mid_run_is_named_by_its_signal():
    """The whole worker (not the run's forked child) dies: killed by someone, with no sign that
    memory ran out, so no word of memory."""
    with Sandbox() as box:
        assert box.run("1").status == "ok"
        pid = box.worker_pids()["cpu"]

        def kill_on_start(stream: str, text: str) -> None:
            if "started" in text:
                os.kill(pid, signal.SIGKILL)

        r = box.run(
            "print('started', flush=True)\nimport time\ntime.sleep(30)", on_output=kill_on_start
        )
        assert r.status == "crashed"
        assert r.error.code == "worker_signal"
        assert r.error.message == "the sandbox worker was stopped by a signal: Killed (SIGKILL)"
        assert_worded(r.error, "SIGKILL")
        assert box.run("1 + 1").value == "2"  # a new worker took its place
        assert box.worker_pids()["cpu"] != pid


def test_devices_that_cannot_run_are_worded_in_the_learners_language(sb):
    unknown = sb.run("1", device="tpu")
    assert unknown.error.code == "unknown_device"
    assert_worded(unknown.error, "'tpu'", "auto")
    if not sb.cuda_available():
        no_cuda = sb.run("1", device="cuda")
        assert no_cuda.error.code == "no_cuda"
        assert_worded(no_cuda.error, "CUDA", "CPU")


def test_every_code_hint_and_warning_kind_has_strings():
    keys = set(catalog_keys())
    assert {f"sandbox.error.{code}" for code in ERROR_CODES} <= keys
    assert {f"sandbox.hint.{code}" for code in HINTS} <= keys
    assert {f"sandbox.warning.{kind}" for kind in WARNING_KINDS} <= keys


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_warning_about_a_module_names_it_in_its_own_words(lang):
    """The trace view shows a warning's message alone, so one about a module must name it."""
    whole_trace = {"truncated", "no_modules", "stopped_before_modules", "trace_failed"}
    for kind in sorted(set(WARNING_KINDS) - whole_trace):
        worded = tr(f"sandbox.warning.{kind}", lang, where="MOD", **PLACEHOLDERS)
        assert "MOD" in worded, (kind, worded)


PLACEHOLDERS = {
    "phase": "p",
    "zero_frac": 0.5,
    "norm": 1.0,
    "shapes": "(1,)",
    "error": "e",
    "numel": 1,
}


# -- trace warnings --------------------------------------------------------------------------


def test_nan_warning(sb):
    # the Linear makes the NaN (a NaN in its input is another warning's: nan_input)
    r = sb.run(
        "lin = nn.Linear(2, 2)\nlin.weight.data[0, 0] = float('nan')\n"
        "lin(torch.tensor([[1.0, 1.0]])).sum().backward()",
        trace=True,
    )
    w = warning(r, "nan")
    assert (w["module"], w["phase"], w["params"]) == (
        "Linear",
        "forward",
        {"type": "Linear", "layer": False, "shown_name": "Linear"},
    )
    # a model called directly is named by its type: once, not "Linear (Linear)"
    assert w["message"] == "NaN first appeared in the forward of Linear"
    zh = assert_warning_worded(w, "Linear", "前向传播")
    assert "（Linear）" not in zh, zh


DEAD_RELU = """\
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
with torch.no_grad():
    model[0].bias.fill_(-100.0)
model(torch.randn(8, 3)).sum().backward()
"""


DEEP_SIGMOIDS = """\
torch.manual_seed(0)
model = nn.Sequential(*[m for _ in range(40) for m in (nn.Linear(4, 4), nn.Sigmoid())])
model(torch.randn(5, 4)).sum().backward()
"""


def test_dead_relu_warning_names_the_module_and_the_share(sb):
    r = sb.run(DEAD_RELU, trace=True)
    w = warning(r, "dead_relu")
    assert w["module"] == "1"
    assert w["params"] == {"type": "ReLU", "layer": True, "shown_name": "1", "zero_frac": 1.0}
    assert_warning_worded(w, "1 号层（ReLU）", "100%", "ReLU")


def test_vanishing_and_exploding_gradients_name_the_norm(sb):
    r = sb.run(DEEP_SIGMOIDS, trace=True)
    vanishing = warning(r, "vanishing_grad")
    norm = vanishing["params"]["norm"]
    assert norm < 1e-7 and vanishing["params"] == {
        "type": "Linear",
        "layer": True,
        "shown_name": vanishing["module"],
        "norm": norm,
    }
    assert_warning_worded(vanishing, f"{norm:.3g}", " 号层（Linear）", "梯度消失")
    r = sb.run("big = nn.Linear(2, 2)\n(big(torch.ones(1, 2)) * 1e6).sum().backward()", trace=True)
    exploding = warning(r, "exploding_grad")
    norm = exploding["params"]["norm"]
    assert norm > 1e3 and f"{norm:.3g}" in exploding["message"]
    assert_warning_worded(exploding, f"{norm:.3g}", "梯度爆炸")


def test_forward_error_warning_names_the_module_and_its_input(sb):
    code = "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 2))\n"
    r = sb.run(code + "model(torch.randn(2, 3))", trace=True)
    assert r.error.type == "RuntimeError" and r.error.code is None
    w = warning(r, "forward_error")
    assert w["module"] == "2"
    assert w["params"]["type"] == "Linear" and w["params"]["input_shapes"] == [[2, 4]]
    assert w["params"]["error"].startswith("RuntimeError: mat1 and mat2")
    assert_warning_worded(w, "2 号层（Linear）", "(2, 4)", "出错")
    r = sb.run("nn.Linear(5, 2)(torch.randn(2, 4))", trace=True)
    w = warning(r, "forward_error")
    assert w["message"].startswith("Linear failed on input (2, 4): RuntimeError"), w["message"]
    assert "（Linear）" not in assert_warning_worded(w, "Linear 处理输入 (2, 4) 时出错")


def test_truncated_trace_names_the_limit():
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2))
    with HookTracer(max_events=2) as tracer:
        model(torch.ones(1, 2))
    _, warnings, truncated = tracer.finish()
    assert truncated
    w = next(w for w in warnings if w["kind"] == "truncated")
    assert w["params"] == {"max_events": 2}
    assert_warning_worded(w, "2 个事件")


def test_a_run_that_failed_before_any_module_says_so_not_that_it_has_none(sb):
    """A typo on line 1, before the model on line 3 is ever called: "no nn.Module was called
    (F.relu and tensor ops are no modules)" read as code without modules."""
    r = sb.run("x = torch.ones(1, 2) * scale\nmodel = nn.Linear(2, 2)\nmodel(x)", trace=True)
    assert r.status == "error" and r.error.type == "NameError"
    assert [w["kind"] for w in r.trace_warnings] == ["stopped_before_modules"]
    assert_warning_worded(r.trace_warnings[0], "nn.Module", "出错")
    failed_after = sb.run("model = nn.Linear(2, 2)\nmodel(torch.ones(1, 2))\n1 / 0", trace=True)
    assert failed_after.status == "error" and failed_after.trace_warnings == []


def test_a_trace_of_no_module_is_worded():
    with HookTracer() as tracer:
        torch.relu(torch.ones(2))
    _, warnings, _ = tracer.finish()
    w = next(w for w in warnings if w["kind"] == "no_modules")
    assert w["params"] == {}
    assert_warning_worded(w, "nn.Module", "F.relu")


def test_a_forward_without_tensor_inputs_says_so():
    class Boom(nn.Module):
        def forward(self) -> None:
            raise ValueError("no")

    with HookTracer() as tracer, pytest.raises(ValueError):
        Boom()()
    _, warnings, _ = tracer.finish()
    w = warnings[0]
    assert w["kind"] == "forward_error" and w["params"]["input_shapes"] == []
    assert "no tensor inputs" in w["message"]
    assert_warning_worded(w, "没有张量输入")


# -- the wire, old and new -------------------------------------------------------------------


def test_codes_survive_json_and_unknown_ones_fall_back_to_english(sb):
    r = sb.run("import sys\nsys.exit(2)")
    again = RunResult.from_json(r.to_json())
    assert again.error == r.error
    data = r.to_dict()
    data["error"] = {**data["error"], "code": "from_a_newer_sandbox", "extra": 1}
    newer = RunResult.from_dict(data).error
    assert newer.code == "from_a_newer_sandbox"
    assert error_message(newer, "zh") == newer.message


def test_an_older_result_without_codes_shows_its_message():
    old = RunError("Timeout", "the run took longer than 5 s and was stopped")
    assert error_message(old, "zh") == old.message
    assert error_message({"type": "X", "message": "plain"}, "zh") == "plain"
    params_missing = RunError("Timeout", "english", code="timeout")
    assert error_message(params_missing, "zh") == "english"
    w = {"kind": "nan", "module": "m", "phase": "forward", "message": "NaN somewhere"}
    assert warning_message(w, "zh") == "NaN somewhere"
    assert warning_message({**w, "params": {}}, "zh") == "NaN somewhere"  # no type: English


def test_the_cli_renders_in_the_learners_language(sb):
    from rich.console import Console

    from tutor.commands.run import render

    r = sb.run("x = 0\nwhile True:\n    x += 1\n", timeout=1)
    t = sb.run(DEAD_RELU, trace=True)

    def shown(result: RunResult, lang: str) -> str:
        console = Console(file=io.StringIO(), width=400, record=True)
        render(result, lang, console)
        return console.export_text()

    assert r.error.message in shown(r, "en")
    zh = shown(r, "zh")
    assert error_message(r.error, "zh") in zh and r.error.message not in zh
    dead = warning(t, "dead_relu")
    assert dead["message"] in shown(t, "en")
    assert warning_line(dead, "zh") in shown(t, "zh")  # as the TUI shows it


def test_a_worker_that_cannot_start_says_how_it_ended(monkeypatch):
    """Python itself fails to start (a broken PYTHONHOME): the worker exited at once, which is
    what the error says, not that it did not start in time."""
    monkeypatch.setenv("PYTHONHOME", "/nonexistent")
    box = Sandbox()
    with pytest.raises(SandboxStartError) as raised:
        box.start()
    box.close()
    assert str(raised.value) == "the cpu sandbox could not start: exit code 1"
    assert raised.value.error.code == "start_exited"
    assert raised.value.error.params == {"device": "cpu", "exit_code": 1}
    assert_worded(raised.value.error, "cpu 沙盒没能启动：退出码 1")  # not English "exit code" (QA)


def test_a_worker_not_ready_in_time_has_its_own_code(monkeypatch):
    monkeypatch.setitem(START_TIMEOUT_S, "cpu", 0.01)  # torch takes far longer to load
    box = Sandbox()
    with pytest.raises(SandboxStartError) as raised:
        box.start()
    box.close()
    assert raised.value.error.code == "start_timeout"
    assert str(raised.value) == "the cpu sandbox did not start within 0.01 s"
    assert_worded(raised.value.error, "cpu", "0.01 秒内没能启动")


def test_what_the_sandbox_cut_is_worded_in_the_learners_language(sb):
    """A value, and a message, the sandbox cut end with a note of how much it left out: English
    as the sandbox wrote it, Chinese from the catalog, the count kept."""
    r = sb.run("'x' * 30_000")
    left_out = len(repr("x" * 30_000)) - sb.limits.max_value_chars
    assert r.value.endswith(CLIP_NOTE.format(count=left_out)), r.value[-60:]
    assert clip_notes(r.value, "en") == r.value
    assert tr("sandbox.clipped", "en", count=left_out) == CLIP_NOTE.format(count=left_out)
    zh = clip_notes(r.value, "zh")
    assert chinese(zh[-30:]) and f"{left_out}" in zh[-30:] and "more characters" not in zh
    assert zh.startswith(r.value[: sb.limits.max_value_chars])
    r = sb.run("raise ValueError('y' * 30_000)")
    assert "more characters" in r.error.message
    assert "more characters" not in error_message(r.error, "zh")
