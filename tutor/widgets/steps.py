"""Which view shows which step."""

from __future__ import annotations

from typing import Any

from tutor.decks import model
from tutor.widgets.step_base import StepView


def make_step_view(step: Any, lesson_id: str, state: dict[str, Any]) -> StepView:
    if isinstance(step, model.TextStep):
        from tutor.widgets.step_text import TextStepView

        return TextStepView(step, lesson_id, state)
    if isinstance(step, model.CodeStep):
        from tutor.widgets.step_code import CodeStepView

        return CodeStepView(step, lesson_id, state)
    if isinstance(step, model.QuizStep):
        if isinstance(step.quiz, model.Order):
            from tutor.widgets.step_quiz_order import OrderQuizView

            return OrderQuizView(step, lesson_id, state)
        if isinstance(step.quiz, model.Predict):
            from tutor.widgets.step_quiz_predict import PredictQuizView

            return PredictQuizView(step, lesson_id, state)
        from tutor.widgets.step_quiz_choice import ChoiceQuizView

        return ChoiceQuizView(step, lesson_id, state)
    if isinstance(step, model.ExerciseStep):
        from tutor.widgets.step_exercise import ExerciseStepView

        return ExerciseStepView(step, lesson_id, state)
    if isinstance(step, model.CardStep):
        from tutor.widgets.step_card import CardStepView

        return CardStepView(step, lesson_id, state)
    from tutor.widgets.step_recap import RecapStepView

    return RecapStepView(step, lesson_id, state)


def step_kind(step: Any) -> str:
    if isinstance(step, model.QuizStep):
        return f"quiz.{step.quiz.KIND}"
    return step.TYPE
