"""mlbook.fizzbuzz: the rule, its labels, the two encodings, and the line
counter with the tracer that finds what to count."""

import importlib.util
import sys

import mlbook
from mlbook.fizzbuzz import (
    CLASSES,
    _check_number,
    _check_numbers,
    binary_encode,
    book_code_run_by,
    decode,
    fizzbuzz,
    fizzbuzz_labels,
    lines_of_code,
    mod_encode,
)

import numpy as np
import pytest
from sklearn.preprocessing import OneHotEncoder


def spoken(n):
    """An independent FizzBuzz: build the word from its parts, as a child
    would say it."""
    return ("fizz" if n % 3 == 0 else "") + (
        "buzz" if n % 5 == 0 else ""
    ) or str(n)


def test_fizzbuzz_matches_an_independent_definition():
    assert [fizzbuzz(n) for n in range(1, 3001)] == [
        spoken(n) for n in range(1, 3001)
    ]
    assert [fizzbuzz(n) for n in (1, 3, 5, 15, 98, 10**18 + 5)] == [
        "1",
        "fizz",
        "buzz",
        "fizzbuzz",
        "98",
        "fizzbuzz",
    ]


def test_fizzbuzz_accepts_numpy_integers():
    assert fizzbuzz(np.int64(45)) == "fizzbuzz"


def test_labels_are_the_rule_as_class_indices():
    numbers = np.arange(1, 2048)
    expected = (numbers % 3 == 0).astype(int) + 2 * (numbers % 5 == 0)
    np.testing.assert_array_equal(fizzbuzz_labels(numbers), expected)
    assert [CLASSES[k] for k in fizzbuzz_labels([4, 9, 10, 30])] == [
        "number",
        "fizz",
        "buzz",
        "fizzbuzz",
    ]


def test_labels_of_1_to_100_have_53_plain_numbers():
    assert np.bincount(fizzbuzz_labels(range(1, 101))).tolist() == [
        53,
        27,
        14,
        6,
    ]


def test_decode_inverts_the_labels():
    numbers = np.arange(1, 301)
    assert decode(numbers, fizzbuzz_labels(numbers)) == [
        fizzbuzz(n) for n in numbers
    ]
    assert decode([7, 7, 7, 7], np.array([0, 1, 2, 3])) == [
        "7",
        "fizz",
        "buzz",
        "fizzbuzz",
    ]


def test_binary_encode_gives_the_bits_least_significant_first():
    numbers = np.arange(1, 1024)
    bits = binary_encode(numbers)
    assert bits.shape == (1023, 10) and bits.dtype == np.float32
    assert set(np.unique(bits)) == {0.0, 1.0}
    np.testing.assert_array_equal(bits @ (2.0 ** np.arange(10)), numbers)
    expected = [
        [int(c) for c in reversed(format(n, "010b"))] for n in (1, 6, 1023)
    ]
    np.testing.assert_array_equal(binary_encode([1, 6, 1023]), expected)


def test_binary_encode_with_more_bits():
    bits = binary_encode([1024, 2047], num_bits=11)
    np.testing.assert_array_equal(bits[0], [0] * 10 + [1])
    np.testing.assert_array_equal(bits[1], [1] * 11)


def test_mod_encode_matches_scikit_learn_one_hot():
    numbers = np.arange(1, 500)
    oracle = OneHotEncoder(categories=[list(range(3)), list(range(5))])
    expected = oracle.fit_transform(
        np.stack([numbers % 3, numbers % 5], axis=1)
    ).toarray()
    features = mod_encode(numbers)
    assert features.shape == (499, 8) and features.dtype == np.float32
    np.testing.assert_array_equal(features, expected)
    assert mod_encode([14], moduli=(2, 7)).tolist() == [
        [1, 0, 1, 0, 0, 0, 0, 0, 0]
    ]


def test_encodings_are_deterministic():
    numbers = np.arange(1, 200)
    np.testing.assert_array_equal(
        binary_encode(numbers), binary_encode(list(numbers))
    )
    np.testing.assert_array_equal(
        mod_encode(numbers), mod_encode(range(1, 200))
    )


# The fixture lives in a string so that `ruff format` cannot rewrite it: the
# formatter once joined its two-line statement into one line, and the count
# it pins silently changed from 4 to 3.
SAMPLE_SOURCE = '''
def sample_function(x):
    """A docstring,
    over two lines, is not code."""
    # a comment is not code

    y = (x +
         1)  # a statement over two lines counts twice
    return y


def outer():
    def inner():
        """Nested docstrings are skipped too."""
        return 1

    return inner
'''


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """SAMPLE_SOURCE as an imported module, so inspect can read its source."""
    path = tmp_path_factory.mktemp("loc") / "loc_sample.py"
    path.write_text(SAMPLE_SOURCE)
    spec = importlib.util.spec_from_file_location("loc_sample", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_keeps_its_statement_over_two_lines(sample):
    assert "    y = (x +\n         1)  # a statement" in SAMPLE_SOURCE
    assert sample.sample_function(1) == 2


def test_lines_of_code_counts_only_code(sample):
    # def, the two lines of y = ..., return
    assert lines_of_code(sample.sample_function) == 4
    # def outer, def inner, return 1, return inner
    assert lines_of_code(sample.outer) == 4
    assert lines_of_code(sample.sample_function, sample.outer) == 8
    # def, the input check, three ifs with their returns, the last return
    assert lines_of_code(fizzbuzz) == 9


def test_lines_of_code_counts_a_shared_line_once(sample):
    inner = sample.outer()
    assert lines_of_code(inner) == 2
    assert lines_of_code(sample.outer, inner) == 4
    assert lines_of_code(sample.outer, sample.outer.__code__) == 4
    assert lines_of_code(fizzbuzz.__code__) == lines_of_code(fizzbuzz)


def names(codes):
    return [code.co_name for code in codes]


def test_the_rule_runs_itself_and_its_input_check():
    answer, ran = book_code_run_by(lambda: fizzbuzz(15))
    assert answer == "fizzbuzz"
    assert names(ran) == ["fizzbuzz", "_check_number"]
    assert lines_of_code(*ran) == lines_of_code(fizzbuzz, _check_number)


def test_the_tracer_skips_numpy_lambdas_and_comprehensions():
    _, ran = book_code_run_by(lambda: fizzbuzz_labels(np.arange(1, 31)))
    assert names(ran) == [
        "fizzbuzz_labels",
        "_check_numbers",
        "fizzbuzz",
        "_check_number",
    ]
    assert _check_numbers.__code__ in ran


def helper_in_this_module(numbers):
    return mlbook.load_array((binary_encode(numbers), numbers), 4)


def test_the_tracer_sees_the_modules_it_is_given():
    task = lambda: helper_in_this_module(np.arange(1, 9))  # noqa: E731
    _, ran = book_code_run_by(task, modules=("mlbook.fizzbuzz",))
    assert names(ran) == [
        "binary_encode",
        "_check_numbers",
    ]
    _, ran = book_code_run_by(task, modules=(__name__, "mlbook"))
    everything = names(ran)
    assert everything[0] == "helper_in_this_module"
    assert {"load_array", "check_arrays", "binary_encode"} <= set(everything)
    assert "task" not in everything and "<lambda>" not in everything


def test_the_tracer_restores_the_previous_trace_function():
    def fail():
        fizzbuzz(0)

    before = sys.gettrace()  # pytest-cov or a debugger may have one
    with pytest.raises(ValueError, match="at least 1"):
        book_code_run_by(fail)
    assert sys.gettrace() is before


@pytest.mark.parametrize(
    "task, modules, match",
    [
        (15, ("mlbook",), "callable"),
        (lambda: 1, "mlbook", "tuple of module names"),
        (lambda: 1, (), "tuple of module names"),
    ],
)
def test_the_tracer_checks_its_input(task, modules, match):
    with pytest.raises(TypeError, match=match):
        book_code_run_by(task, modules)


@pytest.mark.parametrize(
    "bad, error, match",
    [
        (0, ValueError, "at least 1"),
        (-3, ValueError, "at least 1"),
        (2.5, TypeError, "whole number"),
        (True, TypeError, "whole number"),
        ("15", TypeError, "whole number"),
    ],
)
def test_fizzbuzz_rejects_what_the_puzzle_does_not_define(bad, error, match):
    with pytest.raises(error, match=match):
        fizzbuzz(bad)


@pytest.mark.parametrize(
    "encode", [fizzbuzz_labels, binary_encode, mod_encode]
)
@pytest.mark.parametrize(
    "bad, error, match",
    [
        ([], ValueError, "empty"),
        ([[1, 2], [3, 4]], ValueError, "1-D"),
        (5, ValueError, "1-D"),
        ([0, 1, 2], ValueError, "at least 1"),
        ([-5], ValueError, "at least 1"),
        ([1.5, 2.0], TypeError, "whole numbers"),
        (["3"], TypeError, "whole numbers"),
    ],
)
def test_numbers_are_checked(encode, bad, error, match):
    with pytest.raises(error, match=match):
        encode(bad)


def test_binary_encode_refuses_numbers_that_need_more_bits():
    with pytest.raises(
        ValueError, match=r"1024 needs more than 10 bits.*num_bits=11"
    ):
        binary_encode([5, 1024])
    with pytest.raises(
        ValueError, match=r"8 needs more than 3 bits.*num_bits=5"
    ):
        binary_encode([8, 16], num_bits=3)


@pytest.mark.parametrize(
    "num_bits, error",
    [(0, ValueError), (63, ValueError), (2.0, TypeError), (True, TypeError)],
)
def test_binary_encode_checks_num_bits(num_bits, error):
    with pytest.raises(error, match="num_bits"):
        binary_encode([1], num_bits=num_bits)


@pytest.mark.parametrize(
    "moduli, error, match",
    [
        ((), TypeError, "non-empty"),
        ("35", TypeError, "list or tuple"),
        (3, TypeError, "list or tuple"),
        ((3, 1), ValueError, ">= 2"),
        ((3.0, 5), ValueError, ">= 2"),
        ((True, 5), ValueError, ">= 2"),
    ],
)
def test_mod_encode_checks_moduli(moduli, error, match):
    with pytest.raises(error, match=match):
        mod_encode([1, 2], moduli=moduli)


@pytest.mark.parametrize(
    "labels, match",
    [
        ([0, 1], "one label per number"),
        ([0, 1, 4], "0..3"),
        ([0, -1, 2], "0..3"),
        ([0.0, 1.0, 2.0], "0..3"),
    ],
)
def test_decode_checks_labels(labels, match):
    with pytest.raises(ValueError, match=match):
        decode([1, 2, 3], np.array(labels))


def test_lines_of_code_checks_its_input():
    with pytest.raises(ValueError, match="at least one function"):
        lines_of_code()
    with pytest.raises(TypeError, match="counts functions"):
        lines_of_code("def f(): pass")
    with pytest.raises(TypeError, match="lambda"):
        lines_of_code(lambda n: n % 3)
    with pytest.raises(TypeError, match="genexpr"):
        lines_of_code(
            next(
                c
                for c in spoken_words.__code__.co_consts
                if hasattr(c, "co_name")
            )
        )


def spoken_words(numbers):
    return (spoken(n) for n in numbers)
