"""Every string of lesson 7 (the playground), in English and 简体中文.

The `playground.*` keys are the codes of the refusals raised by
`nn_tui.core.labs.playground`; `setting.*` names the settings those refusals
quote, so a sentence never shows an internal name such as `n_points`.
"""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON

TEXT = COMMON.extend(
    {
        "title": ("Lesson 7 · Playground", "第7课 · 游乐场"),
        "data": ("data (d)", "数据 (d)"),
        "data.circle": ("circle", "圆形"),
        "data.xor": ("XOR", "异或"),
        "data.spiral": ("spirals", "双螺旋"),
        "data.gaussian": ("blobs ×{k}", "高斯团 ×{k}"),
        "field.noise": ("noise", "噪声"),
        "field.points": ("points", "数据点数"),
        "field.train": ("train %", "训练 %"),
        "field.layers": ("hidden layers", "隐藏层"),
        "field.activation": ("activation", "激活函数"),
        "field.lr": ("learning rate", "学习率"),
        "field.l2": ("L2 λ", "正则化 λ"),
        "field.optimizer": ("optimiser", "优化器"),
        "act.tanh": ("tanh", "tanh"),
        "act.relu": ("ReLU", "ReLU"),
        "act.sigmoid": ("sigmoid", "sigmoid"),
        "opt.sgd": ("SGD", "SGD"),
        "opt.momentum": ("Momentum", "Momentum"),
        "opt.adam": ("Adam", "Adam"),
        "status.running": ("▶ training", "▶ 训练中"),
        "status.paused": ("‖ paused", "‖ 已暂停"),
        "status.diverged": ("✗ diverged", "✗ 已发散"),
        "stats.iteration": ("iteration", "迭代次数"),
        "stats.loss": ("loss", "损失"),
        "stats.accuracy": ("accuracy", "识别精度"),
        "stats.train": ("train", "训练"),
        "stats.test": ("test", "测试"),
        "overfit.title": (
            "More neurons fit the training set better, but not the test set. v: few ↔ many",
            "过拟合：神经元越多，越能拟合训练数据，测试数据却未必更好。v 切换少/多。",
        ),
        "overfit.few": ("few ({layers})", "少（{layers}）"),
        "overfit.many": ("many ({layers})", "多（{layers}）"),
        "legend": (
            "{train} train {n_train}  {test} test {n_test}  deep = sure",
            "{train} 训练 {n_train}  {test} 测试 {n_test}  越深越确定",
        ),
        "chart.title": ("training loss", "训练损失"),
        "chart.empty": ("training loss · press space", "训练损失 · 按空格开始"),
        "message.diverged": (
            "The loss is no longer a number (diverged): the learning rate or λ is too large. "
            "Lower it and press r.",
            "损失已不是数字（发散）：学习率或 λ 太大。请调小后按 r 重置。",
        ),
        "message.run_length": (
            "Paused after {n:,} iterations; space goes on.",
            "已训练 {n:,} 次迭代，自动暂停；按空格继续。",
        ),
        # Refusals of nn_tui.core.labs.playground, by code.
        "playground.diverged": ("The network diverged: press r to start again.", "网络已发散：按 r 重新开始。"),
        "playground.iteration_limit": (
            "This network has taken {most:,} steps, as many as one network may: press r to start again.",
            "这个网络已训练 {most:,} 步，已达上限：按 r 重新开始。",
        ),
        "playground.layers_text": (
            "hidden layers: {text!r} is not a list like 8,8 (1-{layers} layers of 1-{neurons} neurons); kept {old}.",
            "隐藏层：{text!r} 不是形如 8,8 的列表（1-{layers} 层，每层 1-{neurons} 个神经元），保留原值 {old}。",
        ),
        "playground.layer_count": (
            "hidden layers: {count} layers, but use {low}-{high} layers; kept {old}.",
            "隐藏层：{count} 层，但只能用 {low}-{high} 层，保留原值 {old}。",
        ),
        "playground.layer_size": (
            "hidden layers: {size} neurons in a layer, but each layer needs {low}-{high} neurons; kept {old}.",
            "隐藏层：某层有 {size} 个神经元，但每层需要 {low}-{high} 个神经元，保留原值 {old}。",
        ),
        "playground.number": (
            "{setting} must be a number in {range}, not {value}; nothing was changed.",
            "{setting} 必须是 {range} 内的数，而不是 {value}；未作任何更改。",
        ),
        "playground.whole": (
            "{setting} must be a whole number from {low} to {high}, not {value}; nothing was changed.",
            "{setting} 必须是 {low} 到 {high} 的整数，而不是 {value}；未作任何更改。",
        ),
        "playground.choice": (
            "{setting} {value} is unknown: choose one of {options}. Nothing was changed.",
            "{setting} {value} 未知：请从 {options} 中选择。未作任何更改。",
        ),
        "playground.split": (
            "{points} points cannot be split with a training share of {ratio:.0%}; nothing was changed.",
            "{points} 个数据点无法按训练数据比例 {ratio:.0%} 划分；未作任何更改。",
        ),
        "playground.state_not_finite": (
            "The saved weights give a loss that is not a finite number; nothing was changed.",
            "保存的权重使损失不是有限的数字；未作任何更改。",
        ),
        "playground.preset": (
            "The saved state shows the overfitting demo '{preset}' with other settings; nothing was changed.",
            "保存的状态标明过拟合演示“{preset}”，但设置不符；未作任何更改。",
        ),
        "setting.name": ("data set", "数据集"),
        "setting.n_points": ("the number of points", "数据点数"),
        "setting.noise": ("noise", "噪声"),
        "setting.train_ratio": ("the training share", "训练数据比例"),
        "setting.classes": ("the number of blobs", "高斯团数"),
        "setting.seed": ("the seed", "随机种子"),
        "setting.activation": ("activation", "激活函数"),
        "setting.lr": ("the learning rate", "学习率"),
        "setting.l2": ("L2 λ", "正则化 λ"),
        "setting.optimizer": ("optimiser", "优化器"),
        "setting.iterations": ("the number of steps", "步数"),
        "setting.preset": ("the overfitting demo", "过拟合演示"),
        "key.run": ("Run/pause", "运行"),
        "key.step": ("Step", "单步"),
        "key.reset": ("Reset", "重置"),
        "key.dataset": ("Data", "数据"),
        "key.dataset_back": ("Previous data set", "上一个数据集"),
        "key.classes": ("Blobs 2-4", "高斯团数 2-4"),
        "key.activation": ("Activation", "激活函数"),
        "key.optimizer": ("Optimiser", "优化器"),
        "key.overfit": ("Overfit", "过拟合"),
        "key.reseed": ("New points and weights", "换一组数据点和初始权重"),
        # The command palette's names, where the short footer label says too little.
        "command.run": ("Start or pause training", "开始或暂停训练"),
        "command.step": ("Train a few steps", "训练几步"),
        "command.reset": ("Start again from the same weights", "从同样的初始权重重新开始"),
        "command.dataset": (
            "Next data set: circle, XOR, two spirals, gaussian blobs",
            "下一个数据集：圆形、异或、双螺旋、高斯团",
        ),
        "command.dataset_back": ("Previous data set", "上一个数据集"),
        "command.classes": ("Number of gaussian blobs: 2, 3, 4", "高斯团数：2、3、4"),
        "command.activation": ("Next activation function", "下一个激活函数"),
        "command.optimizer": ("Next optimiser", "下一个优化器"),
        "command.overfit": (
            "Overfitting: noisy spirals with few neurons, then many",
            "过拟合：带噪声的双螺旋，先用少量神经元，再用很多",
        ),
        "command.reseed": ("New points and new starting weights", "换一组数据点和初始权重"),
        "help.text": (
            "A small network (Affine → activation → … → Softmax) learns to separate 2-D points; the plane "
            "shows its decision regions, each class with its own pattern (blank, ·, -, ~), denser where it is surer, "
            "with the training points filled (● ■) and the test points hollow (○ □). space starts and "
            "pauses training (full-batch steps on the training points), n takes a few steps, r starts "
            "again from the same weights, s draws new points and new starting weights. d picks the data set (circle, XOR, two spirals, gaussian blobs; "
            "c sets the number of blobs), a the activation, o the optimiser; Tab reaches the noise, the "
            "number of points, the training share, the hidden layers (e.g. 8,8), the learning rate and the "
            "L2 regularisation λ. v loads noisy spirals with few neurons, and again with many: more neurons "
            "fit the training set better but the test set no better — overfitting.",
            "一个小网络（Affine → 激活函数 → … → Softmax）学习分开二维平面上的点；平面显示它的决策边界与区域，"
            "每个类别的区域有自己的图案（空白、·、-、~），越确定图案越密；训练数据的点是实心的（● ■），测试数据的点是空心的（○ □）。"
            "空格开始/暂停训练（每步把全部训练数据作为一批），n 训练几步，r 从同样的初始权重重新开始，s 换一组新的数据点和初始权重。"
            "d 选择数据集（圆形、异或、双螺旋、高斯团；c 设置团数），a 选择激活函数，o 选择优化器；"
            "Tab 进入输入框：噪声、数据点数、训练数据比例、隐藏层（如 8,8）、学习率、正则化 λ。"
            "v 载入带噪声的双螺旋，少神经元；再按一次是多神经元：神经元越多，越能拟合训练数据，"
            "测试数据却不更好——这就是过拟合。",
        ),
    }
)
