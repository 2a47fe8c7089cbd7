"""Tests of mlbook.sequences' speech-recognition half: the sentence grammar
and its splits, the CTC loss wrapper (against brute force over all paths),
greedy decoding, and the error rates (against jiwer)."""

import itertools

import mlbook  # noqa: F401  (imports MXNet the way the book does)
from mlbook import audio, speech
from mlbook import sequences as seq

import jiwer
import numpy as np
import pandas as pd
import pytest
from mxnet import autograd
from mxnet import np as mnp

RNG = np.random.default_rng(0)


# ------------------------------------------------------------------ sentences
def test_every_held_out_sentence_holds_a_word_pair_training_never_had():
    sentences = seq.spoken_sentences()
    train_pairs = {
        pair
        for s in sentences["train"]
        for pair in zip(s.split(), s.split()[1:], strict=False)
    }
    for split in ("valid", "test"):
        assert not set(sentences[split]) & set(sentences["train"])
        for s in sentences[split]:
            words = s.split()
            assert set(zip(words, words[1:], strict=False)) - train_pairs


def test_every_word_is_heard_in_every_split():
    sentences = seq.spoken_sentences()
    for split in seq.PARTS:
        heard = {w for s in sentences[split] for w in s.split()}
        assert heard == set(seq.spoken_vocabulary())
    assert len(seq.spoken_vocabulary()) >= 50
    assert "deep learning" in " ".join(sentences["test"])


def test_encode_text_checks_its_alphabet():
    assert seq.encode_text("deep") == [5, 6, 6, 17]
    assert seq.encode_text("a b") == [2, 1, 3]
    with pytest.raises(ValueError, match="outside the alphabet"):
        seq.encode_text("Deep")
    with pytest.raises(ValueError, match="non-empty"):
        seq.encode_text("")


# ------------------------------------------------------------------------ CTC
def brute_force_ctc(logits, label):
    """-log of the summed probability of every frame path that collapses to
    ``label``."""
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    frames, num_labels = logits.shape
    total = 0.0
    for path in itertools.product(range(num_labels), repeat=frames):
        merged = [k for k, _ in itertools.groupby(path) if k != seq.BLANK]
        if merged == list(label):
            total += np.prod(probs[np.arange(frames), path])
    return -np.log(total)


def test_ctc_loss_matches_brute_force():
    logits = RNG.normal(size=(3, 5, 4)).astype(np.float32)
    labels = np.array([[1, 2, 0], [3, 3, 0], [1, 2, 1]])
    lengths = [2, 2, 3]
    frames = [5, 4, 5]  # the second sequence has one frame of padding
    got = seq.ctc_loss(mnp.array(logits), labels, lengths, frames)
    assert got.shape == (3,)
    for i in range(3):
        expected = brute_force_ctc(
            logits[i, : frames[i]], labels[i, : lengths[i]]
        )
        assert float(got[i]) == pytest.approx(expected, rel=1e-4)


def test_ctc_loss_gradients_flow_and_lower_the_loss():
    logits = mnp.array(RNG.normal(size=(2, 6, 4)).astype(np.float32))
    labels = np.array([[1, 2], [3, 0]])
    logits.attach_grad()
    with autograd.record():
        loss = seq.ctc_loss(logits, labels, [2, 1]).sum()
    loss.backward()
    grad = logits.grad.asnumpy()
    assert np.abs(grad).sum() > 0
    # each frame's gradient is softmax minus a distribution: it sums to 0
    np.testing.assert_allclose(grad.sum(axis=2), 0, atol=1e-5)
    stepped = logits - 0.5 * logits.grad
    assert float(seq.ctc_loss(stepped, labels, [2, 1]).sum()) < float(loss)


def test_ctc_loss_rejects_wrong_shapes_and_types():
    logits = mnp.zeros((2, 5, 4))
    with pytest.raises(TypeError, match="mxnet.np array"):
        seq.ctc_loss(np.zeros((2, 5, 4)), [[1], [2]], [1, 1])
    with pytest.raises(TypeError, match="batch, frames, labels"):
        seq.ctc_loss(mnp.zeros((5, 4)), [[1], [2]], [1, 1])
    with pytest.raises(ValueError, match="labels must have shape"):
        seq.ctc_loss(logits, [[1], [2], [3]], [1, 1])
    with pytest.raises(ValueError, match="label_lengths must have shape"):
        seq.ctc_loss(logits, [[1], [2]], [1, 1, 1])
    with pytest.raises(ValueError, match="exceeds"):
        seq.ctc_loss(logits, [[1], [2]], [1, 2])
    with pytest.raises(ValueError, match="exceeds"):
        seq.ctc_loss(logits, [[1], [2]], [1, 1], [5, 6])


def test_ctc_min_steps_counts_a_blank_between_equal_letters():
    assert seq.ctc_min_steps("cat") == 3
    assert seq.ctc_min_steps("deep") == 5
    assert seq.ctc_min_steps("all ll") == 8  # "ll" twice; " l" is no pair


def test_ctc_batches_pad_sort_and_refuse_clips_too_short_to_spell():
    texts = ["deep", "a cat", "ok"]
    features = [np.ones((3, n), np.float32) for n in (10, 13, 4)]
    batches = list(seq.ctc_batches(features, texts, 2, stride=2))
    assert [list(b[4]) for b in batches] == [[2, 0], [1]]
    X, labels, label_lengths, steps, _ = batches[0]
    assert X.shape == (2, 3, 10) and X[0, :, 4:].sum() == 0
    assert list(label_lengths) == [2, 4] and list(steps) == [2, 5]
    assert list(labels[1]) == seq.encode_text("deep")
    with pytest.raises(ValueError, match="clip 0 gives 2 steps .* needs 5"):
        next(seq.ctc_batches(features, texts, 2, stride=5))
    with pytest.raises(ValueError, match="one text per clip"):
        next(seq.ctc_batches(features, texts[:2], 2, stride=2))
    with pytest.raises(ValueError, match="stride must be at least 1"):
        next(seq.ctc_batches(features, texts, 2, stride=0))


# ------------------------------------------------------------------- decoding
def test_greedy_decoding_merges_repeats_and_drops_blanks():
    path = [0, 5, 5, 0, 6, 6, 0, 6, 17, 1, 0]
    assert seq.collapse(path) == "deep "
    assert seq.alignment(path) == "-dd-ee-ep -"
    logits = np.eye(28)[path] * 3.0
    assert seq.greedy_decode(logits) == "deep "
    with pytest.raises(ValueError, match="frames, labels"):
        seq.greedy_decode(np.zeros(5))


# ----------------------------------------------------------------- error rates
def test_edit_distance_counts_the_fewest_edits():
    assert seq.edit_distance("kitten", "sitting") == 3
    assert seq.edit_distance("", "abc") == 3
    assert seq.edit_distance("abc".split(), "abc".split()) == 0


def test_error_rates_agree_with_jiwer():
    words = seq.spoken_vocabulary()
    references, hypotheses = [], []
    for _ in range(40):
        reference = list(RNG.choice(words, size=RNG.integers(3, 7)))
        hypothesis = [
            w[: RNG.integers(1, len(w) + 1)] if RNG.random() < 0.3 else w
            for w in reference
            if RNG.random() > 0.1
        ] + (["extra"] if RNG.random() < 0.2 else [])
        references.append(" ".join(reference))
        hypotheses.append(" ".join(hypothesis) or "a")
    assert seq.error_rate(references, hypotheses, "char") == pytest.approx(
        jiwer.cer(references, hypotheses)
    )
    assert seq.error_rate(references, hypotheses, "word") == pytest.approx(
        jiwer.wer(references, hypotheses)
    )


def test_error_rates_check_their_arguments():
    with pytest.raises(ValueError, match="unit"):
        seq.error_rate(["a b"], ["a b"], "letter")
    with pytest.raises(TypeError, match="lists"):
        seq.error_rate("a b", "a b")
    with pytest.raises(ValueError, match="as many"):
        seq.error_rate(["a b"], [])
    with pytest.raises(ValueError, match="empty"):
        seq.error_rate([" "], ["a"])


def test_error_rate_interval_brackets_the_rate():
    references = ["anna sees two red boxes"] * 30
    hypotheses = ["ana sees two red boxes"] * 20 + references[:10]
    rate = seq.error_rate(references, hypotheses, "word")
    low, high = seq.error_rate_interval(references, hypotheses, "word")
    assert low < rate < high
    assert (low, high) == seq.error_rate_interval(
        references, hypotheses, "word"
    )
    perfect = seq.error_rate_interval(references, references, "char")
    assert perfect == (0.0, 0.0)


# ------------------------------------------------------- speech.noisy_copies
def small_bank():
    t = np.arange(audio.SAMPLE_RATE // 2) / audio.SAMPLE_RATE
    clips = [0.3 * np.sin(2 * np.pi * f * t) for f in (200, 300, 450)]
    samples = np.concatenate(clips)
    offsets = np.arange(4) * len(t)
    table = pd.DataFrame({"text": ["a", "b", "c"], "voice": ["en"] * 3})
    return speech.ClipBank(
        np.round(samples * 32767).astype(np.int16), offsets, table
    )


def test_noisy_copies_pad_and_reach_the_drawn_snr():
    bank = small_bank()
    clips, drawn = speech.noisy_copies(
        bank, (0, 20), seed=1, kinds=("white",), pad_seconds=0.1
    )
    pad = audio.SAMPLE_RATE // 10
    assert list(drawn["noise"]) == ["white"] * 3
    for i, clip in enumerate(clips):
        assert len(clip) == len(bank[i]) + 2 * pad
        background = clip - np.pad(bank[i], pad)
        snr = 20 * np.log10(speech.rms(bank[i]) / speech.rms(background))
        assert snr == pytest.approx(drawn["snr_db"][i], abs=0.2)
    again, _ = speech.noisy_copies(
        bank, (0, 20), seed=1, kinds=("white",), pad_seconds=0.1
    )
    assert all(np.array_equal(a, b) for a, b in zip(clips, again, strict=True))


def test_noisy_copies_check_their_arguments():
    with pytest.raises(ValueError, match="ClipBank"):
        speech.noisy_copies([np.zeros(100)], (0, 10), seed=0)
    with pytest.raises(ValueError, match="unknown noise kind"):
        speech.noisy_copies(small_bank(), (0, 10), seed=0, kinds=("rain",))
    with pytest.raises(ValueError, match="range"):
        speech.noisy_copies(small_bank(), (10, 0), seed=0)
    with pytest.raises(ValueError, match="pad_seconds"):
        speech.noisy_copies(small_bank(), (0, 10), seed=0, pad_seconds=-1)


# ------------------------------------------------------------ speech.phonemes
def test_phonemes_come_in_ipa_and_depend_on_the_accent():
    assert speech.phonemes("hello", "en-us") == "həlˈoʊ"
    american = speech.phonemes("deep learning", "en-us")
    scottish = speech.phonemes("deep learning", "en-gb-scotland")
    assert american.startswith("dˈiːp") and american != scottish
    with pytest.raises(ValueError, match="non-empty"):
        speech.phonemes("  ")
    with pytest.raises(ValueError, match="unknown accent"):
        speech.phonemes("hello", "fr")


# -------------------------------------------------------- audio.log_mel_clips
def test_log_mel_clips_equals_one_clip_at_a_time():
    clips = [
        RNG.normal(scale=0.1, size=n).astype(np.float32)
        for n in (400, 401, 1000, 3333, 16000)
    ]
    for alone, together in zip(
        [audio.log_mel(c) for c in clips],
        audio.log_mel_clips(clips),
        strict=True,
    ):
        assert alone.shape == together.shape
        np.testing.assert_allclose(alone, together, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="empty"):
        audio.log_mel_clips([])
    with pytest.raises(ValueError, match="too short"):
        audio.log_mel_clips([np.zeros(100, np.float32)])
