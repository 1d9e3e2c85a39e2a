"""A lesson's diagram in a fence that names no language is drawn as plain text: Textual guessed
a language for it (Verilog, VB.NET...) and painted its box-drawing and arrow characters as error
tokens (pink on dark red) and words like "is" as keywords. A fence that names one keeps its
colours."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Label

from tutor.widgets.prose import ProseMarkdown

LESSON = Path(__file__).parents[2] / "lessons" / "01-what-is-torch-nn.yaml"
PYTHON = "```python\nimport torch\nlayer = nn.Linear(3, 2)  # a layer\nprint(layer)\n```\n"


def toolbox_body(lang: str) -> str:
    """Lesson 1's first step: its ``torch.nn`` tree sits in a bare fence."""
    step = yaml.safe_load(LESSON.read_text(encoding="utf-8"))["steps"][0]
    body = step["body"][lang]
    assert "```\ntorch.nn\n├──" in body  # the diagram this test is about is still there
    return body


class Prose(App[None]):
    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield ProseMarkdown(self.markdown)


async def fence_segments(markdown: str) -> list[Segment]:
    """The segments a fence's code is drawn with, each line's padding left out."""
    app = Prose(markdown)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        label = app.query_one("MarkdownFence").query_one(Label)
        await pilot.pause()
        size = label.size
        strips = label.render_lines(Region(0, 0, size.width, size.height))
        return [seg for strip in strips for seg in strip if seg.text.strip()]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_bare_fence_diagram_is_drawn_as_plain_text(lang):
    segments = await fence_segments(toolbox_body(lang))
    drawn = "".join(seg.text for seg in segments)
    assert "├──" in drawn
    looks = {(seg.style.color, seg.style.bgcolor, seg.style.bold) for seg in segments}
    # one look for every character: no error token's red background, no bold keyword
    assert len(looks) == 1, [
        (seg.text, seg.style)
        for seg in segments
        if seg.style.bold or seg.style.bgcolor != segments[0].style.bgcolor
    ]


async def test_a_python_fence_is_still_highlighted():
    segments = await fence_segments(PYTHON)
    assert "nn.Linear" in "".join(seg.text for seg in segments)
    assert len({seg.style.color for seg in segments}) > 2  # keywords, numbers, comments coloured
