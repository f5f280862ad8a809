"""The home screen: the seven lessons, each a number key away."""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON
from nn_tui.tui.lessons import Lesson, all_lessons
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.textual_private import OptionList
from nn_tui.tui.widgets.key_footer import KeyFooter
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Static
from textual.widgets.option_list import Option

TEXT = COMMON.extend(
    {
        "home.intro": (
            "Deep Learning from Scratch, chapters 2-6, and the cs231n linear-classifier "
            "notes — every step computed by NumPy, shown one step at a time.",
            "《深度学习入门：基于Python的理论与实现》第2-6章与 cs231n 线性分类器笔记："
            "每一步都由 NumPy 计算，一步一步展示。",
        ),
        "home.hint": (
            "↑↓ and Enter, or a number key, open a lesson.",
            "用 ↑↓ 和 Enter，或数字键，打开课程。",
        ),
        "help.text": (
            "nn-tui teaches how a neural network learns by letting you touch every step. "
            "Pick a lesson with the arrow keys and Enter, or press its number.",
            "nn-tui 让你亲手操作每一步，从而理解神经网络如何学习。"
            "用方向键和 Enter 选择课程，或直接按课程编号。",
        ),
    }
)


def lesson_label(lesson: Lesson, language: str) -> Text:
    return Text.assemble((f" {lesson.key} ", "bold reverse"), "  ", lesson.title(language))


class HomeScreen(NNScreen):
    TEXT = TEXT

    def compose(self) -> ComposeResult:
        yield Header(icon="•")  # in the font nn-tui serve ships, so offline browsers draw it too
        with Vertical(id="home-body"):
            yield Static(self.t("home.intro"), id="home-intro")
            yield OptionList(
                *(Option(lesson_label(item, self.language), id=item.mode) for item in all_lessons()),
                id="lesson-list",
            )
            yield Static(self.t("home.hint"), id="home-hint")
        yield KeyFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        number = next(item.number for item in all_lessons() if item.mode == event.option.id)
        self.app.action_lesson(number)

    async def language_changed(self, language: str) -> None:
        # Relabel in place: recomposing removed the Header while its title
        # watcher could still fire, and two quick `l` presses crashed the app.
        self.query_one("#home-intro", Static).update(self.t("home.intro"))
        self.query_one("#home-hint", Static).update(self.t("home.hint"))
        options = self.query_one(OptionList)
        for item in all_lessons():
            options.replace_option_prompt(item.mode, lesson_label(item, language))
