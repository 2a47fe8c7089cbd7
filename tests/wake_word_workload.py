"""The wake-word chapter's pipeline, shrunk to a few minutes of audio.

Records clips with eSpeak NG, mixes them into noisy recordings (the training
ones at random speeds), turns them into log-mel features with PCEN, trains a
small temporal convolutional detector with the chapter's masked loss on batches
with masked bands, and scores held-out recordings with it. Prints one JSON
line: fingerprints (SHA-256) of each stage's output, the training losses and
the number of false accepts and misses at a fixed threshold, so that two runs
can be compared exactly, stage by stage.
"""

import hashlib
import json
import sys

import mlbook  # noqa: F401  (must come first: it makes MXNet importable)
from mlbook import audio, detection, speech

import numpy as np
from mxnet import gluon, init
from mxnet.gluon import nn

KEYWORD = "hey jarvis"


def fingerprint(arrays):
    """SHA-256 of the bytes of a list of arrays (first 16 hex digits)."""
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:16]


def recordings(bank, count, seed, warp=None):
    """`count` two-minute noisy recordings of `bank`, features and events."""
    made = [
        speech.make_stream(
            bank,
            120,
            seed=seed + i,
            keywords=[KEYWORD],
            keyword_share=0.4,
            gap_seconds=(0.1, 1.0),
            warp=warp,
        )
        for i in range(count)
    ]
    return [samples for samples, _ in made], [events for _, events in made]


def main():
    mlbook.seed_everything(0)
    voices = speech.split_voices(num_valid=12, num_test=24, seed=0)
    takes = [([KEYWORD], 3), (speech.EVERYDAY_SPEECH, 6)]
    banks = {
        name: speech.record(
            speech.plan_recordings(voices[name][:8], takes, seed=seed)
        )
        for seed, name in enumerate(["train", "valid"])
    }
    train_audio, train_events = recordings(
        banks["train"], 2, seed=10, warp=(0.8, 1.25)
    )
    valid_audio, valid_events = recordings(banks["valid"], 1, seed=20)
    train_features = [audio.pcen(audio.log_mel(a)) for a in train_audio]
    valid_features = [audio.pcen(audio.log_mel(a)) for a in valid_audio]
    mean = np.mean([f.mean(axis=1) for f in train_features], axis=0)
    std = np.mean([f.std(axis=1) for f in train_features], axis=0)
    labels = [
        detection.stream_labels(f, e, KEYWORD)
        for f, e in zip(train_features, train_events, strict=True)
    ]
    batches = detection.StreamBatches(
        [(f - mean[:, None]) / std[:, None] for f in train_features],
        labels,
        hops=16,
        batch_size=8,
        mask_bands=8,
    )
    net = nn.HybridSequential()
    net.add(
        nn.Conv1D(16, kernel_size=3, strides=2, activation="relu"),
        nn.Conv1D(16, kernel_size=3, strides=2, activation="relu"),
        nn.Conv1D(16, kernel_size=3, strides=2, activation="relu"),
        nn.Conv1D(16, kernel_size=3, activation="relu"),
        nn.Conv1D(16, kernel_size=9, activation="relu"),
        nn.Dropout(0.3),
        nn.Conv1D(1, kernel_size=1),
    )
    net.initialize(init.Xavier())
    net.hybridize(static_alloc=True, static_shape=True)
    bce = gluon.loss.SigmoidBCELoss()

    def window_loss(logits, labels):
        counted = (labels >= 0).astype("float32")
        return bce(logits[:, 0, :], labels * counted, counted)

    trainer = gluon.Trainer(
        net.collect_params(), "adam", {"learning_rate": 3e-3}
    )
    history = mlbook.fit(net, batches, window_loss, trainer, 3, progress=False)
    detector = detection.WakeWordDetector(lambda x: net(x)[:, 0, :], mean, std)
    scores = [detector.score_features(f) for f in valid_features]
    result = detection.score_stream(scores, valid_events, KEYWORD, 0.0)
    print(
        json.dumps(
            {
                "clips": fingerprint(
                    [banks[name].samples for name in ["train", "valid"]]
                ),
                "audio": fingerprint(train_audio + valid_audio),
                "features": fingerprint(train_features + valid_features),
                "weights": fingerprint(
                    [p.data().asnumpy() for p in net.collect_params().values()]
                ),
                "scores": fingerprint(scores),
                "losses": [float(loss) for loss in history["loss"]],
                "false_accepts": int(result["false_accepts"]),
                "misses": int(result["utterances"] - result["hits"]),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
