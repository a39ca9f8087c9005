""""Practise this again" without Qt: a one-question interview inside an existing session.

The question is asked with the session's own settings (voice, think time, limits, mode) through
the same `PracticeSession` as any interview, so the new take takes the real microphone path, is
saved crash-safe as another take of that question in the same session.json, and is analysed as
usual. Then both takes' analyses are read back and compared (coach.review.take_compare).

While it runs the session is marked in progress again, so a crash mid-answer is recovered at
the next start like any unfinished session; finishing marks it finished again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from coach.analysis.results import AnswerAnalysis
from coach.core.interview import Interview, Phase
from coach.core.session import CUT_SHORT, IN_PROGRESS, Session
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.errors import CoachError
from coach.practice import events
from coach.practice.practice_session import PracticeSession
from coach.review.build import chosen_take
from coach.review.loader import load_analyses
from coach.review.take_compare import MeasureChange, compare_takes


class OneQuestionInterview(Interview):
    """Only question `index` of the session, asked once: leaving it ends the interview."""

    def __init__(self, questions: list[str], settings: InterviewSettings, index: int) -> None:
        super().__init__(questions, settings)
        self.index = index

    @property
    def is_last(self) -> bool:
        return True


@dataclass(frozen=True)
class Attempt:
    """One "Practise this again": the question, the take the review showed for it (the one the
    new take is compared with; None when it had none) and, once recorded, the new take."""

    folder: Path
    session_id: str
    question: int
    question_text: str
    before_take: int | None
    takes_before: int  # how many takes the question had: the new one comes after them
    after_take: int | None = None


@dataclass(frozen=True)
class Recorded:
    """The one-question interview ended: with a new take (`attempt.after_take`) or without
    (skipped, or the microphone failed)."""

    attempt: Attempt
    analysing: bool  # an analysis of the new take is on its way


@dataclass(frozen=True)
class Compared:
    """Both takes analysed; `changes` has every measure, `.changed` marks those that moved."""

    attempt: Attempt
    before: AnswerAnalysis
    after: AnswerAnalysis
    changes: tuple[MeasureChange, ...]


@dataclass(frozen=True)
class NotCompared:
    """The new take is saved but cannot be compared; `reason` says why, in plain words."""

    attempt: Attempt
    reason: str


Event = Recorded | Compared | NotCompared | events.Told
Listener = Callable[[Event], None]


def prepare(store: SessionStore, folder: Path, question: int) -> tuple[Session, Attempt]:
    """Read the session fresh from disk (the review's copy may be stale), note the take the
    review shows for the question, and mark the session in progress (crash recovery)."""
    session = store.load(folder)
    if not 0 <= question < len(session.questions):
        raise CoachError("That question is no longer in this session.")
    analyses = load_analyses(folder, session)
    before = chosen_take(session, question, analyses)
    asked = session.questions[question]
    attempt = Attempt(
        folder=folder,
        session_id=session.id,
        question=question,
        question_text=asked.text,
        before_take=before,
        takes_before=len(asked.takes),
    )
    session.status = IN_PROGRESS
    store.save(session)
    return session, attempt


class PractiseAgain:
    """Runs "Practise this again" on a PracticeSession and reports through `listeners`."""

    def __init__(self, practice: PracticeSession) -> None:
        self.practice = practice
        self.listeners: list[Listener] = []
        self.attempt: Attempt | None = None  # the one running or the last one
        self.running = False
        self._finishing = False
        practice.listeners.append(self._on_event)

    def _emit(self, event: Event) -> None:
        for listener in list(self.listeners):
            listener(event)

    def busy(self) -> bool:
        """True while any interview (this one or a normal one) is under way."""
        i = self.practice.interview
        return self.running or (i is not None and i.phase not in (Phase.READY, Phase.FINISHED))

    def start(self, folder: Path, question: int) -> None:
        """Ask question `question` of the session in `folder` again, at once."""
        if self.busy():
            self._emit(events.Told("Finish the current interview first (Ctrl+E)."))
            return
        self.running = True
        store = self.practice.store
        self.practice.executor.submit(
            lambda: prepare(store, folder, question),
            lane="disk",
            on_done=lambda result: self._prepared(*result),
            on_error=self._failed,
        )

    def _failed(self, error: CoachError) -> None:
        self.running = False
        self._emit(events.Told(error.message))

    def _prepared(self, session: Session, attempt: Attempt) -> None:
        self.attempt = attempt
        self._finishing = False
        # One question, asked once: no follow-up is added to a session being practised again.
        settings = replace(session.settings, follow_ups=False)
        texts = [q.text for q in session.questions]
        self.practice.resume(session, OneQuestionInterview(texts, settings, attempt.question))

    def _mine(self, session: Session | None) -> bool:
        return (
            self.attempt is not None and session is not None
            and session.id == self.attempt.session_id
        )  # fmt: skip

    # --- what the interview reports -----------------------------------------------------------
    def _on_event(self, event: events.Event) -> None:
        if isinstance(event, events.PhaseChanged):
            self._answered()
        elif isinstance(event, events.SessionFinished) and self.running:
            if self._mine(event.session):
                self._recorded(event.session)
        elif isinstance(event, events.LateAnalysisSaved):
            self._merge_late_analysis(event.session)
        elif isinstance(event, events.AnalysisSaved):
            attempt = self.attempt
            if (
                attempt is not None and not self.running and attempt.after_take is not None
                and (event.question, event.take) == (attempt.question, attempt.after_take)
                and self._mine(self.practice.session)
            ):  # fmt: skip
                self._compare(attempt)

    def _answered(self) -> None:
        """The answer is done: the one-question interview ends, and the comparison follows."""
        interview = self.practice.interview
        if (
            self.running and not self._finishing
            and isinstance(interview, OneQuestionInterview)
            and interview.phase is Phase.ANSWERED
        ):  # fmt: skip
            self._finishing = True
            # Not from inside the event being delivered: on the next callback turn.
            self.practice.executor.submit(
                lambda: None, lane="control", on_done=lambda _: self.practice.finish()
            )

    def _recorded(self, session: Session) -> None:
        assert self.attempt is not None
        self.running = False
        takes = session.questions[self.attempt.question].takes
        new = len(takes) - 1 if len(takes) > self.attempt.takes_before else None
        attempt = self.attempt = replace(self.attempt, after_take=new)
        take = takes[new] if new is not None else None
        analysing = (
            take is not None and take.status != CUT_SHORT and self.practice.analyzer is not None
        )
        self._emit(Recorded(attempt, analysing))
        if take is None:
            return
        if not analysing:
            self._emit(NotCompared(attempt, "The new take was cut short, so it was not analysed."))
        elif take.analysis:  # already analysed before the interview ended
            self._compare(attempt)

    def _compare(self, attempt: Attempt) -> None:
        """Read both analyses back from disk (the analysis lane has saved them there)."""
        store = self.practice.store

        def read() -> Compared | NotCompared:
            analyses = load_analyses(attempt.folder, store.load(attempt.folder))
            q, before, after = attempt.question, attempt.before_take, attempt.after_take
            if before is None:
                return NotCompared(attempt, "This question had no earlier answer to compare with.")
            old, new = analyses.get((q, before)), analyses.get((q, after if after else -1))
            if old is None:
                return NotCompared(
                    attempt, "The earlier take was never analysed, so there is nothing to "
                    "compare; the new take is in the review.")  # fmt: skip
            if new is None:
                return NotCompared(attempt, "The new take's analysis is missing.")
            return Compared(attempt, old, new, compare_takes(old, new))

        self.practice.executor.submit(read, lane="disk", on_done=self._emit, on_error=self._told)

    def _told(self, error: CoachError) -> None:
        self._emit(events.Told(error.message))

    def _merge_late_analysis(self, late: Session) -> None:
        """An analysis of the earlier interview landed while the session is practised again:
        the copy being practised learns its name, so its next save does not forget it."""
        current = self.practice.session
        if current is None or late is current or late.id != current.id:
            return
        for old_q, new_q in zip(late.questions, current.questions, strict=False):
            names = {t.audio: t.analysis for t in old_q.takes if t.analysis}
            for take in new_q.takes:
                if not take.analysis and take.audio in names:
                    take.analysis = names[take.audio]
