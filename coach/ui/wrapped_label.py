"""A word-wrapped QLabel that remembers its height for each width it was asked about.

Qt's layouts ask a word-wrapped label for its height at many widths while they settle (the
review panel's labels sit five layouts deep and are asked at ~8 widths each, more than the 3 a
layout item caches), and every answer lays the label's rich text out again. In the review panel
that was most of the time the window was frozen after "Finish interview". The text, indent and
margins are set before the label is laid out; font, style sheet and margin changes arrive as
change events and clear the memory.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel


class WrappedLabel(QLabel):
    """Word-wrapped label with a per-width height cache."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._heights: dict[int, int] = {}
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:
        self._heights.clear()
        super().changeEvent(event)
