"""MXNet behaves the same on NumPy 2 as on NumPy 1.26 where NumPy 2 changed the
rules.

NumPy 2 prints scalars as ``np.int64(5)`` (NEP 51) while MXNet passes operator
parameters to its core as ``str(value)``; and it keeps float32 when a Python
float meets a float32 (NEP 50). mlbook.compat fixes both inside MXNet. These
tests run here and, by tests/test_compat.py, in an environment with NumPy 1.26,
so both give the same answers.
"""

import mlbook  # noqa: F401  (first: it makes MXNet importable)

import numpy as np
import pytest
from mxnet import gluon, init, metric, nd, sym
from mxnet import np as mnp

NINE, FIVE, TWO = np.int64(9), np.int64(5), np.int64(2)


def test_numpy_integer_shapes():
    assert nd.ones((NINE, FIVE)).shape == (9, 5)
    assert mnp.zeros((NINE, np.int32(5))).shape == (9, 5)
    assert nd.random.normal(shape=(NINE, FIVE)).shape == (9, 5)
    assert mnp.ones((3, 4)).reshape((np.int64(2), -1)).shape == (2, 6)


def test_numpy_integer_kernels_and_strides():
    x = nd.ones((1, 1, 4, 4))
    pooled = nd.Pooling(
        x, kernel=(TWO, TWO), stride=(TWO, TWO), pool_type="max"
    )
    assert pooled.shape == (1, 1, 2, 2)
    conv = gluon.nn.Conv2D(np.int64(3), kernel_size=(TWO, TWO))
    conv.initialize()
    assert conv(mnp.ones((1, 1, 4, 4))).shape == (1, 3, 3, 3)


def test_numpy_integer_slice_bounds():
    legacy, numpy_mode = nd.zeros((5,)), mnp.zeros((5,))
    legacy[np.int64(1) : np.int64(3)] = 1
    numpy_mode[np.int64(1) : np.int64(3)] = 1
    assert legacy.asnumpy().tolist() == [0, 1, 1, 0, 0]
    assert numpy_mode.asnumpy().tolist() == [0, 1, 1, 0, 0]
    assert numpy_mode[np.int64(2) :].shape == (3,)


@pytest.mark.parametrize(
    "initializer",
    [init.Orthogonal(), init.Xavier(), init.MSRAPrelu(), init.Normal(0.1)],
    ids=lambda i: type(i).__name__,
)
def test_initializers(initializer):
    layer = gluon.nn.Dense(4, in_units=6)
    layer.initialize(initializer)
    weight = layer.weight.data().asnumpy()
    assert (
        weight.shape == (4, 6)
        and np.isfinite(weight).all()
        and weight.std() > 0
    )
    if isinstance(
        initializer, init.Orthogonal
    ):  # rows orthogonal, up to the scale
        gram = weight @ weight.T
        assert np.allclose(gram, np.diag(np.diag(gram)), atol=1e-4)


def test_split_and_load_in_numpy_mode():
    batch = mnp.arange(np.int64(16)).reshape(8, 2)
    parts = gluon.utils.split_and_load(
        batch, [mlbook.try_gpu(), mlbook.try_gpu()]
    )
    assert [p.shape for p in parts] == [(4, 2), (4, 2)]
    assert (
        mnp.concatenate(parts).asnumpy().tolist() == batch.asnumpy().tolist()
    )


def test_hybridized_layer_with_numpy_integer_units():
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(np.int64(3)))
    net.initialize()
    net.hybridize()
    assert net(mnp.ones((2, 4))).shape == (2, 3)
    assert sym.var("x", shape=(TWO, 3)).attr("__shape__") == "(2, 3)"


def test_metric_sums_are_float64():
    """A million float32 updates of 0.1: a float32 running sum drifts by about
    1%."""
    mse = metric.MSE()
    prediction, label = nd.array([0.1**0.5]), nd.array([0.0])
    for _ in range(1000):
        mse.sum_metric += np.float32(0.1) * 1000
        mse.num_inst += 1000
    mse.update([label], [prediction])
    name, value = mse.get()
    assert isinstance(mse.sum_metric, float)
    assert value == pytest.approx(0.1, rel=1e-6)


def test_operator_errors_still_name_the_bad_value():
    with pytest.raises(Exception, match="shape"):
        nd.ones((np.float64(2.5), 3))
