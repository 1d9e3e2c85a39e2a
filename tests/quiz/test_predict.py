"""Reading a typed prediction: spaces that change what a line says count, spaces beside
punctuation do not, and what a Chinese input method types reads as the ASCII it stands for."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.decks import model
from tutor.decks.loader import DeckLoader
from tutor.games.shape_guesser import new_challenge
from tutor.quiz import normalise_exact, parse_number, parse_shape, predict_matches
from tutor.quiz.predict import DTYPE_PRINTED_AS

ROOT = Path(__file__).resolve().parents[2]


def full_width(text: str) -> str:
    """``text`` as a Chinese input method in full-width mode types it."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def shipped_predict_items() -> list[model.Predict]:
    library = DeckLoader([ROOT / "lessons", ROOT / "cards"]).load()
    return [q for lesson in library.lessons for q in lesson.quizzes if isinstance(q, model.Predict)]


@pytest.mark.parametrize(
    ("answer", "truth"),
    [("25", "2 5"), ("30 True", "3 0 True"), ("00", "0 0"), ("TrueTrue", "True True")],
)
def test_a_space_between_words_or_numbers_counts(answer: str, truth: str) -> None:
    assert not predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("torch.Size([4,2])", "torch.Size([4, 2])"),
        ("torch.Size( [ 4 , 2 ] )", "torch.Size([4, 2])"),
        ("  3   0\tTrue ", "3 0 True"),
        ("['0','1']", "['0', '1']"),
        ("(5,3,8)  (3,5,5)", "(5, 3, 8) (3, 5, 5)"),
        ("fwd-pre>fwd > bwd-pre>bwd", "fwd-pre > fwd > bwd-pre > bwd"),
        ("tensor([1,-2])", "tensor([ 1, -2])"),  # torch pads numbers to line them up
        ("{'a': 1}", "{'a':1}"),
    ],
)
def test_spaces_beside_punctuation_and_runs_of_spaces_do_not_count(answer: str, truth: str):
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth", "match"),
    [
        ("（4，2）", "torch.Size([4, 2])", "shape"),
        ("【4，2】", "torch.Size([4, 2])", "shape"),
        ("４ｘ２", "torch.Size([4, 2])", "shape"),
        ("torch.Size（【4，2】）", "torch.Size([4, 2])", "exact"),
        ("Ｔｒｕｅ　Ｔｒｕｅ", "True True", "exact"),
        ("［‘gain’，‘proj.weight’］", "['gain', 'proj.weight']", "exact"),
        ("《class ‘torch.Tensor’》", "<class 'torch.Tensor'>", "exact"),
        ("－０．５", "-0.5", "number"),
        ("0。5", "0.5", "number"),
        ("tensor（3．）", "tensor(3.)", "number"),
    ],
)
def test_what_a_chinese_input_method_types_reads_as_ascii(answer: str, truth: str, match: str):
    assert predict_matches(answer, truth, match)


@pytest.mark.parametrize(
    ("answer", "truth", "match"),
    [("−0.5", "-0.5", "number"), ("tensor(−3.)", "tensor(-3.)", "number"), ("−1", "-1", "exact")],
)
def test_a_typographic_minus_reads_as_the_minus_python_prints(answer: str, truth: str, match: str):
    """U+2212 MINUS SIGN (a keyboard layout's or an editor's minus, a formula copied from a
    paper): NFKC keeps it, Python's ``float`` refuses it."""
    assert predict_matches(answer, truth, match)


def test_the_parsers_read_full_width_answers():
    assert parse_shape("（4，2）") == (4, 2)
    assert parse_shape("ｔｏｒｃｈ．Ｓｉｚｅ（［］）") == ()
    assert parse_number("－１ｅ－３") == -0.001
    assert normalise_exact("［1，　2］") == "[1,2]"


@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1))
def test_any_ascii_line_typed_full_width_matches_it(line: str):
    if line.strip():
        assert predict_matches(full_width(line), line, "exact")


@given(st.lists(st.from_regex(r"[A-Za-z0-9.]+", fullmatch=True), min_size=2, max_size=5))
def test_words_run_together_are_not_the_words_apart(words: list[str]):
    assert not predict_matches("".join(words), " ".join(words), "exact")
    assert predict_matches("  ".join(words), " ".join(words), "exact")


def test_every_shipped_answer_still_matches_as_printed_compacted_or_typed_full_width():
    items = shipped_predict_items()
    assert items
    for quiz in items:
        for answer in (quiz.expect, *quiz.accept):
            if not answer:
                continue
            compact = normalise_exact(answer)  # no spaces beside punctuation
            for typed in (answer, compact, full_width(answer), f"  {answer} "):
                assert predict_matches(typed, quiz.expect or "", quiz.match, quiz.accept), (
                    quiz.id,
                    typed,
                )


@pytest.mark.parametrize("seed", range(6))
def test_shape_guesser_takes_a_full_width_answer(seed: int):
    challenge = new_challenge(random.Random(seed))
    typed = "（" + "，".join(map(str, challenge.expected)) + "）"
    assert challenge.check(typed)
    if len(challenge.expected) > 1:  # the digits run together: another shape
        assert not challenge.check(typed.replace("，", ""))


def test_a_number_too_long_for_a_shape_is_no_shape() -> None:
    """A pasted run of 5,000 digits raised ValueError (Python's int() limit) in the Shape
    Guesser and in a predict check, and took the app down."""
    from tutor.quiz.predict import parse_shape, predict_matches

    assert parse_shape("9" * 5000) is None
    assert parse_shape(f"(4, {'9' * 5000})") is None
    assert not predict_matches("9" * 5000, "torch.Size([4, 2])", "shape", [])


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("[0, 4]", "[0.0, 4.0]"),  # Python's floats, typed as the values they are
        ("tensor([3.0, 3.0])", "tensor([3., 3.])"),  # torch's short float form
        ("7 False", "7.0 False"),
        ("tensor([nan, 0])", "tensor([nan, 0.])"),
        ("-0.5", "-0.5000"),
        ("0.001", "1e-3"),
    ],
)
def test_a_number_counts_by_its_value_however_it_is_written(answer: str, truth: str) -> None:
    """Lesson 4 asked which values dropout leaves and said "Not quite" to ``[0, 4]`` over the
    printed ``[0.0, 4.0]``, with the explanation below saying the values are 0 and 4."""
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("0.333", "0.3333"),  # another value: exact answers have no tolerance
        ("['00', '1']", "['0', '1']"),  # within quotes a number is text
        ("fc2.weight", "fc1.weight"),
        ("1.2.4", "1.2.3"),
        ("3 0", "3.0"),
    ],
)
def test_numbers_in_names_strings_and_other_values_still_count_as_written(
    answer: str, truth: str
) -> None:
    assert not predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("True True.", "True True"),
        ("AttributeError。", "AttributeError"),  # an input method's full stop
        ("['0', '1'].", "['0', '1']"),
        ("0.0.", "0.0"),
        ("tensor([3., 3.]).", "tensor([3., 3.])"),
    ],
)
def test_a_full_stop_after_the_answer_is_punctuation(answer: str, truth: str) -> None:
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("0, 0", "0 0"),
        ("2,5", "2 5"),
        ("3, 0, True", "3 0 True"),
        ("(5, 3, 8), (3, 5, 5)", "(5, 3, 8) (3, 5, 5)"),
        ("[] , meta", "[] meta"),
    ],
)
def test_values_printed_apart_may_be_typed_with_commas_between(answer: str, truth: str) -> None:
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("25", "2 5"),  # run together is still another number
        ("1,000", "1000"),
        ("True True", "True, True"),  # the printed comma still counts
        ("'2, 5'", "'2 5'"),  # inside quotes a comma is the string's own
        ("(2, 5)", "(2 5)"),
        ("True. True", "True True"),
        ("3.", "3.."),
    ],
)
def test_commas_and_full_stops_that_change_the_line_still_count(answer: str, truth: str) -> None:
    assert not predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("1", "[1.0]"),  # lesson 5 refused it; [1] passed
        ("6, 6, 6", "[6.0, 6.0, 6.0]"),  # lesson 6 refused it
        ("0, 4", "[0.0, 4.0]"),  # lesson 4 took it only through its accept list
        ("6,6,6", "[6.0, 6.0, 6.0]"),
        ("1.0", "[1.0]"),
        ("[1, 2], [3, 4]", "[[1.0, 2.0], [3.0, 4.0]]"),
        ("'a', 'b'", "['a', 'b']"),
        ("tensor(1.), tensor(2.)", "[tensor(1.), tensor(2.)]"),
        ("'[a]'", "['[a]']"),  # brackets within quotes are the string's
    ],
)
def test_a_printed_list_may_be_typed_as_its_items_without_the_brackets(
    answer: str, truth: str
) -> None:
    """The questions ask for what prints: ``0, 4`` for ``[0.0, 4.0]`` passed only where the
    deck listed it, so ``1`` for ``[1.0]`` and ``6, 6, 6`` for three sixes were "Not quite"."""
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("1", "[1.5]"),  # another value
        ("6, 6", "[6.0, 6.0, 6.0]"),  # too few items
        ("6", "[6.0, 6.0, 6.0]"),  # one item for three
        ("6, 6, 6, 6", "[6.0, 6.0, 6.0]"),
        ("1", "[1.0] [2.0]"),  # two lists, not one: no brackets to drop
        ("1 2", "[1.0] [2.0]"),
        ("1, 2", "[1, 2] [3]"),
        (".", "[]"),  # nothing in the list, nothing typed
        ("a, b", "['a', 'b']"),  # the quotes are printed
        ("1, 2", "tensor([1., 2.])"),  # only a list's brackets, not a tensor's
    ],
)
def test_dropping_a_lists_brackets_takes_no_wrong_answer(answer: str, truth: str) -> None:
    assert not predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("6 6 6", "[6.0, 6.0, 6.0]"),  # l06.q-predict-tensor-hook refused it
        ("0 4", "[0.0, 4.0]"),  # lesson 4 took it only through its accept list
        ("  0   4 ", "[0.0, 4.0]"),
        ("'a' 'b'", "['a', 'b']"),
        ("[1, 2] [3, 4]", "[[1.0, 2.0], [3.0, 4.0]]"),
        ("tensor(1.) tensor(2.)", "[tensor(1.), tensor(2.)]"),
        ("float16 int64", "[torch.float16, torch.int64]"),
    ],
)
def test_a_printed_list_may_be_typed_as_its_items_with_spaces_between(
    answer: str, truth: str
) -> None:
    """Review of 8d74201: the items were taken typed with commas between them (``6, 6, 6``) but
    not with spaces (``6 6 6``), which the deck's own accept list counts right (``0 4``)."""
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("6 6", "[6.0, 6.0, 6.0]"),  # too few items
        ("6 6 6 6", "[6.0, 6.0, 6.0]"),  # too many
        ("66 6", "[6.0, 6.0, 6.0]"),
        ("1 2", "[[1.0, 2.0]]"),  # a list of one list keeps its brackets
        ("1 2", "[(1, 2)]"),
        ("1 2 3 4", "[[1.0, 2.0], [3.0, 4.0]]"),  # only the top level's commas
        ("1 2", "tensor([1., 2.])"),  # only a list's brackets, not a tensor's
        ("1 2", "[1.0] [2.0]"),
        ("a b", "['a', 'b']"),  # the quotes are printed
        ("'a b'", "['a', 'b']"),
        ("'2 5'", "['2, 5']"),  # inside quotes a comma is the string's own
    ],
)
def test_items_typed_with_spaces_take_no_wrong_answer(answer: str, truth: str) -> None:
    assert not predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("[1, 2]", "[[1.0, 2.0]]"),
        ("(1, 2)", "[(1, 2)]"),
        ("[]", "[[]]"),
        ("[[1, 2]]", "[[[1, 2]]]"),
        ("([1], 2)", "[([1], 2)]"),
        ("(1,)", "[(1,)]"),
        ("()", "[()]"),
        ("((1+2j), 3)", "[((1+2j), 3)]"),
    ],
)
def test_a_list_of_one_list_or_tuple_keeps_its_brackets(answer: str, truth: str) -> None:
    """Typed alone, a list's one item that is a list or tuple of its own reads as the list
    itself: ``[1, 2]`` for ``[[1.0, 2.0]]`` is an answer a nesting level short, not its items.
    (Several items typed with commas between them, ``[1, 2], [3, 4]``, still read as the
    items.)"""
    assert not predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("tensor(3)", "[tensor(3)]"),
        ("tensor(1.)", "[tensor(1.)]"),
        ("tensor([1.])", "[tensor([1.])]"),
        ("torch.Size([2, 3])", "[torch.Size([2, 3])]"),
        ("{'a': 1}", "[{'a': 1}]"),
    ],
)
def test_a_list_of_one_item_with_brackets_of_a_call_is_typed_as_the_item(
    answer: str, truth: str
) -> None:
    """Review of 2db1122: a call's round brackets counted as nesting, so ``tensor(3)`` for
    ``[tensor(3)]`` was refused where ``tensor(3), tensor(4)`` for ``[tensor(3), tensor(4)]``
    passed. A tensor in a list, typed alone, is the list's item, as ``1`` is for ``[1.0]``: no
    level short (a list or tuple would be, see above)."""
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("(1+2j)", "[(1+2j)]"),
        ("(1-0.5j)", "[(1-0.5j)]"),
        ("(-0-1j)", "[(-0-1j)]"),
    ],
)
def test_a_list_of_one_complex_number_is_typed_as_the_number(answer: str, truth: str) -> None:
    """Review: any lone item in round brackets read as a tuple, so ``(1+2j)`` for ``[(1+2j)]``
    was refused, a level short. Python prints a complex number in round brackets, in a list or
    alone: with no comma inside them it is the list's item, as ``(1+2j)`` alone is."""
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("item_id", "right", "wrong"),
    [
        ("l05.q-predict-batch-of-two", "1", "1.5"),
        ("l06.q-predict-tensor-hook", "12, 12, 12", "12"),
        ("l06.q-predict-tensor-hook", "12 12 12", "12 12"),
        ("l04.q-predict-dropout-values", "0, 4", "4"),
        ("l08.q-predict-autocast", "bfloat16 float32", "float32 float32"),
        ("l08.q-predict-autocast", "torch.bfloat16, torch.float", "bfloat16 bfloat16"),
        ("l08.q-predict-half-int-buffer", "torch.float16 torch.long", "torch.float16 torch.int"),
        ("l08.q-predict-half-int-buffer", "half int64", "half half"),
        ("l08.q-predict-plain-attr", "double float", "double double"),
        ("l08.q-predict-plain-attr", "float64 float32", "float32 float32"),
        ("l11.q-predict-nan", "false true", "true true"),
    ],
)
def test_shipped_items_take_what_a_learner_types(item_id: str, right: str, wrong: str) -> None:
    (quiz,) = [q for q in shipped_predict_items() if q.id == item_id]
    assert predict_matches(right, quiz.expect or "", quiz.match, quiz.accept)
    assert predict_matches(right, quiz.expect or "", quiz.match)  # no accept list needed
    assert not predict_matches(wrong, quiz.expect or "", quiz.match, quiz.accept)


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("bfloat16 float32", "torch.bfloat16 torch.float32"),  # l08.q-predict-autocast refused it
        ("torch.float16 torch.long", "torch.float16 torch.int64"),  # torch.long is torch.int64
        ("half long", "torch.float16 torch.int64"),
        ("double float", "torch.float64 torch.float32"),
        ("torch.double, torch.float", "torch.float64 torch.float32"),
        ("int short", "torch.int32 torch.int16"),
        ("cfloat cdouble", "torch.complex64 torch.complex128"),
        ("bool", "torch.bool"),
        ("tensor([1.,2.],dtype=half)", "tensor([1., 2.], dtype=torch.float16)"),
        ("float16, int64", "[torch.float16, torch.int64]"),
        ("bfloat16 float32.", "torch.bfloat16 torch.float32"),
    ],
)
def test_a_torch_dtype_may_be_typed_by_its_alias_or_without_torch(answer: str, truth: str) -> None:
    """torch prints ``torch.int64`` for ``torch.long``: both name one dtype, as ``float32``
    without the ``torch.`` does where the line prints a torch dtype."""
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("float16 float32", "torch.bfloat16 torch.float32"),  # another dtype
        ("half", "torch.bfloat16"),
        ("long", "torch.int32"),  # the alias of another dtype
        ("int", "torch.int64"),
        ("float", "torch.float64"),
        ("double", "torch.float32"),
        ("float32 bfloat16", "torch.bfloat16 torch.float32"),  # the wrong order
        ("torch.float32", "float32"),  # not a torch dtype printed: the words count as written
        ("float", "float32"),
        ("float32", "float"),
        ("float32", "'torch.float32'"),  # within quotes a dtype's name is text
        ("Float32", "torch.float32"),  # a dtype's case still counts
        ("float3", "torch.float32"),
        ("float322", "torch.float32"),
        ("torch.torch.float32", "torch.float32"),
        ("Tensor", "torch.Tensor"),  # not a dtype
    ],
)
def test_a_dtype_alias_takes_no_wrong_answer(answer: str, truth: str) -> None:
    assert not predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("false true", "False True"),  # l11.q-predict-nan refused it
        ("true", "True"),
        ("TRUE", "True"),
        ("none", "None"),
        ("false, true", "False True"),
        ("[true, false]", "[True, False]"),
        ("true, false", "[True, False]"),
        ("tensor(true)", "tensor(True)"),
        ("7 false", "7.0 False"),
    ],
)
def test_true_false_and_none_may_be_typed_in_any_case(answer: str, truth: str) -> None:
    assert predict_matches(answer, truth, "exact")


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("true false", "False True"),  # the wrong order
        ("true", "False"),
        ("none", "False"),
        ("'true'", "'True'"),  # a string's case is its own
        ("attributeerror", "AttributeError"),  # only True, False and None
        ("nonetype", "NoneType"),
        ("truetrue", "True True"),
        ("true", "Trueish"),
    ],
)
def test_any_case_for_true_false_and_none_takes_no_wrong_answer(answer: str, truth: str) -> None:
    assert not predict_matches(answer, truth, "exact")


def test_the_dtype_names_are_the_ones_torch_defines() -> None:
    """The UI does not import torch, so the names are written out; here torch checks them: each
    name of the table this torch defines is printed as the table says, and each alias this
    torch gives a dtype (``long``, ``half``) is in the table. A name this torch lacks is fine
    (an older torch has no ``uint16``), and so is a newer dtype the table lacks: a line that
    prints it is taken only as written, as it has no other name to be typed by."""
    torch = pytest.importorskip("torch")
    defined = {
        name: str(value).removeprefix("torch.")
        for name in dir(torch)
        if isinstance(value := getattr(torch, name), torch.dtype)
    }
    known = {name: defined[name] for name in DTYPE_PRINTED_AS if name in defined}
    assert {name: DTYPE_PRINTED_AS[name] for name in known} == known
    aliases = {name for name, printed in defined.items() if name != printed}
    assert aliases <= DTYPE_PRINTED_AS.keys()
