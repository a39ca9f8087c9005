"""Drives one mock interview: runs the pure `Interview` state machine and carries out its effects.

Every slow step (speech synthesis, playback, opening the microphone, finalising a take,
writing session.json, analysis) goes through the TaskRunner lanes; this class only keeps
state and emits past-tense signals for the views.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

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
from coach.core.session import FINISHED, AskedQuestion, Session, Take
from coach.core.session_store import SessionStore, now_iso
from coach.core.settings import InterviewSettings
from coach.errors import CoachError, DeviceError
from coach.ports import PlayerPort, RecorderPort, SpeakerPort
from coach.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
FOLLOW_UP_WAIT_MS = 20_000  # how long the "interviewer" waits for the answer's analysis


@dataclass(frozen=True)
class JobContext:
    """The job the user is practising for, copied into the session for the review."""

    terms: tuple[str, ...] = ()
    description: str = ""
    role: str = ""


Analyzer = Callable[[Path], dict[str, Any]]


class InterviewController(QObject):
    """One controller per window; `begin` starts a new session each time."""

    session_started = Signal(object)  # Session
    phase_changed = Signal()
    question_changed = Signal(int)
    take_saved = Signal(int, int)  # question index, take index
    analysis_saved = Signal(int, int)
    message = Signal(str)  # something the user should know, in plain words
    finished = Signal(object)  # Session
    late_analysis_saved = Signal(object)  # Session: an analysis that landed after Finish

    def __init__(
        self,
        runner: TaskRunner,
        store: SessionStore,
        recorder_factory: Callable[[str | None], RecorderPort],
        speaker: SpeakerPort | None,
        question_player: PlayerPort,
        analyzer: Analyzer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.store = store
        self.recorder_factory = recorder_factory
        self.speaker = speaker
        self.player = question_player
        self.analyzer = analyzer
        self.clock = clock
        self.session: Session | None = None
        self.interview: Interview | None = None
        self.recorder: RecorderPort | None = None
        self.recording_enabled = True
        self.voice_enabled = True
        self._speech_generation = 0
        self._recording_take: tuple[int, int] | None = None
        self._told: set[str] = set()
        self._microphone: str | None = None
        self._level = 0.0
        self.mic_live = False
        self._bank_questions: list[Question | None] = []
        self._analyses: dict[tuple[int, int], dict[str, Any]] = {}
        self._awaiting_follow_up: tuple[int, int] | None = None
        self.preparing_follow_up = False

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

        self.runner.submit(
            create,
            lane="disk",
            on_done=lambda session: self._started(session, settings, list(questions)),
            on_error=self._tell_error,
        )

    def _started(
        self, session: Session, settings: InterviewSettings, questions: list[Question]
    ) -> None:
        self.session = session
        self._bank_questions = list(questions)
        self._analyses = {}
        self._awaiting_follow_up = None
        self.preparing_follow_up = False
        self.interview = Interview([q.text for q in session.questions], settings)
        self.recorder = None  # made on the 'record' lane: it imports the audio stack
        self._microphone = settings.microphone
        self.recording_enabled = True
        self._told = set()
        self.voice_enabled = settings.voice_on and self.speaker is not None
        self.session_started.emit(session)
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
        self._act(lambda i, now: i.skip(now))

    def next_question(self) -> None:
        if self.preparing_follow_up:
            return
        if self._wants_follow_up():
            self._prepare_follow_up()
        else:
            self._act(lambda i, now: i.next_question(now))

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
        self.phase_changed.emit()
        QTimer.singleShot(FOLLOW_UP_WAIT_MS, lambda: self._follow_up_timed_out(q, t))

    def _follow_up_timed_out(self, q: int, t: int) -> None:
        if self._awaiting_follow_up == (q, t):
            self._ask_follow_up(q, None)

    def _ask_follow_up(self, q: int, analysis: dict[str, Any] | None) -> None:
        from coach.analysis.results import AnswerAnalysis
        from coach.core.followups import choose_follow_up

        self._awaiting_follow_up = None
        self.preparing_follow_up = False
        question = self._bank_questions[q]
        if self.interview is None or self.session is None or question is None:
            return
        parsed = AnswerAnalysis.from_dict(analysis) if analysis else None
        text = choose_follow_up(question, parsed)
        if text:
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
        self._act(lambda i, now: i.next_question(now))

    def finish(self) -> None:
        self._act(lambda i, now: i.finish(now))

    def tick(self) -> None:
        """Called by the view's timer: think countdown, answer limit, lost microphone."""
        if self.interview is None:
            return
        self._level = 0.0
        self.mic_live = False
        if self.interview.phase is Phase.RECORDING and self.recorder and self._recording_take:
            status = self.recorder.poll()  # one poll per tick: poll() resets the peak
            self._level = float(status.peak)
            self.mic_live = status.elapsed_s > 0  # audio is really arriving, not just requested
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
        """Peak 0..1 of the audio since the previous tick, for the level meter."""
        return self._level

    def _act(self, step: Callable[[Interview, float], list[Effect]]) -> None:
        if self.interview is not None:
            self._apply(step(self.interview, self.clock()))

    # --- effects -------------------------------------------------------------------------
    def _apply(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, QuestionChanged):
                self.question_changed.emit(effect.index)
            elif isinstance(effect, SpeakQuestion):
                self._speak(effect)
            elif isinstance(effect, StopSpeaking):
                self._speech_generation += 1
                self.runner.submit(self.player.stop, lane="control")
            elif isinstance(effect, StartRecording):
                self._start_recording(effect)
            elif isinstance(effect, StopRecording):
                self._stop_recording()
            elif isinstance(effect, InterviewFinished):
                self._finish_session()
        self.phase_changed.emit()

    def _speak(self, effect: SpeakQuestion) -> None:
        if not self.voice_enabled or self.speaker is None or self.interview is None:
            self._question_spoken(self._speech_generation)
            return
        self._speech_generation += 1
        generation = self._speech_generation
        speaker, player = self.speaker, self.player
        settings = self.interview.settings

        def speak() -> None:
            path = speaker.synthesize(effect.text, settings.voice_id, settings.voice_rate)
            duration = player.load(path)
            if generation == self._speech_generation:
                player.play(0.0)
                player.wait_done(duration + 5.0)

        def failed(error: CoachError) -> None:
            self.voice_enabled = False
            self._tell("tts", f"{error.message} Questions are shown as text instead.")
            self._question_spoken(generation)

        self.runner.submit(
            speak,
            lane="speech",
            on_done=lambda _: self._question_spoken(generation),
            on_error=failed,
        )

    def _question_spoken(self, generation: int) -> None:
        if generation == self._speech_generation and self.interview is not None:
            self._apply(self.interview.question_spoken(self.clock()))

    def _start_recording(self, effect: StartRecording) -> None:
        if self.session is None or not self.recording_enabled:
            return
        question = self.session.questions[effect.index]
        partial, _final = self.store.take_paths(self.session, effect.index)
        question.takes.append(
            Take(
                audio=partial.name,
                duration_s=0.0,
                started_at=now_iso(),
                think_s=effect.think_s,
                spoke_over_question=effect.spoke_over_question,
                status="recording",
            )
        )
        question.skipped = False
        self._recording_take = (effect.index, len(question.takes) - 1)
        self._save()

        def start() -> None:
            if self.recorder is None:
                self.recorder = self.recorder_factory(self._microphone)
            self.recorder.start(partial)

        self.runner.submit(start, lane="record", on_error=self._recording_failed)

    def _recording_failed(self, error: CoachError) -> None:
        """No microphone or no space: the interview goes on, without recording."""
        if self.session and self._recording_take:
            q, t = self._recording_take
            del self.session.questions[q].takes[t]
            self._save()
        self._recording_take = None
        if isinstance(error, DeviceError):
            self.recording_enabled = False
            self._tell("no-mic", f"{error.message} The interview continues without recording.")
        else:
            self._tell_error(error)

    def _stop_recording(self) -> None:
        if self.session is None or self._recording_take is None:
            return
        q, t = self._recording_take
        self._recording_take = None
        take = self.session.questions[q].takes[t]
        final = self.store.folder(self.session) / take.audio.replace(".partial.raw", ".flac")

        def stop() -> tuple[Any, bool]:
            recorder = self.recorder  # queued behind start() on the same lane
            if recorder is None:
                return None, False
            lost = bool(recorder.poll().device_lost)
            return recorder.stop(final), lost

        self.runner.submit(
            stop,
            lane="record",
            on_done=lambda r: self._take_saved(q, t, r[0], r[1]),
            on_error=self._tell_error,
        )

    def _take_saved(self, q: int, t: int, info: Any, device_lost: bool) -> None:
        if self.session is None or info is None:
            return
        take = self.session.questions[q].takes[t]
        take.audio = Path(info.path).name
        take.duration_s = round(float(info.duration_s), 3)
        take.is_silent = bool(info.is_silent)
        take.status = "device_lost" if device_lost else "complete"
        take.overflows = int(getattr(self.recorder.poll(), "overflows", 0)) if self.recorder else 0
        if take.is_silent:
            self._tell(
                "silent",
                "That answer was silent: no speech reached the microphone. "
                "It is kept; check the microphone level on the setup screen.",
            )
        self._save()
        self.take_saved.emit(q, t)
        self._analyse(q, t, Path(info.path))

    def _analyse(self, q: int, t: int, audio: Path) -> None:
        if self.analyzer is None:
            return
        analyzer = self.analyzer
        session = self.session

        def run() -> tuple[str, dict[str, Any]]:
            result = analyzer(audio)
            out = audio.with_suffix(".analysis.json")
            out.write_text(json.dumps(result, indent=2), encoding="utf-8")
            return out.name, result

        def done(outcome: tuple[str, dict[str, Any]]) -> None:
            name, result = outcome
            if session is None:
                return
            session.questions[q].takes[t].analysis = name
            if (
                session is self.session
                and self.interview
                and self.interview.phase is not (Phase.FINISHED)
            ):
                self._analyses[(q, t)] = result
                self._save()
            else:  # the review may have edited session.json since: change only this field
                self._save_analysis_name(session, q, t, name)
                self.late_analysis_saved.emit(session)
            self.analysis_saved.emit(q, t)
            if self._awaiting_follow_up == (q, t):
                self._ask_follow_up(q, result)

        self.runner.submit(run, lane="analysis", on_done=done, on_error=self._tell_error)

    def _finish_session(self) -> None:
        session = self.session
        if session is None:
            return

        def done(_: object) -> None:
            session.status = FINISHED
            session.finished_at = now_iso()
            self._save()
            self.finished.emit(session)

        # Queued behind any take still being finalised on the same lane.
        self.runner.submit(lambda: None, lane="record", on_done=done)

    # --- helpers -------------------------------------------------------------------------
    def _save(self) -> None:
        if self.session is None:
            return
        session_id, data = self.session.id, self.session.to_dict()
        self.runner.submit(
            lambda: self.store.write(session_id, data), lane="disk", on_error=self._tell_error
        )

    def _save_analysis_name(self, session: Session, q: int, t: int, name: str) -> None:
        store, folder = self.store, self.store.folder(session)

        def update() -> None:
            on_disk = store.load(folder)
            on_disk.questions[q].takes[t].analysis = name
            store.save(on_disk)

        self.runner.submit(update, lane="disk", on_error=self._tell_error)

    def _tell(self, key: str, text: str) -> None:
        """Say each kind of problem once per session, not on every tick."""
        if key not in self._told:
            self._told.add(key)
            self.message.emit(text)

    def _tell_error(self, error: CoachError) -> None:
        self.message.emit(error.message)
