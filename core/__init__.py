"""The NumPy core of nn-tui: every number the app shows is computed here.

Pure NumPy and the standard library -- this package never imports textual,
rich or plotext, so it can be used (and tested) on its own::

    from nn_tui.core import gates, functions, gradient
"""
