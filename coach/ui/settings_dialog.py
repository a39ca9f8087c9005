"""The Settings dialog: devices, voice, timings, interview mode, speech recognition, data, theme.

It edits an AppSettings value; `save()` writes it to QSettings. Device and voice lists are
fetched on worker lanes (opening PortAudio or the TTS engine can take seconds), so the dialog
opens at once and the lists fill in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.settings import THINK_TIME_CHOICES_S
from coach.errors import CoachError
from coach.ui.app_settings import (
    ASR_ENGINES,
    MODES,
    THEMES,
    AppSettings,
    apply_theme,
    save_settings,
)
from coach.ui.data_folder_panel import DataFolderHooks, DataFolderRow
from coach.ui.language_model_group import LanguageModelGroup
from coach.ui.model_download_panel import ModelChoiceDialog, ModelDownloadPanel
from coach.ui.tasks import TaskRunner

DEFAULT_DEVICE = "System default"
ENGINE_TEXT = {
    "auto": "Automatic (Whisper if a model is present, else PocketSphinx)",
    "whisper": "Whisper (needs a model folder)",
    "pocketsphinx": "PocketSphinx (built in, less accurate)",
    "none": "None (no transcript; delivery measures only)",
}


class SettingsDialog(QDialog):
    """Edits a copy of the settings; OK saves them and applies the theme."""

    def __init__(
        self,
        settings: AppSettings,
        store: QSettings,
        runner: TaskRunner,
        *,
        data_dir: Path,
        models_dir: Path,
        list_microphones: Callable[[], list[str]],
        list_speakers: Callable[[], list[str]],
        list_voices: Callable[[], list[tuple[str, str]]],
        pick_folder: Callable[[], Path | None] | None = None,
        data_hooks: DataFolderHooks | None = None,
        pick_gguf: Callable[[], Path | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings — Second Round")
        self.setMinimumWidth(560)
        self.original = settings
        self.store = store
        self.runner = runner
        self.data_dir = data_dir
        self.pick_folder = pick_folder or self._ask_folder

        self.mic_box = self._device_box("Microphone")
        self.speaker_box = self._device_box("Speaker")
        self.device_note = QLabel()
        self.device_note.setWordWrap(True)
        self.voice_box = QComboBox()
        self.voice_box.setAccessibleName("Voice")
        self.voice_box.addItem("Default voice", None)
        self.rate_box = QSpinBox()
        self.rate_box.setAccessibleName("Speaking rate")
        self.rate_box.setRange(80, 300)
        self.rate_box.setSuffix(" words/min")

        self.think_box = QComboBox()
        self.think_box.setAccessibleName("Think time")
        for seconds in THINK_TIME_CHOICES_S:
            self.think_box.addItem("none" if seconds == 0 else f"{seconds} s", seconds)
        self.soft_box = QSpinBox()
        self.soft_box.setAccessibleName("Answer warning after")
        self.soft_box.setRange(15, 600)
        self.soft_box.setSuffix(" s")
        self.hard_box = QSpinBox()
        self.hard_box.setAccessibleName("Recording stops after")
        self.hard_box.setRange(30, 900)
        self.hard_box.setSuffix(" s")
        self.mode_box = QComboBox()
        self.mode_box.setAccessibleName("Interview mode")
        for mode in MODES:
            self.mode_box.addItem(mode.capitalize(), mode)
        self.mode_box.setToolTip(
            "Practice: replay and redo answers as you go. Realistic: one take per question, "
            "feedback only at the end."
        )
        self.follow_check = QCheckBox("Ask a follow-up question after each answer")
        self.end_silence_box = QSpinBox()
        self.end_silence_box.setAccessibleName("Hands-free: end of answer after silence")
        self.end_silence_box.setRange(2, 10)
        self.end_silence_box.setSuffix(" s")
        self.end_silence_box.setToolTip(
            "Hands-free: the interviewer moves on after this much silence (pauses of 2-3 s "
            "while you think are normal; 4 s is past them)"
        )

        self.engine_box = QComboBox()
        self.engine_box.setAccessibleName("Speech recognition engine")
        for engine in ASR_ENGINES:
            self.engine_box.addItem(ENGINE_TEXT[engine], engine)
        self.model_edit = QLineEdit()
        self.model_edit.setAccessibleName("Whisper model folder")
        self.model_edit.setPlaceholderText("automatic: a model in the app's model folder")
        self.model_edit.setToolTip(f"Empty: a Whisper model folder inside {models_dir} is used")
        choose = QPushButton("Use a model folder…")
        choose.clicked.connect(self._choose_model)
        self.models_dir = models_dir
        self.download_button = QPushButton("Download model…")
        self.download_button.setToolTip(f"Download a Whisper model into {models_dir}")
        self.download_button.clicked.connect(self.ask_download)
        self.download_panel = ModelDownloadPanel(runner, models_dir, self)
        self.download_panel.downloaded.connect(self._use_downloaded)
        self.download_panel.stopped.connect(lambda: self.download_button.setEnabled(True))
        model_buttons = QHBoxLayout()
        model_buttons.addWidget(choose)
        model_buttons.addWidget(self.download_button)
        model_buttons.addStretch(1)

        self.llm_group = LanguageModelGroup(runner, models_dir, settings.llm_model, pick_gguf)

        self.data_row = DataFolderRow(data_dir, runner, store, data_hooks or DataFolderHooks())
        self.data_label = self.data_row.label
        self.theme_box = QComboBox()
        self.theme_box.setAccessibleName("Theme")
        for theme in THEMES:
            self.theme_box.addItem(theme.capitalize(), theme)

        sound = QFormLayout()
        sound.addRow("Microphone", self.mic_box)
        sound.addRow("Speaker", self.speaker_box)
        sound.addRow("", self.device_note)
        sound.addRow("Interviewer voice", self.voice_box)
        sound.addRow("Speaking rate", self.rate_box)
        interview = QFormLayout()
        interview.addRow("Think time", self.think_box)
        interview.addRow("Warn after", self.soft_box)
        interview.addRow("Stop recording after", self.hard_box)
        interview.addRow("Default mode", self.mode_box)
        interview.addRow("", self.follow_check)
        interview.addRow("Hands-free: answer ends after silence of", self.end_silence_box)
        analysis = QFormLayout()
        analysis.addRow("Speech recognition", self.engine_box)
        analysis.addRow("Model folder", self.model_edit)
        analysis.addRow("", model_buttons)
        analysis.addRow("", self.download_panel)
        other = QFormLayout()
        other.addRow("Data folder", self.data_row)
        other.addRow("Theme", self.theme_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        page = QWidget()
        groups = QVBoxLayout(page)
        for title, form in (
            ("Sound", sound),
            ("Interview", interview),
            ("Analysis", analysis),
            ("Data and appearance", other),
        ):
            box = QGroupBox(title)
            box.setLayout(form)
            groups.addWidget(box)
            if title == "Analysis":
                groups.addWidget(self.llm_group)
        scroll = QScrollArea()  # taller than a small laptop screen: the groups scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        scroll.setMinimumHeight(min(page.sizeHint().height() + 4, 640))
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)

        self.set_values(settings)
        self._fetch(list_microphones, self.mic_box, settings.microphone, "record")
        self._fetch(list_speakers, self.speaker_box, settings.speaker, "playback")
        runner.submit(list_voices, lane="speech", on_done=self._set_voices, on_error=self._problem)

    def _device_box(self, name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem(DEFAULT_DEVICE, None)
        return box

    def _fetch(
        self, lister: Callable[[], list[str]], box: QComboBox, wanted: str | None, lane: str
    ) -> None:
        self.runner.submit(
            lister,
            lane=lane,
            on_done=lambda names: self._set_devices(box, names, wanted),
            on_error=self._problem,
        )

    @staticmethod
    def _add_missing(box: QComboBox, value: str | None, text: str) -> None:
        """A saved choice that is not (yet) listed stays selectable, so OK does not lose it."""
        if value is not None and box.findData(value) < 0:
            box.addItem(text, value)

    def _set_devices(self, box: QComboBox, names: list[str], wanted: str | None) -> None:
        current = box.currentData() if box.currentIndex() > 0 else wanted
        box.clear()
        box.addItem(DEFAULT_DEVICE, None)
        for name in names:
            box.addItem(name, name)
        self._add_missing(box, current, f"{current} (not connected)")
        box.setCurrentIndex(max(0, box.findData(current)) if current else 0)

    def _set_voices(self, voices: list[tuple[str, str]]) -> None:
        current = self.voice_box.currentData()
        self.voice_box.clear()
        self.voice_box.addItem("Default voice", None)
        for voice_id, name in voices:
            self.voice_box.addItem(name, voice_id)
        self._add_missing(self.voice_box, current, str(current))
        self.voice_box.setCurrentIndex(max(0, self.voice_box.findData(current)) if current else 0)

    def _problem(self, error: CoachError) -> None:
        self.device_note.setText(error.message)

    @staticmethod
    def _select(box: QComboBox, value: object) -> None:
        index = box.findData(value)
        if index >= 0:
            box.setCurrentIndex(index)

    def set_values(self, s: AppSettings) -> None:
        """Show a settings value in the widgets."""
        for box, value in ((self.mic_box, s.microphone), (self.speaker_box, s.speaker)):
            self._add_missing(box, value, value or "")
            self._select(box, value)
        self._add_missing(self.voice_box, s.voice_id, s.voice_id or "")
        self._select(self.voice_box, s.voice_id)
        self.rate_box.setValue(s.voice_rate)
        self._select(self.think_box, s.think_time_s)
        self.soft_box.setValue(s.soft_limit_s)
        self.hard_box.setValue(s.hard_limit_s)
        self._select(self.mode_box, s.mode)
        self.follow_check.setChecked(s.follow_ups)
        self.end_silence_box.setValue(s.end_silence_s)
        self._select(self.engine_box, s.asr_engine)
        self.model_edit.setText(s.model_folder or "")
        self._select(self.theme_box, s.theme)

    def values(self) -> AppSettings:
        """The settings as edited (fields the dialog does not show are kept)."""
        soft, hard = self.soft_box.value(), self.hard_box.value()
        if soft >= hard:
            soft = max(15, hard - 30)
        model = self.model_edit.text().strip()
        return replace(
            self.original,
            microphone=self.mic_box.currentData(),
            speaker=self.speaker_box.currentData(),
            voice_id=self.voice_box.currentData(),
            voice_rate=self.rate_box.value(),
            think_time_s=int(self.think_box.currentData()),
            soft_limit_s=soft,
            hard_limit_s=hard,
            mode=str(self.mode_box.currentData()),
            follow_ups=self.follow_check.isChecked(),
            end_silence_s=self.end_silence_box.value(),
            asr_engine=str(self.engine_box.currentData()),
            model_folder=model or None,
            llm_model=self.llm_group.path(),
            theme=str(self.theme_box.currentData()),
        )

    def save(self) -> AppSettings:
        """Write the edited settings and apply the theme; returns what was saved."""
        settings = self.values()
        save_settings(self.store, settings)
        app = QApplication.instance()
        if isinstance(app, QApplication) and settings.theme != self.original.theme:
            apply_theme(app, settings.theme)
        self.original = settings
        return settings

    def accept(self) -> None:
        model = self.model_edit.text().strip()
        if model and self.engine_box.currentData() in ("auto", "whisper"):
            folder = Path(model).expanduser()
            if not (folder / "model.bin").is_file():
                self.problem_label.setText(
                    f"{folder} is not a Whisper model folder (it has no model.bin). Choose the "
                    "folder that holds model.bin, config.json and tokenizer.json."
                )
                return
        self.save()
        super().accept()

    def _choose_model(self) -> None:
        folder = self.pick_folder()
        if folder is not None:
            self.model_edit.setText(str(folder))
            self._select(self.engine_box, "whisper")

    def ask_download(self) -> None:
        """Ask which model, then download it on the "download" lane; nothing happens unasked."""
        self.model_choice = ModelChoiceDialog(self.models_dir, self)
        self.model_choice.accepted.connect(self._start_download)
        self.model_choice.finished.connect(self.model_choice.deleteLater)
        self.model_choice.open()

    def _start_download(self) -> None:
        self.download_button.setEnabled(False)
        self.download_panel.start(self.model_choice.chosen())

    def _use_downloaded(self, folder: str) -> None:
        self.model_edit.setText(folder)
        self._select(self.engine_box, "whisper")

    def done(self, result: int) -> None:
        """Closing the dialog (OK, Cancel or the window's close button) stops a download."""
        if self.data_row.busy():  # moving the data folder: stay open until it has finished
            return
        self.download_panel.cancel()
        self.llm_group.cancel()
        super().done(result)

    def _ask_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, "Choose a Whisper model folder")
        return Path(name) if name else None
