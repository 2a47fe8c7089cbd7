"""mlbook.sequences: the generators keep their promises (held-out names,
templates and word pairs; tags that follow from the clause), and the
measures agree with the field's packages (seqeval for entities, sacrebleu
for BLEU)."""

import itertools

from mlbook import sequences as sq

import numpy as np
import pytest
import sacrebleu
from seqeval.metrics import f1_score, precision_score, recall_score

# --- tagging data ------------------------------------------------------------


def names_in(sentences, tags):
    """The unambiguous entity strings of tagged sentences."""
    return {
        " ".join(words[a:b])
        for words, labels in zip(sentences, tags, strict=True)
        for _, a, b in sq.entities(labels)
        if " ".join(words[a:b]) not in sq.AMBIGUOUS
    }


def test_tagging_sentences_are_reproducible_and_aligned():
    first = sq.tagging_sentences(50, "train", seed=3)
    assert first == sq.tagging_sentences(50, "train", seed=3)
    assert first != sq.tagging_sentences(50, "train", seed=4)
    for words, labels in zip(*first, strict=True):
        assert len(words) == len(labels)
        assert set(labels) <= set(sq.TAGS)
        assert all(w == w.lower() for w in words)


def test_held_out_sentences_have_unseen_names_and_clause_pairs():
    parts = {p: sq.tagging_sentences(400, p, seed=0) for p in sq.PARTS}
    names = {p: names_in(*parts[p]) for p in sq.PARTS}
    for a, b in itertools.combinations(sq.PARTS, 2):
        assert not names[a] & names[b]
        assert not set(sq.clause_pairs(a)) & set(sq.clause_pairs(b))


def test_ambiguous_words_take_both_senses_from_their_clause():
    sentences, tags = sq.tagging_sentences(800, "train", seed=0)
    seen = {word: set() for word in sq.AMBIGUOUS}
    for words, labels in zip(sentences, tags, strict=True):
        for word, label in zip(words, labels, strict=True):
            if word in sq.AMBIGUOUS:
                seen[word].add(label)
    for word, senses in sq.AMBIGUOUS.items():
        expected = {"O" if s == "fruit" else f"B-{s}" for s in senses}
        assert seen[word] == expected, word


def test_tagging_sentences_reject_bad_arguments():
    with pytest.raises(ValueError, match="part must be one of"):
        sq.tagging_sentences(5, "dev")
    with pytest.raises(ValueError, match="ambiguous_rate"):
        sq.tagging_sentences(5, ambiguous_rate=1.5)
    with pytest.raises(ValueError, match="at least 1"):
        sq.tagging_sentences(0)


# --- the word floor ----------------------------------------------------------


def test_word_tagger_gives_each_word_its_commonest_tag():
    sentences = [["paris", "met", "ben"], ["ben", "flew", "to", "paris"]] * 2
    sentences.append(["anna", "met", "paris"])
    tags = [["B-PER", "O", "B-PER"], ["B-PER", "O", "O", "B-LOC"]] * 2
    tags.append(["B-PER", "O", "B-PER"])
    floor = sq.WordTagger(sentences, tags)
    assert floor([["paris", "flew", "to", "zed"]]) == [
        ["B-PER", "O", "O", "B-PER"]
    ]
    with pytest.raises(ValueError, match="one tag per word"):
        sq.WordTagger([["a", "b"]], [["O"]])
    with pytest.raises(ValueError, match="empty"):
        sq.WordTagger([], [])


# --- entity scores against seqeval -------------------------------------------


def random_tags(rng, num_sentences):
    return [
        list(rng.choice(sq.TAGS, size=rng.integers(1, 12)))
        for _ in range(num_sentences)
    ]


def test_entity_scores_agree_with_seqeval():
    rng = np.random.default_rng(0)
    for _ in range(20):
        truth = random_tags(rng, 30)
        guess = [
            [
                t if rng.random() < 0.7 else str(rng.choice(sq.TAGS))
                for t in sentence
            ]
            for sentence in truth
        ]
        ours = sq.entity_scores(truth, guess)
        assert ours["precision"] == pytest.approx(
            precision_score(truth, guess)
        )
        assert ours["recall"] == pytest.approx(recall_score(truth, guess))
        assert ours["f1"] == pytest.approx(f1_score(truth, guess))


def test_entity_scores_on_chosen_positions():
    truth = [["B-PER", "O", "B-LOC", "I-LOC"], ["B-ORG", "O"]]
    guess = [["B-LOC", "O", "B-LOC", "I-LOC"], ["B-ORG", "B-PER"]]
    everywhere = sq.entity_scores(truth, guess)
    assert (everywhere["correct"], everywhere["true"]) == (2, 3)
    assert everywhere["predicted"] == 4
    # Only entities covering position 0 of sentence 1 and 1 of sentence 2.
    chosen = sq.entity_scores(truth, guess, [{0}, {1}])
    assert (chosen["correct"], chosen["true"], chosen["predicted"]) == (
        0,
        1,
        2,
    )
    assert chosen["f1"] == 0


def test_entities_are_read_as_seqeval_reads_them():
    assert sq.entities(["I-PER", "I-PER", "O", "B-LOC", "I-ORG"]) == [
        ("PER", 0, 2),
        ("LOC", 3, 4),
        ("ORG", 4, 5),
    ]
    with pytest.raises(ValueError, match="is not 'O'"):
        sq.entities(["PER"])
    with pytest.raises(ValueError, match="one set per sentence"):
        sq.entity_scores([["O"]], [["O"]], positions=[])


# --- vocabularies and batches ------------------------------------------------


def test_encode_and_decode_round_trip():
    sentences = [["a", "b", "c"], ["c", "a"]]
    vocab = sq.vocabulary(sentences, extra=[sq.BEGIN, sq.END])
    ids = sq.encode(sentences, vocab)
    assert ids.shape == (2, 3) and ids[1, 2] == 0
    assert sq.decode(ids, vocab) == sentences
    assert sq.encode([["zzz"]], vocab)[0, 0] == vocab[sq.UNKNOWN]
    with pytest.raises(ValueError, match="shorter than the longest"):
        sq.encode(sentences, vocab, length=2)


def test_length_batches_cover_every_sentence_once_with_one_length():
    sentences = [["w"] * n for n in [3, 5, 3, 3, 5, 2]]
    for seed in (None, 0):
        batches = sq.length_batches(sentences, 2, seed)
        rows = sorted(i for batch in batches for i in batch)
        assert rows == list(range(len(sentences)))
        for batch in batches:
            assert len({len(sentences[i]) for i in batch}) == 1
            assert len(batch) <= 2


# --- translation data --------------------------------------------------------


def test_translation_moves_only_the_verb():
    sources, targets = sq.translation_pairs(200, "train", seed=0)
    for source, target in zip(sources, targets, strict=True):
        assert source[-2] in sq.VERBS
        literal = sq.word_by_word(source)
        assert sorted(literal) == sorted(target)
        assert literal[-2] == sq.VERBS[source[-2]]
        without_verb = [w for w in target if w != literal[-2]]
        assert without_verb == literal[:-2] + literal[-1:]


def test_held_out_pairs_combine_verb_and_object_anew():
    for a, b in itertools.combinations(sq.PARTS, 2):
        assert not set(sq.verb_object_pairs(a)) & set(sq.verb_object_pairs(b))
    sources, _ = sq.translation_pairs(300, "test", seed=0)
    train = set(sq.verb_object_pairs("train"))
    for source in sources:
        noun = next(w for w in source if w in sq.OBJECT_NOUNS)
        assert (source[-2], noun) not in train


def test_longer_noun_phrases_on_request():
    sources, _ = sq.translation_pairs(200, "test", seed=0, max_adjectives=2)
    most = max(sum(w in sq.ADJECTIVES for w in s) for s in sources)
    assert most >= 3
    with pytest.raises(ValueError, match="max_adjectives"):
        sq.translation_pairs(5, max_adjectives=-1)


def test_word_by_word_names_unknown_words():
    assert sq.word_by_word(["er", "hat", "das", "buch", "gelesen", "."]) == [
        "he",
        "has",
        "the",
        "book",
        "read",
        ".",
    ]
    with pytest.raises(KeyError, match="bananen"):
        sq.word_by_word(["er", "hat", "bananen"])
    with pytest.raises(ValueError, match="empty"):
        sq.word_by_word([])


# --- BLEU against sacrebleu --------------------------------------------------


def sacre(hypotheses, references):
    return sacrebleu.corpus_bleu(
        [" ".join(h) for h in hypotheses],
        [[" ".join(r) for r in references]],
        tokenize="none",
        smooth_method="none",
        force=True,
    ).score


def test_corpus_bleu_agrees_with_sacrebleu():
    sources, targets = sq.translation_pairs(100, "valid", seed=0)
    literal = [sq.word_by_word(s) for s in sources]
    assert sq.corpus_bleu(literal, targets) == pytest.approx(
        sacre(literal, targets)
    )
    assert sq.corpus_bleu(targets, targets) == pytest.approx(100)
    shorter = [t[:-2] for t in targets]  # the brevity penalty
    assert sq.corpus_bleu(shorter, targets) == pytest.approx(
        sacre(shorter, targets)
    )
    rng = np.random.default_rng(1)
    shuffled = [list(rng.permutation(t)) for t in targets]
    assert sq.corpus_bleu(shuffled, targets) == pytest.approx(
        sacre(shuffled, targets)
    )


def test_bleu_and_exact_match_reject_mismatched_input():
    with pytest.raises(ValueError, match="one reference per hypothesis"):
        sq.corpus_bleu([["a"]], [])
    with pytest.raises(ValueError, match="empty"):
        sq.corpus_bleu([], [])
    assert sq.exact_match([["a"], ["b"]], [["a"], ["c"]]) == (0.5, 1)
    with pytest.raises(ValueError, match="as many hypotheses"):
        sq.exact_match([["a"]], [])


def test_training_names_have_at_most_two_words():
    """The chapter's "what goes wrong" rests on this: a three-word place is
    longer than any name in training."""
    sentences, tags = sq.tagging_sentences(2000, "train", seed=0)
    longest = max(b - a for labels in tags for _, a, b in sq.entities(labels))
    assert longest == 2
    assert "de" not in {w for s in sentences for w in s}
