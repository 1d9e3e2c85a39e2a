"""An answer box that leaves ``?`` to the screen's keys (Help) while it is empty."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class AnswerInput(Input):
    """A box for a typed answer (a shape, a predicted output). Empty, it leaves ``?`` to the
    screen's and the app's keys (Help): no answer starts with one, and a learner pressing ``?``
    there, as on the course map, saw it typed and no Help. After other text ``?`` is typed,
    as any character."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character == "?" and not self.value:
            return False
        return super().check_consume_key(key, character)

    async def on_key(self, event: events.Key) -> None:
        # Input types every printable key, whatever check_consume_key says (Textual asks it
        # only of priority bindings): a key the box declines goes on, untyped, to the bindings
        if event.is_printable and not self.check_consume_key(event.key, event.character):
            event.prevent_default()
