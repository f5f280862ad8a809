"""Every string of lesson 1 (the perceptron and logic gates), in English and 简体中文."""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON

TEXT = COMMON.extend(
    {
        "title": ("Lesson 1 · Perceptron", "第1课 · 感知机"),
        "gate": ("gate", "门"),
        "gate.AND": ("AND", "与门"),
        "gate.NAND": ("NAND", "与非门"),
        "gate.OR": ("OR", "或门"),
        "gate.XOR": ("XOR", "异或门"),
        "gate.custom": ("custom", "自定义"),
        "threshold": ("threshold θ = -b = {theta}", "阈值 θ = -b = {theta}"),
        # ⊘ ⊗: a point on the wrong side of the line (gate_plane.WRONG_GLYPHS); fits the plane's 30 columns at 80×24.
        "legend.points": ("○ × want 0/1  ⊘ ⊗ wrong  · y=1", "○ × 目标 0/1  ⊘ ⊗ 错  · 输出 1"),
        "legend.regions": ("⠤ x1·w1 + x2·w2 + b = 0", "⠤ 直线 x1·w1 + x2·w2 + b = 0"),
        "legend.trail": ("⠤ the line, dashed: its last {n}", "⠤ 直线，虚线：之前的 {n} 条"),
        "legend.outside": ("the line lies outside the plot", "直线在图外：四个点在同一侧"),
        "legend.no_line": ("no line: w1 = w2 = 0", "没有直线：w1 = w2 = 0"),
        "table.title": ("Truth table", "真值表"),
        "table.sum": ("sum", "加权和"),
        "table.want": ("want", "目标"),
        "table.all_right": ("all 4 right", "4 行全对"),
        "table.wrong": ("{n} wrong ✗", "{n} 行错误 ✗"),
        "table.no_line": (
            "No line separates these: v shows two layers.",
            "没有直线能分开它们：按 v 看两层感知机。",
        ),
        "learn.idle": (
            "n: learn with the perceptron rule  w ← w + η(t − y)·x,  b ← b + η(t − y),  η = {lr}, "
            "one sample per press, from random weights (seed {seed}).",
            "n：用感知机学习规则学习  w ← w + η(t − y)·x，b ← b + η(t − y)，学习率 η = {lr}，"
            "每按一次学一个样本，从随机权重开始（种子 {seed}）。",
        ),
        "learn.idle_edited": (
            "n: learn with the perceptron rule  w ← w + η(t − y)·x,  b ← b + η(t − y),  η = {lr}, "
            "one sample per press, from the weights shown.",
            "n：用感知机学习规则学习  w ← w + η(t − y)·x，b ← b + η(t − y)，学习率 η = {lr}，"
            "每按一次学一个样本，从当前权重开始。",
        ),
        "learn.step": (
            "Step {step} · sample ({x1}, {x2}): sum {sum} → y = {y}, target t = {t}",
            "第 {step} 步 · 样本 ({x1}, {x2})：加权和 {sum} → y = {y}，目标 t = {t}",
        ),
        "learn.right": (": right, no change", "：正确，不更新"),
        "learn.wrong": (": wrong, t − y = {error}, update", "：错误，t − y = {error}，更新权重"),
        "learn.converged": (
            "Converged after {epochs} epochs ({steps} steps): 4 samples in a row with no error.",
            "经过 {epochs} 个 epoch（{steps} 步）收敛：连续 4 个样本都没有错误。",
        ),
        "learn.running": ("Not converged yet (epoch {epoch}).", "尚未收敛（第 {epoch} 个 epoch）。"),
        "learn.never": (
            "{gate} is not linearly separable: the rule will never converge.",
            "{gate}不是线性可分的：学习规则永远不会收敛。",
        ),
        "learn.this_gate": ("This gate", "这个门"),
        "two.title": ("XOR with two layers of perceptrons", "用两层感知机实现异或门"),
        "two.weights": ("weights (w1, w2, b)", "权重 (w1, w2, b)"),
        "two.note": (
            "Layer 1 draws two lines (NAND, OR); layer 2 (AND) keeps the strip between them. "
            "a, b change the inputs; v goes back to one perceptron.",
            "第一层画出两条直线（与非门、或门），第二层（与门）取两条线之间的区域。"
            "a、b 切换输入；v 回到单个感知机。",
        ),
        "nudge.two_layer": (
            "The weights are edited in the one-perceptron view: press v.",
            "权重在单个感知机视图中修改：请按 v。",
        ),
        # Refusals: core's codes (nn_tui.core.labs.perceptron) and the screen's own.
        "perceptron.weight_limit": (
            "{name} stays between -{limit:g} and {limit:g}.",
            "{name} 只能在 -{limit:g} 到 {limit:g} 之间。",
        ),
        "perceptron.not_the_gate": (
            "The saved state's {field} does not belong to the {gate} gate; nothing was changed.",
            "保存的状态中 {field} 与 {gate} 门不符；未作任何更改。",
        ),
        "perceptron.nothing_to_undo": (
            "There is no learning step to undo: n takes one.",
            "没有可撤销的学习步骤：按 n 学习一步。",
        ),
        "perceptron.two_layer_not_xor": (
            "The saved state shows two layers for the {gate} gate, but they are XOR's; nothing was changed.",
            "保存的状态在{gate}下显示两层感知机，但两层视图只属于异或门；未作任何更改。",
        ),
        "key.toggle_x1": ("x1/x2", "x1/x2"),
        "key.toggle_x2": ("x2", "x2"),
        "key.next_gate": ("Gate", "换门"),
        "key.previous_gate": ("Previous gate", "上一个门"),
        # Footer labels are short: the lesson's keys must fit 80 columns (? lists them all).
        "key.select_weight": ("Pick", "选择"),
        "key.nudge_down": ("±0.1", "±0.1"),
        "key.nudge_up": ("+0.1", "+0.1"),
        "key.flip_target": ("Flip", "翻转"),
        "key.learn": ("Learn", "学习"),
        "key.undo": ("Undo a step", "撤销一步"),
        "key.two_layer": ("XOR", "异或"),
        "key.reset": ("Reset", "重置"),
        # The command palette's names, where the short footer label says too little.
        "command.toggle_x1": ("Toggle input x1", "切换输入 x1"),
        "command.toggle_x2": ("Toggle input x2", "切换输入 x2"),
        "command.next_gate": ("Next gate", "下一个门"),
        "command.select_weight": ("Pick the weight to change", "选择要调整的权重"),
        "command.nudge_down": ("Weight −0.1", "权重 −0.1"),
        "command.nudge_up": ("Weight +0.1", "权重 +0.1"),
        "command.flip_target": ("Flip the wanted output of this row", "翻转本行的目标输出"),
        "command.learn": ("Learn one sample (perceptron rule)", "学习一个样本（感知机学习规则）"),
        "command.two_layer": ("XOR from two layers", "用两层感知机实现异或"),
        "command.previous_gate": ("Previous gate", "上一个门"),
        "command.undo": ("Undo the last learning step", "撤销上一个学习步骤"),
        "command.reset": ("Back to the gate's starting weights", "回到这个门的初始权重"),
        # Help text is shown as Textual markup: "\\[" is a literal "[".
        "help.text": (
            "A perceptron with weights w1, w2 and bias b outputs y = 1 when x1·w1 + x2·w2 + b > 0, else 0 "
            "(θ = -b is the threshold). "
            "a and b toggle the inputs; g picks AND, NAND, OR, XOR or a custom gate (t flips the wanted "
            "output of the current row). The plane shows the four inputs as ○ (want 0) and × (want 1), "
            "⊘ and ⊗ when on the wrong side of the line, "
            "the line x1·w1 + x2·w2 + b = 0 and the region where y = 1 (dotted). \\[ and ] change a weight "
            "by 0.1 (w picks which); or Tab to it, type a number, Enter. n applies the perceptron learning "
            "rule to one sample (the plane keeps the last few lines, dashed); u undoes a step. AND, NAND and "
            "OR converge, XOR never does: v shows XOR built from two layers. r resets.",
            "权重为 w1、w2，偏置为 b 的感知机在 x1·w1 + x2·w2 + b > 0 时输出 y = 1，否则输出 0（θ = -b 是阈值）。"
            "a、b 切换输入；g 选择与门、与非门、或门、异或门或自定义门（t 翻转当前行的目标输出）。"
            "平面上四个输入点画成 ○（目标 0）和 ×（目标 1），在直线错误一侧的画成 ⊘ 和 ⊗；还有直线 x1·w1 + x2·w2 + b = 0 "
            "以及 y = 1 的区域（点状）。\\[ 和 ] 把权重调整 0.1（w 选择哪一个）；"
            "或按 Tab 进入输入框，输入数字后按 Enter。"
            "n 对一个样本应用一次感知机学习规则（平面上以虚线保留之前几条直线）；u 撤销一步。"
            "与门、与非门、或门会收敛，异或门永远不会："
            "v 展示用两层感知机实现异或门。r 重置。",
        ),
    }
)
