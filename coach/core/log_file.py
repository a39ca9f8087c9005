"""The app's log file, which must never make things worse when the disk is full.

logging.Handler.handleError prints a "--- Logging error ---" traceback to stderr on every
failed write; with a full disk that is one traceback per log line. This handler says once,
in one line, that the log file stopped working, and then stays quiet until a write works again.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from logging.handlers import RotatingFileHandler


class QuietRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler that reports its first failed write once and no traceback."""

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
