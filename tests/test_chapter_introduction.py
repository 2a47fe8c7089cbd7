"""The introduction's glued numbers: the live training loop and the overfitting experiment."""
import pytest


@pytest.fixture(scope="module")
def intro(glued):
    return glued("01_introduction")


def test_gradient_descent_reaches_the_least_squares_line(intro):
    assert intro["intro_fitted_per_km"] == pytest.approx(intro["intro_exact_per_km"], rel=1e-3)
    assert intro["intro_fitted_base_fare"] == pytest.approx(intro["intro_exact_base_fare"], rel=1e-2)


def test_the_loss_falls(intro):
    assert intro["intro_final_loss"] < 0.5 * intro["intro_initial_loss"]
    assert intro["intro_final_loss"] == pytest.approx(1.0, rel=0.3)  # the noise variance


def test_degree_nine_overfits(intro):
    assert intro["intro_degree9_train_rmse"] < 1e-6
    assert intro["intro_degree9_test_rmse"] > 5 * intro["intro_best_test_rmse"]
    assert 1 <= intro["intro_best_degree"] < 9
    assert intro["intro_best_test_rmse"] < 0.3  # close to the noise level of 0.2
