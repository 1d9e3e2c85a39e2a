"""Bug Hunt: a short module with one classic bug; the learner picks the line.

Each puzzle is plain text with the bug's line numbers (1-based); its question, explanation and
symptom are catalogue messages (``game.bug.<kind>.*`` in tutor/strings/ui.yaml), which the
catalogue's checks (both languages, every key used) cover like any other string. The bug's lines
are every line of code where the fix really works: for a missing statement, each line it can go
right before or right after; for a wrong line, the line to replace. Blank lines hold no code and
never count.

What a pick means for a missing statement is what the feedback says ("add it right after line
X"): the statement goes right after the picked line. ``goes_after`` holds exactly the lines
where that works, checked on torch for every variant (tests/games/test_bug_hunt_fx8.py):
``opt.zero_grad()`` right after ``opt.step()`` is the idiom lesson 03 teaches and is right, right
after ``loss.backward()`` it wipes the fresh gradients before the step and is wrong; ``model.eval()``
right after ``with torch.no_grad():`` works (no_grad does not switch the mode, eval() does), right
after the first prediction it comes too late. ``demo`` is a runnable snippet that shows the
symptom in the sandbox; the games tests put the fix at every line and check that it works at
exactly the bug's lines.

A wrong pick for a missing statement gets a reason: ``misses`` says, for each line of code where
it does not work right after, what torch does with it there (tests/games/
test_bug_hunt_wrong_spots.py runs each and derives the same): an error raised before it runs,
an error it raises itself, the symptom still there (``symptom`` names it), or gradients wiped
(None, or zero) when the optimizer steps. The UI never imports torch, so this is data checked on torch.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from tutor.decks.errors import Message
from tutor.games.round_draw import draw_round
from tutor.i18n import Lang

CLASS_NAMES = ("TinyNet", "Classifier", "Encoder", "MiniMLP", "Scorer", "Head")

Outcome = Literal["too_late", "breaks", "stays", "stuck"]


@dataclass(frozen=True)
class Miss:
    """What happens when a missing statement goes right after a line where it does not fix the
    bug, as torch shows it: ``too_late``, line ``at`` raises ``error`` before the statement runs;
    ``breaks``, the statement itself raises ``error`` there (or the code no longer parses);
    ``stays``, the code runs and still shows the puzzle's symptom; ``stuck``, every optimizer
    step finds the gradients wiped (None, or zero), so nothing learns. ``error`` is the start of what
    Python says (its type and message)."""

    outcome: Outcome
    error: str = ""
    at: int = 0


BLOCK_INDENT = 4
"""How much deeper a block's body sits than the line that opens it, in every puzzle."""

EN = "en"
"""The language the demo's code is written in (its printed labels: :meth:`BugPuzzle.labelled`)."""

NO_INIT_YET = "AttributeError: cannot assign module before Module.__init__() call"


@dataclass(frozen=True)
class BugPuzzle:
    kind: str
    code: str
    bug_lines: frozenset[int]
    title: Message
    explain: Message
    fix: str
    demo: str
    goes_after: frozenset[int] | None = None
    """For a missing statement: the lines it works right after (a pick means "right after this
    line"); ``None`` for a wrong line."""
    misses: Mapping[int, Miss] = field(default_factory=dict)
    """For a missing statement: what happens right after each other line of code (the reason a
    wrong pick is given); empty for a wrong line."""
    symptom: Message | None = None
    """The symptom as a ``stays`` reason names it ("the gradients still pile up from one step
    to the next")."""
    labels: tuple[Message, ...] = ()
    """What the demo prints before its values, written in :attr:`demo` in English (the
    catalogue's ``en``) and said in the learner's language by :meth:`labelled`."""

    @property
    def missing(self) -> bool:
        """Whether the bug is a missing statement (rather than a wrong line)."""
        return self.goes_after is not None

    @property
    def right_lines(self) -> frozenset[int]:
        """The lines a learner is right to pick: those a missing statement works right after,
        or the wrong line itself."""
        return self.bug_lines if self.goes_after is None else self.goes_after

    @property
    def lines(self) -> list[str]:
        return self.code.rstrip("\n").split("\n")

    @property
    def answer(self) -> int:
        """The line to point at when showing the answer."""
        return min(self.right_lines)

    @property
    def bug_span(self) -> str:
        """The bug's lines as the feedback names them: ``5``, ``5–6``, ``2, 4–5``."""
        spans: list[list[int]] = []
        for line in sorted(self.bug_lines):
            if spans and line == spans[-1][1] + 1:
                spans[-1][1] = line
            else:
                spans.append([line, line])
        return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)

    @property
    def harness(self) -> tuple[int, str]:
        """What :attr:`demo` runs after the puzzle's code, and the demo's line number it starts
        at; ``(0, "")`` when the code shows the symptom on its own. Shown with the demo's output,
        so no print appears from nowhere."""
        if not self.demo.startswith(self.code):
            raise ValueError(f"{self.kind}: the demo must start with the puzzle's code")
        extra = self.demo[len(self.code) :]
        body = extra.lstrip("\n")
        if not body.strip():
            return 0, ""
        start = self.code.count("\n") + len(extra) - len(body) + 1
        return start, body.rstrip("\n")

    def labelled(self, code: str, lang: Lang | str) -> str:
        """``code`` (the demo, or its harness) with its printed :attr:`labels` in ``lang``: only
        in the harness's prints (:func:`_print_labelled`), so the puzzle's own code keeps any
        words a label shares with it."""
        own = self.code if code.startswith(self.code) else ""
        harness = code[len(own) :]
        for label in self.labels:
            harness = harness.replace(_label_print(label, EN), _label_print(label, lang))
        return own + harness

    def check(self, line: int) -> bool:
        return line in self.right_lines

    def fix_after(self, line: int) -> str:
        """The missing statement as it must sit right after ``line``: at that line's indent, one
        level deeper after a line that opens a block (``for ...:``, ``with ...:``, ``def ...:``).
        At column 0 after a loop's last line it ran after the loop, and after ``with ...:`` it
        did not parse; this indent, checked on torch at every right line (tests/games/
        test_bug_hunt_fix_indent.py), is what the feedback names."""
        text = self.lines[line - 1]
        indent = len(text) - len(text.lstrip(" "))
        if text.rstrip().endswith(":"):
            indent += BLOCK_INDENT
        return " " * indent + self.fix.strip()


def _label_print(label: Message, lang: Lang | str) -> str:
    """How a demo's print of ``label`` in ``lang`` begins, up to its value's brace."""
    return f"print(f'{label.text(lang)}{{"


def _print_labelled(label: Message, value: str) -> str:
    """A demo's line printing ``value`` (an expression, format spec and all) right behind
    ``label``, written in English (:meth:`BugPuzzle.labelled` says it in the learner's
    language). The label ends with its own separator ("parameters: ", "个数："), so the value
    follows with none."""
    return f"{_label_print(label, EN)}{value}}}')\n"


def _line_of(code: str, needle: str) -> int:
    for number, text in enumerate(code.split("\n"), start=1):
        if needle in text:
            return number
    raise ValueError(f"{needle!r} not in puzzle")


def _coded(code: str) -> list[int]:
    """The numbers of ``code``'s lines that hold code (blank lines are never a pick)."""
    return [n for n, text in enumerate(code.rstrip("\n").split("\n"), start=1) if text.strip()]


def _misses(code: str, goes_after: frozenset[int], odd: Mapping[int, Miss]) -> dict[int, Miss]:
    """What happens right after each line of code that is not in ``goes_after``: what ``odd``
    says for its lines, and for the others the symptom stays (the code runs, the bug shows)."""
    return {n: odd.get(n, Miss("stays")) for n in _coded(code) if n not in goes_after}


def _no_super(rng: random.Random) -> BugPuzzle:
    name, fin, hid = rng.choice(CLASS_NAMES), rng.choice([4, 8, 16]), rng.choice([16, 32])
    code = (
        f"class {name}(nn.Module):\n"
        f"    def __init__(self):\n"
        f"        self.fc1 = nn.Linear({fin}, {hid})\n"
        f"        self.fc2 = nn.Linear({hid}, 1)\n"
        f"\n"
        f"    def forward(self, x):\n"
        f"        return self.fc2(torch.relu(self.fc1(x)))\n"
    )
    return BugPuzzle(
        "no_super",
        code,
        frozenset({_line_of(code, "def __init__"), _line_of(code, "self.fc1 =")}),
        Message.of("game.bug.no_super.title"),
        Message.of("game.bug.no_super.explain", error=NO_INIT_YET),
        "        super().__init__()",
        code + f"\nnet = {name}()\n",
        # right after `def __init__`: after `self.fc1 = ...` is too late, that line raises
        goes_after=(goes_after := frozenset({_line_of(code, "def __init__")})),
        misses=_misses(
            code,
            goes_after,
            # in the class body super() has no method to belong to; from `self.fc1 = ...` on,
            # that line raises before it runs (forward() never runs at all)
            {1: Miss("breaks", "RuntimeError: super(): no arguments")}
            | {
                n: Miss("too_late", NO_INIT_YET, at=_line_of(code, "self.fc1 ="))
                for n in _coded(code)
                if n >= _line_of(code, "self.fc1 =")
            },
        ),
    )


def _plain_list(rng: random.Random) -> BugPuzzle:
    name, width, depth = rng.choice(CLASS_NAMES), rng.choice([8, 16, 32]), rng.choice([2, 3, 4])
    code = (
        f"class {name}(nn.Module):\n"
        f"    def __init__(self):\n"
        f"        super().__init__()\n"
        f"        self.layers = [nn.Linear({width}, {width}) for _ in range({depth})]\n"
        f"        self.out = nn.Linear({width}, 1)\n"
        f"\n"
        f"    def forward(self, x):\n"
        f"        for layer in self.layers:\n"
        f"            x = torch.relu(layer(x))\n"
        f"        return self.out(x)\n"
    )
    # the demo's printed labels, said in the learner's language (BugPuzzle.labelled)
    registered = Message.of("game.bug.plain_list.demo_registered")
    if_registered = Message.of("game.bug.plain_list.demo_if_registered")
    return BugPuzzle(
        "plain_list",
        code,
        frozenset({_line_of(code, "self.layers =")}),
        Message.of("game.bug.plain_list.title"),
        Message.of("game.bug.plain_list.explain"),
        f"        self.layers = nn.ModuleList(nn.Linear({width}, {width}) for _ in range({depth}))",
        code
        + f"\nnet = {name}()\n"
        + _print_labelled(registered, "sum(p.numel() for p in net.parameters())")
        + _print_labelled(if_registered, f"{depth} * ({width} * {width} + {width}) + {width} + 1"),
        labels=(registered, if_registered),
    )


def _eval_forgotten(rng: random.Random) -> BugPuzzle:
    p, width = rng.choice([0.2, 0.5]), rng.choice([8, 16])
    code = (
        f"model = nn.Sequential(\n"
        f"    nn.Linear({width}, {width}), nn.ReLU(), nn.Dropout({p}), nn.Linear({width}, 2)\n"
        f")\n"
        f"model.train()  # ... training happened here ...\n"
        f"x_test = torch.randn(4, {width})\n"
        f"with torch.no_grad():\n"
        f"    first = model(x_test)\n"
        f"    second = model(x_test)\n"
        f"print(torch.equal(first, second))\n"
    )
    return BugPuzzle(
        "eval_forgotten",
        code,
        # eval() works anywhere after training and before the first prediction
        frozenset(range(_line_of(code, "model.train()"), _line_of(code, "first = model") + 1)),
        Message.of("game.bug.eval_forgotten.title"),
        Message.of("game.bug.eval_forgotten.explain"),
        "model.eval()",
        code,
        # after training, before the first prediction: inside the no_grad() block works too,
        # as eval() switches the mode wherever it runs (no_grad() alone does not)
        goes_after=(
            goes_after := frozenset(
                range(_line_of(code, "model.train()"), _line_of(code, "first = model"))
            )
        ),
        # inside `nn.Sequential(...)` it is no statement; before `model.train()` that line
        # undoes it, after the first prediction it is too late: the predictions still differ
        misses=_misses(
            code,
            goes_after,
            dict.fromkeys(
                range(1, code.split("\n").index(")") + 1),  # inside the parentheses
                Miss("breaks", "SyntaxError: invalid syntax"),
            ),
        ),
        symptom=Message.of("game.bug.eval_forgotten.symptom"),
    )


def _double_softmax(rng: random.Random) -> BugPuzzle:
    name, fin, classes = rng.choice(CLASS_NAMES), rng.choice([8, 16]), rng.choice([3, 5, 10])
    code = (
        f"class {name}(nn.Module):\n"
        f"    def __init__(self):\n"
        f"        super().__init__()\n"
        f"        self.fc = nn.Linear({fin}, {classes})\n"
        f"\n"
        f"    def forward(self, x):\n"
        f"        return torch.softmax(self.fc(x), dim=-1)\n"
        f"\n"
        f"loss_fn = nn.CrossEntropyLoss()\n"
    )
    through_net = Message.of("game.bug.double_softmax.demo_through_net")
    raw_logits = Message.of("game.bug.double_softmax.demo_raw_logits")
    return BugPuzzle(
        "double_softmax",
        code,
        frozenset({_line_of(code, "torch.softmax")}),
        Message.of("game.bug.double_softmax.title"),
        Message.of("game.bug.double_softmax.explain"),
        "        return self.fc(x)",
        # The symptom is the gradient: compare what reaches fc through the model's forward with
        # what raw logits would give. Softmax's slope is at most 1/2 and near 1/classes at init,
        # so the first is under half the second (checked over 200 seeds); the fix makes them equal.
        code
        + f"\nnet = {name}()\n"
        + f"x, target = torch.randn(64, {fin}), torch.randint(0, {classes}, (64,))\n"
        + "loss_fn(net(x), target).backward()\n"
        + _print_labelled(through_net, "net.fc.weight.grad.norm():.4f")
        + "net.zero_grad()\n"
        + "loss_fn(net.fc(x), target).backward()\n"
        + _print_labelled(raw_logits, "net.fc.weight.grad.norm():.4f"),
        labels=(through_net, raw_logits),
    )


def _no_return(rng: random.Random) -> BugPuzzle:
    name, fin = rng.choice(CLASS_NAMES), rng.choice([4, 8, 16])
    code = (
        f"class {name}(nn.Module):\n"
        f"    def __init__(self):\n"
        f"        super().__init__()\n"
        f"        self.fc = nn.Linear({fin}, 1)\n"
        f"\n"
        f"    def forward(self, x):\n"
        f"        self.fc(x)\n"
        f"\n"
        f"out = {name}()(torch.randn(2, {fin}))\n"
    )
    return BugPuzzle(
        "no_return",
        code,
        frozenset({_line_of(code, "        self.fc(x)")}),
        Message.of("game.bug.no_return.title"),
        Message.of("game.bug.no_return.explain"),
        "        return self.fc(x)",
        code + "print(out)\n",
    )


def _no_zero_grad(rng: random.Random) -> BugPuzzle:
    # Without zero_grad() the summed gradient swings the weights back and forth around the
    # minimum like an undamped spring, at a pace set by lr and the curvature (x's covariance,
    # near the identity with 256 rows): at these lr the loss printed every 5 steps falls, then
    # climbs back, under each of 1000 torch seeds tried per variant (200 in tests/games/
    # test_bug_hunt_loss_bounces.py). With 32 rows, 100 steps and a print every 20 the pace
    # varied so much that in 2-5 % of seeds the printed losses happened to fall steadily.
    width, lr = rng.choice([4, 8]), rng.choice([0.05, 0.06])
    code = (
        f"model = nn.Linear({width}, 1)\n"
        f"opt = torch.optim.SGD(model.parameters(), lr={lr})\n"
        f"x, y = torch.randn(256, {width}), torch.randn(256, 1)\n"
        f"for step in range(25):\n"
        f"    loss = F.mse_loss(model(x), y)\n"
        f"    loss.backward()\n"
        f"    opt.step()\n"
    )
    return BugPuzzle(
        "no_zero_grad",
        code,
        # zero_grad() works anywhere in the loop but between backward() and step(), which would
        # throw the fresh gradient away: first in the body, before backward(), or after step()
        frozenset(range(_line_of(code, "for step in"), _line_of(code, "opt.step()") + 1)),
        Message.of("game.bug.no_zero_grad.title"),
        Message.of("game.bug.no_zero_grad.explain"),
        "    opt.zero_grad()",
        code + "    if step % 5 == 4:\n        print(f'step {step + 1}: loss {loss.item():.3f}')\n",
        # anywhere in the loop but between backward() and step(), where it would wipe the
        # fresh gradient before the step uses it: right after step() is lesson 03's idiom
        goes_after=(
            goes_after := frozenset(
                {
                    _line_of(code, "for step in"),
                    _line_of(code, "loss = F.mse_loss"),
                    _line_of(code, "opt.step()"),
                }
            )
        ),
        # before `opt` exists it cannot be called; before the loop it zeroes only once; right
        # after backward() every step finds the gradients wiped (None, or zero)
        misses=_misses(
            code,
            goes_after,
            {
                _line_of(code, "model = nn.Linear"): Miss(
                    "breaks", "NameError: name 'opt' is not defined"
                ),
                _line_of(code, "loss.backward()"): Miss("stuck"),
            },
        ),
        symptom=Message.of("game.bug.no_zero_grad.symptom"),
    )


KINDS: dict[str, Callable[[random.Random], BugPuzzle]] = {
    "no_super": _no_super,
    "plain_list": _plain_list,
    "eval_forgotten": _eval_forgotten,
    "double_softmax": _double_softmax,
    "no_return": _no_return,
    "no_zero_grad": _no_zero_grad,
}


def new_puzzle(
    rng: random.Random, kind: str | None = None, *, after: str | None = None
) -> BugPuzzle:
    """A round of ``kind``, or of a kind drawn at random other than ``after``."""
    return draw_round(rng, KINDS, kind, after=after)
