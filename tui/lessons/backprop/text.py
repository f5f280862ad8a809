"""Every string of lesson 5 (computational graphs and backpropagation), in English and 简体中文."""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON

TEXT = COMMON.extend(
    {
        "title": ("Lesson 5 · Computational graph", "第5课 · 计算图"),
        "phase.forward": ("forward propagation {done}/{total}", "正向传播 {done}/{total}"),
        "phase.backward": ("backward propagation {done}/{total}", "反向传播 {done}/{total}"),
        "phase.done": ("both passes done", "正向与反向传播均已完成"),
        "legend": ("→ value   ← gradient   ╔═╗ this step   ? not computed yet",
                   "→ 值   ← 梯度   ╔═╗ 本步的节点   ? 尚未计算"),
        "hint": ("r reset · b backward step · e inputs · x formula · c gradient check · ? help",
                 "r 重置 · b 反向一步 · e 输入值 · x 公式 · c 梯度确认 · ? 帮助"),
        "key.step": ("Next", "前进"),
        "key.step_right": ("Next", "下一步"),
        "key.step_n": ("Next", "下一步"),
        "key.back": ("Back", "后退"),
        "key.back_left": ("Back", "上一步"),
        "key.run": ("Run", "走完"),
        "key.backward": ("Backward", "反向"),
        "key.reset": ("Reset", "重置"),
        "key.presets": ("Graphs", "选图"),
        "key.edit": ("Inputs", "输入值"),
        "key.expression": ("Formula", "公式"),
        "key.check": ("Check", "梯度确认"),
        "key.leave_field": ("Close", "关闭"),
        "key.scroll_left": ("Scroll graph left", "图左移"),
        "key.scroll_right": ("Scroll graph right", "图右移"),
        "key.scroll_up": ("Scroll text up", "说明上滚"),
        "key.scroll_down": ("Scroll text down", "说明下滚"),
        # The command palette's names, where the short footer label says too little.
        "command.step": ("Take the next step (forward, then backward)", "走下一步（先正向传播，再反向传播）"),
        # → and n take a step as Space does, ← goes back as p does: one name whichever key names it.
        "command.step_right": ("Take the next step (forward, then backward)", "走下一步（先正向传播，再反向传播）"),
        "command.step_n": ("Take the next step (forward, then backward)", "走下一步（先正向传播，再反向传播）"),
        "command.back": ("Undo the last step", "撤销上一步"),
        "command.back_left": ("Undo the last step", "撤销上一步"),
        "command.run": ("Run the rest of this pass", "走完这一遍传播的剩余步骤"),
        "command.backward": ("Take one backpropagation step", "反向传播走一步"),
        "command.reset": ("Reset: forget every computed value", "重置：清除所有已计算的值"),
        "command.presets": ("Pick another computational graph", "选择另一个计算图"),
        "command.edit": ("Type the input values", "输入各输入值"),
        "command.expression": ("Type a formula such as (x + y) * z", "输入公式，例如 (x + y) * z"),
        "command.check": (
            "Check the gradients against numerical differentiation",
            "梯度确认：与数值微分的结果比较",
        ),
        "command.scroll_left": ("Scroll the graph left by one column of nodes", "计算图向左滚动一列节点"),
        "command.scroll_right": ("Scroll the graph right by one column of nodes", "计算图向右滚动一列节点"),
        "command.scroll_up": ("Scroll the explanation up", "说明向上滚动"),
        "command.scroll_down": ("Scroll the explanation down", "说明向下滚动"),
        "help.text": (
            "A computational graph (计算图) splits a calculation into small nodes. Forward propagation "
            "(正向传播) computes each node's value from left to right (→ 200 above a line). Backward "
            "propagation (反向传播) then sends the gradient from right to left (← 1.1 below a line): "
            "each node multiplies the upstream gradient (上游梯度) by its local derivative (局部导数) — "
            "the chain rule (链式法则). An add node distributes the gradient, a multiply node swaps its "
            "inputs, a max node routes it to the larger input. "
            "Space (or → or n) takes one step, p (or ←) undoes one, g runs the rest of the pass, "
            "b takes a backward step, r resets. s picks another graph, e types the inputs, x types a "
            "formula such as (x + y) * z, c checks the gradients against numerical differentiation. "
            "The node of the step always stays in view; Shift+←/→ move a wide graph by one column of nodes, "
            "shift+↑/↓ scroll the explanation, Escape closes a panel. "
            "? marks a value not computed yet; the double box is the node of the last step.",
            "计算图把一个计算拆成许多小节点。正向传播从左到右计算每个节点的值（线上方的 → 200）。"
            "反向传播再从右到左传递梯度（线下方的 ← 1.1）：每个节点把上游梯度乘以自己的局部导数——"
            "这就是链式法则。加法节点把梯度原样分配，乘法节点把输入互换后相乘，max 节点把梯度路由给较大的输入。"
            "空格（或 →、n）前进一步，p（或 ←）后退一步，g 走完当前这一趟，b 反向走一步，r 重置。"
            "s 选择其他计算图，e 输入数值，x 输入公式（如 (x + y) * z），c 用数值微分确认梯度。"
            "当前步骤的节点始终可见；Shift+←/→ 把较宽的图左右移动一列节点，Shift+↑/↓ 滚动说明，Esc 关闭面板。"
            "? 表示尚未计算的值；双线框是刚刚计算的节点。",
        ),
        # -- the start
        "start.what": (
            "Computational graph (计算图): each box is one small step. Forward propagation computes the "
            "values left to right (→); backward propagation sends the gradients right to left (←) by the "
            "chain rule (链式法则).",
            "计算图：每个方框是一小步计算。正向传播从左到右计算值（→）；反向传播按链式法则从右到左传递梯度（←）。",
        ),
        "start.next": ("Press space to compute the first node: {node}.", "按空格计算第一个节点：{node}。"),
        # -- a forward step
        "forward.head": ("Forward propagation (正向传播) · step {done} of {total}",
                         "正向传播 · 第 {done}/{total} 步"),
        "forward.local": ("local derivative (局部导数), kept for the way back: {formula}",
                          "局部导数（留给反向传播用）：{formula}"),
        "forward.local_layer": ("backward rule of this layer: {formula}", "该层的反向传播规则：{formula}"),
        "forward.next": ("Next: {node}.", "下一步：{node}。"),
        "forward.last": ("Forward pass finished: {name} = {value}. Next: backward propagation, starting with "
                         "∂{name}/∂{name} = 1.",
                         "正向传播完成：{name} = {value}。接下来是反向传播，从 ∂{name}/∂{name} = 1 开始。"),
        # -- a backward step
        "backward.head": ("Backward propagation (反向传播) · step {done} of {total}",
                          "反向传播 · 第 {done}/{total} 步"),
        "backward.seed": (" (the output starts with 1)", "（输出从 1 开始）"),
        "colon": (": ", "："),
        "backward.upstream": ("upstream gradient (上游梯度) ∂{out}/∂{name} = {value}",
                              "上游梯度 ∂{out}/∂{name} = {value}"),
        "backward.rule": ("chain rule (链式法则): upstream × local derivative = gradient sent back",
                          "链式法则：上游梯度 × 局部导数 = 传回的梯度"),
        "backward.rule_layer": ("the layer's backward rule gives the gradient sent back:",
                                "由该层的反向传播规则得到传回的梯度："),
        "backward.sends": ("sends {product} to {name}", "传给 {name}：{product}"),
        "backward.constant": ("{name} is a constant: no gradient", "{name} 是常数：没有梯度"),
        "backward.no_grad": ("{name} gets no gradient from this node", "{name} 不从该节点得到梯度"),
        "backward.nothing": ("No gradient reached {name}, so it sends nothing back.",
                             "没有梯度到达 {name}，所以它不向回传递。"),
        "backward.adds": ("{name} is used {n} times: its gradients add up, now ∂{out}/∂{name} = {total}",
                          "{name} 被用了 {n} 次：各处的梯度相加，现在 ∂{out}/∂{name} = {total}"),
        "backward.done": ("Backward pass finished: ", "反向传播完成："),
        "float.repr": ("Python's float prints {values}; shown rounded to {digits} digits.",
                       "Python 的浮点数实际是 {values}；这里四舍五入到 {digits} 位有效数字显示。"),
        # -- node kinds
        "kind.add": ("add node (加法节点)", "加法节点"),
        "kind.mul": ("multiply node (乘法节点)", "乘法节点"),
        "kind.max": ("max node (max 节点)", "max 节点"),
        "kind.other": ("{symbol} node", "{symbol} 节点"),
        "behaviour.word.distribute": ("distribute", "分配"),
        "behaviour.word.swap": ("swap", "互换"),
        "behaviour.word.route": ("route", "路由"),
        "behaviour.distribute": ("distribute: passes the upstream gradient on unchanged to both inputs",
                                 "分配：把上游梯度原样传给两个输入"),
        "behaviour.swap": ("swap: each input gets the upstream gradient times the OTHER input",
                           "互换：每个输入得到上游梯度乘以另一个输入的值"),
        "behaviour.route": ("route: the whole gradient goes to the larger input, 0 to the other",
                            "路由：梯度全部给较大的输入，另一个得到 0"),
        # -- gradient check
        "check.head": ("Gradient check: backprop vs numerical differentiation (数值微分, h = 1e-4)",
                       "梯度确认：反向传播 vs 数值微分（h = 1e-4）"),
        "check.short": ("Gradient check", "梯度确认"),
        "check.row": ("{name}: relative error {error}", "{name}：相对误差 {error}"),
        "check.max": ("max relative error {error}", "最大相对误差 {error}"),
        "check.ok": ("✓ agree (< 1e-6)", "✓ 一致（< 1e-6）"),
        "check.bad": ("✗ disagree (≥ 1e-6)", "✗ 不一致（≥ 1e-6）"),
        "check.failed": ("Gradient check impossible: {error}", "无法进行梯度确认：{error}"),
        "check.none": ("This graph has no input that gets a gradient.", "该图没有需要梯度的输入。"),
        # -- panels
        "inputs.title": ("Inputs (Enter accepts, Tab next, Esc closes):", "输入值（Enter 确认，Tab 下一个，Esc 关闭）："),
        "inputs.none": ("The inputs of this graph are arrays; they cannot be typed here.",
                        "该图的输入是数组，不能在这里输入。"),
        "inputs.changed": ("{name} = {value}: recomputed from the start up to step {steps}.",
                           "{name} = {value}：从头重新计算到第 {steps} 步。"),
        "presets.title": ("Pick a graph (↑↓ Enter, Esc closes):", "选择计算图（↑↓ Enter，Esc 关闭）："),
        "expr.title": ("Type a formula with + - * / ^, exp, max, sigmoid, relu — e.g. (x + y) * z. Enter builds it, "
                       "Esc closes.",
                       "输入公式，可用 + - * / ^、exp、max、sigmoid、relu，例如 (x + y) * z。Enter 生成，Esc 关闭。"),
        "expr.error": ("column {column}: {message}", "第 {column} 列：{message}"),
        "expr.built": ("Graph of {text}: every name is an input (value 1 unless the last graph had it); "
                       "e changes them.",
                       "{text} 的计算图：每个名字都是输入（默认值 1，或沿用上一个图中的值）；按 e 修改。"),
        "ok.reset": ("Back to the start: nothing computed.", "回到开头：尚未计算任何值。"),
        "ok.graph": ("Graph: {title}.", "计算图：{title}。"),
        # -- the graphs (core/graph/presets.py lists them by id)
        "preset.apple": ("Buying apples", "买苹果"),
        "preset.apple_orange": ("Apples and oranges", "买苹果和橘子"),
        "preset.add_mul": ("f = (x + y)·z", "f = (x + y)·z"),
        "preset.square_of_sum": ("f = (x + y)²", "f = (x + y)²"),
        "preset.sigmoid_neuron_gates": ("Sigmoid neuron (small gates)", "Sigmoid 神经元（基本门）"),
        "preset.sigmoid_neuron_gate": ("Sigmoid neuron (one σ gate)", "Sigmoid 神经元（一个 σ 门）"),
        "preset.max_gate": ("Max gate routes", "MAX 门：路由"),
        "preset.tiny_network": ("Tiny network (layers)", "小型网络（层）"),
        # -- refusals: the codes of the Refusals raised in nn_tui.core.graph and nn_tui.core.labs.backprop
        "stepper.finish_forward": ("finish the forward pass first ({left} nodes left)",
                                   "请先完成正向传播（还剩 {left} 个节点）"),
        "stepper.finish_forward.one": ("finish the forward pass first ({left} node left)",
                                       "请先完成正向传播（还剩 {left} 个节点）"),
        "stepper.all_done": ("both passes are finished; reset to start again", "正向与反向传播都已完成；按 r 重新开始"),
        "stepper.backward_done": ("the backward pass is finished; reset to start again", "反向传播已完成；按 r 重新开始"),
        "stepper.nothing_to_undo": ("nothing to undo: already at the beginning", "没有可撤销的步骤：已经在开头"),
        "stepper.forward_done_already": ("the forward pass is already finished", "正向传播已经完成"),
        "stepper.forward_finished": ("the forward pass is finished; step backward now", "正向传播已完成；现在进行反向传播"),
        "op.inverse_of_zero": ("{node} = 1/x cannot be computed: 1/x is undefined for x = 0",
                               "无法计算 {node} = 1/x：x = 0 时 1/x 没有定义"),
        "op.power_of_zero": ("{node} = {symbol} cannot be computed: x^{n:g} is undefined for x = 0",
                             "无法计算 {node} = {symbol}：x = 0 时 x^{n:g} 没有定义"),
        "op.power_of_negative": ("{node} = {symbol} cannot be computed: x^{n:g} needs x ≥ 0 "
                                 "(a negative base gives a complex number)",
                                 "无法计算 {node} = {symbol}：x^{n:g} 要求 x ≥ 0（负数的底会得到复数）"),
        "op.no_derivative_at_zero": ("the local derivative of {node} = {symbol} cannot be computed: "
                                     "x^{n:g} has no derivative at x = 0",
                                     "无法计算 {node} = {symbol} 的局部导数：x^{n:g} 在 x = 0 处不可导"),
        "graph.overflow_value": ("the value of {symbol} at {node} overflowed (too large for a float)",
                                 "{node}（{symbol}）的值溢出了（超出浮点数的范围）"),
        "graph.overflow_local": ("the local derivative of {symbol} at {node} overflowed (too large for a float)",
                                 "{node}（{symbol}）的局部导数溢出了（超出浮点数的范围）"),
        "graph.overflow_gradient": ("the gradient of {symbol} at {node} overflowed (too large for a float)",
                                    "{node}（{symbol}）的梯度溢出了（超出浮点数的范围）"),
        "graph.failed_value": ("the value of {symbol} at {node} cannot be computed", "无法计算 {node}（{symbol}）的值"),
        "graph.failed_local": ("the local derivative of {symbol} at {node} cannot be computed",
                               "无法计算 {node}（{symbol}）的局部导数"),
        "graph.failed_gradient": ("the gradient of {symbol} at {node} cannot be computed",
                                  "无法计算 {node}（{symbol}）的梯度"),
        "backprop.unknown_preset": ("There is no graph called {preset!r}; nothing was changed.",
                                    "没有名为 {preset!r} 的计算图；未作任何更改。"),
        "backprop.unknown_input": ("This graph has no input {name} to type; nothing was changed.",
                                   "该图没有可输入的 {name}；未作任何更改。"),
        "backprop.input_out_of_range": ("{name} must stay within ±{limit:g}; nothing was changed.",
                                         "{name} 必须在 ±{limit:g} 之内；未作任何更改。"),
        "backprop.state_expression": ("The saved state's {field} is not a formula (column {column}); "
                                      "nothing was changed.",
                                      "保存的状态中 {field} 不是有效的公式（第 {column} 列）；未作任何更改。"),
        # -- a formula that is not one: the codes of nn_tui.core.graph.expression.ExpressionError
        "expr.found": ("found '{token}'", "却是 '{token}'"),
        "expr.ended": ("but the expression ended", "但表达式已结束"),
        "expr.expected_operand": ("expected a number, a name or '(', {found}", "这里应为数字、名字或 '('，{found}"),
        "expr.expected_operator": ("expected an operator (+ - * / ^) or the end, {found}",
                                   "这里应为运算符（+ - * / ^）或结尾，{found}"),
        "expr.expected_exponent": ("the exponent must be a number, like 2 or -1, {found}",
                                   "指数必须是数字，如 2 或 -1，{found}"),
        "expr.expected_close": ("expected ')' to close the '(' at column {opening}, {found}",
                                "这里应为 ')'，与第 {opening} 列的 '(' 配对，{found}"),
        "expr.unmatched_close": ("unexpected ')' with no matching '('", "多余的 ')'：没有与之配对的 '('"),
        "expr.exponent_undefined": ("the exponent {base:g}^{n:g} cannot be computed", "指数 {base:g}^{n:g} 无法计算"),
        "expr.exponent_not_real": ("the exponent {base:g}^{n:g} is not a finite real number",
                                   "指数 {base:g}^{n:g} 不是有限的实数"),
        "expr.number_too_large": ("the number {text} is too large", "数字 {text} 太大"),
        "expr.not_a_number": ("{text!r} is not a number", "{text!r} 不是数字"),
        "expr.number_then_name": ("{text!r} is not a number (write 2*x for a product)",
                                  "{text!r} 不是数字（乘积请写成 2*x）"),
        "expr.unexpected_character": ("unexpected character {character!r}", "意外的字符 {character!r}"),
        "expr.function_without_call": ("{name!r} is a function: write {name}(...)", "{name!r} 是函数：请写成 {name}(...)"),
        "expr.unknown_function": ("unknown function {name!r}; known: {known}", "未知函数 {name!r}；可用的有：{known}"),
        "expr.takes_one_argument": ("{name} takes 1 argument, like {name}(x)", "{name} 需要 1 个参数，如 {name}(x)"),
        "expr.takes_two_arguments": ("{name} takes 2 arguments, like {name}(x, y)",
                                     "{name} 需要 2 个参数，如 {name}(x, y)"),
        "expr.too_deep": ("too deeply nested (more than {limit} levels)", "嵌套太深（超过 {limit} 层）"),
        "expr.too_long": ("the expression is too long ({length} characters, at most {limit})",
                          "表达式太长（{length} 个字符，最多 {limit} 个）"),
        "expr.empty": ("the expression is empty: type something like (x + y) * z",
                       "表达式是空的：请输入类似 (x + y) * z 的公式"),
        "expr.no_operation": ("the expression needs at least one operation, like x * 2",
                              "表达式至少需要一个运算，如 x * 2"),
        "expr.not_text": ("the expression must be text", "表达式必须是文本"),
    }
)
