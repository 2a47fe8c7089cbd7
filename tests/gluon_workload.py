"""A small Gluon workload run under each NumPy/Python pair the book supports.

Dense + Conv2D, a DataLoader, autograd, hybridize and a few SGD steps; prints
one JSON line with the versions and the loss before and after, and exits
non-zero if training failed.
"""

import json
import platform
import sys

import mlbook  # noqa: F401  (must come first: it makes MXNet importable)

import numpy as np
from mxnet import autograd, gluon, init
from mxnet.gluon import nn

mlbook.seed_everything(0)
rng = np.random.default_rng(0)
images = rng.normal(size=(256, 1, 8, 8)).astype(np.float32)
labels = (
    images[:, 0, :4].mean(axis=(1, 2)) > images[:, 0, 4:].mean(axis=(1, 2))
).astype(np.int32)

net = nn.HybridSequential()
net.add(
    nn.Conv2D(4, kernel_size=3, activation="relu"),
    nn.Flatten(),
    nn.Dense(16, activation="relu"),
    nn.Dense(2),
)
net.initialize(init.Xavier())
net.hybridize()
loss = gluon.loss.SoftmaxCrossEntropyLoss()
trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
data = mlbook.load_array((images, labels), batch_size=32)

before = mlbook.evaluate(net, data, loss)["loss"]
for X, y in data:
    for _ in range(3):
        with autograd.record():
            batch_loss = loss(net(X), y)
        batch_loss.backward()
        trainer.step(X.shape[0])
after = mlbook.evaluate(net, data, loss)
print(
    json.dumps(
        {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "loss_before": before,
            "loss_after": after["loss"],
            "accuracy_after": after["metric"],
        }
    )
)
sys.exit(0 if after["loss"] < before else 1)
