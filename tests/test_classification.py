"""mlbook.classification: digit splits, shifted copies, thumbnails, composites,
taxonomy distances, soft labels and calibration, checked against scikit-learn,
networkx and hand-worked cases, and every bad input rejected with a clear
message."""

import mlbook  # noqa: F401  (first, as everywhere)
from mlbook import classification as C

import networkx as nx
import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.datasets import load_digits

SHAPE_TREE = {
    "loops": "digit",
    "strokes": "digit",
    "curves": "digit",
    **{d: "loops" for d in (0, 6, 8, 9)},
    **{d: "strokes" for d in (1, 4, 7)},
    **{d: "curves" for d in (2, 3, 5)},
}


@pytest.fixture(scope="module")
def splits():
    return C.load_digit_splits()


# --- loading and splitting ---------------------------------------------------


def test_splits_partition_the_digits_stratified(splits):
    sizes = [
        len(part[1]) for part in (splits.train, splits.valid, splits.test)
    ]
    assert sizes == [1149, 288, 360] and sum(sizes) == 1797
    for images, labels in (splits.train, splits.valid, splits.test):
        assert images.shape[1:] == (8, 8) and images.dtype == np.float32
        assert 0 <= images.min() and images.max() <= 1
        shares = np.bincount(labels, minlength=10) / len(labels)
        assert np.all(
            np.abs(shares - 0.1) < 0.02
        )  # stratified: every digit ~10%
    everything = np.concatenate(
        [p[0] for p in (splits.train, splits.valid, splits.test)]
    )
    original = load_digits().images / 16
    assert sorted(
        map(bytes, everything.astype(np.float64).round(6))
    ) == sorted(map(bytes, original.round(6)))  # each digit exactly once


def test_splits_are_deterministic_and_seeded(splits):
    again = C.load_digit_splits()
    assert np.array_equal(again.test[0], splits.test[0])
    other = C.load_digit_splits(seed=1)
    assert not np.array_equal(other.test[1], splits.test[1])


def test_train_and_valid_and_repr(splits):
    X, y = splits.train_and_valid
    assert len(X) == len(y) == 1149 + 288
    assert np.array_equal(y[:1149], splits.train[1])
    assert (
        repr(splits)
        == "DigitSplits(train=1149, valid=288, test=360 images of 8x8 pixels)"
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            {"test_fraction": 0},
            "test_fraction must be a fraction strictly between 0 and 1",
        ),
        ({"test_fraction": 1.5}, "test_fraction"),
        ({"valid_fraction": "0.2"}, "valid_fraction"),
        ({"seed": -1}, "seed must be a non-negative whole number"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_splits_reject_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        C.load_digit_splits(**kwargs)


# --- shifted copies and thumbnails -------------------------------------------


def test_shifted_copies_move_each_image_by_one_pixel():
    image = np.zeros((1, 8, 8), dtype=np.float32)
    image[0, 0, 0] = image[0, 7, 7] = (
        1  # ink in two corners: wrap-around would show
    )
    X, y = C.shifted_copies(image, np.array([4]))
    assert X.shape == (5, 8, 8) and y.tolist() == [4] * 5
    assert np.array_equal(X[0], image[0])
    down, up, right, left = X[1:]
    assert (
        down[1, 0] == 1 and down.sum() == 1
    )  # the bottom-right ink fell off the edge
    assert up[6, 7] == 1 and up.sum() == 1
    assert right[0, 1] == 1 and right.sum() == 1
    assert left[7, 6] == 1 and left.sum() == 1


def test_thumbnails_average_blocks():
    images = np.arange(2 * 8 * 8, dtype=np.float32).reshape(2, 8, 8)
    small = C.thumbnails(images)
    assert small.shape == (2, 4, 4)
    assert small[0, 0, 0] == pytest.approx(np.mean([0, 1, 8, 9]))
    assert small[1, 3, 3] == pytest.approx(images[1, 6:, 6:].mean())
    assert np.array_equal(C.thumbnails(images, factor=1), images)


@pytest.mark.parametrize(
    "images, match",
    [
        (
            np.zeros((3, 64)),
            r"images must be a non-empty array of shape \(n, 8, 8\)",
        ),
        (np.zeros((3, 8, 9)), r"got shape \(3, 8, 9\)"),
        (np.zeros((0, 8, 8)), "non-empty"),
    ],
)
def test_images_of_the_wrong_shape_are_rejected(images, match):
    with pytest.raises(ValueError, match=match):
        C.shifted_copies(images, np.zeros(len(images), dtype=int))


def test_image_and_label_checks():
    with pytest.raises(TypeError, match="images must hold numbers"):
        C.shifted_copies(np.full((1, 8, 8), "x"), np.array([0]))
    with pytest.raises(
        ValueError, match=r"labels must lie in 0\.\.9, got values from 0 to 10"
    ):
        C.shifted_copies(np.zeros((2, 8, 8)), np.array([0, 10]))
    with pytest.raises(
        ValueError, match="labels has 1 entries for 2 examples"
    ):
        C.shifted_copies(np.zeros((2, 8, 8)), np.array([0]))
    with pytest.raises(ValueError, match="1-D array of whole-number classes"):
        C.shifted_copies(np.zeros((2, 8, 8)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="cannot be cut into 3x3 blocks"):
        C.thumbnails(np.zeros((1, 8, 8)), factor=3)
    with pytest.raises(ValueError, match="factor must be a whole number"):
        C.thumbnails(np.zeros((1, 8, 8)), factor=0)


# --- composites --------------------------------------------------------------


def test_composites_show_exactly_their_labels(splits):
    images, labels = splits.test
    X, Y = C.digit_composites(images, labels, 200, seed=3)
    assert X.shape == (200, 8, 24) and Y.shape == (200, 10)
    assert set(Y.sum(axis=1).tolist()) == {2.0, 3.0}
    known = {
        bytes(im.round(5)): d for im, d in zip(images, labels, strict=True)
    }
    for composite, row in zip(X, Y, strict=True):
        slots = [composite[:, 8 * s : 8 * (s + 1)] for s in range(3)]
        shown = sorted(known[bytes(s.round(5))] for s in slots if s.any())
        assert (
            shown == np.flatnonzero(row).tolist()
        )  # the pictured digits are the labels


def test_composites_are_deterministic_and_configurable(splits):
    images, labels = splits.test
    first = C.digit_composites(images, labels, 50, seed=0)
    again = C.digit_composites(images, labels, 50, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    X, Y = C.digit_composites(
        images, labels, 20, digits_per_image=4, num_slots=5
    )
    assert X.shape == (20, 8, 40) and set(Y.sum(axis=1).tolist()) == {4.0}


def test_composites_reject_bad_input(splits):
    images, labels = splits.test
    with pytest.raises(
        ValueError, match="digits_per_image must be whole numbers from 1"
    ):
        C.digit_composites(images, labels, 5, digits_per_image=(2, 4))
    with pytest.raises(
        ValueError, match="num_composites must be a whole number >= 1"
    ):
        C.digit_composites(images, labels, 0)
    with pytest.raises(ValueError, match=r"no example of digit\(s\) \[9\]"):
        keep = labels != 9
        C.digit_composites(images[keep], labels[keep], 5)
    with pytest.raises(ValueError, match=r"shape \(n, 8, 8\)"):
        C.digit_composites(images.reshape(-1, 64), labels, 5)


# --- taxonomy ----------------------------------------------------------------


def test_tree_distances_match_networkx_shortest_paths():
    distances = C.tree_distances(SHAPE_TREE, leaves=range(10))
    graph = nx.Graph(list(SHAPE_TREE.items()))
    expected = [
        [nx.shortest_path_length(graph, a, b) for b in range(10)]
        for a in range(10)
    ]
    assert np.array_equal(distances, expected)
    assert distances[3, 5] == 2 and distances[3, 7] == 4


def test_tree_distances_on_an_uneven_tree():
    parents = {
        "cat": "felid",
        "lion": "felid",
        "felid": "mammal",
        "dog": "mammal",
        "mammal": "animal",
        "trout": "animal",
    }
    leaves = ["cat", "lion", "dog", "trout"]
    graph = nx.Graph(list(parents.items()))
    expected = [
        [nx.shortest_path_length(graph, a, b) for b in leaves] for a in leaves
    ]
    assert np.array_equal(C.tree_distances(parents, leaves), expected)


def test_tree_distances_reject_bad_trees():
    with pytest.raises(TypeError, match="parents must be a dict"):
        C.tree_distances([("a", "b")], ["a", "b"])
    with pytest.raises(ValueError, match="at least two distinct classes"):
        C.tree_distances({"a": "root"}, ["a", "a"])
    with pytest.raises(ValueError, match="several roots"):
        C.tree_distances({"a": "r1", "b": "r2"}, ["a", "b"])
    with pytest.raises(ValueError, match="has a loop"):
        C.tree_distances({"a": "b", "b": "c", "c": "b"}, ["a", "c"])


def test_mistake_severity_averages_over_mistakes_only():
    distances = C.tree_distances(SHAPE_TREE, leaves=range(10))
    y_true = np.array([3, 3, 3, 0])
    y_pred = np.array(
        [3, 5, 7, 0]
    )  # right, sibling (2), other group (4), right
    assert C.mistake_severity(y_true, y_pred, distances) == 3.0
    assert np.isnan(C.mistake_severity(y_true, y_true, distances))
    with pytest.raises(ValueError, match=r"y_pred must lie in 0\.\.9"):
        C.mistake_severity(y_true, np.array([3, 5, 7, 12]), distances)
    with pytest.raises(
        ValueError, match="y_pred has 3 entries for 4 examples"
    ):
        C.mistake_severity(y_true, y_pred[:3], distances)
    with pytest.raises(ValueError, match="square matrix"):
        C.mistake_severity(y_true, y_pred, np.ones((10, 9)))


def test_tree_soft_labels_follow_the_tree():
    distances = C.tree_distances(SHAPE_TREE, leaves=range(10))
    targets = C.tree_soft_labels(np.array([3, 0]), distances, beta=1.0)
    assert targets.shape == (2, 10) and np.allclose(targets.sum(axis=1), 1)
    weights = np.exp(-distances[3])
    assert np.allclose(targets[0], weights / weights.sum())
    assert targets[0, 3] > targets[0, 5] > targets[0, 7]
    assert targets[0, 5] == pytest.approx(
        targets[0, 2]
    )  # siblings share alike
    sharp = C.tree_soft_labels(np.array([3]), distances, beta=50.0)
    assert sharp[0, 3] == pytest.approx(1.0)  # large beta: back to one-hot
    with pytest.raises(ValueError, match="beta must be a positive number"):
        C.tree_soft_labels(np.array([3]), distances, beta=0)
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.9"):
        C.tree_soft_labels(np.array([-1]), distances)


# --- calibration -------------------------------------------------------------


def test_reliability_bins_match_scikit_learn_on_two_classes():
    rng = np.random.default_rng(0)
    p_one = rng.uniform(0, 1, 2000)
    labels = (rng.uniform(0, 1, 2000) < p_one**2).astype(int)  # over-confident
    probs = np.column_stack([1 - p_one, p_one])
    # scikit-learn bins P(class 1); our confidence is max(p, 1 - p), so the
    # two agree on the examples predicted to be class 1, where confidence is
    # P(class 1).
    ones = p_one > 0.5
    fraction, mean_p = calibration_curve(labels[ones], p_one[ones], n_bins=10)
    bins = C.reliability_bins(probs[ones], labels[ones], num_bins=10)
    assert len(bins["count"]) == len(fraction) == 5
    assert np.allclose(bins["accuracy"], fraction)
    assert np.allclose(bins["confidence"], mean_p)
    assert np.allclose(bins["edges"], np.linspace(0, 1, 11))


def test_expected_calibration_error_by_hand():
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
    labels = np.array([0, 1, 0, 0])
    # bins: [0.9, 0.9] -> conf 0.9, acc 0.5; [0.6] -> 0.6, 1; [0.8] -> 0.8, 0
    bins = C.reliability_bins(probs, labels, num_bins=10)
    assert bins["count"].tolist() == [1, 1, 2]
    assert np.allclose(bins["confidence"], [0.6, 0.8, 0.9])
    assert np.allclose(bins["accuracy"], [1.0, 0.0, 0.5])
    expected = 0.25 * 0.4 + 0.25 * 0.8 + 0.5 * 0.4
    assert C.expected_calibration_error(probs, labels) == pytest.approx(
        expected
    )
    one_hot = np.eye(3)[[0, 1, 2]]
    assert C.expected_calibration_error(one_hot, np.array([0, 1, 2])) == 0.0


def test_calibration_rejects_bad_probabilities():
    with pytest.raises(
        ValueError, match="one row per example and one column per class"
    ):
        C.expected_calibration_error(np.array([0.2, 0.8]), np.array([1]))
    with pytest.raises(
        ValueError, match="apply softmax to the network's outputs first"
    ):
        C.expected_calibration_error(np.array([[2.0, -1.0]]), np.array([0]))
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.1"):
        C.expected_calibration_error(np.array([[0.5, 0.5]]), np.array([2]))
    with pytest.raises(
        ValueError, match="num_bins must be a whole number >= 1"
    ):
        C.reliability_bins(np.array([[0.5, 0.5]]), np.array([0]), num_bins=0)


# --- label smoothing, the control for soft labels ---------------------------


def test_smoothed_labels_keep_the_tree_mass_and_spread_the_rest_evenly():
    distances = C.tree_distances(SHAPE_TREE, leaves=range(10))
    labels = np.array([3, 0, 7])
    tree = C.tree_soft_labels(labels, distances, beta=1.0)
    kept = tree[np.arange(3), labels]
    smooth = C.smoothed_labels(labels, kept)
    assert np.allclose(smooth.sum(axis=1), 1)
    assert np.allclose(smooth[np.arange(3), labels], kept)
    others = np.delete(smooth[0], 3)
    assert np.allclose(others, (1 - kept[0]) / 9)
    assert np.array_equal(C.smoothed_labels([2], 1.0)[0], np.eye(10)[2])


@pytest.mark.parametrize("keep", [-0.1, 1.5, [0.5, 0.5]])
def test_smoothed_labels_reject_bad_mass(keep):
    with pytest.raises(ValueError):
        C.smoothed_labels([1, 2, 3], keep)
