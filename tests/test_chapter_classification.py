"""The classification chapter's claims, read from the values it glued:
choices made on validation, models beside their floor, the confident
mistakes, many labels against a fair baseline, and the hierarchy's soft labels
beside their control."""

import json

import pytest
from conftest import ROOT

CHAPTER = "04_classification"


@pytest.fixture(scope="module")
def chapter(glued):
    return glued(CHAPTER)


# --- choosing on validation, testing once ---------------------------------


def test_epochs_are_chosen_within_each_recipe_on_validation(chapter):
    for key in ("softmax", "mlp", "cnn"):
        assert 1 <= chapter[f"classify_{key}_epochs"]
        assert (
            chapter[f"classify_{key}_epochs"]
            <= chapter[f"classify_{key}_max_epochs"]
        )


def test_the_cnn_is_the_model_chosen_on_validation(chapter):
    """The prose: "So the CNN is the model we would ship"."""
    assert chapter["classify_chosen_is_cnn"] == 1
    assert (
        chapter["classify_cnn_valid_acc"] >= chapter["classify_mlp_valid_acc"]
    )
    assert (
        chapter["classify_cnn_valid_acc"]
        >= chapter["classify_softmax_valid_acc"]
    )


def test_the_writers_are_the_13_of_scikit_learns_description(chapter):
    assert chapter["classify_num_writers"] == 13
    assert chapter["classify_num_digits"] == 1797


# --- the evaluation, beside a floor and a reference ------------------------


def test_models_beat_the_majority_floor_by_far(chapter):
    assert chapter["classify_test_size"] == 360
    assert chapter["classify_majority_test_acc"] == pytest.approx(
        chapter["classify_largest_class_share"], abs=0.02
    )
    for key in ("softmax", "mlp", "cnn", "svm"):
        assert (
            chapter[f"classify_{key}_test_acc"]
            > chapter["classify_majority_test_acc"] + 0.8
        )


def test_cnn_beats_softmax_regression_on_the_test_digits(chapter):
    assert chapter["classify_cnn_minus_softmax_test_acc"] > 0


def test_cnn_and_svm_differ_by_less_than_the_cnns_error_interval(chapter):
    """ "A difference of a few images ... is well inside it"."""
    n = chapter["classify_test_size"]
    width = (
        chapter["classify_cnn_error_high"] - chapter["classify_cnn_error_low"]
    )
    assert abs(chapter["classify_cnn_minus_svm_mistakes"]) / n < width / 2
    cnn_error = chapter["classify_cnn_mistakes"] / n
    assert (
        chapter["classify_cnn_error_low"]
        < cnn_error
        < chapter["classify_cnn_error_high"]
    )
    assert chapter["classify_image_worth"] == pytest.approx(100 / 360)


def test_calibration_error_is_reported_and_small(chapter):
    for key in ("softmax", "mlp", "cnn"):
        assert 0 <= chapter[f"classify_{key}_ece"] < 0.1


# --- confident mistakes -----------------------------------------------------


def test_the_confident_mistakes_clear_the_glued_criterion(chapter):
    assert chapter["classify_confident_level"] == 0.9
    assert 0 <= chapter["classify_softmax_confident_wrong"]
    assert (
        chapter["classify_softmax_confident_wrong"]
        <= chapter["classify_softmax_num_wrong"]
    )
    confident = (
        chapter["classify_top_wrong_confidence"]
        >= chapter["classify_confident_level"]
    )
    assert confident == (chapter["classify_softmax_confident_wrong"] > 0)


# --- two classes and decisions ---------------------------------------------


def test_binary_model_has_one_output_and_most_images_get_a_sure_answer(
    chapter,
):
    assert chapter["classify_binary_parameters"] == 65
    assert chapter["classify_binary_test_acc"] >= 0.95
    assert (
        chapter["classify_binary_uncertain"]
        < 0.5 * chapter["classify_binary_test_size"]
    )


def test_the_mushroom_is_discarded_although_edible_is_more_likely(chapter):
    assert chapter["classify_eat_loss"] == pytest.approx(200)
    assert chapter["classify_discard_loss"] == pytest.approx(0.8)
    assert chapter["classify_threshold"] == pytest.approx(1 / 1001)
    assert chapter["classify_sure_edible"] == pytest.approx(1000 / 1001)


# --- many labels ----------------------------------------------------------


def test_sigmoid_outputs_beat_the_thresholded_softmax_baseline(chapter):
    """The prose: the baseline is "a serious competitor" and the sigmoids win,
    by more on exact sets than in F1."""
    assert chapter["classify_multilabel_f1"] >= 0.9
    assert chapter["classify_softmax_multi_f1"] >= 0.8  # a real baseline
    assert chapter["classify_softmax_multi_exact"] > 0.3
    assert chapter["classify_multi_minus_softmax_f1"] > 0
    assert (
        chapter["classify_multi_minus_softmax_exact"]
        > chapter["classify_multi_minus_softmax_f1"]
    )
    for key in (
        "classify_multi_threshold",
        "classify_softmax_multi_threshold",
    ):
        assert 0 < chapter[key] < 1


# --- hierarchy: soft labels beside their control --------------------------


def test_uniform_smoothing_lowers_severity_in_every_seed(chapter):
    assert chapter["classify_hier_num_seeds"] >= 3
    assert chapter["classify_smoothing_gain_min"] > 0
    assert (
        chapter["classify_smooth_severity"] < chapter["classify_flat_severity"]
    )
    assert (
        chapter["classify_tree_severity"] < chapter["classify_flat_severity"]
    )


def test_the_tree_adds_less_than_smoothing_and_less_than_the_seed_spread(
    chapter,
):
    """ "uniform smoothing alone ... does most of that"."""
    assert (
        chapter["classify_tree_extra_mean"]
        < chapter["classify_smoothing_gain_mean"]
    )
    assert (
        chapter["classify_tree_extra_mean"]
        < chapter["classify_severity_spread"]
    )


def test_flat_mistakes_cross_groups_more_than_chance_and_tree_is_at_chance(
    chapter,
):
    """The chance level of a random wrong answer inside the true group,
    (3/9 * 4 + 2/9 * 6) / 10 for a balanced test set, against the pooled
    shares' 95% intervals."""
    chance = chapter["classify_chance_within"]
    assert chance == pytest.approx(0.267, abs=0.01)
    assert chapter["classify_flat_within_high"] < chance
    assert (
        chapter["classify_tree_within_low"]
        < chance
        < chapter["classify_tree_within_high"]
    )
    for key in ("flat", "smooth", "tree"):
        assert (
            abs(chapter[f"classify_{key}_acc"] - chapter["classify_flat_acc"])
            < 0.03
        )


# --- exercises: the solutions' numbers are computed -------------------------


def test_exercise_solutions_glue_what_they_state(chapter):
    assert (
        chapter["classify_ex2_coverage_high"]
        < chapter["classify_ex2_coverage_low"]
    )
    assert (
        chapter["classify_ex2_accuracy_high"]
        >= chapter["classify_ex2_accuracy_low"]
    )
    assert chapter["classify_ex4_temperature"] > 0
    assert chapter["classify_ex1_diff_images"] == round(
        (chapter["classify_cnn_valid_acc"] - chapter["classify_ex1_valid_acc"])
        * chapter["classify_valid_size"]
    )
    for key in ("low_beta", "high_beta"):
        assert 0 < chapter[f"classify_ex5_acc_{key}"] <= 1
    assert 0 < chapter["classify_ex6_f1"] <= 1


def test_the_robustness_table_covers_the_headline_comparisons(chapter):
    notebook = json.loads((ROOT / "chapters" / f"{CHAPTER}.ipynb").read_text())
    wanted = notebook["metadata"]["mlbook"]["robustness"]
    assert {
        "classify_cnn_minus_softmax_test_acc",
        "classify_multi_minus_softmax_f1",
        "classify_tree_extra_mean",
    } <= set(wanted)
    assert all(name in chapter for name in wanted)
