"""Deck problems in the learner's language: each error is worded from the string catalog when it is
shown, so one loaded library says its problems in English or Chinese (F2 switches, nothing is
read again), while ``str()`` and ``to_json()`` keep the English a script matches."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from tutor.decks import DeckError, DeckLoader
from tutor.i18n import LANGS, _catalog

BAD = Path(__file__).parent / "bad"
CROSS = Path(__file__).parent / "cross"
DECKS_CODE = Path(__file__).parents[2] / "tutor" / "decks"

# file in bad/ -> (field path, the message in Chinese): one of each common kind of mistake
ZH = {
    "wrong_type.yaml": ("steps[0].trace", "应为：true 或 false；实际：文本"),
    "missing_field.yaml": ("summary", "缺少必填字段（应为：文本或 {en: ..., zh: ...}）"),
    "unknown_field.yaml": (
        "steps[0].tarce",
        "未知字段；你是不是想写 'trace'？"
        "（可用字段：caption, code, device, id, raises, title, torch_min, trace）",
    ),
    "yaml_syntax.yaml": ("summary[1]", "YAML 语法错误：从第 4 行开始的 [ 列表没有用 ] 闭合"),
    "duplicate_id_in_deck.yaml": ("steps[1].id", "id 'bad-dup-id.snip' 已被 steps[0].id 使用"),
    "unknown_reference.yaml": ("prerequisites[0]", "未知课程 'no-such-lesson'"),
    "top_level_list.yaml": ("", "卡组文件必须是带 kind: lesson|cards 的映射；实际：列表"),
    "unknown_language.yaml": ("title", "未知语言 'fr'；请用 en 和 zh"),
    "undecodable.yaml": ("", "字节 0xe9 不是有效的 UTF-8；请把文件存为 UTF-8"),
    "torch_min_unquoted.yaml": (
        "cards[0].torch_min",
        '应为：加引号的 torch 版本号，如 "2.5"；实际：float 2.1',
    ),
}


def only_error(file: Path) -> DeckError:
    errors = DeckLoader([file]).load().errors
    assert len(errors) == 1, errors
    return errors[0]


@pytest.mark.parametrize("name", sorted(ZH))
def test_a_deck_problem_is_said_in_chinese(name: str) -> None:
    path, zh = ZH[name]
    error = only_error(BAD / name)
    assert (error.path, error.message_in("zh")) == (path, zh)
    # the one line keeps its file, place and field as written around the Chinese
    where = f"{BAD / name}:{error.line}:{error.column}: "
    assert error.line_in("zh") == where + (f"{path}: {zh}" if path else zh)


@pytest.mark.parametrize("name", sorted(ZH))
def test_english_stays_what_scripts_read(name: str) -> None:
    """The same error, asked again in English after Chinese: the words it always had."""
    error = only_error(BAD / name)
    error.message_in("zh")
    assert error.message_in("en") == error.message == error.to_json()["message"]
    assert str(error) == error.line_in("en")
    assert not any("\u4e00" <= c <= "\u9fff" for c in str(error) + error.message)


def test_an_id_used_in_another_file_names_that_file_untranslated() -> None:
    errors = DeckLoader([CROSS]).load().errors
    assert [e.message_in("zh") for e in errors] == [
        f"id 'shared.card' 已在 {CROSS / 'a.yaml'} 中使用"
    ]


def test_a_broken_link_is_said_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "moved.yaml").symlink_to(tmp_path / "gone" / "moved.yaml")
    error = DeckLoader([tmp_path]).load().errors[0]
    assert error.message_in("zh") == f"链接已失效，它指向 {tmp_path / 'gone' / 'moved.yaml'}"
    assert error.message == f"broken link to {tmp_path / 'gone' / 'moved.yaml'}"


# -- every message the code says has both languages, with the placeholders the code fills ------


def fields(text: str) -> set[str]:
    """The placeholders a catalog string formats: ``{id!r}`` and ``{size:,}`` are ``id``, ``size``."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return {name.split(".")[0].split("[")[0] for name in names}


def literal_keys(node: ast.expr, constants: dict[str, list[str]]) -> list[str] | None:
    """The catalog keys an argument can be: a literal, either side of ``a if c else b``, or a
    local name assigned one of those; ``None`` when the code computes it some other way."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = literal_keys(node.body, constants), literal_keys(node.orelse, constants)
        return body + orelse if body is not None and orelse is not None else None
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def message_calls() -> list[tuple[str, str, set[str] | None]]:
    """``(where, key, placeholder names given)`` for every message ``tutor/decks/`` words:
    ``Message.of(key, **values)``, ``_err(file, at, path, key, **values)`` and
    ``joined(items, key)``. Names given through ``**mapping`` are ``None``: not checkable.
    ``errors.py`` is skipped: it defines these, passing keys along for its callers."""
    found: list[tuple[str, str, set[str] | None]] = []
    for file in sorted(DECKS_CODE.glob("*.py")):
        if file.name == "errors.py":
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        constants: dict[str, list[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                keys = literal_keys(node.value, {})
                if isinstance(target, ast.Name) and keys and keys[0].startswith("deck."):
                    constants[target.id] = keys
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "of":
                key_arg, given = node.args[0] if node.args else None, None
            elif isinstance(func, ast.Name) and func.id == "_err" and len(node.args) > 3:
                key_arg, given = node.args[3], None
            elif isinstance(func, ast.Name) and func.id == "joined":
                key_arg, given = node.args[1], {"left", "right"}
            else:
                continue
            if given is None:
                names = [k.arg for k in node.keywords]
                given = None if None in names else {str(name) for name in names}
            where = f"{file.name}:{node.lineno}"
            keys = literal_keys(key_arg, constants) if key_arg is not None else None
            if keys is None:
                # a key the code looks up (the OS's reasons) takes no values; a helper passing
                # its caller's key and ``**values`` on (``_err``) is checked at those callers
                assert given in (set(), None), f"{where}: a message with values names its key"
                continue
            found.extend((where, key, given) for key in keys)
    return found


def test_every_message_the_decks_say_has_both_languages_and_its_placeholders() -> None:
    calls = message_calls()
    assert len(calls) > 60, "the scan found too few messages: did the code's calls change?"
    catalog = _catalog()
    for where, key, given in calls:
        assert key in catalog, f"{where}: {key} is not in tutor/strings/"
        assert set(catalog[key]) == set(LANGS), f"{where}: {key}"
        for lang in LANGS:
            assert fields(catalog[key][lang]) == given, f"{where}: {key} [{lang}]"


def test_en_and_zh_of_every_deck_message_take_the_same_placeholders() -> None:
    """Also for a key the scan cannot tie to one call: a translation that names a placeholder
    the English lacks would fail only when a learner meets that error."""
    deck_keys = {key: entry for key, entry in _catalog().items() if key.startswith("deck.")}
    assert deck_keys
    for key, entry in deck_keys.items():
        assert fields(entry["en"]) == fields(entry["zh"]), key
