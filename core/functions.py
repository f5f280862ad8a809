"""Activation functions, the output layer and the loss functions.

The book's chapters 3-4 and the cs231n linear-classifier notes.  Every
function takes NumPy arrays (or plain numbers) and checks its arguments: a
wrong shape, a NaN or a label out of range raises ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

from nn_tui.core.checks import finite

#: The small number the book adds inside the log so that log(0) never happens.
DELTA = 1e-7

ArrayLike = Any


# --- argument checks -------------------------------------------------------------

def _as_float_array(x: ArrayLike, name: str, *, allow_inf: bool = True) -> np.ndarray:
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be numbers, got {x!r}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer)
                                 or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must be real numbers, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} contains inf; use finite numbers")
    return arr


def _same_kind(result: np.ndarray, x: ArrayLike) -> Any:
    """A float for a plain-number input, else the array."""
    return float(result) if np.ndim(x) == 0 and not isinstance(x, np.ndarray) else result


# --- activations ---------------------------------------------------------------------

def step_function(x: ArrayLike) -> Any:
    """1 where x > 0, else 0 (the perceptron's activation)."""
    a = _as_float_array(x, "x")
    return _same_kind((a > 0).astype(a.dtype), x)


def step_function_grad(x: ArrayLike) -> Any:
    """0 everywhere.  At x = 0 the step jumps and has no derivative; we report 0 there too."""
    a = _as_float_array(x, "x")
    return _same_kind(np.zeros_like(a), x)


def sigmoid(x: ArrayLike) -> Any:
    """1 / (1 + exp(-x)), computed without overflow for large |x|."""
    a = _as_float_array(x, "x")
    # exp(-|x|) <= 1 never overflows; use the form that divides by 1 + (<= 1).
    e = np.exp(-np.abs(a))
    return _same_kind(np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), x)


def sigmoid_grad(x: ArrayLike) -> Any:
    """sigmoid(x) * (1 - sigmoid(x)), written as e / (1 + e)**2 with e = exp(-|x|) to stay accurate."""
    a = _as_float_array(x, "x")
    e = np.exp(-np.abs(a))
    return _same_kind(e / (1.0 + e) ** 2, x)


def relu(x: ArrayLike) -> Any:
    """max(0, x)."""
    a = _as_float_array(x, "x")
    return _same_kind(np.maximum(a, 0.0), x)


def relu_grad(x: ArrayLike) -> Any:
    """1 where x > 0, else 0 (at x = 0 we use 0, like the book's Relu layer)."""
    a = _as_float_array(x, "x")
    return _same_kind((a > 0).astype(a.dtype), x)


def _check_alpha(alpha: float) -> float:
    alpha = finite(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    return alpha


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> Any:
    """x where x > 0, else alpha * x."""
    a = _as_float_array(x, "x")
    alpha = _check_alpha(alpha)
    return _same_kind(np.where(a > 0, a, alpha * a), x)


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.01) -> Any:
    """1 where x > 0, else alpha (alpha at x = 0)."""
    a = _as_float_array(x, "x")
    alpha = _check_alpha(alpha)
    return _same_kind(np.where(a > 0, 1.0, alpha).astype(a.dtype), x)


def tanh(x: ArrayLike) -> Any:
    a = _as_float_array(x, "x")
    return _same_kind(np.tanh(a), x)


def tanh_grad(x: ArrayLike) -> Any:
    """1 - tanh(x)**2."""
    a = _as_float_array(x, "x")
    return _same_kind(1.0 - np.tanh(a) ** 2, x)


def identity(x: ArrayLike) -> Any:
    """The output layer for regression: the input unchanged."""
    a = _as_float_array(x, "x")
    return _same_kind(a.copy(), x)


def identity_grad(x: ArrayLike) -> Any:
    a = _as_float_array(x, "x")
    return _same_kind(np.ones_like(a), x)


@dataclass(frozen=True)
class Activation:
    """An activation function and its derivative, for plotting side by side."""

    name: str
    f: Callable[[ArrayLike], Any]
    df: Callable[[ArrayLike], Any]


ACTIVATIONS: dict[str, Activation] = {
    "step": Activation("step", step_function, step_function_grad),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_grad),
    "relu": Activation("relu", relu, relu_grad),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_grad),
    "tanh": Activation("tanh", tanh, tanh_grad),
    "identity": Activation("identity", identity, identity_grad),
}


class StackedLinear(NamedTuple):
    stacked: Any       # h(h(...h(x))) with h(x) = c*x
    coefficient: float  # c**layers: the single linear function that does the same


def stacked_linear(c: float, x: ArrayLike, layers: int = 3) -> StackedLinear:
    """Why activations must be non-linear: layers of h(x) = c*x collapse to one, (c**layers)*x."""
    c = finite(c, "c")
    if isinstance(layers, bool) or not isinstance(layers, (int, np.integer)) or layers < 1:
        raise ValueError(f"layers must be a positive integer, got {layers!r}")
    a = _as_float_array(x, "x")
    for _ in range(int(layers)):
        a = c * a
    return StackedLinear(_same_kind(a, x), c ** int(layers))


# --- output layer --------------------------------------------------------------------

def _check_scores(a: ArrayLike, name: str) -> np.ndarray:
    arr = _as_float_array(a, name, allow_inf=False)
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array or a 2-D batch (one row per sample), "
                         f"got shape {arr.shape}")
    return arr


def softmax(a: ArrayLike) -> np.ndarray:
    """exp(a) / sum(exp(a)), with the max subtracted first so exp never overflows.

    A 2-D input is a batch: softmax of each row.
    """
    arr = _check_scores(a, "a")
    shifted = arr - arr.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_naive(a: ArrayLike) -> np.ndarray:
    """The book's first softmax, exp(a) / sum(exp(a)): overflows to nan for large a.

    Kept to show the problem; NumPy's overflow warnings are silenced here.
    """
    arr = _check_scores(a, "a")
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(arr)
        return e / e.sum(axis=-1, keepdims=True)


# --- losses --------------------------------------------------------------------------

def _targets_as_one_hot(y: np.ndarray, t: ArrayLike) -> np.ndarray:
    """One-hot targets with y's shape, from one-hot ``t`` or label indices."""
    t_arr = np.asarray(t)
    if t_arr.shape == y.shape:
        t_arr = _as_float_array(t_arr, "t", allow_inf=False)
        if not np.all((t_arr == 0) | (t_arr == 1)) or not np.all(t_arr.sum(axis=-1) == 1):
            raise ValueError("one-hot t must have a single 1 (and 0 elsewhere) in each row; "
                             "for class numbers pass label indices instead")
        return t_arr
    labels = _check_labels(t_arr, y)
    one_hot = np.zeros_like(y)
    if y.ndim == 1:
        one_hot[labels] = 1.0
    else:
        one_hot[np.arange(y.shape[0]), labels] = 1.0
    return one_hot


def _check_labels(t: np.ndarray, y: np.ndarray) -> np.ndarray:
    expected = y.shape[:-1]
    if t.shape != expected and not (y.ndim == 1 and t.shape == (1,)):
        raise ValueError(
            f"t must be one-hot with y's shape {y.shape} or label indices with shape {expected}, "
            f"got shape {t.shape}")
    if t.dtype == bool or not (np.issubdtype(t.dtype, np.integer)
                               or np.issubdtype(t.dtype, np.floating)):
        raise ValueError(f"labels must be integers, got dtype {t.dtype}")
    if np.issubdtype(t.dtype, np.floating):
        if not np.all(np.isfinite(t)) or not np.all(t == np.round(t)):
            raise ValueError("labels must be whole numbers (class indices)")
    classes = y.shape[-1]
    if np.any(t < 0) or np.any(t >= classes):
        raise ValueError(f"labels must be in 0..{classes - 1}, got {t.tolist()}")
    labels = t.astype(np.intp)
    return labels.reshape(()) if y.ndim == 1 else labels


def _check_outputs(y: ArrayLike, *, probabilities: bool) -> np.ndarray:
    arr = _as_float_array(y, "y", allow_inf=False)
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0 or arr.size == 0:
        raise ValueError(f"y must be a non-empty 1-D array (one sample) or 2-D (a batch), got shape {arr.shape}")
    if probabilities and (np.any(arr < 0) or np.any(arr > 1 + 1e-12)):
        raise ValueError("y must hold probabilities between 0 and 1 (e.g. softmax output)")
    return arr


def squared_error_terms(y: ArrayLike, t: ArrayLike) -> np.ndarray:
    """The terms 0.5 * (y_k - t_k)**2, shaped like y."""
    y_arr = _check_outputs(y, probabilities=False)
    t_arr = _targets_as_one_hot(y_arr, t)
    return 0.5 * (y_arr - t_arr) ** 2


def mean_squared_error(y: ArrayLike, t: ArrayLike) -> float:
    """E = 0.5 * sum((y - t)**2); a 2-D batch is averaged over its rows.

    ``t`` is one-hot (same shape as y) or label indices.
    """
    y_arr = _check_outputs(y, probabilities=False)
    t_arr = _targets_as_one_hot(y_arr, t)
    if y_arr.ndim == 1:
        return float(0.5 * np.sum((y_arr - t_arr) ** 2))
    return float(0.5 * np.sum((y_arr - t_arr) ** 2) / y_arr.shape[0])


def cross_entropy_terms(y: ArrayLike, t: ArrayLike) -> np.ndarray:
    """The terms -t_k * log(y_k + 1e-7), shaped like y (0 where t_k = 0)."""
    y_arr = _check_outputs(y, probabilities=True)
    t_arr = _targets_as_one_hot(y_arr, t)
    # + 0.0 turns the -0.0 of the t_k = 0 terms into 0.0 for display
    return -(t_arr * np.log(y_arr + DELTA)) + 0.0


def cross_entropy_error(y: ArrayLike, t: ArrayLike) -> float:
    """E = -sum(t * log(y + 1e-7)), averaged over the rows of a 2-D batch (the book's batch version).

    ``t`` is one-hot (same shape as y) or label indices.
    """
    y_arr = _check_outputs(y, probabilities=True)
    one_hot = _targets_as_one_hot(y_arr, t)
    # From here on, the book's code: pick y at the correct class of every row.
    y_rows = y_arr.reshape(-1, y_arr.shape[-1])
    labels = one_hot.reshape(y_rows.shape).argmax(axis=1)
    n = y_rows.shape[0]
    return float(-np.sum(np.log(y_rows[np.arange(n), labels] + DELTA)) / n)


# --- cs231n: SVM (hinge) and softmax classifier losses ---------------------------------

def _check_label(label: Any, classes: int) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)):
        raise ValueError(f"label must be an integer class index, got {label!r}")
    if not 0 <= label < classes:
        raise ValueError(f"label must be in 0..{classes - 1}, got {label}")
    return int(label)


def _check_margin(margin: float) -> float:
    margin = finite(margin, "margin")
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    return margin


def svm_loss(scores: ArrayLike, label: int, margin: float = 1.0) -> tuple[float, np.ndarray]:
    """Multiclass hinge loss L = sum over j != label of max(0, s_j - s_label + margin).

    Returns (loss, terms) with terms[label] = 0.
    """
    s = _check_scores(scores, "scores")
    if s.ndim != 1:
        raise ValueError(f"scores must be 1-D (one sample), got shape {s.shape}; use svm_loss_batch")
    label = _check_label(label, s.size)
    margin = _check_margin(margin)
    terms = np.maximum(0.0, s - s[label] + margin)
    terms[label] = 0.0
    return float(terms.sum()), terms


def svm_loss_batch(scores: ArrayLike, labels: ArrayLike, margin: float = 1.0) -> float:
    """Mean hinge loss over the rows of a 2-D array of scores."""
    s = _check_scores(scores, "scores")
    if s.ndim != 2:
        raise ValueError(f"scores must be 2-D (one row per sample), got shape {s.shape}")
    idx = _check_labels(np.asarray(labels), s)
    margin = _check_margin(margin)
    rows = np.arange(s.shape[0])
    terms = np.maximum(0.0, s - s[rows, idx][:, None] + margin)
    terms[rows, idx] = 0.0
    return float(terms.sum(axis=1).mean())


@dataclass(frozen=True)
class SoftmaxLoss:
    """The softmax classifier loss step by step: exp -> normalise -> -log."""

    scores: np.ndarray
    label: int
    exp: np.ndarray            # e**s (inf for scores above ~709; probabilities stay right)
    probabilities: np.ndarray  # softmax(s)
    loss: float                # -ln p[label]


def softmax_loss(scores: ArrayLike, label: int) -> SoftmaxLoss:
    """Softmax classifier loss for one sample, keeping every intermediate value."""
    s = _check_scores(scores, "scores")
    if s.ndim != 1:
        raise ValueError(f"scores must be 1-D (one sample), got shape {s.shape}")
    label = _check_label(label, s.size)
    with np.errstate(over="ignore"):
        e = np.exp(s)
    shifted = s - s.max()
    log_p = shifted - np.log(np.sum(np.exp(shifted)))  # log-softmax: exact even if p underflows
    return SoftmaxLoss(s, label, e, np.exp(log_p), float(-log_p[label]))


def l2_penalty(W: ArrayLike | Sequence[ArrayLike]) -> float:
    """R(W) = sum of the squares of every weight (one array, or a list of arrays)."""
    arrays = list(W) if isinstance(W, (list, tuple)) else [W]
    if not arrays:
        raise ValueError("l2_penalty needs at least one weight array")
    total = 0.0
    for i, w in enumerate(arrays):
        arr = _as_float_array(w, f"W[{i}]" if len(arrays) > 1 else "W", allow_inf=False)
        total += float(np.sum(arr ** 2))
    return total
