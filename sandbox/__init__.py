"""Run real torch snippets safely, away from the UI process.

The calling process never imports torch: a warm worker process does, and every run is forked from
it (CPU) or runs in a dedicated CUDA worker. See :class:`Sandbox` (blocking) and
:class:`AsyncSandbox` (asyncio, for Textual), both returning a :class:`RunResult`.
"""

from sandbox.async_client import AsyncSandbox
from sandbox.client import Sandbox
from sandbox.devices import cuda_available
from sandbox.limits import Limits
from sandbox.result import (
    STATUSES,
    TRACE_KEYS,
    CheckOutcome,
    MalformedResult,
    RunError,
    RunResult,
    SandboxStartError,
)

__all__ = [
    "STATUSES",
    "TRACE_KEYS",
    "AsyncSandbox",
    "CheckOutcome",
    "Limits",
    "MalformedResult",
    "RunError",
    "RunResult",
    "Sandbox",
    "SandboxStartError",
    "cuda_available",
]
