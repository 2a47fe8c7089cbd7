"""Handwritten digits and the tools of the chapter "Classification".

Loading and splitting scikit-learn's bundled 8x8 digits, shifted copies and
thumbnails of them, images made of several digits (for many labels at once),
distances in a taxonomy of the classes and soft labels (for mistakes of
different severity, with label smoothing as their control), calibration (are
90%-confident predictions right 90% of the time?) and an exact interval for a
share resting on few events.
"""

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from .checks import check_count, check_seed

NUM_DIGITS = 10
DIGIT_SHAPE = (8, 8)


@dataclass(frozen=True)
class DigitSplits:
    """Train, validation and test sets, each a pair (images, labels)."""

    train: tuple
    valid: tuple
    test: tuple

    @property
    def train_and_valid(self):
        """Training and validation sets together: what the final model trains
        on."""
        return (
            np.concatenate([self.train[0], self.valid[0]]),
            np.concatenate([self.train[1], self.valid[1]]),
        )

    def __repr__(self):
        sizes = ", ".join(
            f"{name}={len(getattr(self, name)[1])}"
            for name in ("train", "valid", "test")
        )
        return f"DigitSplits({sizes} images of 8x8 pixels)"


def load_digit_splits(test_fraction=0.2, valid_fraction=0.2, seed=0):
    """Split the 1,797 digits into stratified train, validation and test sets.

    Pixels are scaled from 0..16 to 0..1 (float32); labels are the digits 0..9.
    The validation set is ``valid_fraction`` of what remains after the test set
    is set aside.
    """
    test_fraction = _check_fraction(test_fraction, "test_fraction")
    valid_fraction = _check_fraction(valid_fraction, "valid_fraction")
    seed = check_seed(seed)
    digits = load_digits()
    images = (digits.images / 16).astype(np.float32)
    labels = digits.target.astype(np.int64)
    X_rest, X_test, y_rest, y_test = train_test_split(
        images,
        labels,
        test_size=test_fraction,
        stratify=labels,
        random_state=seed,
    )
    X_train, X_valid, y_train, y_valid = train_test_split(
        X_rest,
        y_rest,
        test_size=valid_fraction,
        stratify=y_rest,
        random_state=seed,
    )
    return DigitSplits(
        (X_train, y_train), (X_valid, y_valid), (X_test, y_test)
    )


def shifted_copies(images, labels):
    """The images plus copies moved one pixel up, down, left and right (5 times
    as many).

    A digit moved by a pixel is the same digit: the copies teach a model that.
    """
    images = _check_images(images)
    labels = _check_labels(labels, len(images))
    copies = [images]
    for axis, step in ((1, 1), (1, -1), (2, 1), (2, -1)):
        moved = np.roll(images, step, axis=axis)
        edge = [slice(None)] * 3
        edge[axis] = (
            0 if step == 1 else -1
        )  # the row or column that wrapped around
        moved[tuple(edge)] = 0
        copies.append(moved)
    return np.concatenate(copies), np.tile(labels, len(copies))


def thumbnails(images, factor=2):
    """Shrink images by averaging ``factor`` x ``factor`` blocks of pixels (8x8
    -> 4x4)."""
    if (
        isinstance(factor, bool)
        or not isinstance(factor, Integral)
        or factor < 1
    ):
        raise ValueError(f"factor must be a whole number >= 1, got {factor!r}")
    images = _check_images(images, shape=None)
    n, height, width = images.shape
    if height % factor or width % factor:
        raise ValueError(
            f"images of {height}x{width} pixels cannot be cut into "
            f"{factor}x{factor} blocks: pick a factor that divides both sides"
        )
    blocks = images.reshape(
        n, height // factor, factor, width // factor, factor
    )
    return blocks.mean(axis=(2, 4)).astype(np.float32)


def digit_composites(
    images,
    labels,
    num_composites,
    digits_per_image=(2, 3),
    num_slots=3,
    seed=0,
):
    """Images of several different digits side by side, and which digits each
    shows.

    Each composite has ``num_slots`` slots of 8x8 pixels; 2 or 3
    (``digits_per_image``) of them hold digits of different classes, drawn from
    ``images``, the others stay blank. Returns the composites, shape (n, 8, 8 *
    num_slots), and multi-hot labels, shape (n, 10): entry d is 1 when digit d
    appears.
    """
    images = _check_images(images)
    labels = _check_labels(labels, len(images))
    num_composites = check_count(num_composites, "num_composites")
    num_slots = check_count(num_slots, "num_slots")
    counts = (
        tuple(digits_per_image)
        if np.ndim(digits_per_image)
        else (digits_per_image,)
    )
    if not counts or any(
        isinstance(c, bool)
        or not isinstance(c, Integral)
        or not 1 <= c <= min(num_slots, NUM_DIGITS)
        for c in counts
    ):
        raise ValueError(
            f"digits_per_image must be whole numbers from 1 to num_slots="
            f"{num_slots}, got {digits_per_image!r}"
        )
    missing = sorted(set(range(NUM_DIGITS)) - set(labels.tolist()))
    if missing:
        raise ValueError(
            f"images has no example of digit(s) {missing}: pass images of "
            "all ten digits"
        )
    rng = np.random.default_rng(check_seed(seed))
    by_digit = [np.flatnonzero(labels == d) for d in range(NUM_DIGITS)]
    X = np.zeros((num_composites, 8, 8 * num_slots), dtype=np.float32)
    Y = np.zeros((num_composites, NUM_DIGITS), dtype=np.float32)
    for i in range(num_composites):
        count = rng.choice(counts)
        chosen = rng.choice(NUM_DIGITS, size=count, replace=False)
        slots = rng.choice(num_slots, size=count, replace=False)
        for digit, slot in zip(chosen, slots, strict=True):
            X[i, :, 8 * slot : 8 * (slot + 1)] = images[
                rng.choice(by_digit[digit])
            ]
            Y[i, digit] = 1
    return X, Y


def tree_distances(parents, leaves):
    """Number of edges between every two leaves of a tree, as a matrix.

    ``parents`` maps each node to its parent (the root maps to nothing);
    ``leaves`` lists the classes in label order. Distance 0 is the same class;
    the larger the distance, the further apart the two classes sit in the
    taxonomy.
    """
    if not isinstance(parents, dict):
        raise TypeError(
            "parents must be a dict {node: parent}, got "
            f"{type(parents).__name__}"
        )
    leaves = list(leaves)
    if len(leaves) < 2 or len(set(leaves)) != len(leaves):
        raise ValueError(
            f"leaves must list at least two distinct classes, got {leaves}"
        )
    paths = [_path_to_root(leaf, parents) for leaf in leaves]
    roots = {path[-1] for path in paths}
    if len(roots) != 1:
        raise ValueError(
            f"the leaves hang from several roots {sorted(map(str, roots))}: "
            "give them one common ancestor"
        )
    distances = np.zeros((len(leaves), len(leaves)))
    for i, path_i in enumerate(paths):
        depth_i = {node: depth for depth, node in enumerate(path_i)}
        for j, path_j in enumerate(paths):
            meet = next(
                depth for depth, node in enumerate(path_j) if node in depth_i
            )
            distances[i, j] = meet + depth_i[path_j[meet]]
    return distances


def _path_to_root(node, parents):
    """The nodes from ``node`` up to the root, checking for loops."""
    path = [node]
    while path[-1] in parents and parents[path[-1]] is not None:
        path.append(parents[path[-1]])
        if path[-1] in path[:-1]:
            raise ValueError(
                f"parents has a loop through {path[-1]!r}: a tree has none"
            )
    return path


def mistake_severity(y_true, y_pred, distances):
    """Mean tree distance between truth and prediction over the mistakes only.

    Returns NaN when there are no mistakes (there is nothing to average).
    """
    distances = _check_distances(distances)
    y_true = _check_labels(y_true, None, len(distances), "y_true")
    y_pred = _check_labels(y_pred, len(y_true), len(distances), "y_pred")
    wrong = y_true != y_pred
    return (
        float(distances[y_true[wrong], y_pred[wrong]].mean())
        if wrong.any()
        else np.nan
    )


def tree_soft_labels(labels, distances, beta=1.0):
    """Targets that share probability with nearby classes: p(j) ~ exp(-beta *
    d(y, j)).

    Training on them tells a model that a near miss in the tree is less wrong
    than a far one. Larger ``beta`` gives sharper targets (beta -> infinity
    gives one-hot labels).
    """
    distances = _check_distances(distances)
    labels = _check_labels(labels, None, len(distances))
    if isinstance(beta, bool) or not isinstance(beta, Real) or not beta > 0:
        raise ValueError(f"beta must be a positive number, got {beta!r}")
    weights = np.exp(-beta * distances[labels])
    return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)


def smoothed_labels(labels, keep, num_classes=NUM_DIGITS):
    """Label smoothing: probability ``keep`` on the true class, the rest
    spread evenly over the other classes.

    ``keep`` is one number or one per label: pass the true-class share of
    ``tree_soft_labels`` to get a control with the same mass and no tree.
    """
    num_classes = check_count(num_classes, "num_classes")
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes}")
    labels = _check_labels(labels, None, num_classes)
    keep = np.broadcast_to(np.asarray(keep, dtype=float), labels.shape)
    if not np.all((keep >= 0) & (keep <= 1)):
        raise ValueError(
            "keep must be probabilities from 0 to 1 (one, or one per label)"
        )
    targets = np.repeat(
        ((1 - keep) / (num_classes - 1))[:, None], num_classes, 1
    )
    targets[np.arange(len(labels)), labels] = keep
    return targets.astype(np.float32)


def reliability_bins(probs, labels, num_bins=10):
    """Group predictions by confidence; return each bin's mean confidence and
    accuracy.

    Confidence is the largest predicted probability. Returns a dict of arrays
    over the non-empty bins: ``confidence``, ``accuracy`` and ``count``, plus
    all bin ``edges``.
    """
    confidence, correct = _confidence_and_correct(probs, labels)
    num_bins = check_count(num_bins, "num_bins")
    edges = np.linspace(0, 1, num_bins + 1)
    which = np.searchsorted(
        edges[1:-1], confidence, side="right"
    )  # bins [lo, hi)
    count = np.bincount(which, minlength=num_bins)
    used = count > 0
    return {
        "confidence": np.bincount(which, confidence, num_bins)[used]
        / count[used],
        "accuracy": np.bincount(which, correct, num_bins)[used] / count[used],
        "count": count[used],
        "edges": edges,
    }


def expected_calibration_error(probs, labels, num_bins=10):
    """Gap between confidence and accuracy, averaged over bins weighted by
    their size."""
    bins = reliability_bins(probs, labels, num_bins)
    weights = bins["count"] / bins["count"].sum()
    return float(
        (weights * np.abs(bins["accuracy"] - bins["confidence"])).sum()
    )


def _confidence_and_correct(probs, labels):
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 2 or probs.shape[1] < 2:
        raise ValueError(
            f"probs must have one row per example and one column per class "
            f"(at least 2), got shape {probs.shape}"
        )
    if probs.min() < 0 or not np.allclose(probs.sum(axis=1), 1, atol=1e-3):
        raise ValueError(
            "each row of probs must be probabilities summing to 1: apply "
            "softmax to the network's outputs first"
        )
    labels = _check_labels(labels, len(probs), probs.shape[1])
    return probs.max(axis=1), (probs.argmax(axis=1) == labels).astype(float)


def _check_images(images, shape=DIGIT_SHAPE):
    """Images as a float32 array (n, height, width), of ``shape`` unless it is
    None."""
    images = np.asarray(images)
    if (
        images.ndim != 3
        or (shape is not None and images.shape[1:] != shape)
        or len(images) == 0
    ):
        expected = (
            "(n, height, width)"
            if shape is None
            else f"(n, {shape[0]}, {shape[1]})"
        )
        raise ValueError(
            f"images must be a non-empty array of shape {expected}, got shape "
            f"{images.shape}: reshape flat rows with images.reshape(-1, 8, 8)"
        )
    if images.dtype.kind not in "iuf":
        raise TypeError(f"images must hold numbers, got dtype {images.dtype}")
    return images.astype(np.float32)


def _check_labels(labels, length=None, num_classes=NUM_DIGITS, name="labels"):
    """Whole-number labels 0..num_classes-1, one per example."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be a 1-D array of whole-number classes, got dtype "
            f"{labels.dtype} and shape {labels.shape}"
        )
    if length is not None and len(labels) != length:
        raise ValueError(
            f"{name} has {len(labels)} entries for {length} examples: "
            "give one label per example"
        )
    if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{name} must lie in 0..{num_classes - 1}, got values from "
            f"{labels.min()} to {labels.max()}"
        )
    return labels.astype(np.int64)


def _check_distances(distances):
    distances = np.asarray(distances, dtype=float)
    if (
        distances.ndim != 2
        or distances.shape[0] != distances.shape[1]
        or (distances < 0).any()
        or np.diag(distances).any()
    ):
        raise ValueError(
            "distances must be a square matrix of non-negative class "
            "distances with zeros on the diagonal, e.g. from tree_distances"
        )
    return distances


def _check_fraction(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or not 0 < value < 1
    ):
        raise ValueError(
            f"{name} must be a fraction strictly between 0 and 1, "
            f"got {value!r}"
        )
    return float(value)
