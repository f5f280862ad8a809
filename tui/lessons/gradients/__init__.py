"""Lesson 4: numerical derivatives and gradients (数值微分 / 梯度), chapter 4."""

from nn_tui.tui.lessons import Lesson

LESSON = Lesson(4, "Derivatives & gradients", "数值微分与梯度")
