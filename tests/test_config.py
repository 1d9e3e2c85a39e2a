"""Global options resolve the same way for the CLI and ``TutorApp()``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.config import TutorConfig
from tutor.i18n import Lang, detect_lang, localize, tr


def test_nn_tutor_home_sets_the_default_data_dir(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NN_TUTOR_HOME", str(tmp_path))
    config = TutorConfig.default()
    assert config.data_dir == tmp_path
    assert config.paths.database.parent == tmp_path


def test_data_dir_option_wins_over_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NN_TUTOR_HOME", str(tmp_path / "env"))
    assert TutorConfig.resolve(data_dir=tmp_path / "flag").data_dir == tmp_path / "flag"


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, Lang.ZH),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN"}, Lang.EN),
        ({}, Lang.EN),
        ({"LANGUAGE": "zh_TW"}, Lang.ZH),
        # gettext's order: LANGUAGE's list first, its first language we speak, unless the
        # locale is C (then messages are untranslated)
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, Lang.ZH),
        ({"LC_ALL": "zh_CN.UTF-8", "LANGUAGE": "fr:en_GB:zh"}, Lang.EN),
        ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "fr:de"}, Lang.ZH),
        ({"LC_ALL": "C", "LANGUAGE": "zh_CN"}, Lang.EN),
        ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "C:zh"}, Lang.EN),
        ({"LANG": "POSIX", "LANGUAGE": "zh_CN"}, Lang.EN),
    ],
)
def test_language_comes_from_the_locale(env: dict[str, str], lang: Lang) -> None:
    assert detect_lang(env) is lang


def test_missing_language_falls_back_to_the_other() -> None:
    assert localize({"en": "hello"}, Lang.ZH) == "hello"
    assert localize({"zh": "你好"}, Lang.EN) == "你好"
    assert localize({"en": "hello", "zh": "你好"}, "zh") == "你好"
    assert localize("plain", Lang.ZH) == "plain"


def test_every_ui_string_has_both_languages() -> None:
    from tutor.i18n import _catalog

    for key, entry in _catalog().items():
        assert set(entry) == {"en", "zh"}, key
        assert all(isinstance(v, str) and v.strip() for v in entry.values()), key
    assert "全部有效" in tr(
        "validate.ok", Lang.ZH, lessons=1, card_decks=1, cards=1, quiz_items=1, exercises=1
    )


def test_strings_load_with_a_pyyaml_built_without_libyaml(monkeypatch):
    """PyYAML built from source without libyaml has no ``CSafeLoader``: the catalogue falls back
    to the pure-Python loader, as the deck loader does, instead of failing at start-up."""
    import yaml

    from tutor import i18n

    monkeypatch.delattr(yaml, "CSafeLoader")
    i18n._catalog.cache_clear()
    try:
        assert i18n.tr("k.submit", "zh") == "提交"
    finally:
        i18n._catalog.cache_clear()
