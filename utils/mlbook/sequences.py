"""Data and measures for the chapter "Sequences".

Two small worlds whose rules we know, so that we know what a model should
learn from them:

- sentences for **named-entity tagging**, generated from clauses with slots
  filled from gazetteers (lists of names), where some words are a person or a
  place, a company or a fruit, depending on their neighbours;
- sentence pairs for **translation** from a German-like grammar, with the verb
  at the end, into English, with the verb after the auxiliary;
- short **spoken sentences** whose word pairs are split three ways, so that a
  test sentence holds word orders training never had.

And the measures the fields use on them: entity-level precision, recall and
F1 (as ``seqeval`` computes them), corpus BLEU (as ``sacrebleu`` does) and
character and word error rates (as ``jiwer`` does); the tests check all three
against those packages. For speech recognition, the CTC loss in MXNet's NumPy
mode and greedy CTC decoding.
"""

import collections
import itertools
import math

import mxnet as mx
import numpy as np

from .checks import check_positive_int, check_seed

# --- tagging -----------------------------------------------------------------

TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
# Words that name two kinds of thing: only the neighbours tell which.
AMBIGUOUS = {
    "jordan": ("PER", "LOC"),
    "paris": ("PER", "LOC"),
    "georgia": ("PER", "LOC"),
    "chelsea": ("PER", "LOC"),
    "florence": ("PER", "LOC"),
    "apple": ("ORG", "fruit"),
    "orange": ("ORG", "fruit"),
    "blackberry": ("ORG", "fruit"),
}
# Gazetteers of unambiguous names. Each is split into train, validation and
# test names (see ``tagging_sentences``).
FIRST_NAMES = (
    "anna ben carla david emma felix greta hugo ida jonas karla leon mia "
    "nils olga paul rosa sven tina udo vera walter xenia yusuf zoe amir "
    "bella chen dina emil farah"
).split()
LAST_NAMES = (
    "berg fischer klein meyer novak okafor petrov quinn rossi schmidt "
    "tanaka weber yilmaz zhang lopez"
).split()
# (Underscores join the words of a name of several words.)
PLACES = (
    "berlin lagos lima oslo quito rome tokyo vienna cairo dublin madrid "
    "nairobi seoul sydney toronto prague new_york san_diego hong_kong "
    "buenos_aires cape_town"
).split()
ORGANISATIONS = (
    "siemens nokia toyota unilever ikea lego philips bosch spotify samsung "
    "general_motors deutsche_bank red_cross air_france world_bank "
    "united_nations"
).split()
FRUITS = "pear plum mango cherry banana lemon peach".split()
# Clauses: tokens, and slots in braces. Every slot's kind follows from its
# clause, so a reader of the whole sentence can always tag it.
CLAUSES = (
    "{per} lives in {loc}",
    "{per} works for {org}",
    "{per} met {per}",
    "{org} hired {per}",
    "{per} flew to {loc}",
    "{per} ate the {fruit}",
    "{org} opened a shop in {loc}",
    "{per} bought shares of {org}",
    "the {fruit} came from {loc}",
    "{per} called {per} from {loc}",
    "{org} sells the {fruit}",
    "{per} visited {loc}",
)
CONNECTIVES = ("and", "while", "after", "because")
PARTS = ("train", "valid", "test")


def _three_ways(items, seed):
    """Split ``items`` into train/valid/test lists (60/20/20) by a fixed
    shuffle."""
    order = np.random.default_rng(seed).permutation(len(items))
    cut1, cut2 = int(0.6 * len(items)), int(0.8 * len(items))
    return {
        part: [items[i] for i in sorted(order[a:b])]
        for part, (a, b) in zip(
            PARTS, [(0, cut1), (cut1, cut2), (cut2, len(items))], strict=True
        )
    }


def _check_part(part):
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, got {part!r}")
    return part


def clause_pairs(part):
    """The (first, second) clause indices whose sentences belong to ``part``:
    no pair is in two parts, so held-out sentences have unseen templates."""
    pairs = [
        (i, j)
        for i in range(len(CLAUSES))
        for j in range(len(CLAUSES))
        if i != j
    ]
    return _three_ways(pairs, seed=17)[_check_part(part)]


def _names(part):
    """The gazetteer names of ``part``: no unambiguous name is in two
    parts."""
    return {
        kind: _three_ways(list(words), seed=k)[part]
        for k, (kind, words) in enumerate(
            [
                ("first", FIRST_NAMES),
                ("last", LAST_NAMES),
                ("loc", PLACES),
                ("org", ORGANISATIONS),
                ("fruit", FRUITS),
            ]
        )
    }


def _fill(slot, names, rng, ambiguous_rate):
    """Tokens and tags of one filled slot."""
    senses = {
        "per": "PER",
        "loc": "LOC",
        "org": "ORG",
        "fruit": "fruit",
    }
    ambiguous = [w for w, s in AMBIGUOUS.items() if senses[slot] in s]
    if rng.random() < ambiguous_rate:
        word = str(rng.choice(ambiguous))
        return [word], ["O" if slot == "fruit" else f"B-{senses[slot]}"]
    if slot == "per":
        words = [str(rng.choice(names["first"]))]
        if rng.random() < 0.4:
            words.append(str(rng.choice(names["last"])))
    elif slot == "fruit":
        return [str(rng.choice(names["fruit"]))], ["O"]
    else:
        words = str(rng.choice(names[slot])).split("_")
    kind = senses[slot]
    return words, [f"B-{kind}"] + [f"I-{kind}"] * (len(words) - 1)


def tagging_sentences(num_sentences, part="train", seed=0, ambiguous_rate=0.3):
    """``num_sentences`` lower-case sentences of two clauses, as lists of
    tokens, and their BIO tags (``TAGS``).

    ``part`` picks the clause pairs and the unambiguous names: "valid" and
    "test" sentences use pairs and names that "train" never does. The
    ambiguous words (``AMBIGUOUS``) appear in every part, each slot taking one
    with probability ``ambiguous_rate``.
    """
    num_sentences = check_positive_int(num_sentences, "num_sentences")
    if not 0 <= ambiguous_rate <= 1:
        raise ValueError(
            f"ambiguous_rate must lie in [0, 1], got {ambiguous_rate!r}"
        )
    pairs, names = clause_pairs(part), _names(part)
    rng = np.random.default_rng([check_seed(seed), PARTS.index(part)])
    sentences, tags = [], []
    for _ in range(num_sentences):
        first, second = pairs[rng.integers(len(pairs))]
        pattern = (
            f"{CLAUSES[first]} {rng.choice(CONNECTIVES)} {CLAUSES[second]}"
        )
        words, labels = [], []
        for piece in pattern.split():
            if piece.startswith("{"):
                filled = _fill(piece[1:-1], names, rng, ambiguous_rate)
                words += filled[0]
                labels += filled[1]
            else:
                words.append(piece)
                labels.append("O")
        sentences.append(words)
        tags.append(labels)
    return sentences, tags


def _check_tagged(sentences, tags, name="tags"):
    if len(sentences) != len(tags):
        raise ValueError(
            f"{len(sentences)} sentences but {len(tags)} tag sequences: "
            "pass one tag sequence per sentence"
        )
    for i, (words, labels) in enumerate(zip(sentences, tags, strict=True)):
        if len(words) != len(labels):
            raise ValueError(
                f"sentence {i} has {len(words)} words but {len(labels)} "
                f"{name}: pass one tag per word"
            )


class WordTagger:
    """The floor: each word gets the tag it had most often in training,
    whatever its neighbours; a word never seen gets the most common tag of
    training names (what a word alone suggests about a stranger)."""

    def __init__(self, sentences, tags):
        if not sentences:
            raise ValueError("sentences is empty: pass training sentences")
        _check_tagged(sentences, tags)
        counts = collections.defaultdict(collections.Counter)
        for words, labels in zip(sentences, tags, strict=True):
            for word, label in zip(words, labels, strict=True):
                counts[word][label] += 1
        self.table = {w: c.most_common(1)[0][0] for w, c in counts.items()}
        names = collections.Counter(
            label for labels in tags for label in labels if label != "O"
        )
        self.unknown = names.most_common(1)[0][0] if names else "O"

    def __call__(self, sentences):
        return [
            [self.table.get(w, self.unknown) for w in s] for s in sentences
        ]

    def __repr__(self):
        return (
            f"WordTagger({len(self.table)} words, unknown -> {self.unknown})"
        )


def entities(tags):
    """The entities of one BIO tag sequence, as (kind, start, end) with end
    exclusive. An I- tag that does not continue an entity of its kind starts
    one, as seqeval's default (CoNLL) mode does."""
    found, kind, start = [], None, 0
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag != "O" and (len(tag) < 3 or tag[1] != "-"):
            raise ValueError(
                f"tag {tag!r} at position {i} is not 'O', 'B-KIND' or 'I-KIND'"
            )
        prefix, new_kind = (tag[0], tag[2:]) if tag != "O" else ("O", None)
        if kind is not None and (prefix != "I" or new_kind != kind):
            found.append((kind, start, i))
            kind = None
        if prefix == "B" or (prefix == "I" and kind is None):
            kind, start = new_kind, i
    return found


def entity_scores(true_tags, predicted_tags, positions=None):
    """Entity-level precision, recall and F1 over sentences (an entity counts
    only if its kind and both ends are right).

    ``positions``, if given, holds one set of token positions per sentence:
    only entities, true or predicted, that cover one of them count (e.g. the
    positions of ambiguous words). Returns a dict with the counts too.
    """
    _check_tagged(true_tags, predicted_tags, "predicted tags")
    if positions is not None and len(positions) != len(true_tags):
        raise ValueError(
            f"positions holds {len(positions)} sets for {len(true_tags)} "
            "sentences: pass one set per sentence"
        )
    correct = num_true = num_predicted = 0
    for i, (truth, guess) in enumerate(
        zip(true_tags, predicted_tags, strict=True)
    ):
        true_set, guess_set = set(entities(truth)), set(entities(guess))
        if positions is not None:

            def covers(entity, keep=positions[i]):
                return any(entity[1] <= p < entity[2] for p in keep)

            true_set = {e for e in true_set if covers(e)}
            guess_set = {e for e in guess_set if covers(e)}
        correct += len(true_set & guess_set)
        num_true += len(true_set)
        num_predicted += len(guess_set)
    precision = correct / num_predicted if num_predicted else 0.0
    recall = correct / num_true if num_true else 0.0
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision + recall
        else 0.0
    )
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "correct": correct,
        "true": num_true,
        "predicted": num_predicted,
    }


def ambiguous_positions(sentences):
    """For each sentence, the set of positions holding an ambiguous word."""
    return [
        {i for i, word in enumerate(words) if word in AMBIGUOUS}
        for words in sentences
    ]


# --- vocabularies ------------------------------------------------------------

PAD, UNKNOWN, BEGIN, END = "<pad>", "<unk>", "<bos>", "<eos>"


def vocabulary(sentences, extra=()):
    """{token: id} over the tokens of ``sentences``, in order of first
    appearance, after the padding and unknown tokens (ids 0 and 1) and
    ``extra`` ones."""
    tokens = {PAD: 0, UNKNOWN: 1}
    for token in list(extra) + [t for s in sentences for t in s]:
        tokens.setdefault(token, len(tokens))
    return tokens


def encode(sentences, vocab, length=None):
    """Token ids of ``sentences`` padded with 0 to ``length`` (default: the
    longest), shape (n, length); tokens not in ``vocab`` become ``<unk>``."""
    if not sentences:
        raise ValueError("sentences is empty: pass at least one sentence")
    longest = max(len(s) for s in sentences)
    length = longest if length is None else length
    if length < longest:
        raise ValueError(
            f"length {length} is shorter than the longest sentence "
            f"({longest} tokens): pass length=None or a larger one"
        )
    ids = np.zeros((len(sentences), length), dtype=np.int32)
    for i, sentence in enumerate(sentences):
        ids[i, : len(sentence)] = [vocab.get(t, 1) for t in sentence]
    return ids


def decode(ids, vocab):
    """Token lists from rows of ids, each cut at its first ``<eos>`` or
    padding."""
    words = {i: t for t, i in vocab.items()}
    sentences = []
    for row in np.asarray(ids):
        sentence = []
        for i in row:
            token = words[int(i)]
            if token in (END, PAD):
                break
            sentence.append(token)
        sentences.append(sentence)
    return sentences


def length_batches(sentences, batch_size, seed=None):
    """Lists of indices into ``sentences``, each batch of one length, so that
    no batch needs padding. With a ``seed`` the batches are shuffled (within
    and across lengths); without, they come in order of length."""
    if not sentences:
        raise ValueError("sentences is empty: pass at least one sentence")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = None if seed is None else np.random.default_rng(check_seed(seed))
    by_length = collections.defaultdict(list)
    for i, sentence in enumerate(sentences):
        by_length[len(sentence)].append(i)
    batches = []
    for length in sorted(by_length):
        rows = np.array(by_length[length])
        if rng is not None:
            rows = rng.permutation(rows)
        batches += [
            rows[i : i + batch_size] for i in range(0, len(rows), batch_size)
        ]
    if rng is not None:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


# --- translation -------------------------------------------------------------

# The German-like source and the English target share their words one to one
# (the dictionary); they differ in order only.
SUBJECT_PRONOUNS = {
    "ich": ("i", "habe", "have"),
    "du": ("you", "hast", "have"),
    "er": ("he", "hat", "has"),
    "sie": ("she", "hat", "has"),
    "wir": ("we", "haben", "have"),
}
DETERMINERS = {
    "das": "the",
    "der": "the",
    "ein": "a",
    "dieses": "this",
    "mein": "my",
    "unser": "our",
}
ADJECTIVES = {
    "neue": "new",
    "alte": "old",
    "grosse": "big",
    "kleine": "small",
    "rote": "red",
    "gute": "good",
    "teure": "expensive",
    "seltsame": "strange",
}
SUBJECT_NOUNS = {
    "freund": "friend",
    "lehrer": "teacher",
    "nachbar": "neighbour",
    "bruder": "brother",
    "chef": "boss",
}
OBJECT_NOUNS = {
    "buch": "book",
    "auto": "car",
    "haus": "house",
    "lied": "song",
    "bild": "picture",
    "brief": "letter",
    "film": "film",
    "lehrwerk": "tutorial",
    "spiel": "game",
    "fahrrad": "bike",
}
VERBS = {
    "gelesen": "read",
    "gekauft": "bought",
    "gesehen": "seen",
    "gefunden": "found",
    "verkauft": "sold",
    "geschrieben": "written",
    "gemalt": "painted",
    "angeschaut": "watched",
    "gewaschen": "washed",
    "repariert": "repaired",
    "vergessen": "forgotten",
    "geliebt": "loved",
}
ADVERBS = {
    "schon": "already",
    "nie": "never",
    "oft": "often",
    "gerade": "just",
    "auch": "also",
}
DICTIONARY = {
    **{de: en for de, (en, _, _) in SUBJECT_PRONOUNS.items()},
    **{aux: en for _, aux, en in SUBJECT_PRONOUNS.values()},
    **DETERMINERS,
    **ADJECTIVES,
    **SUBJECT_NOUNS,
    **OBJECT_NOUNS,
    **VERBS,
    **ADVERBS,
    ".": ".",
    "?": "?",
}


def verb_object_pairs(part):
    """The (verb, object noun) pairs of ``part``: no pair is in two parts, so
    held-out sentences combine words in ways training never did."""
    pairs = [(v, n) for v in VERBS for n in OBJECT_NOUNS]
    return _three_ways(pairs, seed=23)[_check_part(part)]


def _noun_phrase(rng, nouns, num_adjectives):
    words = [str(rng.choice(list(DETERMINERS)))]
    words += [str(w) for w in rng.choice(list(ADJECTIVES), num_adjectives)]
    return words + [str(rng.choice(nouns))]


def translation_pairs(num_pairs, part="train", seed=0, max_adjectives=1):
    """``num_pairs`` (German-like, English) token lists: statements and
    questions whose source puts the verb last.

    ``er hat schon das neue buch gelesen .`` -> ``he has already read the
    new book .``. ``part`` picks the (verb,
    object) pairs; each noun phrase takes 0 to ``max_adjectives``
    adjectives.
    """
    num_pairs = check_positive_int(num_pairs, "num_pairs")
    if max_adjectives < 0 or int(max_adjectives) != max_adjectives:
        raise ValueError(
            f"max_adjectives must be a whole number >= 0, got "
            f"{max_adjectives!r}"
        )
    pairs = verb_object_pairs(part)
    rng = np.random.default_rng([check_seed(seed), PARTS.index(part) + 10])
    sources, targets = [], []
    for _ in range(num_pairs):
        verb, noun = pairs[rng.integers(len(pairs))]
        if rng.random() < 0.5:
            pronoun = str(rng.choice(list(SUBJECT_PRONOUNS)))
            subject, aux = [pronoun], SUBJECT_PRONOUNS[pronoun][1]
        else:
            subject = _noun_phrase(
                rng, list(SUBJECT_NOUNS), rng.integers(max_adjectives + 1)
            )
            aux = "hat"
        adverb = [str(rng.choice(list(ADVERBS)))] if rng.random() < 0.6 else []
        obj = _noun_phrase(rng, [noun], rng.integers(max_adjectives + 1))
        if rng.random() < 0.5:
            head, end = subject + [aux] + adverb, "."
        else:
            head, end = [aux] + subject + adverb, "?"
        source = head + obj + [verb, end]
        target = word_by_word(head + [verb] + obj + [end])
        sources.append(source)
        targets.append(target)
    return sources, targets


def word_by_word(source):
    """The floor: each source word replaced by its dictionary entry, in
    source order."""
    if not source:
        raise ValueError("source is empty: pass a list of tokens")
    unknown = [w for w in source if w not in DICTIONARY]
    if unknown:
        raise KeyError(
            f"not in the dictionary: {unknown}; the grammar's words are "
            "in mlbook.sequences.DICTIONARY"
        )
    return [DICTIONARY[w] for w in source]


# --- BLEU --------------------------------------------------------------------


def _ngrams(tokens, n):
    return collections.Counter(
        tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)
    )


def corpus_bleu(hypotheses, references, max_n=4):
    """Corpus BLEU (Papineni et al. 2002) in points (0-100), one reference per
    sentence, tokens as given: n-gram matches and lengths are summed over the
    corpus before the precisions and the brevity penalty are taken."""
    if len(hypotheses) != len(references):
        raise ValueError(
            f"{len(hypotheses)} hypotheses but {len(references)} references: "
            "pass one reference per hypothesis"
        )
    if not hypotheses:
        raise ValueError("hypotheses is empty: pass at least one sentence")
    check_positive_int(max_n, "max_n")
    matches, totals = [0] * max_n, [0] * max_n
    for hyp, ref in zip(hypotheses, references, strict=True):
        for n in range(1, max_n + 1):
            hyp_grams, ref_grams = _ngrams(hyp, n), _ngrams(ref, n)
            matches[n - 1] += sum((hyp_grams & ref_grams).values())
            totals[n - 1] += max(len(hyp) - n + 1, 0)
    if min(matches) == 0:
        return 0.0
    log_precision = sum(
        math.log(m / t) for m, t in zip(matches, totals, strict=True)
    )
    hyp_length = sum(len(h) for h in hypotheses)
    ref_length = sum(len(r) for r in references)
    brevity = min(0.0, 1 - ref_length / hyp_length)
    return 100 * math.exp(brevity + log_precision / max_n)


def exact_match(hypotheses, references):
    """The share of hypotheses equal to their reference, and the count."""
    if len(hypotheses) != len(references) or not hypotheses:
        raise ValueError(
            f"need as many hypotheses as references, at least one; got "
            f"{len(hypotheses)} and {len(references)}"
        )
    hits = sum(h == r for h, r in zip(hypotheses, references, strict=True))
    return hits / len(hypotheses), hits


# --- speech recognition ------------------------------------------------------

ALPHABET = " abcdefghijklmnopqrstuvwxyz"  # label k + 1 is ALPHABET[k]
BLANK = 0  # CTC's "no new letter here" label, shown as "-"

# Two sentence templates. In each, two neighbouring slots form the "pair"
# whose combinations are dealt to train, validation and test: a test
# sentence always holds a word pair that no training sentence holds.
_NAMES = ("anna", "peter", "maria", "david", "sarah", "james", "lucy", "omar")
_OBJECT_TEMPLATE = {
    "verb": ("sees", "buys", "sells", "wants", "finds", "paints"),
    "number": ("two", "three", "four", "five", "six", "seven"),
    "colour": (
        "red",
        "green",
        "blue",
        "black",
        "white",
        "yellow",
        "brown",
        "pink",
    ),
    "thing": (
        "boxes",
        "chairs",
        "books",
        "cups",
        "shoes",
        "lamps",
        "hats",
        "keys",
    ),
}
_TOPIC_TEMPLATE = {
    "verb": ("studies", "teaches", "loves", "explains", "enjoys"),
    "topic": (
        "deep learning",
        "machine learning",
        "modern art",
        "classical music",
        "ancient history",
    ),
    "time": ("today", "tonight", "again", "daily"),
}


def _pair_split(i, j, size):
    """Deal the pair (i, j) of a ``size``-square to a split, Latin-square
    style, so that every word of either slot occurs in every split."""
    residue = (i + j) % size
    share = {5: (3, 1), 8: (5, 1)}[size]  # residues for train, then valid
    if residue < share[0]:
        return "train"
    return "valid" if residue < share[0] + share[1] else "test"


def spoken_sentences():
    """``{"train": [...], "valid": [...], "test": [...]}``: every sentence of
    the grammar, in a fixed order.

    "anna sees three red boxes" pairs a colour with a thing; "omar teaches
    deep learning today" pairs a verb with a topic. Each (colour, thing) and
    (verb, topic) pair belongs to one split, so every validation and test
    sentence holds a word pair never heard in training, while every single
    word is heard in every split."""
    out = {split: [] for split in PARTS}
    slots = _OBJECT_TEMPLATE
    for name, verb, number in itertools.product(
        _NAMES, slots["verb"], slots["number"]
    ):
        for (i, colour), (j, thing) in itertools.product(
            enumerate(slots["colour"]), enumerate(slots["thing"])
        ):
            out[_pair_split(i, j, 8)].append(
                f"{name} {verb} {number} {colour} {thing}"
            )
    slots = _TOPIC_TEMPLATE
    for name, time in itertools.product(_NAMES, slots["time"]):
        for (i, verb), (j, topic) in itertools.product(
            enumerate(slots["verb"]), enumerate(slots["topic"])
        ):
            out[_pair_split(i, j + 1, 5)].append(
                f"{name} {verb} {topic} {time}"
            )
    return out


def spoken_vocabulary():
    """The sorted words of ``spoken_sentences``' grammar."""
    words = set(_NAMES)
    for slots in (_OBJECT_TEMPLATE, _TOPIC_TEMPLATE):
        for fillers in slots.values():
            words.update(w for filler in fillers for w in filler.split())
    return sorted(words)


def encode_text(text):
    """``"deep"`` -> ``[4, 5, 5, 16]``: CTC labels (1-27) of lower-case
    letters and spaces; 0 is the blank."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    unknown = sorted(set(text) - set(ALPHABET))
    if unknown:
        raise ValueError(
            f"text {text!r} holds characters outside the alphabet: "
            f"{unknown}; use lower-case letters a-z and spaces"
        )
    return [ALPHABET.index(c) + 1 for c in text]


def ctc_min_steps(text):
    """The fewest network steps in which CTC can spell ``text``: one per
    character, and one more (a blank) between two equal neighbours, as in
    the "ee" of "deep"."""
    labels = encode_text(text)
    return len(labels) + sum(a == b for a, b in itertools.pairwise(labels))


def ctc_loss(logits, labels, label_lengths, logit_lengths=None):
    """CTC loss of each sequence in a batch, in MXNet's NumPy mode.

    ``logits`` (batch, frames, labels) are unnormalised scores with label 0
    the blank; ``labels`` (batch, max label length) hold the target labels,
    of which the first ``label_lengths`` count; ``logit_lengths`` (batch,)
    says how many frames count (all if None). Returns (batch,) negative log
    likelihoods. Gluon's ``CTCLoss`` calls a legacy operator that rejects
    NumPy-mode arrays and ``npx`` has none, so this converts to legacy
    arrays and back; gradients flow through."""
    if not isinstance(logits, mx.np.ndarray) or logits.ndim != 3:
        raise TypeError(
            "logits must be an mxnet.np array of shape (batch, frames, "
            f"labels), got {type(logits).__name__} "
            f"{getattr(logits, 'shape', '')}"
        )
    batch, frames, _ = logits.shape
    labels = mx.np.array(labels, dtype="float32", ctx=logits.ctx)
    label_lengths = mx.np.array(label_lengths, dtype="float32", ctx=logits.ctx)
    if labels.ndim != 2 or labels.shape[0] != batch:
        raise ValueError(
            f"labels must have shape ({batch}, max label length), got "
            f"{labels.shape}"
        )
    if label_lengths.shape != (batch,):
        raise ValueError(
            f"label_lengths must have shape ({batch},), got "
            f"{label_lengths.shape}"
        )
    if logit_lengths is None:
        logit_lengths = mx.np.full(
            (batch,), frames, dtype="float32", ctx=logits.ctx
        )
    logit_lengths = mx.np.array(logit_lengths, dtype="float32", ctx=logits.ctx)
    if (
        int(label_lengths.max()) > labels.shape[1]
        or int(logit_lengths.max()) > frames
    ):
        raise ValueError("a length exceeds its padded array")
    loss = mx.nd.ctc_loss(
        logits.transpose(1, 0, 2).as_nd_ndarray(),
        labels.as_nd_ndarray(),
        logit_lengths.as_nd_ndarray(),
        label_lengths.as_nd_ndarray(),
        use_data_lengths=True,
        use_label_lengths=True,
        blank_label="first",
    )
    return loss.as_np_ndarray()


def best_path(logits):
    """The most likely label of each frame, (frames, labels) -> (frames,)."""
    logits = np.asarray(logits)
    if logits.ndim != 2:
        raise ValueError(
            f"logits must have shape (frames, labels), got {logits.shape}"
        )
    return logits.argmax(axis=1)


def collapse(path):
    """CTC's rule from frame labels to text: merge repeats, drop blanks."""
    text, previous = [], BLANK
    for label in np.asarray(path).tolist():
        if label != previous and label != BLANK:
            text.append(ALPHABET[label - 1])
        previous = label
    return "".join(text)


def greedy_decode(logits):
    """Text from (frames, labels) scores: each frame's best label,
    collapsed."""
    return collapse(best_path(logits))


def alignment(path):
    """A frame path as a string, one character a frame, blank as ``-``."""
    return "".join(
        "-" if label == BLANK else ALPHABET[label - 1]
        for label in np.asarray(path).tolist()
    )


def edit_distance(reference, hypothesis):
    """Levenshtein distance between two sequences (strings or word lists):
    the fewest substitutions, deletions and insertions that turn one into the
    other."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (ref != hyp),
                )
            )
        previous = current
    return previous[-1]


def _edits_and_length(reference, hypothesis, unit):
    """Edits from ``reference`` to ``hypothesis``, and the reference's
    length, in characters or words."""
    split = list if unit == "char" else str.split
    return (
        edit_distance(split(reference), split(hypothesis)),
        len(split(reference)),
    )


def _check_transcripts(references, hypotheses, unit):
    if unit not in ("char", "word"):
        raise ValueError(f"unit must be 'char' or 'word', got {unit!r}")
    if isinstance(references, str) or isinstance(hypotheses, str):
        raise TypeError("pass lists of sentences, not a single string")
    if len(references) != len(hypotheses) or not references:
        raise ValueError(
            f"need as many hypotheses as references (at least one), got "
            f"{len(references)} and {len(hypotheses)}"
        )
    if any(not reference.strip() for reference in references):
        raise ValueError("a reference sentence is empty")


def error_rate(references, hypotheses, unit="char"):
    """Corpus character (``unit="char"``) or word (``"word"``) error rate:
    all edits over all reference characters or words, as ``jiwer`` counts."""
    _check_transcripts(references, hypotheses, unit)
    edits, total = np.sum(
        [
            _edits_and_length(ref, hyp, unit)
            for ref, hyp in zip(references, hypotheses, strict=True)
        ],
        axis=0,
    )
    return float(edits / total)


def error_rate_interval(
    references, hypotheses, unit="char", level=0.95, num_resamples=2000, seed=0
):
    """Bootstrap interval of ``error_rate`` over sentences: resample the
    sentences with replacement, since errors cluster in sentences."""
    _check_transcripts(references, hypotheses, unit)
    per_sentence = np.array(
        [
            _edits_and_length(ref, hyp, unit)
            for ref, hyp in zip(references, hypotheses, strict=True)
        ]
    )
    picks = np.random.default_rng(seed).integers(
        0, len(per_sentence), (num_resamples, len(per_sentence))
    )
    sums = per_sentence[picks].sum(axis=1)
    rates = sums[:, 0] / sums[:, 1]
    tail = (1 - level) / 2
    return (
        float(np.quantile(rates, tail)),
        float(np.quantile(rates, 1 - tail)),
    )


def ctc_batches(features, texts, batch_size, stride, shuffle=False, seed=0):
    """Minibatches for CTC training from log-mel ``features`` (a list of
    (bands, frames) arrays) and the ``texts`` they say.

    Clips of similar length share a batch, so little is padded (with 0, a
    standardised band's mean). Yields ``(X, labels, label_lengths,
    step_lengths, index)``: X (batch, bands, frames), the padded labels,
    how many labels and how many network steps (frames over ``stride``,
    rounded up) count in each row, and the clips' indices.
    With ``shuffle`` the order of the batches is drawn from ``seed``.
    A clip with fewer steps than its text needs (``ctc_min_steps``) is an
    error: no path could spell it."""
    if len(features) != len(texts) or not texts:
        raise ValueError(
            f"need one text per clip, got {len(features)} clips and "
            f"{len(texts)} texts"
        )
    batch_size = check_positive_int(batch_size, "batch_size")
    stride = check_positive_int(stride, "stride")
    lengths = np.array([f.shape[1] for f in features])
    steps = -(-lengths // stride)
    for i, text in enumerate(texts):
        if steps[i] < ctc_min_steps(text):
            raise ValueError(
                f"clip {i} gives {steps[i]} steps at stride {stride}, but "
                f"CTC needs {ctc_min_steps(text)} to spell {text!r}; use a "
                "smaller stride"
            )
    order = np.argsort(lengths, kind="stable")
    groups = [
        order[i : i + batch_size] for i in range(0, len(order), batch_size)
    ]
    if shuffle:
        np.random.default_rng(seed).shuffle(groups)
    for index in groups:
        frames = steps[index].max() * stride
        X = np.zeros((len(index), features[0].shape[0], frames), np.float32)
        for row, i in enumerate(index):
            X[row, :, : lengths[i]] = features[i]
        encoded = [encode_text(texts[i]) for i in index]
        labels = np.zeros((len(index), max(map(len, encoded))), np.float32)
        for row, label in enumerate(encoded):
            labels[row, : len(label)] = label
        yield (
            X,
            labels,
            np.array([len(label) for label in encoded]),
            steps[index],
            index,
        )


def mask_features(X, rng, max_bands=6, max_frames=8):
    """SpecAugment's masks: zero one random run of up to ``max_bands`` mel
    bands and two of up to ``max_frames`` frames in each clip of the batch
    ``X`` (batch, bands, frames), so the network cannot lean on any one
    band or moment."""
    X = X.copy()
    batch, bands, frames = X.shape
    for row in range(batch):
        start = rng.integers(0, bands)
        X[row, start : start + rng.integers(0, max_bands + 1)] = 0
        for _ in range(2):
            start = rng.integers(0, frames)
            X[row, :, start : start + rng.integers(0, max_frames + 1)] = 0
    return X
