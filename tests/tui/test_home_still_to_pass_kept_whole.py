"""The course map keeps a finished lesson's "N still to pass" count on one row (QA, zh, 80×24:
the Welcome's line broke it as "6 道未" with "通过" on the next row, or "6" / "道未通过").
Seeded as a QA walk leaves it: every step seen, every quiz answered wrong, the exercise passed
or not (passed, a mastery comes before the count and moves where the line breaks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.i18n import tr

from .conftest import make_app, ready, screen_text, wait_for
from .test_home_mastery_kept_whole import finish_with_quizzes_wrong, lesson_rows

ROOT = Path(__file__).resolve().parents[2]

WIDTHS = {False: range(76, 85), True: range(88, 98)}
"""The widths about where the count broke before the fix, the exercise passed or not: 80 (the
QA's) with no mastery shown; in the high 80s and 90s with one."""


@pytest.mark.parametrize("exercise_passed", [False, True])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_still_to_pass_count_stays_on_one_row(
    tmp_path: Path, lang: str, exercise_passed: bool
) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"], learning=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.learning is not None)
        open_checks = (await finish_with_quizzes_wrong(pilot, exercise_passed)).open_checks
        assert open_checks > 1
        app.screen.load_progress()
        count = tr("home.still_to_pass", lang, count=open_checks)
        await wait_for(pilot, lambda: count in screen_text(app))  # the progress is read
        for width in WIDTHS[exercise_passed]:
            await pilot.resize_terminal(width, 24)
            await wait_for(
                pilot, lambda wanted=width: app.screen.size.width == wanted
            )  # (laid out anew)
            rows = lesson_rows(app)
            assert any(count in row for row in rows), (width, count, rows)
