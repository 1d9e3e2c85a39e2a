"""Every sandbox module whose code runs in a worker looks builtins up in ``PRIVATE_BUILTINS``.

A run's code may patch the real builtins (``builtins.len = None``); the sandbox's own code runs
in the same process, so each worker-side module sets ``__builtins__ = PRIVATE_BUILTINS`` before
its first ``def`` or ``class`` (see ``sandbox/private_builtins.py``). A function takes its
module's ``__builtins__`` when it is made, so a line moved below a ``def`` silently leaves that
function on the real, patchable builtins. These tests pin both the line's place and its effect.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from types import FunctionType, ModuleType

import pytest

from sandbox.private_builtins import PRIVATE_BUILTINS

SANDBOX_DIR = Path(__file__).resolve().parents[2] / "sandbox"

# The worker-side set, read from the imports of sandbox/worker.py and sandbox/inprocess.py (the
# two worker entry points), followed through the modules they import, at module level or inside
# functions (worker.py and inprocess.py import runner and tracer as a worker starts).
#   worker.py    -> tensor_scan, limits, outcome, protocol, result, warning_paths, runner, tracer
#   inprocess.py -> limits, outcome, protocol, state_snapshot, worker, runner, tracer, tensor_scan
#   outcome.py -> limits, result; runner.py -> limits, outcome, protocol, result, warning_paths,
#   worker, tracer, torch_error_hints; state_snapshot.py -> worker; tracer.py -> tensor_scan, runner
# Left out: private_builtins.py (it makes the copy), and the client side: client.py,
# async_client.py, session.py, devices.py, __init__.py. process.py is imported by inprocess.py
# only for the INPROCESS_DEVICE_ENV constant; none of its functions runs in a worker.
WORKER_SIDE_MODULES: tuple[str, ...] = (
    "inprocess",
    "limits",
    "outcome",
    "protocol",
    "result",
    "runner",
    "state_snapshot",
    "tensor_scan",
    "torch_error_hints",
    "tracer",
    "warning_paths",
    "worker",
)

CLIENT_SIDE_MODULES: frozenset[str] = frozenset(
    {
        "__init__",
        "__main__",
        "async_client",
        "client",
        "devices",
        "private_builtins",
        "process",
        "session",
    }
)

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_guard(node: ast.stmt) -> bool:
    """Whether ``node`` is the statement ``__builtins__ = PRIVATE_BUILTINS``."""
    return (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "__builtins__"
        and isinstance(node.value, ast.Name)
        and node.value.id == "PRIVATE_BUILTINS"
    )


def guard_problem(source: str) -> str | None:
    """Why ``source`` does not set the private builtins before its first definition, or None.

    Only module-level statements count: a ``def`` nested in an ``if`` at module level is rare
    enough here that the first top-level definition is the one to beat.
    """
    body = ast.parse(source).body
    guard = next((i for i, node in enumerate(body) if _is_guard(node)), None)
    if guard is None:
        return "no module-level `__builtins__ = PRIVATE_BUILTINS`"
    first_def = next((i for i, node in enumerate(body) if isinstance(node, DEFINITIONS)), None)
    if first_def is not None and first_def < guard:
        node = body[first_def]
        return f"`__builtins__ = PRIVATE_BUILTINS` comes after `{node.name}` (line {node.lineno})"
    return None


def _module_functions(module: ModuleType) -> list[tuple[str, FunctionType]]:
    """The functions written in ``module``'s own source: top level and in its classes.

    Wrappers are followed through ``__wrapped__`` (``functools.wraps``,
    ``contextlib.contextmanager``): the wrapper's code lives in the standard library and looks
    builtins up there, and the sandbox's code is the wrapped function. Functions whose code comes
    from elsewhere (imported names, dataclass-generated ``__init__``/``__repr__``/``__eq__``,
    which ``dataclasses`` builds with ``exec`` from a string) are left out: the guard cannot
    reach them, and they are not the sandbox's code.
    """
    source_file = str(Path(inspect.getfile(module)).resolve())
    found: list[tuple[str, FunctionType]] = []

    def add(name: str, obj: object) -> None:
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        if isinstance(obj, property):
            for part, accessor in (("get", obj.fget), ("set", obj.fset), ("del", obj.fdel)):
                if accessor is not None:
                    add(f"{name}.{part}", accessor)
            return
        obj = inspect.unwrap(obj) if callable(obj) else obj
        if not isinstance(obj, FunctionType):
            return
        if str(Path(obj.__code__.co_filename).resolve()) != source_file:
            return
        found.append((name, obj))

    for name, value in vars(module).items():
        if isinstance(value, type) and value.__module__ == module.__name__:
            for attr, member in vars(value).items():
                add(f"{name}.{attr}", member)
        else:
            add(name, value)
    return found


def test_worker_side_set_covers_every_sandbox_module() -> None:
    """A new sandbox module must be put in one list or the other, so it is not missed here."""
    on_disk = {path.stem for path in SANDBOX_DIR.glob("*.py")}
    assert on_disk == set(WORKER_SIDE_MODULES) | (CLIENT_SIDE_MODULES & on_disk)


@pytest.mark.parametrize("name", WORKER_SIDE_MODULES)
def test_guard_comes_before_first_definition(name: str) -> None:
    source = (SANDBOX_DIR / f"{name}.py").read_text(encoding="utf-8")
    assert guard_problem(source) is None, f"sandbox/{name}.py: {guard_problem(source)}"


@pytest.mark.parametrize("name", WORKER_SIDE_MODULES)
def test_every_function_uses_private_builtins(name: str) -> None:
    module = importlib.import_module(f"sandbox.{name}")
    functions = _module_functions(module)
    assert functions, f"sandbox/{name}.py: no functions found, the walk is broken"
    stray = [qualname for qualname, fn in functions if fn.__builtins__ is not PRIVATE_BUILTINS]
    assert stray == [], f"sandbox/{name}.py: functions on the real builtins: {stray}"


GOOD = """\
from sandbox.private_builtins import PRIVATE_BUILTINS

__builtins__ = PRIVATE_BUILTINS


def f() -> int:
    return len([])
"""


def test_checker_accepts_guard_before_definitions() -> None:
    assert guard_problem(GOOD) is None


@pytest.mark.parametrize(
    "definition",
    [
        "def f() -> int:\n    return 1\n",
        "async def f() -> None:\n    pass\n",
        "class C:\n    pass\n",
    ],
)
def test_checker_rejects_guard_moved_below_a_definition(definition: str) -> None:
    source = f"from sandbox.private_builtins import PRIVATE_BUILTINS\n\n{definition}\n__builtins__ = PRIVATE_BUILTINS\n"
    problem = guard_problem(source)
    assert problem is not None and "comes after" in problem


def test_checker_rejects_a_missing_guard() -> None:
    assert guard_problem(GOOD.replace("__builtins__ = PRIVATE_BUILTINS\n", "")) is not None


def test_a_function_made_before_the_guard_keeps_the_real_builtins() -> None:
    """What the ast check protects against, seen on a real module object."""
    module = ModuleType("guard_demo")
    moved = (
        GOOD.replace("__builtins__ = PRIVATE_BUILTINS\n", "")
        + "\n__builtins__ = PRIVATE_BUILTINS\n"
    )
    exec(compile(moved, "guard_demo.py", "exec"), vars(module))
    assert module.f.__builtins__ is not PRIVATE_BUILTINS
