"""QA pass 39: errors a learner met with no plain words, through the real sandbox and the one
formatter every view uses (``error_summary``): a ``"spawn"`` DataLoader worker that stopped,
``breakpoint()`` on the code's last line, ``exit()``, and a ``NameError`` (Python's "Did you
mean" kept; a name from an earlier run explained)."""

from __future__ import annotations

import re
from typing import Any

from sandbox.outcome import HINTS
from tutor.sandbox_messages import error_message, error_summary, worded_error

HAN = re.compile(r"[\u4e00-\u9fff]")

SPAWN_DATALOADER = """\
from torch.utils.data import DataLoader, Dataset
class DS(Dataset):
    def __len__(self): return 8
    def __getitem__(self, i): return torch.tensor([float(i)])
dl = DataLoader(DS(), batch_size=4, num_workers=2, multiprocessing_context="spawn")
print(sum(b.sum().item() for b in dl))
"""


def summary(err: Any, lang: str) -> str:
    return "".join(error_summary(err, lang))


def assert_zh(err: Any, *needles: str) -> str:
    """English reads as the sandbox's message; Chinese is Chinese, naming ``needles``."""
    assert error_message(err, "en") == worded_error(err, "en") == err.message
    zh = error_message(err, "zh")
    assert HAN.search(zh), zh
    for needle in needles:
        assert needle in zh, (needle, zh)
    return zh


def test_a_spawned_dataloader_worker_that_stopped_gets_a_hint(sb):
    r = sb.run(SPAWN_DATALOADER, timeout=60)
    err = r.error
    assert err.type == "RuntimeError" and err.line == 6
    assert err.hint_code == "dataloader_worker"
    assert err.message.endswith(f" ({HINTS['dataloader_worker']})")
    assert "num_workers=0" in summary(err, "en")
    assert "spawn" in summary(err, "en")
    zh = assert_zh(err, "num_workers=0", "spawn")
    assert "worker process" not in zh


def test_other_runtime_errors_get_no_dataloader_hint(sb):
    for code in (
        "raise RuntimeError('the job exited unexpectedly')",
        "raise RuntimeError('DataLoader worker (pid 12) is killed by signal: Killed')",
        "raise ValueError('DataLoader worker (pid(s) 12) exited unexpectedly')",
    ):
        err = sb.run(code).error
        assert err.hint_code is None, (code, err)


def test_breakpoint_on_the_last_line_names_its_line_and_reads_like_input(sb):
    r = sb.run('print("before"); breakpoint(); print("after")')
    err = r.error
    assert err.type == "BdbQuit" and err.hint_code == "no_debugger"
    assert err.line == 1
    assert 'line 1, in <module>\n    print("before"); breakpoint()' in err.traceback
    assert err.message == HINTS["no_debugger"]  # no empty message before it
    assert summary(err, "en") == f"BdbQuit (line 1): {HINTS['no_debugger']}"
    zh = assert_zh(err, "调试器")
    assert not zh.startswith("（") and "keyboard" not in zh


def test_pdb_set_trace_names_the_learners_line(sb):
    err = sb.run("import pdb\nx = 1\npdb.set_trace()").error
    assert (err.type, err.line) == ("BdbQuit", 3)
    assert "  " not in summary(err, "en")


def test_exit_is_not_called_sys_exit_none(sb):
    for code in ('print("bye"); exit()', "quit()", "import sys\nsys.exit()"):
        err = sb.run(code).error
        assert err.type == "SystemExit" and err.code == "exit_called", (code, err)
        assert err.message == "exit() or sys.exit() was called; the run stopped there"
        assert "None" not in summary(err, "en")
        assert_zh(err, "exit()")


def test_sys_exit_with_a_value_still_names_it(sb):
    err = sb.run("import sys\nsys.exit(0)").error
    assert (err.code, err.params) == ("sys_exit", {"arg": "0"})
    assert err.message == "sys.exit(0) was called; the run stopped there"


def test_name_error_keeps_pythons_suggestion(sb):
    err = sb.run("model = 1\nmodle + 1").error
    assert err.message == "name 'modle' is not defined. Did you mean: 'model'?"
    assert err.traceback.endswith(
        "NameError: name 'modle' is not defined. Did you mean: 'model'?\n"
    )
    assert err.hint_code is None  # the suggestion says it: no fresh-run hint


def test_attribute_error_keeps_pythons_suggestion(sb):
    err = sb.run("t = torch.zeros(2)\nt.shap").error
    assert err.message == "'Tensor' object has no attribute 'shap'. Did you mean: 'shape'?"
    assert err.traceback.endswith(f"AttributeError: {err.message}\n")


def test_a_name_from_an_earlier_run_gets_a_fresh_run_hint(sb):
    assert sb.run("model = torch.nn.Linear(2, 1)").status == "ok"
    err = sb.run("model(torch.zeros(2))").error
    assert err.type == "NameError" and err.hint_code == "fresh_run"
    assert err.params == {"name": "model"}
    assert err.message == f"name 'model' is not defined ({HINTS['fresh_run'].format(name='model')})"
    assert "earlier run" in summary(err, "en") and "`model`" in summary(err, "en")
    assert_zh(err, "`model`", "从头开始")


def test_unbound_local_gets_no_fresh_run_hint(sb):
    err = sb.run("def f():\n    y = x\n    x = 1\nf()").error
    assert err.type == "UnboundLocalError" and err.hint_code is None


def test_a_spawned_worker_of_a_file_gets_the_main_guard_as_its_fix(sb, tmp_path):
    """A file's spawned worker runs the file again: num_workers=0 steered the learner away from
    the real fix, the guard Python's own message above names."""
    from sandbox.protocol import FileSource

    script = tmp_path / "train.py"
    script.write_text("import torch\n" + SPAWN_DATALOADER, encoding="utf-8")
    err = sb.run(FileSource(script.read_text(), str(script)), timeout=60).error
    assert err.hint_code == "dataloader_main"
    assert '`if __name__ == "__main__":`' in summary(err, "en")
    assert_zh(err, '`if __name__ == "__main__":`')


def test_the_fresh_run_hint_is_for_a_snippets_top_level_alone(sb, tmp_path):
    """A name missing in a function is the code's own slip, and a file has no earlier runs."""
    from sandbox.protocol import FileSource

    err = sb.run("def f():\n    return model\nf()").error
    assert err.type == "NameError" and err.hint_code is None
    err = sb.run(FileSource("model(1)\n", str(tmp_path / "train.py"))).error
    assert err.type == "NameError" and err.hint_code is None
