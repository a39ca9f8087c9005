"""The interview screen: the question, the think countdown, the answer timer and level meter."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach.core.interview import Phase
from coach.core.session import CUT_SHORT
from coach.practice.hands_free import CLOSING_CATEGORY as CLOSING
from coach.practice.practise_again import OneQuestionInterview
from coach.ui.controller import InterviewController
from coach.ui.level import meter_value
from coach.ui.replay_widget import ReplayWidget, clock_text
from coach.ui.speaker_state import SpeakerState
from coach.ui.theme import TIMER_PT, is_dark

HINTS = {
    Phase.READY: "Getting ready…",
    Phase.SPEAKING: "Listen to the question…",
    Phase.ANSWERED: "Answer saved. Record again, replay it, or go to the next question.",
    Phase.FINISHED: "Interview finished.",
}


HANDS_FREE_PILL = {  # hands-free state -> the "who is speaking" pill's look
    "speaking": "speaking",
    "listening": "thinking",  # think time: listened to, not yet recorded
    "answering": "listening",
    "moving-on": "countdown",
    "thinking": "waiting",
    "no-input": "listening",
}
HANDS_FREE_KEYS = {
    "listening": "Or press Space to start now.",
    "answering": "A silence ends your answer; or press Space to end it now.",
    "moving-on": "Keep talking to continue your answer.",
    "no-input": "The interview waits: a silent microphone never ends your answer.",
}


class InterviewView(QWidget):
    """A thin view: every button calls the controller; a 10 Hz timer refreshes the clocks."""

    def __init__(self, controller: InterviewController, replay: ReplayWidget) -> None:
        super().__init__()
        self.controller = controller
        self.replay = replay

        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Question number")
        progress_font = self.progress_label.font()
        progress_font.setBold(True)
        progress_font.setLetterSpacing(progress_font.SpacingType.PercentageSpacing, 105)
        self.progress_label.setFont(progress_font)
        self.speaker = SpeakerState()
        self.question_label = QLabel()
        self.question_label.setAccessibleName("Question")
        self.question_label.setWordWrap(True)
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.question_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.question_label.setFont(font)
        self.question_label.setMinimumHeight(110)
        self.question_label.setStyleSheet(
            "QLabel { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 10px; padding: 20px; }"
        )
        self.question_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.show_text_button = QPushButton("Show question text")
        self.show_text_button.setAccessibleName("Show question text")
        self.show_text_button.clicked.connect(self._reveal_text)

        self.phase_label = QLabel()
        self.phase_label.setAccessibleName("What happens now")
        self.phase_label.setWordWrap(True)
        phase_font = self.phase_label.font()
        phase_font.setPointSizeF(phase_font.pointSizeF() * 1.15)
        self.phase_label.setFont(phase_font)
        self.clock_label = QLabel()
        self.clock_label.setAccessibleName("Timer")
        clock_font = self.clock_label.font()
        clock_font.setPointSizeF(clock_font.pointSizeF() * TIMER_PT)
        clock_font.setBold(True)
        self.clock_label.setFont(clock_font)
        self.level_meter = QProgressBar()
        self.level_meter.setAccessibleName("Input level")
        self.level_meter.setRange(0, 100)
        self.level_meter.setTextVisible(False)
        self.level_meter.setMaximumHeight(14)
        self.level_label = QLabel("Input level")
        self.level_label.setBuddy(self.level_meter)
        self.level_box = QWidget()
        level_layout = QVBoxLayout(self.level_box)
        level_layout.setContentsMargins(0, 0, 0, 0)
        level_layout.setSpacing(2)
        level_layout.addWidget(self.level_label)
        level_layout.addWidget(self.level_meter)

        self.start_button = self._button("Start answering", "Space", controller.start_answering)
        self.done_button = self._button("Done answering", "Space", controller.done_answering)
        self.again_button = self._button("Record again", "R", controller.record_again)
        self.skip_button = self._button("Skip question", "Esc", controller.skip_question)
        self.next_button = self._button("Next question", "Enter", controller.next_question)
        self.finish_button = self._button("Finish interview", "Ctrl+E", controller.finish)

        self.takes_list = QListWidget()
        self.takes_list.setAccessibleName("Takes of this question")
        self.takes_list.setMaximumHeight(110)
        self.takes_list.currentRowChanged.connect(self._take_selected)

        buttons = QHBoxLayout()
        for b in (
            self.start_button,
            self.done_button,
            self.again_button,
            self.skip_button,
            self.next_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)

        for b in (self.start_button, self.done_button, self.again_button, self.skip_button,
                  self.next_button, self.finish_button):  # fmt: skip
            b.setMinimumHeight(34)
            b.setMinimumWidth(130)
        self.clock_label.setMinimumWidth(260)
        clock_row = QHBoxLayout()
        clock_row.setSpacing(24)
        clock_row.addWidget(self.clock_label)
        clock_row.addWidget(self.level_box, 1, Qt.AlignmentFlag.AlignVCenter)

        state_row = QHBoxLayout()
        state_row.addWidget(self.speaker)
        state_row.addStretch(1)
        takes_title = QLabel("Your takes for this question")
        takes_font = takes_title.font()
        takes_font.setBold(True)
        takes_title.setFont(takes_font)

        column = QWidget()
        column.setMaximumWidth(1100)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.show_text_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(6)
        layout.addLayout(state_row)
        layout.addWidget(self.phase_label)
        layout.addLayout(clock_row)
        layout.addLayout(buttons)
        layout.addSpacing(14)
        layout.addWidget(takes_title)
        layout.addWidget(self.takes_list)
        layout.addWidget(self.replay)
        layout.addStretch(1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch(1)
        outer.addWidget(column, 100)
        outer.addStretch(1)

        self._shortcut("Space", self._primary_action)
        self._shortcut("Return", self._enter_action)
        self._shortcut("Enter", self._enter_action)
        self._shortcut("Escape", self._escape_action)
        self._shortcut("R", lambda: self._click(self.again_button))
        self._shortcut("P", self.replay.toggle)
        self._shortcut("Ctrl+E", lambda: self._click(self.finish_button))

        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._on_tick)
        self._text_revealed = False

        controller.phase_changed.connect(self.refresh)
        controller.question_changed.connect(self._on_question_changed)
        controller.take_saved.connect(self._on_take_saved)
        controller.analysis_saved.connect(lambda q, t: self._refresh_takes())

    def _button(self, text: str, key: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setToolTip(f"{text} ({key})")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space/Enter are the view's shortcuts
        button.clicked.connect(slot)
        return button

    def _shortcut(self, key: str, slot: object) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    @staticmethod
    def _click(button: QPushButton) -> None:
        if button.isVisible() and button.isEnabled():
            button.click()

    def _primary_action(self) -> None:
        for button in (self.start_button, self.done_button, self.next_button):
            if button.isVisible() and button.isEnabled():
                button.click()
                return

    def _enter_action(self) -> None:
        for button in (self.next_button, self.done_button, self.start_button):
            if button.isVisible() and button.isEnabled():
                button.click()
                return

    def _escape_action(self) -> None:
        self._click(self.skip_button)

    # --- refresh -------------------------------------------------------------------------
    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.replay.stop()

    def _on_tick(self) -> None:
        self.controller.tick()
        self._refresh_clock()
        self._show_level()

    def _show_level(self) -> None:
        level = self.controller.input_level()
        step_s = self._timer.interval() / 1000
        self.level_meter.setValue(meter_value(self.level_meter.value(), level, step_s))

    def _on_question_changed(self, index: int) -> None:
        interview = self.controller.interview
        if interview is None:
            return
        self._text_revealed = False
        session = self.controller.session
        follow_up = session is not None and session.questions[index].follow_up_of is not None
        closing = session is not None and session.questions[index].category == CLOSING
        self.progress_label.setText(
            f"Question {index + 1} of {len(interview.questions)}"
            + (" — follow-up question" if follow_up else "")
            + (" — your questions for the interviewer" if closing else "")
        )
        again = isinstance(interview, OneQuestionInterview)  # "Practise this again" (review)
        if again:
            self.progress_label.setText(f"Practising question {index + 1} again")
        self.skip_button.setToolTip(
            "Back to the review, nothing added (Esc)" if again else "Skip question (Esc)"
        )
        self._show_question_text()
        self.replay.set_take(None)
        self._refresh_takes()

    def _show_question_text(self) -> None:
        interview = self.controller.interview
        if interview is None:
            return
        visible = interview.settings.show_text or self._text_revealed
        text = interview.questions[interview.index]
        self.question_label.setText(
            text
            if visible
            else "(The question is read aloud; its text "
            "is hidden. Press “Show question text” if you need it.)"
        )
        self.show_text_button.setVisible(not visible)

    def _reveal_text(self) -> None:
        self._text_revealed = True
        self._show_question_text()

    def refresh(self) -> None:
        interview = self.controller.interview
        if interview is None:
            return
        phase = interview.phase
        recording = phase is Phase.RECORDING
        self.start_button.setVisible(phase in (Phase.SPEAKING, Phase.THINKING))
        self.done_button.setVisible(recording)
        retakes = interview.settings.mode != "realistic"
        self.again_button.setVisible(phase is Phase.ANSWERED and retakes)
        self.again_button.setEnabled(self.controller.recording_enabled)
        self.skip_button.setVisible(phase in (Phase.SPEAKING, Phase.THINKING, Phase.RECORDING))
        hands_free = self.controller.hands_free_state() is not None  # it moves on by itself
        self.next_button.setVisible(phase is Phase.ANSWERED and not hands_free)
        self.next_button.setEnabled(not self.controller.preparing_follow_up)
        self.next_button.setText("Finish interview" if interview.is_last else "Next question")
        self.next_button.setAccessibleName(self.next_button.text())
        self.finish_button.setEnabled(phase is not Phase.FINISHED)
        self.takes_list.setEnabled(not recording)
        self.replay.setEnabled(not recording)
        if recording:
            self.replay.stop()
        self.level_box.setVisible(recording)
        self._refresh_clock()

    def _refresh_clock(self) -> None:
        interview = self.controller.interview
        if interview is None:
            return
        now = self.controller.clock()
        phase = interview.phase
        self._show_speaker(phase)
        if phase is Phase.THINKING:
            self.phase_label.setText(
                "Think time. Press Space or “Start answering” when you are "
                "ready; recording starts by itself when the time is up."
            )
            self.clock_label.setText(clock_text(interview.think_remaining(now) + 0.999))
        elif phase is Phase.RECORDING:
            limit = interview.settings.hard_limit_s
            elapsed = interview.elapsed(now)
            if not self.controller.recording_enabled:
                hint = "Answer now (recording is off: no microphone)."
            elif not self.controller.mic_live:
                hint = "Starting the microphone… begin when the timer runs."
            elif interview.over_soft_limit(now):
                hint = (
                    f"Recording — over {clock_text(interview.settings.soft_limit_s)}: time to "
                    "wrap up with your result."
                )
            else:
                hint = "Recording your answer. Press Space or “Done answering” when you finish."
            self.phase_label.setText(hint)
            dot = "● " if self.controller.mic_live else ""
            self.clock_label.setText(f"{dot}{clock_text(elapsed)} / {clock_text(limit)}")
            warn = interview.over_soft_limit(now)
            red = "#ff6b6b" if is_dark() else "#c00"
            self.clock_label.setStyleSheet(f"color: {red};" if warn or dot else "")
        elif self.controller.preparing_follow_up:
            self.phase_label.setText("The interviewer is preparing a follow-up question…")
            self.clock_label.setText("")
        elif phase is Phase.ANSWERED and self._last_take_status() == "recording":
            self.phase_label.setText("Saving your answer…")
            self.clock_label.setText("")
        elif phase is Phase.ANSWERED and self._last_take_status() == CUT_SHORT:
            self.phase_label.setText(
                "The disk filled up, so this answer was cut short; what was recorded is kept "
                "below. Free some space before recording again."
            )
            self.clock_label.setText("")
        else:
            self.phase_label.setText(HINTS.get(phase, ""))
            self.clock_label.setText("")
            self.clock_label.setStyleSheet("")
        self.show_hands_free_state()

    def show_hands_free_state(self) -> None:
        """Hands-free: say plainly who has the turn (speaking, listening, "Moving on in 3…")."""
        state = self.controller.hands_free_state()
        if state is None or not state[1]:
            return
        key, words = state
        keys = HANDS_FREE_KEYS.get(key, "")
        if self.controller.voice_commands_ready():
            keys += {
                "listening": " Or say “Could you repeat the question?” / “Can I skip this one?”",
                "answering": " Or say “I'm done”.",
            }.get(key, "")
        self.phase_label.setText(keys.strip())  # the words are in the pill above it
        pill = HANDS_FREE_PILL.get(key, "idle")
        if self.speaker.state != pill or self.speaker.text() != words:
            self.speaker.set_state(pill, words)

    def _show_speaker(self, phase: Phase) -> None:
        """Who has the floor now; the words stay put while the state does not change."""
        if self.controller.preparing_follow_up:
            state = "waiting"
        else:
            state = {
                Phase.SPEAKING: "speaking",
                Phase.THINKING: "thinking",
                Phase.RECORDING: "listening",
                Phase.ANSWERED: "saved",
            }.get(phase, "idle")
        if state == "waiting" and self.speaker.state != "waiting":
            self.speaker.set_state("waiting", "The interviewer is thinking of a follow-up")
        elif state == "listening" and not self.controller.recording_enabled:
            if self.speaker.text() != "Your turn — recording is off":
                self.speaker.set_state("listening", "Your turn — recording is off")
        elif state != self.speaker.state and state != "waiting":
            self.speaker.set_state(state)

    def _last_take_status(self) -> str | None:
        session, interview = self.controller.session, self.controller.interview
        if session is None or interview is None:
            return None
        takes = session.questions[interview.index].takes
        return takes[-1].status if takes else None

    def _refresh_takes(self) -> None:
        session, interview = self.controller.session, self.controller.interview
        if session is None or interview is None:
            return
        keep = self.takes_list.currentRow()
        self.takes_list.blockSignals(True)
        self.takes_list.clear()
        for number, take in enumerate(session.questions[interview.index].takes, start=1):
            if take.status == "recording":
                label = f"Take {number}: recording…"
            else:
                extra = " — silent" if take.is_silent else ""
                extra += " — microphone lost" if take.status == "device_lost" else ""
                extra += " — cut short: the disk is full" if take.status == CUT_SHORT else ""
                extra += " — analysed" if take.analysis else ""
                label = f"Take {number}: {clock_text(take.duration_s)}{extra}"
            self.takes_list.addItem(QListWidgetItem(label))
        self.takes_list.blockSignals(False)
        if 0 <= keep < self.takes_list.count():
            self.takes_list.setCurrentRow(keep)

    def _on_take_saved(self, q: int, t: int) -> None:
        self._refresh_takes()
        self._refresh_clock()  # "Saving your answer…" becomes what happened to it
        interview = self.controller.interview
        if interview is not None and interview.index == q:
            self.takes_list.setCurrentRow(t)

    def _take_selected(self, row: int) -> None:
        session, interview = self.controller.session, self.controller.interview
        if session is None or interview is None or row < 0:
            return
        takes = session.questions[interview.index].takes
        if row < len(takes) and takes[row].status != "recording":
            path = self.controller.store.folder(session) / takes[row].audio
            if path != self.replay.path:  # a refreshed list must not restart a replay
                self.replay.set_take(path)
