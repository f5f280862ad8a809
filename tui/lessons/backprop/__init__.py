"""Lesson 5: computational graphs and backpropagation (计算图 / 反向传播), chapter 5."""

from nn_tui.tui.lessons import Lesson

LESSON = Lesson(5, "Computational graphs & backpropagation", "计算图与反向传播")
