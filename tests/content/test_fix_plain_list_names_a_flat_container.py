"""l07.ex-fix-plain-list names a flat container of layers, run through the real sandbox as the app
runs a Check.

QA found a plausible wrong fix, one ModuleList that alternates ``Linear`` and ``ReLU``, told only
"the last hidden Linear should appear in the state_dict as hidden.2.0.weight". Its keys are
``hidden.0.weight, hidden.2.weight, hidden.4.weight``: what is wrong is that each ``hidden[i]`` is a
single layer, not a block holding a Linear and its ReLU. The check now says so, in both languages.
"""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary

from .test_check_messages_leave_the_fix_to_hints import failed_message_in_each_language
from .test_exercise_alternatives import Case as Attempt
from .test_exercise_alternatives import failed_check_message
from .test_exercise_alternatives import test_exercise_check_judges_the_attempt as judged
from .test_exercise_hints_nudge import exercise

FIX_PLAIN_LIST = "l07.ex-fix-plain-list"


def _with_hidden(build: str) -> str:
    """The starter's ``DeepMLP`` with ``__init__`` building ``self.hidden`` by ``build``."""
    return (
        "class DeepMLP(nn.Module):\n"
        "    def __init__(self, width=8, depth=3):\n"
        "        super().__init__()\n"
        f"{build}"
        "        self.out = nn.Linear(width, 1)\n\n"
        "    def forward(self, x):\n"
        "        for layer in self.hidden:\n"
        "            x = layer(x)\n"
        "        return self.out(x)\n"
    )


FLAT_MODULE_LIST = _with_hidden(
    "        self.hidden = nn.ModuleList()\n"
    "        for _ in range(depth):\n"
    "            self.hidden.append(nn.Linear(width, width))\n"
    "            self.hidden.append(nn.ReLU())\n"
)
FLAT_SEQUENTIAL = _with_hidden(
    "        layers = []\n"
    "        for _ in range(depth):\n"
    "            layers += [nn.Linear(width, width), nn.ReLU()]\n"
    "        self.hidden = nn.Sequential(*layers)\n"
)
FLAT_KEYS = "hidden.0.weight, hidden.2.weight, hidden.4.weight"

# Containers whose hidden layers cannot be reached as model.hidden[0], [1], [2]: once, indexing
# them raised a bare ``KeyError: 0`` or ``IndexError: index 1 is out of range`` from the check.
MODULE_DICT_OF_BLOCKS = _with_hidden(
    "        self.hidden = nn.ModuleDict({\n"
    "            f'block{i}': nn.Sequential(nn.Linear(width, width), nn.ReLU()) for i in range(depth)\n"
    "        })\n"
)
SEQUENTIAL_WRAPPING_SEQUENTIAL = _with_hidden(
    "        self.hidden = nn.Sequential(nn.Sequential(*[\n"
    "            nn.Sequential(nn.Linear(width, width), nn.ReLU()) for _ in range(depth)\n"
    "        ]))\n"
)

ATTEMPTS = [
    Attempt(FIX_PLAIN_LIST, "flat-module-list", FLAT_MODULE_LIST, False, FLAT_KEYS),
    Attempt(FIX_PLAIN_LIST, "flat-sequential", FLAT_SEQUENTIAL, False, FLAT_KEYS),
    Attempt(FIX_PLAIN_LIST, "module-dict", MODULE_DICT_OF_BLOCKS, False, "model.hidden[0]"),
    Attempt(
        FIX_PLAIN_LIST,
        "sequential-wrapping-sequential",
        SEQUENTIAL_WRAPPING_SEQUENTIAL,
        False,
        "model.hidden[1]",
    ),
    Attempt(
        FIX_PLAIN_LIST,
        "append-loop-of-blocks",
        _with_hidden(
            "        self.hidden = nn.ModuleList()\n"
            "        for _ in range(depth):\n"
            "            self.hidden.append(nn.Sequential(nn.Linear(width, width), nn.ReLU()))\n"
        ),
        True,
    ),
    Attempt(
        FIX_PLAIN_LIST,
        "sequential-of-blocks",
        _with_hidden(
            "        self.hidden = nn.Sequential(*[\n"
            "            nn.Sequential(nn.Linear(width, width), nn.ReLU()) for _ in range(depth)\n"
            "        ])\n"
        ),
        True,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.label)
def test_the_check_names_a_flat_container(
    attempt: Attempt, library: DeckLibrary, sb: Sandbox
) -> None:
    judged(attempt, library, sb)


@pytest.mark.slow
@pytest.mark.parametrize("code", [FLAT_MODULE_LIST, FLAT_SEQUENTIAL], ids=["list", "sequential"])
def test_both_languages_say_each_hidden_entry_is_one_block(
    code: str, library: DeckLibrary, sb: Sandbox
) -> None:
    message = failed_check_message(code, exercise(library, FIX_PLAIN_LIST), sb)
    assert set(message) == {"en", "zh"}, message
    for lang, said in message.items():
        for words in ("hidden.0.weight", "hidden.4.weight", "model.hidden[i]", "Linear", "ReLU"):
            assert words in said, f"the {lang} message does not say {words!r}: {said!r}"
        assert "nn.ModuleList" not in said, f"the {lang} message hands over the fix: {said!r}"
    # each layer is put in as an entry of its own (not "saved as one", which reads as a file)
    assert "把每一层都单独作为一项" in message["zh"], message["zh"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "code, says, told",
    [
        (
            MODULE_DICT_OF_BLOCKS,
            ("model.hidden[0]", "ModuleDict", "block0", "block2"),
            {"en": "keyed by name", "zh": "按名字取用"},
        ),
        (
            SEQUENTIAL_WRAPPING_SEQUENTIAL,
            ("model.hidden[1]", "Sequential"),
            {"en": "of 1 entry", "zh": "只有 1 项"},
        ),
    ],
    ids=["module-dict", "sequential-wrapping-sequential"],
)
def test_both_languages_say_which_hidden_index_fails_and_why(
    code: str, says: tuple[str, ...], told: dict[str, str], library: DeckLibrary, sb: Sandbox
) -> None:
    """The message names the index that fails and what model.hidden is, not a raw Python error."""
    message = failed_check_message(code, exercise(library, FIX_PLAIN_LIST), sb)
    assert isinstance(message, dict) and set(message) == {"en", "zh"}, message
    for lang, said in message.items():
        for words in (*says, told[lang], "model.hidden[2]"):
            assert words in said, f"the {lang} message does not say {words!r}: {said!r}"
        for leaked in ("KeyError", "IndexError", "nn.ModuleList"):
            assert leaked not in said, f"the {lang} message says {leaked!r}: {said!r}"


@pytest.mark.slow
def test_the_reference_solution_passes(library: DeckLibrary, sb: Sandbox) -> None:
    solution = exercise(library, FIX_PLAIN_LIST).solution
    judged(Attempt(FIX_PLAIN_LIST, "reference", solution, True), library, sb)


# A plain list is why torch finds too few parameters and no hidden.* keys: the check names the
# plain list (tuple, dict) first, then what follows from it, true to where its entries went.
BLOCK = "nn.Sequential(nn.Linear(width, width), nn.ReLU())"
PLAIN_LIST_OF_TWO_BLOCKS = _with_hidden(f"        self.hidden = [{BLOCK} for _ in range(2)]\n")
PLAIN_TUPLE = _with_hidden(f"        self.hidden = tuple({BLOCK} for _ in range(depth))\n")
PLAIN_DICT = _with_hidden(f"        self.hidden = {{str(i): {BLOCK} for i in range(depth)}}\n")
# one block of three registered under a name of its own: the other two are not registered at all
ONE_BLOCK_REGISTERED = _with_hidden(
    f"        self.hidden = [{BLOCK} for _ in range(depth)]\n        self.first = self.hidden[0]\n"
)
# every Linear registered, as 8 parameters, but not one block of the list
ITS_LINEARS_REGISTERED = _with_hidden(
    f"        self.hidden = [{BLOCK} for _ in range(depth)]\n"
    "        self.linears = nn.ModuleList([block[0] for block in self.hidden])\n"
)
TWO_PARAMETER_TENSORS = {"en": "finds 2 parameter tensors, not 8", "zh": "只找到 2 个参数张量"}


def plain_first(kind: str) -> dict[str, str]:
    """How the message begins, in each language, for a plain ``kind`` (list, tuple, dict)."""
    return {
        "en": f"model.hidden is still a plain {kind}, which torch does not look inside: ",
        "zh": f"model.hidden 仍是普通的 {kind}，torch 不会查看其中的模块：",
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "code, kind, then",
    [
        ("", "list", TWO_PARAMETER_TENSORS),
        (PLAIN_LIST_OF_TWO_BLOCKS, "list", TWO_PARAMETER_TENSORS),
        (PLAIN_TUPLE, "tuple", TWO_PARAMETER_TENSORS),
        (PLAIN_DICT, "dict", TWO_PARAMETER_TENSORS),
        (
            ONE_BLOCK_REGISTERED,
            "list",
            {
                "en": "only 1 of its 3 entries is registered (under first), the other 2 are not registered at all",
                "zh": "它的 3 项中只有 1 项注册在了 first 名下，其余 2 项根本没有注册",
            },
        ),
        (
            ITS_LINEARS_REGISTERED,
            "list",
            {"en": "none of its 3 entries is registered", "zh": "它的 3 项都没有注册"},
        ),
    ],
    ids=[
        "starter",
        "two-blocks",
        "tuple",
        "dict",
        "one-block-registered",
        "its-linears-registered",
    ],
)
def test_a_plain_list_is_named_before_what_it_causes(
    code: str, kind: str, then: dict[str, str], library: DeckLibrary, sb: Sandbox
) -> None:
    message = failed_message_in_each_language(code, exercise(library, FIX_PLAIN_LIST), sb)
    for lang, said in message.items():
        assert said.startswith(plain_first(kind)[lang]), f"the {lang} message: {said!r}"
        assert then[lang] in said, f"the {lang} message does not say {then[lang]!r}: {said!r}"
        assert "nn.ModuleList" not in said, f"the {lang} message hands over the fix: {said!r}"
