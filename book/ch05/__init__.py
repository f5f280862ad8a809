"""Chapter 5: what the book's ch05/ scripts import from their own folder.

``layer_naive`` (MulLayer, AddLayer: the apple examples) and
``two_layer_net`` (TwoLayerNet, trained by backpropagation), on ``nn_tui.core``.
"""
