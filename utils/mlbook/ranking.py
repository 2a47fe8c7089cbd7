"""Ranking metrics and synthetic data for the chapter "Search, ranking and
recommendation".

The metrics score an ordered list against graded relevance (precision@k, DCG,
NDCG@k). The generators make a small web of linked pages, search queries whose
candidate pages carry features and a relevance grade from a hidden rule, and
users who rate movies according to hidden tastes; each hands back the truth a
real data set would hide.
"""

import numbers

import networkx as nx
import numpy as np
import pandas as pd
from scipy.stats import norm

from .checks import check_positive_int

SEARCH_FEATURES = ("text_match", "title_match", "freshness", "pagerank")
GENRES = ("science fiction", "talky comedy", "action")
USER_KINDS = ("sci-fi fan", "comedy fan", "action fan", "mixed tastes")


# Ranking metrics -------------------------------------------------------------


def _check_ranking(grades, scores):
    """Turn grades and scores into equal-length 1-D float arrays, or say what
    is wrong."""
    grades, scores = (
        np.asarray(grades, dtype=float),
        np.asarray(scores, dtype=float),
    )
    if grades.ndim != 1 or scores.ndim != 1 or grades.shape != scores.shape:
        raise ValueError(
            f"grades and scores must be 1-D and of one length (one per "
            f"candidate), got shapes {grades.shape} and {scores.shape}"
        )
    if grades.size == 0:
        raise ValueError(
            "there are no candidates to rank: pass at least one grade and "
            "score"
        )
    bad = ~np.isfinite(grades) | (grades < 0)
    if bad.any():
        raise ValueError(
            f"relevance grades must be finite numbers >= 0 (0 = irrelevant), "
            f"got {grades[bad][0]} at position {np.flatnonzero(bad)[0]}"
        )
    if not np.isfinite(scores).all():
        raise ValueError(
            "scores must be finite numbers: replace NaN or infinite scores"
        )
    return grades, scores


def _check_k(k):
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise ValueError(
            f"k (how many top results to score) must be a whole number >= 1, "
            f"got {k!r}"
        )
    return int(k)


def ranked_grades(grades, scores):
    """The grades read down the list that sorts candidates by decreasing score.

    Ties keep the order the candidates were given in.
    """
    grades, scores = _check_ranking(grades, scores)
    return grades[np.argsort(-scores, kind="stable")]


def precision_at_k(grades, scores, k, threshold=1):
    """Share of the top ``k`` results whose grade is at least ``threshold``
    (relevant)."""
    k = _check_k(k)
    return float((ranked_grades(grades, scores)[:k] >= threshold).sum() / k)


def _dcg(grades_in_order, k):
    top = grades_in_order[:k]
    return float((top / np.log2(np.arange(2, top.size + 2))).sum())


def dcg_at_k(grades, scores, k):
    """Discounted cumulative gain: grades down the list, the i-th divided by
    log2(i + 1)."""
    k = _check_k(k)
    return _dcg(ranked_grades(grades, scores), k)


def ndcg_at_k(grades, scores, k):
    """DCG@k divided by the DCG@k of the best order, so 1 is perfect.

    A list with no relevant candidate scores 0, as in
    ``sklearn.metrics.ndcg_score``.
    """
    k = _check_k(k)
    grades, scores = _check_ranking(grades, scores)
    best = _dcg(np.sort(grades)[::-1], k)
    return _dcg(ranked_grades(grades, scores), k) / best if best > 0 else 0.0


def mean_ndcg_at_k(grades, scores, query_ids, k):
    """NDCG@k of each query's candidates ranked by score, averaged over the
    queries."""
    grades, scores = _check_ranking(grades, scores)
    query_ids = np.asarray(query_ids)
    if query_ids.shape != grades.shape:
        raise ValueError(
            f"query_ids must give one query per candidate: got "
            f"{query_ids.shape[0] if query_ids.ndim else 0} ids for "
            f"{grades.size} candidates"
        )
    return float(
        np.mean(
            [
                ndcg_at_k(grades[query_ids == q], scores[query_ids == q], k)
                for q in np.unique(query_ids)
            ]
        )
    )


# A web of pages --------------------------------------------------------------


def web_graph(num_pages, links_per_page=4, dangling_share=0.1, seed=0):
    """A directed web: pages link mostly to a few famous pages; some link
    nowhere.

    Each page has a hidden fame (heavy-tailed); a page's out-links go to other
    pages chosen in proportion to their fame. A share of pages (files, images)
    have no out-links at all: the "dangling" pages PageRank must handle.
    """
    num_pages = check_positive_int(num_pages, "num_pages")
    links_per_page = check_positive_int(links_per_page, "links_per_page")
    if not 0 <= dangling_share < 1:
        raise ValueError(
            f"dangling_share must be in [0, 1), got {dangling_share}"
        )
    rng = np.random.default_rng(seed)
    fame = rng.pareto(1.2, num_pages) + 1
    web = nx.DiGraph()
    web.add_nodes_from(range(num_pages))
    for page in range(num_pages):
        if num_pages == 1 or rng.random() < dangling_share:
            continue
        others = np.delete(np.arange(num_pages), page)
        num_links = min(1 + rng.poisson(links_per_page - 1), num_pages - 1)
        weights = fame[others] / fame[others].sum()
        targets = rng.choice(others, size=num_links, replace=False, p=weights)
        web.add_edges_from((page, int(target)) for target in targets)
    return web


def link_matrix(graph):
    """The graph's links as a matrix: row i holds the weights of page i's out-
    links.

    Pages keep the order ``list(graph)``; a row of zeros is a dangling page.
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(
            f"graph must be a networkx graph (e.g. nx.DiGraph), "
            f"got {type(graph).__name__}"
        )
    if graph.number_of_nodes() == 0:
        raise ValueError(
            "the graph has no nodes (pages): there is nothing to rank; "
            "add pages with graph.add_nodes_from(...) first"
        )
    links = nx.to_numpy_array(graph, nodelist=list(graph), dtype=float)
    if (links < 0).any():
        raise ValueError(
            "link weights must be >= 0: a link cannot pass on negative votes"
        )
    return links


# Learning to rank ------------------------------------------------------------


def _check_pagerank(pagerank):
    pagerank = np.asarray(pagerank, dtype=float)
    if pagerank.ndim != 1 or pagerank.size == 0:
        raise ValueError(
            f"pagerank must hold one score per page of a graph with at least "
            f"one node, got shape {pagerank.shape}"
        )
    if not np.isfinite(pagerank).all() or (pagerank <= 0).any():
        raise ValueError(
            "pagerank scores must be finite and > 0 (PageRank with damping "
            "below 1 gives every page a positive score)"
        )
    return pagerank


def search_queries(
    pagerank, num_queries=500, docs_per_query=30, noise=0.5, seed=0
):
    """Search queries, each with candidate pages described by features and
    graded 0-4.

    Features per candidate: ``text_match`` (how well the page's words match the
    query, inflated by a hidden per-query amount: long queries match more words
    everywhere), ``title_match`` (1 if the title holds the query words),
    ``freshness`` (1 = updated today, decaying with age) and ``pagerank``
    (log10 of the page's PageRank times the number of pages, so 0 is an average
    page). A hidden rule weighs how on-topic the page is, the title, freshness
    and PageRank into ``true_score``; the grade is that score plus Gaussian
    noise of standard deviation ``noise``, cut into grades 0 to 4.
    """
    pagerank = _check_pagerank(pagerank)
    num_queries = check_positive_int(num_queries, "num_queries")
    docs_per_query = check_positive_int(docs_per_query, "docs_per_query")
    if docs_per_query > pagerank.size:
        raise ValueError(
            f"docs_per_query ({docs_per_query}) exceeds the number of pages "
            f"({pagerank.size}): ask for fewer candidates or a larger web"
        )
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(
            f"noise must be a standard deviation >= 0, got {noise}"
        )
    rng = np.random.default_rng(seed)
    size = num_queries * docs_per_query
    query = np.repeat(np.arange(num_queries), docs_per_query)
    page = np.concatenate(
        [
            rng.choice(pagerank.size, docs_per_query, replace=False)
            for _ in range(num_queries)
        ]
    )
    on_topic = rng.normal(size=size)
    query_length = 1 + rng.poisson(1.5, num_queries)
    text_match = (
        on_topic + 0.6 * query_length[query] + rng.normal(0, 0.3, size)
    )
    title_match = (
        rng.random(size) < 1 / (1 + np.exp(1.5 - 1.5 * on_topic))
    ).astype(float)
    freshness = np.exp(-rng.exponential(365, size) / 180)
    log_pagerank = np.log10(pagerank[page] * pagerank.size)
    true_score = (
        1.5 * on_topic
        + 0.8 * title_match
        + 1.0 * freshness
        + 0.8 * log_pagerank
    )
    grade = np.digitize(
        true_score + rng.normal(0, noise, size), [1.0, 2.0, 3.0, 4.0]
    )
    return pd.DataFrame(
        {
            "query": query,
            "page": page,
            "text_match": text_match,
            "title_match": title_match,
            "freshness": freshness,
            "pagerank": log_pagerank,
            "grade": grade,
            "true_score": true_score,
        }
    )


# Recommendation --------------------------------------------------------------


def _movie_titles(genre, rng):
    words = {
        0: (
            [
                "Star",
                "Orbit",
                "Android",
                "Nebula",
                "Quantum",
                "Mars",
                "Robot",
                "Void",
            ],
            ["Protocol", "Colony", "Drift", "Signal", "Horizon", "Station"],
        ),
        1: (
            [
                "Dinner",
                "Wedding",
                "Talking",
                "Brunch",
                "Neighbours",
                "Therapy",
            ],
            [
                "Party",
                "Gossip",
                "Chatter",
                "Weekend",
                "Small Talk",
                "Arguments",
            ],
        ),
        2: (
            ["Fast", "Iron", "Bullet", "Fury", "Rogue", "Thunder", "Blast"],
            ["Chase", "Strike", "Run", "Fist", "Heist", "Showdown"],
        ),
    }
    titles, counts = [], {}
    for g in genre:
        first, second = words[int(g)]
        title = f"{rng.choice(first)} {rng.choice(second)}"
        counts[title] = counts.get(title, 0) + 1
        titles.append(
            title if counts[title] == 1 else f"{title} {counts[title]}"
        )
    return titles


def movie_ratings(
    num_users=400, num_movies=150, watch_rate=0.6, noise=0.6, seed=0
):
    """Users who watch, skip and rate movies (1-5 stars) according to hidden
    tastes.

    Each movie leans to one of ``GENRES``; each user is a fan of one genre or
    has mixed tastes (``USER_KINDS``). How much user u likes movie m is a
    global level, plus the user's generosity, plus the movie's quality, plus
    the match of the user's tastes with the movie's genres. Users start the
    movies they expect to like (and popular ones) more often (``watch_rate``
    sets the level: roughly the share of the catalogue a user starts); they
    skip the ones they like little. Finished movies get a star rating: that
    appeal plus Gaussian noise of standard deviation ``noise``, rounded and
    kept in 1-5.

    Returns three tables: ``interactions`` (user, movie, skipped, rating: NaN
    for skips, and ``expected_rating``, the noise-free mean of the stars, which
    a real service never sees), ``movies`` (title, genre, hidden genre mix) and
    ``users`` (kind, hidden tastes).
    """
    num_users = check_positive_int(num_users, "num_users")
    num_movies = check_positive_int(num_movies, "num_movies")
    if not 0 < watch_rate <= 1:
        raise ValueError(f"watch_rate must be in (0, 1], got {watch_rate}")
    if not np.isfinite(noise) or noise <= 0:
        raise ValueError(
            f"noise must be a standard deviation > 0, got {noise}"
        )
    rng = np.random.default_rng(seed)
    num_genres = len(GENRES)
    genre = rng.integers(num_genres, size=num_movies)
    movie_mix = 0.2 * rng.random((num_movies, num_genres))
    movie_mix[np.arange(num_movies), genre] = 1.0
    kind = rng.choice(
        len(USER_KINDS), size=num_users, p=[0.3, 0.3, 0.25, 0.15]
    )
    tastes = rng.normal(-0.7, 0.3, (num_users, num_genres))
    fans = kind < num_genres
    tastes[fans, kind[fans]] = rng.normal(1.0, 0.3, fans.sum())
    tastes[~fans] = rng.normal(0.2, 0.5, (int((~fans).sum()), num_genres))
    user_bias = rng.normal(0, 0.3, num_users)
    movie_bias = rng.normal(0, 0.4, num_movies)
    appeal = (
        3.1 + user_bias[:, None] + movie_bias[None, :] + tastes @ movie_mix.T
    )
    popularity = np.exp(movie_bias)
    start_odds = popularity[None, :] * np.exp(0.8 * (appeal - appeal.mean()))
    start_prob = np.clip(watch_rate * start_odds / start_odds.mean(), 0, 1)
    started = rng.random((num_users, num_movies)) < start_prob
    skip_prob = 1 / (1 + np.exp(3 * (appeal - 2.5)))
    skipped = started & (rng.random((num_users, num_movies)) < skip_prob)
    stars = np.clip(np.rint(appeal + rng.normal(0, noise, appeal.shape)), 1, 5)
    users, movies = np.nonzero(started)
    interactions = pd.DataFrame(
        {
            "user": users,
            "movie": movies,
            "skipped": skipped[users, movies],
            "rating": np.where(
                skipped[users, movies], np.nan, stars[users, movies]
            ),
            "expected_rating": _expected_stars(appeal[users, movies], noise),
        }
    )
    movie_table = pd.DataFrame(
        {
            "title": _movie_titles(genre, rng),
            "genre": [GENRES[g] for g in genre],
        }
    )
    movie_table[[f"mix_{g}" for g in GENRES]] = movie_mix
    user_table = pd.DataFrame({"kind": [USER_KINDS[k] for k in kind]})
    user_table[[f"taste_{g}" for g in GENRES]] = tastes
    return interactions, movie_table, user_table


def _expected_stars(appeal, noise):
    """Mean of clip(round(appeal + noise), 1, 5): the best any model can
    predict."""
    edges = np.array([-np.inf, 1.5, 2.5, 3.5, 4.5, np.inf])
    cdf = norm.cdf((edges[None, :] - appeal[:, None]) / noise)
    return (np.diff(cdf, axis=1) * np.arange(1, 6)).sum(axis=1)


def check_ids(ids, num_ids, name):
    """Check ids are whole numbers in 0..num_ids-1, as an embedding table
    needs.

    Gluon's ``nn.Embedding`` silently clips an id that is too large to the last
    row, so a bad id would quietly borrow another user's (or movie's) vector.
    """
    num_ids = check_positive_int(num_ids, f"num_{name}s")
    ids = np.asarray(ids)
    if ids.size and ids.dtype.kind not in "iu":
        raise TypeError(
            f"{name} ids must be whole numbers, got dtype {ids.dtype}"
        )
    bad = (ids < 0) | (ids >= num_ids)
    if bad.any():
        raise ValueError(
            f"{name} id {ids[bad].flat[0]} is out of range: ids must lie in "
            f"0..{num_ids - 1} ({num_ids} {name}s); renumber the {name}s or "
            f"make the table larger"
        )
    return ids


def rating_matrix(users, movies, ratings, num_users, num_movies):
    """A users-by-movies table of ratings, NaN where a user has not rated the
    movie."""
    users, movies = (
        check_ids(users, num_users, "user"),
        check_ids(movies, num_movies, "movie"),
    )
    ratings = np.asarray(ratings, dtype=float)
    if not users.shape == movies.shape == ratings.shape or users.ndim != 1:
        raise ValueError(
            f"users, movies and ratings must be 1-D and of one length, got "
            f"shapes {users.shape}, {movies.shape} and {ratings.shape}"
        )
    if ((ratings < 1) | (ratings > 5) | np.isnan(ratings)).any():
        raise ValueError(
            "ratings must be stars from 1 to 5: drop unrated (NaN) rows first"
        )
    matrix = np.full((num_users, num_movies), np.nan)
    matrix[users, movies] = ratings
    return matrix
