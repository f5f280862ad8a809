"""Lesson 6: a NumPy network learning MNIST in mini-batches, chapters 4-6."""

from nn_tui.tui.lessons import Lesson

LESSON = Lesson(6, "Training on MNIST", "在 MNIST 上训练")
