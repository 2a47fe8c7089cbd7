"""The chapter "Learning without labels": its claims, read from the values
its notebook glued.

Each test pins a sentence of the chapter: the validation silhouette finds
the four kinds of user, and the clusters match the hidden kinds far above
random groupings; the digit clusters beat their floor on the test digits;
k-means fails on rings and bands while the same algorithm on the radius does
not.
"""

from mlbook import unsupervised as un

import pytest

CHAPTER = "07_without_labels"


@pytest.fixture(scope="module")
def values(glued):
    return glued(CHAPTER)


# --- prototypes --------------------------------------------------------------


def test_the_silhouette_finds_the_kinds_of_user(values):
    assert values["nolabels_users_best_k"] == len(un.USER_KINDS)
    assert values["nolabels_users_num_kinds"] == len(un.USER_KINDS)
    assert values["nolabels_users_best_silhouette"] > 0.5


def test_the_user_clusters_are_the_hidden_kinds(values):
    assert values["nolabels_users_ari"] > 0.9
    assert values["nolabels_users_random_ari"] < 0.1


def test_the_digit_clusters_beat_random_groupings(values):
    assert values["nolabels_digits_best_k"] in (6, 8, 10, 12, 14)
    assert values["nolabels_digits_test_ari"] > 0.4
    assert values["nolabels_digits_random_ari"] < 0.05
    assert values["nolabels_digits_best_silhouette"] < 0.3  # "low"


def test_kmeans_fails_on_rings_and_bands_but_not_on_the_radius(values):
    assert values["nolabels_rings_ari"] < 0.1
    assert values["nolabels_bands_ari"] < 0.1
    assert values["nolabels_radius_ari"] > 0.95


# --- subspaces ---------------------------------------------------------------


def test_pca_finds_as_many_components_as_throw_settings(values):
    assert values["nolabels_pca_num_above_noise"] == 3
    assert values["nolabels_pca_three_share"] > 0.99


def test_the_linear_autoencoder_learns_the_principal_subspace(values):
    assert values["nolabels_linear_ae_max_angle"] <= 1.0
    assert values["nolabels_random_max_angle"] > 45


def test_the_autoencoder_compresses_the_digits_better_than_pca(values):
    assert values["nolabels_code_size"] == 4
    assert (
        values["nolabels_ae_error"]
        < values["nolabels_pca_error"]
        < values["nolabels_mean_scan_error"]
    )
    assert values["nolabels_ae_minus_pca"] < 0
    assert values["nolabels_ae_error_ratio"] < 1


# --- causes ------------------------------------------------------------------


def test_the_observed_slope_overstates_the_effect_in_every_seed(values):
    effect = values["nolabels_true_effect"]
    assert values["nolabels_slope_observed_min"] > 2 * effect  # "twice"


def test_intervening_and_adjusting_recover_the_effect(values):
    effect = values["nolabels_true_effect"]
    for way in ("do", "adjusted"):
        assert values[f"nolabels_slope_{way}_min"] > 0.9 * effect
        assert values[f"nolabels_slope_{way}_max"] < 1.1 * effect
    assert (
        values["nolabels_slope_adjusted_max"]
        < values["nolabels_slope_observed_min"]
    )


# --- exercises ---------------------------------------------------------------


def test_exercise_1_the_inertia_always_falls(values):
    assert values["nolabels_ex1_decreasing"] == 1
    assert (
        values["nolabels_ex1_inertia_last"]
        < values["nolabels_ex1_inertia_first"]
    )
    assert values["nolabels_ex1_drop_after_ratio"] < 0.5  # an elbow at k


def test_exercise_2_digits_need_many_components(values):
    assert values["nolabels_ex2_components_90"] > 10


# --- embeddings --------------------------------------------------------------


def test_the_embedding_answers_analogies_it_was_never_told(values):
    assert values["nolabels_analogy_test_accuracy"] >= 0.8  # the bar
    assert values["nolabels_analogy_test_low"] > 0.5
    assert values["nolabels_analogy_random"] < 0.1
    assert 1 <= values["nolabels_embedding_epoch"] <= 6
    assert values["nolabels_num_test_questions"] == 6 * 16


def test_the_analogy_bar_holds_in_every_seed(values):
    assert values["nolabels_analogy_seeds_min"] >= 0.8  # the bar
    assert (
        values["nolabels_analogy_seeds_min"]
        <= values["nolabels_analogy_test_accuracy"]
        <= values["nolabels_analogy_seeds_max"]
    )


def test_the_counts_baseline_is_stated_as_measured(values):
    # the prose calls the counts "humbling": they do at least as well
    assert (
        values["nolabels_analogy_counts"]
        >= values["nolabels_analogy_test_accuracy"]
    )
    assert values["nolabels_embedding_size"] < values["nolabels_num_words"]


# --- two piles of data -------------------------------------------------------


def test_the_two_sample_test_flags_the_shift_and_not_its_control(values):
    assert values["nolabels_c2st_shift_low"] > 0.5
    assert (
        values["nolabels_c2st_same_low"]
        < 0.5
        < values["nolabels_c2st_same_high"]
    )


def test_the_shift_costs_accuracy_in_every_seed(values):
    assert values["nolabels_shift_drop_min"] > 0
    assert values["nolabels_ceiling_gain_min"] > 0


def test_weighting_is_reported_as_unreliable(values):
    # the prose: "wins back little, and not reliably"
    assert values["nolabels_weight_gain_min"] < 0
    assert 0 < values["nolabels_weight_helped"] < 5
    assert (
        values["nolabels_weight_gain_median"]
        < values["nolabels_ceiling_gain_min"]
    )
    assert (
        values["nolabels_effective_size_max"]
        < values["nolabels_num_source"] / 4
    )


# --- a generator against the test -------------------------------------------


@pytest.mark.parametrize("data", ["ring", "digit"])
def test_the_gan_beats_step_0_but_the_test_still_tells_it_apart(values, data):
    def interval(name):
        prefix = f"nolabels_{data}_c2st_{name}"
        return values[f"{prefix}_low"], values[f"{prefix}_high"]

    gan, untrained, real = (interval(n) for n in ("gan", "untrained", "real"))
    assert gan[1] < untrained[0]  # far better than the untrained generator
    assert gan[0] > real[1]  # but not indistinguishable from the data
    assert real[0] < 0.5 < real[1]  # the control holds 0.5
    assert values[f"nolabels_{data}_c2st_untrained"] > 0.95


def test_the_ring_gan_covers_all_clouds_as_the_real_ring_does(values):
    assert values["nolabels_ring_real_modes"] == 8
    assert values["nolabels_ring_gan_modes"] == 8  # "clouds on all eight"
    assert values["nolabels_ring_untrained_modes"] < 8
    assert values["nolabels_ring_gan_near"] < values["nolabels_ring_real_near"]


def test_the_digit_gan_draws_every_digit(values):
    assert values["nolabels_reader_accuracy"] > 0.9
    assert values["nolabels_gan_digits_drawn"] == 10  # "all 10 digits"
    assert values["nolabels_gan_digit_min_share"] > 0.02
    assert values["nolabels_gan_step"] % 300 == 0


def test_too_many_generator_steps_collapse_the_ring_in_every_seed(values):
    assert (
        values["nolabels_collapsed_modes_max"]
        < values["nolabels_healthy_modes_min"]
    )
    # "piled all its points in one small patch"
    assert values["nolabels_collapsed_spread_max"] < 0.5
    assert values["nolabels_healthy_spread_min"] > 1.5
    assert values["nolabels_ring_spread"] > 1.5
    assert (
        values["nolabels_collapsed_c2st_low"]
        > values["nolabels_ring_c2st_gan"]
    )


def test_exercise_3_a_linear_test_misses_what_the_hidden_layer_sees(values):
    assert values["nolabels_ex3_linear_gan"] < values["nolabels_ring_c2st_gan"]
    assert (
        values["nolabels_ex3_linear_untrained"]
        < values["nolabels_ring_c2st_untrained"] - 0.2
    )
    assert abs(values["nolabels_ex3_linear_gan"] - 0.5) < 0.05  # "near 0.5"
