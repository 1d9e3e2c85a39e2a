"""Names an exercise's check uses that nothing defines: the author's slip, read without running.

The sandbox tells a learner whose answer trips a check on a name it lacks "the check looks for
`x`, but your code does not define it" (``sandbox.check.missing_name``). That is right when the
learner's code was to define ``x``; when nothing could (a typo in the check, a name in the
f-string of an assert's message), every learner is blamed for the author's bug, and only the
learners who trip that assert ever see it. So ``check`` reads the check's code: each name it
loads must be bound by the check itself, by the reference solution, or by the run's namespace.
"""

from __future__ import annotations

import ast
import builtins

RUN_GLOBALS = frozenset({"torch", "nn", "F", "device"})
"""What the sandbox puts in every run's globals besides builtins (``sandbox.runner.main_module``);
a module's own dunders are added below. The UI process never imports torch, so these are named,
not read from the sandbox."""

MODULE_DUNDERS = frozenset(
    {"__name__", "__doc__", "__package__", "__loader__", "__spec__", "__builtins__"}
)
_PROVIDED = RUN_GLOBALS | MODULE_DUNDERS | frozenset(dir(builtins))


def bound_names(tree: ast.AST) -> set[str]:
    """Every name ``tree`` binds anywhere (assignment targets, ``def``/``class``, imports, function
    arguments, comprehension and ``except … as`` targets, ``global``): generous on purpose, since
    a name bound in any scope is one the author meant, and a false failure would block a deck."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
    return names


def undefined_names(check: str, solution: str) -> list[tuple[str, int]]:
    """(name, line of ``check``, 1-based) of each name ``check`` loads that neither it, nor
    ``solution``, nor the run's globals and builtins define, first use only, in line order.
    Nothing where either code does not parse (the run reports that) or star-imports."""
    try:
        check_tree, solution_tree = ast.parse(check), ast.parse(solution)
    except SyntaxError:
        return []
    known = _PROVIDED | bound_names(check_tree) | bound_names(solution_tree)
    if "*" in known:  # ``from … import *`` binds what the code cannot show
        return []
    first: dict[str, int] = {}
    for node in ast.walk(check_tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known:
            first[node.id] = min(first.get(node.id, node.lineno), node.lineno)
    return sorted(first.items(), key=lambda item: (item[1], item[0]))
