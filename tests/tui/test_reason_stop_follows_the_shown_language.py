"""The stop the exercise step puts after a failed check's reason is that of the language the
reason is shown in, not of the script of its last word: an English reason that ends in the
learner's own Chinese value ends with "." (QA round 47). Where the check has no words in the
app's language, the step shows the other language's, or a bare ``assert``'s source line, and
the stop is theirs: "." after English words or ASCII code, "。" after Chinese words. A plain
message (a user deck's string, which may quote the learner's Chinese value) takes the app's
stop, but for one with no Chinese at all in a Chinese app (a bare ``assert``'s code): ".". A
failure the sandbox words (``sandbox.outcome.CHECK_CODES``) is said in the app's language,
and so is its stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tutor.widgets.step_base import cheer

from .conftest import check_exercise, make_app, open_exercise


def exercise(step_id: str, check: str) -> str:
    """A deck step: set ``name``; ``check`` (indented for the block scalar) judges it."""
    return f"""\
  - type: exercise
    id: {step_id}
    title: "Name the layer"
    prompt: "Set name."
    starter: "name = ''"
    check: |
{check}
    solution: "name = 'weight'"
"""


CHECKS = {
    "stops.both": """\
      assert name == "weight", {
          "en": f"the layer should be named weight, not {name}",
          "zh": f"这一层应当叫 weight，而不是 {name}",
      }""",
    "stops.en-only": """\
      assert name == "weight", {"en": f"the layer should be named weight, not {name}"}""",
    "stops.zh-only": """\
      assert name == "weight", {"zh": f"这一层应当叫 weight，而不是 {name}"}""",
    "stops.bare": """\
      assert name == "weight\"""",
    "stops.plain": """\
      assert name == "weight", f"the layer should be named weight, not {name}\"""",
    # reads a name the learner's code does not define: the sandbox words this failure
    "stops.sandbox-worded": """\
      assert label == "weight\"""",
}
DECK = (
    'format: 1\nkind: lesson\nid: stops\ntitle: "Stops"\nsummary: "A reason and its stop."\n'
    "steps:\n" + "".join(exercise(step_id, check) for step_id, check in CHECKS.items())
)


def stops_deck(tmp_path: Path) -> Path:
    folder = tmp_path / "stops-deck"
    folder.mkdir()
    (folder / "stops.yaml").write_text(DECK, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("step_id", "lang", "reason"),
    [
        ("stops.both", "en", "the layer should be named weight, not 权重."),
        ("stops.both", "zh", "这一层应当叫 weight，而不是 权重。"),
        # no words in the language shown: the other language's, with their own stop
        ("stops.en-only", "zh", "the layer should be named weight, not 权重."),
        ("stops.zh-only", "en", "这一层应当叫 weight，而不是 权重。"),
        # a bare assert: its source line, ASCII code, shown as it is
        ("stops.bare", "zh", 'assert name == "weight".'),
        # a plain message (a user deck's): the app's language, Chinese value quoted or not
        ("stops.plain", "en", "the layer should be named weight, not 权重."),
        ("stops.plain", "zh", "the layer should be named weight, not 权重。"),
        # the sandbox's own words for the failure, in the app's language
        (
            "stops.sandbox-worded",
            "en",
            "but your code does not define it: the exercise asks for it by this name.",
        ),
        ("stops.sandbox-worded", "zh", "但你的代码里没有定义它：练习要求用这个名字。"),
    ],
    ids=[
        "both-en",
        "both-zh",
        "en-only-in-zh",
        "zh-only-in-en",
        "bare-assert-in-zh",
        "plain-en",
        "plain-zh",
        "sandbox-worded-en",
        "sandbox-worded-zh",
    ],
)
async def test_the_reason_ends_with_the_stop_of_the_language_shown(
    tmp_path, real_sandbox, step_id, lang, reason
):
    app = make_app(tmp_path, lang, sandbox=real_sandbox(), decks=[stops_deck(tmp_path)])
    async with app.run_test(size=(110, 45)) as pilot:
        view = await open_exercise(pilot, step_id)
        await check_exercise(pilot, view, "name = '权重'")
        said = view.query_one(".feedback", Static).content.plain
        encouragement = cheer("wrong", f"{step_id}:{view.state['attempts']}", lang)
        # the reason ends its line; a crashed check's own error may come between it and the cheer
        assert f"{reason}\n" in said and said.endswith(encouragement), said
