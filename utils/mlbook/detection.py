"""A wake-word detector that slides over a recording, how to train it on whole
recordings, and how to measure it the way wake-word engines are measured: false
rejects against false accepts per hour. The chapter "Wake words" motivates each
piece."""

import numpy as np
import pandas as pd
from mxnet import np as mnp
from mxnet.gluon import nn

from .audio import (
    HOP_LENGTH,
    N_MELS,
    SAMPLE_RATE,
    WIN_LENGTH,
    check_audio,
    log_mel,
    num_frames,
)
from .checks import check_positive_int
from .intervals import clopper_pearson, poisson_rate

WINDOW_SAMPLES = SAMPLE_RATE  # the detector looks at 1 s at a time
WINDOW_FRAMES = num_frames(WINDOW_SAMPLES)  # 98 log-mel frames
WINDOW_SPAN = (
    WINDOW_FRAMES - 1
) * HOP_LENGTH + WIN_LENGTH  # 15920 samples they cover
HOP_FRAMES = 8  # one score every 8 frames: 80 ms
HOP_SAMPLES = HOP_FRAMES * HOP_LENGTH  # 1280 samples between two scores
REFRACTORY = 13  # after firing, rest 13 scores (about a second)


# ---------------------------------------------------------------------- labels
def window_labels(starts, events, target, ambiguous=0.75):
    """Labels for the 1 s windows that start at log-mel frames ``starts`` of a
    recording.

    1 if a window holds all of an utterance of ``target`` (all of the window,
    for an utterance longer than a second); 0 if it holds less than
    ``ambiguous`` of every one, so that "jarvis" without its "hey" is a
    negative; -1 (ambiguous, best not learned from) in between. ``events`` is
    the table of what was said where, from ``make_stream``."""
    said = events[events["text"] == target]
    begin, end = said["start"].to_numpy(), said["stop"].to_numpy()
    first = np.asarray(starts) * HOP_LENGTH
    last = first + WINDOW_SPAN
    labels = np.zeros(len(first), np.int8)
    if len(said) == 0:
        return labels
    nearest = np.searchsorted(end, first)
    for k in range(3):  # at most three utterances meet a window
        j = np.minimum(nearest + k, len(said) - 1)
        overlap = np.clip(
            np.minimum(last, end[j]) - np.maximum(first, begin[j]), 0, None
        )
        share = overlap / np.minimum(end[j] - begin[j], WINDOW_SPAN)
        labels = np.where(
            share >= 1,
            1,
            np.where((share >= ambiguous) & (labels != 1), -1, labels),
        )
    return labels


def stream_labels(features, events, target):
    """The label of every 1 s window of a recording's log-mel ``features`` (40,
    frames), one per starting frame: see ``window_labels``."""
    features = _check_features(features)
    return window_labels(
        np.arange(features.shape[1] - WINDOW_FRAMES + 1), events, target
    )


def _check_features(features):
    """Return ``features`` if it is a mel spectrogram (40, frames) of at least
    a second."""
    if (
        not isinstance(features, np.ndarray)
        or features.ndim != 2
        or features.shape[0] != N_MELS
        or features.shape[1] < WINDOW_FRAMES
    ):
        shape = getattr(features, "shape", type(features).__name__)
        raise ValueError(
            f"features must be a mel spectrogram of shape ({N_MELS}, frames) "
            f"with at least {WINDOW_FRAMES} frames (one second), got {shape}"
        )
    return features


# --------------------------------------------------------------------- batches
class StreamBatches:
    """Minibatches for training a detector on whole recordings, the way it
    listens.

    Each example is a stretch of ``hops`` consecutive 1 s windows, one every 80
    ms, cut from a recording's log-mel features, with one label per window
    (from ``stream_labels``), or one row of labels per keyword for a network
    with one output per keyword. A network without padding in time scores every
    window of a stretch in one pass, sharing the work of overlapping windows.
    Each pass over the data (an epoch) cuts the recordings at a new random
    offset and shuffles the stretches; with ``mask_bands`` it also hides two
    runs of bands in each stretch (see ``_mask_bands``), and with
    ``shift_bands`` it moves each stretch up or down the mel bands (see
    ``_shift_bands``)."""

    def __init__(
        self,
        features,
        labels,
        hops=64,
        batch_size=8,
        shuffle=True,
        seed=0,
        mask_bands=0,
        shift_bands=0,
    ):
        if len(features) != len(labels) or not features:
            raise ValueError(
                f"need one label array per recording, got {len(features)} "
                f"recordings and {len(labels)} label arrays"
            )
        self.hops = check_positive_int(hops, "hops")
        self.batch_size = check_positive_int(batch_size, "batch_size")
        for name, bands in [
            ("mask_bands", mask_bands),
            ("shift_bands", shift_bands),
        ]:
            if isinstance(bands, bool) or bands not in range(N_MELS // 4):
                raise ValueError(
                    f"{name} must be a whole number from 0 to "
                    f"{N_MELS // 4 - 1}, got {bands!r}"
                )
        self.mask_bands, self.shift_bands = mask_bands, shift_bands
        self.frames = WINDOW_FRAMES + HOP_FRAMES * (
            self.hops - 1
        )  # one stretch
        for f, y in zip(features, labels, strict=True):
            _check_features(f)
            if np.ndim(y) not in (1, 2) or np.shape(y)[-1] != (
                f.shape[1] - WINDOW_FRAMES + 1
            ):
                raise ValueError(
                    f"a recording of {f.shape[1]} frames has "
                    f"{f.shape[1] - WINDOW_FRAMES + 1} windows, got labels "
                    f"of shape {np.shape(y)}: make each row with "
                    "stream_labels"
                )
        if len({np.shape(y)[:-1] for y in labels}) > 1:
            raise ValueError(
                "every recording needs as many rows of labels (one per "
                "keyword)"
            )
        if max(f.shape[1] for f in features) < self.frames:
            raise ValueError(
                f"recordings are shorter than one stretch of {self.hops} "
                f"windows ({self.frames} frames): lower hops"
            )
        self.features, self.labels, self.shuffle = features, labels, shuffle
        self.rng = np.random.default_rng(seed)

    def _stretches(self):
        """(recording, first frame) of every stretch in this epoch."""
        pieces = []
        for i, f in enumerate(self.features):
            count = f.shape[1] // self.frames
            slack = f.shape[1] - count * self.frames
            offset = (
                int(self.rng.integers(0, slack + 1)) if self.shuffle else 0
            )
            pieces += [(i, offset + k * self.frames) for k in range(count)]
        if self.shuffle:
            self.rng.shuffle(pieces)
        return pieces

    def __len__(self):
        count = sum(f.shape[1] // self.frames for f in self.features)
        return -(-count // self.batch_size)

    def __iter__(self):
        pieces = self._stretches()
        hop_offsets = HOP_FRAMES * np.arange(self.hops)
        for b in range(0, len(pieces), self.batch_size):
            batch = pieces[b : b + self.batch_size]
            X = np.stack(
                [self.features[i][:, s : s + self.frames] for i, s in batch]
            )
            if self.mask_bands:
                X = self._mask_bands(X)
            if self.shift_bands:
                X = self._shift_bands(X)
            y = np.stack(
                [self.labels[i][..., s + hop_offsets] for i, s in batch]
            )
            yield (
                mnp.array(X, dtype=np.float32),
                mnp.array(y, dtype=np.float32),
            )

    def _mask_bands(self, X):
        """Set two runs of up to ``mask_bands`` neighbouring mel bands of each
        stretch of ``X`` to zero (the training mean, once standardised), in
        place, as SpecAugment does: the network cannot lean on any one
        formant, which some voices move or lack."""
        bands = np.arange(N_MELS)
        keep = np.ones((len(X), N_MELS), dtype=bool)
        for _ in range(2):
            widths = self.rng.integers(0, self.mask_bands + 1, len(X))
            starts = self.rng.integers(0, N_MELS - widths + 1)
            keep &= (bands < starts[:, None]) | (
                bands >= (starts + widths)[:, None]
            )
        X[~keep] = 0  # X is this batch's own copy: zero it in place
        return X

    def _shift_bands(self, X):
        """Move each stretch of ``X`` up or down by a random whole number of
        mel bands, at most ``shift_bands``, repeating the edge band into the
        place left empty. A speaker with a shorter vocal tract has every
        formant higher by about the same factor. Above 1 kHz, where the mel
        scale is logarithmic, that is a shift by the same number of bands (3
        bands are a factor of 1.25); below, a shift only approximates it.
        Unlike playing a clip faster, a shift leaves the timing alone."""
        shifts = self.rng.integers(
            -self.shift_bands, self.shift_bands + 1, len(X)
        )
        bands = np.clip(np.arange(N_MELS) - shifts[:, None], 0, N_MELS - 1)
        return X[np.arange(len(X))[:, None], bands]

    def __repr__(self):
        return (
            f"StreamBatches({len(self)} batches of {self.batch_size} "
            f"stretches of {self.hops} windows)"
        )


# -------------------------------------------------------------------- detector
class LinearDetector(nn.HybridBlock):
    """Logistic regression on the whole 1 s window: one weight per mel band
    and frame and a bias for each of ``outputs`` keywords, slid over a
    recording like a network, one score every ``HOP_FRAMES`` frames.

    That is one convolution with a 98-frame kernel and stride 8, but MXNet's
    CPU kernels are slow for so long a kernel with one output (about three
    times slower here). So the sums are taken in pieces: a stride-8
    convolution scores each 8-frame slice of the audio once for each slice
    position in a window, a fixed convolution adds up the slices that make
    each window, and the frames left over (98 is not a multiple of 8) get a
    small convolution of their own. Each weight of the plain convolution is
    one weight here, so the model and its number of weights are the same."""

    def __init__(self, outputs=1, **kwargs):
        super().__init__(**kwargs)
        self.outputs = check_positive_int(outputs, "outputs")
        # 98 frames = 12 slices of 8 frames and 2 frames left over
        self.slices, self.leftover = divmod(WINDOW_FRAMES, HOP_FRAMES)
        self.sliced = nn.Conv1D(
            outputs * self.slices,
            kernel_size=HOP_FRAMES,
            strides=HOP_FRAMES,
            in_channels=N_MELS,
            use_bias=False,
        )
        self.rest = nn.Conv1D(
            outputs,
            kernel_size=self.leftover,
            strides=HOP_FRAMES,
            in_channels=N_MELS,
        )
        adds = np.zeros((outputs, self.slices, self.slices), np.float32)
        adds[:, np.arange(self.slices), np.arange(self.slices)] = 1
        self.adds = self.params.get_constant("adds", mnp.array(adds))

    def hybrid_forward(self, F, x, adds):
        # slice k of output j at each stride-8 step, up to the last whole
        # window's last slice
        slices = self.sliced(x[:, :, : -self.leftover])
        # window m adds slice k taken at step m + k, for k = 0 ... slices - 1
        windows = F.npx.convolution(
            slices,
            adds,
            kernel=(self.slices,),
            num_filter=self.outputs,
            num_group=self.outputs,
            no_bias=True,
        )
        return windows + self.rest(x[:, :, self.slices * HOP_FRAMES :])


class WakeWordDetector:
    """Listens to audio and gives one score every 80 ms: the network's logit
    that the second of audio just heard held the wake word. The network is slid
    over the whole spectrogram at once, which gives what scoring each 1 s
    window on its own would. For a network with one row of scores per keyword,
    ``output`` says which row to listen to; without it the detector gives
    every row, one pass of the network for all its keywords. ``features``
    turns audio into what the network was trained on: a (40, frames)
    spectrogram, by default the log-mel."""

    hop_seconds = HOP_SAMPLES / SAMPLE_RATE  # time between two scores

    def __init__(self, net, mean, std, output=None, features=log_mel):
        if not callable(features):
            raise TypeError(
                "features must be a function of the audio, such as "
                f"audio.log_mel, got {features!r}"
            )
        self.net, self.output, self.features = net, output, features
        self.mean = np.asarray(mean, np.float32).reshape(-1, 1)
        self.std = np.asarray(std, np.float32).reshape(-1, 1)
        if (
            self.mean.shape != (N_MELS, 1)
            or self.std.shape != (N_MELS, 1)
            or not (self.std > 0).all()
        ):
            raise ValueError(
                f"mean and std must hold one value per mel band ({N_MELS}), "
                f"std all positive; got shapes {self.mean.shape[:1]} and "
                f"{self.std.shape[:1]}"
            )

    def __call__(self, audio, sample_rate=SAMPLE_RATE):
        """Scores for 1-D float audio at 16 kHz, at least a second long; score
        ``m`` covers the second of audio that starts at ``m * hop_seconds``."""
        audio = check_audio(audio, sample_rate, min_samples=WINDOW_SAMPLES)
        return self.score_features(self.features(audio))

    def score_features(self, features):
        """Scores from the features (40, frames) of at least one second of
        audio."""
        features = _check_features(np.asarray(features, np.float32))
        normalised = (features - self.mean) / self.std
        scores = self.net(mnp.array(normalised[None]))[0]
        if self.output is None:
            return scores.asnumpy()
        if scores.ndim != 2 or self.output not in range(len(scores)):
            raise ValueError(
                f"the network gives scores of shape {scores.shape}: pass "
                "output (which row) only for a network with one row per "
                f"keyword, and one of its rows; got output={self.output!r}"
            )
        return scores[self.output].asnumpy()

    def __repr__(self):
        every = f"{self.hop_seconds * 1000:.0f} ms"
        return f"WakeWordDetector(one score every {every})"


# ------------------------------------------------------------------ evaluation
def detect(scores, threshold, refractory=REFRACTORY):
    """Where a detector fires: the first score at or above ``threshold``, then
    nothing for ``refractory`` steps (13 x 80 ms, about a second), then the
    next, and so on."""
    above = np.flatnonzero(np.asarray(scores) >= threshold)
    fired, i = [], 0
    while i < len(above):
        fired.append(above[i])
        i = np.searchsorted(above, above[i] + refractory)
    return np.array(fired, dtype=np.int64)


def _join_recordings(scores, events, refractory):
    """Put recordings end to end (with silent scores between) for one sweep
    over all."""
    if len(scores) != len(events) or not scores:
        raise ValueError(
            f"need one events table per scored recording, got {len(scores)} "
            f"score arrays and {len(events)} tables"
        )
    joined_scores, joined_events, offset = [], [], 0
    for recording_scores, recording_events in zip(scores, events, strict=True):
        joined_scores += [
            np.asarray(recording_scores, np.float64),
            np.full(refractory, -np.inf),
        ]
        shifted = recording_events.copy()
        shifted[["start", "stop"]] += offset * HOP_SAMPLES
        joined_events.append(shifted)
        offset += len(recording_scores) + refractory
    return np.concatenate(joined_scores), pd.concat(
        joined_events, ignore_index=True
    )


def _due(steps):
    """When scores number ``steps`` are due (in samples): as their 1 s windows
    end."""
    return np.asarray(steps) * HOP_SAMPLES + WINDOW_SPAN


def _hit_regions(said):
    """When a detection counts for each utterance: from its start until a
    quarter second after the last 1 s window that holds all of it."""
    begin = said["start"].to_numpy()
    end = (
        np.maximum(said["stop"].to_numpy(), begin + WINDOW_SAMPLES)
        + SAMPLE_RATE // 4
    )
    return begin, end


class _Sweep:
    """Recordings joined once, so many thresholds can be tried quickly."""

    def __init__(self, scores, events, target, refractory):
        self.refractory = refractory
        self.scores, self.table = _join_recordings(scores, events, refractory)
        said = self.table[self.table["text"] == target]
        if len(said) == 0:
            raise ValueError(
                f"no utterance of {target!r} in the events: nothing to detect"
            )
        self.begin, self.end = _hit_regions(said)
        scored_hours = (
            np.isfinite(self.scores).sum() * HOP_SAMPLES / SAMPLE_RATE / 3600
        )
        self.hours = (
            scored_hours - (self.end - self.begin).sum() / SAMPLE_RATE / 3600
        )

    def _inside(self, due):
        """For detections due at samples ``due``: the utterance each comes
        after, and whether it falls in that utterance's hit region."""
        nearest = np.searchsorted(self.begin, due) - 1
        return nearest, (nearest >= 0) & (
            due <= self.end[np.maximum(nearest, 0)]
        )

    def at(self, threshold):
        fired = detect(self.scores, threshold, self.refractory)
        due = _due(fired)
        nearest, inside = self._inside(due)
        hits = len(np.unique(nearest[inside]))
        false_times = due[~inside]
        # the utterance said, or last said, at each false accept
        heard = (
            np.searchsorted(self.table["start"].to_numpy(), false_times) - 1
        )

        def said(column, before_any):
            values = self.table[column].to_numpy()[np.maximum(heard, 0)]
            return np.where(heard >= 0, values, before_any)

        false_accepts = pd.DataFrame(
            {
                "time_s": false_times / SAMPLE_RATE,
                "text": said("text", ""),
                "score": self.scores[fired[~inside]],
            }
        )
        if "clip" in self.table:  # which clip of the bank, if events say
            false_accepts["clip"] = said("clip", -1)
        return {
            "frr": 1 - hits / len(self.begin),
            "fa_per_hour": len(false_times) / self.hours,
            "hits": hits,
            "utterances": len(self.begin),
            "false_accepts": len(false_times),
            "hours": self.hours,
            "false_accept_table": false_accepts,
        }

    def false_accept_scores(self):
        """The scores of all windows that would be false accepts if they fired,
        high to low."""
        _, inside = self._inside(_due(np.arange(len(self.scores))))
        outside = self.scores[~inside]
        return np.sort(outside[np.isfinite(outside)])[::-1]

    def lenient(self, alarms_per_hour=1000):
        """Scores from high to low, and the index of a threshold about
        ``alarms_per_hour`` windows an hour reach."""
        finite = np.sort(self.scores[np.isfinite(self.scores)])[::-1]
        rank = int(
            alarms_per_hour * len(finite) * HOP_SAMPLES / SAMPLE_RATE / 3600
        )
        return finite, min(len(finite) - 1, rank)


def score_stream(scores, events, target, threshold, refractory=REFRACTORY):
    """Count hits, misses and false accepts of a detector on recordings it
    scored.

    ``scores`` and ``events`` are lists with one entry per recording. Score
    ``m`` is due when its 1 s window ends; it is a hit for an utterance of
    ``target`` if it comes between the utterance's start and a quarter second
    after the last window that holds all of it (one hit per utterance);
    anywhere else it is a false accept. Returns a dict with ``frr``,
    ``fa_per_hour``, the counts, the hours of audio without the target, and a
    table of the false accepts: when, what was being said (or last said) and,
    if the events have a ``clip`` column, which clip of the bank it was."""
    return _Sweep(scores, events, target, refractory).at(threshold)


def det_curve(
    scores, events, target, num_thresholds=200, refractory=REFRACTORY
):
    """False-reject rate against false accepts per hour as the threshold sweeps
    from strict to lenient: the detection-error trade-off (DET) curve, as a
    table.

    Thresholds are spread over the scores down to about 1000 alarms an hour,
    plus one just above each of the ``num_thresholds`` highest false-accept
    scores: there the false-reject rate is the lowest before one more false
    accept, so the strict end of the curve, where products operate, is exact
    (it agrees with ``frr_at``)."""
    sweep = _Sweep(scores, events, target, refractory)
    ranked, rank = sweep.lenient()
    picks = np.unique(
        np.geomspace(1, rank + 1, num_thresholds).astype(int) - 1
    )
    strict = np.nextafter(sweep.false_accept_scores()[:num_thresholds], np.inf)
    rows = []
    for threshold in np.unique(np.concatenate([ranked[picks], strict]))[::-1]:
        result = sweep.at(threshold)
        rows.append((threshold, result["frr"], result["fa_per_hour"]))
    return pd.DataFrame(rows, columns=["threshold", "frr", "fa_per_hour"])


def frr_at(
    scores, events, target, fa_per_hour=0.5, refractory=REFRACTORY, steps=30
):
    """The lowest false-reject rate with at most ``fa_per_hour`` false accepts
    an hour, found by bisecting the threshold. Returns (``score_stream``
    result, threshold)."""
    sweep = _Sweep(scores, events, target, refractory)
    ranked, rank = sweep.lenient()
    low, high = ranked[rank], ranked[0] + 1e-6
    for _ in range(steps):
        middle = (low + high) / 2
        if sweep.at(middle)["fa_per_hour"] <= fa_per_hour:
            high = middle
        else:
            low = middle
    return sweep.at(high), high


def utterance_scores(scores, events, texts):
    """Every utterance of one of ``texts`` with the best score the detector
    gave it while it was said (from its start until a quarter second after the
    last 1 s window that holds all of it). For the wake word, below the
    threshold means missed; for any other text, at or above it means the
    detector woke up for it."""
    if isinstance(texts, str):
        texts = [texts]
    tables = []
    for recording_scores, recording_events in zip(scores, events, strict=True):
        said = recording_events[recording_events["text"].isin(list(texts))]
        due = _due(np.arange(len(recording_scores)))
        best = [
            np.max(recording_scores[(due > b) & (due <= e)], initial=-np.inf)
            for b, e in zip(*_hit_regions(said), strict=True)
        ]
        tables.append(said.assign(best_score=best))
    return pd.concat(tables, ignore_index=True)


def intervals(result, level=0.95):
    """Confidence intervals for a ``score_stream`` result: Clopper-Pearson for
    the false-reject rate (misses out of utterances) and the exact Poisson
    interval for false accepts per hour (a count over the hours heard).
    Returns ``{"frr": (low, high), "fa_per_hour": (low, high)}``."""
    misses = result["utterances"] - result["hits"]
    return {
        "frr": clopper_pearson(misses, result["utterances"], level),
        "fa_per_hour": poisson_rate(
            result["false_accepts"], result["hours"], level
        ),
    }
