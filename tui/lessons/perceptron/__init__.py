"""Lesson 1: the perceptron and logic gates (感知机), the book's chapter 2."""

from nn_tui.tui.lessons import Lesson

LESSON = Lesson(1, "Perceptron & logic gates", "感知机与逻辑门")
