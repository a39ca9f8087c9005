"""Colours and type sizes shared by the screens, for the light and the dark palette.

The band colours are chosen per palette so a chip stays readable (text on tint at WCAG AA
contrast) in both; `is_dark` reads the palette actually in use, so a widget follows the theme
chosen in Settings or, with "system", the desktop's colour scheme (Qt 6.5 QStyleHints).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

# band -> (background, text, border)
_LIGHT = {
    "good": ("#e3f3e6", "#14532d", "#6fb784"),
    "watch": ("#fff1d6", "#6b4100", "#d9a441"),
    "flag": ("#fde3e1", "#8a1c14", "#d9665c"),
    "not measured": ("#eeeeee", "#404040", "#a0a0a0"),
    "info": ("#e4ecf7", "#1f3d66", "#7f9fcc"),
}
_DARK = {
    "good": ("#1d3a26", "#b9ecc6", "#3f8a57"),
    "watch": ("#3f3117", "#ffd79a", "#a27a2c"),
    "flag": ("#472220", "#ffc0b8", "#b0554b"),
    "not measured": ("#353535", "#d0d0d0", "#6a6a6a"),
    "info": ("#22324a", "#c3d8f7", "#4f6f9c"),
}
TITLE_PT = 1.6  # scale of the base font for screen titles
HEADING_PT = 1.25
TIMER_PT = 3.4


def system_is_dark() -> bool:
    """True when the desktop asks for a dark colour scheme (Qt 6.5+; Unknown counts as light)."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(widget: QWidget | None = None) -> bool:
    """True when the palette in use is dark (its window colour is darker than mid-grey)."""
    # The application palette: a widget with a style sheet keeps the palette it was polished with.
    del widget
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def band_colours(band: str, dark: bool) -> tuple[str, str, str]:
    table = _DARK if dark else _LIGHT
    return table.get(band, table["not measured"])


def scaled_font_css(scale: float, base_pt: float, bold: bool = False) -> str:
    weight = " font-weight: 600;" if bold else ""
    return f"font-size: {base_pt * scale:.1f}pt;{weight}"
