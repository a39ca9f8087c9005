"""The setup screen's microphone group: pick the device and check its level live before starting.

Kept apart from the form because it owns a running recorder and a timer, and must stop them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
)

from coach.errors import CoachError
from coach.ports import RecorderPort
from coach.ui.accessible import named
from coach.ui.level import meter_value
from coach.ui.tasks import TaskRunner


class MicCheck(QGroupBox):
    """Device list, "Test microphone" toggle and level bar; unchecking the toggle stops the test."""

    def __init__(
        self,
        runner: TaskRunner,
        recorder_factory: Callable[[str | None], RecorderPort],
        wanted_mic: str | None,
    ) -> None:
        super().__init__("Microphone")
        self.runner = runner
        self.recorder_factory = recorder_factory
        self._wanted_mic = wanted_mic
        self._monitor: RecorderPort | None = None

        self.mic_box = QComboBox()
        named(self.mic_box, "Microphone")
        self.mic_box.addItem("Default microphone", None)
        self.mic_test = QPushButton("Test microphone")
        named(self.mic_test, "Test microphone")
        self.mic_test.setCheckable(True)
        self.mic_test.toggled.connect(self._toggle_monitor)
        self.mic_level = QProgressBar()
        named(self.mic_level, "Microphone level")
        self.mic_level.setRange(0, 100)
        self.mic_level.setTextVisible(False)
        self.mic_status = QLabel("Press “Test microphone” and say a few words.")
        self.mic_status.setWordWrap(True)
        mf = QFormLayout(self)
        mf.addRow("Device", self.mic_box)
        row = QHBoxLayout()
        row.addWidget(self.mic_test)
        row.addWidget(self.mic_level, 1)
        mf.addRow(row)
        mf.addRow(self.mic_status)

        self._level_timer = QTimer(self)
        self._level_timer.setInterval(33)
        self._level_timer.timeout.connect(self._show_level)

    # --- the device list -------------------------------------------------------------------
    def set_microphones(self, names: list[str]) -> None:
        for name in names:
            self.mic_box.addItem(name, name)
        if self._wanted_mic:
            index = self.mic_box.findData(self._wanted_mic)
            self.mic_box.setCurrentIndex(max(index, 0))
        if not names:
            self._set_mic_problem(
                "No microphone found. You can still practise; answers will not be recorded."
            )

    def mic_list_failed(self, error: CoachError) -> None:
        self._set_mic_problem(error.message)

    def _set_mic_problem(self, text: str) -> None:
        self.mic_status.setText(text)

    # --- live level check ----------------------------------------------------------------
    def _toggle_monitor(self, on: bool) -> None:
        if on:
            monitor = self.recorder_factory(self.mic_box.currentData())
            self._monitor = monitor
            self.mic_status.setText("Listening… speak at your interview voice.")
            self.runner.submit(
                lambda: monitor.start(None),
                lane="record",
                on_done=lambda _: self._level_timer.start(),
                on_error=self._monitor_failed,
            )
        else:
            self._stop_monitor()

    def _monitor_failed(self, error: Exception) -> None:
        self._monitor = None
        self.mic_test.setChecked(False)
        self.mic_status.setText(str(getattr(error, "message", error)))

    def _stop_monitor(self) -> None:
        self._level_timer.stop()
        self.mic_level.setValue(0)
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            self.runner.submit(lambda: monitor.stop(None), lane="record")

    def _show_level(self) -> None:
        if self._monitor is None:
            return
        peak = float(self._monitor.poll().peak)
        step_s = self._level_timer.interval() / 1000
        self.mic_level.setValue(meter_value(self.mic_level.value(), peak, step_s))
        if peak >= 0.99:
            self.mic_status.setText(
                "Too loud: the signal clips. Move back or lower the input gain."
            )
        elif peak > 0.03:
            self.mic_status.setText("The microphone hears you.")
