"""The setup screen's plain option groups: interview mode, timing and voice.

Only widgets and their defaults live here; what the Realistic mode locks is decided by the view.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
)

from coach.core.settings import THINK_TIME_CHOICES_S, InterviewSettings
from coach.errors import CoachError
from coach.ui.accessible import named

SOFT_MAX_S, HARD_MAX_S = 600, 900


class ModeGroup(QGroupBox):
    """Practice or Realistic, a line that explains the mode, and the follow-up switch."""

    def __init__(self, defaults: InterviewSettings) -> None:
        super().__init__("Interview mode")
        self.practice_radio = QRadioButton("Practice")
        named(self.practice_radio, "Practice mode")
        self.realistic_radio = QRadioButton("Realistic")
        named(self.realistic_radio, "Realistic mode")
        self.mode_buttons = QButtonGroup(self)
        self.mode_buttons.addButton(self.practice_radio)
        self.mode_buttons.addButton(self.realistic_radio)
        (self.realistic_radio if defaults.mode == "realistic" else self.practice_radio).setChecked(
            True
        )
        self.mode_help = QLabel()
        self.mode_help.setWordWrap(True)
        self.follow_check = QCheckBox("Follow-up questions")
        named(self.follow_check, "Follow-up questions")
        self.follow_check.setToolTip(
            "After each answer the interviewer asks one follow-up, e.g. for a measurable result."
        )
        self.follow_check.setChecked(defaults.follow_ups)
        self.hands_free_check = QCheckBox("Hands-free")
        named(self.hands_free_check, "Hands-free")
        self.hands_free_check.setToolTip(
            "The interviewer listens: your answer starts when you speak and ends after a "
            "silence (set in Settings). Say “Could you repeat the question?”, “Can I skip this "
            "one?” or “I'm done”. Keys and buttons still work."
        )
        self.hands_free_check.setChecked(defaults.hands_free)
        row = QHBoxLayout(self)
        row.addWidget(self.practice_radio)
        row.addWidget(self.realistic_radio)
        row.addSpacing(12)
        row.addWidget(self.mode_help, 1)
        row.addSpacing(12)
        row.addWidget(self.follow_check)
        row.addWidget(self.hands_free_check)


class TimingGroup(QGroupBox):
    """Think time, the answer-time warning and the hard stop."""

    def __init__(self, defaults: InterviewSettings) -> None:
        super().__init__("Timing")
        self.think_box = QComboBox()
        named(self.think_box, "Think time")
        for seconds in THINK_TIME_CHOICES_S:
            self.think_box.addItem("none" if seconds == 0 else f"{seconds} s", seconds)
        self.think_box.setCurrentIndex(THINK_TIME_CHOICES_S.index(defaults.think_time_s))
        self.soft_box = QSpinBox()
        named(self.soft_box, "Answer time warning (seconds)")
        self.soft_box.setRange(15, SOFT_MAX_S)
        self.soft_box.setSingleStep(15)
        self.soft_box.setSuffix(" s")
        self.soft_box.setValue(defaults.soft_limit_s)
        self.hard_box = QSpinBox()
        named(self.hard_box, "Answer time limit (seconds)")
        self.hard_box.setRange(30, HARD_MAX_S)
        self.hard_box.setSingleStep(15)
        self.hard_box.setSuffix(" s")
        self.hard_box.setValue(defaults.hard_limit_s)
        tf = QFormLayout(self)
        tf.addRow("Think time", self.think_box)
        tf.addRow("Warn after", self.soft_box)
        tf.addRow("Stop recording after", self.hard_box)


class VoiceGroup(QGroupBox):
    """Whether the question is spoken and shown, and which voice at what rate."""

    def __init__(self, defaults: InterviewSettings) -> None:
        super().__init__("Voice")
        self.voice_check = QCheckBox("Read questions aloud")
        named(self.voice_check, "Read questions aloud")
        self.voice_check.setChecked(defaults.voice_on)
        self.text_check = QCheckBox("Show the question text")
        named(self.text_check, "Show the question text")
        self.text_check.setChecked(defaults.show_text)
        self.voice_box = QComboBox()
        named(self.voice_box, "Voice")
        self.voice_box.addItem("Default voice", None)
        self.rate_box = QSpinBox()
        named(self.rate_box, "Speaking rate (words per minute)")
        self.rate_box.setRange(80, 300)
        self.rate_box.setSingleStep(10)
        self.rate_box.setSuffix(" wpm")
        self.rate_box.setValue(defaults.voice_rate)
        vf = QFormLayout(self)
        vf.addRow(self.voice_check)
        vf.addRow(self.text_check)
        vf.addRow("Voice", self.voice_box)
        vf.addRow("Rate", self.rate_box)

    def set_voices(self, voices: list[tuple[str, str]]) -> None:
        for voice_id, name in voices:
            self.voice_box.addItem(name, voice_id)

    def voice_list_failed(self, error: CoachError) -> None:
        self.voice_box.setToolTip(error.message)
