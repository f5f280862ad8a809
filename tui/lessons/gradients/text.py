"""Every string of lesson 4 (derivatives and gradients), in English and 简体中文."""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON

TEXT = COMMON.extend(
    {
        "tab.difference": ("Difference", "数值微分"),
        "tab.partials": ("Partials & gradient", "偏导数与梯度"),
        "tab.descent": ("Gradient descent", "梯度下降法"),
        "tab.race": ("Optimisers", "优化器比较"),
        "key.section_difference": ("Difference", "数值微分"),
        "key.section_partials": ("Partials", "偏导数"),
        "key.section_descent": ("Descent", "梯度下降"),
        "key.section_race": ("Optimisers", "优化器"),
        "key.next_x": ("5/10", "5/10"),
        "key.next_function": ("f(x)", "f(x)"),
        "key.smaller": ("h", "h"),
        "key.larger": ("more", "增大"),
        "key.preset": ("η", "η"),
        "key.preset_up": ("η", "η"),
        "key.move": ("move", "移动"),
        "key.step": ("Step", "一步"),
        "key.step10": ("×10", "×10"),
        "key.reset": ("Reset", "重置"),
        "key.edit": ("Type", "输入"),
        "key.move_right": ("x0 +0.5", "x0 +0.5"),
        "key.move_up": ("x1 +0.5", "x1 +0.5"),
        "key.move_down": ("x1 −0.5", "x1 −0.5"),
        # The command palette's names, where the short footer label says too little.
        "command.step": ("One step (of the descent, or of every optimiser)", "走一步（梯度下降法，或每个优化器）"),
        "command.step10": ("Ten steps (of the descent, or of every optimiser)", "走十步（梯度下降法，或每个优化器）"),
        "command.reset": ("Start the descent or the race again", "重新开始梯度下降法或优化器比较"),
        "command.next_x": ("Switch x between the book's 5 and 10", "x 在书中的 5 与 10 之间切换"),
        "command.next_function": (
            "Switch the function: the book's 0.01x²+0.1x or x³",
            "切换函数：书中的 0.01x²+0.1x 或 x³",
        ),
        "command.smaller": ("Make h ten times smaller", "把 h 缩小 10 倍"),
        "command.larger": ("Make h ten times larger", "把 h 放大 10 倍"),
        "command.preset": ("A smaller learning rate η", "更小的学习率 η"),
        "command.preset_up": ("A larger learning rate η", "更大的学习率 η"),
        "command.move": ("Move the point: x0 −0.5", "移动该点：x0 −0.5"),
        "command.move_right": ("Move the point: x0 +0.5", "移动该点：x0 +0.5"),
        "command.move_up": ("Move the point: x1 +0.5", "移动该点：x1 +0.5"),
        "command.move_down": ("Move the point: x1 −0.5", "移动该点：x1 −0.5"),
        "command.edit": (
            "Type a number: x or h, the point, the learning rate η",
            "输入数字：x 或 h、该点、学习率 η",
        ),
        "help.text": (
            "Four sections, picked with d, p, g, o.\n"
            "d — numerical differentiation (数值微分): the forward difference (f(x+h)−f(x))/h against "
            "the central difference (f(x+h)−f(x−h))/2h of the book's 0.01x²+0.1x (f switches to x³, where the "
            "central difference's h² error shows). x toggles x = 5 / 10, − and + make h ten times smaller or "
            "larger (1e-50 … 1), e types x or h. The left plot shows the error against h on log-log axes: "
            "too large an h gives truncation error, too small a rounding error; the right one f and its "
            "tangent at x.\n"
            "p — partial derivatives of x0²+x1² at a point moved with the arrow keys (0.5 a step) or typed "
            "(e); the arrows of the field point along −∇f, downhill.\n"
            "g — gradient descent from (−3, 4): n one step, m ten steps, r reset, − and + pick the "
            "learning rate 0.01 / 0.1 / 1.0 / 10, e types one.\n"
            "o — SGD, Momentum, AdaGrad and Adam on x²/20+y² from (−7, 2), one panel each (the book's "
            "Fig. 6-8), a mark at every step: n one step for all four, m ten steps, r reset; e types each "
            "optimiser's learning rate η (Tab to the next), and the race is run again to the same step. "
            "Escape leaves a number field.",
            "四个部分，用 d、p、g、o 切换。\n"
            "d — 数值微分：比较书中函数 0.01x²+0.1x 的前向差分 (f(x+h)−f(x))/h 与中心差分 "
            "(f(x+h)−f(x−h))/2h（f 键换成 x³，可以看到中心差分的 h² 误差）。x 键在 x = 5 / 10 间切换，"
            "− 和 + 把 h 缩小或放大 10 倍（1e-50 … 1），e 输入 x 或 h。"
            "左图是误差随 h 变化的双对数曲线：h 太大有截断误差，h 太小有舍入误差；右图是 f 及其在 x 处的切线。\n"
            "p — x0²+x1² 在某点的偏导数；用方向键（每次 0.5）移动该点或按 e 输入；"
            "梯度场中的箭头指向 −∇f，即下降方向。\n"
            "g — 从 (−3, 4) 开始的梯度下降法：n 走一步，m 走十步，r 重置，− 和 + 选择学习率 "
            "0.01 / 0.1 / 1.0 / 10，e 输入学习率。\n"
            "o — SGD、Momentum、AdaGrad、Adam 在 x²/20+y² 上从 (−7, 2) 出发，各占一个面板（书中图 6-8），"
            "每一步都有标记：n 四者各走一步，m 走十步，r 重置；e 输入各优化器的学习率 η（Tab 切换到下一个），"
            "比赛会重新运行到同一步。Esc 离开数字输入框。",
        ),
        # -- d: numerical differentiation
        "diff.function.function_1": (
            "f(x) = 0.01x² + 0.1x   (the book's function_1; f: x³)",
            "f(x) = 0.01x² + 0.1x（书中的 function_1；f：x³）",
        ),
        "diff.function.cube": (
            "f(x) = x³   (f: back to the book's function_1)",
            "f(x) = x³（f：回到书中的 function_1）",
        ),
        "diff.forward": ("forward  (f(x+h) − f(x)) / h", "前向差分 (f(x+h) − f(x)) / h"),
        "diff.central": ("central  (f(x+h) − f(x−h)) / 2h", "中心差分 (f(x+h) − f(x−h)) / 2h"),
        "diff.exact.function_1": ("exact    f'(x) = 0.02x + 0.1", "解析解   f'(x) = 0.02x + 0.1"),
        "diff.exact.cube": ("exact    f'(x) = 3x²", "解析解   f'(x) = 3x²"),
        "diff.error": ("error", "误差"),
        "diff.float32": (
            "np.float32(1e-50) = {value}: a too-small number is rounded away (舍入误差).",
            "np.float32(1e-50) = {value}：过小的数值会产生舍入误差。",
        ),
        "diff.why.function_1": (
            "A quadratic: central has no truncation error (its h² term is 0), its curve is rounding "
            "error only (∝ 1/h); forward's truncation error is ∝ h. f shows x³, where h² appears.",
            "二次函数：中心差分没有截断误差（h² 项为 0），图中只有舍入误差（∝ 1/h）；"
            "前向差分的截断误差 ∝ h。按 f 换成 x³，可以看到 h² 误差。",
        ),
        "diff.why.cube": (
            "x³: truncation error ∝ h forward, exactly h² central; tiny h: rounding error ∝ 1/h. "
            "So the book takes h = 1e-4.",
            "x³：前向差分截断误差 ∝ h，中心差分恰好是 h²；h 太小：舍入误差（∝ 1/h）。所以书中取 h = 1e-4。",
        ),
        "diff.h_lost": (
            "h = {h} is lost: x + h rounds to x (舍入误差), so both differences are 0.",
            "h = {h} 被舍入掉了：x + h 舍入后等于 x，两种差分都是 0。",
        ),
        "diff.tangent_title": ("f and its tangent at x = {x}, slope {slope}", "f 与 x = {x} 处的切线，斜率 {slope}"),
        "diff.legend_tangent": ("tangent", "切线"),
        "diff.h_range": ("h stays between 1e-50 and 1 here.", "这里 h 的范围是 1e-50 到 1。"),
        "diff.plot_title": ("error against h (log-log)", "误差与 h 的关系（双对数）"),
        "diff.rounding": ("← rounding", "← 舍入误差"),
        "diff.truncation": ("truncation →", "截断误差 →"),
        "diff.legend_forward": ("forward", "前向差分"),
        "diff.legend_central": ("central", "中心差分"),
        "diff.field_x": ("x", "x"),
        "diff.field_h": ("h", "h"),
        # -- p: partial derivatives
        "partials.function": ("f(x0, x1) = x0² + x1²", "f(x0, x1) = x0² + x1²"),
        "partials.numerical": ("numerical (central, h = 1e-4)", "数值微分（中心差分，h = 1e-4）"),
        "partials.exact": ("exact (analytic)", "解析解"),
        "partials.gradient": (
            "gradient ∇f = (∂f/∂x0, ∂f/∂x1)\n|∇f| = {norm}",
            "梯度 ∇f = (∂f/∂x0, ∂f/∂x1)\n|∇f| = {norm}",
        ),
        "partials.meaning": (
            "The arrows show −∇f: the way f falls fastest, towards the minimum (0, 0). "
            "Brighter = steeper. ● is your point.",
            "−∇f 的箭头：函数值下降最快的方向，指向最小值 (0, 0)。越亮越陡。● 是当前点。",
        ),
        "partials.edge": (
            "The field shows −4 … 4; the point stays inside it.",
            "梯度场的范围是 −4 … 4，点不能移出。",
        ),
        "partials.field_x0": ("x0", "x0"),
        # -- g: gradient descent
        "descent.rule": ("gradient descent  x ← x − η·∇f(x)", "梯度下降法  x ← x − η·∇f(x)"),
        "descent.lr": ("learning rate η", "学习率 η"),
        "descent.typed": ("typed", "输入"),
        "descent.field_lr": ("learning rate", "学习率"),
        "descent.step": ("step {n}", "第 {n} 步"),
        "descent.f": ("f(x)", "f(x)"),
        "descent.start": (
            "Start at (−3, 4). Press n for one step.",
            "从 (−3, 4) 出发。按 n 走一步。",
        ),
        "descent.too_slow": (
            "too small: barely moves — f falls less than 10 % a step.",
            "学习率太小：几乎不动，每步 f 下降不到 10%。",
        ),
        "descent.good": ("right: heading straight for the minimum.", "合适：快速接近最小值。"),
        "descent.minimum": ("reached the minimum (0, 0).", "已到达最小值 (0, 0)。"),
        "descent.oscillating": (
            "too large: jumps across the valley and back, never closer.",
            "学习率太大：在谷底两侧来回跳，永远不靠近。",
        ),
        "descent.growing": (
            "diverges: the values blow up — the learning rate is too large.",
            "发散：数值越来越大——学习率太大了。",
        ),
        "descent.diverged": (
            "diverged: the values blew up, so the run stopped — the learning rate is too large. Press r.",
            "已发散：数值爆炸，计算已停止——学习率太大了。按 r 重置。",
        ),
        "descent.stopped": (
            "This run has diverged and stopped; press r to start again.",
            "本次运行已发散并停止；按 r 重新开始。",
        ),
        "descent.off_chart": (
            "the point has left the chart: it is at ({x0}, {x1})",
            "该点已移出图外：现在位于 ({x0}, {x1})",
        ),
        "descent.new_lr": (
            "Learning rate {lr}: started again from (−3, 4).",
            "学习率 {lr}：从 (−3, 4) 重新开始。",
        ),
        "descent.last_preset": (
            "That is the last preset; press e to type any learning rate.",
            "已是最后一个预设值；按 e 可输入任意学习率。",
        ),
        "descent.plot_title": ("path on the contours of x0² + x1²", "x0² + x1² 等高线上的路径"),
        # -- o: optimiser race
        "race.function": (
            "f(x, y) = x²/20 + y² from (−7, 2) — the book's ch. 6 comparison",
            "f(x, y) = x²/20 + y²，从 (−7, 2) 出发——书中第6章的比较",
        ),
        "race.step": ("step {n}", "第 {n} 步"),
        "race.diverged": ("diverged, stopped", "已发散，停止"),
        # -- refusals of the model (nn_tui.core.labs.gradients.GradientLab)
        "gradients.out_of_range": (
            "{field} must be between {low:g} and {high:g}; nothing was changed.",
            "{field} 必须在 {low:g} 到 {high:g} 之间；未作任何更改。",
        ),
        "gradients.step_limit": (
            "That is {limit} steps, as far as this lesson goes; press r to start again.",
            "已走 {limit} 步，本课最多走这么多；按 r 重新开始。",
        ),
    }
)
