"""The single place unexpected errors end up: logged to a file, shown once to the user."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from coach.core.log_file import QuietFileHandler, rotate_log

log = logging.getLogger("coach")
_dialog_open = False
_previous_hook = sys.__excepthook__


def setup_logging(log_dir: Path) -> Path | None:
    """Log to `log_dir/coach.log`; a read-only data folder must not stop the app."""
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "coach.log"
        rotate_log(path)
        handler = QuietFileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    global _dialog_open
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("Unexpected error:\n%s", text)
    if _previous_hook is not sys.__excepthook__:
        _previous_hook(exc_type, exc, tb)  # e.g. pytest-qt's, so a test sees the bug
    else:
        sys.stderr.write(text)
    if os.environ.get("COACH_NO_ERROR_WINDOWS") or _dialog_open or QApplication.instance() is None:
        return
    _dialog_open = True
    try:
        QMessageBox.critical(
            None,
            "Something went wrong",
            "Second Round hit an unexpected problem. Your recordings are saved.\n\n"
            f"{exc_type.__name__}: {exc}\n\nDetails were written to the log file.",
        )
    finally:
        _dialog_open = False


def install_crash_handler() -> None:
    global _previous_hook
    if sys.excepthook is not _excepthook:
        _previous_hook = sys.excepthook
        sys.excepthook = _excepthook
