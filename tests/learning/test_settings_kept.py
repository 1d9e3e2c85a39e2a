"""Settings changed by one nn-tutor while another has the store open are kept, and fitted
parameters that cannot be saved are not lost.

Each ``Learning`` reads the settings when it opens; one that then writes (``nn-tutor optimize``
after minutes of fitting, ``nn-tutor settings``) must change only what it means to change, over
the settings as they are stored by then.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import replace

import pytest
from fsrs import Scheduler

from tests.learning.conftest import NO_FUZZ, finish_lessons, open_course, write_lock_held
from tutor.cli import main as cli_main
from tutor.commands import optimize
from tutor.config import TutorConfig
from tutor.learning import FixedClock, Learning
from tutor.learning import store as store_module
from tutor.learning.clock import to_ms

# the fitted parameters of these tests: FSRS' defaults, a little changed, so they are valid
FITTED = [p * 1.01 if i < 4 else p for i, p in enumerate(Scheduler().parameters)]


def stored_settings(config: TutorConfig) -> dict:
    """The settings as another nn-tutor opening the store now would read them."""
    with Learning.from_config(config) as fresh:
        return json.loads(fresh.settings.to_json())


def test_fitted_parameters_keep_settings_changed_meanwhile(config, library, clock):
    with Learning.open(config, library, clock=clock) as fitting:  # opened before the change
        with Learning.open(config, library, clock=clock) as other:
            other.update_settings(replace(other.settings, desired_retention=0.8, new_per_day=5))
        fitting.save_parameters(FITTED)
        assert fitting.settings.desired_retention == 0.8  # what it schedules with from now on
    kept = stored_settings(config)
    assert kept["desired_retention"] == 0.8 and kept["new_per_day"] == 5
    assert kept["parameters"] == pytest.approx(FITTED)


def test_two_settings_changes_to_different_fields_both_stay(config, library, clock):
    with Learning.open(config, library, clock=clock) as first:
        with Learning.open(config, library, clock=clock) as second:
            second.update_settings(replace(second.settings, new_per_day=7))
        first.update_settings(replace(first.settings, desired_retention=0.8))
        assert first.settings.new_per_day == 7
    kept = stored_settings(config)
    assert kept["new_per_day"] == 7 and kept["desired_retention"] == 0.8


@pytest.fixture
def history(course: TutorConfig) -> TutorConfig:
    """A store with just the reviews fsrs' optimizer needs to fit parameters (not give back its
    defaults): 16 cards of the course reviewed every 26 hours, mostly Good."""
    clock = FixedClock()
    with open_course(course, clock) as learning:
        cards = [card.id for card in learning.library.review_cards()[:16]]
        for round_ in range(optimize.MIN_REVIEWS // len(cards) + 1):  # the first round fits none
            for index, card in enumerate(cards):
                learning.rate(card, 1 if (round_ + index) % 7 == 0 else 3)
            clock.advance(hours=26)
        assert optimize.usable_reviews(learning.review_logs()) == optimize.MIN_REVIEWS
    return course


def test_optimize_that_cannot_save_says_so_in_one_line_and_prints_the_parameters(
    history, monkeypatch, capsys
):
    """Another nn-tutor holds the write lock past the wait when the fitting ends: the learner
    is told in one line, as ``nn-tutor settings`` tells it, and still gets the numbers."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)  # the wait, shortened
    fit = optimize.fit_parameters
    locks = ExitStack()

    def fit_then_lock(logs: list) -> list[float]:
        fitted = fit(logs)  # the real fit; the lock is taken once it is done
        locks.enter_context(write_lock_held(history.paths.database))
        return fitted

    monkeypatch.setattr(optimize, "fit_parameters", fit_then_lock)
    args = ["--data-dir", str(history.data_dir), "optimize"]
    with locks:
        rc = cli_main(args)
    out, err = capsys.readouterr()
    assert rc == 1
    assert err.strip().startswith("The settings were not saved in the progress database")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    numbers = [float(word) for word in out.strip().splitlines()[-1].split()]
    assert len(numbers) == len(FITTED)  # every fitted parameter, for the learner to keep
    assert numbers != pytest.approx(Scheduler().parameters, abs=1e-4)  # fitted, not the defaults
    assert stored_settings(history)["parameters"] is None


def test_an_open_tutor_schedules_with_settings_changed_elsewhere(config, library, clock):
    """A TUI left open while ``nn-tutor settings`` runs in another terminal rates, offers new
    cards and labels its buttons with the settings as changed (it used those it read when it
    opened until restarted); settings given to it stay as given."""
    with (
        Learning.open(config, library, clock=clock) as tutor,
        Learning.open(config, library, settings=NO_FUZZ, clock=clock) as given,
    ):
        finish_lessons(tutor)
        card = tutor.due_now()[0].id
        waits = tutor.next_intervals(card)
        assert tutor.new_left_today() == 20
        args = ["--data-dir", str(config.data_dir), "--decks", str(config.deck_paths[0])]
        assert cli_main([*args, "settings", "--new-per-day", "3", "--learning-steps", "5"]) == 0
        assert tutor.new_left_today() == 3 and tutor.settings.learning_steps_min == (5.0,)
        assert tutor.next_intervals(card)[1] == "5m" != waits[1]
        tutor.rate(card, 1)
        assert tutor.store.card(card).due_ms == to_ms(clock.now()) + 5 * 60_000
        assert given.settings == NO_FUZZ and given.new_left_today() == NO_FUZZ.new_per_day - 1
        assert cli_main([*args, "settings", "--new-per-day", "10", "--learning-steps", "1,10"]) == 0
        assert tutor.new_left_today() == 9 and tutor.settings.learning_steps_min == (1.0, 10.0)
