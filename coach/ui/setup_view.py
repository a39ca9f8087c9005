"""The setup screen: which questions, how many, timings, voice and microphone."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.bank import Bank, Question, questions_for
from coach.core.settings import THINK_TIME_CHOICES_S, InterviewSettings
from coach.ports import RecorderPort
from coach.ui.tasks import TaskRunner

ALL = "All questions"


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


class SetupView(QWidget):
    """Emits `start_requested(questions, settings, title)` when the user presses Start."""

    start_requested = Signal(list, object, str)

    def __init__(
        self,
        banks: Sequence[Bank],
        runner: TaskRunner,
        recorder_factory: Callable[[str | None], RecorderPort],
        list_microphones: Callable[[], list[str]],
        list_voices: Callable[[], list[tuple[str, str]]],
        defaults: InterviewSettings,
    ) -> None:
        super().__init__()
        self.banks = list(banks)
        self.runner = runner
        self.recorder_factory = recorder_factory
        self._monitor: RecorderPort | None = None

        title = QLabel("<h2>Set up a mock interview</h2>")
        intro = QLabel(
            "Questions are read aloud, you get time to think, then your answer is recorded. "
            "Everything stays on this computer."
        )
        intro.setWordWrap(True)

        self.bank_box = QComboBox()
        _named(self.bank_box, "Question bank")
        self.bank_box.addItem(ALL, None)
        for bank in self.banks:
            self.bank_box.addItem(f"{bank.title} ({len(bank.questions)})", bank.id)
        self.category_box = QComboBox()
        _named(self.category_box, "Category")
        self.bank_box.currentIndexChanged.connect(self._refresh_categories)

        self.count_box = QSpinBox()
        _named(self.count_box, "Number of questions")
        self.count_box.setRange(1, 30)
        self.count_box.setValue(defaults.question_count)
        self.order_box = QComboBox()
        _named(self.order_box, "Question order")
        self.order_box.addItems(["shuffled", "in order"])
        self.order_box.setCurrentText(defaults.order)

        self.think_box = QComboBox()
        _named(self.think_box, "Think time")
        for seconds in THINK_TIME_CHOICES_S:
            self.think_box.addItem("none" if seconds == 0 else f"{seconds} s", seconds)
        self.think_box.setCurrentIndex(THINK_TIME_CHOICES_S.index(defaults.think_time_s))
        self.soft_box = QSpinBox()
        _named(self.soft_box, "Answer time warning (seconds)")
        self.soft_box.setRange(15, 600)
        self.soft_box.setSingleStep(15)
        self.soft_box.setSuffix(" s")
        self.soft_box.setValue(defaults.soft_limit_s)
        self.hard_box = QSpinBox()
        _named(self.hard_box, "Answer time limit (seconds)")
        self.hard_box.setRange(30, 900)
        self.hard_box.setSingleStep(15)
        self.hard_box.setSuffix(" s")
        self.hard_box.setValue(defaults.hard_limit_s)

        self.voice_check = QCheckBox("Read questions aloud")
        _named(self.voice_check, "Read questions aloud")
        self.voice_check.setChecked(defaults.voice_on)
        self.text_check = QCheckBox("Show the question text")
        _named(self.text_check, "Show the question text")
        self.text_check.setChecked(defaults.show_text)
        self.voice_box = QComboBox()
        _named(self.voice_box, "Voice")
        self.voice_box.addItem("Default voice", None)
        self.rate_box = QSpinBox()
        _named(self.rate_box, "Speaking rate (words per minute)")
        self.rate_box.setRange(80, 300)
        self.rate_box.setSingleStep(10)
        self.rate_box.setSuffix(" wpm")
        self.rate_box.setValue(defaults.voice_rate)

        self.mic_box = QComboBox()
        _named(self.mic_box, "Microphone")
        self.mic_box.addItem("Default microphone", None)
        self.mic_test = QPushButton("Test microphone")
        _named(self.mic_test, "Test microphone")
        self.mic_test.setCheckable(True)
        self.mic_test.toggled.connect(self._toggle_monitor)
        self.mic_level = QProgressBar()
        _named(self.mic_level, "Microphone level")
        self.mic_level.setRange(0, 100)
        self.mic_level.setTextVisible(False)
        self.mic_status = QLabel("Press “Test microphone” and say a few words.")
        self.mic_status.setWordWrap(True)

        self.start_button = QPushButton("Start interview")
        _named(self.start_button, "Start interview")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._start)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #a33;")

        questions = QGroupBox("Questions")
        qf = QFormLayout(questions)
        qf.addRow("Bank", self.bank_box)
        qf.addRow("Category", self.category_box)
        qf.addRow("Number of questions", self.count_box)
        qf.addRow("Order", self.order_box)
        timing = QGroupBox("Timing")
        tf = QFormLayout(timing)
        tf.addRow("Think time", self.think_box)
        tf.addRow("Warn after", self.soft_box)
        tf.addRow("Stop recording after", self.hard_box)
        voice = QGroupBox("Voice")
        vf = QFormLayout(voice)
        vf.addRow(self.voice_check)
        vf.addRow(self.text_check)
        vf.addRow("Voice", self.voice_box)
        vf.addRow("Rate", self.rate_box)
        mic = QGroupBox("Microphone")
        mf = QFormLayout(mic)
        mf.addRow("Device", self.mic_box)
        row = QHBoxLayout()
        row.addWidget(self.mic_test)
        row.addWidget(self.mic_level, 1)
        mf.addRow(row)
        mf.addRow(self.mic_status)

        grid = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(questions)
        left.addWidget(timing)
        left.addStretch(1)
        right.addWidget(voice)
        right.addWidget(mic)
        right.addStretch(1)
        grid.addLayout(left, 1)
        grid.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addWidget(self.problem_label)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.start_button)
        layout.addLayout(bottom)

        self._level_timer = QTimer(self)
        self._level_timer.setInterval(33)
        self._level_timer.timeout.connect(self._show_level)
        self._refresh_categories()
        runner.submit(
            list_microphones,
            lane="devices",
            on_done=self._set_microphones,
            on_error=lambda e: self._set_mic_problem(e.message),
        )
        runner.submit(
            list_voices,
            lane="speech",
            on_done=self._set_voices,
            on_error=lambda e: self.voice_box.setToolTip(e.message),
        )
        self._wanted_mic = defaults.microphone

    # --- choices -------------------------------------------------------------------------
    def _selected_banks(self) -> list[Bank]:
        bank_id = self.bank_box.currentData()
        return [b for b in self.banks if bank_id is None or b.id == bank_id]

    def _refresh_categories(self) -> None:
        current = self.category_box.currentData()
        self.category_box.clear()
        self.category_box.addItem(ALL, None)
        cats = sorted({q.category for b in self._selected_banks() for q in b.questions})
        for cat in cats:
            self.category_box.addItem(cat.replace("-", " ").capitalize(), cat)
        index = self.category_box.findData(current)
        self.category_box.setCurrentIndex(max(index, 0))

    def _set_microphones(self, names: list[str]) -> None:
        for name in names:
            self.mic_box.addItem(name, name)
        if self._wanted_mic:
            index = self.mic_box.findData(self._wanted_mic)
            self.mic_box.setCurrentIndex(max(index, 0))
        if not names:
            self._set_mic_problem(
                "No microphone found. You can still practise; answers will not be recorded."
            )

    def _set_mic_problem(self, text: str) -> None:
        self.mic_status.setText(text)

    def _set_voices(self, voices: list[tuple[str, str]]) -> None:
        for voice_id, name in voices:
            self.voice_box.addItem(name, voice_id)

    def settings(self) -> InterviewSettings:
        return InterviewSettings(
            question_count=self.count_box.value(),
            order=self.order_box.currentText(),
            think_time_s=int(self.think_box.currentData()),
            soft_limit_s=self.soft_box.value(),
            hard_limit_s=max(self.hard_box.value(), self.soft_box.value()),
            voice_on=self.voice_check.isChecked(),
            voice_id=self.voice_box.currentData(),
            voice_rate=self.rate_box.value(),
            show_text=self.text_check.isChecked(),
            microphone=self.mic_box.currentData(),
        )

    def chosen_questions(self, rng: random.Random | None = None) -> list[Question]:
        category = self.category_box.currentData()
        pool = questions_for(self._selected_banks(), categories=[category] if category else None)
        if self.order_box.currentText() == "shuffled":
            pool = list(pool)
            (rng or random.Random()).shuffle(pool)
        return pool[: self.count_box.value()]

    def _start(self) -> None:
        questions = self.chosen_questions()
        if not questions:
            self.problem_label.setText("No questions match this bank and category.")
            return
        self.problem_label.clear()
        self.mic_test.setChecked(False)
        title = self.bank_box.currentText().split(" (")[0]
        if self.category_box.currentData():
            title += f" · {self.category_box.currentText()}"
        self.start_requested.emit(questions, self.settings(), title)

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
        self.mic_level.setValue(int(min(1.0, peak) * 100))
        if peak >= 0.99:
            self.mic_status.setText(
                "Too loud: the signal clips. Move back or lower the input gain."
            )
        elif peak > 0.03:
            self.mic_status.setText("The microphone hears you.")

    def hideEvent(self, event: object) -> None:
        self.mic_test.setChecked(False)
        super().hideEvent(event)  # type: ignore[arg-type]
