"""Play / pause and a seek bar for one recorded take."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from coach.errors import CoachError
from coach.ports import PlayerPort
from coach.ui.tasks import TaskRunner


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class ReplayWidget(QWidget):
    """Opening the output stream can block, so play/seek run on the 'playback' lane."""

    problem = Signal(str)

    def __init__(
        self, runner: TaskRunner, player: PlayerPort, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.player = player
        self.path: Path | None = None
        self._duration = 0.0
        self._seeking = False

        self.play_button = QPushButton("Replay")
        self.play_button.setAccessibleName("Replay")
        self.play_button.setToolTip("Play or pause this take (P)")
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Replay position")
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.slider.sliderPressed.connect(self._seek_started)
        self.slider.sliderReleased.connect(self._seek_finished)
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setAccessibleName("Replay time")
        self.time_label.setMinimumWidth(90)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time_label)

        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._refresh)
        # Release the output stream with the widget: an open stream holds a sound-server
        # connection and a native thread, and one freed unclosed can crash that thread.
        self.destroyed.connect(lambda: runner.submit(player.close, lane="control"))

    def set_take(self, path: Path | None) -> None:
        """Show a take (None clears); loading happens in the background."""
        self.stop()
        self.path = path
        self.play_button.setEnabled(False)
        self.slider.setEnabled(False)
        self.play_button.setText("Replay")
        if path is None:
            self.time_label.setText("0:00 / 0:00")
            return
        player = self.player
        self.runner.submit(
            lambda: player.load(path), lane="playback", on_done=self._loaded, on_error=self._failed
        )

    def _loaded(self, duration: float) -> None:
        self._duration = float(duration)
        self.slider.setRange(0, int(self._duration * 1000))
        self.slider.setValue(0)
        self.play_button.setEnabled(True)
        self.slider.setEnabled(True)
        self.time_label.setText(f"0:00 / {clock_text(self._duration)}")

    def _failed(self, error: CoachError) -> None:
        self.problem.emit(error.message)

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def toggle(self) -> None:
        if not self.play_button.isEnabled():
            return
        player = self.player
        if self._timer.isActive():
            self._timer.stop()
            self.play_button.setText("Replay")
            self.runner.submit(player.pause, lane="control")
        else:
            start = self.slider.value() / 1000.0
            if start >= self._duration - 0.05:
                start = 0.0
            self.play_button.setText("Pause")
            self.runner.submit(
                lambda: player.play(start),
                lane="playback",
                on_done=lambda _: self._timer.start(),
                on_error=self._failed,
            )

    def play_from(self, seconds: float) -> None:
        """Start playback at a moment (used by evidence buttons)."""
        self.slider.setValue(int(seconds * 1000))
        if self._timer.isActive():
            self.runner.submit(lambda: self.player.seek(seconds), lane="control")
        else:
            self.toggle()

    def stop(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.runner.submit(self.player.stop, lane="control")
        self.play_button.setText("Replay")

    def _seek_started(self) -> None:
        self._seeking = True

    def _seek_finished(self) -> None:
        self._seeking = False
        seconds = self.slider.value() / 1000.0
        player = self.player
        self.runner.submit(lambda: player.seek(seconds), lane="control")
        self.time_label.setText(f"{clock_text(seconds)} / {clock_text(self._duration)}")

    def _refresh(self) -> None:
        position = self.player.position_s()
        if not self._seeking:
            self.slider.setValue(int(position * 1000))
        self.time_label.setText(f"{clock_text(position)} / {clock_text(self._duration)}")
        if not self.player.is_playing():
            self._timer.stop()
            self.play_button.setText("Replay")
