"""``nn-tutor optimize``: fit FSRS parameters to the learner's own review history.

The optimizer (``fsrs[optimizer]``) pulls in torch and pandas, so it is imported only inside
:func:`fit_parameters`, never by the UI process.
"""

from __future__ import annotations

import argparse
import sys

from fsrs import ReviewLog

from tutor.commands.learning_cli import open_learning
from tutor.commands.settings import save_settings
from tutor.config import TutorConfig
from tutor.i18n import tr

MIN_REVIEWS = 512  # below this fsrs' optimizer has too little to learn from


def fit_parameters(logs: list[ReviewLog]) -> list[float]:
    from fsrs.optimizer import Optimizer  # heavy: torch

    return list(Optimizer(logs).compute_optimal_parameters())


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    learning = open_learning(config)
    if learning is None:
        return 1
    with learning:
        logs = learning.review_logs()
        if len(logs) < MIN_REVIEWS:
            print(tr("optimize.too_few", config.lang, needed=MIN_REVIEWS, count=len(logs)))
            return 1
        print(tr("optimize.running", config.lang, count=len(logs)), flush=True)
        try:
            parameters = fit_parameters(logs)
        except ImportError as error:
            print(tr("optimize.missing", config.lang, error=error), file=sys.stderr)
            return 1
        saved = save_settings(learning, config.lang, parameters=tuple(parameters))
    if saved is None:  # minutes of fitting are not thrown away: the learner can keep them
        print(tr("optimize.not_saved", config.lang))
    else:
        print(tr("optimize.done", config.lang))
    print(" ".join(f"{p:.4f}" for p in parameters))
    return 0 if saved is not None else 1
