"""Chapter 4: what the book's ch04/ scripts import from their own folder.

``gradient_1d`` (numerical_diff, function_1, tangent_line), ``gradient_2d``
(numerical_gradient for one point or a batch, function_2),
``gradient_method`` (gradient_descent), ``gradient_simplenet`` (simpleNet)
and ``two_layer_net`` (TwoLayerNet), all on ``nn_tui.core``.
"""
