"""``nn-tutor check``: run every snippet, verify block, predict item and exercise in the sandbox."""

from tutor.checking.judge import UnitOutcome, judge
from tutor.checking.units import CheckUnit, collect_units

__all__ = ["CheckUnit", "UnitOutcome", "collect_units", "judge"]
