"""The introduction's claims, read from the values its executed notebook glued.

Each test pins a sentence of the chapter: the taxi loop and its yardsticks,
the learning-rate figure and Exercise 1, the degree chosen on validation (never
on the test points) and its spread over draws, and Exercises 2 and 3.
"""

import math

import pytest


@pytest.fixture(scope="module")
def intro(glued):
    return glued("01_introduction")


def test_gradient_descent_reaches_the_least_squares_line(intro):
    assert intro["intro_fitted_per_km"] == pytest.approx(
        intro["intro_exact_per_km"], rel=1e-3
    )
    assert intro["intro_fitted_base_fare"] == pytest.approx(
        intro["intro_exact_base_fare"], rel=1e-2
    )
    assert intro["intro_base_fare_gap"] == pytest.approx(
        abs(intro["intro_fitted_base_fare"] - intro["intro_exact_base_fare"])
    )


def test_the_loss_falls_to_the_best_line_between_its_yardsticks(intro):
    final = intro["intro_final_loss"]
    assert intro["intro_loss_after_10_steps"] < intro["intro_initial_loss"]
    assert final == pytest.approx(intro["intro_exact_mse"], rel=1e-4)
    # "a little worse than the fitted line": on its own training rides the
    # least-squares line beats the hidden rule, by construction and here.
    assert intro["intro_exact_mse"] < intro["intro_hidden_rule_mse"]
    assert intro["intro_mean_fare_mse"] > 5 * final


def test_both_knobs_take_hundreds_of_steps_and_the_base_fare_longest(intro):
    per_km = intro["intro_per_km_settle_steps"]
    base_fare = intro["intro_base_fare_settle_steps"]
    assert 100 <= per_km < base_fare


def test_learning_rate_figure_too_small_right_and_too_large(intro):
    # rates = [0.001, 0.003, 0.01, 0.02, 0.024, 0.025, 0.03] in the chapter
    best = intro["intro_exact_mse"]
    finals = [float(intro[f"intro_lr_final_loss_{i}"]) for i in range(7)]
    assert finals[0] > 1.2 * best and finals[1] > 1.01 * best  # still above
    for i in (2, 3, 4):  # the band that gets there
        assert finals[i] == pytest.approx(best, rel=1e-3)
    for i in (5, 6):  # the loss blew up
        assert not finals[i] < 1e6


def test_exercise_1_the_largest_stable_rate_lies_between_002_and_003(intro):
    rate = intro["intro_ex1_largest_stable_rate"]
    assert 0.02 < rate < 0.03
    assert rate == pytest.approx(2 / intro["intro_ex1_steepest_curvature"])
    assert 0.024 < rate < 0.025  # the figure's last converging/first diverging
    assert 0 < intro["intro_ex1_blow_up_step"] < 1500
    assert intro["intro_ex1_slow_fare_gap"] > 10 * intro["intro_ex1_fare_gap"]
    assert intro["intro_ex1_flat_direction_fare_share"] > 0.95
    assert intro["intro_ex1_curvature_ratio"] > 10


def test_degree_is_chosen_on_validation(intro):
    valid = [intro[f"intro_valid_rmse_{d}"] for d in range(10)]
    best = intro["intro_best_degree"]
    assert best == min(range(10), key=valid.__getitem__)
    assert intro["intro_degree9_train_rmse"] < 1e-6
    assert intro["intro_degree9_valid_rmse"] == valid[9]
    assert valid[9] > 5 * valid[best]


def test_chosen_degree_is_near_the_noise_and_far_below_the_mean(intro):
    assert intro["intro_noise_floor"] == pytest.approx(0.2, rel=0.1)
    assert intro["intro_best_test_rmse"] < 1.25 * intro["intro_noise_floor"]
    assert intro["intro_best_test_rmse"] < 0.5 * intro["intro_mean_test_rmse"]


def test_choosing_on_the_test_points_flatters(intro):
    assert intro["intro_peeked_test_rmse"] <= intro["intro_best_test_rmse"]


def test_degree_nine_is_worse_in_every_draw_and_this_draw_is_the_mildest(
    intro,
):
    assert intro["intro_draws_min_ratio"] > 1
    assert 1 <= intro["intro_draws_min_degree"]
    assert intro["intro_draws_max_degree"] < 9
    assert (
        intro["intro_draws_first_degree9_rmse"]
        == intro["intro_draws_min_degree9_rmse"]
    )
    assert (
        intro["intro_draws_max_degree9_rmse"]
        > 10 * (intro["intro_draws_min_degree9_rmse"])
    )


def test_exercise_2_five_rides_miss_the_base_fare_by_about_76_cents(intro):
    assert intro["intro_ex2_few_base_fare_error"] == pytest.approx(
        0.76, abs=0.05
    )
    assert (
        intro["intro_ex2_few_per_km_error"]
        > 10 * intro["intro_ex2_many_per_km_error"]
    )
    assert intro["intro_ex2_base_fare_ratio"] == pytest.approx(
        intro["intro_ex2_few_base_fare_error"]
        / intro["intro_ex2_many_base_fare_error"]
    )
    # "errors about sqrt(1000) times smaller"
    assert intro["intro_ex2_base_fare_ratio"] == pytest.approx(
        math.sqrt(1000), rel=0.25
    )


def test_exercise_3_more_points_tame_degree_nine(intro):
    more = intro["intro_ex3_degree9_test_rmse"]
    assert more < 1.25 * intro["intro_noise_floor"]
    assert more < intro["intro_draws_first_degree9_rmse"] / 10
