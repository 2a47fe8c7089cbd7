"""Tests of mlbook.unsupervised, with scikit-learn as the oracle."""

from mlbook import unsupervised as un

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.metrics import adjusted_rand_score, silhouette_score

# --- generators --------------------------------------------------------------


def test_users_come_in_four_kinds_and_repeat_per_seed():
    X, kinds = un.browsing_users(400, seed=5)
    assert X.shape == (400, 2) and kinds.shape == (400,)
    assert set(kinds) == set(range(len(un.USER_KINDS)))
    assert (X[:, 0] >= 0.1).all() and (X[:, 1] >= 1.0).all()
    np.testing.assert_array_equal(X, un.browsing_users(400, seed=5)[0])
    assert not np.allclose(X, un.browsing_users(400, seed=6)[0])


def test_rings_and_bands_have_the_shapes_they_promise():
    rings, ring = un.nested_rings(500, seed=1)
    radius = np.linalg.norm(rings, axis=1)
    assert np.abs(radius[ring == 0] - 1).max() < 1
    assert np.abs(radius[ring == 1] - 3).max() < 1
    bands, band = un.stretched_blobs(500, seed=1)
    for b in range(3):
        assert bands[band == b, 0].std() > 5 * bands[band == b, 1].std()


@pytest.mark.parametrize(
    "make", [un.browsing_users, un.nested_rings, un.stretched_blobs]
)
def test_generators_reject_bad_sizes_and_seeds(make):
    with pytest.raises(ValueError, match="at least 1"):
        make(0)
    with pytest.raises(ValueError, match="seed"):
        make(10, seed=-1)


# --- k-means -----------------------------------------------------------------


@pytest.mark.parametrize("k", [2, 4, 6])
def test_kmeans_reaches_scikit_learns_inertia_on_users(k):
    X, _ = un.browsing_users(400, seed=1)
    _, labels, inertia = un.kmeans(X, k, seed=0)
    oracle = KMeans(k, n_init=10, random_state=0).fit(X).inertia_
    assert inertia <= 1.01 * oracle
    assert labels.shape == (400,) and set(labels) == set(range(k))


def test_kmeans_reaches_scikit_learns_inertia_on_digits():
    X = load_digits().data.astype(np.float32)[:800]
    _, _, inertia = un.kmeans(X, 10, num_starts=2, seed=0)
    oracle = KMeans(10, n_init=10, random_state=0).fit(X).inertia_
    assert inertia <= 1.01 * oracle


def test_kmeans_inertia_is_the_squared_distance_to_the_centres():
    X, _ = un.browsing_users(200, seed=2)
    centres, labels, inertia = un.kmeans(X, 3, seed=1)
    assert inertia == pytest.approx(((X - centres[labels]) ** 2).sum(), 1e-5)
    np.testing.assert_array_equal(un.assign(X, centres), labels)


def test_lloyd_stops_at_a_fixed_point():
    X, _ = un.browsing_users(200, seed=3)
    centres, labels = un.lloyd(X, X[:4])
    again, same = un.lloyd(X, centres)
    np.testing.assert_array_equal(labels, same)
    np.testing.assert_allclose(again, centres, rtol=1e-5)


def test_kmeans_checks_its_inputs():
    X, _ = un.browsing_users(10, seed=0)
    with pytest.raises(ValueError, match="need at least 11 points"):
        un.kmeans(X, 11)
    with pytest.raises(ValueError, match="shape"):
        un.kmeans(X[:, 0], 2)
    with pytest.raises(ValueError, match="NaN"):
        un.kmeans(np.full((5, 2), np.nan), 2)
    with pytest.raises(ValueError, match="columns"):
        un.assign(X, np.zeros((2, 3)))


# --- silhouette and adjusted Rand index --------------------------------------


def test_silhouette_matches_scikit_learn():
    X, kinds = un.browsing_users(300, seed=4)
    for labels in (kinds, np.arange(300) % 3, kinds % 2):
        assert un.silhouette(X, labels) == pytest.approx(
            silhouette_score(X, labels), abs=1e-6
        )


def test_silhouette_checks_its_inputs():
    X, _ = un.browsing_users(20, seed=0)
    with pytest.raises(ValueError, match="one cluster per point"):
        un.silhouette(X, np.zeros(19))
    with pytest.raises(ValueError, match="between 2 and n - 1"):
        un.silhouette(X, np.zeros(20))


def test_adjusted_rand_index_matches_scikit_learn():
    rng = np.random.default_rng(0)
    for _ in range(10):
        a, b = rng.integers(4, size=60), rng.integers(3, size=60)
        assert un.adjusted_rand_index(a, b) == pytest.approx(
            adjusted_rand_score(a, b), abs=1e-12
        )
    assert un.adjusted_rand_index([0, 0, 1, 1], [7, 7, 3, 3]) == 1.0
    assert un.adjusted_rand_index([0, 0, 0], [1, 1, 1]) == 1.0


def test_adjusted_rand_index_checks_its_inputs():
    with pytest.raises(ValueError, match="same length"):
        un.adjusted_rand_index([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="at least 2"):
        un.adjusted_rand_index([0], [0])


# --- thrown balls and principal components -----------------------------------


def test_throws_follow_the_physics_without_noise():
    paths, settings = un.thrown_balls(5, num_times=11, noise=0.0, seed=2)
    speed, angle, height = settings.T
    t = np.linspace(0, 1, 11)
    rad = np.radians(angle)[:, None]
    np.testing.assert_allclose(
        paths[:, :11], speed[:, None] * np.cos(rad) * t, atol=1e-5
    )
    y = height[:, None] + speed[:, None] * np.sin(rad) * t - 9.81 * t**2 / 2
    np.testing.assert_allclose(paths[:, 11:], y, atol=1e-5)
    assert (speed >= 5).all() and (speed <= 15).all()


def test_throws_check_their_inputs():
    with pytest.raises(ValueError, match="noise"):
        un.thrown_balls(5, noise=-1.0)
    with pytest.raises(ValueError, match="at least 1"):
        un.thrown_balls(5, num_times=0)


def test_pca_matches_scikit_learn():
    from sklearn.decomposition import PCA

    paths, _ = un.thrown_balls(300, seed=1)
    mean, components, shares = un.pca(paths, 5)
    oracle = PCA(5).fit(paths.astype(np.float64))
    np.testing.assert_allclose(mean, oracle.mean_, rtol=1e-6)
    np.testing.assert_allclose(
        shares, oracle.explained_variance_ratio_, rtol=1e-5
    )
    # the same directions, up to sign
    np.testing.assert_allclose(
        np.abs((components * oracle.components_).sum(axis=1)), 1, atol=1e-4
    )


def test_throws_have_three_degrees_of_freedom():
    paths, _ = un.thrown_balls(400, noise=0.0, seed=3)
    _, _, shares = un.pca(paths, 5)
    assert shares[:3].sum() > 1 - 1e-9


def test_pca_checks_its_inputs():
    with pytest.raises(ValueError, match="exceeds"):
        un.pca(np.zeros((3, 5)), 4)


# --- the discount world -----------------------------------------------------


def _slopes(columns, y):
    X = np.column_stack([np.ones(len(y)), *columns])
    return np.linalg.lstsq(X, y, rcond=None)[0][1:]


def test_the_naive_slope_is_biased_and_adjustment_removes_the_bias():
    loyalty, discount, spending = un.discount_world(100_000, seed=1)
    # slope = effect + 20 * cov(discount, loyalty) / var(discount)
    assert _slopes([discount], spending)[0] == pytest.approx(
        2 + 20 * 5 / 34, abs=0.05
    )
    assert _slopes([discount, loyalty], spending)[0] == pytest.approx(
        2, abs=0.05
    )


def test_setting_the_discount_reveals_the_effect():
    rng = np.random.default_rng(0)
    chosen = rng.uniform(0, 20, 100_000)
    _, discount, spending = un.discount_world(
        100_000, effect=3.0, set_discount=chosen, seed=2
    )
    np.testing.assert_array_equal(discount, chosen)
    assert _slopes([discount], spending)[0] == pytest.approx(3, abs=0.05)


def test_discount_world_checks_the_intervention():
    with pytest.raises(ValueError, match="one discount per customer"):
        un.discount_world(10, set_discount=np.zeros(9))


# --- the facts corpus and analogies ------------------------------------------


def test_the_capital_sentence_is_left_out_for_unstated_countries():
    corpus = un.facts_corpus(unstated=["japan"], repeats=2, seed=0)
    text = {" ".join(s) for s in corpus}
    assert "france has capital paris" in text
    assert not any("has capital tokyo" in t for t in text)
    assert "tokyo speaks japanese" in text
    assert len(corpus) == 2 * (9 * len(un.FACTS) - 1)
    with pytest.raises(ValueError, match="atlantis"):
        un.facts_corpus(unstated=["atlantis"])


def test_skipgram_pairs_stay_within_the_window():
    vocab, pairs = un.skipgram_pairs([["a", "b", "c", "d"]], window=1)
    assert vocab == ["a", "b", "c", "d"]
    assert sorted(map(tuple, pairs.tolist())) == [
        (0, 1),
        (1, 0),
        (1, 2),
        (2, 1),
        (2, 3),
        (3, 2),
    ]
    with pytest.raises(ValueError, match="non-empty"):
        un.skipgram_pairs([])


def test_analogies_are_answered_by_vector_arithmetic():
    vocab = ["france", "paris", "japan", "tokyo", "other"]
    vectors = np.array(
        [[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [1, 1, 1]], float
    )
    question = ("france", "paris", "japan", "tokyo")
    assert un.analogy_accuracy(vectors, vocab, [question]) == 1.0
    with pytest.raises(ValueError, match="one row per word"):
        un.analogy_accuracy(vectors[:4], vocab, [question])


# --- writers' styles ---------------------------------------------------------


def test_thicken_takes_the_largest_pixel_of_each_two_by_two_square():
    images = load_digits().data[:20].astype(np.float32)
    square = np.pad(images.reshape(-1, 8, 8), ((0, 0), (0, 1), (0, 1)))
    expected = np.zeros_like(images).reshape(-1, 8, 8)
    for i in range(8):
        for j in range(8):
            expected[:, i, j] = square[:, i : i + 2, j : j + 2].max(
                axis=(1, 2)
            )
    np.testing.assert_array_equal(un.thicken(images), expected.reshape(-1, 64))
    assert (un.thicken(images) >= images).all()
    with pytest.raises(ValueError, match="64 columns"):
        un.thicken(np.zeros((2, 16)))


def test_writers_thicken_the_share_asked_for():
    images = load_digits().data.astype(np.float32)
    styled, broad = un.writers(images, 0.3, seed=1)
    assert broad.mean() == pytest.approx(0.3, abs=0.05)
    np.testing.assert_array_equal(styled[~broad], images[~broad])
    np.testing.assert_array_equal(styled[broad], un.thicken(images[broad]))
    with pytest.raises(ValueError, match="between 0 and 1"):
        un.writers(images, 1.5)


# --- generators: the ring of a GAN ------------------------------------------


def test_the_ring_has_its_clouds_on_the_circle():
    X, cloud = un.ring_of_gaussians(4000, num_modes=8, radius=2.0, seed=3)
    centres = un.ring_centres(8, 2.0)
    assert X.shape == (4000, 2) and set(cloud) == set(range(8))
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 2.0)
    offsets = X - centres[cloud]
    assert abs(offsets.std() - 0.05) < 0.005
    np.testing.assert_array_equal(X, un.ring_of_gaussians(4000, seed=3)[0])


def test_mode_shares_count_the_points_near_each_centre():
    centres = un.ring_centres(4, 1.0)
    points = np.array([[1.0, 0.0], [0.0, 1.05], [0.0, 1.2], [0.0, 0.0]])
    np.testing.assert_allclose(
        un.mode_shares(points, centres, 0.1), [0.25, 0.25, 0, 0]
    )
    X, _ = un.ring_of_gaussians(2000, spread=0.1, seed=0)
    shares = un.mode_shares(X, un.ring_centres(), 0.3)
    assert shares.sum() > 0.95 and shares.min() > 0.1
    piled = np.repeat(un.ring_centres()[:1], 50, axis=0)
    assert (un.mode_shares(piled, un.ring_centres(), 0.3) > 0).sum() == 1


def test_the_ring_and_mode_shares_check_their_inputs():
    with pytest.raises(ValueError, match="at least 1"):
        un.ring_of_gaussians(0)
    with pytest.raises(ValueError, match="positive"):
        un.ring_of_gaussians(10, spread=0)
    with pytest.raises(ValueError, match="same space"):
        un.mode_shares(np.zeros((3, 3)), un.ring_centres(), 0.3)
    with pytest.raises(ValueError, match="positive distance"):
        un.mode_shares(np.zeros((3, 2)), un.ring_centres(), 0)
