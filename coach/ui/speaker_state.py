"""Who has the floor: the interviewer speaking, your think time, the app listening.

A reusable pill (symbol + words, never colour alone) with one setter, so any flow can show its
state — the interview screen today, the hands-free wiring later ("Moving on in 3…").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from coach.ui.theme import is_dark

# state -> (symbol, default words, band colour key)
STATES: dict[str, tuple[str, str, str]] = {
    "speaking": ("♫", "The interviewer is speaking", "info"),
    "thinking": ("◔", "Your think time", "watch"),
    "listening": ("●", "Listening — your answer is being recorded", "flag"),
    "saved": ("✓", "Answer saved", "good"),
    "waiting": ("…", "One moment", "not measured"),
    "countdown": ("»", "Moving on", "info"),
    "idle": ("", "", "not measured"),
}
_COLOURS = {  # (background, text) for light and dark palettes
    "info": (("#e4ecf7", "#1f3d66"), ("#22324a", "#c3d8f7")),
    "watch": (("#fff1d6", "#6b4100"), ("#3f3117", "#ffd79a")),
    "flag": (("#fde3e1", "#8a1c14"), ("#472220", "#ffc0b8")),
    "good": (("#e3f3e6", "#14532d"), ("#1d3a26", "#b9ecc6")),
    "not measured": (("#eeeeee", "#404040"), ("#353535", "#d0d0d0")),
}


class SpeakerState(QWidget):
    """Shows one state; `set_state("countdown", "Moving on in 3…")` for custom words."""

    def __init__(self) -> None:
        super().__init__()
        self.state = "idle"
        self._restyling = False
        self.symbol = QLabel()
        self.words = QLabel()
        for label in (self.symbol, self.words):
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            font.setBold(True)
            label.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 16, 6)
        layout.setSpacing(8)
        layout.addWidget(self.symbol)
        layout.addWidget(self.words)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setObjectName("speakerState")
        self.setAccessibleName("Who is speaking")
        self.set_state("idle")

    def set_state(self, state: str, text: str | None = None) -> None:
        symbol, words, colour = STATES.get(state, STATES["idle"])
        self.state = state
        words = text if text is not None else words
        self.symbol.setText(symbol)
        self.words.setText(words)
        self.setAccessibleDescription(words)
        light, dark = _COLOURS[colour]
        bg, fg = dark if is_dark(self) else light
        self.setStyleSheet(
            f"QWidget#speakerState {{ background: {bg}; border-radius: 16px; }}"
            f" QLabel {{ color: {fg}; background: transparent; }}"
        )
        self.setVisible(bool(words))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._restyling:
            self._restyling = True
            self.set_state(self.state, self.words.text())
            self._restyling = False

    def text(self) -> str:
        return self.words.text()
