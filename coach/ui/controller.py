"""The window's side of one mock interview: a thin Qt adapter over coach.practice.

The interview itself (take lifecycle, follow-ups, speech, analysis, saving) is the Qt-free
`PracticeSession` (built by coach.app with the TaskRunner lanes as its executor); this class
turns its events into the past-tense signals the views connect to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from coach.core.bank import Question
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.ports import RecorderPort
from coach.practice import events
from coach.practice.analysis_worker import Analyzer
from coach.practice.practice_session import JobContext, PracticeSession

if TYPE_CHECKING:
    from coach.core.interview import Interview
    from coach.core.session import Session

__all__ = ["InterviewController", "JobContext"]


class InterviewController(QObject):
    """One controller per window; `begin` starts a new session each time."""

    session_started = Signal(object)  # Session
    phase_changed = Signal()
    question_changed = Signal(int)
    take_saved = Signal(int, int)  # question index, take index
    analysis_saved = Signal(int, int)
    content_saved = Signal(object, int, int)  # Session, question index, take index
    message = Signal(str)  # something the user should know, in plain words
    finished = Signal(object)  # Session
    late_analysis_saved = Signal(object)  # Session: an analysis that landed after Finish

    def __init__(self, practice: PracticeSession) -> None:
        super().__init__()
        self.practice = practice
        practice.listeners.append(self._on_event)

    def _on_event(self, event: events.Event) -> None:
        if isinstance(event, events.PhaseChanged):
            self.phase_changed.emit()
        elif isinstance(event, events.QuestionShown):
            self.question_changed.emit(event.index)
        elif isinstance(event, events.TakeSaved):
            self.take_saved.emit(event.question, event.take)
        elif isinstance(event, events.AnalysisSaved):
            self.analysis_saved.emit(event.question, event.take)
        elif isinstance(event, events.ContentSaved):
            self.content_saved.emit(event.session, event.question, event.take)
        elif isinstance(event, events.Told):
            self.message.emit(event.text)
        elif isinstance(event, events.SessionStarted):
            self.session_started.emit(event.session)
        elif isinstance(event, events.SessionFinished):
            self.finished.emit(event.session)
        elif isinstance(event, events.LateAnalysisSaved):
            self.late_analysis_saved.emit(event.session)

    # --- what the views read ----------------------------------------------------------------
    @property
    def store(self) -> SessionStore:
        return self.practice.store

    @property
    def session(self) -> Session | None:
        return self.practice.session

    @property
    def interview(self) -> Interview | None:
        return self.practice.interview

    @property
    def recorder(self) -> RecorderPort | None:
        return self.practice.recorder

    @property
    def analyzer(self) -> Analyzer | None:
        return self.practice.analyzer

    @property
    def clock(self) -> Callable[[], float]:
        return self.practice.clock

    @property
    def recording_enabled(self) -> bool:
        return self.practice.recording_enabled

    @property
    def mic_live(self) -> bool:
        return self.practice.mic_live

    @property
    def preparing_follow_up(self) -> bool:
        return self.practice.preparing_follow_up

    def hands_free_state(self) -> tuple[str, str] | None:
        """(key, words) of who has the turn in a hands-free interview; None when it is off."""
        hands_free = self.practice.hands_free
        return hands_free.state() if hands_free is not None else None

    def voice_commands_ready(self) -> bool:
        hands_free = self.practice.hands_free
        return hands_free is not None and hands_free.commands_ready

    def input_level(self) -> float:
        """Peak 0..1 of the audio since the previous tick, for the level meter."""
        return self.practice.input_level()

    # --- what the views do ------------------------------------------------------------------
    def begin(
        self,
        questions: list[Question],
        settings: InterviewSettings,
        title: str,
        job: JobContext | None = None,
    ) -> None:
        self.practice.begin(questions, settings, title, job)

    def start_answering(self) -> None:
        self.practice.start_answering()

    def done_answering(self) -> None:
        self.practice.done_answering()

    def record_again(self) -> None:
        self.practice.record_again()

    def skip_question(self) -> None:
        self.practice.skip_question()

    def next_question(self) -> None:
        self.practice.next_question()

    def finish(self) -> None:
        self.practice.finish()

    def tick(self) -> None:
        """Called by the view's timer."""
        self.practice.tick()
