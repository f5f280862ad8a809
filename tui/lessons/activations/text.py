"""Every string of lesson 2 (activation functions and the output layer), in English and 简体中文."""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON
from nn_tui.tui.lessons.activations.network_text import NETWORK_TEXT
from nn_tui.tui.mnist_text import MNIST_TEXT

TEXT = COMMON.extend(MNIST_TEXT).extend(NETWORK_TEXT).extend(
    {
        "key.cursor": ("x", "x"),
        "key.cursor_right": ("x right", "x 右移"),
        "key.cursor_far": ("x far left", "x 大步左移"),
        "key.cursor_far_right": ("x far right", "x 大步右移"),
        "key.function": ("h(x)", "函数"),
        "key.function_next": ("next function", "下一个函数"),
        "key.derivative": ("h'(x)", "导数"),
        "key.section_functions": ("activations", "激活函数"),
        "key.section_softmax": ("softmax", "softmax"),
        "key.zoom_in": ("zoom in", "放大"),
        "key.zoom_out": ("zoom out", "缩小"),
        "key.book": ("book scores", "书中的例子"),
        "key.overflow": ("overflow scores", "溢出的例子"),
        "key.edit_scores": ("edit scores", "编辑得分"),
        "key.edit_x": ("type x", "输入 x"),
        "key.edit_alpha": ("type leaky ReLU's α", "输入 Leaky ReLU 的 α"),
        "key.scroll_softmax": ("scroll", "滚动"),
        "key.scroll_softmax_down": ("scroll down", "向下滚动"),
        # The command palette's names, where the short footer label says too little.
        "command.cursor": ("Move x one step left", "x 左移一步"),
        "command.cursor_right": ("Move x one step right", "x 右移一步"),
        "command.cursor_far": ("Move x ten steps left", "x 左移十步"),
        "command.cursor_far_right": ("Move x ten steps right", "x 右移十步"),
        "command.function": ("Previous activation function", "上一个激活函数"),
        "command.function_next": ("Next activation function", "下一个激活函数"),
        "command.scroll_softmax": ("Scroll the softmax scores up", "softmax 的得分向上滚动"),
        "command.scroll_softmax_down": ("Scroll the softmax scores down", "softmax 的得分向下滚动"),
        "command.derivative": ("Draw the derivative h'(x) too, or hide it", "同时画出导数 h'(x)，或隐藏它"),
        "command.zoom_in": ("Zoom in on the plot", "放大图像"),
        "command.zoom_out": ("Zoom out of the plot", "缩小图像"),
        "command.edit_x": ("Type the value of x", "输入 x 的值"),
        "command.edit_alpha": ("Type leaky ReLU's slope α", "输入 Leaky ReLU 的斜率 α"),
        "command.edit_scores": ("Edit the scores that go into softmax", "编辑输入 softmax 的得分"),
        "command.book": ("Load the book's scores [0.3, 2.9, 4.0]", "载入书中的得分 [0.3, 2.9, 4.0]"),
        "command.overflow": (
            "Load the scores [1010, 1000, 990], where exp(a) overflows",
            "载入得分 [1010, 1000, 990]，此时 exp(a) 溢出",
        ),
        "help.text": (
            "Activation functions h(x) turn a neuron's weighted sum into its output. ↑↓ picks "
            "the function, ←→ moves the cursor x (shift: 10 steps), x types it; the panel shows "
            "h(x) and its derivative h'(x). d draws h'(x) too: the step function's is 0 almost "
            "everywhere, so it cannot learn. + and - zoom; the range can be typed; a types leaky ReLU's slope α. Tab moves between "
            "fields, Esc leaves one. s switches to softmax, the output layer of a classifier, and back "
            "(f also goes back to the functions): e edits the scores a (2 to 10: an MNIST output layer has 10), ↑↓ scroll them, b loads the book's [0.3, 2.9, 4.0], "
            "o loads [1010, 1000, 990], where the naive exp(a) overflows and only the version that subtracts "
            "max(a) works. A wide terminal shows both sections at once. n opens the book's trained "
            "chapter-3 network: an MNIST test digit goes through it layer by layer (a1 → z1 → a2 → z2 → a3 → y), "
            "←→ pick the previous or next digit, r a random one; below, the accuracy over the test digits and "
            "the time of reading them one by one vs 100 at a time (t measures again).",
            "激活函数 h(x) 把神经元的加权和变成输出。↑↓ 选择函数，←→ 移动 x（shift：10 步），"
            "x 键直接输入；右侧显示 h(x) 和导数 h'(x)。d 同时画出导数：阶跃函数的导数几乎处处为 0，"
            "所以无法学习。+ 和 - 缩放，也可以输入范围；a 输入 Leaky ReLU 的斜率 α。Tab 在输入框之间移动，Esc 离开输入框。"
            "s 在激活函数和 softmax（分类问题的输出层）之间切换（f 也回到激活函数）：e 编辑得分 a（2 到 10 个：MNIST 的输出层有 10 个），↑↓ 滚动，"
            "b 载入书中的 [0.3, 2.9, 4.0]，o 载入 [1010, 1000, 990]：朴素的 exp(a) 溢出，"
            "只有减去 max(a) 的版本能算对。终端足够大时两部分同时显示。n 打开书中第3章训练好的神经网络："
            "一张 MNIST 测试图像逐层通过网络（a1 → z1 → a2 → z2 → a3 → y），←→ 选择上一张或下一张，r 随机选择；"
            "下方是在测试数据上的识别精度，以及逐张处理与每次处理 100 张（批处理）的耗时（t 重新测量）。",
        ),
        "title": ("Lesson 2 · Activation functions & output layer", "第2课 · 激活函数与输出层"),
        "tab.functions": ("Activations", "激活函数"),
        "tab.softmax": ("Softmax", "Softmax"),
        "name.step": ("step", "阶跃函数"),
        "name.sigmoid": ("sigmoid", "sigmoid"),
        "name.relu": ("ReLU", "ReLU"),
        "name.leaky_relu": ("leaky ReLU", "Leaky ReLU"),
        "name.tanh": ("tanh", "tanh"),
        "name.identity": ("identity", "恒等函数"),
        "formula.step": ("h(x) = 1 if x > 0, else 0", "h(x) = 1（x > 0），否则 0"),
        "formula.sigmoid": ("h(x) = 1 / (1 + exp(−x))", "h(x) = 1 / (1 + exp(−x))"),
        "formula.relu": ("h(x) = max(0, x)", "h(x) = max(0, x)"),
        "formula.leaky_relu": ("h(x) = x if x > 0, else α·x", "h(x) = x（x > 0），否则 α·x"),
        "formula.tanh": ("h(x) = tanh(x)", "h(x) = tanh(x)"),
        "formula.identity": ("h(x) = x", "h(x) = x"),
        "field.x": ("x", "x"),
        "field.alpha": ("α of leaky ReLU", "Leaky ReLU 的 α"),
        "field.xmin": ("x from", "x 最小值"),
        "field.xmax": ("x to", "x 最大值"),
        "field.c": ("c of the linear layers", "线性层的 c"),
        "field.stack_x": ("x of the linear layers", "线性层的 x"),
        "label.range": ("range", "范围"),
        "reading.convention": (
            "(h'(0) does not exist: a jump or corner; the code uses {slope})",
            "（h'(0) 不存在：跳变或折点；代码取 {slope}）",
        ),
        "label.to": ("to", "到"),
        "stack.title": ("Why non-linear? h(x) = c·x", "为什么要非线性？h(x) = c·x"),
        "stack.layers": ("3 layers: {outputs}", "叠加三层：{outputs}"),
        "stack.one": ("= one layer a·x with a = ", "相当于一层 a·x，a = "),
        "note.step": (
            "The step function jumps from 0 to 1 at x = 0 and is flat everywhere else. "
            "Press d to draw its derivative.",
            "阶跃函数在 x = 0 处从 0 跳到 1，其余地方都是平的。按 d 画出它的导数。",
        ),
        "note.step.d": (
            "Its derivative (• h'(x)) is 0 everywhere except x = 0 (the jump has none): a small change of a "
            "weight changes nothing, the loss stays the same, so a network of step functions cannot learn.",
            "阶跃函数的导数（• h'(x)）在绝大多数地方（除了 0 以外的地方）均为 0：权重的微小变化会被阶跃函数抹杀，"
            "损失函数的值不会发生任何变化，神经网络无法学习。",
        ),
        "note.sigmoid": (
            "sigmoid: a smooth S from 0 to 1, the perceptron's step made continuous. "
            "Press d to draw its derivative.",
            "sigmoid：从 0 到 1 的平滑 S 形曲线，是阶跃函数的连续版本。按 d 画出它的导数。",
        ),
        "note.sigmoid.d": (
            "sigmoid's derivative is never 0 (smallest here: {slope} at x = {x}): every small change "
            "of a weight moves the output a little, so learning can go on.",
            "sigmoid 函数的导数在任何地方都不为 0（这里最小为 {slope}，x = {x}）："
            "权重的微小变化都会让输出连续变化，神经网络的学习得以正常进行。",
        ),
        "note.relu": (
            "ReLU passes x > 0 unchanged and gives 0 for x ≤ 0 — the usual choice today. "
            "Press d to draw its derivative.",
            "ReLU：x > 0 时原样输出，x ≤ 0 时输出 0——现在最常用。按 d 画出它的导数。",
        ),
        "note.relu.d": (
            "ReLU's derivative is 1 for x > 0 and 0 for x ≤ 0: where a neuron is active, "
            "the gradient passes through unchanged.",
            "ReLU 的导数：x > 0 时为 1，x ≤ 0 时为 0；神经元激活时，梯度原样通过。",
        ),
        "note.leaky_relu": (
            "Leaky ReLU keeps a small slope α = {alpha} for x < 0 instead of 0 (a types α). "
            "Press d to draw its derivative.",
            "Leaky ReLU 在 x < 0 时保留 α = {alpha} 的小斜率，而不是 0（a 输入 α）。按 d 画出它的导数。",
        ),
        "note.leaky_relu.d": (
            "Its derivative is 1 for x > 0 and α = {alpha} otherwise — never 0, so no neuron stops learning for good.",
            "它的导数：x > 0 时为 1，否则为 α = {alpha}——永不为 0，神经元不会彻底停止学习。",
        ),
        "note.tanh": (
            "tanh: an S-curve from −1 to 1, centred on 0. Press d to draw its derivative.",
            "tanh：从 −1 到 1、以 0 为中心的 S 形曲线。按 d 画出它的导数。",
        ),
        "note.tanh.d": (
            "tanh's derivative is largest (1) at x = 0 and tiny for large |x| (here {slope} at x = {x}): "
            "the curve goes flat, the gradient vanishes (梯度消失).",
            "tanh 的导数在 x = 0 处最大（1），|x| 很大时非常小（这里 x = {x} 处为 {slope}）："
            "曲线变平，出现梯度消失。",
        ),
        "note.identity": (
            "The identity passes its input through: the output layer for regression. It is linear — "
            "stacking it, like any c·x, adds nothing (see Why non-linear?).",
            "恒等函数将输入原样输出，用于回归问题的输出层。它是线性的：和 c·x 一样，叠加多层毫无意义。",
        ),
        "note.identity.d": (
            "Its derivative is 1 everywhere: a straight line. Linear layers stacked stay one straight line.",
            "它的导数处处为 1：一条直线。线性层叠加起来仍然是一条直线。",
        ),
        "softmax.formula": (
            "Softmax, the output layer of a classifier: y_k = exp(a_k) / Σ exp(a_i)",
            "Softmax（分类问题的输出层）：y_k = exp(a_k) / Σ exp(a_i)",
        ),
        "softmax.scores": ("scores a =", "得分 a ="),
        "softmax.hint": (
            "e edit, Enter applies · b book [0.3, 2.9, 4.0] · o overflow [1010, 1000, 990]",
            "e 编辑，Enter 确认 · b 书中的例子 [0.3, 2.9, 4.0] · o 溢出 [1010, 1000, 990]",
        ),
        "softmax.stable": ("Stable: exp(a − max a) / Σ", "稳定版：exp(a − max a) / Σ"),
        "softmax.shifted": ("a − max a = [{values}]", "a − max a = [{values}]"),
        "softmax.naive": ("Naive: exp(a) / Σ exp(a)", "朴素版：exp(a) / Σ exp(a)"),
        "softmax.sum": ("sum = {total}", "总和 = {total}"),
        "softmax.exp_sum": ("Σ exp(a) = {total}", "Σ exp(a) = {total}"),
        "softmax.overflow": (
            "exp(a) overflowed to inf: inf / inf = nan (or x / inf = 0). Subtract max(a) first (溢出对策).",
            "exp(a) 溢出为 inf：inf / inf = nan（或 x / inf = 0）。先减去 max(a)（溢出对策）。",
        ),
        "softmax.underflow": (
            "Every exp(a) underflowed to 0, and 0 / 0 = nan: subtracting max(a) makes the largest exp 1.",
            "每个 exp(a) 都下溢为 0，0 / 0 = nan：减去 max(a) 后最大的 exp 是 1。",
        ),
        "softmax.same": (
            "Both agree: subtracting max(a) changes nothing but keeps exp from overflowing.",
            "两者相同：减去 max(a) 不改变结果，只是防止 exp 溢出。",
        ),
        "activations.range_order": (
            "x from ({xmin:g}) must be smaller than x to ({xmax:g}).",
            "x 最小值（{xmin:g}）必须小于 x 最大值（{xmax:g}）。",
        ),
        "activations.range_narrow": ("The x range must be at least {span:g} wide.", "x 范围至少要有 {span:g} 宽。"),
        "activations.range_limit": ("x must stay between −{limit:g} and {limit:g}.", "x 必须在 −{limit:g} 到 {limit:g} 之间。"),
        "activations.zoom_in_limit": (
            "Cannot zoom in further (the range must stay {span:g} wide).",
            "无法再放大（范围至少 {span:g} 宽）。",
        ),
        "activations.zoom_out_limit": (
            "Cannot zoom out further: x is limited to ±{limit:g}.",
            "无法再缩小：x 限于 ±{limit:g}。",
        ),
        "activations.cursor_outside": (
            "x = {x:g} is outside the plotted range [{xmin:g}, {xmax:g}].",
            "x = {x:g} 不在图像范围 [{xmin:g}, {xmax:g}] 内。",
        ),
        "activations.cursor_right_end": (
            "x is at the right end of the range; zoom out (-) to go further.",
            "x 已在范围右端；按 - 缩小再继续。",
        ),
        "activations.cursor_left_end": (
            "x is at the left end of the range; zoom out (-) to go further.",
            "x 已在范围左端；按 - 缩小再继续。",
        ),
        "activations.scores_empty": (
            "Type {low} to {high} numbers, e.g. 0.3, 2.9, 4.0.",
            "请输入 {low} 到 {high} 个数，例如 0.3, 2.9, 4.0。",
        ),
        "activations.scores_not_a_number": ("{item!r} is not a number; scores kept.", "{item!r} 不是数字，保留原来的得分。"),
        "activations.scores_not_finite": (
            "{item!r} is not a finite number; scores kept.",
            "{item!r} 不是有限的数字，保留原来的得分。",
        ),
        "activations.scores_too_large": (
            "{item!r} is beyond ±{limit:g}; scores kept.",
            "{item!r} 超出 ±{limit:g}，保留原来的得分。",
        ),
        "activations.alpha_limit": (
            "α = {alpha:g} is not possible: choose 0 < α ≤ {limit:g} (α = 0 is plain ReLU).",
            "α = {alpha:g} 不可用：请取 0 < α ≤ {limit:g}（α = 0 就是普通的 ReLU）。",
        ),
        "activations.scores_count": (
            "Give {low} to {high} scores (got {n}); scores kept.",
            "请给出 {low} 到 {high} 个得分（现在是 {n} 个），保留原来的得分。",
        ),
        "activations.linear_c_limit": (
            "c = {c:g} is beyond ±{limit:g}; kept the old c.",
            "c = {c:g} 超出 ±{limit:g}，保留原来的 c。",
        ),
        "activations.linear_x_limit": (
            "x = {x:g} is beyond ±{limit:g}; kept the old x.",
            "x = {x:g} 超出 ±{limit:g}，保留原来的 x。",
        ),
        # --- the trained network (chapter 3: handwritten digit recognition)
        "title.narrow": ("Lesson 2 · Activations & output", "第2课 · 激活函数与输出层"),
        "tab.network": ("Network", "手写数字识别"),
        "key.section_network": ("trained network", "手写数字识别"),
        "key.digit_previous": ("digit", "换图"),
        "key.digit_next": ("next digit", "下一张"),
        "key.random_digit": ("random digit", "随机一张"),
        "key.time_again": ("time again", "重新计时"),
        "command.digit_previous": ("Previous test digit", "上一张测试图像"),
        "command.digit_next": ("Next test digit", "下一张测试图像"),
        "command.random_digit": ("A random test digit", "随机一张测试图像"),
        "command.time_again": (
            "Time the test digits again: one at a time vs batches of 100",
            "重新计时：逐张处理测试图像与每批 100 张",
        ),
        "net.intro": (
            "The book's trained network (ch. 3): 784 → 50 → 100 → 10 neurons",
            "书中训练好的神经网络（第3章）：784 → 50 → 100 → 10 个神经元",
        ),
        "net.legend": (
            "a = z·W + b (min…max) → z = sigmoid(a) → … → y = softmax(a3)",
            "a = z·W + b（最小…最大）→ z = sigmoid(a) → … → y = softmax(a3)",
        ),
        "net.loading": ("Loading the trained network and the MNIST test digits…", "正在载入训练好的神经网络和 MNIST 测试数据…"),
        "net.failed": ("Could not load the network: {error}", "无法载入神经网络：{error}"),
        "net.of": ("of {count}", "共 {count}"),
        "net.label": ("label t = {label}", "标签 t = {label}"),
        "net.keys": ("←→ digit\nr random", "←→ 换图\nr 随机"),
        "net.predicted": ("predicted {digit}, p = {p}: ", "预测为 {digit}，概率 {p}："),
        "net.right": ("right", "正确"),
        "net.wrong": ("wrong (the label is {label})", "错误（标签是 {label}）"),
        "net.batch": (
            "batch, {n} digits at once: {first}\n    {rest}",
            "批处理，一次 {n} 张：{first}\n    {rest}",
        ),
        "net.measuring": ("Accuracy and timing: measuring…", "识别精度与耗时：正在测量…"),
        "net.accuracy.full": (
            "accuracy on the {total} test digits: {correct} / {total} = [b]{accuracy}[/b] (book: 0.9352)",
            "在 {total} 张测试图像上的识别精度：{correct} / {total} = [b]{accuracy}[/b]（书中为 0.9352）",
        ),
        "net.accuracy.subset": (
            "offline subset, only the first {total} test digits: accuracy {correct} / {total} = [b]{accuracy}[/b]; "
            "on all 10,000 the book gets 0.9352 (nn-tui data download)",
            "离线子集，只有前 {total} 张测试图像：识别精度 {correct} / {total} = [b]{accuracy}[/b]；"
            "书中在全部 10,000 张上为 0.9352（nn-tui data download）",
        ),
        "net.timing": (
            "time for {total}: one by one [b]{single} s[/b] ({single_us} µs a digit) · {n} at a time "
            "[b]{batched} s[/b] ({batched_us} µs) = [b]{speedup}×[/b] faster · t: again",
            "处理 {total} 张的耗时：逐张 [b]{single} 秒[/b]（每张 {single_us} 微秒）· 每次 {n} 张 "
            "[b]{batched} 秒[/b]（{batched_us} 微秒）= 快 [b]{speedup} 倍[/b] · t：重新测量",
        ),
    }
)
