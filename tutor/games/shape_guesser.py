"""Shape Guesser: a random layer and input; the learner types the output shape.

The expected shape is computed here from the layer's formula so the game can be tested without
torch; in the app the sandbox runs :attr:`ShapeChallenge.code` and the real shape is the truth.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tutor.decks.errors import Message
from tutor.games.round_draw import draw_round
from tutor.quiz.predict import parse_shape


@dataclass(frozen=True)
class ShapeChallenge:
    kind: str
    layer: str  # source of the layer, e.g. "nn.Linear(8, 4)"
    input: str  # source of the input, e.g. "torch.randn(2, 8)"
    input_shape: tuple[int, ...]
    expected: tuple[int, ...]
    rule: Message
    """The formula, explained: a catalogue message (``game.shape.<kind>.rule`` in
    tutor/strings/ui.yaml), which the catalogue's checks (both languages, every key used) cover."""
    takes_first: bool = False  # the layer returns a tuple (LSTM): look at element 0
    worked: str = ""
    """The rule with this round's numbers (``L_out = ⌊(20 + 2·1 − 5) / 2⌋ + 1 = 9``): maths
    only, the same in every language."""

    @property
    def call(self) -> str:
        """What gives ``out``, in the code run and the code shown alike."""
        return "layer(x)[0]" if self.takes_first else "layer(x)"

    @property
    def code(self) -> str:
        return (
            f"layer = {self.layer}\nx = {self.input}\nout = {self.call}\nprint(tuple(out.shape))\n"
        )

    def check(self, answer: str, truth: tuple[int, ...] | None = None) -> bool:
        """Whether ``answer`` names the output shape (``truth`` from the sandbox when known)."""
        parsed = parse_shape(answer)
        return parsed is not None and parsed == (self.expected if truth is None else truth)


def _conv_out(size: int, k: int, s: int, p: int) -> int:
    return (size + 2 * p - k) // s + 1


def _worked_conv(name: str, size: int, k: int, s: int, p: int) -> str:
    """``name = ⌊(size + 2·p − k) / s⌋ + 1 = out``; no padding term when there is none."""
    padded = f"{size} + 2·{p} − {k}" if p else f"{size} − {k}"
    return f"{name} = ⌊({padded}) / {s}⌋ + 1 = {_conv_out(size, k, s, p)}"


def _becomes(before: tuple[int, ...], after: tuple[int, ...]) -> str:
    return f"{before} → {after}"


def _randn(shape: tuple[int, ...]) -> str:
    return f"torch.randn({', '.join(map(str, shape))})"


def _linear(rng: random.Random) -> ShapeChallenge:
    fin, fout, batch = rng.choice([3, 8, 16, 32]), rng.choice([1, 2, 4, 10, 64]), rng.randint(2, 8)
    shape: tuple[int, ...] = (batch, fin)
    if rng.random() < 0.5:
        shape = (batch, rng.randint(2, 6), fin)
    return ShapeChallenge(
        "linear",
        f"nn.Linear({fin}, {fout})",
        _randn(shape),
        shape,
        (*shape[:-1], fout),
        Message.of("game.shape.linear.rule"),
        worked=_becomes(shape, (*shape[:-1], fout)),
    )


def _conv2d(rng: random.Random) -> ShapeChallenge:
    cin, cout = rng.choice([1, 3, 8]), rng.choice([4, 8, 16])
    k, s = rng.choice([1, 3, 5]), rng.choice([1, 2])
    p = rng.choice([0, k // 2])
    batch, size = rng.randint(1, 8), rng.choice([8, 16, 28, 32])
    shape = (batch, cin, size, size)
    out = _conv_out(size, k, s, p)
    return ShapeChallenge(
        "conv2d",
        f"nn.Conv2d({cin}, {cout}, kernel_size={k}, stride={s}, padding={p})",
        _randn(shape),
        shape,
        (batch, cout, out, out),
        Message.of("game.shape.conv2d.rule"),
        worked=f"{_worked_conv('H_out', size, k, s, p)} ⇒ {(batch, cout, out, out)}",
    )


def _conv1d(rng: random.Random) -> ShapeChallenge:
    cin, cout = rng.choice([1, 4, 16]), rng.choice([2, 8, 32])
    k, s, p = rng.choice([3, 5]), rng.choice([1, 2]), rng.choice([0, 1, 2])
    batch, length = rng.randint(1, 6), rng.choice([10, 20, 50, 100])
    shape = (batch, cin, length)
    return ShapeChallenge(
        "conv1d",
        f"nn.Conv1d({cin}, {cout}, kernel_size={k}, stride={s}, padding={p})",
        _randn(shape),
        shape,
        (batch, cout, _conv_out(length, k, s, p)),
        Message.of("game.shape.conv1d.rule"),
        worked=f"{_worked_conv('L_out', length, k, s, p)} ⇒ {(batch, cout, _conv_out(length, k, s, p))}",
    )


def _maxpool(rng: random.Random) -> ShapeChallenge:
    k = rng.choice([2, 3])
    batch, chans, size = rng.randint(1, 8), rng.choice([3, 8, 16]), rng.choice([8, 9, 16, 28, 32])
    shape = (batch, chans, size, size)
    out = _conv_out(size, k, k, 0)
    return ShapeChallenge(
        "maxpool2d",
        f"nn.MaxPool2d({k})",
        _randn(shape),
        shape,
        (batch, chans, out, out),
        Message.of("game.shape.maxpool2d.rule"),
        worked=f"{_worked_conv('H_out', size, k, k, 0)} ⇒ {(batch, chans, out, out)}",
    )


def _flatten(rng: random.Random) -> ShapeChallenge:
    shape = (
        rng.randint(1, 8),
        rng.choice([3, 8, 16]),
        rng.choice([2, 4, 7]),
        rng.choice([2, 4, 7]),
    )
    return ShapeChallenge(
        "flatten",
        "nn.Flatten()",
        _randn(shape),
        shape,
        (shape[0], shape[1] * shape[2] * shape[3]),
        Message.of("game.shape.flatten.rule"),
        worked=f"({shape[0]}, {shape[1]}·{shape[2]}·{shape[3]}) = "
        f"({shape[0]}, {shape[1] * shape[2] * shape[3]})",
    )


def _embedding(rng: random.Random) -> ShapeChallenge:
    num, dim = rng.choice([10, 100, 1000]), rng.choice([4, 16, 32])
    batch, length = rng.randint(1, 8), rng.randint(3, 12)
    return ShapeChallenge(
        "embedding",
        f"nn.Embedding({num}, {dim})",
        f"torch.randint(0, {num}, ({batch}, {length}))",
        (batch, length),
        (batch, length, dim),
        Message.of("game.shape.embedding.rule"),
        worked=_becomes((batch, length), (batch, length, dim)),
    )


def _lstm(rng: random.Random) -> ShapeChallenge:
    fin, hidden = rng.choice([4, 8, 16]), rng.choice([8, 16, 32])
    batch, length = rng.randint(1, 6), rng.randint(3, 10)
    shape = (batch, length, fin)
    return ShapeChallenge(
        "lstm",
        f"nn.LSTM({fin}, {hidden}, batch_first=True)",
        _randn(shape),
        shape,
        (batch, length, hidden),
        Message.of("game.shape.lstm.rule"),
        takes_first=True,
        worked=_becomes(shape, (batch, length, hidden)),
    )


def _adaptive(rng: random.Random) -> ShapeChallenge:
    batch, chans, size = rng.randint(1, 8), rng.choice([8, 64]), rng.choice([7, 14, 32])
    out = rng.choice([1, 2, 4])
    shape = (batch, chans, size, size)
    return ShapeChallenge(
        "adaptive_avgpool2d",
        f"nn.AdaptiveAvgPool2d({out})",
        _randn(shape),
        shape,
        (batch, chans, out, out),
        Message.of("game.shape.adaptive_avgpool2d.rule"),
        worked=_becomes(shape, (batch, chans, out, out)),
    )


KINDS: dict[str, Callable[[random.Random], ShapeChallenge]] = {
    "linear": _linear,
    "conv2d": _conv2d,
    "conv1d": _conv1d,
    "maxpool2d": _maxpool,
    "flatten": _flatten,
    "embedding": _embedding,
    "lstm": _lstm,
    "adaptive_avgpool2d": _adaptive,
}


def new_challenge(
    rng: random.Random, kind: str | None = None, *, after: str | None = None
) -> ShapeChallenge:
    """A round of ``kind``, or of a kind drawn at random other than ``after``."""
    return draw_round(rng, KINDS, kind, after=after)
