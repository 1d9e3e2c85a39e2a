"""What every lesson step view shares: its step, its lesson, and a state dict that outlives it.

The lesson screen keeps one ``state`` dict per step, so a step shows what the learner did when
they come back to it, and a language switch simply rebuilds the view from the same state. The
app keeps those dicts for the session: a lesson closed and opened again finds them, each cut
down to its draft (:meth:`StepView.keep_draft`) when its step is first shown again.
"""

from __future__ import annotations

import ast
import hashlib
import re
from typing import Any, ClassVar

from rich.text import Text
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

from tutor.decks.code_comments import localize_comments
from tutor.i18n import Lang, localize, tr
from tutor.theme_styles import Styles, app_styles
from tutor.widgets.inline import inline

# every cheer by its literal key, one source for quizzes and exercises (picked by seed, see
# cheer) and games (dealt like cards, see screens/game.CheerDeck)
RIGHT_CHEERS: tuple[str, ...] = (
    "cheer.right.0",
    "cheer.right.1",
    "cheer.right.2",
    "cheer.right.3",
    "cheer.right.4",
    "cheer.right.5",
    "cheer.right.6",
    "cheer.right.7",
)
WRONG_CHEERS: tuple[str, ...] = (
    "cheer.wrong.0",
    "cheer.wrong.1",
    "cheer.wrong.2",
    "cheer.wrong.3",
    "cheer.wrong.4",
    "cheer.wrong.5",
    "cheer.wrong.6",
    "cheer.wrong.7",
)
CHEER_KEYS: dict[str, tuple[str, ...]] = {"right": RIGHT_CHEERS, "wrong": WRONG_CHEERS}
CHEERS = len(RIGHT_CHEERS)  # how many of each kind (both have as many)
FULL_WIDTH_PUNCTUATION = ("：", "。", "！", "？", "，")
SENTENCE_ENDS = (".", "!", "?", ":", ";", "…", "。", "！", "？", "：", "；")
CLOSERS = tuple(")]}\"'”’）」』》】`")
"""Brackets and quotes a sentence's stop may stand inside: "(see above.)"."""
# a last line that prints a value or code, not words: indented (a tensor's rows, a traceback's
# code), a fence, a bracket, quote or number, or a repr such as tensor([...])
_VALUE_LINE = re.compile(r"\s|```|[\[({'\"\d-]|\w+\(")
# a word and its stop, inside a closer: "(see above.)" ends a sentence; "tensor(3.)" and
# "nn.Linear(3, 1, ...)" do not, and a stop goes after them
_WORDS_END = re.compile(r"[^\W\d_][.!?…。！？]$")
# a last line a stop would spoil: one ending in a link (the stop reads as part of it) or an emoji
# (with its skin tone or presentation selector, or a keycap's 1️⃣)
_LINK_END = re.compile(r"(?:https?://|www\.)\S+$")
_EMOJI_END = re.compile(
    "(?:[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]|\u20e3)[\ufe0f\U0001f3fb-\U0001f3ff]*$"
)
# what torch prints in angle brackets inside a repr: grad_fn=<MulBackward0>
_ANGLED_NAME = re.compile(r"<[\w.]+>")
# a dtype as torch prints it: torch.float32, torch.int64, torch.bool, torch.float8_e4m3fn
_DTYPE = re.compile(r"torch\.(?:bool|[a-z]+\d+\w*)")


def _printed_value(line: str) -> bool:
    """Whether ``line`` is, whole, a value as Python or torch prints it: a literal (``42``,
    ``-0.5``, ``None``, ``{'a': 1}``) or a repr (``tensor([1., 2.])``, ``torch.Size([2, 3])``,
    ``torch.float32``), not words about one ("loss was tensor(3.)") nor words in brackets
    ("(see above)")."""
    if _DTYPE.fullmatch(line.strip()):
        return True
    try:
        value = ast.parse(_ANGLED_NAME.sub("0", line.strip()), mode="eval").body
        if isinstance(value, ast.Call):  # a repr names its type in ASCII; 检查(x) is words
            return isinstance(value.func, (ast.Name, ast.Attribute)) and line.isascii()
        ast.literal_eval(value)
    except (SyntaxError, ValueError, TypeError):
        return False
    return True


def reveal(widget: Widget) -> None:
    """Scroll ``widget`` into view once the update in progress is laid out: feedback drawn below
    the fold of a short terminal must not go unseen."""
    widget.call_after_refresh(widget.scroll_visible, animate=False)


def spaced(label: str) -> str:
    """``label`` and the space before what follows; none after full-width punctuation, which
    carries its own ("不太对。这一轮…", not "不太对。 这一轮…")."""
    return label if label.endswith(FULL_WIDTH_PUNCTUATION) else f"{label} "


def closed_sentence(reason: str, lang: Lang | str) -> str:
    """``reason`` (a failed check's) ended by a full stop where it has none, so the line said
    after it (a cheer) reads as a sentence of its own. A reason whose last line a stop would
    spoil is left as it is: a value printed on the lines above its end (a tensor, a fenced block,
    a traceback) or on a line of its own (``torch.Size([2, 3])``, ``42``, ``torch.float32``), a
    link, an emoji. The stop is that of ``lang``, the language the reason is shown in: "。" in
    Chinese, even after a line of code, and "." in English, even after a learner's Chinese value
    quoted."""
    reason = reason.rstrip()
    *above, last = reason.rsplit("\n", 1) if reason else [""]
    if not last or (above and _VALUE_LINE.match(last)) or "Traceback (most recent" in reason:
        return reason
    if reason.endswith(SENTENCE_ENDS) or _LINK_END.search(last) or _EMOJI_END.search(last):
        return reason
    if reason.endswith(CLOSERS) and _WORDS_END.search(reason[:-1]):
        return reason
    if _printed_value(last):
        return reason
    return reason + ("。" if lang == Lang.ZH else ".")


def verdict_label(text: Text, icon: str, label: str, *, correct: bool, styles: Styles) -> None:
    """Append the headline of a verdict: ``icon label`` in bold, in the right or wrong colour of
    ``styles`` (the theme's, :func:`tutor.theme_styles.app_styles`: the terminal's green and red
    read below 4.5:1 on some themes)."""
    colour = styles.right if correct else styles.wrong
    text.append(f"{icon} {spaced(label)}", style=f"bold {colour}")


def cheer(kind: str, seed: str, lang: Any) -> str:
    """A short encouraging (or funny) line, picked from ``seed`` so it is stable."""
    keys = CHEER_KEYS[kind]
    return tr(keys[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(keys)], lang)


class StepView(Vertical):
    DEFAULT_CSS = """
    StepView { height: auto; padding: 0 1; }
    StepView .step-title { text-style: bold; color: $accent; margin-bottom: 1; }
    StepView .caption { color: $text-muted; margin-bottom: 1; }
    StepView .feedback { height: auto; margin-top: 1; padding: 0 1; }
    StepView .feedback.-right { border-left: thick $success; }
    StepView .feedback.-wrong { border-left: thick $error; }
    StepView .buttons { height: auto; margin-top: 1; }
    StepView .buttons Button { margin-right: 1; }
    """

    TRANSIENT_KEYS: ClassVar[tuple[str, ...]] = ()
    """Keys of :attr:`state` that hold what the step says of the learner's last act there (an
    empty submit's note): kept while the step is drawn again (F2), gone once the learner has
    been elsewhere (:meth:`forget_transient`)."""

    def __init__(self, step: Any, lesson_id: str, state: dict[str, Any]) -> None:
        super().__init__(classes="step")
        self.step = step
        self.lesson_id = lesson_id
        self.state = state

    def forget_transient(self) -> None:
        """The step is shown anew, not drawn again: what it said of the last act goes."""
        for key in self.TRANSIENT_KEYS:
            self.state.pop(key, None)

    @property
    def lang(self) -> Any:
        return self.app.lang  # type: ignore[attr-defined]

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)

    def loc(self, text: Any) -> str:
        return localize(text, self.lang)

    def loc_code(self, code: str) -> str:
        """Deck code with its bilingual comments in the learner's language."""
        return localize_comments(code, self.lang)

    def initial_focus(self) -> Widget | None:
        """The widget to focus when the step appears."""
        return None

    @property
    def theme_styles(self) -> Styles:
        """The theme's colours for what the step draws itself (a verdict's right and wrong,
        inline code, secondary text): the terminal's red, green, cyan and dim read below
        4.5:1 on some themes."""
        return app_styles(self.app)

    def inline(self, markdown: str, style: str = "", *, emphasis: bool = True) -> Text:
        """``markdown``'s inline marks as :func:`~tutor.widgets.inline.inline` draws them, its
        code in the theme's (:attr:`~tutor.theme_styles.Styles.inline_code`)."""
        code_style = self.theme_styles.inline_code
        return inline(markdown, style, emphasis=emphasis, code_style=code_style)

    def render_state(self) -> None:
        """Show ``self.state`` (a quiz's or an exercise's verdict); steps with one override."""

    def theme_changed(self) -> None:
        """A verdict drawn follows a theme change: a dark theme's light red, kept drawn, was
        faint on a light theme (the app tells every widget; see ``TutorApp.watch_theme``)."""
        if self.is_mounted:
            self.render_state()

    class LearnerActed(Message):
        """The learner acted on a step in a way the lesson records nothing of: asked for or
        showed an exercise's solution, pressed h past its last hint, submitted a prediction
        empty. The lesson screen takes down the "best to take first" notice said as the lesson
        opened, whose toast lay over what the step shows in answer, as it does for the acts it
        records (a check, a hint). Posted with :meth:`report`."""

    def report(self, message: Message) -> None:
        """Tell the lesson screen what happened on this step (an answer, a check, a card met),
        for it to record. Posted to the screen, not bubbled up from this view: a key typed right
        behind Enter (→, esc) can move the lesson on, and remove this view, before its own queue
        is handled, and the answer shown graded was then never recorded."""
        self.screen.post_message(message)

    def keep_draft(self) -> None:
        """Cut ``self.state``, left by an earlier visit to the lesson, down to an answer begun and
        not submitted (ticks, an arrangement, a prediction typed): what was answered comes back
        from the progress store instead (:meth:`restore`), as it always did. Called on a view
        not mounted: as its lesson closes, and as its step is first shown again. Other steps keep nothing (an exercise's code is kept in its file)."""
        self.state.clear()

    def show_why_open(self) -> None:
        """Reached by "Still to pass" (^o): show why the step is still to pass, where it says so
        (a quiz's verdict); other steps say nothing more."""

    def restore(self, attempt: Any) -> bool:
        """Show how the learner last left this step's check, from ``attempt`` (the learning
        service's ``LastAttempt``); whether it was shown. Quizzes and exercises override; other
        steps have none."""
        return False
