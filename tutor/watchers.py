"""Letting go of what a node watched on another object (the app's ``lang``, ``cuda``, ...)."""

from __future__ import annotations

from typing import Any


def stop_watching(obj: Any, leaving: Any) -> None:
    """Drop from ``obj``'s watchers those of ``leaving`` (a node being unmounted) and of nodes
    already closed.

    ``node.watch(obj, ...)`` puts ``(node, callback)`` in ``obj``'s list of watchers, and Textual
    drops a closed node's entry only when that reactive next changes: until then it keeps the
    node, and every widget it holds, alive (a screen's Header watches the app's title; a device
    toggle the app's CUDA flag: ~40 MB a walk of the course, with the screens' own watchers). Textual keeps the lists under
    ``__watchers``, and a closed node is one whose ``_closing`` is set, as it tests itself.
    """
    for watchers in getattr(obj, "__watchers", {}).values():
        watchers[:] = [
            (node, callback)
            for node, callback in watchers
            if node is not leaving and not getattr(node, "_closing", False)
        ]
