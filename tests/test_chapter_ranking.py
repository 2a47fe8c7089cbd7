"""The claims of the chapter "Search, ranking and recommendation", read from
its glued values."""

STEM = "05_ranking"


def test_precision_cannot_see_order_but_ndcg_can(glued):
    values = glued(STEM)
    assert values["ranking_letters_precision"] == 1.0
    assert (
        values["ranking_letters_ndcg2"] < values["ranking_letters_ndcg"] < 1.0
    )


def test_pagerank_equals_networkx(glued):
    assert glued(STEM)["ranking_pagerank_max_abs_diff"] <= 1e-6


def test_ranknet_beats_pointwise_and_both_beat_pagerank_alone(glued):
    values = glued(STEM)
    assert values["ranking_ndcg_ranknet"] >= values["ranking_ndcg_pointwise"]
    assert (
        values["ranking_ndcg_pointwise"] > values["ranking_ndcg_pagerank_only"]
    )


def test_learned_rankings_reach_90_percent_of_the_best_possible(glued):
    values = glued(STEM)
    best = values["ranking_ndcg_best"]
    assert values["ranking_ndcg_ranknet"] >= 0.90 * best
    assert values["ranking_ndcg_pointwise"] >= 0.90 * best


def test_matrix_factorisation_beats_biases_and_nears_the_noise_floor(glued):
    values = glued(STEM)
    assert values["ranking_rmse_mf"] <= 0.90 * values["ranking_rmse_bias"]
    assert (
        values["ranking_rmse_mf"] <= 1.10 * values["ranking_rmse_noise_floor"]
    )
    assert values["ranking_rmse_noise_floor"] < values["ranking_rmse_mf"]


def test_personalised_top_10_beats_popularity(glued):
    values = glued(STEM)
    assert (
        values["ranking_precision_mf_mean"]
        > values["ranking_precision_popularity_mean"]
    )
    for user in ("scifi", "comedy"):
        assert (
            values[f"ranking_precision_mf_{user}"]
            >= values[f"ranking_precision_popularity_{user}"]
        )
