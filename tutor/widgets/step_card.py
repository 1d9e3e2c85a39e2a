"""A knowledge-card step: the card, and a note that it joined the review deck."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.step_base import StepView


class CardStepView(StepView):
    DEFAULT_CSS = """
    CardStepView .card { height: auto; border: round $secondary; padding: 0 1; }
    CardStepView .card-back { border-top: dashed $secondary 50%; }
    CardStepView .added { color: $success; margin-top: 1; }
    """

    class Introduced(Message):
        """The learner saw a knowledge card: it joins the review deck."""

        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    def compose(self) -> ComposeResult:
        card = self.step.card
        yield Static(f"🃏 {self.t('card.title')}", classes="step-title")
        with Vertical(classes="card"):
            yield ProseMarkdown(self.loc(card.front), classes="card-front")
            yield ProseMarkdown(self.loc(card.back), classes="card-back")
        yield Static(f"📥 {self.t('card.added')}", classes="added")

    def on_mount(self) -> None:
        if not self.state.get("introduced"):
            self.state["introduced"] = True
            self.report(self.Introduced(self.step.card.id))
