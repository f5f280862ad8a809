"""Why the book's trained network could not be used: a sentence for each `inference.*` refusal.

English and 简体中文. Lesson 2 shows the network and lesson 3 computes its
loss on a mini-batch, so both catalogues extend this table.
"""

from __future__ import annotations

NETWORK_TEXT: dict[str, tuple[str, str]] = {
    "inference.weights_missing": (
        "the trained weights ({file}) are missing; reinstall nn-tui.",
        "找不到训练好的权重（{file}）；请重新安装 nn-tui。",
    ),
    "inference.weights_damaged": (
        "the trained weights ({file}) are damaged or not a NumPy .npz of arrays; reinstall nn-tui.",
        "训练好的权重（{file}）已损坏，或不是由数组组成的 NumPy .npz 文件；请重新安装 nn-tui。",
    ),
    "inference.weights_array": (
        "the trained weights ({file}): {name} is not a finite float array of shape {expected}; reinstall nn-tui.",
        "训练好的权重（{file}）中，{name} 不是形状为 {expected} 的有限浮点数数组；请重新安装 nn-tui。",
    ),
    "inference.digit_outside": (
        "There is no test digit x[{index}]: the test set found has {count:,} digits. Showing x[0].",
        "没有测试图像 x[{index}]：找到的测试数据只有 {count:,} 个。现在显示 x[0]。",
    ),
}
