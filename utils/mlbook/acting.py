"""Environments, a replay buffer and episode runners for the chapter "Learning
by acting".

Every environment here follows the loop an agent lives in: it is shown an
observation, picks an action, and receives a reward. The bandits are
vectorised: one call plays the same step in hundreds of independent runs at
once, so averages over many runs are cheap.
"""

import numbers

import gymnasium as gym
import numpy as np

from .checks import check_positive_int


def check_epsilon(epsilon):
    """Return ``epsilon`` as a float if it is a probability in [0, 1], else
    raise.
    """
    if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real):
        raise TypeError(
            f"epsilon must be a number in [0, 1], got {epsilon!r} "
            f"of type {type(epsilon).__name__}"
        )
    if not 0 <= epsilon <= 1:
        raise ValueError(
            f"epsilon is the probability of a random action, so it must lie "
            f"in [0, 1]; got {epsilon}"
        )
    return float(epsilon)


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a NumPy Generator, e.g. np.random.default_rng(0), "
            f"got {type(rng).__name__}"
        )
    return rng


def epsilon_greedy(q_values, epsilon, rng):
    """Pick the action of highest value (ties broken at random), or with
    probability ``epsilon`` an action uniformly at random.

    ``q_values`` has one value per action in its last axis; leading axes (one
    row per run, per state...) are choices made independently. Returns an int
    for one row.
    """
    epsilon = check_epsilon(epsilon)
    rng = _check_rng(rng)
    q_values = np.asarray(q_values, dtype=float)
    if q_values.ndim == 0 or q_values.shape[-1] == 0:
        raise ValueError(
            f"q_values needs one value per action in its last axis, got an "
            f"array of shape {q_values.shape}"
        )
    if (
        q_values.ndim == 1
    ):  # one choice: the fast path a step-by-step agent takes
        if rng.random() < epsilon:
            return int(rng.integers(q_values.size))
        best = np.flatnonzero(q_values == q_values.max())
        return int(best[0] if best.size == 1 else rng.choice(best))
    is_best = q_values == q_values.max(axis=-1, keepdims=True)
    greedy = np.argmax(is_best * rng.random(q_values.shape), axis=-1)
    explore = rng.random(q_values.shape[:-1]) < epsilon
    random_actions = rng.integers(q_values.shape[-1], size=q_values.shape[:-1])
    return np.where(explore, random_actions, greedy)


def _check_actions(actions, num_runs, num_actions):
    """Return ``actions`` as an int array of one valid action per run, else
    raise.
    """
    actions = np.asarray(actions)
    if actions.shape != (num_runs,):
        raise ValueError(
            f"pass one action per run: expected shape ({num_runs},), "
            f"got {actions.shape}"
        )
    if actions.dtype.kind not in "iu":
        raise TypeError(
            "actions must be whole numbers (arm indices), got dtype "
            f"{actions.dtype}"
        )
    unknown = (actions < 0) | (actions >= num_actions)
    if unknown.any():
        raise ValueError(
            f"unknown action {actions[unknown][0]}: this bandit has arms "
            f"0 to {num_actions - 1}"
        )
    return actions


class BanditTestbed:
    """Many independent runs of a multi-armed bandit, played in lockstep.

    ``rewards="gaussian"``: each arm pays its mean plus unit-variance noise.
    ``rewards="bernoulli"``: each arm pays 1 with its probability (its mean),
    else 0. Each run draws ``num_arms`` (default 10) means, from N(0, 1) for
    Gaussian arms (Sutton and Barto's 10-armed testbed) or uniformly in [0, 1];
    or pass ``means`` to give every run the same arms.
    """

    def __init__(
        self, num_runs, num_arms=None, rewards="gaussian", means=None, seed=0
    ):
        self.num_runs = check_positive_int(num_runs, "num_runs")
        if rewards not in ("gaussian", "bernoulli"):
            raise ValueError(
                f"rewards must be 'gaussian' or 'bernoulli', got {rewards!r}"
            )
        self.rewards = rewards
        self.rng = np.random.default_rng(seed)
        if means is None:
            self.num_arms = check_positive_int(
                10 if num_arms is None else num_arms, "num_arms"
            )
            shape = (self.num_runs, self.num_arms)
            self.means = (
                self.rng.normal(size=shape)
                if rewards == "gaussian"
                else self.rng.random(shape)
            )
        else:
            means = np.asarray(means, dtype=float)
            if means.ndim != 1 or means.size < 1:
                raise ValueError(
                    "means must list one mean per arm, got shape "
                    f"{means.shape}"
                )
            if rewards == "bernoulli" and ((means < 0) | (means > 1)).any():
                raise ValueError(
                    f"Bernoulli arms pay 1 with probability `mean`, so means "
                    f"must lie in [0, 1]; got {means}"
                )
            if num_arms is not None and num_arms != means.size:
                raise ValueError(
                    f"num_arms={num_arms} but means lists {means.size} arms: "
                    "pass one of them, or make them agree"
                )
            self.num_arms = means.size
            self.means = np.tile(means, (self.num_runs, 1))
        self.best_mean = self.means.max(axis=1)
        self.optimal_arm = self.means.argmax(axis=1)

    def pull(self, actions):
        """Pull arm ``actions[i]`` in run ``i``; return the rewards, one per
        run.
        """
        actions = _check_actions(actions, self.num_runs, self.num_arms)
        mean = self.means[np.arange(self.num_runs), actions]
        if self.rewards == "gaussian":
            return mean + self.rng.normal(size=self.num_runs)
        return (self.rng.random(self.num_runs) < mean).astype(float)

    def regret(self, actions):
        """Expected reward lost in each run by pulling ``actions`` instead of
        the best arm.
        """
        actions = _check_actions(actions, self.num_runs, self.num_arms)
        return self.best_mean - self.means[np.arange(self.num_runs), actions]

    def __repr__(self):
        return (
            f"BanditTestbed({self.num_runs} runs, {self.num_arms} arms, "
            f"{self.rewards} rewards)"
        )


class ContextualBandit:
    """Recommend one of several articles to each arriving reader, in many runs
    at once.

    A reader is a feature vector x (a constant 1, then standard normal
    features); the minutes she spends on article a are x . theta_a plus unit
    noise, with one hidden theta_a per article and run. The best article
    depends on the reader.
    """

    def __init__(self, num_runs, num_arms=5, num_features=4, seed=0):
        self.num_runs = check_positive_int(num_runs, "num_runs")
        self.num_arms = check_positive_int(num_arms, "num_arms")
        self.num_features = check_positive_int(num_features, "num_features")
        self.rng = np.random.default_rng(seed)
        self.theta = self.rng.normal(
            size=(self.num_runs, self.num_arms, self.num_features)
        )
        self.contexts = None

    def observe(self):
        """Draw the next reader in every run; return her features, shape (runs,
        features).
        """
        features = self.rng.normal(size=(self.num_runs, self.num_features))
        features[:, 0] = 1.0
        self.contexts = features
        return features.copy()

    def expected_rewards(self):
        """Mean reward of every article for the current readers, shape (runs,
        arms).
        """
        if self.contexts is None:
            raise RuntimeError(
                "no reader yet: call observe() before expected_rewards()"
            )
        return np.einsum("raf,rf->ra", self.theta, self.contexts)

    def pull(self, actions):
        """Show article ``actions[i]`` to the reader of run ``i``; return the
        rewards.
        """
        expected = self.expected_rewards()
        actions = _check_actions(actions, self.num_runs, self.num_arms)
        mean = expected[np.arange(self.num_runs), actions]
        return mean + self.rng.normal(size=self.num_runs)

    def __repr__(self):
        return (
            f"ContextualBandit({self.num_runs} runs, "
            f"{self.num_arms} articles, "
            f"{self.num_features} reader features)"
        )


class TMaze(gym.Env):
    """A corridor of identical-looking cells ending in a T junction (partial
    observability).

    A sign at the start says whether the treasure is left or right of the
    junction; the corridor cells and the junction look the same in both cases.
    Observations: 0 = sign says left, 1 = sign says right, 2 = corridor, 3 =
    junction. Actions: 0 = forward, 1 = turn left, 2 = turn right (turning
    matters only at the junction, where it ends the episode with reward +1 if
    the treasure is there and -1 otherwise).
    """

    SIGN_LEFT, SIGN_RIGHT, CORRIDOR, JUNCTION = 0, 1, 2, 3
    FORWARD, LEFT, RIGHT = 0, 1, 2

    def __init__(self, corridor_length=3, max_episode_steps=50):
        self.corridor_length = check_positive_int(
            corridor_length, "corridor_length"
        )
        self.max_episode_steps = check_positive_int(
            max_episode_steps, "max_episode_steps"
        )
        self.observation_space = gym.spaces.Discrete(4)
        self.action_space = gym.spaces.Discrete(3)
        self.position = None

    def reset(self, seed=None, options=None):
        """Start at the sign, the treasure left or right at random."""
        super().reset(seed=seed)
        self.treasure_right = bool(self.np_random.integers(2))
        self.position, self.steps = 0, 0
        return self._observation(), {}

    def _observation(self):
        if self.position == 0:
            return self.SIGN_RIGHT if self.treasure_right else self.SIGN_LEFT
        if self.position <= self.corridor_length:
            return self.CORRIDOR
        return self.JUNCTION

    def step(self, action):
        """Move forward or turn; return (observation, reward, terminated,
        truncated, info).
        """
        if self.position is None:
            raise RuntimeError(
                "call reset() before step(): the episode has not started"
            )
        if (
            not isinstance(action, (numbers.Integral, np.integer))
            or not 0 <= action < 3
        ):
            raise ValueError(
                f"unknown action {action!r}: use 0 (forward), 1 (left) "
                "or 2 (right)"
            )
        self.steps += 1
        reward, terminated = 0.0, False
        at_junction = self.position > self.corridor_length
        if action == self.FORWARD and not at_junction:
            self.position += 1
        elif action != self.FORWARD and at_junction:
            terminated = True
            reward = (
                1.0 if (action == self.RIGHT) == self.treasure_right else -1.0
            )
        truncated = not terminated and self.steps >= self.max_episode_steps
        return self._observation(), reward, terminated, truncated, {}


class ReplayBuffer:
    """The last ``capacity`` transitions an agent lived through, to learn from
    at random.

    Sampling old transitions at random breaks the correlation between
    consecutive steps, which is what lets a deep Q-network learn with minibatch
    stochastic gradients.
    """

    def __init__(self, capacity, observation_shape, seed=0):
        self.capacity = check_positive_int(capacity, "capacity")
        self.observation_shape = tuple(observation_shape)
        shape = (self.capacity, *self.observation_shape)
        self.observations = np.zeros(shape, dtype=np.float32)
        self.next_observations = np.zeros(shape, dtype=np.float32)
        self.actions = np.zeros(self.capacity, dtype=np.int64)
        self.rewards = np.zeros(self.capacity, dtype=np.float32)
        self.terminated = np.zeros(self.capacity, dtype=np.float32)
        self.rng = np.random.default_rng(seed)
        self.size, self._next = 0, 0

    def _check_observation(self, observation, name):
        observation = np.asarray(observation)
        if observation.shape != self.observation_shape:
            raise ValueError(
                f"{name} has shape {observation.shape}, but this buffer "
                "stores "
                f"observations of shape {self.observation_shape}"
            )
        return observation

    def add(self, observation, action, reward, next_observation, terminated):
        """Store one transition, overwriting the oldest once the buffer is
        full.
        """
        observation = self._check_observation(observation, "observation")
        next_observation = self._check_observation(
            next_observation, "next_observation"
        )
        if (
            not isinstance(action, (numbers.Integral, np.integer))
            or action < 0
        ):
            raise ValueError(
                f"unknown action {action!r}: actions are whole numbers >= 0"
            )
        i = self._next
        self.observations[i], self.next_observations[i] = (
            observation,
            next_observation,
        )
        self.actions[i], self.rewards[i], self.terminated[i] = (
            action,
            reward,
            terminated,
        )
        self._next = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size):
        """Return a random minibatch: observations, actions, rewards, next
        observations, terminated flags (1.0 where the episode ended there, not
        by a time limit).
        """
        batch_size = check_positive_int(batch_size, "batch_size")
        if self.size == 0:
            raise ValueError(
                "the buffer is empty: add transitions before sampling"
            )
        i = self.rng.integers(self.size, size=batch_size)
        return (
            self.observations[i],
            self.actions[i],
            self.rewards[i],
            self.next_observations[i],
            self.terminated[i],
        )

    def __len__(self):
        return self.size

    def __repr__(self):
        return (
            f"ReplayBuffer({self.size}/{self.capacity} transitions of "
            "observations "
            f"shaped {self.observation_shape})"
        )


def run_episodes(make_env, policy, seeds):
    """Play one episode per seed, all in lockstep, and return their total
    rewards.

    ``policy`` maps a batch of observations (one row per unfinished episode) to
    a batch of actions, so a neural network scores every episode in one forward
    pass.
    """
    if not callable(make_env) or not callable(policy):
        raise TypeError(
            "make_env and policy must be callables: make_env() returns a "
            "Gymnasium environment, policy(observations) returns actions"
        )
    seeds = [int(seed) for seed in seeds]
    if not seeds:
        raise ValueError("seeds is empty: pass one seed per episode to play")
    envs = [make_env() for _ in seeds]
    observations = [
        env.reset(seed=seed)[0] for env, seed in zip(envs, seeds, strict=True)
    ]
    returns = np.zeros(len(seeds))
    running = list(range(len(seeds)))
    while running:
        actions = np.asarray(
            policy(np.stack([observations[i] for i in running]))
        )
        if actions.shape != (len(running),):
            raise ValueError(
                f"policy must return one action per observation: expected "
                f"shape ({len(running)},), got {actions.shape}"
            )
        still_running = []
        for i, action in zip(running, actions.tolist(), strict=True):
            observations[i], reward, terminated, truncated, _ = envs[i].step(
                action
            )
            returns[i] += reward
            if not (terminated or truncated):
                still_running.append(i)
        running = still_running
    for env in envs:
        env.close()
    return returns


def tabular_model(env):
    """The known dynamics of a small discrete environment (e.g. FrozenLake) as
    arrays.

    Returns ``(P, R, done)``, each of shape (states, actions, states): the
    probability of each next state, the reward received on that transition, and
    whether it ends the episode. Value iteration and fast simulation both read
    these.
    """
    table = getattr(env.unwrapped, "P", None)
    if not isinstance(table, dict):
        raise TypeError(
            f"{env!r} publishes no transition table `P`: tabular_model "
            "needs a "
            "small discrete environment such as FrozenLake or Taxi"
        )
    num_states, num_actions = env.observation_space.n, env.action_space.n
    P = np.zeros((num_states, num_actions, num_states))
    R = np.zeros_like(P)
    done = np.zeros_like(P, dtype=bool)
    for s in range(num_states):
        for a in range(num_actions):
            for probability, s_next, reward, terminated in table[s][a]:
                P[s, a, s_next] += probability
                R[s, a, s_next] = reward
                done[s, a, s_next] = terminated
    return P, R, done


def simulate_tabular(
    model, policy, num_episodes, max_steps, start_state=0, seed=0
):
    """Play ``num_episodes`` episodes of a tabular model at once; return their
    returns.

    ``policy`` gives one action per state. An episode stops when a transition
    ends it or after ``max_steps`` steps (the time limit Gymnasium adds to the
    same environment).
    """
    P, R, done = model
    policy = np.asarray(policy)
    if policy.shape != P.shape[:1] or policy.dtype.kind not in "iu":
        raise ValueError(
            f"policy must give one whole-number action per state: expected "
            f"shape {P.shape[:1]}, got {policy.shape} of dtype {policy.dtype}"
        )
    if ((policy < 0) | (policy >= P.shape[1])).any():
        raise ValueError(
            f"unknown action in policy: actions run from 0 to {P.shape[1] - 1}"
        )
    num_episodes = check_positive_int(num_episodes, "num_episodes")
    max_steps = check_positive_int(max_steps, "max_steps")
    if not isinstance(start_state, (numbers.Integral, np.integer)) or not (
        0 <= start_state < P.shape[0]
    ):
        raise ValueError(
            f"start_state must be a state from 0 to {P.shape[0] - 1}, "
            f"got {start_state!r}"
        )
    rng = np.random.default_rng(seed)
    cumulative = P[np.arange(P.shape[0]), policy].cumsum(axis=1)
    states = np.full(num_episodes, start_state)
    returns = np.zeros(num_episodes)
    running = np.ones(num_episodes, dtype=bool)
    for _ in range(max_steps):
        u = rng.random(num_episodes)[:, None]
        s_next = np.minimum(
            (u > cumulative[states]).sum(axis=1), P.shape[0] - 1
        )
        actions = policy[states]
        returns += running * R[states, actions, s_next]
        running &= ~done[states, actions, s_next]
        states = s_next
    return returns
