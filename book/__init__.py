"""The book's library: *Deep Learning from Scratch* (chapters 2-6) on nn-tui's core.

A script from the book runs with only its imports changed::

    from common.layers import *                ->  from nn_tui.book.common.layers import *
    from dataset.mnist import load_mnist       ->  from nn_tui.book.dataset.mnist import load_mnist
    from two_layer_net import TwoLayerNet      ->  from nn_tui.book.ch05.two_layer_net import TwoLayerNet

No ``sys.path`` lines, no pickle, no download that fails with HTTP 403: MNIST
comes from nn-tui's data (``nn-tui data download`` fetches it, checked by sha256).

The names, arguments, defaults and results are the book's; the maths is
nn-tui's core -- the layers, optimisers and networks the app itself uses,
so the app and a student's script agree to the last digit.  Each module and
what backs it:

=====================================  ==================================================
module                                 backed by
=====================================  ==================================================
``common.functions``                   ``core.functions`` (sigmoid, relu, softmax,
                                       cross_entropy_error, ...); step_function as
                                       integers, mean_squared_error summed as the book's
``common.gradient``                    ``core.gradient.numerical_gradient``
``common.layers``                      ``core.layers`` (Relu, Sigmoid, Affine,
                                       SoftmaxWithLoss, Dropout, BatchNormalization)
``common.optimizer``                   ``core.optimizers`` (SGD ... Adam), also taking
                                       plain numbers as the book's do
``common.multi_layer_net``             ``core.networks.MultiLayerNet``
``common.multi_layer_net_extend``      ``core.networks.MultiLayerNet`` (dropout, batch norm)
``common.trainer``                     the book's loop over ``common.optimizer`` and the
                                       network given (not ``core.trainer``)
``common.util``                        plain NumPy (smooth_curve, shuffle_dataset)
``dataset.mnist``                      ``core.data.mnist`` (IDX reader, normalize, one_hot,
                                       NN_TUI_MNIST_DIR and the cache) and
                                       ``core.data.download`` (mirrors, sha256)
``ch02`` (and_gate ... xor_gate)       ``core.gates`` (AND, NAND, OR perceptrons, xor)
``ch03.neuralnet_mnist``               ``core.labs.inference.SampleNetwork`` (the trained
                                       784-50-100-10 network lesson 2 draws)
``ch04.gradient_1d``                   ``core.gradient.numerical_diff``
``ch04.gradient_2d``                   ``core.gradient.numerical_gradient``, point or batch
``ch04.gradient_method``               ``core.gradient.gradient_descent``
``ch04.gradient_simplenet``            ``core.functions`` (softmax, cross_entropy_error)
``ch04.two_layer_net``                 ``core.networks.TwoLayerNet`` (sigmoid) +
                                       ``core.functions`` for its softmax output and loss
``ch05.layer_naive``                   ``core.graph.ops`` (Mul, Add: lesson 5's nodes)
``ch05.two_layer_net``                 ``core.networks.TwoLayerNet`` (ReLU)
=====================================  ==================================================

Where the book's code and nn-tui's core differ, this package gives the
book's behaviour: float64 (the core trains in float32 by default), He
initial weights drawn with ``np.random.randn`` (so ``np.random.seed`` gives
the book's starting weights), dropout masks and mini-batches from
``np.random``, batch-norm running variance starting at 0, ``loss`` in test
mode by default, new gradient arrays on every call.  Two differences are
kept on purpose, because they are corrections: ``SoftmaxWithLoss`` computes
-log(softmax) exactly, without the book's + 1e-7 (so a gradient check
agrees to 1e-10), and a network's ``numerical_gradient`` replays the same
dropout masks for every nudged weight.

Not here: chapter 7 (Convolution, Pooling, im2col).  Chapter 3's trained
network ships without pickle: ``nn_tui.assets.BOOK_WEIGHTS`` is the book's
``sample_weight.pkl`` converted bit-exact to ``.npz``, and
``nn_tui.core.labs.inference.SampleNetwork.load`` reads it.  This package
prints only where the book does (``Trainer``, and download progress on
stderr).
"""
