"""The tutor's readable themes are worked out only when shown: their text shaded against each
ground (the row under the mouse's :func:`~tutor.theme_styles.hover_tint` included) and the
blurred list row's text, which needs Textual's whole colour system. Worked out for all seven
offered themes at construction, they slowed start-up (see ``TutorApp.validate_theme``). A theme
chosen later (the palette, ``nn-tutor settings``, ``TEXTUAL_THEME``) ends with the same colours."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.theme import BUILTIN_THEMES, Theme

from tutor import theme_styles
from tutor.theme_styles import DEFAULT_THEME, THEMES, readable_theme

from .conftest import make_app


def themes_given_to(monkeypatch: pytest.MonkeyPatch, owner: object, function: str) -> list[str]:
    """The name of each theme ``owner``'s ``function`` is called with from now on, as it is."""
    names: list[str] = []
    original = getattr(owner, function)

    def counted(theme: Theme) -> object:
        names.append(theme.name)
        return original(theme)

    monkeypatch.setattr(owner, function, counted)
    return names


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each theme whose whole colour system is worked out, as it is."""
    return themes_given_to(monkeypatch, Theme, "to_color_system")


@pytest.fixture
def shaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each theme whose text is shaded to read on its grounds, as it is (each is
    shaded against its row under the mouse: :func:`~tutor.theme_styles.hover_tint`)."""
    return themes_given_to(monkeypatch, theme_styles, "hover_tint")


@pytest.mark.parametrize("chosen", [None, "nord", "solarized-light"])
def test_start_up_works_out_the_starting_theme_alone(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    worked_out: list[str],
    shaded: list[str],
    chosen: str | None,
) -> None:
    if chosen is not None:
        monkeypatch.setenv("TEXTUAL_THEME", chosen)
    app = make_app(tmp_path)
    starting = chosen or DEFAULT_THEME
    assert app.theme == starting
    offered = [name for name in worked_out if name in THEMES]
    assert set(offered) == {starting}, offered
    assert set(shaded) == {starting}, shaded
    assert app.current_theme == readable_theme(BUILTIN_THEMES[starting])


async def test_a_theme_chosen_later_has_its_readable_colours(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for name in (*THEMES[1:], DEFAULT_THEME, "catppuccin-latte"):  # each, and back again
            app.theme = name
            await pilot.pause()
            full = readable_theme(BUILTIN_THEMES[name])
            assert app.current_theme == full, name
            # the blurred row's text the CSS gets: the tutor's where Textual's did not read
            expected = {**full.to_color_system().generate(), **full.variables}
            key = "block-cursor-blurred-foreground"
            assert app.get_css_variables()[key] == expected[key], name


async def test_a_theme_switched_to_has_the_colours_it_has_when_started_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each offered theme, chosen once the app runs (and again, after another), gives the CSS
    the colours it gets when the app starts in it."""
    started_in = {}
    for name in THEMES:
        monkeypatch.setenv("TEXTUAL_THEME", name)
        started_in[name] = make_app(tmp_path).get_css_variables()
    monkeypatch.delenv("TEXTUAL_THEME")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for name in (*THEMES[1:], *THEMES):  # each, then each again
            app.theme = name
            await pilot.pause()
            assert app.get_css_variables() == started_in[name], name


@pytest.mark.parametrize("written", [" nord", "solarized-light,dracula", "catppuccin-latte, x"])
def test_a_theme_named_as_textual_reads_it_is_worked_out_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    """Textual finds ``" nord"`` and the first of ``"a,b"``: the theme shown is finished, not
    the half the tutor registered at start (its blurred row read 3.3:1 on solarized-light)."""
    monkeypatch.setenv("TEXTUAL_THEME", written)
    app = make_app(tmp_path)
    shown = app.current_theme
    assert shown == readable_theme(BUILTIN_THEMES[shown.name]), written
