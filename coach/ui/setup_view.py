"""The setup screen: interview mode, which questions (a bank or a job advert), timing, voice, mic.

The form always shows the settings the interview will really use: choosing Realistic applies
coach.core.followups.mode_settings to the widgets and locks the ones that mode decides, so the
user never starts something different from what they see.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coach import paths
from coach.core.bank import Bank, Question, load_banks, questions_for
from coach.core.followups import (
    REALISTIC_HARD_LIMIT_S,
    REALISTIC_SOFT_LIMIT_S,
    mode_settings,
)
from coach.core.question_pick import pick_questions
from coach.core.settings import THINK_TIME_CHOICES_S, InterviewSettings
from coach.errors import CoachError
from coach.ports import RecorderPort
from coach.ui.job_panel import JobPanel, role_label
from coach.ui.level import level_percent
from coach.ui.tasks import TaskRunner

ALL = "All questions"
BACKGROUND_START_DELAY_MS = 300  # let the window paint before the audio stack is imported
MODE_HELP = {
    "practice": "Practice: see the question, record as many takes as you like, your own timing.",
    "realistic": (
        "Realistic: the question is only spoken, one take each, 30 s to think, recording stops "
        "at 3:00, and the interviewer asks a follow-up after each answer."
    ),
}
SOFT_MAX_S, HARD_MAX_S = 600, 900


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


class SetupView(QWidget):
    """Emits `start_requested(questions, settings, title)` when the user presses Start.

    The job behind a tailored interview is read with `job_terms()`, `job_description()` and
    `job_role()` when the interview starts (all empty for a bank interview).
    """

    start_requested = Signal(list, object, str)

    def __init__(
        self,
        banks: Sequence[Bank],
        runner: TaskRunner,
        recorder_factory: Callable[[str | None], RecorderPort],
        list_microphones: Callable[[], list[str]],
        list_voices: Callable[[], list[tuple[str, str]]],
        defaults: InterviewSettings,
        user_questions: Path | None = None,
    ) -> None:
        super().__init__()
        self.banks = list(banks)
        self.runner = runner
        self.recorder_factory = recorder_factory
        self.user_questions = user_questions or paths.user_questions_dir()
        self._monitor: RecorderPort | None = None
        self._practice_form: tuple[bool, int, bool, bool] | None = None
        self.editor: QWidget | None = None

        title = QLabel("<h2>Set up a mock interview</h2>")
        intro = QLabel(
            "Questions are read aloud, you get time to think, then your answer is recorded. "
            "Everything stays on this computer."
        )
        intro.setWordWrap(True)

        self._build_mode(defaults)
        questions = self._build_questions(defaults)
        timing = self._build_timing(defaults)
        voice = self._build_voice(defaults)
        mic = self._build_mic()

        self.start_button = QPushButton("Start interview")
        _named(self.start_button, "Start interview")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(40)
        self.start_button.clicked.connect(self._start)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #a33;")

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Interview summary")

        grid = QHBoxLayout()
        right = QVBoxLayout()
        right.addWidget(timing)
        right.addWidget(voice)
        right.addWidget(mic)
        right.addStretch(1)
        right.addWidget(self.summary_label)
        right.addWidget(self.problem_label)
        right.addWidget(self.start_button)
        grid.addWidget(questions, 3)
        grid.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.mode_group)
        layout.addLayout(grid, 1)
        for signal in (
            self.count_box.valueChanged,
            self.think_box.currentIndexChanged,
            self.hard_box.valueChanged,
            self.mode_buttons.buttonToggled,
            self.follow_check.toggled,
            self.source_tabs.currentChanged,
        ):
            signal.connect(self._refresh_summary)
        self._refresh_summary()

        self._level_timer = QTimer(self)
        self._level_timer.setInterval(33)
        self._level_timer.timeout.connect(self._show_level)
        self._refresh_categories()
        self._apply_mode()
        self._wanted_mic = defaults.microphone

        def list_devices() -> None:  # after the first paint: they import the audio stack
            runner.submit(
                list_microphones,
                lane="devices",
                on_done=self._set_microphones,
                on_error=self._mic_list_failed,
            )
            runner.submit(
                list_voices,
                lane="speech",
                on_done=self._set_voices,
                on_error=self._voice_list_failed,
            )

        QTimer.singleShot(BACKGROUND_START_DELAY_MS, self, list_devices)  # not after close

    # --- building the form ---------------------------------------------------------------
    def _build_mode(self, defaults: InterviewSettings) -> None:
        self.practice_radio = QRadioButton("Practice")
        _named(self.practice_radio, "Practice mode")
        self.realistic_radio = QRadioButton("Realistic")
        _named(self.realistic_radio, "Realistic mode")
        self.mode_buttons = QButtonGroup(self)
        self.mode_buttons.addButton(self.practice_radio)
        self.mode_buttons.addButton(self.realistic_radio)
        (self.realistic_radio if defaults.mode == "realistic" else self.practice_radio).setChecked(
            True
        )
        self.mode_buttons.buttonToggled.connect(self._mode_toggled)
        self.mode_help = QLabel()
        self.mode_help.setWordWrap(True)
        self.follow_check = QCheckBox("Follow-up questions")
        _named(self.follow_check, "Follow-up questions")
        self.follow_check.setToolTip(
            "After each answer the interviewer asks one follow-up, e.g. for a measurable result."
        )
        self.follow_check.setChecked(defaults.follow_ups)
        self.mode_group = QGroupBox("Interview mode")
        row = QHBoxLayout(self.mode_group)
        row.addWidget(self.practice_radio)
        row.addWidget(self.realistic_radio)
        row.addSpacing(12)
        row.addWidget(self.mode_help, 1)
        row.addSpacing(12)
        row.addWidget(self.follow_check)

    def _build_questions(self, defaults: InterviewSettings) -> QGroupBox:
        self.bank_box = QComboBox()
        _named(self.bank_box, "Question bank")
        self.category_box = QComboBox()
        _named(self.category_box, "Category")
        self._fill_banks()
        self.bank_box.currentIndexChanged.connect(self._refresh_categories)
        self.category_box.currentIndexChanged.connect(lambda _: self._refresh_preview())
        self.my_questions_button = QPushButton("My questions…")
        _named(self.my_questions_button, "My questions")
        self.my_questions_button.setToolTip(
            "Write your own questions, or import and export question banks"
        )
        self.my_questions_button.clicked.connect(self.open_question_editor)
        self.match_label = QLabel()
        self.preview_list = QListWidget()
        _named(self.preview_list, "Matching questions")
        self.preview_list.setWordWrap(True)
        self.preview_list.setAlternatingRowColors(True)

        bank_page = QWidget()
        bank_form = QFormLayout()
        bank_row = QHBoxLayout()
        bank_row.addWidget(self.bank_box, 1)
        bank_row.addWidget(self.my_questions_button)
        bank_form.addRow("Bank", bank_row)
        bank_form.addRow("Category", self.category_box)
        bank_layout = QVBoxLayout(bank_page)
        bank_layout.addLayout(bank_form)
        bank_layout.addWidget(self.match_label)
        bank_layout.addWidget(self.preview_list, 1)

        self.job_panel = JobPanel(self.runner)
        self.source_tabs = QTabWidget()
        _named(self.source_tabs, "Where the questions come from")
        self.source_tabs.addTab(bank_page, "From a question bank")
        self.source_tabs.addTab(self.job_panel, "Tailor to a job…")

        self.count_box = QSpinBox()
        _named(self.count_box, "Number of questions")
        self.count_box.setRange(1, 30)
        self.count_box.setValue(defaults.question_count)
        self.order_box = QComboBox()
        _named(self.order_box, "Question order")
        self.order_box.addItems(["shuffled", "in order"])
        self.order_box.setCurrentText(defaults.order)

        group = QGroupBox("Questions")
        layout = QVBoxLayout(group)
        layout.addWidget(self.source_tabs, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Number of questions"))
        row.addWidget(self.count_box)
        row.addSpacing(16)
        row.addWidget(QLabel("Order"))
        row.addWidget(self.order_box)
        row.addStretch(1)
        layout.addLayout(row)
        return group

    def _build_timing(self, defaults: InterviewSettings) -> QGroupBox:
        self.think_box = QComboBox()
        _named(self.think_box, "Think time")
        for seconds in THINK_TIME_CHOICES_S:
            self.think_box.addItem("none" if seconds == 0 else f"{seconds} s", seconds)
        self.think_box.setCurrentIndex(THINK_TIME_CHOICES_S.index(defaults.think_time_s))
        self.soft_box = QSpinBox()
        _named(self.soft_box, "Answer time warning (seconds)")
        self.soft_box.setRange(15, SOFT_MAX_S)
        self.soft_box.setSingleStep(15)
        self.soft_box.setSuffix(" s")
        self.soft_box.setValue(defaults.soft_limit_s)
        self.hard_box = QSpinBox()
        _named(self.hard_box, "Answer time limit (seconds)")
        self.hard_box.setRange(30, HARD_MAX_S)
        self.hard_box.setSingleStep(15)
        self.hard_box.setSuffix(" s")
        self.hard_box.setValue(defaults.hard_limit_s)
        timing = QGroupBox("Timing")
        tf = QFormLayout(timing)
        tf.addRow("Think time", self.think_box)
        tf.addRow("Warn after", self.soft_box)
        tf.addRow("Stop recording after", self.hard_box)
        return timing

    def _build_voice(self, defaults: InterviewSettings) -> QGroupBox:
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
        voice = QGroupBox("Voice")
        vf = QFormLayout(voice)
        vf.addRow(self.voice_check)
        vf.addRow(self.text_check)
        vf.addRow("Voice", self.voice_box)
        vf.addRow("Rate", self.rate_box)
        return voice

    def _build_mic(self) -> QGroupBox:
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
        mic = QGroupBox("Microphone")
        mf = QFormLayout(mic)
        mf.addRow("Device", self.mic_box)
        row = QHBoxLayout()
        row.addWidget(self.mic_test)
        row.addWidget(self.mic_level, 1)
        mf.addRow(row)
        mf.addRow(self.mic_status)
        return mic

    # --- interview mode --------------------------------------------------------------------
    def mode(self) -> str:
        return "realistic" if self.realistic_radio.isChecked() else "practice"

    def set_mode(self, mode: str) -> None:
        (self.realistic_radio if mode == "realistic" else self.practice_radio).setChecked(True)

    def _mode_toggled(self, _button: object, checked: bool) -> None:
        if checked:  # the group also reports the button that was switched off
            self._apply_mode()

    def _apply_mode(self) -> None:
        """Show what the mode decides; Practice gets back the user's own earlier choices."""
        realistic = self.mode() == "realistic"
        locked = (self.text_check, self.think_box, self.follow_check, self.voice_check)
        if realistic:
            if self._practice_form is None:
                self._practice_form = (
                    self.text_check.isChecked(),
                    self.think_box.currentIndex(),
                    self.follow_check.isChecked(),
                    self.voice_check.isChecked(),
                )
            self.soft_box.setMaximum(REALISTIC_SOFT_LIMIT_S)  # also caps the value shown
            self.hard_box.setMaximum(REALISTIC_HARD_LIMIT_S)
            shown = self.settings()
            self.text_check.setChecked(shown.show_text)
            self.think_box.setCurrentIndex(self.think_box.findData(shown.think_time_s))
            self.follow_check.setChecked(shown.follow_ups)
            self.voice_check.setChecked(shown.voice_on)
        else:
            self.soft_box.setMaximum(SOFT_MAX_S)
            self.hard_box.setMaximum(HARD_MAX_S)
            if self._practice_form is not None:
                text, think, follow, voice = self._practice_form
                self.text_check.setChecked(text)
                self.think_box.setCurrentIndex(think)
                self.follow_check.setChecked(follow)
                self.voice_check.setChecked(voice)
                self._practice_form = None
        for widget in locked:
            widget.setEnabled(not realistic)
            widget.setToolTip("Set by the Realistic mode" if realistic else "")
        self.mode_help.setText(MODE_HELP[self.mode()])

    # --- choices -------------------------------------------------------------------------
    def _fill_banks(self) -> None:
        current = self.bank_box.currentData()
        self.bank_box.blockSignals(True)
        self.bank_box.clear()
        self.bank_box.addItem(ALL, None)
        for bank in self.banks:
            self.bank_box.addItem(f"{bank.title} ({len(bank.questions)})", bank.id)
        self.bank_box.setCurrentIndex(max(self.bank_box.findData(current), 0))
        self.bank_box.blockSignals(False)

    def set_banks(self, banks: Sequence[Bank]) -> None:
        """New bank list (after the user edited or imported questions); keeps the selection."""
        self.banks = list(banks)
        self._fill_banks()
        self._refresh_categories()

    def reload_banks(self) -> None:
        """Load the built-in and the user's banks again on the disk lane."""
        folders = [paths.questions_dir()]
        if self.user_questions.is_dir():
            folders.append(self.user_questions)
        self.runner.submit(lambda: load_banks(folders)[0], lane="disk", on_done=self.set_banks)

    def open_question_editor(self) -> QWidget:
        """Open (or raise) the "My questions" editor; the banks reload when it changes them."""
        from coach.ui.question_editor import QuestionEditor

        if self.editor is None:
            editor = QuestionEditor(self.runner, self.user_questions, self)
            editor.banks_changed.connect(self.reload_banks)
            self.editor = editor
        self.editor.show()
        self.editor.raise_()
        return self.editor

    def _selected_banks(self) -> list[Bank]:
        bank_id = self.bank_box.currentData()
        return [b for b in self.banks if bank_id is None or b.id == bank_id]

    def _refresh_categories(self) -> None:
        current = self.category_box.currentData()
        self.category_box.blockSignals(True)
        self.category_box.clear()
        self.category_box.addItem(ALL, None)
        cats = sorted({q.category for b in self._selected_banks() for q in b.questions})
        for cat in cats:
            self.category_box.addItem(cat.replace("-", " ").capitalize(), cat)
        index = self.category_box.findData(current)
        self.category_box.setCurrentIndex(max(index, 0))
        self.category_box.blockSignals(False)
        self._refresh_preview()

    def _bank_pool(self) -> list[Question]:
        category = self.category_box.currentData()
        return questions_for(self._selected_banks(), categories=[category] if category else None)

    def _refresh_preview(self) -> None:
        pool = self._bank_pool()
        self.preview_list.clear()
        self.preview_list.addItems([q.text for q in pool])
        if not pool:
            self.match_label.setText("No questions match this bank and category.")
        else:
            verb = "question matches" if len(pool) == 1 else "questions match"
            self.match_label.setText(f"{len(pool)} {verb} this choice:")

    def _refresh_summary(self, *_: object) -> None:
        """One line that says what Start will do, so the choice is confirmed at a glance."""
        s = self.settings()
        count = s.question_count
        think = f"{s.think_time_s} s to think" if s.think_time_s else "no think time"
        limit = f"{s.hard_limit_s // 60}:{s.hard_limit_s % 60:02d}"
        source = "chosen for the job" if self.uses_job() else "from the bank"
        follow = ", with follow-ups" if s.follow_ups else ""
        self.summary_label.setText(
            f"<b>{s.mode.capitalize()} interview</b>: {count} question{'s' if count != 1 else ''} "
            f"{source}, {think}, up to {limit} per answer{follow}."
        )

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

    def _mic_list_failed(self, error: CoachError) -> None:
        self._set_mic_problem(error.message)

    def _voice_list_failed(self, error: CoachError) -> None:
        self.voice_box.setToolTip(error.message)

    def _set_mic_problem(self, text: str) -> None:
        self.mic_status.setText(text)

    def _set_voices(self, voices: list[tuple[str, str]]) -> None:
        for voice_id, name in voices:
            self.voice_box.addItem(name, voice_id)

    def settings(self) -> InterviewSettings:
        """The settings as the form shows them, with the chosen mode applied."""
        base = InterviewSettings(
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
            follow_ups=self.follow_check.isChecked(),
        )
        if self.mode() == "realistic":
            # Hidden text needs the voice, or the question could not be known at all.
            return dataclasses.replace(mode_settings("realistic", base), voice_on=True)
        return dataclasses.replace(base, mode="practice")  # the user's text choice is kept

    # --- the job ---------------------------------------------------------------------------
    def uses_job(self) -> bool:
        """True when the questions come from the "Tailor to a job" tab."""
        return self.source_tabs.currentWidget() is self.job_panel

    def job_terms(self) -> list[str]:
        return self.job_panel.job_terms() if self.uses_job() else []

    def job_description(self) -> str:
        return self.job_panel.job_description() if self.uses_job() else ""

    def job_role(self) -> str:
        return self.job_panel.job_role() if self.uses_job() else ""

    def chosen_questions(self, rng: random.Random | None = None) -> list[Question]:
        shuffled = self.order_box.currentText() == "shuffled"
        if self.uses_job():
            return pick_questions(
                self.banks,
                terms=self.job_panel.job_terms(),
                roles=self.job_panel.job_roles(),
                count=self.count_box.value(),
                rng=(rng or random.Random()) if shuffled else None,
            )
        pool = self._bank_pool()
        if shuffled:
            (rng or random.Random()).shuffle(pool)
        return pool[: self.count_box.value()]

    def _title(self) -> str:
        if self.uses_job():
            role = self.job_panel.job_role()
            return self.job_panel.job_title() or (
                f"{role_label(role)} job" if role else "Tailored interview"
            )
        title = self.bank_box.currentText().split(" (")[0]
        if self.category_box.currentData():
            title += f" · {self.category_box.currentText()}"
        return title

    def _start(self) -> None:
        if self.uses_job():
            if self.job_panel.needs_analysis():  # pasted but not analysed: do it, then start
                self.problem_label.setText("Finding the key terms of the job first…")
                self.job_panel.find_terms(then=self._start)
                return
            if not self.job_panel.has_job():
                self.problem_label.setText(
                    "Paste a job advert (or open one) and press “Find key terms”, "
                    "or choose questions from a bank."
                )
                return
        questions = self.chosen_questions()
        if not questions:
            self.problem_label.setText("No questions match this choice.")
            return
        self.problem_label.clear()
        self.mic_test.setChecked(False)
        self.start_requested.emit(questions, self.settings(), self._title())

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
        self.mic_level.setValue(level_percent(peak))
        if peak >= 0.99:
            self.mic_status.setText(
                "Too loud: the signal clips. Move back or lower the input gain."
            )
        elif peak > 0.03:
            self.mic_status.setText("The microphone hears you.")

    def hideEvent(self, event: object) -> None:
        self.mic_test.setChecked(False)
        super().hideEvent(event)  # type: ignore[arg-type]
