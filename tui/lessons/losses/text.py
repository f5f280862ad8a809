"""Every string of lesson 3 (loss functions), in English and 简体中文.

Keys `losses.*` are the codes of the refusals raised by `nn_tui.core.labs.losses`.
"""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON
from nn_tui.tui.lessons.activations.network_text import NETWORK_TEXT
from nn_tui.tui.mnist_text import MNIST_TEXT

TEXT = COMMON.extend(MNIST_TEXT).extend(NETWORK_TEXT).extend(
    {
        "title": ("Lesson 3 · Loss functions", "第3课 · 损失函数"),
        "tab.mass": ("MSE & CEE", "均方误差与交叉熵误差"),
        "tab.svm": ("SVM loss", "SVM 损失"),
        "tab.softmax": ("Softmax & L2", "Softmax 与 L2"),
        "tab.accuracy": ("Accuracy vs loss", "识别精度与损失"),
        "tab.batch": ("Mini-batch", "mini-batch 学习"),
        "key.section_mass": ("MSE & CEE", "均方误差与交叉熵误差"),
        "key.section_svm": ("SVM loss", "SVM 损失"),
        "key.section_softmax": ("Softmax & L2", "Softmax 与 L2"),
        "key.section_accuracy": ("Accuracy vs loss", "识别精度与损失"),
        "key.section_batch": ("Mini-batch", "mini-batch 学习"),
        "key.next_section": ("Section", "小节"),
        "key.previous_section": ("Previous section", "上一节"),
        "key.class_up": ("Class", "类别"),
        "key.class_down": ("Class ↓", "类别 ↓"),
        "key.take": ("Take", "取"),
        "key.give": ("Give", "给"),
        "key.example": ("y1/y2", "y1/y2"),
        "key.reset": ("Reset y", "重置 y"),
        "key.margin": ("Δ 1→3→5", "Δ 1→3→5"),
        "key.edit": ("Edit", "输入"),
        "key.image": ("Next image", "下一张图"),
        "key.weight_left": ("w −0.1", "w −0.1"),
        "key.weight_right": ("w +0.1", "w +0.1"),
        "key.redraw": ("New batch", "重新抽取一批"),
        # The command palette's names, where the short footer label says too little.
        "command.next_section": ("Next section", "下一节"),
        "command.previous_section": ("Previous section", "上一节"),
        "command.class_up": ("Select the previous class", "选择上一个类别"),
        "command.class_down": ("Select the next class", "选择下一个类别"),
        "command.take": (
            "Move 0.05 of probability to the selected class",
            "把 0.05 的概率移给所选类别",
        ),
        "command.give": (
            "Move 0.05 of probability away from the selected class",
            "从所选类别移走 0.05 的概率",
        ),
        "command.example": (
            "Switch between the outputs y1 and y2 of the source notes",
            "在笔记中的输出 y1 与 y2 之间切换",
        ),
        "command.reset": ("Put the output y back as the example has it", "把输出 y 恢复为例子中的值"),
        "command.margin": ("Change the SVM margin Δ: 1, 3, 5", "切换 SVM 的间隔 Δ：1、3、5"),
        "command.edit": ("Type the margin Δ or the batch size", "输入间隔 Δ 或批大小"),
        "command.image": ("Pick the next image", "选择下一张图像"),
        "command.weight_left": ("Change the weight by −0.1", "权重减小 0.1"),
        "command.weight_right": ("Change the weight by +0.1", "权重增大 0.1"),
        "command.redraw": ("Draw a new batch", "重新抽取一批"),
        "help.text": (
            "Lesson 3 shows how a loss function scores a network's output. n / p switch "
            "sections, or c, s, x, a, d open one. MSE & CEE: the source notes' example (the correct digit is 2); ↑↓ pick a class, "
            "+ moves 0.05 of probability to it from the biggest other class, − moves 0.05 "
            "away from it, y switches between y1 and y2. SVM loss: the cs231n scores; m "
            "cycles the margin Δ through 1, 3, 5, e lets you type Δ. Softmax & L2: exp → "
            "normalise → −ln, and why a penalty prefers small spread-out weights; i picks "
            "the image. Accuracy vs loss: ←→ move one weight and watch accuracy jump while "
            "the loss slides. Mini-batch: b draws a new batch with np.random.choice, e sets "
            "the batch size.",
            "第3课展示损失函数如何给网络的输出打分。n / p 切换小节，c、s、x、a、d 直接打开某一节。均方误差与交叉熵误差：笔记中的例子"
            "（正确答案是 2）；↑↓ 选择类别，+ 从其他类别中概率最大的那个移 0.05 给它，− 从它移走 0.05，"
            "y 在 y1 与 y2 之间切换。SVM 损失：cs231n 的得分；m 在 1、3、5 之间切换间隔 Δ，e 可输入 Δ。"
            "Softmax 与 L2：指数 → 归一化 → 取负对数，以及正则化惩罚项为何偏爱小而分散的权重；i 选择图片。"
            "识别精度与损失：←→ 移动一个权重，看识别精度跳变而损失平滑变化。mini-batch 学习：b 用 "
            "np.random.choice 重新抽取一批，e 设置批大小。",
        ),
        # --- 1. MSE and CEE
        "mass.intro": (
            "t = one-hot, correct class [b]2[/b] ✓    y = [b]{example}[/b]{edited}  (the network's output, Σy = 1)",
            "t = one-hot 标签，正确类别 [b]2[/b] ✓    y = [b]{example}[/b]{edited}（网络的输出，Σy = 1）",
        ),
        "mass.edited": (" (changed)", "（已改动）"),
        "mass.head.y": ("class   y", "类别    y"),
        "mass.head.mse": ("½(y−t)²", "½(y−t)²"),
        "mass.head.cee": ("−t·ln(y+δ)", "−t·ln(y+δ)"),
        "mass.sum": ("sum = mean squared error, cross-entropy error", "求和 = 均方误差、交叉熵误差"),
        "mass.exact": (
            "to 10 places: MSE {mse}   CEE {cee}   (δ = 1e-7 inside the log)",
            "精确到10位：均方误差 {mse}   交叉熵误差 {cee}（δ = 1e-7 加在 log 里）",
        ),
        "mass.note": (
            "No δ: −ln(y of class 2) = {plain}. The source notes' 2.3025850929940455 for y2 is −ln 0.1 "
            "without δ; the book adds δ so that ln 0 = −∞ never happens.",
            "不加 δ：−ln(类别 2 的 y) = {plain}。笔记中 y2 的 2.3025850929940455 是不加 δ 的 −ln 0.1；"
            "书中代码加上 δ，以免出现 ln 0 = −∞。",
        ),
        "mass.moved_in": ("Moved 0.05 from class {source} to class {target}.", "从类别 {source} 移 0.05 到类别 {target}。"),
        "losses.mass_full": ("Class {k} already holds all the probability.", "类别 {k} 已经拥有全部概率。"),
        "losses.mass_empty": ("Class {k} has no probability left to give.", "类别 {k} 已经没有概率可以移走。"),
        "losses.mass_y": (
            "The saved state's {field} is not a probability vector on the {step} grid; nothing was changed.",
            "保存的状态中 {field} 不是以 {step} 为步长的概率向量；未作任何更改。",
        ),
        "mass.hint": (
            "↑↓ class · + take 0.05 from the biggest other · − give 0.05 to it · y: y1 ↔ y2",
            "↑↓ 选择类别 · + 从概率最大的其他类别取 0.05 · − 把 0.05 给它 · y 切换 y1/y2",
        ),
        # --- 2. SVM
        "svm.formula": (
            "Multiclass SVM loss  Lᵢ = Σ_(j≠yᵢ) max(0, sⱼ − s_yᵢ + Δ)",
            "多类 SVM 损失  Lᵢ = Σ_(j≠yᵢ) max(0, sⱼ − s_yᵢ + Δ)",
        ),
        "svm.margin": ("margin Δ", "间隔 Δ"),
        "svm.scores": ("scores s", "得分 s"),
        "svm.terms": ("max(0, sⱼ − s_yᵢ + Δ)", "max(0, sⱼ − s_yᵢ + Δ)"),
        "svm.image": ("{name} image", "{name}的图片"),
        "svm.loss_row": ("Lᵢ", "Lᵢ"),
        "svm.mean": (
            "data loss L = ({terms}) / 3 = [b]{mean}[/b]",
            "数据损失 L = ({terms}) / 3 = [b]{mean}[/b]",
        ),
        "svm.explain": (
            "Δ is how far the correct score must beat each other score before the loss is 0 "
            "(the source notes: 1; try 3, 5). — marks the correct class, which is skipped.",
            "Δ 表示正确类别的得分至少要比其他类别高多少，损失才为 0（笔记用 1，也可以试 3、5）。"
            "— 表示正确类别，不计入求和。",
        ),
        "svm.margin_set": ("Δ = {margin}", "Δ = {margin}"),
        "losses.margin": ("Δ = {margin} is not possible: choose 0 to {high:g}.", "Δ = {margin} 不可用：请在 0 到 {high:g} 之间选择。"),
        "svm.hint": ("m: Δ 1 → 3 → 5 · e: type Δ (≥ 0), Enter to accept", "m：Δ 1 → 3 → 5 · e：输入 Δ（≥ 0），回车确认"),
        "class.cat": ("cat", "猫"),
        "class.car": ("car", "汽车"),
        "class.frog": ("frog", "青蛙"),
        # --- 3. softmax and L2
        "soft.title": (
            "Softmax classifier on the {name} image: exp → normalise → −ln",
            "Softmax 分类器，{name}的图片：指数 → 归一化 → 取负对数",
        ),
        "soft.head": ("class      s      exp(s)    p = exp/Σ", "类别       s      exp(s)    p = exp/Σ"),
        "soft.loss": (
            "Lᵢ = −ln p_{name} = −ln {p} = [b]{loss}[/b]",
            "Lᵢ = −ln p_{name} = −ln {p} = [b]{loss}[/b]",
        ),
        "soft.log10": (
            "The source notes write {log10} here: that is −log₁₀ {p}. The loss uses the natural log, ln.",
            "笔记此处写作 {log10}：那是 −log₁₀ {p}。损失函数用的是自然对数 ln。",
        ),
        "soft.not_in_notes": (
            "The source notes work this chain for the cat image only (i: next image).",
            "笔记只算了猫的图片这一例（i：下一张图）。",
        ),
        "l2.title": (
            "L2 regularisation (正则化惩罚项)  R(W) = Σ W²   with x = {x}",
            "L2 正则化惩罚项  R(W) = Σ W²，输入 x = {x}",
        ),
        "l2.row": ("{name} = {w:<28} w·x = {score}   R(W) = [b]{penalty}[/b]", "{name} = {w:<28} w·x = {score}   R(W) = [b]{penalty}[/b]"),
        "l2.explain": (
            "Same scores, so the same data loss. The penalty prefers w2, which uses every input "
            "instead of one: loss = data loss + λ·R(W).",
            "得分相同，所以数据损失相同。惩罚项偏爱 w2：它利用了全部输入，而不是只看一个。"
            "损失 = 数据损失 + λ·R(W)。",
        ),
        "soft.hint": ("i: next image (cat, car, frog)", "i：下一张图（猫、汽车、青蛙）"),
        # --- 4. accuracy vs loss
        "acc.intro": (
            "12 points, 2 classes. Class 1 scores w·x₁ + x₂, class 0 scores 0; softmax + cross-entropy.",
            "12 个点、2 个类别。类别 1 的得分为 w·x₁ + x₂，类别 0 的得分为 0；softmax + 交叉熵误差。",
        ),
        "acc.plot_accuracy": ("accuracy", "识别精度"),
        "acc.plot_loss": ("loss (cross-entropy)", "损失（交叉熵误差）"),
        "acc.now": (
            "w = [b]{w}[/b]   accuracy [b]{acc}[/b] ({correct}/{total})   loss [b]{loss}[/b]",
            "w = [b]{w}[/b]   识别精度 [b]{acc}[/b]（{correct}/{total}）   损失 [b]{loss}[/b]",
        ),
        "acc.slopes": (
            "slope here: accuracy {acc_slope} (no hint which way to move w) · loss [b]{loss_slope}[/b]",
            "此处斜率：识别精度 {acc_slope}（看不出 w 该往哪边走）· 损失 [b]{loss_slope}[/b]",
        ),
        "losses.weight_edge": ("w stays between −3 and 3.", "w 只能在 −3 到 3 之间。"),
        "losses.weight_step": (
            "The saved state's {field} is {value}; w moves in steps of 0.1. Nothing was changed.",
            "保存的状态中 {field} 为 {value}；w 以 0.1 为步长移动。未作任何更改。",
        ),
        "acc.hint": (
            "←→ move w by 0.1. Accuracy jumps in steps; the loss changes smoothly, so its slope guides learning.",
            "←→ 每次把 w 移动 0.1。识别精度跳跃式变化；损失平滑变化，它的斜率才能指导学习。",
        ),
        # --- 5. mini-batch
        "batch.loading": ("Loading the MNIST training set…", "正在载入 MNIST 训练数据…"),
        "batch.failed": ("Could not load MNIST: {error}", "无法载入 MNIST：{error}"),
        "batch.subset": ("offline subset: {train} train / {test} test", "离线子集：训练 {train} / 测试 {test}"),
        "batch.full": ("MNIST: {train} train / {test} test", "MNIST：训练 {train} / 测试 {test}"),
        "batch.data": ("data: [b]{name}[/b] · seed {seed} · draw {draw}", "数据：[b]{name}[/b] · 种子 {seed} · 第 {draw} 次抽取"),
        "batch.code": (
            "batch_mask = np.random.choice({train_size}, {batch_size})",
            "batch_mask = np.random.choice({train_size}, {batch_size})",
        ),
        "batch.size": ("batch size", "批大小"),
        "batch.index": ("index", "索引"),
        "batch.label": ("label", "标签"),
        "batch.more": ("… and {n} more", "… 另有 {n} 个"),
        "batch.model": (
            "model (fixed): nearest class mean, W = each digit's mean image; softmax + CEE",
            "模型（固定）：最近类均值，W = 每个数字的平均图像；softmax + 交叉熵误差",
        ),
        "batch.losses": (
            "batch loss [b]{batch}[/b]   full-set loss [b]{full}[/b] (all {n} digits)\n"
            "mean of the {draws} batch losses so far [b]{mean}[/b]",
            "批损失 [b]{batch}[/b]   全体损失 [b]{full}[/b]（全部 {n} 个数字）\n"
            "目前 {draws} 次批损失的平均 [b]{mean}[/b]",
        ),
        "batch.plot": ("loss per draw", "每次抽取的损失"),
        "batch.series_batch": ("batch loss", "批损失"),
        "batch.series_full": ("full-set loss", "全体损失"),
        "batch.hint": (
            "b: new batch · e: batch size. A batch loss estimates the full-set loss.",
            "b：重新抽取 · e：批大小。批损失是全体损失的近似。",
        ),
        "losses.batch_size": (
            "A batch of {n} is not possible: choose 1 to {high}.",
            "批大小 {n} 不可用：请在 1 到 {high} 之间选择。",
        ),
        "losses.too_many_draws": (
            "{most} batches drawn: set the batch size (e) to start again.",
            "已抽取 {most} 批：设置批大小（e）以重新开始。",
        ),
        "batch.size_set": ("Batch size {n}: a new batch was drawn.", "批大小 {n}：已重新抽取。"),
        "batch.trained": (
            "The book's trained network (ch. 3) on this batch: y_batch {y_shape}\n"
            "CEE with one-hot t {one_hot_shape}: [b]{one_hot}[/b] {same} with labels t {label_shape}: [b]{label}[/b]",
            "书中训练好的神经网络（第3章）在这一批上：y_batch {y_shape}\n"
            "交叉熵误差：one-hot 的 t {one_hot_shape}：[b]{one_hot}[/b] {same} 标签的 t {label_shape}：[b]{label}[/b]",
        ),
        "batch.trained_failed": ("The book's trained network: {error}", "书中训练好的神经网络：{error}"),
    }
)
