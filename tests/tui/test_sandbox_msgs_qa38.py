"""QA pass 34, in the run panel: a crash is said once, and an indentation error in code that
mixes tabs with spaces says where the tab is; real runs, drawn at 80x24."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tutor.widgets.run_panel import RunPanel

from .conftest import PanelApp, drawn

SEGV = "print('before')\nimport ctypes\nctypes.string_at(0)\n"
TABS = "for i in range(2):\n\tx = i\n    print(x)\n"


class ChinesePanelApp(PanelApp):
    lang = "zh"


@pytest.fixture(scope="module")
def box() -> Iterator[object]:
    from sandbox import Sandbox

    with Sandbox(timeout_s=30) as sandbox:
        yield sandbox


async def shown_after(app: PanelApp, result: object) -> str:
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(RunPanel).finish(result)
        await pilot.pause()
        return drawn(app)


@pytest.mark.parametrize(
    ("app", "said", "not_said"),
    [
        (PanelApp, "Crashed: Segmentation fault (SIGSEGV)", "crashed: the run crashed"),
        (ChinesePanelApp, "崩溃：收到信号 SIGSEGV", "崩溃：运行崩溃了"),
    ],
)
async def test_a_segfault_is_said_once(box, app, said, not_said):
    screen = await shown_after(app(), box.run(SEGV))
    assert said in screen, screen
    assert not_said not in screen.lower(), screen
    # only the run's own process died: the worker was not restarted
    assert "worker" not in screen.lower() and "工作进程" not in screen, screen


@pytest.mark.parametrize(
    ("app", "said"),
    [
        (PanelApp, "mixes tabs and spaces in its indentation: line 2 has a tab"),
        (ChinesePanelApp, "缩进混用了制表符和空格，第 2 行就有制表符"),
    ],
)
async def test_mixed_tabs_are_named_under_an_indentation_error(box, app, said):
    screen = await shown_after(app(), box.run(TABS))
    # the line as drawn, wrapped (a Chinese line breaks between any two characters)
    assert said.replace(" ", "") in "".join(screen.split()), screen
