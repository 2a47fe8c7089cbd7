"""Tests of mlbook.audio (features, against librosa) and mlbook.speech
(synthesis, cache, noise, streams)."""

import ctypes.util
import json
import os
import re
import subprocess
import sys

import mlbook  # noqa: F401  (imports MXNet the way the book does)
from mlbook import audio, speech

import librosa
import numpy as np
import pandas as pd
import pytest

RNG = np.random.default_rng(0)
NOISE = (0.1 * RNG.standard_normal(3 * audio.SAMPLE_RATE)).astype(np.float32)


# -------------------------------------------------------------------- features
def test_mel_filterbank_matches_librosa():
    expected = librosa.filters.mel(
        sr=16000, n_fft=400, n_mels=40, fmin=20.0, fmax=8000.0
    )
    np.testing.assert_allclose(
        audio.mel_filterbank(), expected, rtol=1e-5, atol=1e-8
    )


def test_mel_scale_round_trips():
    freqs = np.array([0.0, 300.0, 1000.0, 4000.0, 8000.0])
    np.testing.assert_allclose(
        audio.mel_to_hz(audio.hz_to_mel(freqs)), freqs, atol=1e-6
    )
    np.testing.assert_allclose(
        audio.hz_to_mel(freqs), librosa.hz_to_mel(freqs), rtol=1e-6
    )


def test_power_spectrogram_matches_librosa_stft():
    expected = (
        np.abs(
            librosa.stft(
                NOISE, n_fft=400, hop_length=160, center=False, window="hann"
            )
        )
        ** 2
    )
    got = audio.power_spectrogram(NOISE)
    assert got.shape == expected.T.shape
    np.testing.assert_allclose(
        got, expected.T, rtol=1e-4, atol=1e-4 * expected.max()
    )


def test_log_mel_matches_librosa():
    mel = librosa.feature.melspectrogram(
        y=NOISE,
        sr=16000,
        n_fft=400,
        hop_length=160,
        center=False,
        n_mels=40,
        fmin=20.0,
    )
    np.testing.assert_allclose(
        audio.log_mel(NOISE), np.log(mel + audio.LOG_FLOOR), atol=1e-4
    )


def test_log_mel_shapes_and_windows_cut_from_a_long_recording():
    one_second = audio.log_mel(NOISE[:16000])
    assert one_second.shape == (40, 98) == (40, audio.num_frames(16000))
    batch = audio.log_mel(np.stack([NOISE[:16000], NOISE[1600:17600]]))
    assert batch.shape == (2, 40, 98)
    long = audio.log_mel(
        NOISE, batch_frames=37
    )  # uneven batches give the same frames
    np.testing.assert_allclose(batch[1], long[:, 10:108], atol=1e-4)
    np.testing.assert_allclose(long, audio.log_mel(NOISE), atol=1e-5)


def test_pcen_matches_librosa():
    features = audio.log_mel(NOISE)
    energy = np.exp(features.astype(np.float64))
    # librosa's smoother starts from 1; ours from the first frame's energy
    frames = 0.4 * 16000 / 160
    weight = (np.sqrt(1 + 4 * frames**2) - 1) / (2 * frames**2)
    expected = librosa.pcen(
        energy,
        sr=16000,
        hop_length=160,
        gain=0.98,
        bias=2.0,
        power=0.5,
        time_constant=0.4,
        eps=audio.LOG_FLOOR,
        zi=(1 - weight) * energy[:, :1],
    )
    np.testing.assert_allclose(audio.pcen(features), expected, atol=1e-5)


def test_pcen_flattens_steady_noise_whatever_its_level():
    """The page: a steady sound comes out as a faint, flat floor at nearly the
    same height whatever its level, unlike in the log-mel."""
    quiet = audio.log_mel(NOISE)
    loud = audio.log_mel(10 * NOISE)  # 20 dB louder
    assert np.abs(loud - quiet).min() > 4  # log(100), shifted
    settled = slice(100, None)  # after the first second
    difference = audio.pcen(loud)[:, settled] - audio.pcen(quiet)[:, settled]
    # a gain of 0.98, not 1, leaves 100 ** 0.02 of the level in the ratio
    assert np.abs(difference).max() < 0.15
    # white noise after PCEN: faint, and flatter than its log-mel
    floor = audio.pcen(quiet)[:, settled]
    assert floor.mean() < 0.5 and floor.std() < 0.3 * quiet.std()
    assert floor.dtype == np.float32
    # while a sound that starts stands out: noise 20 dB louder from 3 s on
    step = audio.pcen(audio.log_mel(np.concatenate([NOISE, 10 * NOISE])))
    onset = step[:, len(quiet[0]) : len(quiet[0]) + 10]
    assert onset.max(axis=1).min() > 10 * floor.mean()


def test_pcen_of_a_batch_is_pcen_of_each_and_checks_its_input():
    features = audio.log_mel(np.stack([NOISE[:16000], 3 * NOISE[:16000]]))
    batch = audio.pcen(features)
    assert batch.shape == (2, 40, 98)
    for one, alone in zip(batch, features, strict=True):
        np.testing.assert_array_equal(one, audio.pcen(alone))
    with pytest.raises(ValueError, match=r"\(40, frames\)"):
        audio.pcen(np.zeros((13, 98)))


@pytest.mark.parametrize(
    "bad, sample_rate, error, match",
    [
        (NOISE, 44100, ValueError, "16000 Hz"),
        ((NOISE * 32767).astype(np.int16), 16000, TypeError, "floats"),
        (NOISE.tolist(), 16000, TypeError, "NumPy array"),
        (NOISE.reshape(3, -1, 1), 16000, ValueError, "shape"),
        (NOISE[:100], 16000, ValueError, "too short"),
    ],
)
def test_check_audio_rejects_bad_audio(bad, sample_rate, error, match):
    with pytest.raises(error, match=match):
        audio.check_audio(bad, sample_rate, min_samples=400)


def test_mel_filterbank_rejects_bad_ranges():
    with pytest.raises(ValueError, match="fmin < fmax"):
        audio.mel_filterbank(fmin=9000.0)


# ------------------------------------------------------------------- synthesis
def test_voices_cover_accents_and_variants():
    variants = speech.voice_variants()
    assert len(variants) > 50 and "f3" in variants
    assert len(speech.english_voices()) == len(speech.ACCENTS) * len(variants)


@pytest.mark.parametrize("seed", [0, 1, 3])
def test_split_voices_holds_out_whole_families(seed):
    splits = speech.split_voices(num_valid=12, num_test=24, seed=seed)
    families = speech.voice_families()
    family_sets = {
        name: {families[v.split("+")[1]] for v in voices}
        for name, voices in splits.items()
    }
    variants = {
        name: {v.split("+")[1] for v in voices}
        for name, voices in splits.items()
    }
    assert len(variants["valid"]) >= 12 and len(variants["test"]) >= 24
    assert not family_sets["train"] & family_sets["test"]
    assert not family_sets["train"] & family_sets["valid"]
    assert not family_sets["valid"] & family_sets["test"]
    assert set().union(*variants.values()) == set(speech.voice_variants())
    assert splits == speech.split_voices(num_valid=12, num_test=24, seed=seed)
    with pytest.raises(ValueError, match="num_valid"):
        speech.split_voices(num_valid=0)


@pytest.mark.parametrize("seed", [0, 1])
def test_split_voices_can_cap_the_versions_a_held_out_family_lends(seed):
    families = speech.voice_families()
    capped = speech.split_voices(
        num_valid=16, num_test=22, seed=seed, versions=2
    )
    family_sets = {}
    for name, voices in capped.items():
        per_family = (
            pd.Series([v.split("+")[1] for v in voices])
            .drop_duplicates()
            .map(families)
            .value_counts()
        )
        family_sets[name] = set(per_family.index)
        if name != "train":
            assert per_family.max() <= 2
    assert not family_sets["train"] & (
        family_sets["valid"] | family_sets["test"]
    )
    assert not family_sets["valid"] & family_sets["test"]
    heard = {v.split("+")[1] for voices in capped.values() for v in voices}
    left_out = set(speech.voice_variants()) - heard
    assert left_out  # RicishayMax alone has 13 versions
    assert {families[v] for v in left_out} <= (
        family_sets["valid"] | family_sets["test"]
    )
    with pytest.raises(TypeError, match="versions"):
        speech.split_voices(versions=1.5)


def test_versions_of_one_voice_share_a_family():
    """The near twins that a split by variant name let straddle train and
    test."""
    families = speech.voice_families()
    for group in (
        ["steph", "steph2", "steph3"],
        ["RicishayMax", "RicishayMax2", "RicishayMax3"],
        ["robosoft", "robosoft2", "robosoft3", "robosoft6", "robosoft8"],
        ["Andy", "AnxiousAndy"],
        ["whisper", "whisperf"],
        ["edward", "edward2"],
        ["klatt", "klatt4"],
    ):
        assert len({families[v] for v in group}) == 1, group
    assert families["m1"] != families["m2"]  # distinct voices stay apart
    assert len(set(families.values())) > 50


def test_synthesize_speaks_at_16_khz():
    clip = speech.synthesize("hello there", "en-us+f3")
    assert clip.dtype == np.float32 and clip.ndim == 1
    assert 0.4 < len(clip) / audio.SAMPLE_RATE < 1.5
    assert 0.05 < np.abs(clip).max() <= 1.0
    # eSpeak's voice has its energy in speech frequencies, below 4 kHz
    power = audio.power_spectrogram(clip).sum(axis=0)
    assert power[:100].sum() > 0.9 * power.sum()


def test_synthesize_is_deterministic_whatever_came_before():
    first = speech.synthesize(
        "apricot", "en-gb-scotland+m3", rate=180, pitch=40
    )
    speech.synthesize("something else entirely", "en-us+whisper")
    again = speech.synthesize(
        "apricot", "en-gb-scotland+m3", rate=180, pitch=40
    )
    np.testing.assert_array_equal(first, again)


def test_rate_and_pitch_change_the_clip():
    slow = speech.synthesize("apricot", "en-us", rate=120)
    fast = speech.synthesize("apricot", "en-us", rate=300)
    assert len(slow) > 1.5 * len(fast)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"text": "", "voice": "en-us"}, ValueError, "non-empty"),
        ({"text": "   ", "voice": "en-us"}, ValueError, "non-empty"),
        ({"text": "hi", "voice": "fr-fr"}, ValueError, "unknown accent"),
        (
            {"text": "hi", "voice": "en-us+nobody"},
            ValueError,
            "unknown voice variant",
        ),
        ({"text": "hi", "voice": 3}, TypeError, "string"),
        ({"text": "hi", "voice": "en-us", "rate": 10}, ValueError, "rate"),
        ({"text": "hi", "voice": "en-us", "pitch": 150}, ValueError, "pitch"),
    ],
)
def test_synthesize_rejects_bad_requests(kwargs, error, match):
    with pytest.raises(error, match=match):
        speech.synthesize(**kwargs)


def _small_plan(seed=0):
    voices = ["en-us+f3", "en-gb-x-rp+m1", "en-029+klatt"]
    return speech.plan_recordings(
        voices,
        [
            (["hey jarvis"], 2),
            (["apricot"], 1),
            (["hello", "kitchen", "seven o'clock"], 3),
        ],
        seed=seed,
    )


def test_plan_recordings_is_a_seeded_table():
    plan = _small_plan()
    assert list(plan.columns) == ["voice", "text", "rate", "pitch", "word_gap"]
    assert len(plan) == 3 * 6
    assert (plan["text"] == "hey jarvis").sum() == 6
    assert (
        plan["rate"].between(155, 220).all()
        and plan["pitch"].between(35, 65).all()
    )
    pd.testing.assert_frame_equal(plan, _small_plan())
    assert not plan.equals(_small_plan(seed=1))


@pytest.mark.parametrize(
    "voices, takes, match",
    [
        ([], [(["hi"], 1)], "voices is empty"),
        (["en-us"], [], "takes is empty"),
        (["en-us"], [([""], 1)], "non-empty"),
        (["en-us"], [(["hi"], -1)], "whole numbers"),
        (["xx"], [(["hi"], 1)], "unknown accent"),
    ],
)
def test_plan_recordings_rejects_bad_input(voices, takes, match):
    with pytest.raises(ValueError, match=match):
        speech.plan_recordings(voices, takes)


def test_record_caches_and_detects_damaged_files(tmp_path):
    plan = _small_plan()
    bank = speech.record(plan, cache_dir=tmp_path)
    assert len(bank) == len(plan) and "18 clips" in repr(bank)
    first = speech.synthesize(
        plan["text"][0],
        plan["voice"][0],
        plan["rate"][0],
        plan["pitch"][0],
        plan["word_gap"][0],
    )
    np.testing.assert_allclose(
        bank[0], first, atol=1 / 32768
    )  # stored as 16-bit
    files = list(tmp_path.glob("clips-*.npz"))
    assert len(files) == 1
    cached = speech.record(plan, cache_dir=tmp_path)
    np.testing.assert_array_equal(cached.samples, bank.samples)
    files[0].write_bytes(files[0].read_bytes()[:1000])  # a truncated download
    again = speech.record(plan, cache_dir=tmp_path)
    np.testing.assert_array_equal(again.samples, bank.samples)
    with np.load(files[0]) as saved:  # rewritten, intact
        np.testing.assert_array_equal(saved["samples"], bank.samples)


def test_record_gives_the_same_clips_whatever_the_number_of_workers(
    tmp_path, monkeypatch
):
    # eSpeak carries state from clip to clip, so each chunk of the plan gets
    # a fresh engine: which process makes a chunk must not matter.
    monkeypatch.setattr(speech, "CHUNK_ROWS", 5)  # 18 rows: four chunks
    banks = {}
    for workers in ["1", "3"]:
        monkeypatch.setenv("MLBOOK_WORKERS", workers)
        banks[workers] = speech.record(
            _small_plan(), cache_dir=tmp_path / workers
        )
    np.testing.assert_array_equal(banks["1"].samples, banks["3"].samples)
    np.testing.assert_array_equal(banks["1"].offsets, banks["3"].offsets)
    monkeypatch.setenv("MLBOOK_WORKERS", "none")
    with pytest.raises(ValueError, match="MLBOOK_WORKERS"):
        speech.record(_small_plan(), cache_dir=tmp_path / "bad")


def test_record_of_several_plans_gives_each_its_own_bank(
    tmp_path, monkeypatch
):
    # one pass of the workers for all plans, one cache file for each: the
    # same banks as recording the plans one by one
    monkeypatch.setattr(speech, "CHUNK_ROWS", 5)  # chunks cross no plan
    monkeypatch.setenv("MLBOOK_WORKERS", "3")
    plans = {"a": _small_plan(), "b": _small_plan(seed=1).iloc[:7]}
    alone = speech.record(plans["a"], cache_dir=tmp_path / "alone")
    banks = speech.record(plans, cache_dir=tmp_path / "both")
    assert list(banks) == ["a", "b"] and len(banks["b"]) == 7
    np.testing.assert_array_equal(banks["a"].samples, alone.samples)
    one = speech.record(plans["b"], cache_dir=tmp_path / "one")
    np.testing.assert_array_equal(banks["b"].samples, one.samples)
    np.testing.assert_array_equal(banks["b"].offsets, one.offsets)
    assert len(list((tmp_path / "both").glob("clips-*.npz"))) == 2
    monkeypatch.setattr(speech, "_synthesize_chunk", None)  # all cached now
    cached = speech.record(plans, cache_dir=tmp_path / "both")
    np.testing.assert_array_equal(cached["b"].samples, one.samples)
    with pytest.raises(ValueError, match="nothing to record"):
        speech.record({}, cache_dir=tmp_path)


def test_read_npz_gives_what_np_load_gives(tmp_path):
    arrays = {
        "samples": np.arange(-5, 5, dtype=np.int16),
        "offsets": np.array([0, 3, 10], np.int64),
        "key": np.array("a key"),
        "grid": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    }
    np.savez(tmp_path / "a.npz", **arrays)
    read = speech._read_npz(tmp_path / "a.npz")
    assert read.keys() == arrays.keys()
    for name, array in arrays.items():
        assert read[name].dtype == array.dtype
        np.testing.assert_array_equal(read[name], array)
    np.savez_compressed(tmp_path / "b.npz", **arrays)
    with pytest.raises(ValueError, match="compressed"):
        speech._read_npz(tmp_path / "b.npz")


def test_record_leaves_another_writers_partial_file_alone(tmp_path):
    # Two notebooks synthesizing one plan at once used to write the same
    # partial file, and the second rename found it gone (FileNotFoundError).
    plan = _small_plan()
    speech.record(plan, cache_dir=tmp_path)
    (done,) = tmp_path.glob("clips-*.npz")
    done.unlink()
    others = [
        done.with_suffix(".partial.npz"),  # the one name writers shared
        tmp_path / f"{done.stem}.12345.partial.npz",
    ]
    for other in others:
        other.write_bytes(b"another writer, halfway")
    bank = speech.record(plan, cache_dir=tmp_path)
    for other in others:
        assert other.read_bytes() == b"another writer, halfway"
    with np.load(done) as saved:
        np.testing.assert_array_equal(saved["samples"], bank.samples)
    assert len(list(tmp_path.glob("*.partial.npz"))) == 2  # none of ours
    assert done.stat().st_mode & 0o777 == 0o644  # readable like any cache


def test_cache_rejects_a_file_whose_samples_were_altered(tmp_path):
    plan = _small_plan()
    bank = speech.record(plan, cache_dir=tmp_path)
    path = next(tmp_path.glob("clips-*.npz"))
    with np.load(path) as saved:
        fields = dict(saved)
    fields["samples"] = fields["samples"].copy()
    fields["samples"][100] += 1
    np.savez(path, **fields)
    assert speech._load_bank(path, str(fields["key"]), plan) is None
    np.testing.assert_array_equal(
        speech.record(plan, cache_dir=tmp_path).samples, bank.samples
    )


def test_record_rejects_bad_plans(tmp_path):
    with pytest.raises(TypeError, match="plan_recordings"):
        speech.record([("en-us", "hi")], cache_dir=tmp_path)
    with pytest.raises(ValueError, match="empty"):
        speech.record(_small_plan().iloc[:0], cache_dir=tmp_path)


def test_clip_bank_select_keeps_the_clips():
    bank = speech.record(_small_plan())
    apricots = bank.select(bank.table["text"] == "apricot")
    assert len(apricots) == 3 and set(apricots.table["text"]) == {"apricot"}
    index = np.flatnonzero(bank.table["text"] == "apricot")
    np.testing.assert_array_equal(apricots[1], bank[index[1]])


# ----------------------------------------------------------------------- noise
def _band_power(x, low, high):
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / audio.SAMPLE_RATE)
    return power[(freqs >= low) & (freqs < high)].sum()


def test_noise_kinds_have_unit_power_and_their_spectra():
    rng = np.random.default_rng(1)
    for kind in ("white", "pink", "hum"):
        x = speech.noise(kind, 2**16, rng)
        assert x.dtype == np.float32 and abs(np.sqrt(np.mean(x**2)) - 1) < 0.01
    white, pink = (
        speech.noise("white", 2**18, rng),
        speech.noise("pink", 2**18, rng),
    )
    # equal-width bands: white noise has equal power in each, pink noise 1/f
    # less up high
    assert (
        0.8
        < _band_power(white, 100, 200) / _band_power(white, 1000, 1100)
        < 1.25
    )
    assert 7 < _band_power(pink, 100, 200) / _band_power(pink, 1000, 1100) < 13
    hum = speech.noise("hum", 2**16, rng)
    assert _band_power(hum, 45, 65) + _band_power(
        hum, 95, 185
    ) > 0.5 * _band_power(hum, 0, 8000)


def test_babble_overlaps_speech_and_needs_a_bank():
    bank = speech.record(_small_plan())
    x = speech.noise("babble", 32000, np.random.default_rng(0), bank)
    assert x.shape == (32000,) and abs(x.std() - 1) < 0.01
    with pytest.raises(ValueError, match="ClipBank"):
        speech.noise("babble", 100, np.random.default_rng(0))
    with pytest.raises(ValueError, match="unknown noise kind"):
        speech.noise("rain", 100, np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least 1"):
        speech.noise("white", 0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        speech.noise("white", 100, 0)


# ---------------------------------------------------------------------- stream
@pytest.fixture(scope="module")
def bank():
    return speech.record(_small_plan())


def test_make_stream_places_clips_with_their_labels(bank):
    settings = dict(
        seed=4, keywords=["hey jarvis"], keyword_share=0.5, snr_db=(5, 15)
    )
    recording, events = speech.make_stream(bank, 60, **settings)
    assert (
        recording.dtype == np.float32
        and len(recording) == 60 * audio.SAMPLE_RATE
    )
    assert np.abs(recording).max() <= 1
    assert (events["start"].diff().dropna() > 0).all()
    assert (
        events["start"].to_numpy()[1:] > events["stop"].to_numpy()[:-1]
    ).all()
    assert (events["stop"] <= len(recording)).all()
    assert (
        (events["snr_db"].between(5 - 3.1, 15 + 3.1))
        | (events["noise"] == "quiet")
    ).all()
    assert 0.2 < (events["text"] == "hey jarvis").mean() < 0.8
    first = events.iloc[0]
    clip = bank[first["clip"]]
    assert (
        first["stop"] - first["start"] == len(clip)
        and first["text"] == bank.table["text"][first["clip"]]
    )
    again, same = speech.make_stream(bank, 60, **settings)
    np.testing.assert_array_equal(recording, again)
    pd.testing.assert_frame_equal(events, same)


def test_make_stream_warps_each_clip_by_the_speed_drawn(bank):
    """A warped clip is its bank clip played faster or slower: shorter or
    longer by that factor, with every frequency moved by it."""
    settings = dict(seed=4, keywords=["hey jarvis"], keyword_share=0.5)
    _, plain = speech.make_stream(bank, 60, **settings)
    _, warped = speech.make_stream(bank, 60, warp=(0.8, 1.25), **settings)
    speeds = np.array(
        [len(bank[e.clip]) / (e.stop - e.start) for e in warped.itertuples()]
    )
    assert speeds.min() >= 0.8 - 0.01 and speeds.max() <= 1.25 + 0.01
    assert speeds.std() > 0.05  # drawn anew for each clip
    assert (plain["stop"] - plain["start"]).tolist() == [
        len(bank[c]) for c in plain["clip"]
    ]
    tone = np.sin(2 * np.pi * 500 * np.arange(16000) / audio.SAMPLE_RATE)
    faster = speech._warp(tone.astype(np.float32), 1.2)
    assert len(faster) == pytest.approx(16000 / 1.2, abs=1)
    peak = np.argmax(np.abs(np.fft.rfft(faster)))
    assert peak * audio.SAMPLE_RATE / len(faster) == pytest.approx(600, abs=2)
    for bad in [(0.2, 1.0), (1.2, 1.1), (1.0,), 1.2]:
        with pytest.raises(ValueError, match="warp"):
            speech.make_stream(bank, 10, seed=0, warp=bad)


def test_make_stream_rejects_bad_input(bank):
    with pytest.raises(TypeError, match="ClipBank"):
        speech.make_stream([1, 2], 10, seed=0)
    with pytest.raises(ValueError, match="more than 1"):
        speech.make_stream(bank, 0, seed=0)
    with pytest.raises(ValueError, match="no clip"):
        speech.make_stream(bank, 10, seed=0, keywords=["banana"])
    with pytest.raises(ValueError, match="keyword_share"):
        speech.make_stream(bank, 10, seed=0, keyword_share=2)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_make_streams_makes_make_streams_recordings_in_order(
    bank, monkeypatch, workers
):
    monkeypatch.setenv("MLBOOK_WORKERS", workers)
    settings = dict(keywords=["hey jarvis"], keyword_share=0.5, warp=(0.9, 1))
    seeds = [7, 3, 5]
    made = list(speech.make_streams(bank, 20, seeds, **settings))
    heard = list(speech.make_streams(bank, 20, seeds, True, **settings))
    assert len(made) == len(heard) == len(seeds)
    for seed, (recording, events), (features, same) in zip(
        seeds, made, heard, strict=True
    ):
        alone, alone_events = speech.make_stream(bank, 20, seed, **settings)
        np.testing.assert_array_equal(recording, alone)
        np.testing.assert_array_equal(features, audio.log_mel(alone))
        pd.testing.assert_frame_equal(events, alone_events)
        pd.testing.assert_frame_equal(same, alone_events)
    with pytest.raises(ValueError, match="no clip"):
        next(speech.make_streams(bank, 20, seeds, keywords=["banana"]))


def test_make_streams_computes_the_features_it_is_given(bank, monkeypatch):
    monkeypatch.setenv("MLBOOK_WORKERS", "2")
    settings = dict(keywords=["hey jarvis"], keyword_share=0.5)
    made = speech.make_streams(bank, 20, [4, 9], features=np.sqrt, **settings)
    for seed, (features, _) in zip([4, 9], made, strict=True):
        alone, _ = speech.make_stream(bank, 20, seed, **settings)
        np.testing.assert_array_equal(features, np.sqrt(alone))
    with pytest.raises(TypeError, match="function of the samples"):
        next(speech.make_streams(bank, 20, [4], features="pcen", **settings))


def test_make_stream_babbles_only_the_texts_it_is_given(bank, monkeypatch):
    heard = []
    real_babble = speech._babble

    def spy(num_samples, bank, rng, talkers=4, clip_ids=None):
        heard.extend(bank.table["text"][clip_ids])
        return real_babble(num_samples, bank, rng, talkers, clip_ids)

    monkeypatch.setattr(speech, "_babble", spy)
    for seed in range(6):  # enough stretches that some are babble
        speech.make_stream(
            bank,
            60,
            seed=seed,
            keyword_share=0,
            segment_seconds=(5, 10),
            babble_texts=["hello", "kitchen"],
        )
    assert heard and set(heard) == {"hello", "kitchen"}
    with pytest.raises(ValueError, match="babble_texts"):
        speech.make_stream(
            bank, 10, seed=0, keyword_share=0, babble_texts=["banana"]
        )


SYSTEM_ESPEAK = """
import hashlib, json, numpy as np
from mlbook import speech
library, data, source = speech.espeak_source()
clips = [speech.synthesize(text, voice=voice)
         for text in ("hello there", "hey jarvis")
         for voice in ("en-us", "en+f3", "en-gb-scotland+m3")]
audio = np.concatenate(clips)
print(json.dumps({"source": source, "version": speech.espeak_version(),
                  "seconds": [len(c) / 16000 for c in clips],
                  "rms": float(np.sqrt(np.mean(audio ** 2))),
                  "digest": hashlib.sha256(audio.tobytes()).hexdigest()}))
"""


def speak_with(choice):
    result = subprocess.run(
        [sys.executable, "-c", SYSTEM_ESPEAK],
        capture_output=True,
        text=True,
        env={**os.environ, "MLBOOK_ESPEAK": choice},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_system_espeak_is_the_fallback_and_sounds_slightly_different():
    """Linux aarch64 has no espeakng-loader wheel: the system's eSpeak NG
    speaks instead (make test installs Debian's libespeak-ng1 on CI). Another
    version, other samples."""
    if ctypes.util.find_library("espeak-ng") is None:
        pytest.skip(
            "no system eSpeak NG: "
            "`sudo apt install libespeak-ng1 espeak-ng-data`"
        )
    loader, system = speak_with("loader"), speak_with("system")
    assert (
        loader["source"] == "espeakng-loader" and system["source"] == "system"
    )
    assert loader["version"] != system["version"]
    assert (
        all(0.3 < s < 2.0 for s in system["seconds"]) and system["rms"] > 0.01
    )
    assert system["digest"] != loader["digest"]
    assert system == speak_with("system")  # deterministic with either library


# ---------------------------------------------------------------------- texts
def test_household_sentences_are_many_and_hold_no_keyword():
    sentences = speech.household_sentences()
    assert len(sentences) >= 500 and len(set(sentences)) == len(sentences)
    for text in sentences:
        assert "jarvis" not in text.lower() and "apricot" not in text.lower()


def test_household_sentences_are_varied():
    # no one phrasing makes up more than 2 sentences in 100, and every
    # sentence comes from exactly one template
    sentences = speech.household_sentences()
    patterns = [
        re.compile(re.escape(t).replace(r"\{\}", ".+"))
        for _, t in speech._TEMPLATES
    ]
    counts = [sum(map(bool, map(p.fullmatch, sentences))) for p in patterns]
    assert max(counts) <= 0.02 * len(sentences)
    assert sum(counts) == len(sentences)


def test_split_texts_deals_disjoint_sets_of_every_text():
    texts = speech.EVERYDAY_SPEECH + speech.household_sentences()
    parts = speech.split_texts(texts, seed=1)
    train, valid, test = (set(parts[k]) for k in ("train", "valid", "test"))
    assert not train & valid and not train & test and not valid & test
    assert train | valid | test == set(texts)
    assert len(train) > len(valid) > 0 and len(test) > 0
    assert parts == speech.split_texts(texts, seed=1)


def test_split_texts_checks_its_arguments():
    with pytest.raises(ValueError, match="shares"):
        speech.split_texts(["a", "b", "c"], shares=(0.5, 0.5, 0.5))
    with pytest.raises(ValueError, match="at least 3"):
        speech.split_texts(["a", "a", "b"])
