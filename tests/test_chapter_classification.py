"""The classification chapter's glued bars: digit accuracy, decisions, many
labels and mistakes that respect the taxonomy."""

import pytest


@pytest.fixture(scope="module")
def chapter(glued):
    return glued("04_classification")


def test_softmax_regression_reads_96_percent_of_the_test_digits(chapter):
    assert chapter["classify_softmax_test_acc"] >= 0.96


def test_cnn_reads_98_5_percent_of_the_test_digits(chapter):
    assert chapter["classify_cnn_test_acc"] >= 0.985
    assert (
        chapter["classify_cnn_test_acc"]
        >= chapter["classify_softmax_test_acc"]
    )


def test_models_beat_the_baseline_and_sit_beside_the_reference(chapter):
    assert chapter["classify_majority_test_acc"] == pytest.approx(
        0.1, abs=0.02
    )
    assert chapter["classify_mlp_test_acc"] >= 0.95
    assert (
        chapter["classify_svm_test_acc"] >= 0.97
    )  # "about 99%" on such splits
    assert chapter["classify_test_size"] == 360


def test_calibration_error_is_reported_and_small(chapter):
    for key in ("softmax", "mlp", "cnn"):
        assert 0 <= chapter[f"classify_{key}_ece"] < 0.1


def test_binary_model_has_one_output(chapter):
    assert chapter["classify_binary_parameters"] == 65
    assert chapter["classify_binary_test_acc"] >= 0.95


def test_the_mushroom_is_discarded_although_edible_is_more_likely(chapter):
    assert chapter["classify_eat_loss"] == pytest.approx(200)
    assert chapter["classify_discard_loss"] == pytest.approx(0.8)
    assert chapter["classify_threshold"] == pytest.approx(1 / 1001)


def test_sigmoid_outputs_beat_one_class_per_image(chapter):
    assert chapter["classify_multilabel_f1"] >= 0.9
    assert chapter["classify_multilabel_exact"] >= 0.6
    assert (
        chapter["classify_single_exact"] == 0.0
    )  # every composite has 2 or 3 digits
    assert (
        chapter["classify_single_f1"] < chapter["classify_multilabel_f1"] - 0.3
    )


def test_hierarchy_aware_model_makes_less_severe_mistakes_at_similar_accuracy(
    chapter,
):
    assert (
        chapter["classify_hier_severity"] < chapter["classify_flat_severity"]
    )
    assert chapter["classify_hier_within"] > chapter["classify_flat_within"]
    assert (
        abs(chapter["classify_hier_acc"] - chapter["classify_flat_acc"])
        <= 0.02
    )
