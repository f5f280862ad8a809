"""Lesson 2: activation functions and the output layer (激活函数 / 输出层), chapter 3."""

from nn_tui.tui.lessons import Lesson

LESSON = Lesson(2, "Activation functions & output layer", "激活函数与输出层")
