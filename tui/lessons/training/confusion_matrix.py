"""The confusion matrix as a table: true digit per row, predicted digit per column.

The diagonal (right answers) is highlighted, the largest off-diagonal cells
(the mistakes the network makes most) are drawn in reverse video so they
stand out with or without colour, and each row ends with that digit's
accuracy. About 13 rows by 70 columns: it fits 80x24.
"""

from __future__ import annotations

import math

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from nn_tui.core.labs.inspect import per_class_accuracy, worst_confusions
from nn_tui.tui.i18n import Strings

TEXT = Strings(
    {
        "confusion.corner": ("true╲pred", "真实╲预测"),
        "confusion.accuracy": ("acc", "精度"),
        "confusion.summary": (
            "{n} test digits, {right} right ({percent}); rows: true, columns: predicted",
            "{n} 个测试数字，{right} 个正确（{percent}）；行：真实，列：预测",
        ),
        # Said when the digits are the first of a larger test set: which set, and how many of it.
        "confusion.summary_of": (
            "the first {n} of the {all} test digits ({data}): {right} right ({percent})",
            "{data}的 {all} 个测试数字中的前 {n} 个：{right} 个正确（{percent}）",
        ),
        "confusion.summary_all": (
            "all {all} test digits ({data}): {right} right ({percent})",
            "{data}的全部 {all} 个测试数字：{right} 个正确（{percent}）",
        ),
        "confusion.axes": ("rows: true, columns: predicted", "行：真实，列：预测"),
        "confusion.worst": ("most confused (true→predicted): {cells}", "最常混淆（真实→预测）：{cells}"),
        "confusion.none": ("no mistakes at all", "没有任何错误"),
        "confusion.cell": ("{true}→{predicted} ×{n}", "{true}→{predicted} ×{n}"),
    }
)

WORST = 3


class ConfusionMatrix(Widget):
    """A classes x classes table of counts with per-class accuracy."""

    COMPONENT_CLASSES = {"confusion--header", "confusion--right", "confusion--worst", "confusion--zero"}

    DEFAULT_CSS = """
    ConfusionMatrix {
        width: auto;
        height: auto;
    }
    ConfusionMatrix > .confusion--header { text-style: bold; }
    ConfusionMatrix > .confusion--right { color: $success; text-style: bold; }
    ConfusionMatrix > .confusion--worst { color: $error; text-style: bold reverse; }
    ConfusionMatrix > .confusion--zero { color: $foreground 40%; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.matrix: np.ndarray | None = None
        self.language = "en"
        self.test_set: tuple[int, str] | None = None  # how many test digits the data set has, and its name

    def set_matrix(self, matrix: np.ndarray, language: str = "en", test_set: tuple[int, str] | None = None) -> None:
        """Show ``matrix`` (rows = true class, columns = predicted); checked by the core first.

        `test_set` (the data set's number of test digits and its name) lets the
        summary say which digits the accuracy was measured on.
        """
        per_class_accuracy(matrix)  # a bad matrix is a ValueError before anything changes
        self.matrix = np.asarray(matrix)
        self.language = language
        self.test_set = test_set
        self.refresh(layout=True)

    def _lines(self) -> list[Text]:
        if self.matrix is None:
            return [Text("")]
        t = TEXT.get
        style = self.get_component_rich_style
        matrix = self.matrix
        classes = matrix.shape[0]
        accuracy = per_class_accuracy(matrix)
        worst = {(true, predicted) for true, predicted, _ in worst_confusions(matrix, WORST)}
        cell = max(4, len(str(int(matrix.max()))))
        corner = t("confusion.corner", self.language)
        first = max(cell_len(corner), 3) + 1
        acc_title = t("confusion.accuracy", self.language)

        header = Text(corner + " " * (first - cell_len(corner)), style=style("confusion--header"))
        for predicted in range(classes):
            header.append(f"{predicted:>{cell}} ", style=style("confusion--header"))
        header.append(" " * max(7 - cell_len(acc_title), 1) + acc_title, style=style("confusion--header"))
        lines = [header]
        for true in range(classes):
            line = Text(f"{true:>3}" + " " * (first - 3), style=style("confusion--header"))
            for predicted in range(classes):
                count = int(matrix[true, predicted])
                if true == predicted:
                    kind = "confusion--right"
                elif (true, predicted) in worst:
                    kind = "confusion--worst"
                elif count == 0:
                    kind = "confusion--zero"
                else:
                    kind = ""
                line.append(f"{count if count else '·':>{cell}}", style=style(kind) if kind else "")
                line.append(" ")
            acc = accuracy[true]
            line.append(f"{'—' if math.isnan(acc) else f'{100 * acc:.1f}%':>7}")
            lines.append(line)

        total, right = int(matrix.sum()), int(np.trace(matrix))
        percent = f"{100 * right / total:.1f}%" if total else "—"
        if self.test_set is None:
            lines.append(Text(t("confusion.summary", self.language, n=f"{total:,}", right=f"{right:,}",
                                percent=percent)))
        else:
            size, data = self.test_set
            key = "confusion.summary_all" if total >= size else "confusion.summary_of"
            lines.append(Text(t(key, self.language, n=f"{total:,}", all=f"{size:,}", data=data, right=f"{right:,}",
                                percent=percent)))
            lines.append(Text(t("confusion.axes", self.language)))
        cells = [t("confusion.cell", self.language, true=a, predicted=b, n=n)
                 for a, b, n in worst_confusions(matrix, WORST)]
        lines.append(Text(t("confusion.worst", self.language, cells=", ".join(cells)) if cells
                          else t("confusion.none", self.language)))
        return lines

    def get_content_width(self, container, viewport) -> int:  # noqa: ANN001 (Textual's signature)
        return max(line.cell_len for line in self._lines())

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return len(self._lines())

    def render(self) -> Text:
        return Text("\n").join(self._lines())
