"""Progress of long background work, as the GUI shows it.

The worker only stores its latest numbers in a ProgressHolder; a GUI timer reads them a few
times a second (Friture's pattern), so a fast worker never floods the event loop.
"""

from __future__ import annotations

import threading


class ProgressHolder:
    """The latest (done, total, label) of a running job: the worker writes, a GUI timer reads."""

    def __init__(self, total: int | None = None) -> None:
        self._lock = threading.Lock()
        self._value: tuple[int, int | None, str] = (0, total, "")

    def update(self, done: int, total: int | None, label: str = "") -> None:
        with self._lock:
            self._value = (done, total, label)

    def latest(self) -> tuple[int, int | None, str]:
        with self._lock:
            return self._value


def size_text(count: int) -> str:
    """Bytes as people read them: MB, or kB below 0.1 MB."""
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.0f} kB"
