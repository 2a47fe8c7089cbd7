"""Minibatches, the training loop and evaluation, shared by every chapter that
trains a net."""

import os
import sys

import numpy as np
from mxnet import autograd, gluon, init
from mxnet import np as mnp
from tqdm import tqdm

from .checks import check_arrays, check_positive_int
from .runtime import to_device


def load_array(arrays, batch_size, shuffle=True):
    """Wrap equal-length arrays (NumPy or MXNet) in a Gluon DataLoader of
    minibatches."""
    check_arrays(arrays)
    batch_size = check_positive_int(batch_size, "batch_size")
    arrays = [
        a
        if isinstance(a, mnp.ndarray)
        else mnp.array(np.asarray(a), dtype=_dtype(a))
        for a in arrays
    ]
    return gluon.data.DataLoader(
        gluon.data.ArrayDataset(*arrays), batch_size, shuffle=shuffle
    )


def _dtype(array):
    """Floats become float32 (what Gluon layers expect); integer labels keep
    their kind."""
    kind = np.asarray(array).dtype.kind
    if kind in "iub":
        return np.int32 if kind != "b" else np.float32
    if kind == "f":
        return np.float32
    raise TypeError(
        f"arrays must hold numbers, got dtype {np.asarray(array).dtype}"
    )


def accuracy(y_hat, y):
    """Count correct predictions from class scores (one column per class,
    argmax wins) or from one logit per example (positive means class 1)."""
    if y_hat.shape[0] != y.shape[0]:
        raise ValueError(
            f"predictions and labels differ in length: {y_hat.shape[0]} "
            f"vs {y.shape[0]}"
        )
    if y_hat.ndim == 2 and y_hat.shape[1] > 1:
        predicted = y_hat.argmax(axis=1)
    else:
        predicted = y_hat.reshape(-1) > 0
    return float((predicted.astype(y.dtype) == y.reshape(-1)).sum())


def evaluate(net, data_iter, loss=None, metric=accuracy, device=None):
    """Mean loss and mean metric of ``net`` over ``data_iter``, without
    training.

    ``metric(y_hat, y)`` returns a sum over the batch (as ``accuracy`` does);
    pass ``metric=None`` for regression, where the loss is what we report.
    """
    if loss is None and metric is None:
        raise ValueError(
            "evaluate needs a loss, a metric or both; got neither"
        )
    device = to_device(device)
    total_loss, total_metric, count = 0.0, 0.0, 0
    for X, y in _batches(data_iter, "data_iter"):
        X, y = X.as_in_ctx(device), y.as_in_ctx(device)
        y_hat = net(X)
        if loss is not None:
            total_loss = total_loss + loss(y_hat, y).sum()
        if metric is not None:
            total_metric += metric(y_hat, y)
        count += y.shape[0]
    result = {}
    if loss is not None:
        result["loss"] = float(total_loss) / count
    if metric is not None:
        result["metric"] = total_metric / count
    return result


def fit(
    net,
    train_iter,
    loss,
    trainer,
    num_epochs,
    valid_iter=None,
    metric=accuracy,
    device=None,
    progress=None,
):
    """Train ``net`` for ``num_epochs`` passes over ``train_iter``; return its
    history.

    The history is a dict of per-epoch lists: ``loss`` (mean training loss)
    and, when ``valid_iter`` is given, ``valid_loss`` and ``valid_metric``
    (``metric=None`` skips the metric, for regression). A text progress bar
    shows the epochs go by, unless ``progress=False`` or the environment sets
    MLBOOK_PROGRESS=0 (the site build does, so pages show results rather than
    every redraw of the bar).
    """
    num_epochs = check_positive_int(num_epochs, "num_epochs")
    if not isinstance(trainer, gluon.Trainer):
        raise TypeError(
            f"trainer must be a gluon.Trainer, got {type(trainer).__name__}"
        )
    if not callable(loss):
        raise TypeError(
            f"loss must be callable, e.g. gluon.loss.L2Loss(), got {loss!r}"
        )
    device = to_device(device)
    history = {"loss": []}
    if valid_iter is not None:
        history["valid_loss"] = []
        if metric is not None:
            history["valid_metric"] = []
    epochs = progress_bar(range(num_epochs), desc="epochs", show=progress)
    for _ in epochs:
        total_loss, count = 0.0, 0
        for X, y in _batches(train_iter, "train_iter"):
            X, y = X.as_in_ctx(device), y.as_in_ctx(device)
            with autograd.record():
                batch_loss = loss(net(X), y)
            batch_loss.backward()
            trainer.step(X.shape[0])
            total_loss = total_loss + batch_loss.sum()
            count += X.shape[0]
        history["loss"].append(float(total_loss) / count)
        if valid_iter is not None:
            scores = evaluate(net, valid_iter, loss, metric, device)
            history["valid_loss"].append(scores["loss"])
            if metric is not None:
                history["valid_metric"].append(scores["metric"])
        epochs.set_postfix(loss=f"{history['loss'][-1]:.4g}", refresh=False)
    return history


def progress_bar(iterable, desc=None, show=None, **tqdm_options):
    """Wrap a loop that takes seconds in a text progress bar (tqdm, on stdout).

    ``show=None`` shows it unless the environment sets MLBOOK_PROGRESS=0, as
    the site build does: a page should show results, not every redraw of the
    bar.
    """
    if show is None:
        show = os.environ.get("MLBOOK_PROGRESS", "1") != "0"
    options = {
        "file": sys.stdout,
        "leave": False,
        "mininterval": 0.5,
        **tqdm_options,
    }
    return tqdm(iterable, desc=desc, disable=not show, **options)


def _batches(data_iter, name):
    """Yield (X, y) minibatches, raising a clear error for empty or malformed
    iterables."""
    empty = True
    for batch in data_iter:
        if not isinstance(batch, (list, tuple)) or len(batch) != 2:
            raise ValueError(
                f"{name} must yield (X, y) pairs, got a batch of "
                f"type {type(batch).__name__}"
            )
        empty = False
        yield batch
    if empty:
        raise ValueError(
            f"{name} yielded no minibatches: is the data set empty?"
        )


def num_parameters(net):
    """Count the trainable numbers in an initialized ``net``."""
    params = net.collect_params().values()
    if any(p.shape is None or 0 in p.shape or -1 in p.shape for p in params):
        raise ValueError(
            "net has parameters of unknown shape: initialize it and run one "
            "batch through it before counting"
        )
    return sum(int(np.prod(p.shape)) for p in params if p.grad_req != "null")


def copy_parameters(net):
    """NumPy copies of ``net``'s parameters, e.g. those of the epoch that did
    best on validation, for ``restore_parameters``."""
    return {
        name: p.data().asnumpy() for name, p in net.collect_params().items()
    }


def restore_parameters(net, copies):
    """Give ``net`` back the parameters of ``copy_parameters``.

    ``Parameter.set_data`` copies into the existing array, which fails once
    MKL-DNN has stored a convolution's weights in its own layout for
    inference ("Check failed: to.IsDefaultData()"); initialising each
    parameter anew from the copy works in every layout."""
    params = net.collect_params()
    if set(copies) != set(params):
        raise ValueError(
            "copies do not match the net's parameters: "
            f"{sorted(set(copies) ^ set(params))[:3]} ..."
        )
    for name, parameter in params.items():
        parameter.initialize(
            init=init.Constant(mnp.array(copies[name])), force_reinit=True
        )
