"""Settings → "Language model": which GGUF file the content coach uses, or none (the rules).

The catalogue's models (coach.content.catalogue) are listed with size and licence; Download
fetches the selected one with progress, Cancel, resume and a checksum (the shared
`ModelDownloadPanel`), and only when the user presses it. "Use a GGUF file…" takes any file the
user has; a file that is not GGUF is refused at once with a plain message (a GGUF that fails to
load is reported once by the app, which then uses the rules).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coach.content.catalogue import CATALOGUE, DEFAULT_LLM, download_llm, installed, model_path
from coach.content.gguf import check_gguf
from coach.errors import LanguageModelError
from coach.ui.model_download_panel import ModelDownloadPanel
from coach.ui.tasks import TaskRunner
from coach.ui.wrapped_label import WrappedLabel

NO_MODEL = "No model: content feedback uses the built-in rules."
LLM_READY = "{name} is downloaded and checked ({path}). It is now the language model; press OK."


def choice_text(key: str, models_dir: Path) -> str:
    """The radio button's one line: title, size when known, licence, whether it is here."""
    c = CATALOGUE[key]
    size = f"{c.size_mb / 1000:.1f} GB, " if c.size_mb else ""
    have = " — downloaded" if installed(models_dir, c) else ""
    return f"{c.title} — {size}{c.licence} licence{have}"


class LanguageModelGroup(QGroupBox):
    """`path()` is the chosen GGUF file as text, or None for the rules engine."""

    def __init__(
        self,
        runner: TaskRunner,
        models_dir: Path,
        current: str | None,
        pick_file: Callable[[], Path | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Language model (content feedback)", parent)
        self.models_dir = models_dir
        self.pick_file = pick_file or self._ask_file
        self._path: str | None = None
        intro = WrappedLabel(
            "A local language model reads what you said: the STAR parts of your story, whether "
            "you answered the question, a better outline, and the interviewer's follow-up. It "
            "runs on this computer; without one, simpler built-in rules do this."
        )
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for key in CATALOGUE:
            button = QRadioButton(choice_text(key, models_dir))
            button.setAccessibleName(CATALOGUE[key].title)
            button.setChecked(key == DEFAULT_LLM)
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
            text = CATALOGUE[key].summary
            summary = WrappedLabel(text[:1].upper() + text[1:] + ".")
            summary.setStyleSheet("color: #555; margin-left: 24px;")
            layout.addWidget(summary)
        self.download_button = QPushButton("Download")
        self.download_button.setAccessibleName("Download language model")
        self.download_button.setToolTip(f"Download the selected model into {models_dir / 'llm'}")
        self.download_button.clicked.connect(self.download)
        self.file_button = QPushButton("Use a GGUF file…")
        self.file_button.clicked.connect(self.choose_file)
        self.none_button = QPushButton("No model")
        self.none_button.setToolTip("Use the built-in rules for content feedback")
        self.none_button.clicked.connect(lambda: self.set_path(None))
        row = QHBoxLayout()
        for push in (self.download_button, self.file_button, self.none_button):
            row.addWidget(push)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = WrappedLabel()
        self.status.setAccessibleName("Language model in use")
        layout.addWidget(self.status)
        self.panel = ModelDownloadPanel(
            runner, models_dir, self, fetch=download_llm, what="language model",
            ready_text=LLM_READY,
        )  # fmt: skip
        self.panel.downloaded.connect(self.set_path)
        self.panel.stopped.connect(lambda: self.download_button.setEnabled(True))
        layout.addWidget(self.panel)
        self.set_path(current)

    def path(self) -> str | None:
        return self._path

    def set_path(self, path: str | None) -> None:
        self._path = path or None
        if self._path is None:
            self.status.setText(NO_MODEL)
            return
        self.status.setText(f"In use: {self._path}")
        for key, choice in CATALOGUE.items():
            if Path(self._path) == model_path(self.models_dir, choice):
                self.buttons[key].setChecked(True)

    def chosen(self) -> str:
        return next(key for key, button in self.buttons.items() if button.isChecked())

    def download(self) -> None:
        """Download the selected model (the only network use; never started by itself)."""
        key = self.chosen()
        done = installed(self.models_dir, CATALOGUE[key])
        if done is not None:
            self.set_path(str(done))
            return
        self.download_button.setEnabled(False)
        self.panel.start(key)

    def choose_file(self) -> None:
        path = self.pick_file()
        if path is None:
            return
        try:
            check_gguf(path)
        except LanguageModelError as error:
            self.status.setText(error.message)
            self._path = None
            return
        self.set_path(str(path))

    def cancel(self) -> None:
        self.panel.cancel()

    def _ask_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a language model", str(Path.home()), "GGUF models (*.gguf)"
        )
        return Path(name) if name else None
