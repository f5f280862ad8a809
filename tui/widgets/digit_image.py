"""A 28x28 image drawn in the terminal: two pixels per cell with half blocks.

In colour each cell is "▀" with the top pixel as its foreground and the
bottom pixel as its background, so 28x28 pixels take 28x14 cells. Without
colour (NO_COLOR) a density ramp " ░▒▓█" (and ▀ / ▄ where the two pixels
clearly differ) keeps the digit readable. Signed images (first-layer
weights) use warm colours for positive and blue for negative values; without
colour, blocks for positive and minus-like marks " ·-=≡" for negative.
"""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from nn_tui.core.labs.inspect import shrink
from nn_tui.core.data.mnist import COLS, ROWS, normalize

RAMP = " ░▒▓█"
NEGATIVE_RAMP = " ·-=≡"


def as_image(image: np.ndarray, *, signed: bool = False) -> np.ndarray:
    """A 2-D float image: uint8 pixels become 0..1; floats must already be in [0, 1] (signed: [-1, 1])."""
    array = np.asarray(image)
    if array.ndim == 1 and array.size == ROWS * COLS:
        array = array.reshape(ROWS, COLS)
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"an image must be 2-D (or 784 pixels), got shape {array.shape}")
    if array.dtype == np.uint8:
        if signed:
            raise ValueError("a signed image must hold floats in [-1, 1], not uint8 pixels")
        return normalize(array, np.float64)
    if array.dtype.kind not in "fiu":
        raise ValueError(f"an image must hold numbers, got {array.dtype}")
    array = array.astype(np.float64)
    low = -1.0 if signed else 0.0
    if not np.isfinite(array).all() or array.min() < low or array.max() > 1.0:
        raise ValueError(f"image values must be finite and within [{low:g}, 1]")
    return array


def _level(value: float, ramp: str) -> str:
    return ramp[min(int(abs(value) * len(ramp)), len(ramp) - 1)]


def mono_cell(top: float, bottom: float) -> str:
    """One cell of an unsigned image (values 0..1) without colour."""
    if top >= 0.5 and bottom < 0.25:
        return "▀"
    if bottom >= 0.5 and top < 0.25:
        return "▄"
    return _level((top + bottom) / 2, RAMP)


def mono_signed_cell(top: float, bottom: float) -> str:
    """One cell of a signed image (values -1..1) without colour: blocks for +, dashes for -."""
    mean = (top + bottom) / 2
    return _level(mean, RAMP if mean >= 0 else NEGATIVE_RAMP)


def grey(value: float) -> Color:
    level = round(value * 255)
    return Color.from_rgb(level, level, level)


def diverging(value: float) -> Color:
    """Black at 0, orange toward +1, blue toward -1."""
    strength = min(abs(value), 1.0)
    if value >= 0:
        return Color.from_rgb(round(255 * strength), round(150 * strength), round(30 * strength))
    return Color.from_rgb(round(40 * strength), round(130 * strength), round(255 * strength))


def image_lines(image: np.ndarray, *, signed: bool = False, color: bool = True, factor: int = 1,
                large: bool = False) -> list[Text]:
    """The image as lines of text, two pixel rows per line (``factor`` 2 halves it first).

    ``large``: one pixel per two cells side by side instead (56x28 cells),
    for a projector.
    """
    pixels = as_image(image, signed=signed)
    if factor != 1:
        pixels = shrink(pixels, factor)
    paint = diverging if signed else grey
    if large:
        return [_large_line(row, signed=signed, color=color, paint=paint) for row in pixels.tolist()]
    if pixels.shape[0] % 2:
        pixels = np.vstack([pixels, np.zeros((1, pixels.shape[1]))])
    lines = []
    for top_row, bottom_row in zip(pixels[0::2], pixels[1::2]):
        line = Text()
        for top, bottom in zip(top_row.tolist(), bottom_row.tolist()):
            if color:
                line.append("▀", Style(color=paint(top), bgcolor=paint(bottom)))
            else:
                line.append(mono_signed_cell(top, bottom) if signed else mono_cell(top, bottom))
        lines.append(line)
    return lines


def _large_line(row: list[float], *, signed: bool, color: bool, paint) -> Text:  # noqa: ANN001
    line = Text()
    for value in row:
        if color:
            line.append("  ", Style(bgcolor=paint(value)))
        else:
            line.append((mono_signed_cell if signed else mono_cell)(value, value) * 2)
    return line


class DigitImage(Widget):
    """A 28x28 image (uint8 pixels, floats 0..1, or signed -1..1 with ``signed=True``).

    ``small=True`` draws it at half size (14x7 cells), for a row of thumbnails;
    setting ``large`` draws it at double size (56x28 cells).
    """

    DEFAULT_CSS = """
    DigitImage {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, image: np.ndarray | None = None, *, signed: bool = False, small: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.signed = signed
        self.factor = 2 if small else 1
        self._large = False
        self.image: np.ndarray | None = None
        if image is not None:
            self.set_image(image)

    def set_image(self, image: np.ndarray) -> None:
        """Show ``image`` (checked first: a bad image is a ValueError and the old one stays)."""
        self.image = as_image(image, signed=self.signed)
        self.refresh()

    @property
    def large(self) -> bool:
        return self._large

    @large.setter
    def large(self, value: bool) -> None:
        if value != self._large:
            self._large = value
            self.refresh(layout=True)

    def get_content_width(self, container, viewport) -> int:  # noqa: ANN001 (Textual's signature)
        return COLS // self.factor * (2 if self._large else 1)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return ROWS // self.factor // (1 if self._large else 2)

    def render(self) -> Text:
        if self.image is None:
            return Text("")
        color = not getattr(self.app, "no_color", False)
        lines = image_lines(self.image, signed=self.signed, color=color, factor=self.factor, large=self._large)
        return Text("\n").join(lines)
