"""Torch's own files are told from the learner's by torch's installed directory alone
(sandbox.torch_error_hints): a learner's file under a folder named torch is not torch's."""

from __future__ import annotations

import os
from types import CodeType

import pytest

from sandbox.torch_error_hints import _in_torch, _torch_file


def _code_in(filename: str) -> CodeType:
    return compile("pass", filename, "exec")


def test_torchs_own_file_is_told_by_its_directory():
    torch = pytest.importorskip("torch")
    linear = os.path.join(os.path.dirname(torch.__file__), "nn", "modules", "linear.py")
    assert _torch_file(_code_in(linear), "nn/modules/linear.py")
    assert not _torch_file(_code_in(linear), "nn/modules/conv.py")
    assert _in_torch(_code_in(linear))


def test_a_learners_file_in_a_folder_named_torch_is_not_torchs():
    pytest.importorskip("torch")
    learners = os.path.join(os.sep, "home", "learner", "torch", "nn", "modules", "linear.py")
    assert not _torch_file(_code_in(learners), "nn/modules/linear.py")
    assert not _in_torch(_code_in(learners))
