"""The chapter "Learning by acting": the bars of its issue and the claims of its prose."""

import pytest


@pytest.fixture(scope="module")
def rl(glued):
    return glued("08_reinforcement_learning")


def test_testbed_reaches_the_bars_over_steps_901_to_1000(rl):
    assert rl["rl_ucb_last100"] == pytest.approx(1.50, abs=0.05)
    assert rl["rl_eps01_last100"] == pytest.approx(1.37, abs=0.05)
    assert rl["rl_expected_max"] == pytest.approx(1.5388, abs=1e-4)
    assert rl["rl_testbed_best_mean"] == pytest.approx(1.54, abs=0.05)


def test_testbed_ranks_the_rules_as_the_prose_says(rl):
    assert (
        rl["rl_greedy_last100"]
        < rl["rl_eps001_last100"]
        < rl["rl_eps01_last100"]
    )
    assert (
        rl["rl_eps01_last100"]
        < rl["rl_ucb_last100"]
        < rl["rl_thompson_last100"]
    )
    assert rl["rl_thompson_last100"] < rl["rl_expected_max"]
    assert (
        rl["rl_greedy_optimal_last100"]
        < 0.5
        < rl["rl_thompson_optimal_last100"]
    )


def test_ucb1_stays_under_its_bound_and_thompson_grows_near_lai_robbins(rl):
    assert rl["rl_ucb1_regret"] < rl["rl_auer_bound"]
    assert rl["rl_ucb1_worst_bound_share"] < 1
    assert rl["rl_thompson_regret"] < rl["rl_ucb1_regret"] / 3
    assert 0.5 <= rl["rl_thompson_rate"] / rl["rl_lai_robbins_rate"] <= 1.5
    assert rl["rl_ucb1_rate"] > 3 * rl["rl_lai_robbins_rate"]


def test_context_cuts_regret(rl):
    assert rl["rl_linucb_regret"] < 0.1 * rl["rl_blind_regret"]


def test_value_iteration_reaches_the_documented_optimum(rl):
    assert rl["rl_vi_success"] == pytest.approx(0.74, abs=0.02)
    assert rl["rl_vi_success_real"] == pytest.approx(
        rl["rl_vi_success"], abs=0.045
    )
    assert rl["rl_random_lake_success"] < 0.05
    assert rl["rl_potential_success"] == pytest.approx(
        rl["rl_vi_success"], abs=1e-9
    )


def test_discounting_changes_values_more_than_policies(rl):
    assert rl["rl_v_start_gamma09"] < 0.2 < 0.7 < rl["rl_v_start_gamma0999"]
    assert rl["rl_success_gamma05"] < 0.6


def test_q_learning_reaches_the_bar(rl):
    assert rl["rl_q_success"] >= 0.70
    assert rl["rl_q_success"] <= rl["rl_vi_success"] + 0.02
    assert 0 <= rl["rl_q_cells_worse"] <= 11 and rl["rl_q_value_lost"] < 0.1
    assert rl["rl_q_first_nonzero_start"] >= 100


def test_memory_beats_a_memoryless_policy_in_the_t_maze(rl):
    assert rl["rl_memoryless_success"] <= 0.55
    assert rl["rl_memory_success"] >= 0.99


def test_dqn_solves_cartpole(rl):
    assert rl["rl_dqn_test_return"] >= 475
    assert rl["rl_dqn_test_min"] <= rl["rl_dqn_test_return"] <= 500
    assert rl["rl_random_return"] < 50
    assert rl["rl_dqn_minutes"] == pytest.approx(
        rl["rl_dqn_steps"] * 0.02 / 60
    )


def test_the_bonus_is_hacked_and_potential_shaping_is_safe(rl):
    assert rl["rl_hacked_success"] < 0.2
    assert rl["rl_hacked_bonus_return"] > rl["rl_honest_bonus_return"]
