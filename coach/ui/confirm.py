"""Yes/No confirmations; features take them as plain callables so tests can answer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_yes_no(parent: QWidget) -> Callable[[str], bool]:
    """The real confirmation: a question box whose default button is No."""

    def confirm(text: str) -> bool:
        answer = QMessageBox.question(
            parent,
            "Second Round",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    return confirm
