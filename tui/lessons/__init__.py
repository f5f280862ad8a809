"""One screen per lesson.

A lesson is the module `nn_tui.tui.lessons.<mode>` (beside it `<mode>.tcss`)
defining `SCREEN`, its Screen class. `LESSON_PLAN` names the seven lessons of
the mission; a module that is not written yet shows as "coming soon", so a
new lesson is added by writing its module and nothing else.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class Lesson:
    number: int
    mode: str
    title_en: str
    title_zh: str

    @property
    def module_name(self) -> str:
        return f"{__name__}.{self.mode}"

    def title(self, language: str) -> str:
        return self.title_zh if language == "zh" else self.title_en

    @property
    def is_built(self) -> bool:
        return importlib.util.find_spec(self.module_name) is not None

    def load_screen(self) -> type[Screen]:
        """The lesson's Screen class (imported on first use, to start fast)."""
        return importlib.import_module(self.module_name).SCREEN


LESSON_PLAN: tuple[Lesson, ...] = (
    Lesson(1, "perceptron", "Perceptron & logic gates", "感知机与逻辑门"),
    Lesson(2, "activations", "Activation functions & output layer", "激活函数与输出层"),
    Lesson(3, "losses", "Loss functions", "损失函数"),
    Lesson(4, "gradients", "Derivatives & gradients", "数值微分与梯度"),
    Lesson(5, "backprop", "Computational graphs & backpropagation", "计算图与反向传播"),
    Lesson(6, "training", "Training on MNIST", "在 MNIST 上训练"),
    Lesson(7, "playground", "Playground: 2-D classification", "游乐场：二维分类"),
)


def lesson(number: int) -> Lesson:
    for item in LESSON_PLAN:
        if item.number == number:
            return item
    raise ValueError(f"there is no lesson {number}; lessons are 1-{len(LESSON_PLAN)}")
