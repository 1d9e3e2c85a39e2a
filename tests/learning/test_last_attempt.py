"""``Learning.last_attempt``: how a quiz or exercise was last left, answer and hints included, so
a lesson opened again shows it so."""

from __future__ import annotations

from tutor.learning import Learning


def test_a_quiz_answer_comes_back_as_the_step_gave_it(learning: Learning) -> None:
    assert learning.last_attempt("tensors", "tensors.q-bias") is None  # never tried
    learning.record_quiz("tensors.q-bias", "tensors", False, ["weight", "in_features"])
    learning.record_quiz("tensors.q-bias", "tensors", True, ["bias", "weight"])
    last = learning.last_attempt("tensors", "tensors.q-bias")
    assert last is not None
    assert (last.correct, last.answer, last.hints_used) == (True, ["bias", "weight"], 0)


def test_each_shape_of_answer_survives_the_store(learning: Learning) -> None:
    """True/false, an arrangement, a prediction with what it printed: each read back unchanged."""
    answers = [True, [2, 0, 1], {"answer": "(2, 4)", "truth": "torch.Size([4, 2])"}, "b"]
    for answer in answers:
        learning.record_quiz("tensors.q-bias", "tensors", False, answer)
        last = learning.last_attempt("tensors", "tensors.q-bias")
        assert last is not None and last.answer == answer


def test_an_exercise_keeps_its_hints_and_the_latest_wins(learning: Learning) -> None:
    learning.record_exercise("tensors.ex-no-bias", "tensors", False, 0)
    learning.record_exercise("tensors.ex-no-bias", "tensors", True, 2)
    last = learning.last_attempt("tensors", "tensors.ex-no-bias")
    assert last is not None
    assert (last.correct, last.answer, last.hints_used) == (True, None, 2)
    assert learning.last_attempt("other-lesson", "tensors.ex-no-bias") is None


def test_an_answer_recorded_as_plain_text_reads_back_as_that_text(learning: Learning) -> None:
    """Rows written before answers were kept as JSON hold the bare text (a choice's id)."""
    learning.store.record_attempt("quiz", "tensors.q-bias", "tensors", True, "b", 0, 1)
    last = learning.last_attempt("tensors", "tensors.q-bias")
    assert last is not None and last.answer == "b"
