"""Made-up data for the Regression chapter: invoices, homes, electricity use.

Every generator follows a rule written down here, so the chapter knows the
truth a model should find and the smallest error any model can reach (the noise
floor).
"""

import math
import numbers

import numpy as np
import pandas as pd

from .checks import check_positive_int, check_seed

INVOICE_NOISES = ("gaussian", "laplace", "outliers")

# The price rule of the homes: price = base + per_square_foot * square_feet
#   + PER_BEDROOM * bedrooms + PER_BATHROOM * bathrooms
#   - PER_MINUTE * minutes_to_centre + noise.
# The city sets the base and, above all, the price of a square foot.
CITY_PRICES = {
    "Harbourview": {
        "base": 150_000.0,
        "per_square_foot": 400.0,
    },  # the expensive city
    "Millbrook": {
        "base": 50_000.0,
        "per_square_foot": 120.0,
    },  # the cheap city
}
PER_BEDROOM = 10_000.0
PER_BATHROOM = 20_000.0
PER_MINUTE = 1_000.0
HOME_COLUMNS = (
    "square_feet",
    "bedrooms",
    "bathrooms",
    "minutes_to_centre",
    "city",
)


def contractor_invoices(
    num_invoices,
    hourly_rate=100.0,
    call_out_fee=50.0,
    noise="gaussian",
    noise_std=20.0,
    outlier_fraction=0.05,
    seed=0,
):
    """Hours worked, shape (n, 1), and invoice totals, shape (n,), in dollars.

    total = call_out_fee + hourly_rate * hours + noise. ``noise`` is "gaussian"
    (mean 0, standard deviation ``noise_std``), "laplace" (the same mean and
    standard deviation, heavier tails) or "outliers": Gaussian, plus an
    overcharge drawn uniformly from $300-$1500 on a share ``outlier_fraction``
    of the invoices. Overcharges only go up, so that noise has a mean of about
    900 * outlier_fraction and a far larger standard deviation (about $212 at
    the defaults). The overcharges are drawn last: with ``outlier_fraction=0``
    and the same seed, "outliers" gives the same invoices without them.
    """
    num_invoices = check_positive_int(num_invoices, "num_invoices")
    hourly_rate = _check_number(hourly_rate, "hourly_rate")
    call_out_fee = _check_number(call_out_fee, "call_out_fee")
    noise_std = _check_number(noise_std, "noise_std", minimum=0.0)
    outlier_fraction = _check_number(
        outlier_fraction, "outlier_fraction", 0.0, 1.0
    )
    if not isinstance(noise, str) or noise not in INVOICE_NOISES:
        raise ValueError(
            f"unknown noise {noise!r}: use one of {', '.join(INVOICE_NOISES)}"
        )
    rng = np.random.default_rng(check_seed(seed))
    hours = (
        np.round(rng.uniform(0.5, 8.0, size=num_invoices) * 4) / 4
    )  # quarter hours
    if noise == "laplace":
        errors = rng.laplace(0.0, noise_std / math.sqrt(2), size=num_invoices)
    else:
        errors = rng.normal(0.0, noise_std, size=num_invoices)
    if noise == "outliers":
        num_outliers = round(outlier_fraction * num_invoices)
        overcharged = rng.choice(
            num_invoices, size=num_outliers, replace=False
        )
        errors[overcharged] += rng.uniform(300.0, 1500.0, size=num_outliers)
    totals = call_out_fee + hourly_rate * hours + errors
    return hours.reshape(-1, 1), totals


def home_prices(
    num_homes, cities=tuple(CITY_PRICES), noise_std=25_000.0, seed=0
):
    """A table of homes (one row each) with their sale price in dollars.

    The price follows ``home_price_rule`` plus Gaussian noise of standard
    deviation ``noise_std``; homes are spread evenly at random over ``cities``.
    """
    num_homes = check_positive_int(num_homes, "num_homes")
    cities = _check_cities(cities)
    noise_std = _check_number(noise_std, "noise_std", minimum=0.0)
    rng = np.random.default_rng(check_seed(seed))
    square_feet = np.round(rng.uniform(600, 3500, size=num_homes), -1)
    bedrooms = np.clip(
        np.round(square_feet / 600 + rng.normal(0, 0.7, num_homes)), 1, 6
    )
    bathrooms = np.clip(
        np.round(bedrooms / 2 + rng.normal(0, 0.5, num_homes)), 1, 4
    )
    homes = pd.DataFrame(
        {
            "square_feet": square_feet,
            "bedrooms": bedrooms.astype(int),
            "bathrooms": bathrooms.astype(int),
            "minutes_to_centre": rng.integers(5, 46, size=num_homes),
            "city": rng.choice(np.array(cities), size=num_homes),
        }
    )
    homes["price"] = home_price_rule(homes) + rng.normal(
        0, noise_std, num_homes
    )
    return homes


def home_price_rule(homes):
    """The noise-free price of each home in a table like ``home_prices``."""
    if not isinstance(homes, pd.DataFrame):
        raise TypeError(
            f"homes must be a pandas DataFrame like home_prices() returns, "
            f"got {type(homes).__name__}"
        )
    missing = [
        column for column in HOME_COLUMNS if column not in homes.columns
    ]
    if missing:
        raise ValueError(
            f"homes lacks the column(s) {missing}: the rule needs "
            f"{list(HOME_COLUMNS)}"
        )
    _check_cities(homes["city"].unique())
    base = homes["city"].map(lambda city: CITY_PRICES[city]["base"])
    per_square_foot = homes["city"].map(
        lambda city: CITY_PRICES[city]["per_square_foot"]
    )
    price = (
        base
        + per_square_foot * homes["square_feet"]
        + PER_BEDROOM * homes["bedrooms"]
        + PER_BATHROOM * homes["bathrooms"]
        - PER_MINUTE * homes["minutes_to_centre"]
    )
    return price.to_numpy(dtype=float)


def electricity_rule(temperature):
    """Expected daily electricity use (kWh) at a mean outdoor temperature (C).

    A base load, heating below 14 C and air conditioning above 22 C.
    """
    temperature = np.asarray(temperature, dtype=float)
    return (
        8.0
        + 1.2 * np.logaddexp(0, 14.0 - temperature)
        + 0.8 * np.logaddexp(0, temperature - 22.0)
    )


def daily_electricity(num_days, noise_std=1.5, seed=0):
    """Mean outdoor temperature (C) and electricity use (kWh) on random days.

    One house, following ``electricity_rule`` plus Gaussian noise.
    """
    num_days = check_positive_int(num_days, "num_days")
    noise_std = _check_number(noise_std, "noise_std", minimum=0.0)
    rng = np.random.default_rng(check_seed(seed))
    temperature = rng.uniform(-5.0, 35.0, size=num_days)
    return temperature, electricity_rule(temperature) + rng.normal(
        0, noise_std, num_days
    )


def _check_number(value, name, minimum=-math.inf, maximum=math.inf):
    """Return ``value`` as a float if it is a finite number in [min, max]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number, got {value!r} of type "
            f"{type(value).__name__}"
        )
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise ValueError(
            f"{name} must be a finite number between {minimum} and {maximum}, "
            f"got {value}"
        )
    return float(value)


def _check_cities(cities):
    """Return ``cities`` as a list if it names at least one known city."""
    if isinstance(cities, str):
        raise TypeError(
            f"cities must be a list of city names, e.g. [{cities!r}], "
            f"not the string {cities!r}"
        )
    cities = list(cities)
    if not cities:
        raise ValueError(
            f"cities is empty: name at least one of {list(CITY_PRICES)}"
        )
    unknown = [city for city in cities if city not in CITY_PRICES]
    if unknown:
        raise ValueError(
            f"unknown city {unknown[0]!r}: the price rule knows only "
            f"{list(CITY_PRICES)}"
        )
    return cities
