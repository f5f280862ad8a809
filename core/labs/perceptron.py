"""Lesson 1's workbench: one perceptron, its two inputs, the gate it should be.

`PerceptronLab` holds everything the perceptron lesson shows -- the chosen
gate and its targets, the weights, the inputs x1 and x2, and a run of the
perceptron learning rule -- so a screen only renders it. The maths is in
`nn_tui.core.gates`; this module adds the lesson's choices (which weights a
gate starts from, what editing a weight does to a learning run) and prints
numbers the way the book does (0.30, never 0.30000000000000004).

Its state document (`to_state` / `from_state`) keeps what the student set --
gate, wanted outputs, weights, inputs, seed -- and how many learning steps
were taken; the run itself is replayed from those, so the weights, the last
step and the convergence shown come back exactly as they were. Undoing a
step (`undo_step`) replays the run one step short in the same way, and the
run's history gives the plane its trail of earlier lines (`trail`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from nn_tui.core.gates import (
    AND,
    GATE_TARGETS,
    INPUTS,
    NAND,
    OR,
    LearningStep,
    Perceptron,
    PerceptronLearner,
    XorResult,
    is_linearly_separable,
    xor,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

#: The gates the lesson cycles through; "custom" is any truth table the user flips.
GATES: tuple[str, ...] = ("AND", "NAND", "OR", "XOR", "custom")

#: Where each gate starts. XOR has no single-perceptron solution: from OR's
#: weights only the row (1, 1) is wrong, a good place to start trying.
START_WEIGHTS: Mapping[str, Perceptron] = MappingProxyType({"AND": AND, "NAND": NAND, "OR": OR, "XOR": OR})

WEIGHT_NAMES: tuple[str, ...] = ("w1", "w2", "b")
#: Weights stay within ±WEIGHT_LIMIT; the plane only shows -0.5..1.5 anyway.
WEIGHT_LIMIT = 10.0
NUDGE = 0.1
#: A learning run may carry a weight past WEIGHT_LIMIT (only typing is held to it),
#: so a state document accepts weights up to this far bigger bound.
STATE_WEIGHT_LIMIT = 10 * WEIGHT_LIMIT
#: Steps a state document may ask to replay (far more than a class presses n).
MAX_LEARNING_STEPS = 100_000
#: Seeds NumPy's generator takes, as a state document may give them.
MAX_SEED = 2**32 - 1
#: The part of the input plane the lesson plots (x1 across, x2 up).
PLANE_RANGE: tuple[float, float] = (-0.5, 1.5)
#: How many earlier lines of a learning run the plane keeps as a faint trail.
TRAIL_LENGTH = 3


def clean(value: float) -> float:
    """`value` without float noise: 0.1 + 0.2 is 0.3 here, and -0.0 is 0.0."""
    return round(float(value), 10) + 0.0


def format_weight(value: float) -> str:
    """A weight as the book writes it: 0.5, -0.7, 1 (no trailing zeros, no noise)."""
    text = f"{clean(value):.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def decimals(value: float) -> int:
    """How many decimals `format_weight` shows for `value`."""
    text = format_weight(value)
    return len(text.partition(".")[2])


def format_sum(value: float, weights: tuple[float, ...] = ()) -> str:
    """A weighted sum with two decimals (0.30), more if the weights have more.

    A sum of weights with d decimals has at most d decimals itself, so this
    never rounds a non-zero sum to 0.00 (which would contradict the output).
    """
    places = min(6, max([2, *(decimals(w) for w in weights)]))
    return f"{clean(value):.{places}f}"


def weighted_sum(p: Perceptron, x1: float, x2: float) -> float:
    """x1·w1 + x2·w2 + b (core rounds away float noise: 0.1 + 0.2 - 0.3 is 0)."""
    return p.weighted_sum(x1, x2)


def output(p: Perceptron, x1: float, x2: float) -> int:
    return p.output(x1, x2)


def _outputs(p: Perceptron, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """`output` at many points at once."""
    sums = np.round(np.asarray(x1) * p.w1 + np.asarray(x2) * p.w2 + p.b, 10)
    return (sums > 0).astype(np.int8)


class LabRow(NamedTuple):
    """One truth-table row as the lesson shows it."""

    x1: int
    x2: int
    weighted_sum: float
    y: int
    target: int
    current: bool

    @property
    def correct(self) -> bool:
        return self.y == self.target


class PerceptronLab:
    """The perceptron lesson's state: gate, weights, inputs and a learning run."""

    def __init__(self, gate: str = "AND", seed: int = 0) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(f"seed must be an integer, got {seed!r}")
        self.seed = seed
        self.x1 = 0
        self.x2 = 0
        self.gate = "AND"
        self.targets: tuple[int, ...] = GATE_TARGETS["AND"]
        self.perceptron: Perceptron = AND
        self._start: Perceptron = AND
        self.learner: PerceptronLearner | None = None
        self.last_step: LearningStep | None = None
        #: The weights shown when the current run began (None: no run).
        self._before_run: Perceptron | None = None
        #: Steps taken when the run first converged (None: not yet).
        self.converged_at: int | None = None
        #: Every step of the current run, oldest first (for the trail).
        self.history: list[LearningStep] = []
        #: The inputs (x1, x2) just before each step of the run (undo puts them back).
        self._inputs_before: list[tuple[int, int]] = []
        self.select_gate(gate)

    # --- choosing the gate ----------------------------------------------------

    def select_gate(self, name: str) -> None:
        """Make `name` the gate to show; a book gate starts from the book's weights.

        "custom" keeps the current truth table and weights, ready to be changed.
        """
        if name not in GATES:
            raise ValueError(f"unknown gate {name!r}; choose one of {', '.join(GATES)}")
        if name != "custom":
            self.targets = GATE_TARGETS[name]
            self.perceptron = START_WEIGHTS[name]
        self.gate = name
        self._start = self.perceptron
        self._forget_learning()

    def next_gate(self, step: int = 1) -> str:
        """Move `step` places along `GATES` (wrapping); return the new gate."""
        self.select_gate(GATES[(GATES.index(self.gate) + step) % len(GATES)])
        return self.gate

    def flip_target(self) -> None:
        """Flip the wanted output of the current row; the gate becomes "custom"."""
        targets = list(self.targets)
        targets[self.row_index] = 1 - targets[self.row_index]
        self.gate = "custom"
        self.targets = tuple(targets)
        self._start = self.perceptron
        self._forget_learning()

    def reset(self) -> None:
        """Back to the weights this gate started from, with no learning run."""
        self.perceptron = self._start
        self._forget_learning()

    # --- inputs and weights ---------------------------------------------------

    def toggle_x1(self) -> None:
        self.x1 = 1 - self.x1

    def toggle_x2(self) -> None:
        self.x2 = 1 - self.x2

    def weight(self, name: str) -> float:
        self._check_name(name)
        return getattr(self.perceptron, name)

    def set_weight(self, name: str, value: float) -> None:
        """Set w1, w2 or b; the next learning step starts a run from these weights."""
        self._check_name(name)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{name} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value}")
        if abs(value) > WEIGHT_LIMIT:
            raise Refusal("perceptron.weight_limit", name=name, limit=WEIGHT_LIMIT)
        self.perceptron = self.perceptron.with_weights(**{name: clean(value)})
        self._forget_learning()

    def can_nudge(self, name: str, delta: float) -> bool:
        return abs(clean(self.weight(name) + delta)) <= WEIGHT_LIMIT

    def nudge(self, name: str, delta: float) -> float:
        """Add `delta` to a weight (e.g. ±0.1); return the new value.

        Past ±WEIGHT_LIMIT it raises `Refusal("perceptron.weight_limit")`, changing nothing.
        """
        self.set_weight(name, clean(self.weight(name) + delta))
        return self.weight(name)

    # --- what the perceptron computes now -------------------------------------

    @property
    def row_index(self) -> int:
        """The truth-table row of the current inputs."""
        return INPUTS.index((self.x1, self.x2))

    @property
    def weights(self) -> tuple[float, float, float]:
        p = self.perceptron
        return (p.w1, p.w2, p.b)

    @property
    def weighted_sum(self) -> float:
        """x1·w1 + x2·w2 + b for the current inputs."""
        return weighted_sum(self.perceptron, self.x1, self.x2)

    @property
    def input_sum(self) -> float:
        """x1·w1 + x2·w2 (the threshold form compares this with θ = -b)."""
        return clean(self.x1 * self.perceptron.w1 + self.x2 * self.perceptron.w2)

    @property
    def output(self) -> int:
        return output(self.perceptron, self.x1, self.x2)

    @property
    def theta(self) -> float:
        return self.perceptron.theta

    def rows(self) -> list[LabRow]:
        p, current = self.perceptron, self.row_index
        return [
            LabRow(x1, x2, weighted_sum(p, x1, x2), output(p, x1, x2), target, i == current)
            for i, ((x1, x2), target) in enumerate(zip(INPUTS, self.targets))
        ]

    @property
    def wrong_rows(self) -> int:
        return sum(not row.correct for row in self.rows())

    @property
    def solved(self) -> bool:
        return self.wrong_rows == 0

    @property
    def separable(self) -> bool:
        """Can any single line give these targets? (XOR: no.)"""
        return is_linearly_separable(self.targets)

    def regions(self, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
        """The perceptron's output (0 or 1) at every point of a grid of inputs."""
        return _outputs(self.perceptron, x1, x2)

    # --- XOR with two layers --------------------------------------------------

    def xor_now(self) -> XorResult:
        """s1 = NAND, s2 = OR and y = AND(s1, s2) for the current inputs."""
        return xor(self.x1, self.x2)

    @staticmethod
    def xor_table() -> list[XorResult]:
        return [xor(x1, x2) for x1, x2 in INPUTS]

    @staticmethod
    def xor_regions(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
        """The two-layer XOR network's output at every point of a grid of inputs."""
        s1 = _outputs(NAND, x1, x2)
        s2 = _outputs(OR, x1, x2)
        return _outputs(AND, s1, s2)

    # --- the perceptron learning rule -----------------------------------------

    @property
    def lr(self) -> float:
        return 0.1 if self.learner is None else self.learner.lr

    def learn_step(self) -> LearningStep:
        """One update of the rule on the next sample; return what it did.

        A run starts from random weights (seeded, so a class sees the same
        run), or from the weights shown if they were edited by hand. The
        current inputs move to the sample just used.
        """
        if self.learner is None:
            start = None if self.starts_from_random else self.perceptron
            self._before_run = self.perceptron
            self.learner = PerceptronLearner(self.targets, perceptron=start, rng=self.seed)
        self._inputs_before.append((self.x1, self.x2))
        step = self.learner.step()
        self.history.append(step)
        self.perceptron = self.learner.perceptron
        self.x1, self.x2 = step.sample
        self.last_step = step
        if self.learner.converged and self.converged_at is None:
            self.converged_at = self.learner.steps
        return step

    def undo_step(self) -> None:
        """Go back to just before the last learning step: weights, run, inputs.

        The run is replayed from where it began, one step short (it is seeded,
        so the same steps come out). The inputs go back to what they were
        before the step (in a run reopened from a state document: where the
        step before left them). With no step to undo it raises
        `Refusal("perceptron.nothing_to_undo")`, changing nothing.
        """
        if self.learner is None or self.learning_steps == 0:
            raise Refusal("perceptron.nothing_to_undo")
        steps = self.learning_steps - 1
        inputs = list(self._inputs_before)
        self.perceptron = self._before_run
        self._forget_learning()
        for _ in range(steps):
            self.learn_step()
        if len(inputs) == steps + 1:
            # The inputs as they were before each step, toggles between steps included.
            self._inputs_before = inputs[:-1]
            self.x1, self.x2 = inputs[-1]

    def trail(self, count: int = TRAIL_LENGTH) -> list[Perceptron]:
        """Up to `count` earlier weights of this run, newest first, none equal to the weights now.

        Only steps that changed the weights leave a line behind.
        """
        earlier: list[Perceptron] = []
        for step in reversed(self.history):
            if len(earlier) == count:
                break
            if step.changed and step.old != self.perceptron and step.old not in earlier:
                earlier.append(step.old)
        return earlier

    @property
    def has_line(self) -> bool:
        """Is there a decision line at all? (w1 = w2 = 0: every input gives the same output.)"""
        return self.perceptron.decision_line().exists

    @property
    def line_in_plot(self) -> bool:
        """Does the decision line cross the plotted part of the plane (-0.5..1.5 both ways)?"""
        return self.perceptron.decision_line().segment(PLANE_RANGE, PLANE_RANGE) is not None

    @property
    def starts_from_random(self) -> bool:
        """Will the next step start a run from random weights (not from edited ones)?"""
        return self.learner is None and self.perceptron == self._start

    @property
    def learning_steps(self) -> int:
        return 0 if self.learner is None else self.learner.steps

    @property
    def current_epoch(self) -> int:
        """The epoch the last step belonged to (1 for steps 1-4; 0 before any step)."""
        return -(-self.learning_steps // len(INPUTS))

    @property
    def converged_epochs(self) -> int | None:
        """Epochs (passes over the 4 samples, the last one maybe partial) until convergence."""
        if self.converged_at is None:
            return None
        return -(-self.converged_at // len(INPUTS))

    def _forget_learning(self) -> None:
        self.learner = None
        self._before_run = None
        self.last_step = None
        self.converged_at = None
        self.history = []
        self._inputs_before = []

    # --- the state document ---------------------------------------------------

    def to_state(self) -> dict[str, object]:
        """What the student set, as plain JSON-able data (`from_state` reads it back).

        `weights` are the weights set by hand or by the gate; with
        `learning_steps` > 0 they are where the run began, and the weights
        shown now come from replaying the steps (the run is seeded).
        `reset_weights` are the weights r goes back to.
        """
        before = self.perceptron if self._before_run is None else self._before_run
        return {
            "gate": self.gate,
            "targets": list(self.targets),
            "weights": [before.w1, before.w2, before.b],
            "reset_weights": [self._start.w1, self._start.w2, self._start.b],
            "x1": self.x1,
            "x2": self.x2,
            "seed": self.seed,
            "learning_steps": self.learning_steps,
        }

    @classmethod
    def from_state(cls, fields: Fields) -> PerceptronLab:
        """A new lab from a state document; raise `Refusal` (naming the field) if it is not valid."""
        gate = fields.choice("gate", GATES)
        targets = tuple(fields.integers("targets", len(INPUTS), 0, 1))
        weights = fields.numbers("weights", len(WEIGHT_NAMES), -STATE_WEIGHT_LIMIT, STATE_WEIGHT_LIMIT)
        reset = fields.numbers("reset_weights", len(WEIGHT_NAMES), -STATE_WEIGHT_LIMIT, STATE_WEIGHT_LIMIT)
        x1 = fields.integer("x1", 0, 1)
        x2 = fields.integer("x2", 0, 1)
        seed = fields.integer("seed", 0, MAX_SEED)
        steps = fields.integer("learning_steps", 0, MAX_LEARNING_STEPS)
        if gate != "custom":
            # A book gate has the book's wanted outputs and starts from its own weights.
            if targets != GATE_TARGETS[gate]:
                raise Refusal("perceptron.not_the_gate", field=f"{fields.where}.targets", gate=gate)
            if Perceptron(*reset) != START_WEIGHTS[gate]:
                raise Refusal("perceptron.not_the_gate", field=f"{fields.where}.reset_weights", gate=gate)
        lab = cls(seed=seed)
        lab.gate = gate
        lab.targets = targets
        lab._start = Perceptron(*reset)
        lab.perceptron = Perceptron(*weights)
        for _ in range(steps):
            lab.learn_step()
        lab.x1, lab.x2 = x1, x2
        return lab

    @staticmethod
    def _check_name(name: str) -> None:
        if name not in WEIGHT_NAMES:
            raise ValueError(f"unknown weight {name!r}; the weights are {', '.join(WEIGHT_NAMES)}")
