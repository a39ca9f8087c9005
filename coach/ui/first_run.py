"""A short, skippable first-run check: microphone (live level, a 7-second test played back),
the interviewer's voice, and the role being prepared for.

The test recording also gives the user's loudness baseline: the median speech level in dBFS,
measured exactly as each answer's loudness is (coach.analysis.loudness), so later answers can
be called quieter or louder than the user's own normal voice (feedback-science.md §5). The
dialog is never modal: "Start interview" stays usable behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach.errors import CoachError
from coach.ports import PlayerPort, RecorderPort, SpeakerPort
from coach.ui.app_settings import load_settings, update_settings
from coach.ui.level import meter_value
from coach.ui.mic_verdict import check_levels, has_whisper_model, level_verdict, recogniser_text
from coach.ui.tasks import TaskRunner

TEST_SECONDS = 7.0
"""feedback-science.md §5: about 5 s of the sentence plus room silence, from which the
background noise is measured (at 150 words/min the sentence alone takes 5-6 s)."""
SAMPLE_QUESTION = "Tell me about a time you solved a difficult problem at work."
TEST_FILE = "mic-check.flac"


class FirstRunDialog(QDialog):
    """Three pages: microphone, voice, role. Closing it in any way marks the check as done."""

    finished_check = Signal()
    download_requested = Signal()  # the user asked for the accurate speech model

    def __init__(
        self,
        runner: TaskRunner,
        store: QSettings,
        *,
        recorder_factory: Callable[[str | None], RecorderPort],
        player: PlayerPort,
        speaker: SpeakerPort,
        list_microphones: Callable[[], list[str]],
        work_dir: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Microphone and voice check — Second Round")
        self.setModal(False)
        self.setMinimumWidth(520)
        self.runner = runner
        self.store = store
        self.recorder_factory = recorder_factory
        self.player = player
        self.speaker = speaker
        self.work_dir = work_dir
        self.settings = load_settings(store)
        self.baseline: float | None = None
        self._recorder: RecorderPort | None = None
        self._recording = False

        self.pages = QStackedWidget()
        self.pages.addWidget(self._mic_page())
        self.pages.addWidget(self._voice_page())
        self.pages.addWidget(self._role_page())
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(lambda: self.go(self.pages.currentIndex() - 1))
        self.next_button = QPushButton("Next")
        self.next_button.clicked.connect(self._next)
        self.skip_button = QPushButton("Skip")
        self.skip_button.setToolTip("Skip the check; run it again from Help at any time")
        self.skip_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._show_level)
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.setInterval(int(TEST_SECONDS * 1000))
        self._stop_timer.timeout.connect(self._stop_test)
        runner.submit(
            list_microphones, lane="record", on_done=self._set_microphones, on_error=self._mic_error
        )
        self.go(0)

    # --- pages ---------------------------------------------------------------------------
    def _mic_page(self) -> QWidget:
        page = QWidget()
        self.mic_box = QComboBox()
        self.mic_box.setAccessibleName("Microphone")
        self.mic_box.addItem("System default", None)
        self.mic_box.currentIndexChanged.connect(lambda _: self._restart_monitor())
        self.level_bar = QProgressBar()
        self.level_bar.setAccessibleName("Input level")
        self.level_bar.setRange(0, 100)
        self.level_bar.setTextVisible(False)
        self.test_button = QPushButton(f"Record a {TEST_SECONDS:.0f}-second test")
        self.test_button.clicked.connect(self.record_test)
        self.mic_status = QLabel("Speak and watch the bar move.")
        self.mic_status.setWordWrap(True)
        self.mic_status.setAccessibleName("Microphone check result")
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h3>1. Your microphone</h3>"))
        layout.addWidget(self.mic_box)
        layout.addWidget(self.level_bar)
        intro = QLabel(
            "Press the button, stay quiet for a second so the room can be heard, then read "
            "aloud at your interview voice: “I am practising for my next interview, and I will "
            "answer each question clearly and calmly.” You will hear the recording back."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.test_button)
        layout.addWidget(self.mic_status)
        layout.addStretch(1)
        return page

    def _voice_page(self) -> QWidget:
        page = QWidget()
        self.voice_button = QPushButton("Play a sample question")
        self.voice_button.clicked.connect(self.play_voice)
        self.voice_status = QLabel(
            "This is how questions will be read. Voice and speed can be changed in Settings."
        )
        self.voice_status.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h3>2. The interviewer's voice</h3>"))
        layout.addWidget(self.voice_button)
        layout.addWidget(self.voice_status)
        layout.addStretch(1)
        return page

    def _role_page(self) -> QWidget:
        page = QWidget()
        self.role_edit = QLineEdit(self.settings.role)
        self.role_edit.setAccessibleName("Role you are preparing for")
        self.role_edit.setPlaceholderText("for example: Data analyst, Registered nurse")
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h3>3. What role are you preparing for?</h3>"))
        layout.addWidget(self.role_edit)
        note = QLabel("Optional. It labels your sessions so you can find them later.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addSpacing(12)
        layout.addWidget(QLabel("<b>Transcripts of your answers</b>"))
        self.recogniser_status = QLabel("Checking which speech recogniser is installed…")
        self.recogniser_status.setWordWrap(True)
        layout.addWidget(self.recogniser_status)
        self.download_model_button = QPushButton("Download the accurate model…")
        self.download_model_button.setToolTip("Opens Settings → Download model…")
        self.download_model_button.clicked.connect(self.download_requested)
        self.download_model_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.download_model_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        folder = self.settings.model_folder
        self.runner.submit(
            lambda: has_whisper_model(folder), lane="disk", on_done=self._show_recogniser
        )
        return page

    def _show_recogniser(self, accurate: bool) -> None:
        """Say which recogniser transcribes; offer the one download only when it is missing."""
        self.recogniser_status.setText(recogniser_text(accurate))
        self.download_model_button.setVisible(not accurate)

    def go(self, page: int) -> None:
        page = max(0, min(page, self.pages.count() - 1))
        self.pages.setCurrentIndex(page)
        self.back_button.setEnabled(page > 0)
        self.next_button.setText("Finish" if page == self.pages.count() - 1 else "Next")
        if page == 0:
            self._start_monitor()
        else:
            self._stop_monitor()

    def _next(self) -> None:
        if self.pages.currentIndex() == self.pages.count() - 1:
            self.close()
        else:
            self.go(self.pages.currentIndex() + 1)

    # --- microphone ----------------------------------------------------------------------
    def _set_microphones(self, names: list[str]) -> None:
        self.mic_box.blockSignals(True)
        for name in names:
            self.mic_box.addItem(name, name)
        index = self.mic_box.findData(self.settings.microphone)
        self.mic_box.setCurrentIndex(max(index, 0))
        self.mic_box.blockSignals(False)
        self._restart_monitor()

    def _mic_error(self, error: CoachError) -> None:
        self.mic_status.setText(error.message)

    def microphone(self) -> str | None:
        data = self.mic_box.currentData()
        return str(data) if data else None

    def _start_monitor(self) -> None:
        if self._recorder is not None or not self.isVisible():
            return
        recorder = self.recorder_factory(self.microphone())
        self._recorder = recorder
        self.runner.submit(
            lambda: recorder.start(None),
            lane="record",
            on_done=lambda _: self._timer.start(),
            on_error=self._monitor_failed,
        )

    def _monitor_failed(self, error: CoachError) -> None:
        self._recorder = None
        self._recording = False
        self._timer.stop()
        self.mic_status.setText(error.message)
        self.test_button.setEnabled(True)

    def _stop_monitor(self) -> None:
        if self._recording:
            return
        self._timer.stop()
        self.level_bar.setValue(0)
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            self.runner.submit(lambda: recorder.stop(None), lane="record")

    def _restart_monitor(self) -> None:
        if self._recording:
            return
        self._stop_monitor()
        if self.pages.currentIndex() == 0:
            self._start_monitor()

    def _show_level(self) -> None:
        if self._recorder is not None:
            peak = float(self._recorder.poll().peak)
            step_s = self._timer.interval() / 1000
            self.level_bar.setValue(meter_value(self.level_bar.value(), peak, step_s))

    def record_test(self) -> None:
        """Record TEST_SECONDS, then measure the level and play the recording back."""
        if self._recording:
            return
        self._stop_monitor()
        self._recording = True
        self.test_button.setEnabled(False)
        self.mic_status.setText("Recording… read the sentence above.")
        recorder = self.recorder_factory(self.microphone())
        self._recorder = recorder
        self.work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = self.work_dir / "mic-check.partial.raw"
        self.runner.submit(
            lambda: recorder.start(partial),
            lane="record",
            on_done=lambda _: self._test_started(),
            on_error=self._monitor_failed,
        )

    def _test_started(self) -> None:
        self._timer.start()
        self._stop_timer.start()

    def _stop_test(self) -> None:
        self._timer.stop()
        recorder, self._recorder = self._recorder, None
        if recorder is None:
            return
        final = self.work_dir / TEST_FILE

        def stop_and_measure() -> tuple[float | None, float, float | None]:
            info: Any = recorder.stop(final)
            if info is None:
                raise CoachError("The test recording was lost; please try again.")
            level, noisy_snr = check_levels(final)
            return level, float(info.peak_dbfs), noisy_snr

        self.mic_status.setText("Measuring your level…")
        self.runner.submit(
            stop_and_measure, lane="record", on_done=self._measured, on_error=self._monitor_failed
        )

    def _measured(self, result: tuple[float | None, float, float | None]) -> None:
        level, peak, noisy_snr = result
        self._recording = False
        self.test_button.setEnabled(True)
        self.test_button.setText("Record the test again")
        self.baseline = level
        self.mic_status.setText(level_verdict(level, peak, noisy_snr) + " Playing it back now…")
        self.adjustSize()  # room for a longer verdict (noise advice) without clipping it
        changes: dict[str, Any] = {"microphone": self.microphone()}
        if level is not None:
            changes["loudness_baseline_dbfs"] = round(level, 1)
        self.settings = update_settings(self.store, **changes)
        self._play(self.work_dir / TEST_FILE)

    def _play(self, path: Path) -> None:
        player = self.player

        def run() -> None:
            player.load(path)
            player.play(0.0)

        self.runner.submit(run, lane="playback", on_error=self._play_failed)

    def _play_failed(self, error: CoachError) -> None:
        label = self.voice_status if self.pages.currentIndex() == 1 else self.mic_status
        label.setText(error.message)

    # --- voice ---------------------------------------------------------------------------
    def play_voice(self) -> None:
        speaker, settings = self.speaker, self.settings
        self.voice_status.setText("Preparing the voice…")
        self.runner.submit(
            lambda: speaker.synthesize(SAMPLE_QUESTION, settings.voice_id, settings.voice_rate),
            lane="speech",
            on_done=self._voice_ready,
            on_error=lambda e: self.voice_status.setText(e.message),
        )

    def _voice_ready(self, path: Path) -> None:
        self.voice_status.setText(
            "Playing. If you hear nothing, choose another speaker in Settings (Ctrl+,)."
        )
        self._play(path)

    # --- closing -------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.pages.currentIndex() == 0:
            self._start_monitor()

    def done(self, result: int) -> None:
        """However it is closed (Skip, Finish, Esc, the window's X), the check counts as done
        and the microphone is released. QDialog routes all of these through done()."""
        self._stop_timer.stop()
        if self._recording:
            self._recording = False
            self._stop_monitor_now_recording()
        self._stop_monitor()
        self.runner.submit(self.player.close, lane="control")  # stop and release the device
        self.settings = update_settings(
            self.store, first_run_done=True, role=self.role_edit.text().strip()
        )
        self.finished_check.emit()
        super().done(result)

    def _stop_monitor_now_recording(self) -> None:
        """Closed mid-test: stop the stream and discard the half-made test file."""
        self._timer.stop()
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            final = self.work_dir / TEST_FILE
            self.runner.submit(lambda: recorder.stop(final), lane="record")
