"""Opening the learning store for a headless command, with its messages on stderr."""

from __future__ import annotations

import sys

from tutor.config import TutorConfig
from tutor.learning import Learning, StoreError


def open_learning(config: TutorConfig) -> Learning | None:
    """Open the store, or say in one line why it cannot be opened and return ``None``.

    A notice (such as a corrupt database moved aside) is printed but does not stop the command.
    """
    try:
        learning = Learning.from_config(config)
    except StoreError as error:
        print(error, file=sys.stderr)
        return None
    if learning.notice:
        print(learning.notice, file=sys.stderr)
    return learning
