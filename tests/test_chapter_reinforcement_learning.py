"""The chapter "Learning by acting": the claims of its prose, as glued."""

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


def test_eps_greedy_with_a_tenth_is_close_to_its_ceiling_not_at_it(rl):
    """It can still climb a little: the ceiling is 0.9 x best + 0.1 x mean."""
    assert rl["rl_eps01_ceiling_optimal"] == pytest.approx(0.91)
    gap = rl["rl_eps01_ceiling"] - rl["rl_eps01_last100"]
    assert 0 < gap < 0.05


def test_settings_are_chosen_on_validation_testbeds(rl):
    """The tuned settings differ from the quoted ones and tuning helps UCB
    on the test testbeds."""
    assert rl["rl_best_eps"] != 0.1 and rl["rl_best_c"] != 2
    assert rl["rl_valid_ucb_best"] > rl["rl_valid_ucb_c2"]
    assert rl["rl_ucb_tuned_mean1000"] > rl["rl_ucb_c2_mean1000"]
    assert rl["rl_eps_tuned_mean1000"] < rl["rl_ucb_tuned_mean1000"]
    assert rl["rl_eps_tuned_mean1000"] < rl["rl_thompson_mean1000"]


def test_tuned_ucb_edges_thompson_overall_but_not_at_the_end(rl):
    """The paired 95% interval of tuned UCB minus Thompson excludes 0; over
    the last 100 steps Thompson still earns more."""
    assert (
        0
        < rl["rl_ucb_minus_thompson_low"]
        < rl["rl_ucb_minus_thompson"]
        < rl["rl_ucb_minus_thompson_high"]
    )
    assert rl["rl_thompson_tuned_last100"] > rl["rl_ucb_tuned_tuned_last100"]
    assert rl["rl_ucb_tuned_mean1000"] > rl["rl_eps_tuned_mean1000"]


def test_ucb1_stays_under_its_bound(rl):
    assert rl["rl_ucb1_regret"] < rl["rl_auer_bound"]
    assert rl["rl_ucb1_worst_bound_share"] < 1
    assert rl["rl_thompson_regret"] < rl["rl_ucb1_regret"] / 3
    assert rl["rl_ucb1_rate"] > 3 * rl["rl_lai_robbins_rate"]


def test_thompson_is_still_pre_asymptotic_at_ten_thousand_pulls(rl):
    """Level and slope below the Lai-Robbins curve: the bound is asymptotic,
    so the run cannot show the optimal rate."""
    assert rl["rl_thompson_regret"] < rl["rl_lai_robbins"]
    assert rl["rl_thompson_rate"] < rl["rl_lai_robbins_rate"]


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


def test_ignoring_the_100_step_limit_is_harmless(rl):
    """Exact chances within 100 steps: ours against the best time-aware
    policy."""
    assert 0 <= rl["rl_best_exact_100"] - rl["rl_vi_exact_100"] < 0.01
    assert rl["rl_vi_no_limit"] > rl["rl_best_exact_100"]
    assert rl["rl_vi_exact_100"] == pytest.approx(
        rl["rl_vi_success"], abs=0.01
    )


def test_discounting_changes_values_more_than_policies(rl):
    assert rl["rl_v_start_gamma09"] < 0.2 < 0.7 < rl["rl_v_start_gamma0999"]
    assert rl["rl_success_gamma05"] < 0.6


def test_q_learning_gap_is_a_pessimistic_start_not_noise(rl):
    """The wrong action is the gamma = 0.9 policy's; the better action is
    updated less and underestimated more; started from Q* the same learner
    keeps the optimum."""
    assert rl["rl_q_cells_worse"] >= 1
    assert rl["rl_q_success"] == rl["rl_success_gamma09"]
    assert rl["rl_q_success"] < rl["rl_vi_success"]
    assert rl["rl_q_best_updates"] < rl["rl_q_chosen_updates"]
    assert rl["rl_q_best_shortfall"] > rl["rl_q_chosen_shortfall"] > 0
    assert rl["rl_q_best_shortfall"] > rl["rl_q_value_lost"]
    assert rl["rl_q_control_keeps_best"] == 1
    assert rl["rl_q_control_success"] == pytest.approx(
        rl["rl_vi_success"], abs=1e-9
    )
    assert rl["rl_q_first_nonzero_start"] >= 100


def test_memory_beats_a_memoryless_policy_in_the_t_maze(rl):
    assert rl["rl_memoryless_low"] <= 0.5 <= rl["rl_memoryless_high"]
    assert rl["rl_memory_success"] >= 0.99
    assert rl["rl_ex3_num_policies"] == 81
    assert rl["rl_ex3_best_share"] == pytest.approx(0.5)


def test_dqn_beats_random_play_on_unseen_test_episodes(rl):
    assert rl["rl_dqn_test_min"] <= rl["rl_dqn_test_return"] <= 500
    assert rl["rl_random_return"] < 50
    assert rl["rl_dqn_test_return"] > 10 * rl["rl_random_return"]
    assert rl["rl_dqn_minutes"] == pytest.approx(
        rl["rl_dqn_steps"] * 0.02 / 60
    )


def test_the_bonus_is_hacked_and_potential_shaping_is_safe(rl):
    assert rl["rl_hacked_success"] < 0.2
    assert rl["rl_hacked_bonus_return"] > rl["rl_honest_bonus_return"]


def test_exercise_solutions_compute_what_they_state(rl):
    assert (
        rl["rl_greedy_last100"] < rl["rl_ex1_optimistic_last100"]
        and rl["rl_ex1_optimistic_optimal_last100"]
        > rl["rl_greedy_optimal_last100"]
    )
    assert rl["rl_ex2_success"] == 1
    assert rl["rl_ex2_v_start"] == pytest.approx(0.99**5, abs=1e-9)
    assert rl["rl_ex5_cells_changed"] >= 1
    assert rl["rl_ex5_hurry_success"] < rl["rl_vi_success"]


def test_the_run_solves_by_our_test_but_not_by_gyms_classic_rule(rl):
    assert rl["rl_dqn_test_return"] >= 475
    assert rl["rl_dqn_gym_rule_best"] < 475
