"""The builtins the sandbox's own code looks names up in, while a run's code may patch the real
ones (``builtins.len = None``, ``builtins.eval = None``).

A run's code replacing a builtin reaches every module that looks it up in the ``builtins``
module, and the sandbox's own code runs in the run's process too: as the code runs (the output
channel's writes, the tracer's hooks, ``atexit.register``) and after it (the last value's repr,
the check, the result's encoding and sending). So each sandbox module whose code runs there sets,
right after its imports and before any ``def`` or ``class``::

    __builtins__ = PRIVATE_BUILTINS

A function looks builtins up where its module's ``__builtins__`` pointed when the function was
made (CPython 3.10 and later), so the order matters. The copy is taken once, when the sandbox's
modules are first imported (in a worker, as it starts and before any run; the UI process, which
imports ``sandbox.protocol``, takes one it never needs), so a sandbox module imported later,
during a run, gets the untouched builtins too. The learner's code runs in ``__main__``'s namespace, whose ``__builtins__`` is the real
module: a patch there works as it does in Python. Standard-library code the sandbox calls
(``traceback``, ``threading``) still uses the real ones: :func:`sandbox.runner.put_back_builtins`
serves there.
"""

from __future__ import annotations

import builtins
from typing import Any

PRIVATE_BUILTINS: dict[str, Any] = dict(vars(builtins))
"""The builtins as they were when the sandbox's modules were first imported."""
