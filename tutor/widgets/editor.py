"""The code editor: a TextArea with Python highlighting when tree-sitter is there, plain otherwise."""

from __future__ import annotations

from functools import cache

from textual.widgets import TextArea


@cache
def python_highlighting() -> bool:
    """Whether tree-sitter and its Python grammar are installed (``textual[syntax]``)."""
    try:
        from textual._tree_sitter import TREE_SITTER, get_language

        return bool(TREE_SITTER) and get_language("python") is not None
    except Exception:
        return False


def code_editor(text: str, *, id: str | None = None) -> TextArea:
    editor = TextArea.code_editor(
        text,
        language="python" if python_highlighting() else None,
        theme="monokai",
        id=id,
        soft_wrap=False,
    )
    editor.add_class("code-editor")
    return editor


def mark_line(editor: TextArea, line: int | None) -> None:
    """Select the learner's failing line (1-based) so it stands out, and scroll to it."""
    if line is None or line < 1 or line > editor.document.line_count:
        return
    editor.select_line(line - 1)
    editor.scroll_cursor_visible(center=True)
