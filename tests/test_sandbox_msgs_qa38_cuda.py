"""QA pass 34: torch's "no CUDA" errors get the sandbox's hint, like input()'s (sandbox.outcome.HINTS)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.outcome import HINTS
from tutor.sandbox_messages import error_summary


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(timeout_s=30) as box:
        yield box


ASKS_FOR_CUDA = [
    "x = torch.ones(2)\nx.cuda()",
    "torch.ones(2).to('cuda')",
    "torch.zeros(2, device='cuda')",
    "d = torch.device('cuda')\nnn.Linear(2, 2).to(d)",
]


@pytest.mark.parametrize("code", ASKS_FOR_CUDA)
def test_code_asking_for_cuda_without_one_gets_a_hint(sb, code):
    if sb.cuda_available():
        pytest.skip("this machine has CUDA")
    r = sb.run(code)
    assert r.status == "error" and r.error.hint_code == "no_cuda_here", r.error
    assert r.error.message.endswith(f" ({HINTS['no_cuda_here']})")
    en = "".join(error_summary(r.error, "en"))
    assert "`.to(device)`" in en and "no CUDA GPU" in en, en
    zh = "".join(error_summary(r.error, "zh"))
    assert "这台机器没有 CUDA GPU" in zh and "`.to(device)`" in zh, zh


def test_code_on_the_sandboxs_device_needs_no_hint(sb):
    r = sb.run("torch.ones(2, device=device).sum()")
    assert r.status == "ok", r.error
    other = sb.run("torch.ones(2) @ torch.ones(3)")
    assert other.status == "error" and other.error.hint_code is None
