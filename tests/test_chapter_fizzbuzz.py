"""The FizzBuzz chapter's claims, read from the values its notebook glued.

Each test pins a sentence of the chapter: the rule is perfect everywhere;
lines of code are counted alike for rule and learners (input checks and
mlbook's training code included); the MLP's pass is chosen on validation and
the test numbers are read once; the MLP generalises within its ten bits far
beyond a table of its training numbers; past 1023 it scores like the exact
rule reading the same bits, differing only where it was wrong below 1024; and
the numbers of the exercises.
"""

import json

import mlbook
from mlbook import train
from mlbook.fizzbuzz import (
    _check_number,
    _check_numbers,
    binary_encode,
    decode,
    fizzbuzz,
    fizzbuzz_labels,
    lines_of_code,
)

import numpy as np
import pytest
from conftest import ROOT

CHAPTER = "09_fizzbuzz"


@pytest.fixture(scope="module")
def values(glued):
    return glued(CHAPTER)


# --- the rule and the floor --------------------------------------------------


def test_the_rule_is_perfect_everywhere(values):
    assert values["fizzbuzz_rules_accuracy"] == 1.0
    assert values["fizzbuzz_beyond_rules_accuracy"] == 1.0
    assert values["fizzbuzz_rules_parameters"] == 0


def test_the_floor_is_the_share_of_plain_numbers(values):
    # 101-200: 100 - 33 multiples of 3 - 20 of 5 + 7 of 15 = 54 plain numbers
    assert values["fizzbuzz_majority_share"] == pytest.approx(0.54)
    assert values["fizzbuzz_majority_accuracy"] == pytest.approx(0.53)
    plain = np.mean(fizzbuzz_labels(np.arange(1025, 2048)) == 0)
    assert values["fizzbuzz_beyond_majority_share"] == pytest.approx(plain)


# --- lines of code, counted alike ------------------------------------------


def test_the_rule_is_counted_with_its_input_check(values):
    library = lines_of_code(fizzbuzz, _check_number)
    # the rule's program adds its two-line driver, rule_answers
    assert values["fizzbuzz_rules_lines"] == library + 2


def test_the_learners_are_counted_with_the_library_code_they_run(values):
    ran_for_sure = lines_of_code(
        fizzbuzz,
        _check_number,
        fizzbuzz_labels,
        _check_numbers,
        binary_encode,
        decode,
        mlbook.fit,
        mlbook.load_array,
        mlbook.evaluate,
        train._batches,
    )
    assert values["fizzbuzz_mlp_mlbook_lines"] >= ran_for_sure
    assert values["fizzbuzz_mlp_lines"] > values["fizzbuzz_mlp_mlbook_lines"]
    for model in ("majority", "softmax", "mlp"):
        assert (
            values[f"fizzbuzz_{model}_lines"] > values["fizzbuzz_rules_lines"]
        )
        assert (
            values[f"fizzbuzz_{model}_seconds"]
            > values["fizzbuzz_rules_seconds"]
        )


# --- the learned models on 1-100 ---------------------------------------------


def test_softmax_regression_on_remainders_is_perfect(values):
    assert values["fizzbuzz_softmax_accuracy"] == 1.0
    assert values["fizzbuzz_softmax_parameters"] == 8 * 4 + 4


def test_the_mlps_pass_is_chosen_on_validation(values):
    assert (
        1 <= values["fizzbuzz_mlp_epoch"] <= values["fizzbuzz_mlp_num_epochs"]
    )
    assert values["fizzbuzz_mlp_num_epochs"] == 100
    assert (
        values["fizzbuzz_mlp_valid_accuracy"]
        > values["fizzbuzz_majority_share"]
    )


def test_the_mlp_clears_the_floor_with_its_interval(values):
    assert values["fizzbuzz_mlp_parameters"] == 10 * 2000 + 2000 + 2000 * 4 + 4
    assert (
        values["fizzbuzz_mlp_accuracy_low"]
        > values["fizzbuzz_majority_accuracy"]
    )
    mistakes = round(100 * (1 - values["fizzbuzz_mlp_accuracy"]))
    assert values["fizzbuzz_mlp_num_mistakes"] == mistakes


@pytest.mark.parametrize(
    "model", ["rules", "majority", "softmax", "mlp", "table"]
)
def test_intervals_are_clopper_pearson_on_100_numbers(values, model):
    k = round(100 * values[f"fizzbuzz_{model}_accuracy"])
    low, high = (
        values[f"fizzbuzz_{model}_accuracy_low"],
        values[f"fizzbuzz_{model}_accuracy_high"],
    )
    assert low <= k / 100 <= high
    assert low == pytest.approx(0.0 if k == 0 else stats_low(k, 100))
    assert high == pytest.approx(1.0 if k == 100 else stats_high(k, 100))


def stats_low(k, n):
    from scipy.stats import beta

    return beta.ppf(0.025, k, n - k + 1)


def stats_high(k, n):
    from scipy.stats import beta

    return beta.ppf(0.975, k + 1, n - k)


# --- what the MLP learned: more than a table ---------------------------------


def test_a_table_of_the_training_numbers_falls_below_the_floor(values):
    assert (
        values["fizzbuzz_table_accuracy_high"]
        < values["fizzbuzz_majority_accuracy"]
    )


def test_the_mlp_generalises_far_beyond_the_table(values):
    # the intervals exclude each other, as the prose says
    assert (
        values["fizzbuzz_mlp_accuracy_low"]
        > values["fizzbuzz_table_accuracy_high"]
    )
    assert values["fizzbuzz_mlp_minus_table"] == pytest.approx(
        values["fizzbuzz_mlp_accuracy"] - values["fizzbuzz_table_accuracy"]
    )


def test_the_table_is_the_nearest_entry_in_bits(values):
    """An independent nearest-entry table gives the glued accuracy."""
    train_numbers, test_numbers = np.arange(201, 1024), np.arange(1, 101)
    train_bits = np.array(
        [[(n >> i) & 1 for i in range(10)] for n in train_numbers]
    )
    right = 0
    for n in test_numbers:
        bits = np.array([(n >> i) & 1 for i in range(10)])
        nearest = train_numbers[np.argmin((train_bits != bits).sum(axis=1))]
        right += fizzbuzz_labels([nearest])[0] == fizzbuzz_labels([n])[0]
    assert values["fizzbuzz_table_accuracy"] == pytest.approx(right / 100)


# --- past 1023: the encoding, not the MLP ----------------------------------


def test_the_mlp_fails_confidently_past_1023(values):
    assert (
        values["fizzbuzz_beyond_mlp_accuracy"]
        < values["fizzbuzz_beyond_majority_share"]
    )
    assert values["fizzbuzz_beyond_mistake_confidence"] > 0.75


def test_the_exact_rule_reading_ten_bits_scores_one_in_five(values):
    control = values["fizzbuzz_beyond_control_accuracy"]
    assert control == pytest.approx(values["fizzbuzz_beyond_same_class"])
    assert control == pytest.approx(1 / 5, abs=0.01)
    n = np.arange(1025, 2048)
    same = np.mean(fizzbuzz_labels(n) == fizzbuzz_labels(n - 1024))
    assert control == pytest.approx(same)


def test_the_mlp_parts_from_the_control_only_where_it_was_wrong_below(values):
    assert values["fizzbuzz_beyond_agreement"] == pytest.approx(
        values["fizzbuzz_mlp_below_accuracy"], abs=1e-12
    )
    wrong_below = 1 - values["fizzbuzz_mlp_below_accuracy"]
    assert abs(values["fizzbuzz_beyond_mlp_minus_control"]) <= wrong_below
    assert values["fizzbuzz_beyond_mlp_minus_control"] == pytest.approx(
        values["fizzbuzz_beyond_mlp_accuracy"]
        - values["fizzbuzz_beyond_control_accuracy"]
    )


def test_the_level_past_the_wall_depends_on_the_shift(values):
    """Past 1023, ten bits make n look like n - 1024 (no multiple of 3 or 5:
    one in five) and, from 3073, like n - 3072 (a multiple of 3: three in
    five), as the bits figure and the prose say."""
    assert values["fizzbuzz_bits_shift_1024_accuracy"] == pytest.approx(
        values["fizzbuzz_beyond_control_accuracy"]
    )
    assert values["fizzbuzz_bits_shift_3072_accuracy"] == pytest.approx(
        3 / 5, abs=0.01
    )
    n = np.arange(3073, 4096)
    same = np.mean(fizzbuzz_labels(n) == fizzbuzz_labels(n - 3072))
    assert values["fizzbuzz_bits_shift_3072_accuracy"] == pytest.approx(same)


# --- the exercises -----------------------------------------------------------


def test_exercise_1_fizzbuzzbazz(values):
    assert values["fizzbuzz_ex1_agrees"] == 1
    assert values["fizzbuzz_ex1_num_classes"] == 8
    assert values["fizzbuzz_ex1_num_train"] == 823
    assert values["fizzbuzz_ex1_rarest_count"] == sum(
        n % 105 == 0 for n in range(201, 1024)
    )
    assert values["fizzbuzz_ex1_rule_lines"] < values["fizzbuzz_mlp_lines"]


def test_exercise_2_the_wrong_features_reach_only_the_floor(values):
    assert values["fizzbuzz_ex2_valid_accuracy"] == pytest.approx(
        values["fizzbuzz_majority_share"], abs=0.02
    )
    assert values["fizzbuzz_ex2_number_share"] >= 0.95


def test_exercise_3_the_unused_bit_never_moves_and_buys_nothing(values):
    assert values["fizzbuzz_ex3_unchanged"] == 1
    assert (
        values["fizzbuzz_ex3_max_accuracy"]
        < values["fizzbuzz_beyond_majority_share"]
    )
    assert (
        values["fizzbuzz_ex3_min_accuracy"]
        <= values["fizzbuzz_ex3_max_accuracy"]
    )


def test_exercise_4_plain_sgd_stays_on_the_floor(values):
    assert (
        values["fizzbuzz_ex4_max_accuracy"]
        <= values["fizzbuzz_majority_share"] + 0.02
    )
    # pulled towards "number": printed more often than numbers are plain
    assert (
        values["fizzbuzz_ex4_number_share"] > values["fizzbuzz_majority_share"]
    )


# --- the headline comparison is declared for the robustness table ---------


def test_the_robustness_table_covers_the_headline_numbers(values):
    notebook = json.loads((ROOT / "chapters" / f"{CHAPTER}.ipynb").read_text())
    wanted = notebook["metadata"]["mlbook"]["robustness"]
    assert {
        "fizzbuzz_mlp_accuracy",
        "fizzbuzz_mlp_minus_table",
        "fizzbuzz_beyond_mlp_minus_control",
    } <= set(wanted)
    assert all(name in values for name in wanted)
