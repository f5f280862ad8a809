"""Every string of lesson 6 (training on MNIST), in English and 简体中文."""

from __future__ import annotations

from nn_tui.tui.i18n import COMMON
from nn_tui.tui.mnist_text import MNIST_TEXT

TEXT = COMMON.extend(MNIST_TEXT).extend(
    {
        "title": ("Lesson 6 · Training on MNIST", "第6课 · 在 MNIST 上训练"),
        "tab.setup": ("Setup", "设置"),
        "tab.charts": ("Charts", "曲线"),
        "tab.inspect": ("Look inside", "观察网络"),
        "key.start": ("Start", "开始"),
        "key.pause": ("Pause", "暂停"),
        "key.step": ("1 batch", "一批"),
        "key.stop": ("Stop", "停止"),
        "key.reset": ("Reset", "重置"),
        "key.save": ("Save", "保存"),
        "key.save_w": ("Save", "保存"),
        "key.load": ("Load", "加载"),
        "key.export": ("CSV", "CSV"),
        "key.section_setup": ("Setup", "设置"),
        "key.section_charts": ("Charts", "曲线"),
        "key.section_inspect": ("Inside", "观察"),
        # The command palette's names, where the short footer label says too little.
        "command.start": ("Start training (and show the charts)", "开始训练（并显示曲线）"),
        "command.pause": ("Pause or resume training", "暂停或继续训练"),
        "command.step": ("Train exactly one mini-batch", "只训练一个 mini-batch"),
        "command.stop": ("Stop the run", "停止本次训练"),
        "command.reset": ("Forget the run and get ready for a new one", "清除本次训练，准备重新开始"),
        "command.save": ("Save the network to the file named in the setup", "把网络保存到设置中指定的文件"),
        "command.save_w": ("Save the network to the file named in the setup", "把网络保存到设置中指定的文件"),
        "command.load": ("Load the network from the file named in the setup", "从设置中指定的文件加载网络"),
        "command.export": (
            "Export the loss and accuracy per iteration as CSV",
            "把每次迭代的损失和精度导出为 CSV",
        ),
        "help.text": (
            "Mini-batch learning on MNIST: each iteration takes one mini-batch, computes the loss and "
            "its gradient by backpropagation, and moves every weight a small step (the learning rate) "
            "downhill. After each epoch (one pass over the training set) the train and test accuracy "
            "are measured.\n"
            "f shows the setup: pick a preset, then change any field (Enter applies a number, Esc leaves "
            "a field). s starts training and shows the charts (c); space pauses and resumes; n trains "
            "exactly one mini-batch; x stops the run; r resets it. The loss chart shows every "
            "iteration's mini-batch loss (thin) and its moving average (thick); the accuracy chart "
            "shows train and test accuracy per epoch. Both charts keep the previous two runs as ghost curves under the current one, each named in the legend: run "
            "overfit-300, then overfit-300-decay or -dropout, to see weight decay and dropout close "
            "the overfitting gap. i looks inside the network as of the latest epoch end or pause "
            "(← → step through test digits, [ ] switch views: samples, confusion matrix, weights, "
            "activations).\n"
            "ctrl+s (or w) saves the network, o loads it (the file named in the setup), e exports "
            "the metrics as CSV. Training keeps running while you visit another lesson.",
            "在 MNIST 上进行 mini-batch 学习：每次迭代取一个 mini-batch，计算损失函数，"
            "用误差反向传播法求梯度，再把每个权重沿梯度方向移动一小步（学习率）。"
            "每个 epoch（遍历一次训练数据）结束时测量训练精度和测试精度。\n"
            "f 显示设置：先选预设，再修改任意字段（Enter 确认数字，Esc 离开输入框）。"
            "s 开始训练并显示曲线（c）；空格暂停/继续；n 只训练一个 mini-batch；x 停止；r 重置。"
            "损失曲线显示每次迭代的 mini-batch 损失（细线）及其移动平均（粗线）；"
            "精度曲线显示每个 epoch 的训练/测试精度。两张图都把前两次训练的曲线画在当前曲线下面，并在图例中标出："
            "先运行 overfit-300，再运行 overfit-300-decay 或 -dropout，就能看到权重衰减和 Dropout "
            "缩小过拟合的差距。i 观察最近一个 epoch 结束或暂停时的网络"
            "（← → 逐个查看测试数字，[ ] 切换视图：样本、混淆矩阵、权重、激活值分布）。\n"
            "ctrl+s（或 w）保存网络，o 加载网络（设置中的文件名），e 导出指标 CSV。"
            "切换到其他课程时训练继续进行。",
        ),
        # -- status
        "phase.loading": ("LOADING DATA", "正在加载数据"),
        "phase.nodata": ("NO DATA", "没有数据"),
        "phase.ready": ("READY", "就绪"),
        "phase.running": ("RUNNING", "训练中"),
        "phase.paused": ("PAUSED", "已暂停"),
        "phase.finished": ("FINISHED", "已完成"),
        "phase.stopped": ("STOPPED", "已停止"),
        "phase.diverged": ("DIVERGED", "已发散"),
        "status.epoch": ("epoch {epoch}/{epochs}", "epoch {epoch}/{epochs}"),
        "status.iteration": ("iteration {i}/{n}", "迭代 {i}/{n}"),
        "status.loss": ("loss {loss}", "损失 {loss}"),
        "status.accuracy": ("train acc {train} · test acc {test}", "训练精度 {train} · 测试精度 {test}"),
        "status.no_accuracy": ("accuracy after the first epoch", "第一个 epoch 结束后显示精度"),
        "status.speed": ("{speed} samples/s · {elapsed} s", "{speed} 样本/秒 · {elapsed} 秒"),
        "status.plan": (
            "{layers} {activation} · {optimizer} lr {lr} · batch {batch} · {length}",
            "{layers} {activation} · {optimizer} 学习率 {lr} · 批大小 {batch} · {length}",
        ),
        "status.plan_epochs": ("{n} epochs", "{n} 个 epoch"),
        "status.plan_iterations": ("{n} iterations", "{n} 次迭代"),
        "status.hint_ready": ("s starts · f setup", "s 开始 · f 设置"),
        "data.subset": ("offline subset: {train} train / {test} test", "离线子集：训练 {train} / 测试 {test}"),
        "data.folder": ("MNIST: {train} train / {test} test", "MNIST：训练 {train} / 测试 {test}"),
        # -- form
        "form.preset": ("Preset", "预设"),
        "form.data": ("Data set", "数据集"),
        "form.folder": ("Folder", "文件夹"),
        "form.hidden": ("Hidden layers", "隐藏层"),
        "form.activation": ("Activation", "激活函数"),
        "form.init": ("Weight init", "权重初始值"),
        "form.optimizer": ("Optimiser", "优化器"),
        "form.lr": ("Learning rate", "学习率"),
        "form.batch": ("Batch size", "批大小"),
        "form.epochs": ("Epochs", "epoch 数"),
        "form.train_size": ("Train samples", "训练样本数"),
        "form.decay": ("Weight decay λ", "权重衰减 λ"),
        "form.dropout": ("Dropout", "Dropout 比例"),
        "form.batchnorm": ("Batch norm", "Batch Norm"),
        "form.pace": ("Speed", "速度"),
        "form.on": ("on", "开"),
        "form.off": ("off", "关"),
        "form.network_file": ("Network file", "网络文件"),
        "form.csv_file": ("Metrics CSV", "指标 CSV"),
        "form.hint": (
            "Tab: next field · Enter applies a number · Esc leaves a field · s starts",
            "Tab：下一个字段 · Enter 确认数字 · Esc 离开输入框 · s 开始",
        ),
        "form.iterations": (
            "This preset runs {n} iterations; typing epochs replaces that.",
            "该预设运行 {n} 次迭代；输入 epoch 数会取代它。",
        ),
        "data.option_subset": ("offline subset", "离线子集"),
        "data.option_full": ("full MNIST", "完整 MNIST"),
        "data.short_mnist": ("MNIST", "MNIST "),
        "data.option_folder": ("a folder…", "指定文件夹…"),
        "pace.full": ("full speed", "全速"),
        "pace.100": ("100 batches/s", "每秒 100 批"),
        "pace.10": ("10 batches/s", "每秒 10 批"),
        "preset.quick": (
            "A small ReLU net for the offline subset: about a second, ~90% test accuracy.",
            "适合离线子集的小型 ReLU 网络：约一秒，测试精度约 90%。",
        ),
        # Preset descriptions: {network} and {training} are worded from the preset's own settings
        # (preset.network, preset.training), so a sentence cannot drift from what the preset does.
        "preset.network": ("{layers} {activation}, {init} weights", "{layers} {activation}，权重初始值 {init}"),
        "preset.batchnorm": (", batch norm", "，Batch Norm"),
        "preset.dropout": (", dropout {dropout}", "，Dropout {dropout}"),
        "preset.decay": (", weight decay λ = {decay}", "，权重衰减 λ = {decay}"),
        "preset.training": (
            "{optimizer} lr {lr}, batch {batch}, {length}",
            "{optimizer} 学习率 {lr}，批大小 {batch}，{length}",
        ),
        "preset.book-two-layer": (
            "The book's ch. 5 TwoLayerNet: {network}; {training}.",
            "书中第5章的 TwoLayerNet：{network}；{training}。",
        ),
        "preset.book-two-layer-sigmoid": (
            "The same run with the ch. 4 sigmoid network: it learns more slowly.",
            "同样的训练，使用第4章的 sigmoid 网络：学得更慢。",
        ),
        "preset.best": (
            "{network}; {training}: about 98% test accuracy on full MNIST.",
            "{network}；{training}：在完整 MNIST 上测试精度约 98%。",
        ),
        "preset.overfit-300": (
            "Overfitting (过拟合): {train} training digits, a {depth}-layer net; train accuracy reaches 100%, "
            "test stays far below.",
            "过拟合：只用 {train} 个训练样本和 {depth} 层网络；训练精度达到 100%，测试精度远远落后。",
        ),
        "preset.overfit-300-decay": (
            "The same with weight decay λ = {decay}: the gap between train and test narrows.",
            "同上，加权重衰减 λ = {decay}：训练与测试的差距缩小。",
        ),
        "preset.overfit-300-dropout": (
            "The same with Dropout {dropout}: the gap between train and test narrows.",
            "同上，加 Dropout {dropout}：训练与测试的差距缩小。",
        ),
        "preset.custom": ("(changed)", "（已修改）"),
        # -- what quitting would lose (the app asks before q quits)
        "quit.training": (
            "Training is still running: quitting ends this run and loses its network.",
            "训练仍在进行：退出会结束这次训练并丢失它的网络。",
        ),
        "quit.unsaved": (
            "The trained network is not saved (ctrl+s saves it): quitting loses it.",
            "训练好的网络还没有保存（ctrl+s 保存）：退出会丢失它。",
        ),
        # -- charts
        "chart.loss": ("loss per iteration", "每次迭代的损失"),
        "chart.loss_empty": (
            "loss per iteration · s starts, n trains one mini-batch",
            "每次迭代的损失 · s 开始，n 训练一个 mini-batch",
        ),
        "chart.raw": ("mini-batch", "mini-batch"),
        "chart.smoothed": ("mean of {window}", "{window} 次平均"),
        "chart.accuracy": ("accuracy per epoch (%)", "每个 epoch 的精度（%）"),
        "chart.ghost": ("run {n} · {label}", "第 {n} 次 · {label}"),
        "chart.ghost_curve": ("run {n} {curve}", "第 {n} 次{curve}"),
        "chart.accuracy_empty": (
            "accuracy per epoch (%) · after the first epoch",
            "每个 epoch 的精度（%）· 第一个 epoch 结束后显示",
        ),
        "chart.train": ("train", "训练"),
        "chart.test": ("test", "测试"),
        # -- messages
        "msg.next_run": (
            "Changed settings apply to the next run (r resets).",
            "修改的设置从下一次训练开始生效（r 重置）。",
        ),
        "msg.running": ("Training is running: press space to pause first.", "正在训练：请先按空格暂停。"),
        "msg.already_running": ("Training is already running.", "已经在训练中。"),
        "msg.over": ("This run is over: s starts a new run, r resets.", "本次训练已结束：s 开始新的训练，r 重置。"),
        "msg.nothing_to_stop": ("No run to stop.", "没有正在进行的训练。"),
        "msg.no_data": ("No data set is loaded yet.", "尚未加载数据集。"),
        "msg.wait_data": ("The data set is still loading; try again in a moment.", "数据集仍在加载，请稍候再试。"),
        "msg.loaded_data": ("Data set: {name}", "数据集：{name}"),
        "msg.data_error": ("Could not load the data: {reason}", "无法加载数据：{reason}"),
        "msg.no_full": (
            "Full MNIST was not found: run `nn-tui data download`, or pick a folder.",
            "未找到完整 MNIST：请运行 `nn-tui data download`，或指定文件夹。",
        ),
        "msg.type_folder": (
            "Type the folder that holds the MNIST files, then Enter.",
            "输入存放 MNIST 文件的文件夹，然后按 Enter。",
        ),
        "msg.hidden_bad": (
            "Hidden layers: {text!r} is not a list of sizes like 100,50 (whole numbers ≥ 1); kept {old}.",
            "隐藏层：{text!r} 不是像 100,50 这样的大小列表（≥ 1 的整数）；保留 {old}。",
        ),
        "msg.diverged": ("Diverged (发散): {reason}", "发散：{reason}"),
        "msg.npz_needed": (
            "A network file name ends in .npz, not {name!r}: nothing was saved.",
            "网络文件名须以 .npz 结尾，而不是 {name!r}：未保存。",
        ),
        "msg.error": ("Training stopped by an error: {reason}", "训练因错误停止：{reason}"),
        "msg.nothing_to_save": ("No network yet: train first (s or n).", "还没有网络：请先训练（s 或 n）。"),
        "msg.saved": ("Saved the network to {path}", "网络已保存到 {path}"),
        "msg.save_error": ("Could not save: {reason}", "无法保存：{reason}"),
        "msg.loaded": (
            "Loaded {path}: test accuracy {acc} on all {n} test digits ({data}). s trains it further.",
            "已加载 {path}：在{data}的全部 {n} 个测试数字上测试精度为 {acc}。按 s 继续训练。",
        ),
        "msg.loading_network": ("Loading the network from {path}…", "正在从 {path} 加载网络…"),
        "msg.wait_network": (
            "A saved network is still loading; try again in a moment.",
            "保存的网络仍在加载，请稍候再试。",
        ),
        "msg.load_overtaken": (
            "the data set changed or a run started while the file was read.",
            "读取文件期间数据集已更改或训练已开始。",
        ),
        "msg.too_much_memory": (
            "Not built: training a {layers} network needs about {needed} of memory, more than the limit of "
            "{limit} ({share} of the {available} available now); use smaller hidden layers or a smaller batch.",
            "未构建：训练 {layers} 网络约需 {needed} 内存，超过上限 {limit}（当前可用 {available} 的 {share}）；"
            "请用更小的隐藏层或更小的批大小。",
        ),
        "msg.load_error": ("Could not load: {reason}", "无法加载：{reason}"),
        "msg.nothing_to_export": ("No metrics yet: train first (s or n).", "还没有指标：请先训练（s 或 n）。"),
        "msg.exported": ("Wrote {n} iterations to {path}", "已将 {n} 次迭代写入 {path}"),
        "msg.export_error": ("Could not export: {reason}", "无法导出：{reason}"),
        "msg.loaded_replaced": (
            "The loaded network does not fit the new settings: a new network will be trained.",
            "加载的网络与新设置不符：将训练一个新网络。",
        ),
        "msg.inspect_error": ("The inspector failed: {reason}", "观察组件出错：{reason}"),
        # -- refusals of the core (nn_tui.core.refusal.Refusal codes)
        "trainer.diverged_nan": (
            "the loss became NaN (not a number) at iteration {iteration}: the learning rate {lr} is too large "
            "for {optimizer} (try {smaller} or less). Training stopped without applying this step, but the "
            "weights are already far too large: start a new run rather than continuing this one.",
            "第 {iteration} 次迭代时损失变成了 NaN（不是数字）：对 {optimizer} 来说学习率 {lr} 太大"
            "（试试 {smaller} 或更小）。训练已停止，这一步没有更新，但权重已经太大：请重新开始训练，不要继续这次。",
        ),
        "trainer.diverged_inf": (
            "the loss became infinite at iteration {iteration}: the learning rate {lr} is too large "
            "for {optimizer} (try {smaller} or less). Training stopped without applying this step, but the "
            "weights are already far too large: start a new run rather than continuing this one.",
            "第 {iteration} 次迭代时损失变成了无穷大：对 {optimizer} 来说学习率 {lr} 太大"
            "（试试 {smaller} 或更小）。训练已停止，这一步没有更新，但权重已经太大：请重新开始训练，不要继续这次。",
        ),
        "trainer.diverged_exploded": (
            "the loss exploded to {loss} (it started at {start}) at iteration {iteration}: the learning rate "
            "{lr} is too large for {optimizer} (try {smaller} or less). Training stopped without applying this "
            "step, but the weights are already far too large: start a new run rather than continuing this one.",
            "第 {iteration} 次迭代时损失暴涨到 {loss}（开始时为 {start}）：对 {optimizer} 来说学习率 {lr} 太大"
            "（试试 {smaller} 或更小）。训练已停止，这一步没有更新，但权重已经太大：请重新开始训练，不要继续这次。",
        ),
        "network.init_overflow": (
            "Initial weights with std {std} overflow {dtype}: choose a smaller weight init.",
            "标准差为 {std} 的初始权重超出了 {dtype} 的范围：请选择更小的初始值。",
        ),
        "trainer.diverged_nan_at_start": (
            "the loss was NaN (not a number) before the first step, from the starting network alone, so the "
            "learning rate is not the cause: the initial weights ({weight_init}) or the weight decay "
            "λ = {weight_decay} are too large. Choose smaller ones and start again.",
            "第一步之前损失就是 NaN（不是数字），问题出在初始网络本身，与学习率无关："
            "初始权重（{weight_init}）或权重衰减 λ = {weight_decay} 太大。请改小后重新开始。",
        ),
        "trainer.diverged_inf_at_start": (
            "the loss was infinite before the first step, from the starting network alone, so the learning "
            "rate is not the cause: the initial weights ({weight_init}) or the weight decay λ = {weight_decay} "
            "are too large. Choose smaller ones and start again.",
            "第一步之前损失就是无穷大，问题出在初始网络本身，与学习率无关："
            "初始权重（{weight_init}）或权重衰减 λ = {weight_decay} 太大。请改小后重新开始。",
        ),
        "trainer.diverged_exploded_at_start": (
            "the loss was {loss} before the first step, from the starting network alone, so the learning rate "
            "is not the cause: the initial weights ({weight_init}) or the weight decay λ = {weight_decay} are "
            "too large. Choose smaller ones and start again.",
            "第一步之前损失就已是 {loss}，问题出在初始网络本身，与学习率无关："
            "初始权重（{weight_init}）或权重衰减 λ = {weight_decay} 太大。请改小后重新开始。",
        ),
        "trainer.batch_too_large": (
            "Batch size {batch} is larger than the {samples} training samples: use at most {samples}.",
            "批大小 {batch} 大于训练样本数 {samples}：最多只能用 {samples}。",
        ),
        "trainer.train_size_too_large": (
            "{train_size} training samples were asked for, but the data set has {samples}.",
            "要求 {train_size} 个训练样本，但数据集只有 {samples} 个。",
        ),
        "trainer.network_mismatch": (
            "the network takes {inputs} inputs and gives {classes} classes; this data needs "
            "{data_inputs} and {data_classes}",
            "该网络有 {inputs} 个输入、{classes} 个类别；这些数据需要 {data_inputs} 个输入、{data_classes} 个类别",
        ),
        "train.hidden_sizes": (
            "Not applied: give at least one hidden layer, e.g. 100 or 100,50.",
            "未应用：至少要有一个隐藏层，例如 100 或 100,50。",
        ),
        "train.hidden_size": (
            "Not applied: a hidden layer has {low} to {high} neurons, not {value}.",
            "未应用：隐藏层的神经元数为 {low} 到 {high}，不能是 {value}。",
        ),
        "train.activation": (
            "Not applied: {value!r} is not an activation function; choose one of {options}.",
            "未应用：{value!r} 不是激活函数；请从 {options} 中选择。",
        ),
        "train.weight_init": (
            "Not applied: {value!r} is not a weight init; use he, xavier or std:0.01.",
            "未应用：{value!r} 不是权重初始值；请用 he、xavier 或 std:0.01。",
        ),
        "train.weight_decay": (
            "Not applied: weight decay λ must be a number of at least {low}, not {value}.",
            "未应用：权重衰减 λ 必须是不小于 {low} 的数，不能是 {value}。",
        ),
        "train.dropout": (
            "Not applied: the dropout ratio must be at least {low} and below {high}, not {value}.",
            "未应用：Dropout 比例必须不小于 {low} 且小于 {high}，不能是 {value}。",
        ),
        "train.batchnorm": ("Not applied: batch norm is on or off, not {value!r}.", "未应用：Batch Norm 只能开或关，不能是 {value!r}。"),
        "train.optimizer": (
            "Not applied: {value!r} is not an optimiser; choose one of {options}.",
            "未应用：{value!r} 不是优化器；请从 {options} 中选择。",
        ),
        "train.lr": (
            "Not applied: the learning rate must be a number greater than {low}, not {value}.",
            "未应用：学习率必须是大于 {low} 的数，不能是 {value}。",
        ),
        "train.batch_size": (
            "Not applied: the batch size is a whole number from {low} to {high}, not {value}.",
            "未应用：批大小必须是 {low} 到 {high} 的整数，不能是 {value}。",
        ),
        "train.epochs": (
            "Not applied: the number of epochs is a whole number from {low} to {high}, not {value}.",
            "未应用：epoch 数必须是 {low} 到 {high} 的整数，不能是 {value}。",
        ),
        "train.iterations": (
            "Not applied: the number of iterations is a whole number from {low} to {high}, not {value}.",
            "未应用：迭代次数必须是 {low} 到 {high} 的整数，不能是 {value}。",
        ),
        "train.train_size": (
            "Not applied: the number of training samples is a whole number from {low} to {high}, not {value}.",
            "未应用：训练样本数必须是 {low} 到 {high} 的整数，不能是 {value}。",
        ),
        "train.eval_train_samples": (
            "Not applied: the training digits measured are a whole number from {low} to {high}, not {value}.",
            "未应用：用于测量的训练数字个数必须是 {low} 到 {high} 的整数，不能是 {value}。",
        ),
        "train.eval_test_samples": (
            "Not applied: the test digits measured are a whole number from {low} to {high}, not {value}.",
            "未应用：用于测量的测试数字个数必须是 {low} 到 {high} 的整数，不能是 {value}。",
        ),
        "train.seed": (
            "Not applied: the random seed is a whole number from {low} to {high}, not {value}.",
            "未应用：随机种子必须是 {low} 到 {high} 的整数，不能是 {value}。",
        ),
        "train.dtype": ("Not applied: numbers are float32 or float64, not {value!r}.", "未应用：数值类型只能是 float32 或 float64，不能是 {value!r}。"),
        "train.output_size": (
            "Not applied: the output layer has {low} to {high} classes, not {value}.",
            "未应用：输出层的类别数为 {low} 到 {high}，不能是 {value}。",
        ),
        # -- checkpoint files (nn_tui.core.data.checkpoint.CheckpointError codes), said after
        # "Could not load:" / "Could not save:"
        "checkpoint.save_name": (
            "a network file name ends in .npz, not {name!r}.",
            "网络文件名须以 .npz 结尾，而不是 {name!r}。",
        ),
        "checkpoint.metadata_not_plain": (
            "what would be saved with the network in {path} is not plain data (a number is NaN or infinite?).",
            "要与网络一起保存到 {path} 的信息不是普通数据（某个数是 NaN 或无穷大？）。",
        ),
        "checkpoint.save_disk_full": ("the disk is full; {path} was not written.", "磁盘已满；未写入 {path}。"),
        "checkpoint.save_denied": (
            "there is no permission to write {path}.",
            "没有写入 {path} 的权限。",
        ),
        "checkpoint.save_no_folder": (
            "the folder {folder} does not exist, so {path} cannot be written.",
            "文件夹 {folder} 不存在，无法写入 {path}。",
        ),
        "checkpoint.save_is_folder": (
            "{path} is a folder, not a file; give a file name ending in .npz.",
            "{path} 是文件夹，不是文件；请给出以 .npz 结尾的文件名。",
        ),
        "checkpoint.save_not_file": (
            "{path} exists and is not an ordinary file (a device, a pipe…), so it is not replaced.",
            "{path} 已存在且不是普通文件（设备、管道等），因此不会覆盖它。",
        ),
        "checkpoint.save_failed": (
            "the file system refused to write {path}.",
            "文件系统拒绝写入 {path}。",
        ),
        "checkpoint.missing": ("there is no network file at {path}.", "{path} 处没有网络文件。"),
        "checkpoint.read_denied": ("there is no permission to read {path}.", "没有读取 {path} 的权限。"),
        "checkpoint.unreadable": ("{path} cannot be read.", "无法读取 {path}。"),
        "checkpoint.damaged": ("{path} is damaged.", "{path} 已损坏。"),
        "checkpoint.truncated": (
            "{path} is cut short (truncated) or damaged.",
            "{path} 不完整（被截断）或已损坏。",
        ),
        "checkpoint.empty": ("{path} is empty.", "{path} 是空文件。"),
        "checkpoint.pickle": (
            "{path} is a Python pickle; nn-tui never loads pickles, because loading one can run any code.",
            "{path} 是 Python pickle 文件；nn-tui 从不加载 pickle，因为加载它可能执行任意代码。",
        ),
        "checkpoint.pickled_member": (
            "{path} holds pickled Python objects; nn-tui never loads them, because loading one can run any code.",
            "{path} 含有 pickle 序列化的 Python 对象；nn-tui 从不加载它们，因为加载可能执行任意代码。",
        ),
        "checkpoint.single_array": (
            "{path} is a single .npy array, not a saved network (.npz).",
            "{path} 是单个 .npy 数组，不是保存的网络（.npz）。",
        ),
        "checkpoint.not_zip": (
            "{path} is not a saved network (not an .npz archive).",
            "{path} 不是保存的网络（不是 .npz 压缩包）。",
        ),
        "checkpoint.too_large": (
            "{path} is {size:,} bytes, more than any network nn-tui can load ({limit:,} bytes).",
            "{path} 有 {size:,} 字节，超过 nn-tui 能加载的任何网络（{limit:,} 字节）。",
        ),
        "checkpoint.no_metadata": (
            "{path} does not say what network it holds (no metadata).",
            "{path} 没有说明其中是什么网络（缺少元数据）。",
        ),
        "checkpoint.missing_arrays": (
            "{path} lacks the arrays {arrays} of the network it describes.",
            "{path} 缺少其所描述网络的数组 {arrays}。",
        ),
        "checkpoint.too_many_members": (
            "{path} holds {count:,} entries; a saved network has at most {limit:,}.",
            "{path} 含有 {count:,} 个条目；保存的网络最多只有 {limit:,} 个。",
        ),
        "checkpoint.unexpected_member": (
            "{path} holds an entry {member!r} that does not belong in a saved network.",
            "{path} 含有不属于保存网络的条目 {member!r}。",
        ),
        "checkpoint.member_too_large": (
            "the entry {member} of {path} unpacks to {size:,} bytes, more than the {limit:,} it can need.",
            "{path} 中的条目 {member} 解压后有 {size:,} 字节，超过它最多需要的 {limit:,} 字节。",
        ),
        "checkpoint.encrypted": (
            "the entry {member} of {path} is encrypted.",
            "{path} 中的条目 {member} 是加密的。",
        ),
        "checkpoint.compression": (
            "the entry {member} of {path} uses compression method {method}; nn-tui reads only stored and "
            "deflated entries.",
            "{path} 中的条目 {member} 使用压缩方法 {method}；nn-tui 只读取未压缩和 deflate 压缩的条目。",
        ),
        "checkpoint.metadata_not_json": (
            "the description of the network in {path} is not valid JSON.",
            "{path} 中对网络的描述不是有效的 JSON。",
        ),
        "checkpoint.metadata_too_large": (
            "the description of the network in {path} is {size:,} bytes; at most {limit:,} are allowed.",
            "{path} 中对网络的描述有 {size:,} 字节；最多允许 {limit:,} 字节。",
        ),
        "checkpoint.metadata_too_deep": (
            "the description of the network in {path} is nested {depth:,} levels deep; at most {limit} are allowed.",
            "{path} 中对网络的描述嵌套了 {depth:,} 层；最多允许 {limit} 层。",
        ),
        "checkpoint.not_ours": (
            "{path} is an .npz file, but not a network saved by nn-tui.",
            "{path} 是 .npz 文件，但不是 nn-tui 保存的网络。",
        ),
        "checkpoint.version": (
            "{path} is saved in format version {version}; this nn-tui ({nn_tui_version}) reads version {supported}.",
            "{path} 的格式版本为 {version}；本 nn-tui（{nn_tui_version}）读取版本 {supported}。",
        ),
        "checkpoint.architecture": (
            "in {path} the network's {field} is {value}, which nn-tui cannot build.",
            "{path} 中网络的 {field} 为 {value}，nn-tui 无法构建。",
        ),
        "checkpoint.too_big_network": (
            "the network in {path} has {parameters:,} parameters; nn-tui handles at most {limit:,}.",
            "{path} 中的网络有 {parameters:,} 个参数；nn-tui 最多处理 {limit:,} 个。",
        ),
        "checkpoint.array_dtype": (
            "in {path} the array {array} holds {dtype}, not floating-point numbers.",
            "{path} 中的数组 {array} 存放的是 {dtype}，不是浮点数。",
        ),
        "checkpoint.array_shape": (
            "in {path} the array {array} has shape {shape}; the network described needs {expected}.",
            "{path} 中的数组 {array} 形状为 {shape}；所描述的网络需要 {expected}。",
        ),
        "checkpoint.not_finite": (
            "in {path} the array {array} holds NaN or infinite values.",
            "{path} 中的数组 {array} 含有 NaN 或无穷大的值。",
        ),
        "checkpoint.cannot_build": (
            "{path} describes a network nn-tui cannot build.",
            "{path} 描述的网络 nn-tui 无法构建。",
        ),
        "checkpoint.different_network": (
            "{path} holds a different network (it differs in: {fields}).",
            "{path} 中是另一个网络（不同之处：{fields}）。",
        ),
        "checkpoint.does_not_fit": (
            "the weights in {path} do not fit this network.",
            "{path} 中的权重与这个网络不符。",
        ),
        "trainer.export_not_file": (
            "{path} exists and is not an ordinary file (a folder, a device, a pipe…), so it is not replaced.",
            "{path} 已存在且不是普通文件（文件夹、设备、管道等），因此不会覆盖它。",
        ),
        "msg.file_error": ("{path}: the system refused ({reason}).", "{path}：系统拒绝了操作（{reason}）。"),
        "state.not_increasing": (
            "The saved state's {field} do not increase; nothing was changed.",
            "保存的状态中 {field} 不是递增的；未作任何更改。",
        ),
    }
)
