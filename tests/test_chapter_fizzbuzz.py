"""The FizzBuzz chapter's glued numbers: the bars of the issue and the claims of the prose."""
import pytest


@pytest.fixture(scope="module")
def fizzbuzz(glued):
    return glued("07_fizzbuzz")


def test_the_rule_is_perfect_everywhere(fizzbuzz):
    assert fizzbuzz["fizzbuzz_rules_accuracy"] == 1.0
    assert fizzbuzz["fizzbuzz_beyond_rules_accuracy"] == 1.0
    assert fizzbuzz["fizzbuzz_rules_parameters"] == 0


def test_softmax_regression_on_remainders_is_perfect(fizzbuzz):
    assert fizzbuzz["fizzbuzz_softmax_accuracy"] == 1.0
    assert fizzbuzz["fizzbuzz_softmax_parameters"] == 8 * 4 + 4


def test_mlp_on_binary_digits_reaches_the_bar(fizzbuzz):
    assert fizzbuzz["fizzbuzz_mlp_accuracy"] >= 0.97
    assert fizzbuzz["fizzbuzz_mlp_parameters"] == 10 * 2000 + 2000 + 2000 * 4 + 4
    mistakes = round(100 * (1 - fizzbuzz["fizzbuzz_mlp_accuracy"]))
    assert fizzbuzz["fizzbuzz_mlp_num_mistakes"] == mistakes


def test_majority_class_is_the_share_of_plain_numbers(fizzbuzz):
    assert fizzbuzz["fizzbuzz_majority_share"] == pytest.approx(0.53)
    assert fizzbuzz["fizzbuzz_majority_accuracy"] == pytest.approx(0.53)


def test_learning_costs_more_code_knobs_and_time_than_the_rule(fizzbuzz):
    for model in ("majority", "softmax", "mlp"):
        assert fizzbuzz[f"fizzbuzz_{model}_lines"] > 2 * fizzbuzz["fizzbuzz_rules_lines"]
        assert fizzbuzz[f"fizzbuzz_{model}_seconds"] > fizzbuzz["fizzbuzz_rules_seconds"]
    assert 5 <= fizzbuzz["fizzbuzz_rules_lines"] <= 12
    assert fizzbuzz["fizzbuzz_mlp_seconds"] < 30


def test_the_mlp_fails_confidently_past_its_training_range(fizzbuzz):
    assert fizzbuzz["fizzbuzz_beyond_same_class"] == pytest.approx(1 / 5, abs=0.01)
    assert fizzbuzz["fizzbuzz_beyond_mlp_accuracy"] < fizzbuzz["fizzbuzz_majority_share"]
    assert fizzbuzz["fizzbuzz_beyond_mlp_accuracy"] == pytest.approx(
        fizzbuzz["fizzbuzz_beyond_same_class"], abs=0.05)
    assert fizzbuzz["fizzbuzz_beyond_mistake_confidence"] > 0.9
