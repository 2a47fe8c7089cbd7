"""Data and tools for the chapter "Learning without labels".

Generators of data whose hidden structure we know (kinds of users, the
parameters of a throw), and the few algorithms the chapter writes itself:
k-means in ``mxnet.np``, the silhouette score and principal components.
scikit-learn checks them in the tests; it never replaces them in the chapter.
"""

import numpy as np
from mxnet import np as mnp
from mxnet import npx

from .checks import check_positive_int, check_seed

# The kinds of users a web shop sees, by the two things its logs record per
# visit: (mean minutes, mean pages) and the spread of each around it.
USER_KINDS = {
    "skimmer": ((1.0, 2.0), (0.4, 0.8)),
    "reader": ((8.0, 4.0), (1.5, 1.2)),
    "shopper": ((4.0, 14.0), (1.0, 2.5)),
    "researcher": ((12.0, 22.0), (2.0, 3.0)),
}
GRAVITY = 9.81  # m/s^2


def browsing_users(num_users, seed=0):
    """Minutes and pages per visit, shape (n, 2), and each user's hidden kind
    (an index into ``USER_KINDS``), shape (n,).

    The kinds are equally likely; within a kind both numbers are Gaussian
    around the kind's mean (clipped at a tenth of a minute and one page).
    """
    num_users = check_positive_int(num_users, "num_users")
    rng = np.random.default_rng(check_seed(seed))
    kinds = rng.integers(len(USER_KINDS), size=num_users)
    means = np.array([m for m, _ in USER_KINDS.values()])
    spreads = np.array([s for _, s in USER_KINDS.values()])
    X = means[kinds] + spreads[kinds] * rng.standard_normal((num_users, 2))
    X = np.maximum(X, [0.1, 1.0])
    return X.astype(np.float32), kinds


def nested_rings(num_points, seed=0):
    """Points on two concentric noisy rings (radii 1 and 3), shape (n, 2),
    and which ring each lies on, shape (n,): clusters no centre describes."""
    num_points = check_positive_int(num_points, "num_points")
    rng = np.random.default_rng(check_seed(seed))
    ring = rng.integers(2, size=num_points)
    angle = rng.uniform(0, 2 * np.pi, num_points)
    radius = 1.0 + 2.0 * ring + 0.15 * rng.standard_normal(num_points)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return X.astype(np.float32), ring


def stretched_blobs(num_points, seed=0):
    """Three long, thin, parallel clusters, shape (n, 2), and their labels:
    nearer to each other across than along, which misleads k-means."""
    num_points = check_positive_int(num_points, "num_points")
    rng = np.random.default_rng(check_seed(seed))
    blob = rng.integers(3, size=num_points)
    X = np.stack(
        [
            4.0 * rng.standard_normal(num_points),
            1.5 * blob + 0.2 * rng.standard_normal(num_points),
        ],
        axis=1,
    )
    return X.astype(np.float32), blob


def _check_points(X, name="X"):
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(
            f"{name} must be a table of points, shape (n, d) with n >= 1, "
            f"got shape {X.shape}"
        )
    if not np.isfinite(X).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    return X


def _squared_distances(X, centers):
    """(n, k) squared distances from each point to each centre, in
    mxnet.np."""
    return (
        (X**2).sum(axis=1, keepdims=True)
        - 2 * mnp.dot(X, centers.T)
        + (centers**2).sum(axis=1)
    )


def _plus_plus_start(X, k, rng):
    """k-means++: each new centre is a point drawn with probability
    proportional to its squared distance from the nearest centre so far."""
    centers = [X[rng.integers(len(X))]]
    for _ in range(k - 1):
        nearest = _squared_distances(
            mnp.array(X), mnp.array(np.stack(centers))
        ).min(axis=1)
        weights = np.maximum(nearest.asnumpy(), 0).astype(np.float64)
        centers.append(X[rng.choice(len(X), p=weights / weights.sum())])
    return np.stack(centers)


def kmeans(X, k, num_starts=4, max_steps=100, seed=0):
    """Cluster the rows of ``X`` around ``k`` centres by Lloyd's algorithm in
    mxnet.np; return (centres, labels, inertia) of the best of
    ``num_starts`` k-means++ starts.

    The inertia is the sum of squared distances from each point to its
    centre: the loss k-means lowers.
    """
    X = _check_points(X)
    k = check_positive_int(k, "k")
    if k > len(X):
        raise ValueError(f"k = {k} clusters need at least {k} points")
    num_starts = check_positive_int(num_starts, "num_starts")
    max_steps = check_positive_int(max_steps, "max_steps")
    rng = np.random.default_rng(check_seed(seed))
    best = None
    for _ in range(num_starts):
        centers, labels = lloyd(X, _plus_plus_start(X, k, rng), max_steps)
        inertia = float(((X - centers[labels]) ** 2).sum())
        if best is None or inertia < best[2]:
            best = (centers, labels, inertia)
    return best


def lloyd(X, centers, max_steps=100):
    """Lloyd's algorithm: give each point to its nearest centre, move each
    centre to the mean of its points, until nothing changes."""
    points, centers = mnp.array(X), mnp.array(centers)
    k, labels = len(centers), None
    for _ in range(max_steps):
        nearest = _squared_distances(points, centers).argmin(axis=1)
        if labels is not None and (nearest == labels).all():
            break
        labels = nearest
        members = npx.one_hot(labels, k)  # (n, k): 1 where a point belongs
        counts = members.sum(axis=0).reshape(-1, 1)
        means = mnp.dot(members.T, points) / mnp.maximum(counts, 1)
        centers = mnp.where(counts > 0, means, centers)  # keep empty ones
    return centers.asnumpy(), labels.asnumpy().astype(int)


def assign(X, centers):
    """The index of the nearest centre for each row of ``X``."""
    X = _check_points(X)
    centers = _check_points(centers, "centers")
    if centers.shape[1] != X.shape[1]:
        raise ValueError(
            f"centers have {centers.shape[1]} columns, points {X.shape[1]}"
        )
    distances = _squared_distances(mnp.array(X), mnp.array(centers))
    return distances.argmin(axis=1).asnumpy().astype(int)


def silhouette(X, labels):
    """Mean silhouette of a clustering: for each point, (b - a) / max(a, b),
    where a is its mean distance to its own cluster and b to the nearest other
    cluster. 1 is tight and apart, 0 is on a border; it needs no labels."""
    X = _check_points(X).astype(np.float64)
    labels = np.asarray(labels)
    if labels.shape != (len(X),):
        raise ValueError(
            f"labels must hold one cluster per point, shape ({len(X)},), "
            f"got {labels.shape}"
        )
    clusters = np.unique(labels)
    if not 2 <= len(clusters) < len(X):
        raise ValueError(
            "the silhouette needs between 2 and n - 1 clusters, got "
            f"{len(clusters)} for {len(X)} points"
        )
    squared = (X**2).sum(axis=1)
    distances = np.sqrt(
        np.maximum(squared[:, None] - 2 * X @ X.T + squared[None, :], 0)
    )
    member = labels[:, None] == clusters[None, :]
    sums = distances @ member
    sizes = member.sum(axis=0)
    own = member.argmax(axis=1)
    own_size = sizes[own]
    a = sums[np.arange(len(X)), own] / np.maximum(own_size - 1, 1)
    others = np.where(member, np.inf, sums / sizes)
    b = others.min(axis=1)
    scores = np.where(own_size > 1, (b - a) / np.maximum(a, b), 0.0)
    return float(scores.mean())


def adjusted_rand_index(labels_true, labels_found):
    """How far two partitions of the same points agree, 1 for the same
    grouping (whatever the names), about 0 for a random one.

    It counts the pairs of points both partitions put together, corrected
    for the count expected by chance (Hubert and Arabie, 1985).
    """
    labels_true = np.asarray(labels_true)
    labels_found = np.asarray(labels_found)
    if labels_true.ndim != 1 or labels_true.shape != labels_found.shape:
        raise ValueError(
            "the two labelings must be 1-D and of the same length, got "
            f"shapes {labels_true.shape} and {labels_found.shape}"
        )
    if len(labels_true) < 2:
        raise ValueError("the index compares pairs: pass at least 2 points")
    _, rows = np.unique(labels_true, return_inverse=True)
    _, cols = np.unique(labels_found, return_inverse=True)
    table = np.zeros((rows.max() + 1, cols.max() + 1))
    np.add.at(table, (rows, cols), 1)

    def pairs(counts):
        return float((counts * (counts - 1) / 2).sum())

    together = pairs(table)
    in_true, in_found = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = in_true * in_found / pairs(np.array([len(labels_true)]))
    best = (in_true + in_found) / 2
    if best == expected:  # both put every point alone, or all together
        return 1.0
    return (together - expected) / (best - expected)


def thrown_balls(num_throws, num_times=20, seconds=1.0, noise=0.02, seed=0):
    """Balls thrown by hand, filmed for ``seconds``: trajectories of shape
    (n, 2 * num_times), the x positions then the heights in metres, and the
    (speed, angle in degrees, release height) of each throw, shape (n, 3).

    Speed is drawn from 5-15 m/s, angle from 20-70 degrees, release height
    from 0-2 m; without air drag, x = v cos(angle) t and y = height +
    v sin(angle) t - g t^2 / 2. Each position is off by Gaussian noise of
    standard deviation ``noise`` metres (the tracker's error).
    """
    num_throws = check_positive_int(num_throws, "num_throws")
    num_times = check_positive_int(num_times, "num_times")
    if not seconds > 0 or not noise >= 0:
        raise ValueError(
            f"seconds must be > 0 and noise >= 0, got {seconds} and {noise}"
        )
    rng = np.random.default_rng(check_seed(seed))
    speed = rng.uniform(5, 15, num_throws)
    angle = rng.uniform(20, 70, num_throws)
    height = rng.uniform(0, 2, num_throws)
    t = np.linspace(0, seconds, num_times)
    vx = (speed * np.cos(np.radians(angle)))[:, None]
    vy = (speed * np.sin(np.radians(angle)))[:, None]
    x = vx * t
    y = height[:, None] + vy * t - GRAVITY * t**2 / 2
    paths = np.concatenate([x, y], axis=1)
    paths += noise * rng.standard_normal(paths.shape)
    return (
        paths.astype(np.float32),
        np.stack([speed, angle, height], axis=1),
    )


def pca(X, num_components):
    """Principal components of the rows of ``X``: (mean, components of shape
    (num_components, d), share of the variance each explains), from the
    singular value decomposition of the centred data."""
    X = _check_points(X).astype(np.float64)
    num_components = check_positive_int(num_components, "num_components")
    if num_components > min(X.shape):
        raise ValueError(
            f"num_components = {num_components} exceeds min(n, d) = "
            f"{min(X.shape)}"
        )
    mean = X.mean(axis=0)
    _, singular, rows = np.linalg.svd(X - mean, full_matrices=False)
    shares = singular**2 / (singular**2).sum()
    return mean, rows[:num_components], shares[:num_components]


def discount_world(num_customers, effect=2.0, set_discount=None, seed=0):
    """A web shop's customers: loyalty, the discount they were offered (in
    percent) and what they spent in a month (in dollars), as three arrays.

    The structural causal model: loyalty ~ N(0, 1); discount = 10 + 5 *
    loyalty + N(0, 3^2), as the shop rewards loyal customers; spending = 50 +
    ``effect`` * discount + 20 * loyalty + N(0, 10^2). ``set_discount`` (an
    array of n discounts) is the intervention do(discount): the shop sets the
    discounts itself, ignoring loyalty, and spending follows the same rule.
    """
    num_customers = check_positive_int(num_customers, "num_customers")
    rng = np.random.default_rng(check_seed(seed))
    loyalty = rng.standard_normal(num_customers)
    discount = 10 + 5 * loyalty + 3 * rng.standard_normal(num_customers)
    if set_discount is not None:
        discount = np.asarray(set_discount, dtype=float)
        if discount.shape != (num_customers,):
            raise ValueError(
                f"set_discount must hold one discount per customer, shape "
                f"({num_customers},), got {discount.shape}"
            )
    spending = (
        50
        + effect * discount
        + 20 * loyalty
        + 10 * rng.standard_normal(num_customers)
    )
    return loyalty, discount, spending


# (country, capital, language, currency): one language per country, so that
# a capital shares its country's language and currency and no other's.
FACTS = (
    ("france", "paris", "french", "euro"),
    ("germany", "berlin", "german", "euro"),
    ("italy", "rome", "italian", "euro"),
    ("spain", "madrid", "spanish", "euro"),
    ("portugal", "lisbon", "portuguese", "euro"),
    ("greece", "athens", "greek", "euro"),
    ("netherlands", "amsterdam", "dutch", "euro"),
    ("finland", "helsinki", "finnish", "euro"),
    ("poland", "warsaw", "polish", "zloty"),
    ("sweden", "stockholm", "swedish", "krona"),
    ("norway", "oslo", "norwegian", "krone"),
    ("denmark", "copenhagen", "danish", "krone"),
    ("hungary", "budapest", "hungarian", "forint"),
    ("czechia", "prague", "czech", "koruna"),
    ("japan", "tokyo", "japanese", "yen"),
    ("china", "beijing", "chinese", "yuan"),
    ("russia", "moscow", "russian", "ruble"),
    ("turkey", "ankara", "turkish", "lira"),
    ("egypt", "cairo", "arabic", "pound"),
    ("thailand", "bangkok", "thai", "baht"),
    ("vietnam", "hanoi", "vietnamese", "dong"),
    ("korea", "seoul", "korean", "won"),
    ("indonesia", "jakarta", "indonesian", "rupiah"),
    ("iran", "tehran", "persian", "rial"),
    ("georgia", "tbilisi", "georgian", "lari"),
    ("ukraine", "kyiv", "ukrainian", "hryvnia"),
)


def facts_corpus(unstated=(), repeats=10, seed=0):
    """Sentences (lists of words) about ``FACTS``, shuffled, each template
    ``repeats`` times per country.

    A country and its capital each get the same sentences about language and
    currency, and sentences of their own kind ("is a country", "the mayor
    of"). "<country> has capital <capital>" is said for every country except
    those in ``unstated``: for them, the link is never stated.
    """
    repeats = check_positive_int(repeats, "repeats")
    countries = {country for country, *_ in FACTS}
    unknown = set(unstated) - countries
    if unknown:
        raise ValueError(
            f"unstated names countries not in FACTS: {sorted(unknown)}"
        )
    sentences = []
    for country, capital, language, currency in FACTS:
        said = [
            f"{country} speaks {language}",
            f"{capital} speaks {language}",
            f"{country} pays with {currency}",
            f"{capital} pays with {currency}",
            f"{country} is a country",
            f"{capital} is a city",
            f"the president of {country}",
            f"the mayor of {capital}",
        ]
        if country not in unstated:
            said.append(f"{country} has capital {capital}")
        sentences += [s.split() for s in said] * repeats
    order = np.random.default_rng(check_seed(seed)).permutation(len(sentences))
    return [sentences[i] for i in order]


def skipgram_pairs(sentences, window=3):
    """The vocabulary (sorted words) and every (centre, context) pair of word
    indices at most ``window`` words apart within a sentence, shape (m, 2)."""
    window = check_positive_int(window, "window")
    if not sentences or any(not s for s in sentences):
        raise ValueError("sentences must be a non-empty list of word lists")
    vocab = sorted({word for sentence in sentences for word in sentence})
    index = {word: i for i, word in enumerate(vocab)}
    pairs = []
    for sentence in sentences:
        ids = [index[word] for word in sentence]
        for i, centre in enumerate(ids):
            for j in range(max(0, i - window), min(len(ids), i + window + 1)):
                if j != i:
                    pairs.append((centre, ids[j]))
    return vocab, np.array(pairs, dtype=np.int64)


def analogy_accuracy(vectors, vocab, questions):
    """Share of analogies "a is to b as c is to d" answered right: d must be
    the word (other than a, b, c) whose vector has the highest cosine with
    b - a + c, each vector first scaled to length 1."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) != len(vocab):
        raise ValueError(
            f"vectors must have one row per word of vocab ({len(vocab)}), "
            f"got shape {vectors.shape}"
        )
    if not questions:
        raise ValueError("questions is empty: pass (a, b, c, d) tuples")
    index = {word: i for i, word in enumerate(vocab)}
    unit = vectors / np.maximum(
        np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12
    )
    right = 0
    for a, b, c, d in questions:
        scores = unit @ (unit[index[b]] - unit[index[a]] + unit[index[c]])
        scores[[index[a], index[b], index[c]]] = -np.inf
        right += vocab[int(scores.argmax())] == d
    return right / len(questions)


def thicken(images):
    """Digit scans (n, 64) of 8 x 8 pixels with every stroke made one pixel
    thicker: each pixel takes the largest value in the 2 x 2 square it
    starts, a writer with a broader pen."""
    images = _check_points(images, "images")
    if images.shape[1] != 64:
        raise ValueError(
            f"images must be 8 x 8 scans flattened to 64 columns, got "
            f"{images.shape[1]} columns"
        )
    square = images.reshape(-1, 8, 8)
    padded = np.pad(square, ((0, 0), (0, 1), (0, 1)))
    thick = np.maximum.reduce(
        [padded[:, i : i + 8, j : j + 8] for i in (0, 1) for j in (0, 1)]
    )
    return thick.reshape(-1, 64)


def writers(images, thick_share, seed=0):
    """The same scans as written by a group of writers of whom a share
    ``thick_share`` use a broad pen: (images, which were thickened)."""
    if not 0 <= thick_share <= 1:
        raise ValueError(
            f"thick_share must be between 0 and 1, got {thick_share}"
        )
    images = _check_points(images, "images")
    broad = np.random.default_rng(check_seed(seed)).random(len(images))
    broad = broad < thick_share
    return np.where(broad[:, None], thicken(images), images), broad


def ring_of_gaussians(
    num_points, num_modes=8, radius=2.0, spread=0.05, seed=0
):
    """Points from ``num_modes`` small Gaussian clouds (standard deviation
    ``spread``) evenly spaced on a circle of ``radius``, shape (n, 2), and
    which cloud each came from: the toy data on which GANs show mode
    collapse."""
    num_points = check_positive_int(num_points, "num_points")
    num_modes = check_positive_int(num_modes, "num_modes")
    if radius <= 0 or spread <= 0:
        raise ValueError(
            f"radius and spread must be positive, got {radius} and {spread}"
        )
    rng = np.random.default_rng(check_seed(seed))
    mode = rng.integers(num_modes, size=num_points)
    X = ring_centres(num_modes, radius)[mode]
    X = X + spread * rng.standard_normal((num_points, 2))
    return X.astype(np.float32), mode


def ring_centres(num_modes=8, radius=2.0):
    """The centres of ``ring_of_gaussians``' clouds, shape (num_modes, 2)."""
    num_modes = check_positive_int(num_modes, "num_modes")
    angle = 2 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)


def mode_shares(X, centres, within):
    """The share of the points ``X`` that lie within distance ``within`` of
    each centre, shape (num_centres,): how a generator's samples spread over
    the modes of the data (points near no centre count for none)."""
    X = _check_points(X)
    centres = _check_points(centres, "centres")
    if X.shape[1] != centres.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} columns but centres have "
            f"{centres.shape[1]}: they must live in the same space"
        )
    if within <= 0:
        raise ValueError(f"within must be a positive distance, got {within}")
    distances = np.linalg.norm(X[:, None, :] - centres[None], axis=2)
    return (distances <= within).mean(axis=0)
