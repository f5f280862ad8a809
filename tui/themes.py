"""Colour themes: Textual's dark default, and a light one for projectors.

A projector washes out mid-greys and thin colours, so the projector theme is
black on white with saturated, dark accents and full-opacity text.
"""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="nn-tui-projector",
    primary="#0033aa",
    secondary="#005f00",
    accent="#b00000",
    warning="#8a4b00",
    error="#c00000",
    success="#006400",
    foreground="#000000",
    background="#ffffff",
    surface="#f2f2f2",
    panel="#e6e6e6",
    dark=False,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#0033aa",
        "block-cursor-background": "#0033aa",
        "block-cursor-foreground": "#ffffff",
    },
)

# Names accepted by `nn-tui --theme`.
THEMES: dict[str, str] = {
    "dark": "textual-dark",
    "light": "textual-light",
    "projector": PROJECTOR.name,
}
