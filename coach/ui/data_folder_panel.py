"""The Settings row for the data folder: show it, open it, and move it elsewhere (Change…).

After a move the app restarts instead of re-pointing the running window: the session store,
question banks, speech cache, log file, history index and analysis worker all took their paths
from the data folder when the window was built, and a fresh start is the one way to be sure
nothing keeps writing to the old place. The move runs on the "disk" lane, so it queues behind
any save in flight; the worker only stores its latest numbers and a 10 Hz timer shows them.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QProcess, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach.core.data_move import MovePlan, move_data, plan_move
from coach.errors import CoachError
from coach.ui.app_settings import load_settings, update_settings
from coach.ui.confirm import ask_yes_no
from coach.ui.progress_report import ProgressHolder, size_text
from coach.ui.tasks import TaskRunner

REFRESH_MS = 100


def restart_command(executable: str, argv: list[str]) -> tuple[str, list[str]]:
    """How to start this app again: `python -m coach` and the `coach` script both work."""
    if getattr(sys, "frozen", False):
        return executable, argv[1:]
    if argv and Path(argv[0]).name == "__main__.py":
        return executable, ["-m", "coach", *argv[1:]]
    return executable, list(argv)


def restart_app(_new_dir: Path) -> None:
    """Close every window (their closing hooks save and stop workers), start a new app, quit."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    app.closeAllWindows()
    program, args = restart_command(sys.executable, sys.argv)
    QProcess.startDetached(program, args)
    app.quit()


@dataclass
class DataFolderHooks:
    """What the row needs from the window; tests replace the dialogs and the restart."""

    pick_folder: Callable[[], Path | None] | None = None  # None: a folder dialog
    confirm: Callable[[str], bool] | None = None  # None: a Yes/No box
    can_move: Callable[[], bool] = lambda: True  # False: an interview or analysis is running
    release: Callable[[], None] = lambda: None  # runs on the disk lane: close the index
    restart: Callable[[Path], None] | None = None  # None: tell the user, restart_app


class DataFolderRow(QWidget):
    """The folder, Open folder and Change…; while moving, a progress bar and Cancel."""

    def __init__(
        self,
        data_dir: Path,
        runner: TaskRunner,
        store: QSettings,
        hooks: DataFolderHooks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir, self.runner, self.store, self.hooks = data_dir, runner, store, hooks
        self.label = QLabel(str(data_dir))
        self.label.setAccessibleName("Data folder")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)
        self.open_button = QPushButton("Open folder")
        self.open_button.clicked.connect(self._open)
        self.change_button = QPushButton("Change…")
        self.change_button.clicked.connect(self.change)
        if os.environ.get("COACH_DATA_DIR"):
            self.change_button.setEnabled(False)
            self.change_button.setToolTip(
                "The data folder is set by the COACH_DATA_DIR environment variable."
            )
        else:
            self.change_button.setToolTip(
                "Move your data to another folder and use it from then on"
            )
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName("Moving data")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        top = QHBoxLayout()
        top.addWidget(self.label, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.change_button)
        self.progress_row = QWidget()
        moving = QHBoxLayout(self.progress_row)
        moving.setContentsMargins(0, 0, 0, 0)
        moving.addWidget(self.bar, 1)
        moving.addWidget(self.cancel_button)
        self.progress_row.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.note)
        self._cancel: threading.Event | None = None
        self._progress = ProgressHolder()  # written by the worker, read by the timer
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._show_progress)

    def busy(self) -> bool:
        """True while data is moving."""
        return self._cancel is not None

    def change(self) -> None:
        """Pick a folder, measure what would move, ask, then move on the disk lane."""
        if not self._can_move():
            return
        target = (self.hooks.pick_folder or self._ask_folder)()
        if target is None:
            return
        self._say("Measuring your data…")
        self.change_button.setEnabled(False)
        source = self.data_dir
        self.runner.submit(
            lambda: plan_move(source, target),
            lane="disk",
            on_done=self._confirm,
            on_error=self._failed,
        )

    def _confirm(self, plan: MovePlan) -> None:
        ask = self.hooks.confirm or ask_yes_no(self)
        question = (
            f"Move your data ({plan.files} files, {size_text(plan.total_bytes)}) from\n"
            f"{plan.source}\nto\n{plan.target}?\n\n"
            "Second Round restarts when the move is done. Files that are not Second Round's "
            "stay where they are."
        )
        if not ask(question) or not self._can_move():
            self.change_button.setEnabled(True)
            self._say("")
            return
        self._start(plan)

    def _start(self, plan: MovePlan) -> None:
        cancel = self._cancel = threading.Event()
        holder = self._progress = ProgressHolder(plan.total_bytes)
        self.bar.setValue(0)
        self.bar.setFormat(f"0 of {size_text(plan.total_bytes)}")
        self.cancel_button.setEnabled(True)
        self.progress_row.show()
        self._say(f"Moving your data to {plan.target}…")
        self._timer.start()
        release, restart = self.hooks.release, self.hooks.restart or self._tell_and_restart
        store, row = self.store, self

        def run() -> None:
            release()
            detached = _detach_log_files(plan.source)
            try:
                move_data(plan.source, plan.target, holder.update, cancel)
            except BaseException:
                _attach(detached)
                raise

        # Closures, not methods: the runner drops a deleted widget's methods, and the restart
        # must happen even if the dialog was closed during the move.
        def done(_: object) -> None:
            _follow_model_folder(store, plan.source, plan.target)
            if _alive(row):
                row._moved(plan.target)
            restart(plan.target)

        def failed(error: CoachError) -> None:
            if _alive(row):
                row._failed(error)

        self.runner.submit(run, lane="disk", on_done=done, on_error=failed)

    def cancel(self) -> None:
        """Stop between two files; what was copied is removed and nothing changes."""
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self._say("Cancelling…")

    def _show_progress(self) -> None:
        done, total, _ = self._progress.latest()
        self.bar.setValue(min(1000, done * 1000 // total) if total else 1000)
        self.bar.setFormat(f"{size_text(done)} of {size_text(total or 0)}")

    def _moved(self, target: Path) -> None:
        self._stop()
        self.data_dir = target
        self.label.setText(str(target))
        self._say(f"Your data is now in {target}. Second Round will restart to use it.")

    def _failed(self, error: CoachError) -> None:
        self._stop()
        self.change_button.setEnabled(True)
        self._say(error.message, problem=True)

    def _stop(self) -> None:
        self._timer.stop()
        self._cancel = None
        self.progress_row.hide()

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.note.setStyleSheet("color: #b00020;" if problem else "")
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _can_move(self) -> bool:
        if self.hooks.can_move():
            return True
        self._say(
            "Finish the current interview and let its answers be analysed, then change the folder.",
            problem=True,
        )
        return False

    def _tell_and_restart(self, target: Path) -> None:
        QMessageBox.information(
            self.window() if _alive(self) else None,
            "Second Round",
            f"Your data is now in {target}. Second Round will restart to use it.",
        )
        restart_app(target)

    def _ask_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, "Choose a new folder for your data")
        return Path(name) if name else None

    def _open(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))


def _alive(widget: QWidget) -> bool:
    import shiboken6  # loads Qt's signature machinery: only when needed (start-up time)

    return bool(shiboken6.isValid(widget))


def _detach_log_files(folder: Path) -> list[logging.Handler]:
    """Close the log file inside the folder being moved, so the copy can be verified."""
    root, folder = logging.getLogger(), folder.resolve()
    found: list[logging.Handler] = [
        h
        for h in root.handlers
        if isinstance(h, logging.FileHandler)
        and Path(h.baseFilename).resolve().is_relative_to(folder)
    ]
    for handler in found:
        root.removeHandler(handler)
        handler.close()
    return found


def _attach(handlers: list[logging.Handler]) -> None:
    """After a failed move the data stays put: log there again (FileHandler reopens)."""
    for handler in handlers:
        logging.getLogger().addHandler(handler)


def _follow_model_folder(store: QSettings, source: Path, target: Path) -> None:
    """A chosen model folder inside the old data folder moved with it: point there."""
    chosen = load_settings(store).model_folder
    if chosen and Path(chosen).is_relative_to(source):
        update_settings(store, model_folder=str(target / Path(chosen).relative_to(source)))
