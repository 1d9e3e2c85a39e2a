"""l04.ex-last-valid-state tells a learner who packs its batch-first ``x`` as time-first that this
``x`` is batch-first (which ``pack_padded_sequence`` must be told), run through the real sandbox as
the app runs a Check. The message names the fault and leaves the argument to the hints.

QA found torch's bare "start (13) + length (1) exceeds dimension size (13)" shown for a packing
without ``batch_first=True``. The check blames the layout only where it is what is wrong: where the
learner's function gets every state right when handed the same batch time-first.
"""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary

from .test_exercise_alternatives import Case as Attempt
from .test_exercise_alternatives import failed_check_message
from .test_exercise_alternatives import test_exercise_check_judges_the_attempt as judged
from .test_exercise_hints_nudge import exercise

LAST_VALID = "l04.ex-last-valid-state"


def _packing(arguments: str, layer: int = -1) -> str:
    """A ``last_hidden`` packing ``x`` with ``arguments`` and returning ``h_n[layer]``."""
    return (
        "from torch.nn.utils.rnn import pack_padded_sequence\n\n"
        "def last_hidden(gru, x, lengths):\n"
        f"    packed = pack_padded_sequence(x, lengths, {arguments})\n"
        "    _, h_n = gru(packed)\n"
        f"    return h_n[{layer}]\n"
    )


ATTEMPTS = [
    Attempt(
        LAST_VALID,
        "packed-as-time-first",
        _packing("enforce_sorted=False"),
        False,
        "this x is batch-first",
    ),
    Attempt(
        LAST_VALID,
        "packed-positionally-in-one-line",
        "from torch.nn.utils.rnn import pack_padded_sequence\n\n"
        "def last_hidden(gru, x, lengths):\n"
        "    return gru(pack_padded_sequence(x, lengths.cpu(), True, False))[1][-1]\n",
        True,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.label)
def test_the_check_tells_a_time_first_packing_its_x_is_batch_first(
    attempt: Attempt, library: DeckLibrary, sb: Sandbox
) -> None:
    judged(attempt, library, sb)


@pytest.mark.slow
def test_the_layout_is_named_in_chinese_too_and_the_fix_left_to_the_hints(
    library: DeckLibrary, sb: Sandbox
) -> None:
    step = exercise(library, LAST_VALID)
    message = failed_check_message(_packing("enforce_sorted=False"), step, sb)
    assert all("batch_first=True" not in said for said in message.values())
    assert "这个 x 是 batch-first 的" in message["zh"], message


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "names"),
    [
        # batch_first given, lengths unsorted: torch's own words on enforce_sorted stand
        (_packing("batch_first=True"), ("`enforce_sorted` is True", "in your code, line 4")),
        # time-first and the bottom layer: torch's error from packing stands, batch_first would
        # not be all that is wrong
        (_packing("enforce_sorted=False", layer=0), ("exceeds dimension", "in your code, line 5")),
    ],
    ids=["sorted-lengths-enforced", "time-first-and-bottom-layer"],
)
def test_the_layout_is_not_blamed_where_it_would_not_fix_the_function(
    code: str, names: tuple[str, ...], library: DeckLibrary, sb: Sandbox
) -> None:
    # torch's error, as the check's call into last_hidden raised it: the sandbox words it
    result = sb.run(code, device="cpu", check=exercise(library, LAST_VALID).check)
    assert result.check is not None and result.check.code == "raised_in_code", result.check
    said = result.check.message
    assert isinstance(said, str) and "batch-first" not in said, said
    assert all(words in said for words in names), said


@pytest.mark.slow
def test_the_reference_solution_passes(library: DeckLibrary, sb: Sandbox) -> None:
    solution = exercise(library, LAST_VALID).solution
    judged(Attempt(LAST_VALID, "reference", solution, True), library, sb)


def _printing(code: str) -> str:
    """``code``'s ``last_hidden`` with a ``print`` of the shape it is handed as its first line."""
    head, body = code.split("def last_hidden(gru, x, lengths):\n")
    return f"{head}def last_hidden(gru, x, lengths):\n    print('x is', tuple(x.shape))\n{body}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "says"),
    [
        # raises, and reads x time-first: the check calls it again time-first, unseen
        (_packing("enforce_sorted=False"), "this x is batch-first"),
        # returns the bottom layer: wrong, but no sign of a time-first reading, so no second call
        (_packing("batch_first=True, enforce_sorted=False", layer=0), "first (bottom) layer"),
    ],
    ids=["time-first-raises", "bottom-layer-returns"],
)
def test_the_learner_sees_only_the_call_they_made(
    code: str, says: str, library: DeckLibrary, sb: Sandbox
) -> None:
    """The learner's prints show once, for the batch-first x the check hands them, and the
    message is the one their own call earns."""
    step = exercise(library, LAST_VALID)
    result = sb.run(_printing(code), device="cpu", check=step.check)
    assert result.check is not None and not result.ok
    assert result.stdout.count("x is") == 1, result.stdout
    assert "x is (4, 5, 3)" in result.stdout, result.stdout
    assert says in result.check.message["en"], result.check.message


PACKS_SEQUENCES_TIME_FIRST = (
    "from torch.nn.utils.rnn import pack_sequence\n\n"
    "def last_hidden(gru, x, lengths):\n"
    "    seqs = [x[: lengths[i], i] for i in range(x.shape[1])]\n"
    "    _, h_n = gru(pack_sequence(seqs, enforce_sorted=False))\n"
    "    return h_n[-1]\n"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "names_the_packing"),
    [(_packing("enforce_sorted=False"), True), (PACKS_SEQUENCES_TIME_FIRST, False)],
    ids=["pack_padded_sequence", "pack_sequence"],
)
def test_pack_padded_sequence_is_named_only_to_a_function_that_calls_it(
    code: str, names_the_packing: bool, library: DeckLibrary, sb: Sandbox
) -> None:
    said = failed_check_message(code, exercise(library, LAST_VALID), sb)
    assert "this x is batch-first" in said["en"] and "这个 x 是 batch-first 的" in said["zh"], said
    assert all(("pack_padded_sequence" in words) == names_the_packing for words in said.values()), (
        said
    )
