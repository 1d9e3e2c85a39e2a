"""Pure quiz logic: option shuffling with a seed, grading every quiz kind, predict answers."""

from tutor.quiz.grading import (
    Grade,
    grade_multiple,
    grade_order,
    grade_single,
    grade_true_false,
    shuffled,
)
from tutor.quiz.predict import (
    last_line,
    normalise_exact,
    parse_number,
    parse_shape,
    predict_matches,
)

__all__ = [
    "Grade",
    "grade_multiple",
    "grade_order",
    "grade_single",
    "grade_true_false",
    "last_line",
    "normalise_exact",
    "parse_number",
    "parse_shape",
    "predict_matches",
    "shuffled",
]
