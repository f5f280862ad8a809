"""Lesson 7: a 2-D playground: decision regions painted while a network learns."""

from nn_tui.tui.lessons import Lesson

LESSON = Lesson(7, "Playground: 2-D classification", "游乐场：二维分类")
