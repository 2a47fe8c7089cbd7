"""Sequence learning for the chapter "Sequences".

Speech recognition: a small grammar of spoken sentences whose word pairs are
split three ways (so a test sentence holds word orders training never had),
the CTC loss in MXNet's NumPy mode, greedy CTC decoding, and the character
and word error rates speech recognition is measured with."""

import itertools

import mxnet as mx
import numpy as np

# --- speech recognition ------------------------------------------------------

ALPHABET = " abcdefghijklmnopqrstuvwxyz"  # label k + 1 is ALPHABET[k]
BLANK = 0  # CTC's "no new letter here" label, shown as "-"

# Two sentence templates. In each, two neighbouring slots form the "pair"
# whose combinations are dealt to train, validation and test: a test
# sentence always holds a word pair that no training sentence holds.
_NAMES = ("anna", "peter", "maria", "david", "sarah", "james", "lucy", "omar")
_OBJECT_TEMPLATE = {
    "verb": ("sees", "buys", "sells", "wants", "finds", "paints"),
    "number": ("two", "three", "four", "five", "six", "seven"),
    "colour": (
        "red",
        "green",
        "blue",
        "black",
        "white",
        "yellow",
        "brown",
        "pink",
    ),
    "thing": (
        "boxes",
        "chairs",
        "books",
        "cups",
        "shoes",
        "lamps",
        "hats",
        "keys",
    ),
}
_TOPIC_TEMPLATE = {
    "verb": ("studies", "teaches", "loves", "explains", "enjoys"),
    "topic": (
        "deep learning",
        "machine learning",
        "modern art",
        "classical music",
        "ancient history",
    ),
    "time": ("today", "tonight", "again", "daily"),
}
SPLITS = ("train", "valid", "test")


def _pair_split(i, j, size):
    """Deal the pair (i, j) of a ``size``-square to a split, Latin-square
    style, so that every word of either slot occurs in every split."""
    residue = (i + j) % size
    share = {5: (3, 1), 8: (5, 1)}[size]  # residues for train, then valid
    if residue < share[0]:
        return "train"
    return "valid" if residue < share[0] + share[1] else "test"


def spoken_sentences():
    """``{"train": [...], "valid": [...], "test": [...]}``: every sentence of
    the grammar, in a fixed order.

    "anna sees three red boxes" pairs a colour with a thing; "omar teaches
    deep learning today" pairs a verb with a topic. Each (colour, thing) and
    (verb, topic) pair belongs to one split, so every validation and test
    sentence holds a word pair never heard in training, while every single
    word is heard in every split."""
    out = {split: [] for split in SPLITS}
    slots = _OBJECT_TEMPLATE
    for name, verb, number in itertools.product(
        _NAMES, slots["verb"], slots["number"]
    ):
        for (i, colour), (j, thing) in itertools.product(
            enumerate(slots["colour"]), enumerate(slots["thing"])
        ):
            out[_pair_split(i, j, 8)].append(
                f"{name} {verb} {number} {colour} {thing}"
            )
    slots = _TOPIC_TEMPLATE
    for name, time in itertools.product(_NAMES, slots["time"]):
        for (i, verb), (j, topic) in itertools.product(
            enumerate(slots["verb"]), enumerate(slots["topic"])
        ):
            out[_pair_split(i, j + 1, 5)].append(
                f"{name} {verb} {topic} {time}"
            )
    return out


def vocabulary():
    """The sorted words of ``spoken_sentences``' grammar."""
    words = set(_NAMES)
    for slots in (_OBJECT_TEMPLATE, _TOPIC_TEMPLATE):
        for fillers in slots.values():
            words.update(w for filler in fillers for w in filler.split())
    return sorted(words)


def encode_text(text):
    """``"deep"`` -> ``[4, 5, 5, 16]``: CTC labels (1-27) of lower-case
    letters and spaces; 0 is the blank."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    unknown = sorted(set(text) - set(ALPHABET))
    if unknown:
        raise ValueError(
            f"text {text!r} holds characters outside the alphabet: "
            f"{unknown}; use lower-case letters a-z and spaces"
        )
    return [ALPHABET.index(c) + 1 for c in text]


def ctc_loss(logits, labels, label_lengths, logit_lengths=None):
    """CTC loss of each sequence in a batch, in MXNet's NumPy mode.

    ``logits`` (batch, frames, labels) are unnormalised scores with label 0
    the blank; ``labels`` (batch, max label length) hold the target labels,
    of which the first ``label_lengths`` count; ``logit_lengths`` (batch,)
    says how many frames count (all if None). Returns (batch,) negative log
    likelihoods. Gluon's ``CTCLoss`` calls a legacy operator that rejects
    NumPy-mode arrays and ``npx`` has none, so this converts to legacy
    arrays and back; gradients flow through."""
    if not isinstance(logits, mx.np.ndarray) or logits.ndim != 3:
        raise TypeError(
            "logits must be an mxnet.np array of shape (batch, frames, "
            f"labels), got {type(logits).__name__} "
            f"{getattr(logits, 'shape', '')}"
        )
    batch, frames, _ = logits.shape
    labels = mx.np.array(labels, dtype="float32", ctx=logits.ctx)
    label_lengths = mx.np.array(label_lengths, dtype="float32", ctx=logits.ctx)
    if labels.ndim != 2 or labels.shape[0] != batch:
        raise ValueError(
            f"labels must have shape ({batch}, max label length), got "
            f"{labels.shape}"
        )
    if label_lengths.shape != (batch,):
        raise ValueError(
            f"label_lengths must have shape ({batch},), got "
            f"{label_lengths.shape}"
        )
    if logit_lengths is None:
        logit_lengths = mx.np.full(
            (batch,), frames, dtype="float32", ctx=logits.ctx
        )
    logit_lengths = mx.np.array(logit_lengths, dtype="float32", ctx=logits.ctx)
    if (
        int(label_lengths.max()) > labels.shape[1]
        or int(logit_lengths.max()) > frames
    ):
        raise ValueError("a length exceeds its padded array")
    loss = mx.nd.ctc_loss(
        logits.transpose(1, 0, 2).as_nd_ndarray(),
        labels.as_nd_ndarray(),
        logit_lengths.as_nd_ndarray(),
        label_lengths.as_nd_ndarray(),
        use_data_lengths=True,
        use_label_lengths=True,
        blank_label="first",
    )
    return loss.as_np_ndarray()


def best_path(logits):
    """The most likely label of each frame, (frames, labels) -> (frames,)."""
    logits = np.asarray(logits)
    if logits.ndim != 2:
        raise ValueError(
            f"logits must have shape (frames, labels), got {logits.shape}"
        )
    return logits.argmax(axis=1)


def collapse(path):
    """CTC's rule from frame labels to text: merge repeats, drop blanks."""
    text, previous = [], BLANK
    for label in np.asarray(path).tolist():
        if label != previous and label != BLANK:
            text.append(ALPHABET[label - 1])
        previous = label
    return "".join(text)


def greedy_decode(logits):
    """Text from (frames, labels) scores: each frame's best label,
    collapsed."""
    return collapse(best_path(logits))


def alignment(path):
    """A frame path as a string, one character a frame, blank as ``-``."""
    return "".join(
        "-" if label == BLANK else ALPHABET[label - 1]
        for label in np.asarray(path).tolist()
    )


def edit_distance(reference, hypothesis):
    """Levenshtein distance between two sequences (strings or word lists):
    the fewest substitutions, deletions and insertions that turn one into the
    other."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (ref != hyp),
                )
            )
        previous = current
    return previous[-1]


def _edits_and_length(reference, hypothesis, unit):
    """Edits from ``reference`` to ``hypothesis``, and the reference's
    length, in characters or words."""
    split = list if unit == "char" else str.split
    return (
        edit_distance(split(reference), split(hypothesis)),
        len(split(reference)),
    )


def _check_transcripts(references, hypotheses, unit):
    if unit not in ("char", "word"):
        raise ValueError(f"unit must be 'char' or 'word', got {unit!r}")
    if isinstance(references, str) or isinstance(hypotheses, str):
        raise TypeError("pass lists of sentences, not a single string")
    if len(references) != len(hypotheses) or not references:
        raise ValueError(
            f"need as many hypotheses as references (at least one), got "
            f"{len(references)} and {len(hypotheses)}"
        )
    if any(not reference.strip() for reference in references):
        raise ValueError("a reference sentence is empty")


def error_rate(references, hypotheses, unit="char"):
    """Corpus character (``unit="char"``) or word (``"word"``) error rate:
    all edits over all reference characters or words, as ``jiwer`` counts."""
    _check_transcripts(references, hypotheses, unit)
    edits, total = np.sum(
        [
            _edits_and_length(ref, hyp, unit)
            for ref, hyp in zip(references, hypotheses, strict=True)
        ],
        axis=0,
    )
    return float(edits / total)


def error_rate_interval(
    references, hypotheses, unit="char", level=0.95, num_resamples=2000, seed=0
):
    """Bootstrap interval of ``error_rate`` over sentences: resample the
    sentences with replacement, since errors cluster in sentences."""
    _check_transcripts(references, hypotheses, unit)
    per_sentence = np.array(
        [
            _edits_and_length(ref, hyp, unit)
            for ref, hyp in zip(references, hypotheses, strict=True)
        ]
    )
    picks = np.random.default_rng(seed).integers(
        0, len(per_sentence), (num_resamples, len(per_sentence))
    )
    sums = per_sentence[picks].sum(axis=1)
    rates = sums[:, 0] / sums[:, 1]
    tail = (1 - level) / 2
    return (
        float(np.quantile(rates, tail)),
        float(np.quantile(rates, 1 - tail)),
    )


def ctc_batches(features, texts, batch_size, stride, shuffle=False, seed=0):
    """Minibatches for CTC training from log-mel ``features`` (a list of
    (bands, frames) arrays) and the ``texts`` they say.

    Clips of similar length share a batch, so little is padded (with 0, a
    standardised band's mean). Yields ``(X, labels, label_lengths,
    step_lengths, index)``: X (batch, bands, frames), the padded labels,
    how many labels and how many network steps (frames over ``stride``,
    rounded up) count in each row, and the clips' indices.
    With ``shuffle`` the order of the batches is drawn from ``seed``."""
    if len(features) != len(texts) or not texts:
        raise ValueError(
            f"need one text per clip, got {len(features)} clips and "
            f"{len(texts)} texts"
        )
    batch_size = int(batch_size)
    lengths = np.array([f.shape[1] for f in features])
    order = np.argsort(lengths, kind="stable")
    groups = [
        order[i : i + batch_size] for i in range(0, len(order), batch_size)
    ]
    if shuffle:
        np.random.default_rng(seed).shuffle(groups)
    for index in groups:
        frames = -(-lengths[index].max() // stride) * stride
        X = np.zeros((len(index), features[0].shape[0], frames), np.float32)
        for row, i in enumerate(index):
            X[row, :, : lengths[i]] = features[i]
        encoded = [encode_text(texts[i]) for i in index]
        labels = np.zeros((len(index), max(map(len, encoded))), np.float32)
        for row, label in enumerate(encoded):
            labels[row, : len(label)] = label
        yield (
            X,
            labels,
            np.array([len(label) for label in encoded]),
            -(-lengths[index] // stride),
            index,
        )


def mask_features(X, rng, max_bands=6, max_frames=8):
    """SpecAugment's masks: zero one random run of up to ``max_bands`` mel
    bands and two of up to ``max_frames`` frames in each clip of the batch
    ``X`` (batch, bands, frames), so the network cannot lean on any one
    band or moment."""
    X = X.copy()
    batch, bands, frames = X.shape
    for row in range(batch):
        start = rng.integers(0, bands)
        X[row, start : start + rng.integers(0, max_bands + 1)] = 0
        for _ in range(2):
            start = rng.integers(0, frames)
            X[row, :, start : start + rng.integers(0, max_frames + 1)] = 0
    return X
