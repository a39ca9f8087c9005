"""The start screen's line offering the first-run check.

Its own small module because it is built at start-up, while the check itself
(coach.ui.first_run) is imported only when the user opens it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class FirstRunOffer(QFrame):
    """A line on the start screen offering the check; it never hides the Start button."""

    check_requested = Signal()
    dismissed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel(
            "New here? Take one minute to check your microphone and hear the interviewer's voice."
        )
        text.setWordWrap(True)
        check = QPushButton("Check now")
        check.clicked.connect(self.check_requested)
        later = QPushButton("Not now")
        later.clicked.connect(self.dismissed)
        later.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(text, 1)
        layout.addWidget(check)
        layout.addWidget(later)
