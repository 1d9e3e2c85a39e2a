"""Lesson 06's live hook trace says where the ``Sequential``'s own row sits; the tracer agrees.

The caption of ``l06.snip-hook-trace`` tells the learner the container's row comes after its
layers going forward (its forward finishes last) and before them going backward (the gradient
reaches its output first). This runs the step traced, as the lesson player does, and holds the
caption to what the trace shows.
"""

from __future__ import annotations

from sandbox import Sandbox
from tutor.decks import DeckLibrary


def test_container_row_follows_its_layers_forward_and_leads_them_backward(
    library: DeckLibrary, sb: Sandbox
) -> None:
    found = library.item("l06.snip-hook-trace")
    assert found is not None
    step = found[1]
    result = sb.run(step.code, device="cpu", trace=True)
    assert result.ok, result.error
    rows = [(event["phase"], event["module"]) for event in result.trace]
    assert rows == [
        ("forward", "0"),
        ("forward", "1"),
        ("forward", "2"),
        ("forward", "Sequential"),
        ("backward", "Sequential"),
        ("backward", "2"),
        ("backward", "1"),
        ("backward", "0"),
    ]
    caption = step.caption
    assert "`Sequential`" in caption["en"] and "`Sequential`" in caption["zh"]
