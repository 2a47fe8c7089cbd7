"""Tests of mlbook.detection: window labels, training batches cut from
recordings, the sliding detector and its evaluation in false rejects and false
accepts per hour; and the whole wake-word pipeline, shortened, repeating bit
for bit."""

import json
import subprocess
import sys
from pathlib import Path

import mlbook
from mlbook import audio, detection

import numpy as np
import pandas as pd
import pytest

NOISE = (
    0.1 * np.random.default_rng(0).standard_normal(3 * audio.SAMPLE_RATE)
).astype(np.float32)
HOP = detection.HOP_FRAMES * audio.HOP_LENGTH  # samples between two scores


def _events(rows):
    return pd.DataFrame(rows, columns=["start", "stop", "text"])


# ---------------------------------------------------------------------- labels
def test_window_labels_need_the_whole_keyword():
    # "hey jarvis" from 1.0 s to 1.4 s; windows (0.995 s long) start every 0.25
    # s
    events = _events([(16000, 22400, "hey jarvis"), (40000, 48000, "apricot")])
    starts = np.array(
        [0, 30, 35, 50, 75, 100, 125, 150]
    )  # frames: 0 s, 0.3 s, ...
    labels = detection.window_labels(starts, events, "hey jarvis")
    # from 0 s: none of it; from 0.3 s: 74 %, too little; from 0.35 s: 86 %
    # (ambiguous);
    # from 0.5, 0.75 and 1.0 s: all of it; from 1.25 s: 38 %; from 1.5 s: none
    np.testing.assert_array_equal(labels, [0, 0, -1, 1, 1, 1, 0, 0])
    assert (detection.window_labels(starts, events, "banana") == 0).all()


def test_an_utterance_longer_than_a_second_labels_the_windows_it_fills():
    # a slow "hey jarvis" of 1.2 s from 1 s to 2.2 s: no window holds all of it
    events = _events([(16000, 16000 + 19200, "hey jarvis")])
    starts = np.array([90, 100, 110, 120, 130, 150])
    labels = detection.window_labels(starts, events, "hey jarvis")
    # windows inside it (starting at 1.0 s to 1.2 s) are positive; those from
    # 0.9 s and
    # 1.3 s hold 90 % of a window's worth of it (ambiguous); the one from 1.5 s
    # only 70 %
    np.testing.assert_array_equal(labels, [-1, 1, 1, 1, -1, 0])


def test_stream_labels_label_every_window_of_a_recording():
    features = np.zeros((40, 500), np.float32)
    events = _events([(16000, 22400, "hey jarvis")])
    labels = detection.stream_labels(features, events, "hey jarvis")
    assert len(labels) == 500 - 98 + 1
    np.testing.assert_array_equal(
        labels[[0, 50, 100, 125]],
        detection.window_labels([0, 50, 100, 125], events, "hey jarvis"),
    )
    with pytest.raises(ValueError, match=r"\(40, frames\)"):
        detection.stream_labels(features[:, :50], events, "hey jarvis")


# --------------------------------------------------------------------- batches
def _numbered_recordings():
    """Two recordings whose band 0 holds the frame number and band 1 the
    recording's number, with random labels."""
    rng = np.random.default_rng(0)
    features, labels = [], []
    for number, frames in enumerate((700, 1000)):
        f = rng.standard_normal((40, frames)).astype(np.float32)
        f[0], f[1] = np.arange(frames), number
        features.append(f)
        labels.append(rng.integers(-1, 2, frames - 97).astype(np.int8))
    return features, labels


def test_stream_batches_cut_stretches_with_their_window_labels():
    features, labels = _numbered_recordings()
    batches = detection.StreamBatches(
        features, labels, hops=4, batch_size=3, seed=1
    )
    frames = 98 + 8 * 3
    assert len(batches) == -(-(700 // frames + 1000 // frames) // 3)
    seen = []
    for X, y in batches:
        X, y = X.asnumpy(), y.asnumpy()
        assert X.shape[1:] == (40, frames) and y.shape == (len(X), 4)
        for x, window_labels in zip(X, y, strict=True):
            start = int(x[0, 0])
            recording = int(x[1, 0])
            np.testing.assert_array_equal(
                x, features[recording][:, start : start + frames]
            )
            np.testing.assert_array_equal(
                window_labels, labels[recording][start + 8 * np.arange(4)]
            )
            seen.append((recording, start))
    assert len(seen) == 700 // frames + 1000 // frames and len(
        set(seen)
    ) == len(seen)
    second_epoch = {
        (int(x[1, 0]), int(x[0, 0])) for X, _ in batches for x in X.asnumpy()
    }
    assert second_epoch != set(seen)  # a new offset each epoch


def test_stream_batches_in_order_start_at_the_beginning():
    features, labels = _numbered_recordings()
    batches = detection.StreamBatches(
        features, labels, hops=4, batch_size=100, shuffle=False
    )
    X, _ = next(iter(batches))
    assert X.asnumpy()[0, 0, 0] == 0 and X.asnumpy()[1, 0, 0] == 98 + 24


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda f, y: (f, y[:1]), "one label array per recording"),
        (lambda f, y: (f, [y[0][:-1], y[1]]), "make each row with stream"),
        (lambda f, y: (f, [y[0][None], y[1]]), "as many rows"),
        (lambda f, y: ([f[0][:20], f[1]], y), r"\(40, frames\)"),
        (lambda f, y: ([], []), "one label array per recording"),
    ],
)
def test_stream_batches_reject_mismatched_input(change, match):
    features, labels = change(*_numbered_recordings())
    with pytest.raises(ValueError, match=match):
        detection.StreamBatches(features, labels)


def test_stream_batches_carry_one_row_of_labels_per_keyword():
    features, labels = _numbered_recordings()
    rows = [np.stack([y, -y]) for y in labels]
    batches = detection.StreamBatches(features, rows, hops=4, batch_size=3)
    for X, y in batches:
        X, y = X.asnumpy(), y.asnumpy()
        assert y.shape == (len(X), 2, 4)
        for x, window_labels in zip(X, y, strict=True):
            start, recording = int(x[0, 0]), int(x[1, 0])
            np.testing.assert_array_equal(
                window_labels, rows[recording][:, start + 8 * np.arange(4)]
            )


def test_stream_batches_need_a_stretch_that_fits():
    features, labels = _numbered_recordings()
    with pytest.raises(ValueError, match="lower hops"):
        detection.StreamBatches(features, labels, hops=200)
    with pytest.raises(ValueError, match="at least 1"):
        detection.StreamBatches(features, labels, batch_size=0)


# -------------------------------------------------------------------- detector
class _Mean(mlbook.mxnet.gluon.nn.HybridBlock):
    """A stand-in detector: each 1 s window's score is its mean band-0
    value."""

    def hybrid_forward(self, F, x):
        pooled = F.npx.pooling(
            x[:, :1], kernel=(98,), stride=(8,), pool_type="avg", layout="NCW"
        )
        return pooled[:, 0, :]


def test_detector_slides_over_long_audio_like_over_windows():
    detector = detection.WakeWordDetector(
        _Mean(), mean=np.zeros(40), std=np.ones(40)
    )
    scores = detector(NOISE)
    windows = audio.log_mel(
        np.stack(
            [NOISE[m * HOP : m * HOP + 16000] for m in range(len(scores))]
        )
    )
    np.testing.assert_allclose(scores, windows[:, 0].mean(axis=1), rtol=1e-4)
    assert len(scores) == (audio.num_frames(len(NOISE)) - 98) // 8 + 1
    assert detector.hop_seconds == pytest.approx(0.08)


def test_detector_standardises_each_band():
    mean, std = np.full(40, 2.0), np.full(40, 4.0)
    plain = detection.WakeWordDetector(
        _Mean(), mean=np.zeros(40), std=np.ones(40)
    )
    scaled = detection.WakeWordDetector(_Mean(), mean=mean, std=std)
    np.testing.assert_allclose(
        scaled(NOISE), (plain(NOISE) - 2) / 4, rtol=1e-4, atol=1e-5
    )


class _MeanAndNegative(mlbook.mxnet.gluon.nn.HybridBlock):
    """A stand-in with two outputs: _Mean's scores and their negatives."""

    def hybrid_forward(self, F, x):
        pooled = F.npx.pooling(
            x[:, :1], kernel=(98,), stride=(8,), pool_type="avg", layout="NCW"
        )
        return F.np.concatenate([pooled, -pooled], axis=1)


def test_detector_reads_one_or_every_output_of_a_network_with_several():
    standard = dict(mean=np.zeros(40), std=np.ones(40))
    one = detection.WakeWordDetector(_Mean(), **standard)(NOISE)
    for output, sign in [(0, 1), (1, -1)]:
        detector = detection.WakeWordDetector(
            _MeanAndNegative(), output=output, **standard
        )
        np.testing.assert_allclose(detector(NOISE), sign * one, rtol=1e-6)
    both = detection.WakeWordDetector(_MeanAndNegative(), **standard)(NOISE)
    np.testing.assert_allclose(both, [one, -one], rtol=1e-6)
    for net, output in [
        (_Mean(), 0),
        (_MeanAndNegative(), 2),
    ]:
        detector = detection.WakeWordDetector(net, output=output, **standard)
        with pytest.raises(ValueError, match="pass output"):
            detector(NOISE)


def test_detector_hears_audio_through_the_features_it_is_given():
    def louder_log_mel(samples):
        return audio.log_mel(samples) + 1

    standard = dict(mean=np.zeros(40), std=np.ones(40))
    plain = detection.WakeWordDetector(_Mean(), **standard)
    louder = detection.WakeWordDetector(
        _Mean(), features=louder_log_mel, **standard
    )
    np.testing.assert_allclose(louder(NOISE), plain(NOISE) + 1, rtol=1e-5)
    with pytest.raises(TypeError, match="function of the audio"):
        detection.WakeWordDetector(_Mean(), features="pcen", **standard)


@pytest.mark.parametrize(
    "bad, kwargs, error, match",
    [
        (NOISE, {"sample_rate": 8000}, ValueError, "16000 Hz"),
        ((NOISE * 32767).astype(np.int16), {}, TypeError, "floats"),
        (np.stack([NOISE, NOISE]), {}, ValueError, "shape"),
        (NOISE[:8000], {}, ValueError, "too short"),
        (NOISE.tolist(), {}, TypeError, "NumPy array"),
    ],
)
def test_detector_rejects_bad_audio(bad, kwargs, error, match):
    detector = detection.WakeWordDetector(
        _Mean(), mean=np.zeros(40), std=np.ones(40)
    )
    with pytest.raises(error, match=match):
        detector(bad, **kwargs)


def test_detector_rejects_bad_normalisation_and_features():
    with pytest.raises(ValueError, match="one value per mel band"):
        detection.WakeWordDetector(_Mean(), mean=np.zeros(13), std=np.ones(13))
    with pytest.raises(ValueError, match="positive"):
        detection.WakeWordDetector(
            _Mean(), mean=np.zeros(40), std=np.zeros(40)
        )
    detector = detection.WakeWordDetector(
        _Mean(), mean=np.zeros(40), std=np.ones(40)
    )
    with pytest.raises(ValueError, match=r"\(40, frames\)"):
        detector.score_features(np.zeros((13, 500), np.float32))


def _window_weights(net):
    """LinearDetector's weights as one (outputs, 40 bands, 98 frames) array:
    those of the plain 98-frame convolution it stands for."""
    sliced = net.sliced.weight.data().asnumpy()  # (outputs x 12, 40, 8)
    slices = sliced.reshape(net.outputs, net.slices, 40, 8)
    whole = slices.transpose(0, 2, 1, 3).reshape(net.outputs, 40, -1)
    rest = net.rest.weight.data().asnumpy()
    return np.concatenate([whole, rest], axis=2), net.rest.bias.data()


@pytest.mark.parametrize("outputs", [1, 2])
@pytest.mark.parametrize("hybridize", [False, True])
def test_linear_detector_is_logistic_regression_on_every_window(
    outputs, hybridize
):
    net = detection.LinearDetector(outputs)
    net.initialize(mlbook.mxnet.init.Xavier())
    if hybridize:
        net.hybridize()
    # lengths that leave 0 to 7 frames after the last window, and a stretch
    for frames in [*range(98, 106), 98 + 8 * 63, 7001]:
        x = np.random.default_rng(frames).normal(size=(2, 40, frames))
        x = x.astype(np.float32)
        scores = net(mlbook.mxnet.np.array(x)).asnumpy()
        weights, bias = _window_weights(net)
        assert weights.shape == (outputs, 40, 98)
        windows = np.lib.stride_tricks.sliding_window_view(x, 98, axis=2)
        windows = windows[:, :, :: detection.HOP_FRAMES]
        expected = np.einsum("bcmt,oct->bom", windows, weights)
        np.testing.assert_allclose(
            scores,
            expected + bias.asnumpy()[None, :, None],
            rtol=1e-4,
            atol=1e-4,
        )
    assert mlbook.num_parameters(net) == outputs * (40 * 98 + 1)


# ------------------------------------------------------------------ evaluation
def test_detect_waits_a_refractory_period():
    scores = np.array(
        [0, 5, 6, 5, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0], float
    )
    np.testing.assert_array_equal(
        detection.detect(scores, 4, refractory=13), [1, 16]
    )
    np.testing.assert_array_equal(
        detection.detect(scores, 4, refractory=2), [1, 3, 6, 16]
    )
    assert len(detection.detect(scores, 10)) == 0


def _scored_recording():
    scores = np.full(3000, -5.0)  # 3000 x 80 ms = 4 minutes
    said = [(100 * HOP, 100 * HOP + 8000), (1000 * HOP, 1000 * HOP + 8000)]
    events = _events(
        [(a, b, "hey jarvis") for a, b in said]
        + [(2000 * HOP, 2000 * HOP + 8000, "hey travis")]
    )
    scores[100 - 5] = (
        3.0  # window ending 0.5 s after the first word began: a hit
    )
    scores[2000 - 5] = 2.0  # on "hey travis": a false accept
    return scores, events


def test_score_stream_counts_hits_and_false_accepts():
    scores, events = _scored_recording()
    result = detection.score_stream(
        [scores], [events], "hey jarvis", threshold=1.0
    )
    assert (
        result["hits"] == 1
        and result["utterances"] == 2
        and result["frr"] == 0.5
    )
    assert result["false_accepts"] == 1
    assert result["false_accept_table"]["text"].tolist() == ["hey travis"]
    hours = (3000 * HOP - 2 * (16000 + 4000)) / 16000 / 3600
    assert result["hours"] == pytest.approx(hours)
    assert result["fa_per_hour"] == pytest.approx(1 / hours)
    assert "clip" not in result["false_accept_table"]  # events name none

    strict = detection.score_stream(
        [scores], [events], "hey jarvis", threshold=2.5
    )
    assert strict["false_accepts"] == 0 and strict["hits"] == 1
    found, threshold = detection.frr_at(
        [scores], [events], "hey jarvis", fa_per_hour=0.5
    )
    assert 2.0 < threshold <= 3.0 and found["frr"] == 0.5
    curve = detection.det_curve([scores], [events], "hey jarvis")
    assert curve["fa_per_hour"].is_monotonic_increasing
    assert curve["frr"].is_monotonic_decreasing


def test_false_accepts_name_the_clip_once_per_recording_it_fooled():
    scores, events = _scored_recording()
    events = events.assign(clip=[7, 8, 42])  # "hey travis" is clip 42
    result = detection.score_stream(
        [scores, scores], [events, events], "hey jarvis", threshold=1.0
    )
    table = result["false_accept_table"]
    assert table["clip"].tolist() == [42, 42]
    assert table["text"].tolist() == ["hey travis"] * 2


def test_det_curve_is_exact_where_products_operate():
    rng = np.random.default_rng(3)
    scores = rng.normal(-5, 2, 20000)  # about 27 minutes of scores
    starts = np.arange(50, 19900, 400)
    events = _events([(m * HOP, m * HOP + 9000, "hey jarvis") for m in starts])
    scores[starts + 6] = rng.normal(
        2, 2, len(starts)
    )  # the wake words score higher
    curve = detection.det_curve([scores], [events], "hey jarvis")
    for rate in (2.0, 5.0, 20.0):
        found, _ = detection.frr_at(
            [scores], [events], "hey jarvis", fa_per_hour=rate
        )
        best_on_curve = curve[curve["fa_per_hour"] <= rate]["frr"].min()
        assert best_on_curve == pytest.approx(found["frr"])


def test_score_stream_rejects_mismatched_or_empty_input():
    scores, events = _scored_recording()
    with pytest.raises(ValueError, match="one events table"):
        detection.score_stream([scores, scores], [events], "hey jarvis", 1.0)
    with pytest.raises(ValueError, match="no utterance of 'apricot'"):
        detection.score_stream([scores], [events], "apricot", 1.0)


def test_utterance_scores_give_each_utterance_its_best_score():
    scores, events = _scored_recording()
    table = detection.utterance_scores(
        [scores], [events], ["hey jarvis", "hey travis"]
    )
    assert table["text"].tolist() == ["hey jarvis", "hey jarvis", "hey travis"]
    np.testing.assert_array_equal(table["best_score"], [3.0, -5.0, 2.0])
    only = detection.utterance_scores([scores], [events], "hey travis")
    assert only["best_score"].tolist() == [2.0]


def test_intervals_are_clopper_pearson_and_poisson():
    # 14 misses of 487 utterances, 3 false accepts in 6.3 hours
    result = {
        "utterances": 487,
        "hits": 473,
        "false_accepts": 3,
        "hours": 6.3,
    }
    bounds = detection.intervals(result)
    frr_low, frr_high = bounds["frr"]
    assert frr_low == pytest.approx(0.0158, abs=5e-4)
    assert frr_high == pytest.approx(0.0478, abs=5e-4)
    fa_low, fa_high = bounds["fa_per_hour"]
    # exact Poisson 95 % interval for 3 events: 0.619 to 8.77
    assert fa_low == pytest.approx(0.619 / 6.3, rel=1e-2)
    assert fa_high == pytest.approx(8.767 / 6.3, rel=1e-2)


def test_intervals_of_nothing_start_at_zero():
    result = {"utterances": 50, "hits": 50, "false_accepts": 0, "hours": 6}
    bounds = detection.intervals(result)
    assert bounds["frr"][0] == 0 and 0 < bounds["frr"][1] < 0.08
    # no false accept in 6 h: the upper bound is about 3.7 / 6 (two-sided)
    assert bounds["fa_per_hour"][0] == 0
    assert bounds["fa_per_hour"][1] == pytest.approx(3.689 / 6, rel=1e-3)
    with pytest.raises(ValueError, match="level"):
        detection.intervals(result, level=95)


def test_mask_bands_hides_at_most_two_runs_of_bands_per_stretch():
    features, labels = _numbered_recordings()
    features = [f + 1 for f in features]  # no band is zero before masking
    masked = detection.StreamBatches(
        features, labels, hops=4, seed=3, mask_bands=6
    )
    plain = detection.StreamBatches(features, labels, hops=4, seed=3)
    X = next(iter(plain))[0].asnumpy()
    widths = []
    for _ in range(50):
        X_masked = masked._mask_bands(X.copy())  # it masks in place
        hidden = (X_masked == 0).all(axis=2)  # whole bands, every frame
        np.testing.assert_array_equal(X_masked[~hidden], X[~hidden])
        for row in hidden:
            runs = np.flatnonzero(np.diff(np.r_[0, row.astype(int), 0]))
            assert len(runs) <= 4  # two runs (which may touch or overlap)
            widths += list(runs[1::2] - runs[::2])
            assert row.sum() <= 12
    assert max(widths) > 6 - 1 and min(widths) >= 1
    with pytest.raises(ValueError, match="mask_bands"):
        detection.StreamBatches(features, labels, hops=4, mask_bands=-1)


def test_shift_bands_moves_whole_stretches_and_repeats_the_edge():
    features, labels = _numbered_recordings()
    shifted = detection.StreamBatches(
        features, labels, hops=4, seed=3, shift_bands=3
    )
    X = next(iter(detection.StreamBatches(features, labels, hops=4)))[0]
    X = X.asnumpy()
    seen = set()
    for _ in range(50):
        moved = shifted._shift_bands(X)
        assert moved.shape == X.shape
        for before, after in zip(X, moved, strict=True):
            # the shift s whose edge-repeated copy of the stretch it is
            matches = [
                s
                for s in range(-3, 4)
                if np.array_equal(
                    after, before[np.clip(np.arange(40) - s, 0, 39)]
                )
            ]
            assert matches, "a stretch was changed, not just moved"
            seen.update(matches)
    assert seen == set(range(-3, 4))
    with pytest.raises(ValueError, match="shift_bands"):
        detection.StreamBatches(features, labels, hops=4, shift_bands=10)


# ----------------------------------------------------------------- repeatable
WORKLOAD = Path(__file__).parent / "wake_word_workload.py"


def run_wake_word_workload():
    result = subprocess.run(
        [sys.executable, str(WORKLOAD)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_the_wake_word_pipeline_repeats_bit_for_bit():
    """Two fresh processes record, mix, featurise, train and score the same
    bits: the chapter's numbers repeat on one machine."""
    first, second = run_wake_word_workload(), run_wake_word_workload()
    assert first == second
    assert first["losses"][-1] < first["losses"][0]  # it did learn
