"""The setup screen: interview mode, which questions (a bank or a job advert), timing, voice, mic.

The form always shows the settings the interview will really use: choosing Realistic applies
coach.core.followups.mode_settings to the widgets and locks the ones that mode decides, so the
user never starts something different from what they see. The parts live in coach.ui.setup_groups,
bank_panel, job_panel and mic_check; this module wires them, applies the mode and starts.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coach.core.bank import Bank, Question
from coach.core.followups import (
    REALISTIC_HARD_LIMIT_S,
    REALISTIC_SOFT_LIMIT_S,
    mode_settings,
)
from coach.core.question_pick import pick_questions
from coach.core.settings import InterviewSettings
from coach.ports import RecorderPort
from coach.ui.accessible import named
from coach.ui.bank_panel import BankPanel
from coach.ui.job_panel import JobPanel, role_label
from coach.ui.mic_check import MicCheck
from coach.ui.setup_groups import HARD_MAX_S, SOFT_MAX_S, ModeGroup, TimingGroup, VoiceGroup
from coach.ui.tasks import TaskRunner
from coach.ui.theme import HEADING_PT, TITLE_PT

BACKGROUND_START_DELAY_MS = 300  # let the window paint before the audio stack is imported
MODE_HELP = {
    "practice": "Practice: see the question, record as many takes as you like, your own timing.",
    "realistic": (
        "Realistic: the question is only spoken, one take each, 30 s to think, recording stops "
        "at 3:00, and the interviewer asks a follow-up after each answer."
    ),
}


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
        self.runner = runner
        self._practice_form: tuple[bool, int, bool, bool] | None = None
        self._practice_hands_free = defaults.hands_free

        title = QLabel("Set up a mock interview")
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * TITLE_PT)
        title_font.setBold(True)
        title.setFont(title_font)
        intro = QLabel(
            "Questions are read aloud, you get time to think, then your answer is recorded. "
            "Everything stays on this computer."
        )
        intro.setWordWrap(True)

        self._build_mode(defaults)
        questions = self._build_questions(defaults, banks, user_questions)
        timing = self._build_timing(defaults)
        voice = self._build_voice(defaults)
        mic = self._build_mic(recorder_factory, defaults.microphone)

        self.start_button = QPushButton("Start interview")
        named(self.start_button, "Start interview")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(44)
        start_font = self.start_button.font()
        start_font.setPointSizeF(start_font.pointSizeF() * HEADING_PT)
        start_font.setBold(True)
        self.start_button.setFont(start_font)
        self.start_button.clicked.connect(self._start)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #a33;")

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Interview summary")

        grid = QHBoxLayout()
        grid.setSpacing(18)
        right = QVBoxLayout()
        right.setSpacing(12)
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
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addWidget(self.mode_group)
        layout.addLayout(grid, 1)
        for signal in (
            self.count_box.valueChanged,
            self.think_box.currentIndexChanged,
            self.hard_box.valueChanged,
            self.mode_buttons.buttonToggled,
            self.follow_check.toggled,
            self.hands_free_check.toggled,
            self.source_tabs.currentChanged,
        ):
            signal.connect(self._refresh_summary)
        self._refresh_summary()
        self._apply_mode()

        def list_devices() -> None:  # after the first paint: they import the audio stack
            runner.submit(
                list_microphones,
                lane="devices",
                on_done=self.mic_check.set_microphones,
                on_error=self.mic_check.mic_list_failed,
            )
            runner.submit(
                list_voices,
                lane="speech",
                on_done=self.voice_group.set_voices,
                on_error=self.voice_group.voice_list_failed,
            )

        QTimer.singleShot(BACKGROUND_START_DELAY_MS, self, list_devices)  # not after close

    # --- building the form ---------------------------------------------------------------
    # The parts live in their own modules; their widgets stay attributes of the view because
    # settings(), the Realistic lock, the tests and the benchmarks drive the form through them.
    def _build_mode(self, defaults: InterviewSettings) -> None:
        self.mode_group = ModeGroup(defaults)
        self.practice_radio = self.mode_group.practice_radio
        self.realistic_radio = self.mode_group.realistic_radio
        self.mode_buttons = self.mode_group.mode_buttons
        self.mode_buttons.buttonToggled.connect(self._mode_toggled)
        self.mode_help = self.mode_group.mode_help
        self.follow_check = self.mode_group.follow_check
        self.hands_free_check = self.mode_group.hands_free_check

    def _build_questions(
        self, defaults: InterviewSettings, banks: Sequence[Bank], user_questions: Path | None
    ) -> QGroupBox:
        self.bank_panel = BankPanel(banks, self.runner, user_questions)
        self.bank_box = self.bank_panel.bank_box
        self.category_box = self.bank_panel.category_box

        self.job_panel = JobPanel(self.runner)
        self.source_tabs = QTabWidget()
        named(self.source_tabs, "Where the questions come from")
        self.source_tabs.addTab(self.bank_panel, "From a question bank")
        self.source_tabs.addTab(self.job_panel, "Tailor to a job…")

        self.count_box = QSpinBox()
        named(self.count_box, "Number of questions")
        self.count_box.setRange(1, 30)
        self.count_box.setValue(defaults.question_count)
        self.order_box = QComboBox()
        named(self.order_box, "Question order")
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
        self.timing_group = TimingGroup(defaults)
        self.think_box = self.timing_group.think_box
        self.soft_box = self.timing_group.soft_box
        self.hard_box = self.timing_group.hard_box
        return self.timing_group

    def _build_voice(self, defaults: InterviewSettings) -> QGroupBox:
        self.voice_group = VoiceGroup(defaults)
        self.voice_check = self.voice_group.voice_check
        self.text_check = self.voice_group.text_check
        self.voice_box = self.voice_group.voice_box
        self.rate_box = self.voice_group.rate_box
        return self.voice_group

    def _build_mic(
        self, recorder_factory: Callable[[str | None], RecorderPort], wanted_mic: str | None
    ) -> QGroupBox:
        self.mic_check = MicCheck(self.runner, recorder_factory, wanted_mic)
        self.mic_box = self.mic_check.mic_box
        self.mic_test = self.mic_check.mic_test
        return self.mic_check

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
                self._practice_hands_free = self.hands_free_check.isChecked()
            self.soft_box.setMaximum(REALISTIC_SOFT_LIMIT_S)  # also caps the value shown
            self.hard_box.setMaximum(REALISTIC_HARD_LIMIT_S)
            shown = self.settings()
            self.text_check.setChecked(shown.show_text)
            self.think_box.setCurrentIndex(self.think_box.findData(shown.think_time_s))
            self.follow_check.setChecked(shown.follow_ups)
            self.voice_check.setChecked(shown.voice_on)
            self.hands_free_check.setChecked(True)  # on by default in Realistic; can be unticked
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
                self.hands_free_check.setChecked(self._practice_hands_free)
        for widget in locked:
            widget.setEnabled(not realistic)
            widget.setToolTip("Set by the Realistic mode" if realistic else "")
        self.mode_help.setText(MODE_HELP[self.mode()])

    # --- choices -------------------------------------------------------------------------
    @property
    def banks(self) -> list[Bank]:
        """The banks on offer; the bank tab keeps them current, the job tab picks from them."""
        return self.bank_panel.banks

    def _refresh_summary(self, *_: object) -> None:
        """One line that says what Start will do, so the choice is confirmed at a glance."""
        s = self.settings()
        count = s.question_count
        think = f"{s.think_time_s} s to think" if s.think_time_s else "no think time"
        limit = f"{s.hard_limit_s // 60}:{s.hard_limit_s % 60:02d}"
        source = "chosen for the job" if self.uses_job() else "from the bank"
        follow = ", with follow-ups" if s.follow_ups else ""
        follow += ", hands-free" if s.hands_free else ""
        self.summary_label.setText(
            f"<b>{s.mode.capitalize()} interview</b>: {count} question{'s' if count != 1 else ''} "
            f"{source}, {think}, up to {limit} per answer{follow}."
        )

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
            hands_free=self.hands_free_check.isChecked(),
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
            tailored = list(self.job_panel.tailored)  # the user's ticked questions, first
            picked = pick_questions(
                self.banks,
                terms=self.job_panel.job_terms(),
                roles=self.job_panel.job_roles(),
                count=max(0, self.count_box.value() - len(tailored)),
                rng=(rng or random.Random()) if shuffled else None,
            )
            return tailored + picked
        pool = self.bank_panel.bank_pool()
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

    def hideEvent(self, event: object) -> None:
        self.mic_test.setChecked(False)
        super().hideEvent(event)  # type: ignore[arg-type]
