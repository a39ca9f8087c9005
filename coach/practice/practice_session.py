"""One mock interview without Qt: runs the pure `Interview` state machine and carries out its
effects (speech, recording, analysis, follow-ups, saving) through an injected executor.

Callers drive it with plain methods (begin, start_answering, done_answering, next_question,
tick, ...) and hear back through `listeners` (coach.practice.events). Every slow step runs on
an executor lane; callbacks arrive on the caller's thread, so no state here needs a lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.core.bank import Question
from coach.core.interview import (
    Effect,
    Interview,
    InterviewFinished,
    Phase,
    QuestionChanged,
    SpeakQuestion,
    StartRecording,
    StopRecording,
    StopSpeaking,
)
from coach.core.session import FINISHED, AskedQuestion, Session
from coach.core.session_store import SessionStore, now_iso
from coach.core.settings import InterviewSettings
from coach.errors import CoachError
from coach.ports import PlayerPort, RecorderPort, SpeakerPort
from coach.practice import events
from coach.practice.analysis_worker import Analyzer, analyse_and_save
from coach.practice.content_coach import ContentCoach
from coach.practice.executor import Executor
from coach.practice.follow_up import (
    ANALYSIS_WAIT_S,
    FollowUpPolicy,
    parse_analysis,
    rules_follow_up,
)
from coach.practice.hands_free import HandsFree, RecogniserFactory
from coach.practice.takes import TakeHost, TakeLifecycle


@dataclass(frozen=True)
class JobContext:
    """The job the user is practising for, copied into the session for the review."""

    terms: tuple[str, ...] = ()
    description: str = ""
    role: str = ""


class PracticeSession:
    """One per window (or test); `begin` starts a new session each time."""

    def __init__(
        self,
        executor: Executor,
        store: SessionStore,
        recorder_factory: Callable[[str | None], RecorderPort],
        speaker: SpeakerPort | None,
        question_player: PlayerPort,
        analyzer: Analyzer | None = None,
        clock: Callable[[], float] = time.monotonic,
        follow_up: FollowUpPolicy | None = None,
        content: ContentCoach | None = None,
        command_recogniser: RecogniserFactory | None = None,
    ) -> None:
        self.executor = executor
        self.store = store
        self.speaker = speaker
        self.player = question_player
        self.analyzer = analyzer
        self.clock = clock
        self.content = content
        """Content feedback after each analysis (None: none is made, as before issue 13)."""
        self.follow_up: FollowUpPolicy = follow_up or (
            content.follow_up if content is not None else rules_follow_up
        )
        self.command_recogniser = command_recogniser  # hands-free voice commands (Whisper)
        self.hands_free: HandsFree | None = None
        self.discard_next_stop = False  # the take being stopped held only a voice command
        self.listeners: list[events.Listener] = []
        self.takes = TakeLifecycle(
            executor,
            store,
            recorder_factory,
            TakeHost(
                self._save,
                self._tell,
                self._tell_error,
                self._take_saved,
                lambda q, t: self._emit(events.TakeSaved(q, t)),
            ),
        )
        self.session: Session | None = None
        self.interview: Interview | None = None
        self.voice_enabled = True
        self.mic_live = False
        self.preparing_follow_up = False
        self._speech_generation = 0
        self._told: set[str] = set()
        self._level = 0.0
        self._bank_questions: list[Question | None] = []
        self._analyses: dict[tuple[int, int], dict[str, Any]] = {}
        self._awaiting_follow_up: tuple[int, int] | None = None
        self._follow_up_deadline = 0.0

    @property
    def recorder(self) -> RecorderPort | None:
        return self.takes.recorder

    @property
    def recording_enabled(self) -> bool:
        return self.takes.enabled

    def _emit(self, event: events.Event) -> None:
        for listener in list(self.listeners):
            listener(event)

    # --- starting ------------------------------------------------------------------------
    def begin(
        self,
        questions: list[Question],
        settings: InterviewSettings,
        title: str,
        job: JobContext | None = None,
    ) -> None:
        asked = [
            AskedQuestion(id=q.id, text=q.text, category=q.category, star=q.star) for q in questions
        ]
        job = job or JobContext()

        def create() -> Session:
            session = self.store.create(settings, asked, title)
            if job.terms or job.description or job.role:
                session.job_terms, session.job_description = list(job.terms), job.description
                session.role = job.role
                self.store.save(session)
            return session

        self.executor.submit(
            create,
            lane="disk",
            on_done=lambda session: self._started(session, settings, list(questions)),
            on_error=self._tell_error,
        )

    def resume(self, session: Session, interview: Interview) -> None:
        """Run `interview` in an existing session (coach.practice.practise_again): new takes
        join its questions' takes; no follow-up is added (there is no bank question)."""
        self._started(session, interview.settings, [None] * len(session.questions), interview)

    def _started(
        self,
        session: Session,
        settings: InterviewSettings,
        questions: Sequence[Question | None],
        interview: Interview | None = None,
    ) -> None:
        self.session = session
        self._bank_questions = list(questions)
        self._analyses = {}
        self._awaiting_follow_up = None
        self.preparing_follow_up = False
        self.interview = interview or Interview([q.text for q in session.questions], settings)
        self.takes.reset(session, settings.microphone)
        self._told = set()
        self.voice_enabled = settings.voice_on and self.speaker is not None
        self.discard_next_stop = False
        self.hands_free = None
        if settings.hands_free:
            self.hands_free = HandsFree(self, settings, self.command_recogniser)
            self.hands_free.begin()
        self._emit(events.SessionStarted(session))
        self._prewarm_content()
        self._apply(self.interview.start(self.clock()))

    # --- user actions --------------------------------------------------------------------
    def start_answering(self) -> None:
        self._act(lambda i, now: i.start_answering(now))

    def done_answering(self) -> None:
        self._act(lambda i, now: i.done_answering(now))

    def record_again(self) -> None:
        self._act(lambda i, now: i.record_again(now))

    def skip_question(self) -> None:
        if (
            self.session
            and self.interview
            and not self.session.questions[self.interview.index].takes
        ):
            self.session.questions[self.interview.index].skipped = True
        self._advance(lambda i, now: i.skip(now))

    def repeat_question(self) -> None:
        """Read the current question again (hands-free: the candidate asked for it)."""
        self._act(lambda i, now: i.repeat_question(now))

    def next_question(self) -> None:
        if self.preparing_follow_up:
            return
        if self._wants_follow_up():
            self._prepare_follow_up()
        else:
            self._advance(lambda i, now: i.next_question(now))

    def finish(self) -> None:
        self._act(lambda i, now: i.finish(now))

    def tick(self) -> None:
        """Called often (the window's timer): think countdown, answer limit, lost microphone,
        and the follow-up's wait for a late analysis."""
        if self.interview is None:
            return
        self._level = 0.0
        self.mic_live = False
        if self.hands_free is not None:
            self.hands_free.tick()
        if self._awaiting_follow_up and self.clock() >= self._follow_up_deadline:
            self._ask_follow_up(self._awaiting_follow_up[0], None)
            return
        if self.interview.phase is Phase.RECORDING:
            status = self.takes.poll()
            if status is not None:
                self._level = float(status.peak)
                self.mic_live = status.elapsed_s > 0  # audio really arrives, not just requested
                if status.device_lost:
                    self._tell(
                        "device-lost",
                        "The microphone stopped working. Your answer so far is "
                        "saved; check the microphone before the next question.",
                    )
                    self.done_answering()
                    return
                if status.error:  # the disk filled up or the folder became unwritable
                    reason = str(status.error).split(" (")[0]
                    self._tell(
                        "disk", f"{reason} This answer was stopped; your earlier answers are safe."
                    )
                    self.done_answering()
                    return
        self._act(lambda i, now: i.tick(now))

    def input_level(self) -> float:
        """Peak 0..1 of the audio since the previous tick, for a level meter."""
        return self._level

    def _advance(self, step: Callable[[Interview, float], list[Effect]]) -> None:
        """Leave the current question (hands-free adds the closing question first)."""
        if self.hands_free is not None:
            self.hands_free.before_next()
        self._act(step)

    def _act(self, step: Callable[[Interview, float], list[Effect]]) -> None:
        if self.interview is not None:
            self._apply(step(self.interview, self.clock()))

    # --- follow-up questions ---------------------------------------------------------------
    def _wants_follow_up(self) -> bool:
        """An interviewer follows up an answered original question (never a follow-up)."""
        i, s = self.interview, self.session
        if i is None or s is None or not i.settings.follow_ups or i.phase is not Phase.ANSWERED:
            return False
        asked = s.questions[i.index]
        return (
            asked.follow_up_of is None
            and bool(asked.takes)
            and (self._bank_questions[i.index] is not None)
        )

    def _prepare_follow_up(self) -> None:
        """Decide with the answer's analysis; wait for it briefly if it is still running."""
        assert self.interview is not None and self.session is not None
        q = self.interview.index
        t = len(self.session.questions[q].takes) - 1
        if (q, t) in self._analyses or self.analyzer is None:
            self._ask_follow_up(q, self._analyses.get((q, t)))
            return
        self.preparing_follow_up = True
        self._awaiting_follow_up = (q, t)
        self._follow_up_deadline = self.clock() + ANALYSIS_WAIT_S
        self._emit(events.PhaseChanged())

    def _ask_follow_up(self, q: int, analysis: dict[str, Any] | None) -> None:
        """Run the follow-up policy on the "content" lane, then move on to its question."""
        self._awaiting_follow_up = None
        self.preparing_follow_up = True
        question = self._bank_questions[q] if q < len(self._bank_questions) else None
        session = self.session
        if self.interview is None or session is None or question is None:
            self.preparing_follow_up = False
            return
        policy = self.follow_up

        def decided(text: str | None) -> None:
            self.preparing_follow_up = False
            if session is not self.session or self.interview is None:
                return
            if text:
                self._insert_follow_up(q, question, text)
            self._advance(lambda i, now: i.next_question(now))

        self.executor.submit(
            lambda: policy(question, parse_analysis(analysis)),
            lane="content",
            on_done=decided,
            on_error=lambda error: decided(None),
        )

    def _insert_follow_up(self, q: int, question: Question, text: str) -> None:
        assert self.interview is not None and self.session is not None
        index = self.interview.insert_follow_up(text)
        self.session.questions.insert(
            index,
            AskedQuestion(
                id=f"{question.id}-follow-up",
                text=text,
                category=question.category,
                follow_up_of=q,
            ),
        )
        self._bank_questions.insert(index, None)
        self._save()

    # --- effects -------------------------------------------------------------------------
    def _apply(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, QuestionChanged):
                self._emit(events.QuestionShown(effect.index))
            elif isinstance(effect, SpeakQuestion):
                self._speak(effect)
            elif isinstance(effect, StopSpeaking):
                self._speech_generation += 1
                self.executor.submit(self.player.stop, lane="control")
            elif isinstance(effect, StartRecording):
                onset, preroll = self.hands_free.take_onset() if self.hands_free else (None, 0.0)
                self.takes.start(
                    effect.index, effect.think_s, effect.spoke_over_question, onset, preroll
                )
                if self.hands_free is not None:
                    self.hands_free.answer_started()
            elif isinstance(effect, StopRecording):
                discard, self.discard_next_stop = self.discard_next_stop, False
                self.takes.stop(discard=discard)
                if self.hands_free is not None:
                    self.hands_free.stopped(effect.reason)
            elif isinstance(effect, InterviewFinished):
                if self.hands_free is not None:
                    self.hands_free.close()
                self._finish_session()
        if self.hands_free is not None and self.interview is not None:
            self.hands_free.phase_changed(self.interview.phase)
        self._emit(events.PhaseChanged())

    def _speak(self, effect: SpeakQuestion) -> None:
        if not self.voice_enabled or self.speaker is None or self.interview is None:
            self._question_spoken(self._speech_generation)
            return
        self._speech_generation += 1
        generation = self._speech_generation
        speaker, player = self.speaker, self.player
        settings = self.interview.settings
        hands_free = self.hands_free
        text = hands_free.spoken(effect.index, effect.text) if hands_free else effect.text

        def speak() -> None:
            path = speaker.synthesize(text, settings.voice_id, settings.voice_rate)
            duration = player.load(path)
            if generation == self._speech_generation:
                player.play(0.0)
                player.wait_done(duration + 5.0)

        def failed(error: CoachError) -> None:
            self.voice_enabled = False
            self._tell("tts", f"{error.message} Questions are shown as text instead.")
            spoken(None)

        def spoken(_: object) -> None:
            if hands_free is not None:
                hands_free.playback_ended()
            self._question_spoken(generation)

        if hands_free is not None:
            hands_free.playback_started()
        self.executor.submit(speak, lane="speech", on_done=spoken, on_error=failed)

    def _question_spoken(self, generation: int) -> None:
        if generation == self._speech_generation and self.interview is not None:
            self._apply(self.interview.question_spoken(self.clock()))

    def _take_saved(self, q: int, t: int, audio: Path) -> None:
        self._emit(events.TakeSaved(q, t))
        self._analyse(q, t, audio)

    def _analyse(self, q: int, t: int, audio: Path) -> None:
        if self.analyzer is None:
            return
        analyzer = self.analyzer
        session = self.session

        def done(outcome: tuple[str, dict[str, Any]]) -> None:
            name, result = outcome
            if session is None:
                return
            session.questions[q].takes[t].analysis = name
            if (
                session is self.session
                and self.interview
                and self.interview.phase is not Phase.FINISHED
            ):
                self._analyses[(q, t)] = result
                self._save()
            else:  # the review may have edited session.json since: change only this field
                self._save_analysis_name(session, q, t, name)
                self._emit(events.LateAnalysisSaved(session))
            self._emit(events.AnalysisSaved(q, t))
            self._give_content_feedback(session, q, t, audio, result)
            if self._awaiting_follow_up == (q, t):
                self._ask_follow_up(q, result)

        self.executor.submit(
            lambda: analyse_and_save(analyzer, audio),
            lane="analysis",
            on_done=done,
            on_error=self._tell_error,
        )

    def _prewarm_content(self) -> None:
        if self.content is not None:
            self.content.submit_prewarm(self.executor, self._emit_told, self._tell_error)

    def _give_content_feedback(
        self, session: Session, q: int, t: int, audio: Path, analysis: dict[str, Any]
    ) -> None:
        """Content feedback on its own lane (a model may take 20 s), saved beside the take."""
        if self.content is None:
            return
        asked = session.questions[q]
        self.content.submit_feedback(
            self.executor, asked.text, audio, analysis, behavioural=True if asked.star else None,
            saved=lambda engine: self._emit(events.ContentSaved(session, q, t, engine)),
            tell=self._emit_told, failed=self._tell_error,
        )  # fmt: skip

    def _emit_told(self, text: str) -> None:
        self._emit(events.Told(text))

    def _finish_session(self) -> None:
        session = self.session
        if session is None:
            return

        def done() -> None:
            session.status = FINISHED
            session.finished_at = now_iso()
            self._save()
            self._emit(events.SessionFinished(session))

        self.takes.after_last_take(done)  # queued behind any take still being finalised

    # --- saving and telling ----------------------------------------------------------------
    def _save(self) -> None:
        if self.session is None:
            return
        session_id, data = self.session.id, self.session.to_dict()
        self.executor.submit(
            lambda: self.store.write(session_id, data), lane="disk", on_error=self._tell_error
        )

    def _save_analysis_name(self, session: Session, q: int, t: int, name: str) -> None:
        store, folder = self.store, self.store.folder(session)

        def update() -> None:
            on_disk = store.load(folder)
            on_disk.questions[q].takes[t].analysis = name
            store.save(on_disk)

        self.executor.submit(update, lane="disk", on_error=self._tell_error)

    def _tell(self, key: str, text: str) -> None:
        """Say each kind of problem once per session, not on every tick."""
        if key not in self._told:
            self._told.add(key)
            self._emit(events.Told(text))

    def _tell_error(self, error: CoachError) -> None:
        self._emit(events.Told(error.message))
