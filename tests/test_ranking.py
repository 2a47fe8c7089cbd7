"""Tests of mlbook.ranking: metrics against scikit-learn, generators, and bad
inputs."""

from mlbook import ranking

import networkx as nx
import numpy as np
import pytest
from sklearn.metrics import dcg_score, ndcg_score


def random_list(rng, size=20, max_grade=4):
    """Integer grades and tie-free scores, as a ranked list of candidates
    has."""
    return rng.integers(0, max_grade + 1, size), rng.permutation(
        size
    ) + rng.random(size)


# Metrics ---------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 3, 10, 25])
def test_ndcg_and_dcg_agree_with_scikit_learn(k):
    rng = np.random.default_rng(k)
    for _ in range(20):
        grades, scores = random_list(rng)
        assert ranking.ndcg_at_k(grades, scores, k) == pytest.approx(
            ndcg_score([grades], [scores], k=k), abs=1e-12
        )
        assert ranking.dcg_at_k(grades, scores, k) == pytest.approx(
            dcg_score([grades], [scores], k=k), abs=1e-12
        )


def test_mean_ndcg_agrees_with_scikit_learn_average_over_queries():
    rng = np.random.default_rng(0)
    lists = [random_list(rng, size=15) for _ in range(8)]
    grades = np.concatenate([g for g, _ in lists])
    scores = np.concatenate([s for _, s in lists])
    query_ids = np.repeat(np.arange(8), 15)
    expected = ndcg_score([g for g, _ in lists], [s for _, s in lists], k=10)
    assert ranking.mean_ndcg_at_k(
        grades, scores, query_ids, 10
    ) == pytest.approx(expected)


def test_letters_example_perfect_and_shuffled():
    grade_of = {"A": 5, "B": 4, "C": 3, "D": 2, "E": 1}
    perfect = [grade_of[c] for c in "ABCDE"]
    shuffled = [grade_of[c] for c in "CABED"]
    scores = -np.arange(5)
    assert ranking.ndcg_at_k(perfect, scores, 5) == pytest.approx(1.0)
    assert ranking.precision_at_k(shuffled, scores, 5) == 1.0
    ideal = sum(g / np.log2(i + 2) for i, g in enumerate(perfect))
    got = sum(g / np.log2(i + 2) for i, g in enumerate(shuffled))
    assert ranking.ndcg_at_k(shuffled, scores, 5) == pytest.approx(got / ideal)


def test_precision_counts_relevant_results_in_the_top_k():
    grades = [0, 3, 1, 0, 2]
    scores = [5, 4, 3, 2, 1]  # shown in the order given
    assert ranking.precision_at_k(grades, scores, 2) == 0.5
    assert ranking.precision_at_k(grades, scores, 5) == 0.6
    assert ranking.precision_at_k(grades, scores, 5, threshold=2) == 0.4
    assert (
        ranking.precision_at_k(grades, scores, 10) == 0.3
    )  # divides by k, not by list size


def test_no_relevant_candidate_gives_ndcg_zero_like_scikit_learn():
    assert (
        ranking.ndcg_at_k([0, 0, 0], [3, 2, 1], 2)
        == 0.0
        == ndcg_score([[0, 0, 0]], [[3, 2, 1]], k=2)
    )


def test_ties_keep_the_given_order():
    assert list(ranking.ranked_grades([1, 4, 2, 3], [0, 1, 1, 0])) == [
        4,
        2,
        1,
        3,
    ]


@pytest.mark.parametrize(
    "grades", [[1, -1, 2], [1, np.nan, 2], [1, np.inf, 2]]
)
def test_grades_out_of_range_raise(grades):
    with pytest.raises(ValueError, match="grades must be finite numbers >= 0"):
        ranking.ndcg_at_k(grades, [3, 2, 1], 2)


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "3"])
def test_bad_k_raises(k):
    with pytest.raises(ValueError, match="k .* must be a whole number >= 1"):
        ranking.precision_at_k([1, 0], [1, 0], k)


def test_mismatched_or_empty_lists_raise():
    with pytest.raises(ValueError, match="of one length"):
        ranking.dcg_at_k([1, 0, 2], [1, 0], 2)
    with pytest.raises(ValueError, match="no candidates"):
        ranking.ndcg_at_k([], [], 2)
    with pytest.raises(ValueError, match="scores must be finite"):
        ranking.ndcg_at_k([1, 0], [np.nan, 0], 2)
    with pytest.raises(ValueError, match="one query per candidate"):
        ranking.mean_ndcg_at_k([1, 0], [1, 0], [0], 2)


# The web ---------------------------------------------------------------------


def test_web_graph_is_seeded_and_has_dangling_pages():
    web = ranking.web_graph(300, seed=4)
    assert nx.utils.graphs_equal(web, ranking.web_graph(300, seed=4))
    assert not nx.utils.graphs_equal(web, ranking.web_graph(300, seed=5))
    assert web.number_of_nodes() == 300 and nx.number_of_selfloops(web) == 0
    dangling = sum(web.out_degree(p) == 0 for p in web)
    assert 10 <= dangling <= 55  # about 10% of 300
    in_degrees = sorted((d for _, d in web.in_degree()), reverse=True)
    assert in_degrees[0] > 10 * np.median(in_degrees)  # a few famous pages


def test_web_graph_bad_inputs_raise():
    with pytest.raises(ValueError, match="num_pages must be at least 1"):
        ranking.web_graph(0)
    with pytest.raises(ValueError, match="dangling_share"):
        ranking.web_graph(10, dangling_share=1.0)


def test_link_matrix_rows_are_out_links():
    web = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "c")])
    web.add_node("d")
    links = ranking.link_matrix(web)
    np.testing.assert_array_equal(
        links, [[0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    )


def test_graph_with_no_nodes_raises():
    with pytest.raises(ValueError, match="graph has no nodes"):
        ranking.link_matrix(nx.DiGraph())
    with pytest.raises(TypeError, match="must be a networkx graph"):
        ranking.link_matrix(np.eye(3))
    with pytest.raises(
        ValueError, match="one score per page of a graph with at least one"
    ):
        ranking.search_queries(np.array([]))


# Learning to rank ------------------------------------------------------------


@pytest.fixture(scope="module")
def page_rank():
    web = ranking.web_graph(200, seed=0)
    return np.array(list(nx.pagerank(web).values()))


def test_search_queries_shape_grades_and_determinism(page_rank):
    queries = ranking.search_queries(
        page_rank, num_queries=50, docs_per_query=20, seed=3
    )
    assert len(queries) == 1000
    assert set(ranking.SEARCH_FEATURES) <= set(queries.columns)
    assert queries["grade"].between(0, 4).all() and set(queries["grade"]) == {
        0,
        1,
        2,
        3,
        4,
    }
    assert (queries.groupby("query")["page"].nunique() == 20).all()
    assert queries.equals(
        ranking.search_queries(
            page_rank, num_queries=50, docs_per_query=20, seed=3
        )
    )


def test_hidden_rule_ranks_better_than_pagerank_alone(page_rank):
    queries = ranking.search_queries(page_rank, num_queries=100, seed=0)

    def ndcg(column):
        return ranking.mean_ndcg_at_k(
            queries["grade"], queries[column], queries["query"], 10
        )

    assert ndcg("true_score") > ndcg("text_match") > ndcg("pagerank")
    noiseless = ranking.search_queries(
        page_rank, num_queries=100, noise=0.0, seed=0
    )
    assert ranking.mean_ndcg_at_k(
        noiseless["grade"], noiseless["true_score"], noiseless["query"], 10
    ) == pytest.approx(1.0)


def test_search_queries_bad_inputs_raise(page_rank):
    with pytest.raises(ValueError, match="exceeds the number of pages"):
        ranking.search_queries(page_rank, docs_per_query=201)
    with pytest.raises(
        ValueError, match="noise must be a standard deviation >= 0"
    ):
        ranking.search_queries(page_rank, noise=-1)
    with pytest.raises(ValueError, match="finite and > 0"):
        ranking.search_queries(np.array([0.5, 0.5, 0.0]))
    with pytest.raises(TypeError, match="num_queries must be a whole number"):
        ranking.search_queries(page_rank, num_queries=2.5)


# Recommendation --------------------------------------------------------------


@pytest.fixture(scope="module")
def ratings():
    return ranking.movie_ratings(
        num_users=200, num_movies=80, watch_rate=0.5, seed=1
    )


def test_movie_ratings_tables(ratings):
    interactions, movies, users = ratings
    assert (
        len(movies) == 80 and len(users) == 200 and movies["title"].is_unique
    )
    assert set(users["kind"]) == set(ranking.USER_KINDS)
    assert set(movies["genre"]) == set(ranking.GENRES)
    assert interactions["rating"].isna().equals(interactions["skipped"])
    assert set(interactions["rating"].dropna()) <= {1, 2, 3, 4, 5}
    assert interactions["expected_rating"].between(1, 5).all()
    assert not interactions.duplicated(["user", "movie"]).any()
    again = ranking.movie_ratings(
        num_users=200, num_movies=80, watch_rate=0.5, seed=1
    )
    assert interactions.equals(again[0])


def test_expected_rating_is_the_mean_of_the_stars(ratings):
    rated = ratings[0].dropna(subset=["rating"])
    error = rated["rating"] - rated["expected_rating"]
    assert abs(error.mean()) < 3 * error.std() / np.sqrt(len(error))


def test_fans_rate_their_genre_higher(ratings):
    interactions, movies, users = ratings
    rated = interactions.dropna(subset=["rating"])
    rated = rated.assign(
        kind=users["kind"].to_numpy()[rated["user"]],
        genre=movies["genre"].to_numpy()[rated["movie"]],
    )
    fans = rated[rated["kind"] == "sci-fi fan"]
    own = fans[fans["genre"] == "science fiction"]["rating"].mean()
    assert own > fans[fans["genre"] != "science fiction"]["rating"].mean() + 1


def test_skips_go_to_disliked_films(ratings):
    interactions = ratings[0]
    by_skip = interactions.groupby("skipped")["expected_rating"].mean()
    assert by_skip[True] < by_skip[False] - 1


def test_movie_ratings_bad_inputs_raise():
    with pytest.raises(ValueError, match="watch_rate"):
        ranking.movie_ratings(watch_rate=0)
    with pytest.raises(
        ValueError, match="noise must be a standard deviation > 0"
    ):
        ranking.movie_ratings(noise=0)
    with pytest.raises(ValueError, match="num_users must be at least 1"):
        ranking.movie_ratings(num_users=0)


def test_ids_out_of_range_raise():
    assert list(ranking.check_ids([0, 4], 5, "user")) == [0, 4]
    with pytest.raises(
        ValueError, match="user id 5 is out of range: ids must lie in 0..4"
    ):
        ranking.check_ids([0, 5], 5, "user")
    with pytest.raises(ValueError, match="movie id -1 is out of range"):
        ranking.check_ids([-1], 3, "movie")
    with pytest.raises(TypeError, match="ids must be whole numbers"):
        ranking.check_ids([0.5], 3, "movie")


def test_rating_matrix_places_ratings_and_checks_inputs():
    matrix = ranking.rating_matrix([0, 1, 1], [2, 0, 1], [5, 3, 1], 2, 3)
    np.testing.assert_array_equal(
        matrix, [[np.nan, np.nan, 5], [3, 1, np.nan]]
    )
    with pytest.raises(ValueError, match="movie id 3 is out of range"):
        ranking.rating_matrix([0], [3], [4], 2, 3)
    with pytest.raises(ValueError, match="user id 2 is out of range"):
        ranking.rating_matrix([2], [0], [4], 2, 3)
    with pytest.raises(ValueError, match="ratings must be stars from 1 to 5"):
        ranking.rating_matrix([0], [0], [0], 2, 3)
    with pytest.raises(ValueError, match="ratings must be stars from 1 to 5"):
        ranking.rating_matrix([0], [0], [np.nan], 2, 3)
    with pytest.raises(ValueError, match="of one length"):
        ranking.rating_matrix([0, 1], [0], [4], 2, 3)
