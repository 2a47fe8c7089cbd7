"""Unit tests of mlbook's shared plumbing: results on known cases, and every
bad input."""

import random

import mlbook

import matplotlib
import numpy as np
import pytest
from mxnet import autograd, context, gluon, init
from mxnet import np as mnp
from mxnet.gluon import nn

matplotlib.use("Agg")


def linear_data(num_examples=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(num_examples, 2)).astype(np.float32)
    y = X @ np.array([2.0, -3.4], dtype=np.float32) + 4.2
    return X, y.astype(np.float32)


def linear_net():
    net = nn.Dense(1)
    net.initialize(init.Normal(0.01))
    return net


# seed_everything
def test_seed_everything_repeats_every_generator():
    def draw():
        return random.random(), np.random.rand(), float(mnp.random.uniform())

    mlbook.seed_everything(3)
    first = draw()
    mlbook.seed_everything(3)
    assert draw() == first


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True, None])
def test_seed_everything_rejects_bad_seeds(seed):
    with pytest.raises(
        ValueError, match="seed must be a non-negative whole number"
    ):
        mlbook.seed_everything(seed)


# devices
def test_try_gpu_falls_back_to_cpu():
    expected = context.gpu(0) if context.num_gpus() else context.cpu()
    assert mlbook.try_gpu() == expected
    assert mlbook.try_gpu(context.num_gpus()) == context.cpu()


@pytest.mark.parametrize("index", [-1, 0.5, "0"])
def test_try_gpu_rejects_bad_index(index):
    with pytest.raises(ValueError, match="GPU index"):
        mlbook.try_gpu(index)


def test_to_device_understands_names():
    assert mlbook.to_device("cpu") == context.cpu()
    assert mlbook.to_device(context.cpu()) == context.cpu()


@pytest.mark.parametrize("device", ["tpu", "gpu:x", "cuda", 3])
def test_to_device_rejects_unknown_devices(device):
    with pytest.raises(ValueError, match="unknown device"):
        mlbook.to_device(device)


@pytest.mark.skipif(context.num_gpus() > 0, reason="this machine has a GPU")
def test_to_device_says_when_the_gpu_is_missing():
    with pytest.raises(ValueError, match="has 0 GPU"):
        mlbook.to_device("gpu")


# Timer
def test_timer_records_runs():
    timer = mlbook.Timer()
    with timer:
        sum(range(1000))
    timer.start()
    timer.stop()
    assert len(timer.times) == 2 and timer.sum() >= 0
    assert timer.avg() == pytest.approx(timer.sum() / 2)
    assert "2 runs" in repr(timer)


def test_timer_stop_without_start_is_an_error():
    with pytest.raises(RuntimeError, match="before Timer.start"):
        mlbook.Timer().stop()


# load_array
def test_load_array_batches_everything_once():
    X, y = linear_data(50)
    batches = list(mlbook.load_array((X, y), batch_size=16, shuffle=False))
    assert [b[0].shape[0] for b in batches] == [16, 16, 16, 2]
    np.testing.assert_allclose(
        np.concatenate([b[0].asnumpy() for b in batches]), X
    )


def test_load_array_keeps_integer_labels_integral():
    X = np.zeros((4, 2))
    ((Xb, yb),) = mlbook.load_array((X, np.array([0, 1, 2, 3])), batch_size=4)
    assert Xb.dtype == np.float32 and yb.dtype == np.int32


@pytest.mark.parametrize(
    "arrays, batch_size, error, message",
    [
        (
            (np.zeros((3, 2)), np.zeros(4)),
            2,
            ValueError,
            "same number of rows",
        ),
        ((np.zeros((0, 2)), np.zeros(0)), 2, ValueError, "no examples"),
        ((), 2, ValueError, "empty"),
        (np.zeros((3, 2)), 2, TypeError, "list or tuple"),
        (([1, 2, 3],), 2, TypeError, "must be an array"),
        ((np.zeros((3, 2)),), 0, ValueError, "batch_size must be at least 1"),
        (
            (np.zeros((3, 2)),),
            2.5,
            TypeError,
            "batch_size must be a whole number",
        ),
        ((np.array(["a", "b"]),), 1, TypeError, "must hold numbers"),
    ],
)
def test_load_array_rejects_bad_input(arrays, batch_size, error, message):
    with pytest.raises(error, match=message):
        mlbook.load_array(arrays, batch_size)


# accuracy and evaluate
def test_accuracy_counts_argmax_and_logit_predictions():
    scores = mnp.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert mlbook.accuracy(scores, mnp.array([1, 0, 0])) == 2.0
    logits = mnp.array([2.0, -1.0, 0.5])
    assert mlbook.accuracy(logits, mnp.array([1.0, 0.0, 0.0])) == 2.0


def test_accuracy_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        mlbook.accuracy(mnp.zeros((3, 2)), mnp.zeros(2))


def test_evaluate_matches_a_hand_computation():
    X, y = linear_data(40)
    net = linear_net()
    data = mlbook.load_array((X, y), batch_size=7, shuffle=False)
    result = mlbook.evaluate(net, data, gluon.loss.L2Loss(), metric=None)
    predictions = net(mnp.array(X)).asnumpy().reshape(-1)
    assert result["loss"] == pytest.approx(
        np.mean((predictions - y) ** 2 / 2), rel=1e-5
    )
    assert set(result) == {"loss"}


def test_evaluate_needs_something_to_measure():
    with pytest.raises(ValueError, match="needs a loss, a metric or both"):
        mlbook.evaluate(linear_net(), [], loss=None, metric=None)


def test_evaluate_rejects_empty_data():
    with pytest.raises(ValueError, match="yielded no minibatches"):
        mlbook.evaluate(linear_net(), [], gluon.loss.L2Loss(), metric=None)


# fit
def test_fit_learns_a_linear_rule_and_reports_history():
    mlbook.seed_everything(0)
    X, y = linear_data()
    net = linear_net()
    trainer = gluon.Trainer(
        net.collect_params(), "sgd", {"learning_rate": 0.1}
    )
    history = mlbook.fit(
        net,
        mlbook.load_array((X, y), 20),
        gluon.loss.L2Loss(),
        trainer,
        num_epochs=10,
        valid_iter=mlbook.load_array((X, y), 50),
        metric=None,
        progress=False,
    )
    assert len(history["loss"]) == len(history["valid_loss"]) == 10
    assert "valid_metric" not in history
    assert history["loss"][-1] < 1e-3 < history["loss"][0]
    np.testing.assert_allclose(
        net.weight.data().asnumpy().ravel(), [2.0, -3.4], atol=0.02
    )


def test_fit_reports_classification_accuracy():
    mlbook.seed_everything(0)
    X, _ = linear_data()
    labels = (X[:, 0] > 0).astype(np.int32)
    net = nn.Dense(2)
    net.initialize()
    trainer = gluon.Trainer(
        net.collect_params(), "sgd", {"learning_rate": 0.5}
    )
    history = mlbook.fit(
        net,
        mlbook.load_array((X, labels), 20),
        gluon.loss.SoftmaxCrossEntropyLoss(),
        trainer,
        num_epochs=5,
        valid_iter=mlbook.load_array((X, labels), 50),
        progress=False,
    )
    assert history["valid_metric"][-1] >= 0.95


def test_fit_is_deterministic_for_a_seed():
    def run():
        mlbook.seed_everything(1)
        X, y = linear_data()
        net = linear_net()
        trainer = gluon.Trainer(
            net.collect_params(), "sgd", {"learning_rate": 0.05}
        )
        return mlbook.fit(
            net,
            mlbook.load_array((X, y), 16),
            gluon.loss.L2Loss(),
            trainer,
            num_epochs=2,
            progress=False,
        )["loss"]

    assert run() == run()


@pytest.mark.parametrize(
    "change, error, message",
    [
        ({"num_epochs": 0}, ValueError, "num_epochs must be at least 1"),
        ({"num_epochs": 2.0}, TypeError, "num_epochs must be a whole number"),
        ({"trainer": "sgd"}, TypeError, "trainer must be a gluon.Trainer"),
        ({"loss": "l2"}, TypeError, "loss must be callable"),
        ({"device": "tpu"}, ValueError, "unknown device"),
        ({"train_iter": []}, ValueError, "yielded no minibatches"),
        (
            {"train_iter": [np.zeros(3)]},
            ValueError,
            "must yield \\(X, y\\) pairs",
        ),
    ],
)
def test_fit_rejects_bad_input(change, error, message):
    X, y = linear_data(10)
    net = linear_net()
    arguments = {
        "net": net,
        "train_iter": mlbook.load_array((X, y), 5),
        "loss": gluon.loss.L2Loss(),
        "num_epochs": 1,
        "progress": False,
        "trainer": gluon.Trainer(
            net.collect_params(), "sgd", {"learning_rate": 0.1}
        ),
    }
    arguments.update(change)
    with pytest.raises(error, match=message):
        mlbook.fit(**arguments)


# num_parameters
def test_num_parameters_counts_weights_and_biases():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, in_units=3), nn.Dense(2, in_units=4))
    net.initialize()
    assert mlbook.num_parameters(net) == 3 * 4 + 4 + 4 * 2 + 2


def test_num_parameters_needs_known_shapes():
    net = nn.Dense(4)
    net.initialize()
    with pytest.raises(ValueError, match="unknown shape"):
        mlbook.num_parameters(net)


# plotting
def test_plot_draws_one_line_per_series():
    axes = mlbook.plot(
        [0, 1, 2],
        [[1, 2, 3], [3, 2, 1]],
        xlabel="x",
        ylabel="y",
        legend=["up", "down"],
        title="two lines",
    )
    assert len(axes.lines) == 2 and axes.get_title() == "two lines"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "up",
        "down",
    ]


def test_plot_of_one_series_uses_its_index():
    axes = mlbook.plot(np.array([5.0, 4.0, 3.0]))
    np.testing.assert_array_equal(axes.lines[0].get_xdata(), [1, 2, 3])


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([],), {}, "no data"),
        (([0, 1], [1, 2, 3]), {}, "differ in length"),
        (
            ([0, 1], [[1, 2], [3, 4]]),
            {"legend": ["one"]},
            "1 labels for 2 curves",
        ),
        (([[0, 1]] * 3, [[1, 2]] * 2), {}, "3 x-series for 2 y-series"),
    ],
)
def test_plot_rejects_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        mlbook.plot(*args, **kwargs)


@pytest.mark.parametrize("figsize", [(0, 3), (3,), (-1, 2)])
def test_set_figsize_rejects_bad_sizes(figsize):
    with pytest.raises(ValueError, match="figsize"):
        mlbook.set_figsize(figsize)


def test_hybridized_training_agrees_with_imperative():
    def train(hybridize):
        mlbook.seed_everything(0)
        X, y = linear_data(64)
        net = linear_net()
        if hybridize:
            net.hybridize()
        trainer = gluon.Trainer(
            net.collect_params(), "sgd", {"learning_rate": 0.1}
        )
        for Xb, yb in mlbook.load_array((X, y), 16, shuffle=False):
            with autograd.record():
                loss = gluon.loss.L2Loss()(net(Xb), yb)
            loss.backward()
            trainer.step(16)
        return net.weight.data().asnumpy()

    np.testing.assert_allclose(train(True), train(False), rtol=1e-5)


# glue
@pytest.mark.parametrize("name", ["", "has space", 3, "1st"])
def test_glue_rejects_names_the_prose_cannot_refer_to(name):
    with pytest.raises(ValueError, match="glue name must be an identifier"):
        mlbook.glue(name, 1.0)


def test_progress_bars_follow_the_environment(monkeypatch, capsys):
    X, y = linear_data(10)
    net = linear_net()
    trainer = gluon.Trainer(
        net.collect_params(), "sgd", {"learning_rate": 0.1}
    )
    data = mlbook.load_array((X, y), 5)
    monkeypatch.setenv("MLBOOK_PROGRESS", "0")
    mlbook.fit(net, data, gluon.loss.L2Loss(), trainer, 1)
    assert "epochs" not in capsys.readouterr().out
    monkeypatch.setenv("MLBOOK_PROGRESS", "1")
    mlbook.fit(net, data, gluon.loss.L2Loss(), trainer, 1)
    assert "epochs" in capsys.readouterr().out
    assert list(mlbook.progress_bar(range(3), desc="steps")) == [0, 1, 2]
    assert "steps" in capsys.readouterr().out
    monkeypatch.setenv("MLBOOK_PROGRESS", "0")
    assert list(mlbook.progress_bar(range(3), desc="steps")) == [0, 1, 2]
    assert "steps" not in capsys.readouterr().out


def test_glue_hands_numpy_scalars_on_as_python_numbers(tmp_path, monkeypatch):
    """NumPy 2 prints np.float64(0.5): the prose must get 0.5."""
    import numpy as np

    glued = tmp_path / "glued.json"
    monkeypatch.setenv("MLBOOK_GLUE_FILE", str(glued))
    mlbook.glue("half", np.float64(0.5))
    mlbook.glue("count", np.int64(7))
    import json

    assert json.loads(glued.read_text()) == {"half": 0.5, "count": 7.0}


def test_restore_parameters_brings_back_a_conv_net_after_inference():
    """set_data fails on MKL-DNN's inference layout; restore_parameters
    does not."""
    net = nn.HybridSequential()
    net.add(nn.Conv1D(4, 3, activation="relu"), nn.Dense(2))
    net.initialize(init.Xavier())
    X = mnp.array(
        np.random.default_rng(0).normal(size=(2, 3, 8)), dtype="float32"
    )
    before = net(X).asnumpy()
    kept = mlbook.copy_parameters(net)
    with autograd.record():
        loss = net(X).sum()
    loss.backward()
    gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1}).step(2)
    assert not np.allclose(net(X).asnumpy(), before)
    mlbook.restore_parameters(net, kept)
    np.testing.assert_allclose(net(X).asnumpy(), before, rtol=1e-6)
    with pytest.raises(ValueError, match="do not match"):
        mlbook.restore_parameters(net, {"weight": kept.popitem()[1]})
