"""FizzBuzz as a rule and as a learning problem (chapter "When not to use
machine learning").

The rule is the whole solution; the rest turns numbers into the inputs and
labels a classifier needs, and counts the code each way takes, so the chapter
can compare the two ways of getting the same answers.
"""

import ast
import inspect
import sys
import textwrap
import tokenize
import types
from numbers import Integral

import numpy as np

CLASSES = ("number", "fizz", "buzz", "fizzbuzz")


def fizzbuzz(n):
    """The interview answer: "fizz" for multiples of 3, "buzz" for multiples
    of 5, "fizzbuzz" for multiples of both, else the number itself."""
    n = _check_number(n, "n")
    if n % 15 == 0:
        return "fizzbuzz"
    if n % 3 == 0:
        return "fizz"
    if n % 5 == 0:
        return "buzz"
    return str(n)


def fizzbuzz_labels(numbers):
    """Class of each number (0 number, 1 fizz, 2 buzz, 3 fizzbuzz), read off
    the rule.

    The labels a learner trains on come from running the rule: there is no
    other source.
    """
    numbers = _check_numbers(numbers)
    answers = [fizzbuzz(n) for n in numbers.tolist()]
    return np.array([CLASSES.index(a) if a in CLASSES else 0 for a in answers])


def decode(numbers, labels):
    """Turn predicted class indices back into FizzBuzz output: the number or a
    word."""
    numbers = _check_numbers(numbers)
    labels = np.asarray(labels)
    if labels.shape != numbers.shape:
        raise ValueError(
            f"need one label per number: got labels of shape {labels.shape} "
            f"for {numbers.shape[0]} numbers"
        )
    if (
        labels.dtype.kind not in "iu"
        or labels.min() < 0
        or labels.max() >= len(CLASSES)
    ):
        raise ValueError(
            f"labels must be whole numbers 0..{len(CLASSES) - 1} "
            f"({', '.join(CLASSES)}), got {labels}"
        )
    return [
        str(n) if label == 0 else CLASSES[label]
        for n, label in zip(numbers.tolist(), labels.tolist(), strict=True)
    ]


def binary_encode(numbers, num_bits=10):
    """The numbers' binary digits, least significant first, one row per number.

    Raises instead of silently dropping high bits: 1024 needs 11 bits and would
    otherwise look exactly like 0.
    """
    numbers = _check_numbers(numbers)
    if isinstance(num_bits, bool) or not isinstance(num_bits, Integral):
        raise TypeError(f"num_bits must be a whole number, got {num_bits!r}")
    if not 1 <= num_bits <= 62:
        raise ValueError(f"num_bits must be between 1 and 62, got {num_bits}")
    too_big = numbers[numbers >= 2**num_bits]
    if too_big.size:
        needed = int(too_big.max()).bit_length()
        raise ValueError(
            f"{too_big[0]} needs more than {num_bits} bits (the largest is "
            f"{2**num_bits - 1}): pass num_bits={needed} or keep the numbers "
            f"below {2**num_bits}"
        )
    return ((numbers[:, None] >> np.arange(num_bits)) & 1).astype(np.float32)


def mod_encode(numbers, moduli=(3, 5)):
    """One-hot remainders: for each modulus m, m columns, a 1 in column
    n mod m."""
    numbers = _check_numbers(numbers)
    if not isinstance(moduli, (list, tuple)) or not moduli:
        raise TypeError(
            f"moduli must be a non-empty list or tuple of whole numbers, "
            f"e.g. (3, 5), got {moduli!r}"
        )
    for m in moduli:
        if isinstance(m, bool) or not isinstance(m, Integral) or m < 2:
            raise ValueError(
                f"each modulus must be a whole number >= 2, got {m!r}"
            )
    return np.concatenate(
        [np.eye(m, dtype=np.float32)[numbers % m] for m in moduli], axis=1
    )


def book_code_run_by(task, modules=("__main__", "mlbook")):
    """Run ``task()``; return its result and the book's functions it ran.

    A trace hook (``sys.settrace``) notes every function entered whose module
    is one of ``modules`` or inside one (``mlbook`` covers ``mlbook.train``);
    by default that is the notebook (``__main__``) and the ``mlbook`` package,
    never Python's, NumPy's or MXNet's own code. Their code objects come in
    the order first entered, ready for ``lines_of_code``. Lambdas and
    comprehensions are left out: their lines belong to the function that
    holds them.
    """
    if not callable(task):
        raise TypeError(
            f"task must be callable with no arguments, e.g. "
            f"lambda: fizzbuzz(15), got {task!r}"
        )
    if isinstance(modules, str) or not modules:
        raise TypeError(
            "modules must be a non-empty tuple of module names, e.g. "
            f"('__main__', 'mlbook'), got {modules!r}"
        )
    seen = {}

    def note(frame, event, arg):
        name = frame.f_globals.get("__name__", "")
        if not frame.f_code.co_name.startswith("<") and any(
            name == m or name.startswith(m + ".") for m in modules
        ):
            seen.setdefault(frame.f_code, None)
        # None: no line-by-line tracing inside the frame

    previous = sys.gettrace()
    sys.settrace(note)
    try:
        result = task()
    finally:
        sys.settrace(previous)
    return result, list(seen)


def lines_of_code(*functions):
    """Count the lines of code of functions (or their code objects): no blank
    lines, comments or docstrings, and a line shared by two of them (a nested
    function) counted once."""
    if not functions:
        raise ValueError("lines_of_code needs at least one function to count")
    lines = set()
    for function in functions:
        if not isinstance(function, (types.FunctionType, types.CodeType)):
            raise TypeError(
                "lines_of_code counts functions or code objects, got "
                f"{type(function).__name__}"
            )
        code = getattr(function, "__code__", function)
        if code.co_name.startswith("<"):
            raise TypeError(
                f"lines_of_code cannot isolate the source of {code.co_name}: "
                "define it with def"
            )
        source, first = inspect.getsourcelines(function)
        lines.update(
            (code.co_filename, first - 1 + line)
            for line in _code_lines(textwrap.dedent("".join(source)))
        )
    return len(lines)


def _code_lines(source):
    """Line numbers (from 1) of ``source`` that hold code, not docstrings."""
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(
                node,
                (
                    ast.FunctionDef,
                    ast.AsyncFunctionDef,
                    ast.ClassDef,
                    ast.Module,
                ),
            )
            and ast.get_docstring(node) is not None
        ):
            first = node.body[0]
            docstrings.update(range(first.lineno, first.end_lineno + 1))
    skip = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
    code_lines = set()
    for token in tokenize.generate_tokens(
        iter(source.splitlines(True)).__next__
    ):
        if token.type not in skip:
            code_lines.update(range(token.start[0], token.end[0] + 1))
    return code_lines - docstrings


def _check_number(n, name):
    """A single whole number >= 1, as FizzBuzz counts from 1."""
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise TypeError(
            f"{name} must be a whole number, got {n!r} of type "
            f"{type(n).__name__}"
        )
    if n < 1:
        raise ValueError(
            f"{name} must be at least 1 (FizzBuzz counts from 1), got {n}"
        )
    return int(n)


def _check_numbers(values):
    """A 1-D int64 array of whole numbers >= 1 (a range, list or array of
    them)."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(
            f"numbers must be a 1-D sequence such as range(1, 101), "
            f"got an array of shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(
            "numbers is empty: pass at least one number, e.g. range(1, 101)"
        )
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"numbers must be whole numbers, got dtype {array.dtype}: "
            "use range(...) or an integer array"
        )
    if array.min() < 1:
        raise ValueError(
            f"numbers must be at least 1 (FizzBuzz counts from 1), "
            f"got {array.min()}"
        )
    return array.astype(np.int64)
