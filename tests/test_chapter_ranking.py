"""The claims of the chapter "Search, ranking and recommendation", read from
its glued values.

Each test pins a sentence of the chapter: precision cannot see order; our
PageRank is networkx's under the same stopping rule, and power iteration stays
under its bound; PageRank alone sits just above the random-order floor; the
learned rankers, chosen on validation queries, beat the floor and one-signal
orderings; RankNet's lead over pointwise holds seed by seed, and the control
(text match centred per query) removes it; the biases, fitted exactly, help
a little and the tastes much more; the numbers of the exercises.
"""

import json

import pytest
from conftest import ROOT

STEM = "05_ranking"


@pytest.fixture(scope="module")
def values(glued):
    return glued(STEM)


# --- metrics and PageRank ----------------------------------------------------


def test_precision_cannot_see_order_but_ndcg_can(values):
    assert values["ranking_letters_precision"] == 1.0
    assert (
        values["ranking_letters_ndcg2"] < values["ranking_letters_ndcg"] < 1.0
    )


def test_pagerank_equals_networkx_under_the_same_stopping_rule(values):
    # both stop at a total change below 1e-12: they agree far closer than it
    assert values["ranking_pagerank_max_abs_diff"] <= 1e-11


def test_the_surfer_follows_d_over_1_minus_d_links(values):
    assert values["ranking_links_before_jump"] == pytest.approx(0.85 / 0.15)


def test_power_iteration_shrinks_faster_than_its_bound(values):
    assert values["ranking_pagerank_rate"] < 0.85


# --- learning to rank --------------------------------------------------------


def test_pagerank_alone_is_above_the_random_floor_but_not_far(values):
    floor, spread = (
        values["ranking_ndcg_random"],
        values["ranking_ndcg_random_std"],
    )
    pagerank = values["ranking_ndcg_pagerank_only"]
    assert floor + 3 * spread < pagerank < values["ranking_ndcg_text_only"]
    assert 0.2 < floor < 0.4  # "NDCG never starts at 0"


def test_learned_rankers_beat_every_single_signal(values):
    for model in ("pointwise", "ranknet"):
        assert (
            values[f"ranking_ndcg_{model}"] > values["ranking_ndcg_text_only"]
        )
        assert values[f"ranking_ndcg_{model}"] < values["ranking_ndcg_best"]


def test_ranknet_beats_pointwise_seed_by_seed(values):
    assert values["ranking_ranknet_gain_min"] > 0
    low, high = (
        values["ranking_ranknet_gain_low"],
        values["ranking_ranknet_gain_high"],
    )
    assert 0 < low <= values["ranking_ranknet_minus_pointwise"] <= high
    # "a small gain": a few hundredths of NDCG
    assert values["ranking_ranknet_gain_max"] < 0.05


def test_centring_text_match_removes_ranknets_lead(values):
    low = values["ranking_ranknet_minus_centred_low"]
    high = values["ranking_ranknet_minus_centred_high"]
    # the lead "shrinks": the control's interval lies below the gain's
    assert high < values["ranking_ranknet_gain_low"]
    # "ranks about as well": no lead left that the seeds can detect
    assert low < 0 < high


def test_the_pointwise_model_follows_the_query_level(values):
    assert (
        values["ranking_pointwise_level_vs_text"]
        > values["ranking_pointwise_level_vs_grade"]
    )


def test_choices_come_from_the_validation_grids(values):
    assert values["ranking_chosen_pairs"] in (5_000, 10_000, 20_000)
    for model in ("pointwise", "ranknet"):
        assert values[f"ranking_lr_{model}"] in (0.003, 0.01, 0.03)
    assert values["ranking_num_factors"] in (1, 2, 3, 4, 6)
    assert values["ranking_weight_decay"] in (1e-5, 1e-4, 1e-3)


# --- recommendation ----------------------------------------------------------


def test_most_started_films_are_rated(values):
    assert values["ranking_share_rated"] > 0.5


def test_biases_help_a_little_and_tastes_much_more(values):
    mean, bias = values["ranking_rmse_global"], values["ranking_rmse_bias"]
    mf = values["ranking_rmse_mf"]
    assert mf < bias < mean
    assert bias - mf > 5 * (mean - bias)


def test_matrix_factorisation_nears_the_noise_floor(values):
    floor = values["ranking_rmse_noise_floor"]
    assert floor < values["ranking_rmse_mf"] <= 1.10 * floor


def test_personalised_top_10_beats_popularity_over_all_users(values):
    assert (
        values["ranking_precision_mf_mean"]
        > values["ranking_precision_popularity_mean"]
    )
    assert values["ranking_precision_gain_low"] > 0


def test_each_fan_gets_their_own_genre(values):
    assert values["ranking_top10_shared"] <= 2
    assert values["ranking_top10_scifi_own"] >= 7
    assert values["ranking_top10_comedy_own"] >= 7


# --- exercises ---------------------------------------------------------------


def test_exponential_gain_punishes_the_shuffle_more(values):
    assert values["ranking_ex1_exponential"] < values["ranking_letters_ndcg"]


def test_more_damping_means_more_steps_and_more_concentration(values):
    steps = [values[f"ranking_ex2_steps_{d}"] for d in (50, 85, 99)]
    tops = [values[f"ranking_ex2_top_{d}"] for d in (50, 85, 99)]
    assert steps == sorted(steps) and tops == sorted(tops)
    for d in (50, 85, 99):
        assert (
            values[f"ranking_ex2_steps_{d}"]
            <= values[f"ranking_ex2_bound_{d}"]
        )


def test_three_skipped_comedies_remove_comedies_from_the_list(values):
    assert (
        values["ranking_ex5_comedies_after"]
        < values["ranking_ex5_comedies_cold"]
    )


# --- the headline comparison is declared for the robustness table ------------


def test_the_robustness_table_covers_the_headline_comparison(values):
    notebook = json.loads((ROOT / "chapters" / f"{STEM}.ipynb").read_text())
    wanted = notebook["metadata"]["mlbook"]["robustness"]
    assert "ranking_ranknet_minus_pointwise" in wanted
    assert set(wanted) <= set(values)
