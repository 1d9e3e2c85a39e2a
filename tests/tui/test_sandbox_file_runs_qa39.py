"""``nn-tutor sandbox DIR/file.py`` runs the file as ``python DIR/file.py`` would (QA 39): its
folder first on its import path (a module beside it imports), ``__file__`` set, and a traceback
naming the file, not ``<snippet>``."""

from __future__ import annotations

from tutor.screens.sandbox_screen import SandboxScreen

from .conftest import screen_text, wait_for


async def test_a_file_opened_from_elsewhere_imports_its_neighbour_and_knows_its_name(
    app_factory, real_sandbox, tmp_path
):
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "mymodel.py").write_text("import torch.nn as nn\nclass Net(nn.Linear):\n    pass\n")
    script = proj / "train.py"
    script.write_text(
        "from mymodel import Net\nprint('module', Net.__module__)\nprint('file', __file__)\n"
        "raise ValueError('stop here')\n"
    )
    app = app_factory(sandbox=real_sandbox(), start="sandbox", start_arg=str(script))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        app.screen.action_run()
        await wait_for(pilot, lambda: "stop here" in screen_text(app), tries=1500)
        shown = screen_text(app)
    assert "module mymodel" in shown
    assert f"file {script}" in shown
    assert f'File "{script}", line 4' in shown
    assert "<snippet>" not in shown
