"""nn-tutor: a terminal tutor that teaches PyTorch's torch.nn from the inside.

The UI process never imports torch; only the sandbox worker does (see ``sandbox/``).
"""

__version__ = "0.1.0"
