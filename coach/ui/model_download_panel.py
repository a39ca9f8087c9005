"""The "Download model…" flow of the Settings dialog: pick a model, then progress and Cancel.

`ModelDownloadPanel` serves both downloads Settings offers (the Whisper speech model and the
language model): each passes its own fetch function and wording. The download runs on the
TaskRunner's "download" lane. The worker only writes its latest numbers into a ProgressHolder
(coach.ui.progress_report) read by a 10 Hz GUI timer, so the dialog stays usable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coach.analysis.model_download import CATALOGUE, DEFAULT_MODEL, Progress, download_model
from coach.errors import CoachError, DownloadCancelled, ModelDownloadError
from coach.ui.progress_report import ProgressHolder, size_text
from coach.ui.tasks import TaskRunner

REFRESH_MS = 100
Fetch = Callable[[str, Path, Progress, threading.Event], Path]
WHISPER_READY = (
    "The {name} model is ready in {path}. It is now the model folder; press OK to keep it."
)


class ModelChoiceDialog(QDialog):
    """Which model to fetch, and the plain statement that this is the app's only network use."""

    def __init__(self, models_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Download a speech model")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Which Whisper speech-recognition model?"))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for name, model in CATALOGUE.items():
            button = QRadioButton(
                f"{name.capitalize()} — about {model.size_mb} MB ({model.summary})"
            )
            button.setChecked(name == DEFAULT_MODEL)
            self.group.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button)
        self.note = QLabel(
            "This download is the only time Second Round uses the network. The model is saved "
            f"in {models_dir}."
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.download_button = box.addButton("Download", QDialogButtonBox.ButtonRole.AcceptRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def chosen(self) -> str:
        return next(name for name, button in self.buttons.items() if button.isChecked())


class ModelDownloadPanel(QWidget):
    """Progress bar, megabytes and file, a Cancel button, and the outcome as a message."""

    downloaded = Signal(str)  # the new model folder
    stopped = Signal()  # finished, failed or cancelled

    def __init__(
        self,
        runner: TaskRunner,
        models_dir: Path,
        parent: QWidget | None = None,
        *,
        fetch: Fetch = download_model,
        what: str = "model",
        ready_text: str = WHISPER_READY,
    ):
        super().__init__(parent)
        self.runner = runner
        self.models_dir = models_dir
        self.fetch, self.what, self.ready_text = fetch, what, ready_text
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Download progress")
        self.bar.setRange(0, 100)
        self.cancel_button = QPushButton("Cancel download")
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._show_progress)
        self._holder = ProgressHolder()
        self._cancel: threading.Event | None = None
        self._name = DEFAULT_MODEL
        self.hide()

    def is_running(self) -> bool:
        return self._cancel is not None

    def start(self, name: str) -> None:
        """Start downloading model `name` in the background (ignored while one runs)."""
        if self._cancel is not None:
            return
        holder, cancel, models_dir = ProgressHolder(), threading.Event(), self.models_dir
        fetch = self.fetch
        self._holder, self._cancel, self._name = holder, cancel, name
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.status.setText(f"Connecting to download the {name} {self.what}…")
        self.status.show()
        self.message.clear()
        self.show()
        self.timer.start()
        self.runner.submit(
            lambda: fetch(name, models_dir, holder.update, cancel),
            lane="download",
            on_done=self._finished,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        """Ask the download to stop; it does so before its next chunk."""
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def _show_progress(self) -> None:
        done, total, file = self._holder.latest()
        if not file and not done:
            return  # still asking the server for the file sizes
        what = f"Downloading {file}" if file else "Resuming"
        if total:
            self.bar.setRange(0, 100)
            self.bar.setValue(min(100, done * 100 // total))
            self.status.setText(f"{what} — {size_text(done)} of {size_text(total)}")
        else:  # the server did not say how big the files are: a busy bar
            self.bar.setRange(0, 0)
            self.status.setText(f"{what} — {size_text(done)}")

    def _stop(self) -> None:
        self.timer.stop()
        self._show_progress()  # the final numbers, whatever the last tick showed
        self._cancel = None
        self.cancel_button.hide()
        self.stopped.emit()

    def _finished(self, folder: Path) -> None:
        self._stop()
        self.status.hide()
        self.message.setText(self.ready_text.format(name=self._name, path=folder))
        self.downloaded.emit(str(folder))

    def _failed(self, error: CoachError) -> None:
        self._stop()
        self.bar.hide()
        self.status.hide()
        resumes = isinstance(error, DownloadCancelled | ModelDownloadError)
        kept = " What arrived is kept: the next download continues from there."
        self.message.setText(error.message + (kept if resumes else ""))
