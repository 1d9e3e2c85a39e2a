"""A class a snippet defines has its source, as a script's has: ``inspect.getsource`` of it and
``torch.jit.script`` of an instance (which reads it) work in both workers, while the snippet
itself still has no ``__file__`` (as ``python -c``) and its tracebacks name ``<snippet>``."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.result import RunResult

CLASS_SOURCE = """\
import inspect
class Doubler(nn.Module):
    def forward(self, x):
        return x * 2
print(inspect.getsource(Doubler), end="")
scripted = torch.jit.script(Doubler())
scripted(torch.ones(2)).tolist()
"""


def test_a_snippets_class_has_its_source(run_in: Callable[..., RunResult]) -> None:
    r = run_in(CLASS_SOURCE)
    assert r.status == "ok", r.error
    assert r.stdout == "".join(CLASS_SOURCE.splitlines(keepends=True)[1:4])
    assert r.value == "[2.0, 2.0]"


def test_a_snippet_still_has_no_file_and_its_lines(run_in: Callable[..., RunResult]) -> None:
    r = run_in("class A:\n    pass\n__file__")
    assert r.error is not None and r.error.type == "NameError"
    assert (r.error.line, r.error.traceback.count('File "<snippet>", line 3')) == (3, 1)


def test_an_exercise_check_reads_the_snippets_class(run_in: Callable[..., RunResult]) -> None:
    check = (
        "import inspect\n"
        "assert 'x * 2' in inspect.getsource(Doubler)\n"
        "assert scripted(torch.ones(1)).item() == 2\n"
    )
    r = run_in(CLASS_SOURCE, check=check)
    assert r.status == "ok" and r.check is not None and r.check.passed, (r.error, r.check)


def test_a_snippet_may_set_its_modules_file_and_spec(run_in: Callable[..., RunResult]) -> None:
    """As a script may: the module's attribute is its global (tools set ``__main__.__file__``)."""
    code = (
        "import __main__, importlib.machinery\n"
        "before = (__main__.__file__, __main__.__spec__.name, __spec__)\n"
        "__main__.__file__ = 'x.py'\n"
        "__main__.__spec__ = importlib.machinery.ModuleSpec('mine', None)\n"
        "before, (__main__.__file__, __file__), (__main__.__spec__.name, __spec__.name)\n"
    )
    r = run_in(code)
    assert r.status == "ok", r.error
    assert r.value == "(('<snippet>', '__main__', None), ('x.py', 'x.py'), ('mine', 'mine'))"


def test_a_snippets_file_set_and_deleted_is_no_global_again(
    run_in: Callable[..., RunResult],
) -> None:
    r = run_in("import __main__\n__main__.__file__ = 'x.py'\ndel __main__.__file__\n__file__")
    assert r.error is not None and (r.error.type, r.error.line) == ("NameError", 4)
