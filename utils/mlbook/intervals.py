"""95% intervals for rates that rest on few events (the book's rule 4, see
"How we measure"): exact intervals, which never claim more certainty than the
counts allow."""

from numbers import Real

from .checks import check_count


def _tail(level):
    if isinstance(level, bool) or not isinstance(level, Real):
        raise ValueError(f"level must be a number, got {level!r}")
    if not 0 < level < 1:
        raise ValueError(
            f"level must lie strictly between 0 and 1 (0.95 for a 95% "
            f"interval), got {level!r}"
        )
    return (1 - level) / 2


def clopper_pearson(successes, trials, level=0.95):
    """Exact (Clopper-Pearson) interval for the proportion
    ``successes / trials``, e.g. 14 false rejects in 487 utterances."""
    from scipy.stats import beta

    successes = check_count(successes, "successes", 0)
    trials = check_count(trials, "trials", 1)
    if successes > trials:
        raise ValueError(
            f"successes ({successes}) cannot exceed trials ({trials})"
        )
    tail = _tail(level)
    low = beta.ppf(tail, successes, trials - successes + 1) if successes else 0
    high = (
        beta.ppf(1 - tail, successes + 1, trials - successes)
        if successes < trials
        else 1
    )
    return float(low), float(high)


def poisson_rate(count, exposure, level=0.95):
    """Exact (Garwood) interval for a rate of ``count`` events in
    ``exposure`` units, e.g. 3 false accepts in 6.3 hours, in events per
    unit."""
    from scipy.stats import chi2

    count = check_count(count, "count", 0)
    if isinstance(exposure, bool) or not isinstance(exposure, Real):
        raise ValueError(f"exposure must be a number, got {exposure!r}")
    if not exposure > 0:
        raise ValueError(
            f"exposure (hours, say) must be positive, got {exposure!r}"
        )
    tail = _tail(level)
    low = chi2.ppf(tail, 2 * count) / 2 if count else 0
    high = chi2.ppf(1 - tail, 2 * count + 2) / 2
    return float(low / exposure), float(high / exposure)
