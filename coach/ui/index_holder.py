"""The history index, opened on first use and shared by the history and progress pages.

Kept apart from the pages so the window can hold one without importing them (or SQLite) at
start-up.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.core.history_index import HistoryIndex


class IndexHolder:
    """Opens the HistoryIndex on first use (on a worker lane: it may rebuild) and reopens it
    after 'delete all data' closed it."""

    def __init__(self, data_dir: Path, sessions_root: Path) -> None:
        self.data_dir = data_dir
        self.sessions_root = sessions_root
        self._index: HistoryIndex | None = None
        self._lock = threading.Lock()

    def get(self) -> HistoryIndex:
        with self._lock:
            if self._index is None:
                from coach.core.history_index import DB_FILE_NAME, HistoryIndex

                self._index = HistoryIndex(self.data_dir / DB_FILE_NAME, self.sessions_root)
            return self._index

    def forget(self) -> None:
        """Drop the (closed) index so the next use opens a fresh one."""
        with self._lock:
            self._index = None

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
            self._index = None
