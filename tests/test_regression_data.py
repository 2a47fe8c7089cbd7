"""Tests of mlbook.regression_data: invoices, homes and electricity use."""

import math

from mlbook import regression_data as rd

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.linear_model import LinearRegression

# --- contractor_invoices -----------------------------------------------------


def test_invoices_shapes_and_hours():
    hours, totals = rd.contractor_invoices(200, seed=3)
    assert hours.shape == (200, 1) and totals.shape == (200,)
    assert hours.min() >= 0.5 and hours.max() <= 8.0
    assert np.allclose(
        hours * 4, np.round(hours * 4)
    )  # billed in quarter hours


def test_invoices_without_noise_follow_the_rule_exactly():
    hours, totals = rd.contractor_invoices(
        50, hourly_rate=80.0, call_out_fee=35.0, noise_std=0.0, seed=1
    )
    np.testing.assert_allclose(totals, 35.0 + 80.0 * hours[:, 0])


def test_invoices_are_deterministic_per_seed():
    first = rd.contractor_invoices(30, noise="laplace", seed=7)
    again = rd.contractor_invoices(30, noise="laplace", seed=7)
    other = rd.contractor_invoices(30, noise="laplace", seed=8)
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.allclose(first[1], other[1])


def test_least_squares_recovers_the_rate_and_fee():
    hours, totals = rd.contractor_invoices(20_000, seed=0)
    fit = LinearRegression().fit(
        hours, totals
    )  # oracle: scikit-learn's least squares
    assert fit.coef_[0] == pytest.approx(100.0, abs=0.3)
    assert fit.intercept_ == pytest.approx(50.0, abs=1.5)


@pytest.mark.parametrize("noise", ["gaussian", "laplace"])
def test_noise_has_the_requested_standard_deviation(noise):
    hours, totals = rd.contractor_invoices(
        50_000, noise=noise, noise_std=20.0, seed=2
    )
    errors = totals - (50.0 + 100.0 * hours[:, 0])
    assert errors.std() == pytest.approx(20.0, rel=0.03)
    assert abs(errors.mean()) < 0.5


def test_laplace_noise_has_heavier_tails_than_gaussian():
    def excess_kurtosis(noise):
        hours, totals = rd.contractor_invoices(50_000, noise=noise, seed=4)
        return stats.kurtosis(totals - (50.0 + 100.0 * hours[:, 0]))

    assert excess_kurtosis("gaussian") == pytest.approx(0.0, abs=0.15)
    assert excess_kurtosis("laplace") == pytest.approx(
        3.0, abs=0.5
    )  # Laplace: 3


def test_outliers_are_a_fixed_share_of_gross_overcharges():
    hours, totals = rd.contractor_invoices(
        400, noise="outliers", outlier_fraction=0.05, seed=5
    )
    errors = totals - (50.0 + 100.0 * hours[:, 0])
    overcharged = (
        errors > 200
    )  # 10 standard deviations: never Gaussian noise alone
    assert overcharged.sum() == 20
    assert (
        errors[overcharged].min() > 300 - 100
        and errors[overcharged].max() < 1500 + 100
    )
    assert errors[~overcharged].std() == pytest.approx(20.0, rel=0.15)


def test_outlier_noise_has_a_positive_mean_and_a_far_larger_spread():
    """The Regression chapter says so: overcharges only go up.

    With a share f of overcharges U(300, 1500) on Gaussian noise of sd 20 the
    mean is 900 f and the variance 20^2 + f E[U^2] - (900 f)^2: at f = 0.05 a
    mean of $45 and a standard deviation of about $211.8.
    """
    hours, totals = rd.contractor_invoices(200_000, noise="outliers", seed=0)
    errors = totals - (50.0 + 100.0 * hours[:, 0])
    f, mean_square = 0.05, (1500**3 - 300**3) / (3 * 1200)
    expected_sd = math.sqrt(20.0**2 + f * mean_square - (900 * f) ** 2)
    assert expected_sd == pytest.approx(211.8, abs=0.1)
    standard_error = expected_sd / math.sqrt(len(errors))
    assert errors.mean() == pytest.approx(900 * f, abs=4 * standard_error)
    assert errors.std() == pytest.approx(expected_sd, rel=0.02)


def test_outliers_at_share_zero_are_the_same_invoices_without_overcharges():
    hours, totals = rd.contractor_invoices(100, noise="outliers", seed=1)
    clean_hours, clean_totals = rd.contractor_invoices(
        100, noise="outliers", outlier_fraction=0.0, seed=1
    )
    np.testing.assert_array_equal(hours, clean_hours)
    overcharges = totals - clean_totals
    assert (overcharges == 0).sum() == 95
    assert overcharges[overcharges > 0].min() >= 300
    assert overcharges.max() <= 1500


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"num_invoices": 0}, ValueError, "num_invoices must be at least 1"),
        ({"num_invoices": -5}, ValueError, "num_invoices must be at least 1"),
        (
            {"num_invoices": 2.5},
            TypeError,
            "num_invoices must be a whole number",
        ),
        (
            {"num_invoices": 10, "noise": "cauchy"},
            ValueError,
            "unknown noise 'cauchy'",
        ),
        (
            {"num_invoices": 10, "noise": None},
            ValueError,
            "unknown noise None",
        ),
        (
            {"num_invoices": 10, "noise_std": -1.0},
            ValueError,
            "noise_std must be a finite",
        ),
        (
            {"num_invoices": 10, "noise_std": math.nan},
            ValueError,
            "noise_std must be a finite",
        ),
        (
            {"num_invoices": 10, "outlier_fraction": 1.5},
            ValueError,
            "outlier_fraction",
        ),
        (
            {"num_invoices": 10, "hourly_rate": "100"},
            TypeError,
            "hourly_rate must be a number",
        ),
        (
            {"num_invoices": 10, "call_out_fee": True},
            TypeError,
            "call_out_fee must be a number",
        ),
        (
            {"num_invoices": 10, "seed": -1},
            ValueError,
            "seed must be a non-negative",
        ),
    ],
)
def test_invoices_reject_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        rd.contractor_invoices(**kwargs)


# --- home_prices and home_price_rule -----------------------------------------


def test_homes_table_has_the_documented_columns():
    homes = rd.home_prices(500, seed=1)
    assert list(homes.columns) == [*rd.HOME_COLUMNS, "price"]
    assert len(homes) == 500
    assert set(homes["city"]) == {"Harbourview", "Millbrook"}
    assert homes["square_feet"].between(600, 3500).all()
    assert (
        homes["bedrooms"].between(1, 6).all()
        and homes["bathrooms"].between(1, 4).all()
    )
    assert homes["minutes_to_centre"].between(5, 45).all()
    assert (homes["price"] > 0).all()


def test_homes_are_deterministic_per_seed():
    pd.testing.assert_frame_equal(
        rd.home_prices(100, seed=4), rd.home_prices(100, seed=4)
    )
    assert not rd.home_prices(100, seed=4).equals(rd.home_prices(100, seed=5))


def test_noise_free_prices_recover_the_documented_rule():
    homes = rd.home_prices(400, noise_std=0.0, seed=2)
    np.testing.assert_allclose(homes["price"], rd.home_price_rule(homes))
    for city, prices in rd.CITY_PRICES.items():
        in_city = homes[homes["city"] == city]
        fit = LinearRegression().fit(
            in_city[list(rd.HOME_COLUMNS[:4])], in_city["price"]
        )
        np.testing.assert_allclose(
            fit.coef_,
            [
                prices["per_square_foot"],
                rd.PER_BEDROOM,
                rd.PER_BATHROOM,
                -rd.PER_MINUTE,
            ],
            rtol=1e-6,
        )
        assert fit.intercept_ == pytest.approx(prices["base"], rel=1e-6)


def test_price_noise_has_the_requested_standard_deviation():
    homes = rd.home_prices(20_000, noise_std=25_000.0, seed=3)
    noise = homes["price"] - rd.home_price_rule(homes)
    assert noise.std() == pytest.approx(25_000.0, rel=0.03)


def test_homes_in_one_city_only():
    homes = rd.home_prices(50, cities=["Millbrook"], seed=0)
    assert set(homes["city"]) == {"Millbrook"}


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"num_homes": 0}, ValueError, "num_homes must be at least 1"),
        ({"num_homes": -3}, ValueError, "num_homes must be at least 1"),
        ({"num_homes": "10"}, TypeError, "num_homes must be a whole number"),
        (
            {"num_homes": 10, "cities": ["Atlantis"]},
            ValueError,
            "unknown city 'Atlantis'",
        ),
        (
            {"num_homes": 10, "cities": "Millbrook"},
            TypeError,
            "cities must be a list",
        ),
        ({"num_homes": 10, "cities": []}, ValueError, "cities is empty"),
        (
            {"num_homes": 10, "noise_std": -1.0},
            ValueError,
            "noise_std must be a finite",
        ),
        (
            {"num_homes": 10, "seed": 1.5},
            ValueError,
            "seed must be a non-negative",
        ),
    ],
)
def test_homes_reject_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        rd.home_prices(**kwargs)


def test_price_rule_rejects_bad_tables():
    homes = rd.home_prices(5, seed=0)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        rd.home_price_rule(homes.to_numpy())
    with pytest.raises(ValueError, match="lacks the column"):
        rd.home_price_rule(homes.drop(columns="bedrooms"))
    with pytest.raises(ValueError, match="unknown city 'Gotham'"):
        rd.home_price_rule(homes.assign(city="Gotham"))


# --- daily_electricity -------------------------------------------------------


def test_electricity_rule_is_lowest_between_heating_and_cooling():
    temperature = np.linspace(-5, 35, 401)
    use = rd.electricity_rule(temperature)
    assert 14 <= temperature[np.argmin(use)] <= 22
    assert use[0] > use.min() + 15 and use[-1] > use.min() + 5


def test_electricity_days_follow_the_rule_plus_noise():
    temperature, kwh = rd.daily_electricity(20_000, noise_std=1.5, seed=1)
    assert temperature.min() >= -5 and temperature.max() <= 35
    assert (kwh - rd.electricity_rule(temperature)).std() == pytest.approx(
        1.5, rel=0.03
    )
    temperature, kwh = rd.daily_electricity(10, noise_std=0.0, seed=1)
    np.testing.assert_allclose(kwh, rd.electricity_rule(temperature))
    np.testing.assert_array_equal(
        rd.daily_electricity(10, seed=3)[1],
        rd.daily_electricity(10, seed=3)[1],
    )


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"num_days": 0}, ValueError, "num_days must be at least 1"),
        (
            {"num_days": 10, "noise_std": -0.5},
            ValueError,
            "noise_std must be a finite",
        ),
        (
            {"num_days": 10, "seed": -2},
            ValueError,
            "seed must be a non-negative",
        ),
    ],
)
def test_electricity_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        rd.daily_electricity(**kwargs)
