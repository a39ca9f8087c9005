"""One helper for the name a screen reader announces, shared by the setup screen's parts."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget
