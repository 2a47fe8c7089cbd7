"""The bars of the Regression chapter, read from the values its executed notebook glued."""
import math

import pytest

CHAPTER = "03_regression"


@pytest.fixture(scope="module")
def values(glued):
    return glued(CHAPTER)


def test_two_invoices_fix_the_price_structure_exactly(values):
    assert values["regression_two_invoice_rate"] == pytest.approx(100.0, abs=1e-9)
    assert values["regression_two_invoice_fee"] == pytest.approx(50.0, abs=1e-9)


def test_sgd_agrees_with_the_closed_form_within_a_tenth_of_a_percent(values):
    for knob in ("rate", "fee"):
        sgd, closed = values[f"regression_sgd_{knob}"], values[f"regression_closed_{knob}"]
        assert abs(sgd / closed - 1) <= 1e-3, (knob, sgd, closed)
        assert values[f"regression_sgd_{knob}_gap"] == pytest.approx(abs(sgd / closed - 1))


def test_closed_form_is_near_the_true_rule(values):
    assert values["regression_closed_rate"] == pytest.approx(100.0, abs=2.0)
    assert values["regression_closed_fee"] == pytest.approx(50.0, abs=10.0)


def test_home_model_with_the_true_family_reaches_closed_form_and_noise_floor(values):
    sgd = values["regression_homes_interaction_sgd_rmse"]
    closed = values["regression_homes_interaction_closed_rmse"]
    floor = values["regression_homes_noise_floor"]
    assert abs(sgd / closed - 1) <= 0.01
    assert abs(sgd / floor - 1) <= 0.05
    assert values["regression_homes_gap_to_closed"] == pytest.approx(abs(sgd / closed - 1))
    assert values["regression_homes_gap_to_floor"] == pytest.approx(abs(sgd / floor - 1))


def test_home_model_missing_the_interaction_is_shown_to_fall_short(values):
    sgd = values["regression_homes_plain_sgd_rmse"]
    assert abs(sgd / values["regression_homes_plain_closed_rmse"] - 1) <= 0.01
    assert sgd > 2 * values["regression_homes_noise_floor"]
    assert values["regression_homes_mean_rmse"] > 2 * sgd  # still far better than the mean


def test_noise_floor_matches_the_noise_the_book_added(values):
    assert values["regression_homes_noise_floor"] == pytest.approx(25.0, rel=0.1)


def test_polynomials_show_overfitting(values):
    best = values["regression_poly_best_degree"]
    assert 2 <= best <= 6
    assert values["regression_poly_best_test_rmse"] <= 1.25 * values["regression_poly_noise_floor"]
    assert values["regression_poly_degree0_test_rmse"] > 2 * values["regression_poly_best_test_rmse"]
    assert values["regression_poly_degree11_train_rmse"] < 1e-6
    assert values["regression_poly_degree11_test_rmse"] > 10 * values["regression_poly_best_test_rmse"]


def test_fast_solvers_agree_with_gluon(values):
    assert values["regression_solver_gap"] < 0.01


def test_l2_wins_under_gaussian_noise(values):
    for knob in ("rate", "fee"):
        assert (values[f"regression_gaussian_l2_{knob}_error"]
                < values[f"regression_gaussian_l1_{knob}_error"])


def test_l1_efficiency_under_gaussian_noise_is_about_two_over_pi(values):
    assert values["regression_gaussian_l1_efficiency"] == pytest.approx(2 / math.pi, abs=0.06)


@pytest.mark.parametrize("noise", ["laplace", "outliers"])
def test_l1_wins_under_heavy_tails_and_outliers(values, noise):
    for knob in ("rate", "fee"):
        assert (values[f"regression_{noise}_l1_{knob}_error"]
                < values[f"regression_{noise}_l2_{knob}_error"])
    assert values[f"regression_{noise}_l1_efficiency"] > 1.2


def test_key_figures_are_glued(values):
    for name in ("homes", "residuals", "learning_curves", "overfitting", "l1_l2"):
        assert f"regression_fig_{name}" in values
