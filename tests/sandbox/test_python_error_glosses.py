"""Python's own common errors (a missing name, a syntax or indentation slip) keep Python's words,
which a search finds, and in Chinese add a short gloss after them; English shows Python's words
alone, and a message of another shape is left as it came.

Real snippets through the real sandbox, shown by the formatter every view uses."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from sandbox import RunError, RunResult
from sandbox.outcome import HINTS
from tutor.sandbox_messages import check_words, error_message, error_summary, glossed_error_line

NAME_ERROR_LINE = "NameError: name 'yy' is not defined"

ERRORS = [
    # (code, error type, Python's words, the Chinese gloss after them)
    # in a function: no advice (at a snippet's top level, "each run starts fresh")
    (
        "def f():\n    return x + 1\nf()\n",
        "NameError",
        "name 'x' is not defined",
        "找不到名字 `x`",
    ),
    (
        "model = 1\nprint(modle)\n",
        "NameError",
        "name 'modle' is not defined. Did you mean: 'model'?",
        "找不到名字 `modle`，你是想写 `model` 吗？",
    ),
    # an attribute typo, on an object and on a module (3.10 to 3.13 word them alike)
    (
        "model = nn.Linear(2, 2)\nmodel.wieght\n",
        "AttributeError",
        "'Linear' object has no attribute 'wieght'. Did you mean: 'weight'?",
        "`Linear` 对象没有属性 `wieght`，你是想写 `weight` 吗？",
    ),
    (
        "x = None\nx.shape\n",
        "AttributeError",
        "'NoneType' object has no attribute 'shape'",
        "`NoneType` 对象没有属性 `shape`",
    ),
    (
        "import math\nmath.sqr\n",
        "AttributeError",
        "module 'math' has no attribute 'sqr'. Did you mean: 'sqrt'?",
        "模块 `math` 没有属性 `sqr`，你是想写 `sqrt` 吗？",
    ),
    (
        "torch.zzz\n",
        "AttributeError",
        "module 'torch' has no attribute 'zzz'",
        "模块 `torch` 没有属性 `zzz`",
    ),
    ("x = = 1\n", "SyntaxError", "invalid syntax", "语法错误"),
    (
        "x = [1 2]\n",
        "SyntaxError",
        "invalid syntax. Perhaps you forgot a comma?",
        "是不是漏了一个逗号",
    ),
    ("print((1, 2)\n", "SyntaxError", "'(' was never closed", "括号 `(` 没有闭合"),
    ("x = 1)\n", "SyntaxError", "unmatched ')'", "右括号 `)`"),
    (
        "print([1, 2)\n",
        "SyntaxError",
        "closing parenthesis ')' does not match opening parenthesis '['",
        "右括号 `)` 和前面的左括号 `[` 对不上",
    ),
    (
        "x = (1,\n     2]\n",
        "SyntaxError",
        "closing parenthesis ']' does not match opening parenthesis '(' on line 1",
        "右括号 `]` 和第 1 行的左括号 `(` 对不上",
    ),
    (
        'x = "abc\n',
        "SyntaxError",
        "unterminated string literal (detected at line 1)",
        "字符串少了结尾的引号",
    ),
    (
        'x = 1\ndoc = """abc\n',
        "SyntaxError",
        "unterminated triple-quoted string literal (detected at line 2)",
        "三引号字符串少了结尾的三个引号",
    ),
    ("if True\n    pass\n", "SyntaxError", "expected ':'", "少了冒号 `:`"),
    (
        "x = 1\nif x:\nprint(x)\n",
        "IndentationError",
        "expected an indented block after 'if' statement on line 2",
        "第 2 行的 `if` 语句后面要有一段缩进的代码",
    ),
    (
        "def f():\nreturn 1\n",
        "IndentationError",
        "expected an indented block after function definition on line 1",
        "第 1 行的函数定义后面",
    ),
    (
        "class A:\npass\n",
        "IndentationError",
        "expected an indented block after class definition on line 1",
        "第 1 行的类定义后面",
    ),
    ("x = 1\n    y = 2\n", "IndentationError", "unexpected indent", "不该有的缩进"),
    (
        "if True:\n        a = 1\n    b = 2\n",
        "IndentationError",
        "unindent does not match any outer indentation level",
        "对不齐",
    ),
]


@pytest.mark.parametrize(("code", "kind", "python", "gloss"), ERRORS)
def test_pythons_common_errors_keep_its_words_and_get_a_chinese_gloss(
    sb, code, kind, python, gloss
):
    err = sb.run(code).error
    assert (err.type, err.message, err.code, err.hint_code) == (kind, python, None, None)
    assert error_message(err, "en") == python
    zh = error_message(err, "zh")
    assert zh.startswith(f"{python}——") and gloss in zh, zh
    heading, message = error_summary(err, "zh")
    assert message == zh and heading.startswith(kind)


NEWER_PYTHONS_WORDS = [
    # (Python's words in 3.12 and 3.13, which this one does not say, the Chinese gloss)
    ("unterminated f-string literal (detected at line 3)", "f 字符串少了结尾的引号"),
    (
        "unterminated triple-quoted f-string literal (detected at line 1)",
        "三引号 f 字符串少了结尾的三个引号",
    ),
]


@pytest.mark.parametrize(("python", "gloss"), NEWER_PYTHONS_WORDS)
def test_newer_pythons_words_for_an_unclosed_f_string_are_glossed_too(python: str, gloss: str):
    err = RunError("SyntaxError", python, line=1)
    assert error_message(err, "en") == python
    assert error_message(err, "zh") == f"{python}——语法错误：{gloss}"


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("SyntaxError", "unterminated string literal"),  # without where Python noticed it
        ("SyntaxError", "unterminated string literal (detected at line 1) in my parser"),
        ("ValueError", "unterminated string literal (detected at line 1)"),  # not Python's type
        ("SyntaxError", "closing parenthesis ']' does not match opening parenthesis"),
        ("SyntaxError", "closing parenthesis ']' does not match opening parenthesis '(' on line"),
        # a line Python names is a number, not any words
        (
            "SyntaxError",
            "closing parenthesis ']' does not match opening parenthesis '(' on line 1 or 2",
        ),
        ("SyntaxError", "unterminated string literal (detected at line one)"),
        ("IndentationError", "expected an indented block after 'if' statement on line two"),
    ],
)
def test_look_alikes_of_pythons_words_with_a_bracket_or_a_line_are_left(kind: str, words: str):
    assert error_message(RunError(kind, words), "zh") == words


def test_a_hint_after_pythons_words_follows_the_gloss(sb):
    """A NameError at a snippet's top level gets the sandbox's advice too: the gloss says what
    Python said, the advice after it how to fix it."""
    err = sb.run("print(model)\n").error
    assert err.hint_code == "fresh_run"
    assert error_message(err, "en") == err.message
    zh = error_message(err, "zh")
    assert zh.startswith("name 'model' is not defined——找不到名字 `model`（每次运行都从头开始")


def test_other_errors_and_look_alikes_are_left_as_python_said_them(sb):
    zero = sb.run("1 / 0\n").error
    assert error_message(zero, "zh") == "division by zero"
    unbound = sb.run("def f():\n    y\n    y = 1\nf()\n").error
    assert unbound.type == "UnboundLocalError"
    assert error_message(unbound, "zh") == unbound.message
    # the words of one error under another's type, and words Python adds to (a sandbox's cut)
    assert error_message(RunError("ValueError", "invalid syntax"), "zh") == "invalid syntax"
    longer = RunError("SyntaxError", "invalid syntax here")
    assert error_message(longer, "zh") == "invalid syntax here"
    assert error_message({"type": "NameError", "message": "name 'x' is"}, "zh") == "name 'x' is"


def test_the_cli_shows_the_gloss_in_chinese_only(sb):
    from tutor.commands.run import render

    result = sb.run("print((1, 2)\n")

    def shown(lang: str) -> str:
        console = Console(file=io.StringIO(), width=400, record=True)
        render(result, lang, console)
        return console.export_text()

    assert "'(' was never closed——语法错误：括号 `(` 没有闭合" in shown("zh")
    en = shown("en")
    assert "'(' was never closed" in en and "——" not in en


def test_the_gloss_survives_the_wire(sb):
    """The UI reads a result as the worker sent it (JSON), not the objects of this process."""
    result = RunResult.from_json(sb.run("def f():\n    return x\nf()\n").to_json())
    assert error_message(result.error, "zh") == "name 'x' is not defined——找不到名字 `x`"


def test_pythons_words_before_a_kept_fix_and_the_caps_note_are_glossed():
    """An error as the sandbox sends it when the output cap stopped the run after a NameError:
    Python's words, the fix of the error, the cap's note. The gloss goes right after Python's
    words, before both."""
    fix_params = {"name": "functional", "module": "torch.nn", "qualified": "nn.functional"}
    fix = HINTS["qualified_name"].format(**fix_params)
    note_params = {"thread": "flooder", "thread_line": 6, "kb": 1024}
    note = HINTS["raised_thread_output_limit_at_line"].format(**note_params)
    err = RunError(
        "NameError",
        f"name 'functional' is not defined ({fix}) ({note})",
        hint=note,
        hint_code="raised_thread_output_limit_at_line",
        params={
            **note_params,
            "earlier_hint_code": "qualified_name",
            "earlier_hint_params": fix_params,
        },
    )
    assert error_message(err, "en") == err.message
    assert error_message(err, "zh").startswith(
        "name 'functional' is not defined——找不到名字 `functional`（`functional` 在 torch.nn 里"
    )


def test_a_check_that_raised_in_the_learners_code_glosses_pythons_words(sb):
    """The check called the learner's function and it raised: the check's words quote Python's
    ``Type: message`` with the gloss the run panel gives the same error, before the line."""
    result = sb.run("def f(x):\n    return x + yy\n", device="cpu", check="f(1)\n")
    check = result.check
    assert (check.code, check.params["error"]) == ("raised_in_code", NAME_ERROR_LINE)
    assert check_words(check, "zh") == (
        "NameError: name 'yy' is not defined——找不到名字 `yy`（在你的代码第 2 行引发）",
        "",
    )
    assert check_words(check, "en") == (f"{NAME_ERROR_LINE} (raised in your code, line 2)", "")


def test_a_restored_check_verdict_glosses_pythons_words_too():
    """A verdict restored from what was saved is the check's dict, as the sandbox sent it."""
    saved = {"message": NAME_ERROR_LINE, "code": "raised_in_code"}
    said, _ = check_words({**saved, "params": {"error": NAME_ERROR_LINE, "line": 2}}, "zh")
    assert said == "NameError: name 'yy' is not defined——找不到名字 `yy`（在你的代码第 2 行引发）"
    other = {**saved, "params": {"error": "RuntimeError: invalid syntax", "line": 2}}
    assert check_words(other, "zh")[0] == "RuntimeError: invalid syntax（在你的代码第 2 行引发）"


@pytest.mark.parametrize(
    ("line", "zh"),
    [
        (NAME_ERROR_LINE, "NameError: name 'yy' is not defined——找不到名字 `yy`"),
        (
            "SyntaxError: invalid syntax",
            "SyntaxError: invalid syntax——语法错误：Python 看不懂这里的写法",
        ),
        ("NameError: name 'yy' is", "NameError: name 'yy' is"),  # not Python's whole words
        ("name 'yy' is not defined", "name 'yy' is not defined"),  # no type before them
        ("NameError", "NameError"),
    ],
)
def test_pythons_error_line_is_glossed_after_its_message(line: str, zh: str):
    assert glossed_error_line(line, "zh") == zh
    assert glossed_error_line(line, "en") == line
    quoted = glossed_error_line(line, "zh", quote="`")
    assert quoted == f"`{line}`" + glossed_error_line(line, "zh")[len(line) :]
