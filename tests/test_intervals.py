"""Exact intervals for few events, against their textbook values (Garwood
for Poisson counts) and their coverage."""

from mlbook import intervals

import pytest


def test_clopper_pearson_matches_known_values_and_edges():
    low, high = intervals.clopper_pearson(14, 487)
    assert low == pytest.approx(0.01580, abs=2e-5)
    assert high == pytest.approx(0.04776, abs=2e-5)
    assert intervals.clopper_pearson(0, 10)[0] == 0.0
    assert intervals.clopper_pearson(0, 10)[1] == pytest.approx(
        0.3085, abs=1e-4
    )
    assert intervals.clopper_pearson(10, 10) == (
        pytest.approx(0.6915, abs=1e-4),
        1.0,
    )


def test_clopper_pearson_covers_its_level():
    """Over many binomial draws the interval holds p at least 95% of the
    time (it is conservative by construction)."""
    import numpy as np

    rng = np.random.default_rng(0)
    p, n = 0.03, 200
    draws = rng.binomial(n, p, size=2000)
    held = [
        low <= p <= high
        for low, high in (intervals.clopper_pearson(int(k), n) for k in draws)
    ]
    assert np.mean(held) >= 0.95


def test_poisson_rate_matches_known_values():
    # 3 events in 6.3 hours: the exact 95% bounds of the count are
    # 0.6187 and 8.7673 (Garwood), per hour divide by 6.3.
    low, high = intervals.poisson_rate(3, 6.3)
    assert low == pytest.approx(0.6187 / 6.3, rel=1e-3)
    assert high == pytest.approx(8.7673 / 6.3, rel=1e-3)
    assert intervals.poisson_rate(0, 2.0) == (
        0.0,
        pytest.approx(3.6889 / 2.0, rel=1e-3),
    )


@pytest.mark.parametrize(
    "args", [(5, 4), (-1, 4), (1, 0), (1.5, 4), (1, 4, 1.2), (1, 4, True)]
)
def test_clopper_pearson_rejects_impossible_counts(args):
    with pytest.raises(ValueError):
        intervals.clopper_pearson(*args)


@pytest.mark.parametrize("args", [(-1, 1.0), (2.5, 1.0), (1, 0), (1, "1h")])
def test_poisson_rate_rejects_bad_inputs(args):
    with pytest.raises(ValueError, match="count|exposure"):
        intervals.poisson_rate(*args)
