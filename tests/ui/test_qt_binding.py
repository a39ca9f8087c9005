"""Guards against a Qt binding bug that made the app abort at exit.

PySide6 6.12.0 released a reference to True/False each time Python emitted a signal carrying a
bool; after enough emissions CPython aborted ("Fatal Python error: bool_dealloc"). pyqtgraph
and the app emit such signals, so the binding is pinned below 6.12 (pyproject.toml).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    flag = Signal(bool)
    anything = Signal(object)


def test_emitting_bools_keeps_their_reference_counts(qapp: object) -> None:
    emitter = _Emitter()
    emitter.flag.connect(lambda value: None)
    emitter.anything.connect(lambda value: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.flag.emit(True)
        emitter.anything.emit(False)
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
