"""How long a learner's run may take, shared by the lesson player and ``nn-tutor check``.

One number for both: ``check`` proves a deck's code by running it as the learner will, so a
snippet that takes longer than the player allows must fail ``check`` instead of timing out for
every learner who runs it.
"""

from __future__ import annotations

LEARNER_RUN_TIMEOUT_S: float = 10.0
"""Seconds a code step, predict snippet, exercise or review example may run in the player (and
each unit gets in ``nn-tutor check``); counted from the code's first line, not the sandbox's
start."""
