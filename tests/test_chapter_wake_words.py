"""The bars of the chapter "Wake words", read from the values its executed
notebook glued."""

import pytest

STEM = "02_wake_words"


@pytest.fixture(scope="module")
def values(glued):
    return glued(STEM)


def test_held_out_voices_never_train(values):
    assert values["wake_shared_variants"] == 0
    assert values["wake_test_voices"] >= 100


def test_stream_is_long_enough_to_bound_half_a_false_accept_an_hour(values):
    assert (
        values["wake_stream_hours"] >= 6.0
    )  # rule of three: 3 / 6 h = 0.5 / h
    assert (
        values["wake_utterances"] >= 300
        and values["wake_utterances_apricot"] >= 300
    )


def test_wake_word_meets_the_openwakeword_target(values):
    assert values["wake_fa_per_hour_jarvis"] <= 0.5
    assert values["wake_frr_jarvis"] <= 0.05


def test_same_code_for_apricot_within_two_points(values):
    """Within two points of the bar, and no more than two points worse than
    "hey jarvis"."""
    assert values["wake_fa_per_hour_apricot"] <= 0.5
    assert values["wake_frr_apricot"] <= 0.05 + 0.02
    assert values["wake_frr_gap"] <= 0.02
    assert values["wake_frr_gap"] == pytest.approx(
        values["wake_frr_apricot"] - values["wake_frr_jarvis"]
    )


def test_det_curve_shows_the_quoted_operating_point(values):
    assert values["wake_det_frr_jarvis"] == pytest.approx(
        values["wake_frr_jarvis"]
    )


def test_cnn_beats_the_linear_baseline(values):
    assert values["wake_frr_jarvis"] < values["wake_frr_linear"]


def test_detector_runs_a_hundred_times_faster_than_real_time(values):
    assert 0 < values["wake_rtf"] <= 0.01


def test_sliding_shares_the_work_of_overlapping_windows(values):
    assert values["wake_sliding_macs"] < values["wake_window_macs"] / 4
    assert values["wake_sliding_saving"] == pytest.approx(
        values["wake_window_macs"] / values["wake_sliding_macs"]
    )


def test_every_figure_was_drawn(values):
    figures = [
        "waveforms",
        "stream",
        "logmel",
        "labels",
        "curves",
        "det",
        "scores",
    ]
    for name in figures:
        assert (
            "image/svg+xml" in values[f"wake_fig_{name}"]
            or "image/png" in values[f"wake_fig_{name}"]
        ), name
