"""The book's parameter update rules (common/optimizer.py): SGD to Adam.

Every optimiser has ``update(params, grads)`` and changes the arrays in
``params`` in place, keeping their dtype (float32 stays float32).  The maths
is exactly the book's; the code differs only in using in-place ufuncs and one
preallocated scratch buffer per parameter, because the MNIST trainer calls
``update`` thousands of times a second on 784x100 matrices.

State (``v``, ``h``, ``m``) is created lazily per key with ``np.zeros_like``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# The book's epsilon, added to sqrt(h) in the denominator (AdaGrad, RMSprop, Adam).
EPSILON = 1e-7

# Moments of a dead unit (gradient exactly 0) shrink geometrically and end as
# denormal floats, which make every later update 12-26% slower on x86.  We
# flush them to 0 now and then; this is the longest gap between two flushes.
FLUSH_EVERY = 100


def _check_rate(name: str, value: Any, *, low: float, high: float,
                low_open: bool, high_open: bool) -> float:
    """Return ``value`` as a float, or raise ValueError if it is out of range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        high_text = "inf" if math.isinf(high) else f"{high:g}"
        raise ValueError(f"{name} must be in {left}{low:g}, {high_text}{right}, got {value!r}")
    return value


def _check_lr(lr: Any) -> float:
    return _check_rate("lr", lr, low=0.0, high=math.inf, low_open=True, high_open=True)


def _check_decay(name: str, value: Any) -> float:
    return _check_rate(name, value, low=0.0, high=1.0, low_open=False, high_open=True)


def _flush_interval(decay: float) -> int:
    """Steps between flushes so a value just above the threshold stays normal.

    The threshold is ~1e8 times the smallest normal float, so a value may
    shrink by at most 1e-7 between two flushes: ``decay ** n >= 1e-7``.
    """
    if decay <= 0.0:
        return 1
    return max(1, min(FLUSH_EVERY, int(math.log(1e-7) / math.log(decay))))


class Optimizer:
    """What every update rule shares: argument checks, lazy per-key state."""

    def __init__(self, lr: float) -> None:
        self.lr = _check_lr(lr)
        self._scratch: dict[str, np.ndarray] = {}
        self._steps: dict[str, int] = {}
        # Flush moments this often (per key); subclasses with decaying state set it.
        self._flush_every = 0

    def update(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Apply one update to every array in ``params`` (in place)."""
        self._before_update()
        for key, param in params.items():
            grad = self._grad_for(key, param, grads)
            self._update_one(key, param, grad)
            if self._flush_every:
                count = self._steps.get(key, 0) + 1
                if count >= self._flush_every:
                    count = 0
                    for state in self._state_arrays(key):
                        _flush_denormals(state, self._scratch[key])
                self._steps[key] = count

    # -- hooks for the rules ---------------------------------------------
    def _before_update(self) -> None:
        """Per-call work before the loop over keys (Adam counts iterations)."""

    def _update_one(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def _state_arrays(self, key: str) -> tuple[np.ndarray, ...]:
        """The decaying state of ``key`` that must not turn denormal."""
        return ()

    # -- helpers ----------------------------------------------------------
    def _grad_for(self, key: str, param: Any, grads: dict[str, np.ndarray]) -> np.ndarray:
        if not isinstance(param, np.ndarray) or not np.issubdtype(param.dtype, np.floating):
            raise ValueError(
                f"parameter {key!r} must be a floating-point NumPy array to be "
                f"updated in place, got {type(param).__name__}"
                + (f" of dtype {param.dtype}" if isinstance(param, np.ndarray) else "")
            )
        if key not in grads:
            raise ValueError(f"no gradient for parameter {key!r} (grads has {sorted(grads)})")
        grad = grads[key]
        if np.shape(grad) != param.shape:
            raise ValueError(
                f"gradient for {key!r} has shape {np.shape(grad)}, "
                f"but the parameter has shape {param.shape}"
            )
        return grad

    def _scratch_for(self, key: str, param: np.ndarray) -> np.ndarray:
        buf = self._scratch.get(key)
        if buf is None or buf.shape != param.shape or buf.dtype != param.dtype:
            buf = np.zeros_like(param)
            self._scratch[key] = buf
        return buf

    @staticmethod
    def _state(store: dict[str, np.ndarray], key: str, param: np.ndarray) -> np.ndarray:
        arr = store.get(key)
        if arr is None:
            arr = np.zeros_like(param)
            store[key] = arr
        elif arr.shape != param.shape:
            raise ValueError(
                f"parameter {key!r} changed shape from {arr.shape} to {param.shape}; "
                "use a new optimiser for a new network"
            )
        return arr

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                           if not k.startswith("_") and isinstance(v, (int, float)))
        return f"{type(self).__name__}({fields})"


def _flush_denormals(state: np.ndarray, scratch: np.ndarray) -> None:
    """Set entries of ``state`` smaller than ~1e8 * tiny (1e-30 for float32) to 0."""
    threshold = float(np.finfo(state.dtype).tiny) * 1e8
    np.abs(state, out=scratch)
    np.copyto(state, 0, where=scratch < threshold)


class SGD(Optimizer):
    """W <- W - lr * dL/dW."""

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__(lr)

    def _update_one(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        s = self._scratch_for(key, param)
        np.multiply(grad, self.lr, out=s)
        param -= s


class Momentum(Optimizer):
    """v <- momentum*v - lr*grad;  W <- W + v."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = _check_decay("momentum", momentum)
        self.v: dict[str, np.ndarray] = {}
        self._flush_every = _flush_interval(self.momentum)

    def _update_one(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        v = self._state(self.v, key, param)
        s = self._scratch_for(key, param)
        v *= self.momentum
        np.multiply(grad, self.lr, out=s)
        v -= s
        param += v

    def _state_arrays(self, key: str) -> tuple[np.ndarray, ...]:
        return (self.v[key],)


class Nesterov(Momentum):
    """Nesterov's accelerated gradient in the book's form (arXiv:1212.0901).

    W <- W + momentum²·v - (1 + momentum)·lr·grad, with the *previous* v;
    then v <- momentum·v - lr·grad.  This is Sutskever et al.'s look-ahead
    update rewritten for the point W = θ + momentum·v where the gradient is
    taken: the first step moves by -(1 + momentum)·lr·grad.
    """

    def _update_one(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        v = self._state(self.v, key, param)
        s = self._scratch_for(key, param)
        # The weights first: they need v before this step changes it.
        np.multiply(v, self.momentum * self.momentum, out=s)
        param += s
        np.multiply(grad, (1 + self.momentum) * self.lr, out=s)
        param -= s
        v *= self.momentum
        np.multiply(grad, self.lr, out=s)
        v -= s


class AdaGrad(Optimizer):
    """h <- h + grad*grad;  W <- W - lr * grad / (sqrt(h) + 1e-7)."""

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__(lr)
        self.h: dict[str, np.ndarray] = {}
        # h never decays, so it cannot drift into denormals: no flushing.

    def _update_one(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        h = self._state(self.h, key, param)
        s = self._scratch_for(key, param)
        np.multiply(grad, grad, out=s)
        h += s
        _scaled_step(param, grad, h, self.lr, s)


class RMSprop(Optimizer):
    """h <- decay*h + (1-decay)*grad*grad;  W <- W - lr * grad / (sqrt(h) + 1e-7)."""

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99) -> None:
        super().__init__(lr)
        self.decay_rate = _check_decay("decay_rate", decay_rate)
        self.h: dict[str, np.ndarray] = {}
        self._flush_every = _flush_interval(self.decay_rate)

    def _update_one(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        h = self._state(self.h, key, param)
        s = self._scratch_for(key, param)
        h *= self.decay_rate
        np.multiply(grad, 1 - self.decay_rate, out=s)
        s *= grad
        h += s
        _scaled_step(param, grad, h, self.lr, s)

    def _state_arrays(self, key: str) -> tuple[np.ndarray, ...]:
        return (self.h[key],)


class Adam(Optimizer):
    """Adam (arXiv:1412.6980) with the book's bias-corrected step size lr_t."""

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999) -> None:
        super().__init__(lr)
        self.beta1 = _check_decay("beta1", beta1)
        self.beta2 = _check_decay("beta2", beta2)
        self.iter = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self._lr_t = 0.0
        self._flush_every = _flush_interval(min(self.beta1, self.beta2))

    def _before_update(self) -> None:
        self.iter += 1
        self._lr_t = (self.lr * math.sqrt(1.0 - self.beta2 ** self.iter)
                      / (1.0 - self.beta1 ** self.iter))

    def _update_one(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        m = self._state(self.m, key, param)
        v = self._state(self.v, key, param)
        s = self._scratch_for(key, param)
        # m += (1 - beta1) * (grad - m)
        np.subtract(grad, m, out=s)
        s *= 1 - self.beta1
        m += s
        # v += (1 - beta2) * (grad**2 - v)
        np.multiply(grad, grad, out=s)
        s -= v
        s *= 1 - self.beta2
        v += s
        # W -= lr_t * m / (sqrt(v) + 1e-7)
        np.sqrt(v, out=s)
        s += EPSILON
        np.divide(m, s, out=s)
        s *= self._lr_t
        param -= s

    def _state_arrays(self, key: str) -> tuple[np.ndarray, ...]:
        return (self.m[key], self.v[key])


def _scaled_step(param: np.ndarray, grad: np.ndarray, h: np.ndarray,
                 lr: float, s: np.ndarray) -> None:
    """W -= lr * grad / (sqrt(h) + 1e-7), using ``s`` as scratch."""
    np.sqrt(h, out=s)
    s += EPSILON
    np.divide(grad, s, out=s)
    s *= lr
    param -= s


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}


def make_optimizer(name: str, lr: float | None = None, **kw: Any) -> Optimizer:
    """Build an optimiser by name ("sgd", "adam", ...); ``lr=None`` keeps its default."""
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    cls = OPTIMIZERS[key]
    if lr is not None:
        kw["lr"] = _check_lr(lr)
    try:
        return cls(**kw)
    except TypeError as exc:  # an option this rule does not have, e.g. momentum for SGD
        raise ValueError(f"bad option for {cls.__name__}: {exc}") from None
