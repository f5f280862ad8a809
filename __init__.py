"""nn-tui: see how a neural network learns, in the terminal.

`nn_tui.core` is the NumPy maths (no UI imports), `nn_tui.tui` the Textual
app and the command line, `nn_tui.assets` the shipped data and lesson text.
"""

__version__ = "0.1.0"
