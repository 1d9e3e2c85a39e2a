"""Turns what a run reported (if anything) plus why the worker stopped it into a result dict."""

from __future__ import annotations

from typing import Any

from sandbox.limits import Limits

NOT_CHECKED = {
    "en": "your code did not run to the end, so it could not be checked",
    "zh": "你的代码没有运行到最后，所以无法检查",
}


def error(kind: str, message: str, tb: str = "", line: int | None = None) -> dict[str, Any]:
    return {"type": kind, "message": message, "traceback": tb, "line": line}


def finalize(
    child: dict[str, Any] | None,
    *,
    reason: str | None,
    timeout: float | None,
    limits: Limits,
    device: str,
    crash_text: str = "the run crashed",
    has_check: bool = False,
) -> dict[str, Any]:
    """Merge the runner's partial result with the worker's view.

    ``reason`` is why the worker stopped the run ("timeout", "cancelled", "output", "oom",
    "shutdown") or ``None``; it wins over whatever the run reported (a KeyboardInterrupt we sent is
    a timeout, not an error). ``child`` is ``None`` when the run died without reporting: a crash.
    """
    result: dict[str, Any] = {
        "status": "crashed",
        "value": None,
        "error": None,
        "trace": [],
        "trace_warnings": [],
        "trace_truncated": False,
        "device": device,
        "check": None,
    }
    if child is not None:
        result.update(child)
    child_error = (child or {}).get("error") or {}
    interrupted = child_error.get("type") == "KeyboardInterrupt"
    if reason == "timeout":
        result["status"] = "timeout"
        line = child_error.get("line") if interrupted else None
        where = f" (stopped at line {line})" if line else ""
        result["error"] = error(
            "Timeout",
            f"the run took longer than {timeout:g} s and was stopped{where}",
            child_error.get("traceback", "") if interrupted else "",
            line,
        )
    elif reason in ("cancelled", "shutdown"):
        result["status"] = "cancelled"
        result["error"] = error("Cancelled", "the run was cancelled")
    elif reason == "output":
        result["status"] = "error"
        result["error"] = error(
            "OutputLimitExceeded",
            f"the run printed more than {limits.output_bytes // 1024} KB of output, "
            "so it was stopped and the output cut there",
        )
    elif reason == "oom":
        result["status"] = "oom"
        result["error"] = error("OutOfMemory", f"the run used more than {limits.memory_mb} MB")
    elif child is None:
        result["status"] = "crashed"
        result["error"] = error("Crashed", crash_text)
    elif result["status"] == "oom" and result.get("error"):
        result["error"] = dict(result["error"])
        budget = f"{limits.memory_mb} MB" if device == "cpu" else "its share of the GPU"
        detail = result["error"]["message"]
        result["error"]["message"] = f"out of memory (a run may use {budget})" + (
            f": {detail}" if detail else ""
        )
    if has_check and (result["status"] != "ok" or result.get("check") is None):
        result["check"] = {"passed": False, "message": NOT_CHECKED}
    return result
