"""``nn-tutor check``: validate decks, then run every unit in the sandbox and judge it."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import TextIO

from tutor.checking import CheckUnit, UnitOutcome, collect_units, judge
from tutor.cli import is_terminal
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, load_for_command
from tutor.decks.advice import unverified_claims
from tutor.i18n import Lang, tr
from tutor.run_limits import LEARNER_RUN_TIMEOUT_S
from tutor.sandbox_messages import learners_words, unavailable_message
from tutor.torch_version import too_old_for

HASH_SEEDS = ("1", "2", "3", "4")
"""The str hash seeds (``PYTHONHASHSEED``) a predict unit runs under: the first run's, then one
more run under each other seed, each in a sandbox of its own. A learner's tutor starts its sandbox
worker with a seed of its own, and every run forked from that worker shares it: a set of strings
printed (or iterated) in one seed's order is another learner's other order, though two runs in
one worker agree. A set of two strings prints in the same order under all four seeds about one
time in seven, a little over 0.5**3: where both land in one slot of the small table (one time
in eight) the one added first comes first whatever the seed. Three strings: well under one time
in a hundred. Measured over torch.nn words, other seeds did no better; a fifth seed halves the
misses, for one more sandbox. Fixed seeds give the same verdict each time. A set printed is
caught by its look whatever the seeds do (:func:`tutor.checking.judge.shows_string_set`): the
seeds serve what comes out of a set in another shape (``list(names)``, ``' '.join(names)``)."""


def skip_reason(unit: CheckUnit, *, cuda: bool, lang: Lang | str) -> str | None:
    """Why ``unit`` cannot run on this machine (the words the report shows), or ``None`` where
    it runs: a CUDA unit without a GPU, an item for a newer torch than the one installed."""
    if unit.device == "cuda" and not cuda:
        return tr("check.skip.no_cuda", lang)
    installed = too_old_for(unit.torch_min)
    if installed is not None:
        return tr("check.skip.old_torch", lang, needed=unit.torch_min, installed=installed)
    return None


def run_units(
    units: list[CheckUnit],
    *,
    cuda: bool,
    timeout: float = LEARNER_RUN_TIMEOUT_S,
    lang: Lang | str = "en",
    progress: Callable[[int, int], object] | None = None,
) -> list[UnitOutcome]:
    """Run units one after another in one warm sandbox, each as the lesson player runs it: with
    the player's time limit (a unit slower than a learner may wait fails here, not for every
    learner) and its trace where the step asks for one. The sandbox is started before the first
    unit, and a run's time counts from its code's first line, so no unit pays for the start.

    A predict unit that ran cleanly runs again, fresh and newly seeded, under each other str hash
    seed (see :data:`HASH_SEEDS`): a last line that changes is a quiz no learner can answer.
    Their sandboxes start together, beside the first units, where a predict unit will run (one
    that is skipped needs none).
    ``progress(number, total)`` is called as each unit starts, counting from 1."""
    from concurrent.futures import ThreadPoolExecutor

    from sandbox import Sandbox

    outcomes: list[UnitOutcome] = []
    # the other seeds' sandboxes cost a worker (and its torch import) each: only where a
    # predict unit will run, not where every one is skipped
    predicts = any(
        unit.kind == "predict" and skip_reason(unit, cuda=cuda, lang=lang) is None for unit in units
    )
    with contextlib.ExitStack() as stack:
        others = [Sandbox(env={"PYTHONHASHSEED": seed}) for seed in HASH_SEEDS[1:] if predicts]
        for other in others:
            stack.callback(other.close)
        # closed after their starts ended (an error on the way waits for them)
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=max(len(others), 1)))
        starting = [pool.submit(other.start) for other in others]
        box = stack.enter_context(Sandbox(env={"PYTHONHASHSEED": HASH_SEEDS[0]}))
        for number, unit in enumerate(units, start=1):
            if progress is not None:
                progress(number, len(units))
            skipped = skip_reason(unit, cuda=cuda, lang=lang)
            if skipped is not None:
                outcomes.append(UnitOutcome(unit, "skip", skipped))
                continue
            result = box.run(
                unit.code, device=unit.device, timeout=timeout, trace=unit.trace, check=unit.check
            )
            again = []
            if unit.kind == "predict" and result.status == "ok":
                for started in starting:
                    started.result()  # started, or its SandboxStartError, as the first box's
                again = [
                    other.run(unit.code, device=unit.device, timeout=timeout) for other in others
                ]
            outcomes.append(judge(unit, result, lang, again))
    return outcomes


class ProgressLine:
    """A live "checking 120/604…" on a terminal's stderr, rewritten in place and erased when
    done, so that it never lands in a log: where stderr is no terminal (or is closed, or
    missing), it writes nothing."""

    def __init__(self, stream: TextIO, lang: Lang | str) -> None:
        self.stream = stream
        self.lang = lang
        self.live = is_terminal(stream)

    def __call__(self, number: int, total: int) -> None:
        if self.live:
            line = tr("check.progress", self.lang, number=number, total=total)
            self.stream.write(f"\r{line}\x1b[K")
            self.stream.flush()

    def clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def unverified_count(library: DeckLibrary) -> int:
    """How many cards and quizzes of ``library`` state a claim that no unit checks, for want of
    a ``verify`` block: the report counts only what ran, so without this an author running
    ``check`` alone would never learn of them (``validate`` names each one)."""
    decks = [*library.lessons, *library.card_decks]
    return sum(1 for deck in decks for _ in unverified_claims(deck))


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    library = load_for_command(args.paths, config)
    units = collect_units(library)

    import sandbox

    started = time.perf_counter()
    unavailable: str | None = None  # why the sandbox could not start: nothing was run
    # --json is for a program reading stdout; its stderr stays as quiet as ever
    progress = ProgressLine(sys.stderr, config.lang) if not args.json else None
    try:
        try:
            outcomes = run_units(
                units, cuda=sandbox.cuda_available(), lang=config.lang, progress=progress
            )
        finally:
            if progress is not None:
                progress.clear()  # before any report line, on success, error or ctrl-c
    except sandbox.SandboxStartError as exc:
        unavailable, outcomes = unavailable_message(exc.error, config.lang), []
        print(unavailable, file=sys.stderr)
        if not args.json:
            return 1
    elapsed = time.perf_counter() - started
    verdicts = Counter(o.verdict for o in outcomes)
    unverified = unverified_count(library)
    ok = library.ok and verdicts["fail"] == 0 and unavailable is None

    if args.json:
        print(
            json.dumps(
                {
                    "ok": ok,
                    # a CI step reading stdout still gets an answer when no unit could run
                    "sandbox_error": unavailable,
                    "deck_errors": [e.to_json() for e in library.errors],
                    "units": len(outcomes),
                    "passed": verdicts["pass"],
                    "failed": verdicts["fail"],
                    "skipped": verdicts["skip"],
                    "unverified": unverified,
                    "seconds": round(elapsed, 2),
                    "failures": [o.to_json() for o in outcomes if o.verdict == "fail"],
                    "skips": [o.to_json() for o in outcomes if o.verdict == "skip"],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0 if ok else 1

    for error in library.errors:
        print(error.line_in(config.lang), file=sys.stderr)
    for o in outcomes:
        # a snippet's exception's words: one line, escape sequences dropped (--json keeps them)
        reason = " ".join(learners_words(o.reason).split())
        if o.verdict == "fail":
            print(f"{o.unit.where}: {o.unit.label}: {reason}", file=sys.stderr)
        elif o.verdict == "skip":
            skipped = tr("check.skipped", config.lang, reason=reason)
            print(f"{o.unit.where}: {o.unit.label}: {skipped}", file=sys.stderr)
    print(
        tr(
            "check.summary",
            config.lang,
            passed=verdicts["pass"],
            failed=verdicts["fail"],
            skipped=verdicts["skip"],
            errors=len(library.errors),
            seconds=f"{elapsed:.1f}",
        )
    )
    if unverified:
        print(tr("check.unverified", config.lang, count=unverified))
    return 0 if ok else 1
