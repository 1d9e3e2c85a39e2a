"""``nn-tutor optimize``: fit FSRS parameters to the learner's own review history.

The optimizer (``fsrs[optimizer]``) pulls in torch and pandas, so it is imported only inside
:func:`fit_parameters`, never by the UI process.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from datetime import datetime
from itertools import pairwise

from fsrs import ReviewLog

from tutor.commands.learning_cli import open_learning
from tutor.commands.settings import save_settings
from tutor.config import TutorConfig
from tutor.i18n import tr

# fsrs.optimizer's own limits (``mini_batch_size``, ``max_seq_len``), kept here so they are known
# without importing torch: it learns from at most the first 64 reviews of each card, and with
# fewer than 512 reviews it can learn from it returns its default parameters, fitting nothing.
MIN_REVIEWS = 512
REVIEWS_PER_CARD_USED = 64


def usable_reviews(logs: list[ReviewLog]) -> int:
    """How many of ``logs`` fsrs' optimizer learns from, counted as it counts them: within each
    card's first ``REVIEWS_PER_CARD_USED`` reviews (oldest first), those made a whole day (24
    hours) or more after the card's previous review. A review the same day as the one before
    says nothing about memory over days, so a day of cramming passes no gate on all reviews."""
    by_card: defaultdict[int, list[datetime]] = defaultdict(list)
    for log in logs:
        by_card[log.card_id].append(log.review_datetime)
    usable = 0
    for times in by_card.values():
        first = sorted(times)[:REVIEWS_PER_CARD_USED]
        usable += sum(1 for before, at in pairwise(first) if (at - before).days > 0)
    return usable


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
        usable = usable_reviews(logs)
        if usable < MIN_REVIEWS:  # the fit would be FSRS' defaults, not the learner's
            print(tr("optimize.too_few_days", config.lang, needed=MIN_REVIEWS, usable=usable))
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
