"""``Learning.has_reviewed``: whether a rating stands in the store, which Review's summary asks
before it praises "nothing due" (a learner who never rated a card is not praised)."""

from __future__ import annotations

from tutor.learning import Learning


def test_a_new_learner_has_not_reviewed(learning: Learning) -> None:
    assert not learning.has_reviewed()


def test_a_rating_makes_it_reviewed_and_its_undo_takes_that_back(learning: Learning) -> None:
    learning.rate("tensors.card-call", 3)
    assert learning.has_reviewed()
    assert learning.undo() == "tensors.card-call"
    assert not learning.has_reviewed()


def test_a_rating_by_another_nn_tutor_counts(config, library, clock, learning: Learning) -> None:
    with Learning.open(config, library, clock=clock) as other:
        other.rate("tensors.card-call", 3)
    assert learning.has_reviewed()
