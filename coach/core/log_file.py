"""The app's log file, which must never make things worse when the disk is full.

logging.Handler.handleError prints a "--- Logging error ---" traceback to stderr on every
failed write; with a full disk that is one traceback per log line. This handler says once,
in one line, that the log file stopped working, and then stays quiet until a write works again.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path


class QuietFileHandler(logging.FileHandler):
    """A FileHandler that reports its first failed write once and no traceback."""

    failing = False
    _failed_now = False

    def emit(self, record: logging.LogRecord) -> None:
        self._failed_now = False
        super().emit(record)  # calls handleError on failure
        if not self._failed_now:
            self.failing = False  # written: a later failure is news again

    def handleError(self, record: logging.LogRecord) -> None:
        self._failed_now = True
        if self.failing:
            return
        self.failing = True
        error = sys.exc_info()[1]
        with contextlib.suppress(OSError, ValueError):  # stderr closed too: nothing to tell
            sys.stderr.write(
                f"Second Round: cannot write the log file {self.baseFilename} ({error}); "
                "log lines are dropped until it works again.\n"
            )

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the last flush onto a full disk: already told
            super().close()


def rotate_log(path: Path, max_bytes: int = 1_000_000, keep: int = 2) -> None:
    """At start, a log over `max_bytes` becomes coach.log.1 (.1 becomes .2, and so on), as
    RotatingFileHandler names them. Done once here rather than by that handler, whose module
    (logging.handlers, with socket and pickle) cost ~30 ms before the first paint; one session
    writes far less than a megabyte."""
    if not path.is_file() or path.stat().st_size <= max_bytes:
        return
    for n in range(keep - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{n + 1}"))
    path.replace(path.with_name(f"{path.name}.1"))
