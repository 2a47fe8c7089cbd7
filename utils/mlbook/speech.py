"""Synthetic speech for the chapter "Wake words": voices, clips, noise, and
long recordings of speech over changing background noise, labelled with what
was said where.

Speech comes from the eSpeak NG synthesizer that the ``espeakng-loader``
package ships (its shared library and voice data), driven through ctypes. A
voice is an English accent plus one of eSpeak's voice variants, e.g.
``"en-us+f3"``. Clips are made once, resampled to 16 kHz and cached on disk as
``.npz`` files (no pickle) with a checksum, so a damaged cache file is noticed
and the clips are made again."""

import concurrent.futures
import ctypes
import ctypes.util
import functools
import hashlib
import io
import json
import math
import multiprocessing
import os
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.signal
import threadpoolctl

from .audio import HOP_LENGTH, SAMPLE_RATE, check_audio, log_mel
from .checks import check_positive_int

ACCENTS = (
    "en",
    "en-us",
    "en-029",
    "en-gb-scotland",
    "en-gb-x-gbclan",
    "en-gb-x-gbcwmd",
    "en-gb-x-rp",
    "en-us-nyc",
)
ESPEAK_RATE = 22050  # eSpeak NG's native sample rate
CACHE_DIR = Path.home() / ".cache" / "mlbook" / "speech"
CACHE_VERSION = 2  # 2: clips made in chunks of CHUNK_ROWS fresh engines
CHUNK_ROWS = 256
NOISE_KINDS = ("quiet", "white", "pink", "hum", "babble")
SPEECH_LEVEL = 0.05  # RMS of speech in a stream, about -26 dBFS
QUIET_SNR_DB = 50.0  # how far below speech a "quiet" room's hiss lies

# Everyday words and phrases: the speech a wake-word detector hears all day and
# must ignore.
EVERYDAY_SPEECH = (
    "hello",
    "okay",
    "yes",
    "no",
    "maybe",
    "stop",
    "play",
    "pause",
    "music",
    "lights",
    "kitchen",
    "weather",
    "tomorrow",
    "morning",
    "evening",
    "coffee",
    "timer",
    "seven",
    "twelve",
    "twenty",
    "hundred",
    "thank you",
    "good night",
    "good morning",
    "what time is it",
    "turn on the lights",
    "turn off the radio",
    "set a timer",
    "call my mother",
    "how are you",
    "the meeting starts at noon",
    "pass me the salt",
    "where are my keys",
    "it is raining again",
    "let us go outside",
    "open the window",
    "volume up",
    "next song",
    "remind me later",
    "dinner is ready",
    "see you soon",
    "banana",
    "orange juice",
    "computer",
    "garden",
    "paper",
    "window",
    "yesterday",
    "chocolate",
    "basket",
    "carpet",
    "market",
    "doctor",
    "pocket",
    "service",
    "table",
    "bottle",
    "people",
    "little",
    "water",
    "children",
    "morning news",
    "traffic",
    "bicycle",
    "umbrella",
    "telephone",
    "library",
    "elephant",
    "potato",
    "tomato",
    "sandwich",
    "breakfast",
    "holiday",
    "weekend",
    "monday",
    "friday",
    "january",
    "september",
    "birthday",
    "beautiful",
    "wonderful",
    "terrible",
    "probably",
    "actually",
    "everything",
    "nothing",
    "somebody",
    "anybody",
    "the cat is asleep",
    "i am hungry",
    "we are late",
    "close the door",
    "feed the dog",
    "it is cold outside",
    "what is for lunch",
    "i will be there soon",
    "can you hear me",
    "not right now",
    "that sounds great",
    "the train is delayed",
    "put it on the table",
    "who is there",
    "take out the trash",
    "water the plants",
    "lock the front door",
    "read me the news",
    "how far is the station",
    "add milk to the list",
    "wake me up at six",
    "what is the score",
    "play something relaxing",
    "skip this one",
    "louder please",
    "is it going to rain",
    "call the office",
    "send a message",
    "good evening",
    "happy birthday",
    "excuse me",
    "one moment please",
    "never mind",
)

# A small grammar of household requests and remarks: templates with one slot
# each, filled from word lists that hold no keyword and no near-rhyme of one.
_SLOTS = {  # each slot's words, separated by commas
    "room": (
        "kitchen, hallway, bedroom, garage, bathroom, attic, living room, "
        "dining room, basement, office, laundry room, nursery, study, porch, "
        "cellar, playroom, guest room, spare room, utility room, "
        "conservatory, loft, shed, landing, pantry"
    ),
    "number": (
        "two, five, ten, fifteen, thirty, forty, three, four, six, seven, "
        "eight, nine, eleven, twelve, twenty, twenty five, forty five, sixty, "
        "ninety, a hundred, fifty, thirteen, eighteen, nineteen"
    ),
    "city": (
        "London, Leeds, Boston, Madrid, Lagos, Osaka, Berlin, Chicago, "
        "Dublin, Lisbon, Denver, Toronto, Sydney, Nairobi, Seoul, Mumbai, "
        "Vienna, Oslo, Cairo, Lima, Manila, Houston, Glasgow, Milan"
    ),
    "name": (
        "Sam, Nina, Tom, Lucy, Omar, Grace, Ben, Emma, Leo, Maya, Jack, "
        "Sofia, Noah, Ella, Adam, Zoe, Luke, Hannah, Ravi, Chloe, Kofi, Ines, "
        "Pete, Rosa"
    ),
    "food": (
        "eggs, bread, butter, rice, onions, lemons, milk, cheese, pasta, "
        "carrots, potatoes, tomatoes, bananas, coffee, tea, sugar, flour, "
        "yoghurt, beans, peppers, grapes, oranges, noodles, cereal"
    ),
    "genre": (
        "jazz, piano music, rock, blues, reggae, hip hop, folk music, "
        "country music, classical music, soul music, pop music, opera, salsa, "
        "metal, guitar music, lullabies, disco, techno, gospel, swing, punk, "
        "funk, choir music, drum music"
    ),
    "day": (
        "Monday, Tuesday, Sunday, tonight, next week, Wednesday, Thursday, "
        "Friday, Saturday, tomorrow, this evening, this afternoon, at noon, "
        "in the morning, next month, on Friday night, after lunch, "
        "before dinner, this weekend, at midnight, first thing, later today, "
        "the day after tomorrow, at eight"
    ),
    "thing": (
        "the kettle, the oven, the heater, the fan, the car, the television, "
        "the washing machine, the dishwasher, the dryer, the fridge, "
        "the freezer, the radio, the computer, the printer, the microwave, "
        "the toaster, the iron, the hair dryer, the vacuum, the boiler, "
        "the shower, the tap, the alarm, the porch light"
    ),
}

_TEMPLATES = (
    ("room", "turn on the {} light"),
    ("room", "is the {} window open"),
    ("room", "someone left the {} door open"),
    ("room", "the {} is too cold"),
    ("room", "close the curtains in the {}"),
    ("room", "I left my keys in the {}"),
    ("room", "the {} needs a good clean"),
    ("room", "is anyone in the {}"),
    ("room", "play the radio in the {}"),
    ("room", "the cat is sleeping in the {}"),
    ("number", "set a timer for {} minutes"),
    ("number", "we need {} more chairs"),
    ("number", "it takes {} minutes by bus"),
    ("number", "wake me up in {} minutes"),
    ("number", "the recipe needs {} eggs"),
    ("number", "we have {} guests coming"),
    ("number", "the bus leaves in {} minutes"),
    ("number", "turn the volume down to {}"),
    ("number", "I walked {} miles today"),
    ("number", "she will be {} next year"),
    ("city", "what is the weather in {}"),
    ("city", "how long is the flight to {}"),
    ("city", "my sister lives in {}"),
    ("city", "book a hotel in {}"),
    ("city", "what time is it in {}"),
    ("city", "the train to {} is late"),
    ("city", "we flew back from {} last night"),
    ("city", "my cousin is moving to {}"),
    ("city", "show me a map of {}"),
    ("city", "is it snowing in {}"),
    ("name", "call {} back later"),
    ("name", "did {} feed the dog"),
    ("name", "tell {} dinner is ready"),
    ("name", "has {} taken the bins out"),
    ("name", "send {} a message"),
    ("name", "{} is coming for dinner"),
    ("name", "ask {} to bring the chairs"),
    ("name", "where did {} put the remote"),
    ("name", "remind {} about the dentist"),
    ("name", "wish {} a happy birthday"),
    ("food", "add {} to the shopping list"),
    ("food", "we are out of {}"),
    ("food", "how much are the {}"),
    ("food", "do we have any {} left"),
    ("food", "put the {} in the fridge"),
    ("food", "order more {} for tomorrow"),
    ("food", "is there any {} in the cupboard"),
    ("food", "I bought some {} on the way home"),
    ("food", "we ran out of {} again"),
    ("food", "find a recipe with {}"),
    ("genre", "play some {}"),
    ("genre", "turn down the {}"),
    ("genre", "I am in the mood for {}"),
    ("genre", "put on some {} for the kids"),
    ("genre", "pause the {}"),
    ("genre", "find a station that plays {}"),
    ("genre", "play {} in the kitchen"),
    ("genre", "we danced to {} all night"),
    ("genre", "no more {} tonight please"),
    ("day", "what is on the calendar {}"),
    ("day", "the bins go out {}"),
    ("day", "remind me to call the bank {}"),
    ("day", "am I free {}"),
    ("day", "can we meet {}"),
    ("day", "the plumber is coming {}"),
    ("day", "will it rain {}"),
    ("day", "I have the dentist {}"),
    ("day", "we are going shopping {}"),
    ("day", "remind me to water the plants {}"),
    ("thing", "switch off {}"),
    ("thing", "is {} still on"),
    ("thing", "{} is making a noise again"),
    ("thing", "turn off {} please"),
    ("thing", "when did we buy {}"),
    ("thing", "{} is broken again"),
    ("thing", "how old is {}"),
    ("thing", "unplug {} before we leave"),
    ("thing", "who left {} running"),
    ("thing", "the instructions for {} are in the drawer"),
)
FILLS_PER_TEMPLATE = 8  # of a slot's 24 words: many templates, none dominant


def household_sentences():
    """Sentences from a small grammar of household talk: each of
    ``_TEMPLATES`` with ``FILLS_PER_TEMPLATE`` words of its slot, the next
    template of the same slot taking the next words. Hundreds of negatives for
    a wake-word detector, none of them a keyword, and varied: no template makes
    up more than a few in a hundred, so that no one phrasing, and whatever it
    happens to sound like, weighs on the false accepts counted on them."""
    sentences, used = [], dict.fromkeys(_SLOTS, 0)
    for slot, template in _TEMPLATES:
        words = _SLOTS[slot].split(", ")
        sentences += [
            template.format(words[(used[slot] + k) % len(words)])
            for k in range(FILLS_PER_TEMPLATE)
        ]
        used[slot] += FILLS_PER_TEMPLATE
    return tuple(sentences)


def split_texts(texts, shares=(0.6, 0.2, 0.2), seed=0):
    """Split ``texts`` into disjoint ``train``, ``valid`` and ``test`` lists,
    so that no sentence heard in training is heard again in a test."""
    texts = sorted(set(texts))
    if len(shares) != 3 or min(shares) <= 0 or abs(sum(shares) - 1) > 1e-9:
        raise ValueError(
            f"shares must be three positive fractions summing to 1, got "
            f"{shares!r}"
        )
    if len(texts) < 3:
        raise ValueError(f"need at least 3 distinct texts, got {len(texts)}")
    order = np.random.default_rng(seed).permutation(len(texts))
    first = max(1, round(shares[0] * len(texts)))
    second = first + max(1, round(shares[1] * len(texts)))
    picked = [texts[k] for k in order]
    return {
        "train": picked[:first],
        "valid": picked[first:second],
        "test": picked[second:],
    }


# eSpeak NG's C API (speak_lib.h): output mode, parameters and flags we use.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_RATE, _PITCH, _WORDGAP = 1, 3, 7
_POS_CHARACTER, _CHARS_UTF8 = 1, 1
_IPA = 0x02  # espeak_TextToPhonemes: phonemes as IPA characters
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


# ---------------------------------------------------------------------- voices
# Where a system-wide eSpeak NG keeps its voice data (Debian/Ubuntu, Fedora,
# Homebrew).
SYSTEM_ESPEAK_DATA = (
    "/usr/lib/x86_64-linux-gnu/espeak-ng-data",
    "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
    "/usr/lib64/espeak-ng-data",
    "/usr/share/espeak-ng-data",
    "/opt/homebrew/share/espeak-ng-data",
    "/usr/local/share/espeak-ng-data",
)
ESPEAK_MISSING = (
    "eSpeak NG, the speech synthesizer, was not found. Install the espeakng-"
    "loader package (`pip install espeakng-loader`: wheels for Linux x86_64, "
    "macOS and Windows), or the system's eSpeak NG (Debian/Ubuntu: `sudo apt "
    "install libespeak-ng1 espeak-ng-data`; Fedora: `sudo dnf install espeak-"
    "ng`; Homebrew: `brew install espeak-ng`)."
)


@functools.lru_cache(maxsize=1)
def espeak_source():
    """``(library, data directory, where from)`` of the eSpeak NG this module
    drives.

    The ``espeakng-loader`` package comes first; a system-wide eSpeak NG is the
    fallback where that package has no wheel (Linux aarch64).
    ``MLBOOK_ESPEAK=system`` or ``=loader`` forces one. Another eSpeak version
    speaks slightly differently, so the clip cache and every number computed
    from speech depend on which one is used."""
    choice = os.environ.get("MLBOOK_ESPEAK", "auto")
    if choice not in ("auto", "loader", "system"):
        raise ValueError(
            "MLBOOK_ESPEAK must be 'auto', 'loader' or 'system', got "
            f"{choice!r}"
        )
    if choice != "system":
        try:
            import espeakng_loader
        except ImportError:
            if choice == "loader":
                raise ImportError(
                    "MLBOOK_ESPEAK=loader, but the espeakng-loader package is "
                    "not installed: `pip install espeakng-loader`"
                ) from None
        else:
            return (
                espeakng_loader.get_library_path(),
                espeakng_loader.get_data_path(),
                "espeakng-loader",
            )
    library = ctypes.util.find_library("espeak-ng")
    data = next(
        (path for path in SYSTEM_ESPEAK_DATA if Path(path, "voices").is_dir()),
        None,
    )
    if library is None or data is None:
        raise ImportError(ESPEAK_MISSING)
    return library, data, "system"


def _espeak_paths():
    library, data, _ = espeak_source()
    return library, data


@functools.lru_cache(maxsize=1)
def espeak_version():
    """The version of the eSpeak NG library in use, such as ``"1.52-dev"``."""
    lib = ctypes.CDLL(_espeak_paths()[0])
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    version = lib.espeak_Info(None).decode()
    _unload(
        lib
    )  # keep no handle: the next load must start from fresh C statics
    return version


@functools.lru_cache(maxsize=1)
def voice_variants():
    """Names of the voice variants eSpeak NG ships
    (``espeak-ng-data/voices/!v``)."""
    _, data = _espeak_paths()
    return tuple(
        sorted(
            name
            for name in os.listdir(Path(data) / "voices" / "!v")
            if not name.startswith("fast")
        )
    )  # "fast" is an unstable test variant


def english_voices():
    """Every English accent combined with every variant: ``"en-us+f3"`` and so
    on."""
    return [
        f"{accent}+{variant}"
        for accent in ACCENTS
        for variant in voice_variants()
    ]


def check_voice(voice):
    """Return ``voice`` if it names an English accent and a shipped variant,
    else raise."""
    if not isinstance(voice, str):
        raise TypeError(
            "voice must be a string such as 'en-us+f3', got "
            f"{type(voice).__name__}"
        )
    accent, _, variant = voice.partition("+")
    if accent not in ACCENTS:
        raise ValueError(
            f"unknown accent {accent!r} in voice {voice!r}: use one of "
            f"{ACCENTS}"
        )
    if variant and variant not in voice_variants():
        raise ValueError(
            f"unknown voice variant {variant!r} in voice {voice!r}: see "
            "voice_variants() for the ones eSpeak NG ships"
        )
    return voice


def _variant_parameters(variant):
    """The settings of a variant file (``pitch``, ``formant 3``, ...) as
    strings."""
    _, data = _espeak_paths()
    settings = {}
    text = (Path(data) / "voices" / "!v" / variant).read_text(errors="replace")
    for line in text.splitlines():
        words = line.split("//")[0].split()
        if not words or words[0] in ("name", "language", "gender"):
            continue
        key = " ".join(words[:2]) if words[0] == "formant" else words[0]
        settings[key] = " ".join(words[1:])
    return settings


def _name_stem(variant):
    """``"robosoft6"`` -> ``"robosoft"``; short names keep their digit
    (``"m3"``)."""
    stem = variant.rstrip("0123456789").lower()
    return stem if len(stem) >= 2 else variant.lower()


def _related(a, b, settings):
    """Whether two variants are versions of one voice: one name stem, one name
    inside the other (``AnxiousAndy``, ``whisperf``), or at most two settings
    apart."""
    stem_a, stem_b = _name_stem(a), _name_stem(b)
    if stem_a == stem_b:
        return True
    if (len(stem_a) >= 4 and stem_a in b.lower()) or (
        len(stem_b) >= 4 and stem_b in a.lower()
    ):
        return True
    keys = set(settings[a]) | set(settings[b])
    differ = sum(settings[a].get(k) != settings[b].get(k) for k in keys)
    return len(keys) >= 4 and differ <= 2


@functools.lru_cache(maxsize=1)
def voice_families():
    """``{variant: family}``: variants that are versions of one voice share a
    family.

    eSpeak's variants come in versions (``steph``, ``steph2``, ``steph3``
    differ in one or two settings), so a split by variant would let a test
    voice's near twin train. Two variants are related by ``_related``; a family
    is a connected group of related variants, named after its first member."""
    variants = voice_variants()
    settings = {v: _variant_parameters(v) for v in variants}
    family = {v: v for v in variants}

    def root(v):
        while family[v] != v:
            v = family[v]
        return v

    for i, a in enumerate(variants):
        for b in variants[i + 1 :]:
            if _related(a, b, settings):
                ra, rb = root(a), root(b)
                family[max(ra, rb)] = min(ra, rb)
    return {v: root(v) for v in variants}


def split_voices(num_valid=12, num_test=24, seed=0, versions=None):
    """Split the voice families three ways; each split gets every accent of its
    variants.

    Whole families are held out: no variant in the test split, nor any version
    of it, is heard in training, in any accent. This is what "held-out
    speakers" means here. Families are drawn in a random order until each split
    has at least ``num_test`` (then ``num_valid``) variants; the rest train.
    With ``versions``, a held-out split takes at most that many versions of a
    family (the first by name) and leaves the others out of every split, so
    that one family with many versions (RicishayMax has 13) cannot fill a
    held-out split on its own."""
    families = voice_families()
    if versions is not None:
        check_positive_int(versions, "versions")
    if (
        num_valid < 1
        or num_test < 1
        or num_valid + num_test >= len(families) // 2
    ):
        raise ValueError(
            f"need 1 <= num_valid, 1 <= num_test and num_valid + num_test < "
            f"{len(families) // 2} variants, got {num_valid} and {num_test}"
        )
    names = sorted(set(families.values()))
    order = np.random.default_rng(seed).permutation(names)
    members = {f: [v for v in families if families[v] == f] for f in names}
    parts = {"test": [], "valid": [], "train": []}
    wanted = {"test": num_test, "valid": num_valid}
    for family_name in order:
        split = next(
            (s for s in ("test", "valid") if len(parts[s]) < wanted[s]),
            "train",
        )
        taken = members[family_name]
        if split != "train" and versions is not None:
            taken = sorted(taken)[:versions]
        parts[split] += taken
    return {
        name: [
            f"{accent}+{variant}"
            for variant in sorted(part)
            for accent in ACCENTS
        ]
        for name, part in parts.items()
    }


# ------------------------------------------------------------------- synthesis
class _Engine:
    """A freshly loaded eSpeak NG library, closed again on exit.

    eSpeak keeps state in C statics (pitch flutter, gain control) that no API
    call resets, so a clip would depend on every clip made before it. Loading
    the library anew for each batch, and seeding its random generators per
    clip, makes a batch's output depend only on the batch: the same requests
    give the same samples."""

    def __enter__(self):
        library, data = _espeak_paths()
        self.lib = ctypes.CDLL(library)
        self.libc = ctypes.CDLL(None)
        self.lib.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_int,
        ]
        # eSpeak NG 1.52 seeds its own generator; 1.51 (Debian 12) draws from
        # libc rand().
        self._set_seed = getattr(self.lib, "espeak_ng_SetRandSeed", None)
        if self._set_seed is not None:
            self._set_seed.argtypes = [ctypes.c_long]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        rate = self.lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), 0
        )
        if rate != ESPEAK_RATE:
            raise RuntimeError(
                f"eSpeak NG failed to start (returned {rate}); is the "
                f"espeakng-loader package complete? data at {data}"
            )
        self._chunks = []
        self._callback = _SYNTH_CALLBACK(
            self._collect
        )  # keep a reference while in use
        self.lib.espeak_SetSynthCallback(self._callback)
        return self

    def _collect(self, samples, count, events):
        if count > 0:
            self._chunks.append(
                np.frombuffer(ctypes.string_at(samples, 2 * count), np.int16)
            )
        return 0

    def say(self, text, voice, rate, pitch, word_gap):
        """Speak ``text`` and return eSpeak's 22.05 kHz int16 samples."""
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"eSpeak NG rejected voice {voice!r}")
        for parameter, value in (
            (_RATE, rate),
            (_PITCH, pitch),
            (_WORDGAP, word_gap),
        ):
            self.lib.espeak_SetParameter(parameter, int(value), 0)
        if self._set_seed is not None:
            self._set_seed(1)
        self.libc.srand(1)  # breath noise also draws from libc rand()
        self._chunks = []
        encoded = text.encode()
        status = self.lib.espeak_Synth(
            encoded,
            len(encoded) + 1,
            0,
            _POS_CHARACTER,
            0,
            _CHARS_UTF8,
            None,
            None,
        )
        if status != 0:
            raise RuntimeError(
                f"eSpeak NG failed to speak {text!r} (error {status})"
            )
        return (
            np.concatenate(self._chunks)
            if self._chunks
            else np.zeros(0, np.int16)
        )

    def phonemes(self, text, voice):
        """The phonemes eSpeak would speak for ``text``, in IPA."""
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"eSpeak NG rejected voice {voice!r}")
        to_phonemes = self.lib.espeak_TextToPhonemes
        to_phonemes.restype = ctypes.c_char_p
        to_phonemes.argtypes = [
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
        ]
        remaining = ctypes.c_char_p(text.encode())
        clauses = []  # eSpeak converts one clause a call, moving the pointer
        while remaining.value:
            clauses.append(
                to_phonemes(ctypes.byref(remaining), _CHARS_UTF8, _IPA)
            )
        return " ".join(c.decode() for c in clauses if c)

    def __exit__(self, *exc):
        self.lib.espeak_Terminate()
        _unload(self.lib)


def _unload(lib):
    """Unload a ctypes library so the next load starts from fresh C statics."""
    import _ctypes

    close = getattr(_ctypes, "dlclose", None) or _ctypes.FreeLibrary
    close(lib._handle)


# The anti-aliasing filter resample_poly would design on every call, designed
# once.
_RESAMPLE_FILTER = scipy.signal.firwin(
    2 * 10 * 441 + 1, 1 / 441, window=("kaiser", 5.0)
)


def _to_16k(samples):
    """Resample eSpeak's 22.05 kHz int16 samples to 16 kHz floats in
    [-1, 1]."""
    audio = scipy.signal.resample_poly(
        samples.astype(np.float32) / 32768, 320, 441, window=_RESAMPLE_FILTER
    )
    return audio.astype(np.float32)


def trim_silence(audio, threshold_db=-40.0, margin_ms=20):
    """Cut leading and trailing silence: keep the 10 ms frames within 40 dB of
    the loudest."""
    audio = check_audio(audio)
    frames = len(audio) // HOP_LENGTH
    if frames == 0:
        return audio
    energy = (
        audio[: frames * HOP_LENGTH].reshape(frames, HOP_LENGTH) ** 2
    ).mean(axis=1)
    loud = np.flatnonzero(energy > energy.max() * 10 ** (threshold_db / 10))
    if loud.size == 0:
        return audio[:0]
    margin = margin_ms * SAMPLE_RATE // 1000
    start = max(0, loud[0] * HOP_LENGTH - margin)
    stop = min(len(audio), (loud[-1] + 1) * HOP_LENGTH + margin)
    return audio[start:stop]


def _check_request(text, voice, rate, pitch, word_gap):
    if not isinstance(text, str) or not text.strip():
        raise ValueError(
            f"text must be a non-empty string to speak, got {text!r}"
        )
    check_voice(voice)
    for name, value, low, high in (
        ("rate", rate, 80, 450),
        ("pitch", pitch, 0, 99),
        ("word_gap", word_gap, 0, 100),
    ):
        if not low <= value <= high:
            raise ValueError(
                f"{name} must be in [{low}, {high}] (eSpeak's range), "
                f"got {value}"
            )


def synthesize(text, voice="en-us", rate=175, pitch=50, word_gap=0):
    """Speak ``text`` in ``voice``: a float32 clip at 16 kHz, silence trimmed.

    ``rate`` is in words per minute, ``pitch`` 0-99 (50 is the voice's own) and
    ``word_gap`` adds pauses between words in units of 10 ms.
    """
    _check_request(text, voice, rate, pitch, word_gap)
    with _Engine() as engine:
        return trim_silence(
            _to_16k(engine.say(text, voice, rate, pitch, word_gap))
        )


def phonemes(text, voice="en-us"):
    """What eSpeak NG makes of ``text`` before it makes sound: its phonemes,
    in the International Phonetic Alphabet (``"hello"`` -> ``"həlˈoʊ"`` in
    ``"en-us"``; ``ˈ`` marks the stressed syllable)."""
    _check_request(text, voice, 175, 50, 0)
    with _Engine() as engine:
        return engine.phonemes(text, voice)


def plan_recordings(
    voices, takes, rate=(155, 220), pitch=(35, 65), word_gap=(0, 3), seed=0
):
    """What to record: a table with one row per clip (voice, text, rate, pitch,
    word gap).

    ``takes`` is a list of ``(texts, count)`` pairs: every voice says ``count``
    texts drawn at random from ``texts`` (``(["hey jarvis"], 2)`` means the
    phrase twice). Each take has its own speaking rate (words per minute),
    pitch (0-99) and gap between words (10 ms units)."""
    if not voices:
        raise ValueError(
            "voices is empty: pass voices such as split_voices()['train']"
        )
    for voice in voices:
        check_voice(voice)
    if not takes:
        raise ValueError(
            "takes is empty: pass (texts, count) pairs such as "
            "[(['hey jarvis'], 2), (other_words, 8)]"
        )
    for texts, count in takes:
        if not texts or any(
            not isinstance(t, str) or not t.strip() for t in texts
        ):
            raise ValueError(
                f"every group of texts must be a non-empty list of non-empty "
                f"strings, got {texts!r}"
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(
                f"take counts must be whole numbers >= 0, got {count!r}"
            )
    rng = np.random.default_rng(seed)
    rows = []
    for voice in voices:
        for texts, count in takes:
            for text in rng.choice(texts, size=count):
                rows.append(
                    (
                        voice,
                        str(text),
                        int(rng.integers(rate[0], rate[1] + 1)),
                        int(rng.integers(pitch[0], pitch[1] + 1)),
                        int(rng.integers(word_gap[0], word_gap[1] + 1)),
                    )
                )
    return pd.DataFrame(
        rows, columns=["voice", "text", "rate", "pitch", "word_gap"]
    )


class ClipBank:
    """Many clips stored end to end (int16 at 16 kHz) with a table saying what
    each is."""

    def __init__(self, samples, offsets, table):
        self.samples, self.offsets, self.table = (
            samples,
            offsets,
            table.reset_index(drop=True),
        )

    def __len__(self):
        return len(self.table)

    def __getitem__(self, i):
        return (
            self.samples[self.offsets[i] : self.offsets[i + 1]].astype(
                np.float32
            )
            / 32768
        )

    @property
    def lengths(self):
        """Length of each clip in samples."""
        return np.diff(self.offsets)

    def select(self, mask):
        """A smaller bank with (a copy of) the clips where ``mask`` is true."""
        index = np.flatnonzero(np.asarray(mask))
        pieces = [
            self.samples[self.offsets[i] : self.offsets[i + 1]] for i in index
        ]
        samples = np.concatenate(pieces) if pieces else np.zeros(0, np.int16)
        offsets = np.concatenate(
            [[0], np.cumsum([len(p) for p in pieces])]
        ).astype(np.int64)
        return ClipBank(samples, offsets, self.table.iloc[index])

    def __repr__(self):
        hours = len(self.samples) / SAMPLE_RATE / 3600
        return (
            f"ClipBank({len(self)} clips, "
            f"{self.table['voice'].nunique()} voices, "
            f"{self.table['text'].nunique()} texts, "
            f"{hours * 60:.1f} min of speech)"
        )


def record(plan, cache_dir=CACHE_DIR):
    """Synthesize every row of a ``plan_recordings`` table into a ``ClipBank``;
    given a dict of such plans, a dict of banks.

    Each bank is cached in ``cache_dir`` under a hash of its plan; a cached
    file that is damaged or was written for another plan is detected and the
    clips are made again. The plans of a dict are synthesized in one pass of
    the workers, so they go on speaking the next plan while this process
    stores the last one."""
    if isinstance(plan, dict):
        if not plan:
            raise ValueError("plans is empty: there is nothing to record")
        return _record_plans(plan, Path(cache_dir))
    return _record_plans({None: plan}, Path(cache_dir))[None]


def _record_plans(plans, cache_dir):
    """The banks of a dict of plans, from the cache or synthesized."""
    plans = {name: _checked_plan(plan) for name, plan in plans.items()}
    banks, missing = {}, []
    for name, plan in plans.items():
        key = _plan_key(plan)
        path = cache_dir / f"clips-{key[:20]}.npz"
        banks[name] = _load_bank(path, key, plan)
        if banks[name] is None:
            missing.append((name, plan, key, path, _chunks(plan)))
    made = _in_workers(
        _synthesize_chunk,
        [chunk for *_, chunks in missing for chunk in chunks],
    )
    try:
        for name, plan, key, path, chunks in missing:
            banks[name] = _bank_of([next(made) for _ in chunks], plan)
            _save_bank(path, key, banks[name])
    finally:
        made.close()  # stops the workers
    return banks


def _checked_plan(plan):
    if not isinstance(plan, pd.DataFrame) or not {
        "voice",
        "text",
        "rate",
        "pitch",
        "word_gap",
    } <= set(plan.columns):
        raise TypeError(
            "plan must be a table from plan_recordings() with columns "
            "voice, text, rate, pitch, word_gap"
        )
    if len(plan) == 0:
        raise ValueError("plan is empty: there is nothing to record")
    return plan[["voice", "text", "rate", "pitch", "word_gap"]].reset_index(
        drop=True
    )


def _plan_key(plan):
    payload = json.dumps(
        {
            "version": CACHE_VERSION,
            "espeak": espeak_version(),
            "rows": plan.values.tolist(),
        }
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _chunks(plan):
    """``plan``'s rows in chunks of ``CHUNK_ROWS``, each to be spoken in a
    fresh engine, so a clip depends only on its chunk: the same plan gives
    the same samples whether one process makes every chunk or several share
    them."""
    rows = list(plan.itertuples(index=False, name=None))
    for voice, text, rate, pitch, word_gap in rows:
        _check_request(text, voice, rate, pitch, word_gap)
    return [rows[i : i + CHUNK_ROWS] for i in range(0, len(rows), CHUNK_ROWS)]


def _bank_of(made, plan):
    """The ``ClipBank`` of ``plan`` from what ``_synthesize_chunk`` made of
    each of its chunks, in order."""
    samples = np.concatenate([chunk_samples for chunk_samples, _ in made])
    lengths = np.concatenate([chunk_lengths for _, chunk_lengths in made])
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return ClipBank(samples, offsets, plan)


def _in_workers(function, items, *shared):
    """``function(*shared, item)`` for each of ``items``, in order, computed
    ``workers()`` at a time in forked processes. The ``shared`` arguments
    reach the workers through the fork, never pickled. A generator: the
    caller can use one result while the next ones are computed.

    Each worker does its matrix products on one thread: with one worker per
    processor, a BLAS that started a thread per processor in every worker
    made twelve recordings take 2.7 s here instead of 1.5 s."""
    items = list(items)
    count = min(len(items), workers())
    if count <= 1:
        yield from (function(*shared, item) for item in items)
        return
    pool = concurrent.futures.ProcessPoolExecutor(
        count,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_set_job,
        initargs=(function, shared),
    )
    try:
        yield from pool.map(_run_job, items)
    finally:
        pool.shutdown(cancel_futures=True)


_JOB = None  # (function, shared arguments) in a worker of _in_workers


def _set_job(function, shared):
    global _JOB
    _JOB = (function, shared)
    threadpoolctl.threadpool_limits(1)


def _run_job(item):
    function, shared = _JOB
    return function(*shared, item)


def workers():
    """How many processes synthesize a plan or make recordings
    (``make_streams``). On Linux, ``MLBOOK_WORKERS`` if set, else one per
    processor this process may use (at most 8); elsewhere one.

    The workers are forked: they start at once and, unlike spawned ones,
    never re-run the caller's script. MXNet stops its engine around a fork,
    as its own data loaders rely on. macOS forks unsafely and Windows cannot,
    so there one process does all the work, with the same result."""
    setting = os.environ.get("MLBOOK_WORKERS")
    if setting is not None and (not setting.isdigit() or int(setting) < 1):
        raise ValueError(
            "MLBOOK_WORKERS must be a whole number of at least 1, "
            f"got {setting!r}"
        )
    if sys.platform != "linux":
        return 1
    if setting is not None:
        return int(setting)
    return min(8, len(os.sched_getaffinity(0)))


def _synthesize_chunk(rows):
    """Speak ``(voice, text, rate, pitch, word_gap)`` rows in one fresh engine;
    return their 16 kHz int16 samples end to end and each clip's length."""
    clips = []
    with _Engine() as engine:
        for voice, text, rate, pitch, word_gap in rows:
            audio = trim_silence(
                _to_16k(engine.say(text, voice, rate, pitch, word_gap))
            )
            clips.append(
                np.clip(np.round(audio * 32768), -32768, 32767).astype(
                    np.int16
                )
            )
    return np.concatenate(clips), np.array([len(c) for c in clips])


def _checksum(key, samples, offsets):
    digest = hashlib.sha256(key.encode())
    # the arrays' own memory, not a bytes copy of it (800 MB for chapter 02)
    digest.update(np.ascontiguousarray(samples))
    digest.update(np.ascontiguousarray(offsets))
    return digest.hexdigest()


def _save_bank(path, key, bank):
    """Write ``bank`` to ``path`` through a partial file of this writer's
    own, so two processes recording the same plan at once (two notebooks,
    two builds) neither mix their bytes nor rename each other's file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(
        suffix=".partial.npz", prefix=path.stem + ".", dir=path.parent
    )
    try:
        os.chmod(partial, 0o644)  # mkstemp makes it private; the cache is not
        with os.fdopen(handle, "wb") as file:
            np.savez(
                file,
                samples=bank.samples,
                offsets=bank.offsets,
                key=np.array(key),
                checksum=np.array(_checksum(key, bank.samples, bank.offsets)),
            )
        os.replace(partial, path)  # readers never see a half-written file
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _load_bank(path, key, plan):
    """The cached bank at ``path`` if it is intact and made for ``plan``, else
    None."""
    try:
        saved = _read_npz(path)
        samples, offsets = saved["samples"], saved["offsets"]
        stored_key, checksum = str(saved["key"]), str(saved["checksum"])
    except (
        OSError,
        ValueError,
        KeyError,
        EOFError,
        struct.error,
        zipfile.BadZipFile,
    ):  # missing or damaged
        return None
    if (
        stored_key != key
        or checksum != _checksum(key, samples, offsets)
        or len(offsets) != len(plan) + 1
    ):
        return None
    return ClipBank(samples, offsets, plan)


def _read_npz(path):
    """The arrays of an uncompressed ``.npz`` file (as ``np.savez`` writes
    it), read in one piece and used in place, read-only.

    ``np.load`` copies a zip member a quarter megabyte at a time and checks
    its CRC-32, which took three times as long for the chapter's banks; the
    bank's own checksum covers its arrays instead."""
    data = Path(path).read_bytes()
    arrays = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_STORED:
                raise ValueError(f"{path}: {info.filename} is compressed")
            local = info.header_offset  # the member's own header, then data
            name_length, extra_length = struct.unpack(
                "<HH", data[local + 26 : local + 30]
            )
            start = local + 30 + name_length + extra_length
            stream = io.BytesIO(data[start : start + 65536])
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                header = np.lib.format.read_array_header_1_0(stream)
            else:
                header = np.lib.format.read_array_header_2_0(stream)
            shape, fortran_order, dtype = header
            if dtype.hasobject:
                raise ValueError(f"{path} holds Python objects")
            array = np.frombuffer(
                data,
                dtype,
                count=math.prod(shape),
                offset=start + stream.tell(),
            )
            name = info.filename.removesuffix(".npy")
            arrays[name] = array.reshape(
                shape, order="F" if fortran_order else "C"
            )
    return arrays


# ----------------------------------------------------------------------- noise
def _white(num_samples, rng):
    """Gaussian noise with a flat spectrum (a hiss), unit power."""
    return rng.standard_normal(num_samples, dtype=np.float32)


def _pink(num_samples, rng):
    """Noise whose power falls as 1/frequency (rain, a fan, a distant road),
    unit power.

    White noise through a classic three-pole filter (from J. O. Smith's notes
    on spectral audio) whose power follows 1/f within about 1.5 dB from 20 Hz
    to 7 kHz."""
    b = [0.049922035, -0.095993537, 0.050612699, -0.004408786]
    a = [1.0, -2.494956002, 2.017265875, -0.522189400]
    audio = scipy.signal.lfilter(
        b, a, rng.standard_normal(num_samples + 2000)
    )[2000:]
    audio = audio.astype(np.float32)
    return audio / (audio.std() + 1e-12)


def _hum(num_samples, rng):
    """The 50 or 60 Hz buzz of mains electricity and its harmonics, unit
    power."""
    t = (
        np.arange(1600) / SAMPLE_RATE
    )  # 1600 samples: whole periods of 50 and 60 Hz
    base = rng.choice([50.0, 60.0])
    period = sum(
        rng.uniform(0.2, 1)
        / k
        * np.sin(2 * np.pi * base * k * t + rng.uniform(0, 6.3))
        for k in range(1, 8)
    )
    audio = np.resize(period.astype(np.float32), num_samples)
    return audio / (audio.std() + 1e-12)


def _babble(num_samples, bank, rng, talkers=4, clip_ids=None):
    """Several people talking at once: ``talkers`` tracks of back-to-back
    clips, summed.

    ``clip_ids`` limits which clips of ``bank`` may be heard (e.g. no wake
    words)."""
    clip_ids = (
        np.arange(len(bank)) if clip_ids is None else np.asarray(clip_ids)
    )
    audio = np.zeros(num_samples, np.float32)
    for _ in range(talkers):
        position = -int(rng.integers(0, SAMPLE_RATE))
        while position < num_samples:
            clip = bank[int(rng.choice(clip_ids))]
            start, stop = (
                max(position, 0),
                min(position + len(clip), num_samples),
            )
            if stop > start:
                audio[start:stop] += clip[start - position : stop - position]
            position += len(clip) + int(rng.integers(0, SAMPLE_RATE // 5))
    return audio / (audio.std() + 1e-12)


def noise(kind, num_samples, rng, bank=None, clip_ids=None):
    """``num_samples`` of unit-power noise of one of ``NOISE_KINDS``, drawn
    with the NumPy Generator ``rng``. "quiet" is white noise that the caller
    plays very softly; "babble" overlaps clips of ``bank`` (only those in
    ``clip_ids``, if given)."""
    if kind not in NOISE_KINDS:
        raise ValueError(
            f"unknown noise kind {kind!r}: use one of {NOISE_KINDS}"
        )
    num_samples = check_positive_int(num_samples, "num_samples")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a NumPy Generator, e.g. np.random.default_rng(0), "
            f"got {type(rng).__name__}"
        )
    if kind == "babble":
        if not isinstance(bank, ClipBank) or len(bank) == 0:
            raise ValueError(
                "babble noise needs a ClipBank of speech to overlap"
            )
        return _babble(num_samples, bank, rng, clip_ids=clip_ids)
    return {"quiet": _white, "white": _white, "pink": _pink, "hum": _hum}[
        kind
    ](num_samples, rng)


def noisy_copies(
    bank,
    snr_db,
    seed,
    kinds=("white", "pink", "hum", "babble"),
    pad_seconds=0.2,
):
    """Each clip of ``bank``, with ``pad_seconds`` of silence before and
    after (a recording starts before the speaker does and ends after), over
    noise of a kind drawn from ``kinds`` at a signal-to-noise ratio drawn
    from the range ``snr_db`` (babble is made of the bank's own clips).
    Returns the noisy clips and a table of the kinds and SNRs drawn."""
    if not isinstance(bank, ClipBank) or len(bank) == 0:
        raise ValueError("bank must be a ClipBank holding at least one clip")
    for kind in kinds:
        if kind not in NOISE_KINDS:
            raise ValueError(
                f"unknown noise kind {kind!r}: use some of {NOISE_KINDS}"
            )
    if len(snr_db) != 2 or not snr_db[0] <= snr_db[1]:
        raise ValueError(f"snr_db must be a (low, high) range, got {snr_db}")
    if not 0 <= pad_seconds <= 5:
        raise ValueError(
            f"pad_seconds must be between 0 and 5, got {pad_seconds}"
        )
    rng = np.random.default_rng(seed)
    pad = int(pad_seconds * SAMPLE_RATE)
    clips, drawn = [], []
    for i in range(len(bank)):
        clip = np.pad(bank[i], pad)
        kind = kinds[int(rng.integers(len(kinds)))]
        snr = float(rng.uniform(*snr_db))
        background = noise(kind, len(clip), rng, bank)
        clips.append(clip + background * rms(bank[i]) * 10 ** (-snr / 20))
        drawn.append((kind, snr))
    return clips, pd.DataFrame(drawn, columns=["noise", "snr_db"])


def rms(audio):
    """Root-mean-square level of a clip."""
    return (
        float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
        if len(audio)
        else 0.0
    )


# ---------------------------------------------------------------------- stream
def make_stream(
    bank,
    seconds,
    seed,
    keywords=(),
    keyword_share=0.1,
    snr_db=(0.0, 20.0),
    gap_seconds=(0.3, 3.0),
    segment_seconds=(10.0, 40.0),
    babble_texts=None,
    warp=None,
):
    """A recording of ``seconds`` s: speech clips from ``bank`` over changing
    background noise.

    A share ``keyword_share`` of the spoken clips are keywords (texts in
    ``keywords``), the rest other words and phrases; pauses between clips last
    ``gap_seconds``. The background changes every ``segment_seconds`` among
    ``NOISE_KINDS`` (babble made of the bank's non-keyword clips, or only of
    those saying one of ``babble_texts``); each clip's signal-to-noise ratio is
    drawn from ``snr_db``, except in quiet stretches where it is about 50 dB.
    With ``warp=(low, high)`` each clip is played at a speed drawn from that
    range, evenly on a log scale (``_warp``), which moves its pitch and
    formants like a smaller or larger speaker's. Returns ``(audio, events)``:
    float32 samples and a table of what was said where (in samples)."""
    if not isinstance(bank, ClipBank):
        raise TypeError(f"bank must be a ClipBank, got {type(bank).__name__}")
    if not seconds > 1:
        raise ValueError(f"seconds must be more than 1, got {seconds}")
    if not 0 <= keyword_share <= 1:
        raise ValueError(
            f"keyword_share must be in [0, 1], got {keyword_share}"
        )
    if warp is not None and not (
        isinstance(warp, (tuple, list))
        and len(warp) == 2
        and 0.5 <= warp[0] <= warp[1] <= 2
    ):
        raise ValueError(
            f"warp must be a pair (low, high) with 0.5 <= low <= high <= 2, "
            f"got {warp!r}"
        )
    is_keyword = bank.table["text"].isin(list(keywords)).to_numpy()
    if keyword_share > 0 and not is_keyword.any():
        raise ValueError(
            f"no clip in bank says one of the keywords {list(keywords)}"
        )
    if is_keyword.all():
        raise ValueError(
            "bank holds only keywords: a stream needs other speech too"
        )
    rng = np.random.default_rng(seed)
    num_samples = int(seconds * SAMPLE_RATE)
    keyword_ids, other_ids = (
        np.flatnonzero(is_keyword),
        np.flatnonzero(~is_keyword),
    )
    babble_ids = other_ids
    if babble_texts is not None:
        babble_ids = np.flatnonzero(
            bank.table["text"].isin(list(babble_texts)).to_numpy()
            & ~is_keyword
        )
        if len(babble_ids) == 0:
            raise ValueError(
                "no clip in bank says one of babble_texts (keywords excluded)"
            )
    audio, segments = _background(
        num_samples, rng, snr_db, segment_seconds, bank, babble_ids
    )
    segments_start = [start for start, _, _ in segments]
    segments = [(kind, level) for _, kind, level in segments]
    rows, position = [], int(rng.uniform(*gap_seconds) * SAMPLE_RATE)
    while True:
        pool = keyword_ids if rng.random() < keyword_share else other_ids
        clip_id = int(rng.choice(pool))
        clip = bank[clip_id]
        if warp is not None:
            clip = _warp(clip, np.exp(rng.uniform(*np.log(warp))))
        if position + len(clip) >= num_samples:
            break
        level = SPEECH_LEVEL * 10 ** (rng.uniform(-3, 3) / 20)
        audio[position : position + len(clip)] += (
            level / max(rms(clip), 1e-6) * clip
        )
        kind, noise_level = segments[
            np.searchsorted(segments_start, position, "right") - 1
        ]
        rows.append(
            (
                position,
                position + len(clip),
                bank.table["text"].iat[clip_id],
                bank.table["voice"].iat[clip_id],
                clip_id,
                kind,
                20 * np.log10(level / noise_level),
            )
        )
        position += len(clip) + int(rng.uniform(*gap_seconds) * SAMPLE_RATE)
    events = pd.DataFrame(
        rows,
        columns=["start", "stop", "text", "voice", "clip", "noise", "snr_db"],
    )
    return np.clip(audio, -1, 1, out=audio), events


def make_streams(bank, seconds, seeds, features=False, **options):
    """``make_stream(bank, seconds, seed, **options)`` for each of ``seeds``,
    in order: the same recordings, made ``workers()`` at a time in forked
    processes. With ``features=True`` each comes as its log-mel spectrogram
    in place of its samples, and with a function, as that function of its
    samples; either is computed in the worker too.

    A generator: a loop can use one recording while the next ones are made.
    """
    seeds = [int(seed) for seed in seeds]
    if not (isinstance(features, bool) or callable(features)):
        raise TypeError(
            "features must be True, False or a function of the samples such "
            f"as audio.log_mel, got {features!r}"
        )
    if features is True:
        features = log_mel
    yield from _in_workers(_stream, seeds, bank, seconds, features, options)


def _stream(bank, seconds, features, options, seed):
    recording, events = make_stream(bank, seconds, seed, **options)
    return (features(recording) if features else recording), events


def _warp(clip, speed):
    """``clip`` played ``speed`` times as fast: every frequency in it is
    multiplied by ``speed`` and its length divided by it (linear
    interpolation between samples)."""
    times = np.arange(0, len(clip) - 1, speed)
    return np.interp(times, np.arange(len(clip)), clip).astype(np.float32)


def _background(num_samples, rng, snr_db, segment_seconds, bank, clip_ids):
    """Background noise in segments of changing kind and level.

    Returns the audio and a list of segments as (first sample, kind, level).
    """
    audio = np.empty(num_samples, np.float32)
    segments, start = [], 0
    while start < num_samples:
        stop = min(
            num_samples,
            start + int(rng.uniform(*segment_seconds) * SAMPLE_RATE),
        )
        kind = NOISE_KINDS[int(rng.integers(len(NOISE_KINDS)))]
        snr = QUIET_SNR_DB if kind == "quiet" else rng.uniform(*snr_db)
        level = SPEECH_LEVEL * 10 ** (-snr / 20)
        audio[start:stop] = noise(kind, stop - start, rng, bank, clip_ids)
        audio[start:stop] *= level
        segments.append((start, kind, level))
        start = stop
    return audio, segments
