"""Lesson 3: loss functions (损失函数), chapter 4 and the cs231n notes."""

from nn_tui.tui.lessons import Lesson

LESSON = Lesson(3, "Loss functions", "损失函数")
