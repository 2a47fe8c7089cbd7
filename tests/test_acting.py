"""mlbook.acting: bandits, the T-maze, the replay buffer and the episode
runners.
"""

from mlbook.acting import (
    BanditTestbed,
    ContextualBandit,
    ReplayBuffer,
    TMaze,
    check_epsilon,
    epsilon_greedy,
    run_episodes,
    simulate_tabular,
    tabular_model,
)

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from scipy import integrate, stats

# --- epsilon-greedy
# -------------------------------------------------------------------


@pytest.mark.parametrize("epsilon", [0, 0.0, 0.3, 1])
def test_check_epsilon_accepts_probabilities(epsilon):
    assert check_epsilon(epsilon) == float(epsilon)


@pytest.mark.parametrize("epsilon", [-0.1, 1.5, float("nan")])
def test_check_epsilon_rejects_numbers_outside_the_unit_interval(epsilon):
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        check_epsilon(epsilon)


@pytest.mark.parametrize("epsilon", ["0.1", None, True])
def test_check_epsilon_rejects_non_numbers(epsilon):
    with pytest.raises(TypeError, match="epsilon must be a number"):
        check_epsilon(epsilon)


def test_epsilon_greedy_without_exploration_picks_the_best_action():
    rng = np.random.default_rng(0)
    assert epsilon_greedy([0.1, 0.9, 0.3], 0.0, rng) == 1
    rows = np.array([[1.0, 0.0], [0.0, 2.0], [5.0, 4.0]])
    np.testing.assert_array_equal(epsilon_greedy(rows, 0.0, rng), [0, 1, 0])


def test_epsilon_greedy_breaks_ties_at_random():
    rng = np.random.default_rng(0)
    picks = [epsilon_greedy([1.0, 0.0, 1.0], 0.0, rng) for _ in range(400)]
    assert set(picks) == {0, 2}
    rows = epsilon_greedy(np.zeros((4000, 3)), 0.0, rng)
    np.testing.assert_allclose(
        np.bincount(rows, minlength=3) / 4000, 1 / 3, atol=0.03
    )


def test_epsilon_greedy_explores_uniformly_with_probability_epsilon():
    rng = np.random.default_rng(0)
    q = np.tile([0.0, 1.0, 0.0, 0.0], (20000, 1))
    shares = np.bincount(epsilon_greedy(q, 0.4, rng), minlength=4) / 20000
    np.testing.assert_allclose(shares, [0.1, 0.7, 0.1, 0.1], atol=0.015)


def test_epsilon_greedy_rejects_bad_inputs():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        epsilon_greedy([1.0, 2.0], 1.2, rng)
    with pytest.raises(ValueError, match="one value per action"):
        epsilon_greedy(np.zeros((3, 0)), 0.1, rng)
    with pytest.raises(TypeError, match="NumPy Generator"):
        epsilon_greedy([1.0, 2.0], 0.1, 0)


# --- bandits
# --------------------------------------------------------------------------


def test_testbed_means_are_standard_normal_and_best_arm_fits_the_order_stat():
    testbed = BanditTestbed(num_runs=20000, num_arms=10, seed=0)
    assert testbed.means.shape == (20000, 10)
    assert (
        abs(testbed.means.mean()) < 0.01
        and abs(testbed.means.std() - 1) < 0.01
    )
    density = lambda x: x * 10 * stats.norm.pdf(x) * stats.norm.cdf(x) ** 9  # noqa: E731
    expected_max = integrate.quad(density, -np.inf, np.inf)[0]
    assert expected_max == pytest.approx(1.5388, abs=1e-4)
    assert testbed.best_mean.mean() == pytest.approx(expected_max, abs=0.015)
    np.testing.assert_array_equal(
        testbed.optimal_arm, testbed.means.argmax(axis=1)
    )


def test_testbed_rewards_are_the_arm_mean_plus_unit_noise():
    testbed = BanditTestbed(num_runs=50000, means=[-1.0, 0.5, 2.0], seed=1)
    rewards = testbed.pull(np.full(50000, 2))
    assert rewards.mean() == pytest.approx(2.0, abs=0.02)
    assert rewards.std() == pytest.approx(1.0, abs=0.02)
    np.testing.assert_allclose(
        testbed.regret(np.array([0, 1, 2] * 16666 + [2, 2])[:50000]),
        np.array([3.0, 1.5, 0.0] * 16666 + [0.0, 0.0])[:50000],
    )


def test_bernoulli_arms_pay_zero_or_one_with_their_probability():
    testbed = BanditTestbed(
        num_runs=40000, rewards="bernoulli", means=[0.2, 0.7], seed=2
    )
    rewards = testbed.pull(np.ones(40000, dtype=int))
    assert set(np.unique(rewards)) == {0.0, 1.0}
    assert rewards.mean() == pytest.approx(0.7, abs=0.01)


def test_testbed_is_deterministic_given_the_seed():
    first, second = BanditTestbed(5, seed=3), BanditTestbed(5, seed=3)
    assert first.means.shape == (5, 10) and "10 arms" in repr(first)
    actions = np.arange(5)
    np.testing.assert_array_equal(first.means, second.means)
    np.testing.assert_array_equal(first.pull(actions), second.pull(actions))


def test_testbed_rejects_unknown_and_malformed_actions():
    testbed = BanditTestbed(num_runs=3, num_arms=4)
    with pytest.raises(
        ValueError, match="unknown action 4: this bandit has arms 0 to 3"
    ):
        testbed.pull(np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="unknown action -1"):
        testbed.pull(np.array([0, -1, 1]))
    with pytest.raises(
        ValueError, match=r"one action per run: expected shape \(3,\)"
    ):
        testbed.pull(np.array([0, 1]))
    with pytest.raises(TypeError, match="whole numbers"):
        testbed.pull(np.array([0.5, 1.0, 2.0]))


def test_testbed_rejects_bad_settings():
    with pytest.raises(ValueError, match="num_runs must be at least 1"):
        BanditTestbed(num_runs=0)
    with pytest.raises(ValueError, match="'gaussian' or 'bernoulli'"):
        BanditTestbed(num_runs=2, rewards="poisson")
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        BanditTestbed(num_runs=2, rewards="bernoulli", means=[0.5, 1.5])
    with pytest.raises(ValueError, match="one mean per arm"):
        BanditTestbed(num_runs=2, means=[[0.5, 1.5]])
    with pytest.raises(ValueError, match="num_arms=3 but means lists 2 arms"):
        BanditTestbed(num_runs=2, num_arms=3, means=[0.5, 1.5])
    with pytest.raises(TypeError, match="num_arms must be a whole number"):
        BanditTestbed(num_runs=2, num_arms=2.5)


def test_contextual_bandit_rewards_are_linear_in_the_reader_features():
    bandit = ContextualBandit(
        num_runs=30000, num_arms=3, num_features=4, seed=0
    )
    contexts = bandit.observe()
    assert contexts.shape == (30000, 4) and np.all(contexts[:, 0] == 1)
    expected = bandit.expected_rewards()
    np.testing.assert_allclose(
        expected, np.einsum("raf,rf->ra", bandit.theta, contexts)
    )
    rewards = bandit.pull(np.zeros(30000, dtype=int))
    assert (rewards - expected[:, 0]).std() == pytest.approx(1.0, abs=0.02)
    assert (expected.argmax(axis=1)[:, None] == np.arange(3)).mean(
        axis=0
    ).min() > 0.2


def test_contextual_bandit_needs_a_reader_and_a_known_article():
    bandit = ContextualBandit(num_runs=2, num_arms=3, seed=0)
    with pytest.raises(RuntimeError, match="call observe"):
        bandit.pull(np.array([0, 1]))
    bandit.observe()
    with pytest.raises(ValueError, match="unknown action 3"):
        bandit.pull(np.array([0, 3]))


# --- the T-maze
# -----------------------------------------------------------------------


def test_tmaze_follows_the_gymnasium_api():
    check_env(TMaze(), skip_render_check=True)


def walk_to_junction(env, seed):
    observation, _ = env.reset(seed=seed)
    sign, seen = observation, [observation]
    for _ in range(env.corridor_length + 1):
        observation, reward, terminated, truncated, _ = env.step(TMaze.FORWARD)
        seen.append(observation)
        assert reward == 0 and not terminated and not truncated
    return sign, seen


def test_tmaze_junction_looks_the_same_whichever_side_the_treasure_is():
    env = TMaze(corridor_length=3)
    views = {}
    for seed in range(20):
        sign, seen = walk_to_junction(env, seed)
        assert seen[1:] == [TMaze.CORRIDOR] * 3 + [TMaze.JUNCTION]
        views[sign] = seen[1:]
    assert set(views) == {TMaze.SIGN_LEFT, TMaze.SIGN_RIGHT}
    assert views[TMaze.SIGN_LEFT] == views[TMaze.SIGN_RIGHT]


def test_tmaze_pays_for_the_turn_the_sign_pointed_to():
    env = TMaze(corridor_length=2)
    for seed in range(10):
        sign, _ = walk_to_junction(env, seed)
        right_turn = TMaze.RIGHT if sign == TMaze.SIGN_RIGHT else TMaze.LEFT
        *_, reward, terminated, _, _ = env.step(right_turn)
        assert reward == 1.0 and terminated
        sign, _ = walk_to_junction(env, seed)
        wrong_turn = TMaze.LEFT if sign == TMaze.SIGN_RIGHT else TMaze.RIGHT
        *_, reward, terminated, _, _ = env.step(wrong_turn)
        assert reward == -1.0 and terminated


def test_tmaze_truncates_at_its_time_limit():
    env = TMaze(corridor_length=1, max_episode_steps=5)
    env.reset(seed=0)
    results = [
        env.step(TMaze.LEFT) for _ in range(5)
    ]  # turning in the corridor: no effect
    assert [r[3] for r in results] == [False] * 4 + [True]
    assert not any(r[2] for r in results)


def test_tmaze_rejects_unknown_actions_and_steps_before_reset():
    env = TMaze()
    with pytest.raises(RuntimeError, match="call reset"):
        env.step(0)
    env.reset(seed=0)
    for action in (3, -1, 1.0, "left"):
        with pytest.raises(ValueError, match="unknown action"):
            env.step(action)


# --- the replay buffer
# ----------------------------------------------------------------


def test_replay_buffer_keeps_the_latest_transitions():
    buffer = ReplayBuffer(capacity=3, observation_shape=(2,), seed=0)
    for t in range(5):
        buffer.add([t, t], t % 2, float(t), [t + 1, t + 1], t == 4)
    assert len(buffer) == 3
    assert sorted(buffer.rewards.tolist()) == [2.0, 3.0, 4.0]
    observations, actions, rewards, next_observations, terminated = (
        buffer.sample(100)
    )
    assert observations.shape == (100, 2) and actions.shape == (100,)
    np.testing.assert_array_equal(observations[:, 0], rewards)
    np.testing.assert_array_equal(next_observations[:, 0], rewards + 1)
    np.testing.assert_array_equal(terminated, rewards == 4.0)
    assert set(rewards.tolist()) == {2.0, 3.0, 4.0}
    assert "3/3 transitions" in repr(buffer)


def test_replay_buffer_samples_repeat_given_the_seed():
    def filled():
        buffer = ReplayBuffer(capacity=10, observation_shape=(1,), seed=7)
        for t in range(10):
            buffer.add([t], 0, t, [t], False)
        return buffer

    np.testing.assert_array_equal(filled().sample(5)[0], filled().sample(5)[0])


def test_replay_buffer_rejects_bad_transitions():
    buffer = ReplayBuffer(capacity=4, observation_shape=(4,))
    with pytest.raises(ValueError, match="buffer is empty"):
        buffer.sample(2)
    with pytest.raises(
        ValueError,
        match=r"observation has shape \(3,\), but this buffer "
        r"stores observations of shape \(4,\)",
    ):
        buffer.add(np.zeros(3), 0, 1.0, np.zeros(4), False)
    with pytest.raises(ValueError, match="next_observation has shape"):
        buffer.add(np.zeros(4), 0, 1.0, np.zeros((2, 2)), False)
    with pytest.raises(ValueError, match="unknown action"):
        buffer.add(np.zeros(4), -1, 1.0, np.zeros(4), False)
    with pytest.raises(ValueError, match="unknown action"):
        buffer.add(np.zeros(4), 0.5, 1.0, np.zeros(4), False)
    with pytest.raises(ValueError, match="capacity must be at least 1"):
        ReplayBuffer(capacity=0, observation_shape=(4,))


# --- running episodes
# -----------------------------------------------------------------


def test_run_episodes_matches_a_plain_gymnasium_loop():
    def always_left(observations):
        return np.zeros(len(observations), dtype=int)

    returns = run_episodes(
        lambda: gym.make("CartPole-v1"), always_left, seeds=[3, 4, 5]
    )
    for seed, total in zip([3, 4, 5], returns, strict=True):
        env, done, expected = gym.make("CartPole-v1"), False, 0.0
        env.reset(seed=seed)
        while not done:
            _, reward, terminated, truncated, _ = env.step(0)
            expected, done = expected + reward, terminated or truncated
        assert total == expected


def test_run_episodes_rejects_bad_policies_and_no_seeds():
    make_env = lambda: gym.make("CartPole-v1")  # noqa: E731
    with pytest.raises(ValueError, match="one action per observation"):
        run_episodes(
            make_env, lambda observations: np.zeros(1, dtype=int), seeds=[0, 1]
        )
    with pytest.raises(ValueError, match="seeds is empty"):
        run_episodes(
            make_env, lambda observations: observations[:, 0] > 0, seeds=[]
        )
    with pytest.raises(TypeError, match="callables"):
        run_episodes("CartPole-v1", lambda observations: 0, seeds=[0])


# --- tabular models
# -------------------------------------------------------------------


def lake_model():
    return tabular_model(gym.make("FrozenLake-v1"))


def test_tabular_model_reads_frozen_lake_dynamics():
    P, R, done = lake_model()
    assert P.shape == R.shape == done.shape == (16, 4, 16)
    np.testing.assert_allclose(P.sum(axis=2), 1.0)
    # From cell 14, moving right reaches the goal (15) with probability 1/3 and
    # pays 1.
    assert (
        P[14, 2, 15] == pytest.approx(1 / 3)
        and R[14, 2, 15] == 1
        and done[14, 2, 15]
    )
    assert R.sum(axis=(0, 1)).nonzero()[0].tolist() == [15]


def test_tabular_model_needs_a_transition_table():
    with pytest.raises(TypeError, match="no transition table"):
        tabular_model(gym.make("CartPole-v1"))


def finite_horizon_success(model, policy, horizon):
    """Exact probability of reaching a reward within ``horizon`` steps (dynamic
    programming).
    """
    P, R, done = model
    states = np.arange(P.shape[0])
    P_pi, R_pi, done_pi = (
        P[states, policy],
        R[states, policy],
        done[states, policy],
    )
    value = np.zeros(P.shape[0])
    for _ in range(horizon):
        value = (P_pi * (R_pi + ~done_pi * value)).sum(axis=1)
    return value[0]


def test_simulate_tabular_agrees_with_exact_programming_and_the_real_env():
    model = lake_model()
    policy = np.array([0, 3, 3, 3, 0, 0, 0, 0, 3, 1, 0, 0, 0, 2, 1, 0])
    exact = finite_horizon_success(model, policy, horizon=100)
    simulated = simulate_tabular(
        model, policy, num_episodes=40000, max_steps=100, seed=0
    )
    assert set(np.unique(simulated)) == {0.0, 1.0}
    assert simulated.mean() == pytest.approx(
        exact, abs=3 * np.sqrt(exact * (1 - exact) / 40000)
    )
    real = run_episodes(
        lambda: gym.make("FrozenLake-v1"), lambda s: policy[s], range(1500)
    )
    assert real.mean() == pytest.approx(
        exact, abs=4 * np.sqrt(exact * (1 - exact) / 1500)
    )


def test_simulate_tabular_rejects_bad_policies():
    model = lake_model()
    with pytest.raises(
        ValueError,
        match=r"one whole-number action per state: expected shape "
        r"\(16,\)",
    ):
        simulate_tabular(
            model, np.zeros(4, dtype=int), num_episodes=10, max_steps=10
        )
    with pytest.raises(ValueError, match="unknown action in policy"):
        simulate_tabular(model, np.full(16, 4), num_episodes=10, max_steps=10)
    with pytest.raises(ValueError, match="num_episodes must be at least 1"):
        simulate_tabular(
            model, np.zeros(16, dtype=int), num_episodes=0, max_steps=10
        )
    with pytest.raises(
        ValueError, match="start_state must be a state from 0 to 15"
    ):
        simulate_tabular(
            model, np.zeros(16, dtype=int), 10, 10, start_state=16
        )
