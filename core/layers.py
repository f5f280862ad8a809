"""The book's layers (common/layers.py): forward keeps what backward needs.

Every layer has ``forward(x)`` and ``backward(dout)``; ``backward`` returns the
gradient for the layer's input and stores the gradients of its parameters
(``dW``, ``db``, ``dgamma``, ``dbeta``).  The maths is the book's; the code
differs where the book's version is slow on MNIST-sized batches, and every
such place says why.  No layer changes the array it is given.

Arrays keep their dtype: a float32 input gives float32 outputs and gradients.
"""

from __future__ import annotations

import numpy as np

# The book's epsilon under the square root of the batch variance (10e-7 = 1e-6).
BATCHNORM_EPSILON = 10e-7

# What a layer remembers of its last forward pass for backward: per batch, not
# part of what the network has learned.
BATCH_MEMORY = ("x", "mask", "out", "y", "t", "xc", "xn", "std")


class Affine:
    """out = x·W + b (a fully connected layer)."""

    def __init__(self, W: np.ndarray, b: np.ndarray) -> None:
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(
                f"Affine needs W of shape (inputs, outputs) and b of shape (outputs,), "
                f"got W {W.shape} and b {b.shape}"
            )
        self.W = W
        self.b = b
        self.x: np.ndarray | None = None
        self.original_x_shape: tuple[int, ...] | None = None
        # Parameter gradients are written into these arrays on every backward
        # pass (no new 784x100 array per mini-batch).
        self.dW = np.zeros_like(W)
        self.db = np.zeros_like(b)
        # The first layer of a network is fed the images, whose gradient
        # nobody uses: skipping it saves a third of that layer's work.
        self.need_dx = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        if x.shape[1] != self.W.shape[0]:
            raise ValueError(
                f"Affine expects {self.W.shape[0]} values per sample, got {x.shape[1]}"
            )
        self.x = x
        out = np.dot(x, self.W)
        out += self.b
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Store dW and db; return dx (None if ``need_dx`` is False)."""
        if self.x is None:
            raise ValueError("Affine.backward called before forward")
        if self.dW.shape != self.W.shape or self.dW.dtype != self.W.dtype:
            self.dW = np.zeros_like(self.W)  # W was replaced by one of another shape
            self.db = np.zeros_like(self.b)
        np.dot(self.x.T, dout, out=self.dW)
        np.sum(dout, axis=0, out=self.db)
        if not self.need_dx:
            return None
        dx = np.dot(dout, self.W.T)
        return dx.reshape(self.original_x_shape)


class Relu:
    """out = max(0, x)."""

    def __init__(self) -> None:
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # The book keeps mask = (x <= 0) and zeroes dout[mask]; multiplying by
        # the opposite mask gives the same numbers ten times faster.
        self.mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self.mask is None:
            raise ValueError("Relu.backward called before forward")
        return dout * self.mask


class Sigmoid:
    """out = 1 / (1 + exp(-x))."""

    def __init__(self) -> None:
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        out = np.negative(x)
        # exp(-x) overflows to inf for x < -88 in float32; 1 / (1 + inf) = 0
        # is then the right answer, so the warning is only noise (likewise
        # an underflow to 0 for large x).
        with np.errstate(over="ignore", under="ignore"):
            np.exp(out, out=out)
        out += 1.0
        np.reciprocal(out, out=out)
        self.out = out
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self.out is None:
            raise ValueError("Sigmoid.backward called before forward")
        dx = 1.0 - self.out
        dx *= self.out
        dx *= dout
        return dx


class Tanh:
    """out = tanh(x); its derivative is 1 - out²."""

    def __init__(self) -> None:
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self.out is None:
            raise ValueError("Tanh.backward called before forward")
        dx = self.out * self.out
        np.subtract(1.0, dx, out=dx)
        dx *= dout
        return dx


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy error, as one layer.

    ``t`` may be label indices of shape (N,) -- cheaper, preferred -- or
    one-hot rows of shape (N, classes).  The loss is averaged over the batch,
    and backward gives the book's (y - t) / N.
    """

    def __init__(self) -> None:
        self.loss: float | None = None
        self.y: np.ndarray | None = None  # softmax output
        self.t: np.ndarray | None = None  # targets

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        x = np.asarray(x)
        t = np.asarray(t)
        _check_targets(x, t)
        # Subtract each row's max so exp never overflows (the book's trick).
        z = x - x.max(axis=1, keepdims=True)
        y = np.exp(z)
        total = y.sum(axis=1, keepdims=True)
        y /= total
        # -log(softmax) = log(sum exp z) - z, computed directly: it can never be
        # log(0), so the book's delta (log(y + 1e-7)) is not needed -- and
        # without it (y - t) / N is the exact gradient of this loss, which the
        # gradient check verifies to 1e-9 (with it, only to ~1e-7 / y).
        log_total = np.log(total)
        n = x.shape[0]
        if t.ndim == 1:
            loss = (log_total.sum() - z[np.arange(n), t].sum()) / n
        else:
            t = t.astype(y.dtype, copy=False)  # float64 one-hot rows must not turn dx float64
            loss = np.sum(t * (log_total - z)) / n
        self.y, self.t = y, t
        self.loss = float(loss)
        return self.loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        if self.y is None or self.t is None:
            raise ValueError("SoftmaxWithLoss.backward called before forward")
        n = self.t.shape[0]
        if self.t.ndim == 1:
            dx = self.y.copy()
            dx[np.arange(n), self.t] -= 1
        else:
            dx = self.y - self.t
        dx *= dout / n
        return dx


class Dropout:
    """Randomly silence a fraction ``dropout_ratio`` of the units while training.

    The book's version (not "inverted" dropout): at test time every output is
    scaled by 1 - ratio instead.  ``rng`` makes the masks reproducible.
    """

    def __init__(self, dropout_ratio: float = 0.5,
                 rng: np.random.Generator | None = None) -> None:
        ratio = float(dropout_ratio)
        if not 0.0 <= ratio < 1.0:
            raise ValueError(f"dropout ratio must be in [0, 1), got {dropout_ratio!r}")
        self.dropout_ratio = ratio
        self.rng = rng if rng is not None else np.random.default_rng()
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        if train_flg:
            dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.float64
            self.mask = self.rng.random(x.shape, dtype=dtype) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self.mask is None:
            raise ValueError("Dropout.backward called before a training forward pass")
        return dout * self.mask


class BatchNormalization:
    """Normalise each unit over the mini-batch, then scale by gamma and shift by beta.

    While training it uses the batch mean and variance and keeps running
    averages (``momentum``) of both; at test time it uses those averages.
    """

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, momentum: float = 0.9,
                 running_mean: np.ndarray | None = None,
                 running_var: np.ndarray | None = None) -> None:
        if gamma.ndim != 1 or beta.shape != gamma.shape:
            raise ValueError(
                f"gamma and beta must be 1-D of the same length, got {gamma.shape} and {beta.shape}"
            )
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        # The book starts both at 0.  We start running_var at 1, on purpose:
        # in test mode x is divided by sqrt(running_var + 1e-6), which for the
        # book's 0 is 1e-3, so an untrained or briefly trained network's
        # test-mode scores, accuracy and histograms are those of (x - mean)·1000.
        # A start of 1 leaves x unscaled until the statistics are learned (as
        # PyTorch and Keras do).  The start fades as momentum**steps either
        # way (0.9**44 < 1%), so after training the two starts no longer matter.
        # nn_tui.book's BatchNormalization passes zeros, to give the book's numbers.
        self.running_mean = (np.zeros_like(gamma) if running_mean is None
                             else running_mean)
        self.running_var = (np.ones_like(gamma) if running_var is None
                            else running_var)
        self.batch_size: int | None = None
        self.xc: np.ndarray | None = None
        self.xn: np.ndarray | None = None
        self.std: np.ndarray | None = None
        self.dgamma = np.zeros_like(gamma)
        self.dbeta = np.zeros_like(beta)

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        if x.ndim != 2 or x.shape[1] != self.gamma.shape[0]:
            raise ValueError(
                f"BatchNormalization expects (batch, {self.gamma.shape[0]}) inputs, got {x.shape}"
            )
        if train_flg:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc * xc, axis=0)
            std = np.sqrt(var + BATCHNORM_EPSILON)
            xn = xc / std
            self.batch_size = x.shape[0]
            self.xc, self.xn, self.std = xc, xn, std
            m = self.momentum
            self.running_mean *= m
            self.running_mean += (1 - m) * mu
            self.running_var *= m
            self.running_var += (1 - m) * var
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + BATCHNORM_EPSILON)
        out = xn * self.gamma
        out += self.beta
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self.xn is None or self.std is None or self.batch_size is None:
            raise ValueError("BatchNormalization.backward called before a training forward pass")
        n = self.batch_size
        np.sum(dout, axis=0, out=self.dbeta)
        np.sum(self.xn * dout, axis=0, out=self.dgamma)
        # The book walks back through xc, std and var one node at a time; the
        # same chain rule collapses to dx = gamma/std · (dout - dbeta/N - xn·dgamma/N),
        # which needs two batch-sized temporaries instead of eight.
        dx = self.xn * (self.dgamma / n)
        dx += self.dbeta / n
        np.subtract(dout, dx, out=dx)
        dx *= self.gamma / self.std
        return dx


def _check_targets(x: np.ndarray, t: np.ndarray) -> None:
    """Raise ValueError unless ``t`` are labels or one-hot rows that fit the scores ``x``."""
    if x.ndim != 2:
        raise ValueError(f"scores must be 2-D (batch, classes), got shape {x.shape}")
    n, classes = x.shape
    if t.ndim == 1:
        if t.shape[0] != n:
            raise ValueError(f"got {t.shape[0]} labels for a batch of {n} samples")
        if t.dtype.kind not in "iu":
            raise ValueError(
                f"label targets must be integers 0..{classes - 1}, got dtype {t.dtype} "
                "(pass one-hot targets as a 2-D array)"
            )
        if n and (t.max() >= classes or (t.dtype.kind == "i" and t.min() < 0)):
            raise ValueError(
                f"labels must be in 0..{classes - 1}, got values from {t.min()} to {t.max()}"
            )
    elif t.shape != x.shape:
        raise ValueError(
            f"one-hot targets must have the scores' shape {x.shape}, got {t.shape}"
        )
