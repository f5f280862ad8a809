"""Shipped data: the offline MNIST subset and lesson scripts."""

from importlib.resources import files


def path(name: str):
    """A Traversable for a file shipped in nn_tui.assets."""
    return files(__name__).joinpath(name)
