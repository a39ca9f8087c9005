"""The mock-interview flow as a pure state machine: no Qt, no audio, time passed in.

Each user action or tick returns the effects the shell must carry out (speak, record, stop),
so the whole flow is testable without a window or a sound card.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from coach.core.settings import InterviewSettings


class Phase(Enum):
    READY = "ready"
    SPEAKING = "speaking"  # the question is being read aloud
    THINKING = "thinking"  # think-time countdown
    RECORDING = "recording"
    ANSWERED = "answered"  # a take is done; record again or move on
    FINISHED = "finished"


@dataclass(frozen=True)
class SpeakQuestion:
    index: int
    text: str


@dataclass(frozen=True)
class StopSpeaking:
    pass


@dataclass(frozen=True)
class StartRecording:
    index: int
    think_s: float
    spoke_over_question: bool


@dataclass(frozen=True)
class StopRecording:
    index: int
    reason: str  # "done" | "limit" | "skip" | "finish" | "repeat"


@dataclass(frozen=True)
class QuestionChanged:
    index: int


@dataclass(frozen=True)
class InterviewFinished:
    pass


Effect = (
    SpeakQuestion
    | StopSpeaking
    | StartRecording
    | StopRecording
    | QuestionChanged
    | InterviewFinished
)


class Interview:
    """Walks through `questions` with think time and answer limits from `settings`."""

    def __init__(self, questions: list[str], settings: InterviewSettings) -> None:
        if not questions:
            raise ValueError("an interview needs at least one question")
        self.questions = list(questions)  # follow-ups are inserted: never the caller's list
        self.settings = settings
        self.index = 0
        self.phase = Phase.READY
        self.phase_started = 0.0
        self.question_spoken_at: float | None = None
        self.takes_of_current = 0

    # --- time ---------------------------------------------------------------------------
    def elapsed(self, now: float) -> float:
        return max(0.0, now - self.phase_started)

    def think_remaining(self, now: float) -> float:
        return max(0.0, self.settings.think_time_s - self.elapsed(now))

    def over_soft_limit(self, now: float) -> bool:
        return self.phase is Phase.RECORDING and self.elapsed(now) >= self.settings.soft_limit_s

    def answer_remaining(self, now: float) -> float:
        return max(0.0, self.settings.hard_limit_s - self.elapsed(now))

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.questions) - 1

    # --- transitions --------------------------------------------------------------------
    def _enter(self, phase: Phase, now: float) -> None:
        self.phase = phase
        self.phase_started = now

    def _ask(self, now: float) -> list[Effect]:
        self.takes_of_current = 0
        self.question_spoken_at = None
        effects: list[Effect] = [QuestionChanged(self.index)]
        if self.settings.voice_on:
            self._enter(Phase.SPEAKING, now)
            effects.append(SpeakQuestion(self.index, self.questions[self.index]))
        else:  # no voice: the question counts as spoken at once, from any previous phase
            self._enter(Phase.SPEAKING, now)
            effects += self.question_spoken(now)
        return effects

    def start(self, now: float) -> list[Effect]:
        if self.phase is not Phase.READY:
            return []
        return self._ask(now)

    def question_spoken(self, now: float) -> list[Effect]:
        """The question finished playing (or there is no voice): think time starts."""
        if self.phase not in (Phase.SPEAKING, Phase.READY):
            return []
        self.question_spoken_at = now
        self._enter(Phase.THINKING, now)
        if self.settings.think_time_s <= 0:
            return self._record(now, spoke_over=False)
        return []

    def _record(self, now: float, *, spoke_over: bool) -> list[Effect]:
        think = 0.0 if self.question_spoken_at is None else now - self.question_spoken_at
        self._enter(Phase.RECORDING, now)
        self.takes_of_current += 1
        return [StartRecording(self.index, think_s=round(think, 2), spoke_over_question=spoke_over)]

    def start_answering(self, now: float) -> list[Effect]:
        if self.phase is Phase.SPEAKING:
            return [StopSpeaking(), *self._record(now, spoke_over=True)]
        if self.phase is Phase.THINKING:
            return self._record(now, spoke_over=False)
        return []

    def tick(self, now: float) -> list[Effect]:
        if self.phase is Phase.THINKING and self.elapsed(now) >= self.settings.think_time_s:
            return self._record(now, spoke_over=False)
        if self.phase is Phase.RECORDING and self.elapsed(now) >= self.settings.hard_limit_s:
            self._enter(Phase.ANSWERED, now)
            return [StopRecording(self.index, "limit")]
        return []

    def done_answering(self, now: float) -> list[Effect]:
        if self.phase is not Phase.RECORDING:
            return []
        self._enter(Phase.ANSWERED, now)
        return [StopRecording(self.index, "done")]

    def record_again(self, now: float) -> list[Effect]:
        if self.phase is not Phase.ANSWERED or self.settings.mode == "realistic":
            return []
        self.question_spoken_at = None
        return self._record(now, spoke_over=False)

    def _leave_question(self, reason: str) -> list[Effect]:
        if self.phase is Phase.RECORDING:
            return [StopRecording(self.index, reason)]
        if self.phase is Phase.SPEAKING:
            return [StopSpeaking()]
        return []

    def next_question(self, now: float) -> list[Effect]:
        """Move on; a take still recording is stopped and kept."""
        if self.phase in (Phase.READY, Phase.FINISHED):
            return []
        effects = self._leave_question("skip")
        if self.is_last:
            self._enter(Phase.FINISHED, now)
            return [*effects, InterviewFinished()]
        self.index += 1
        return effects + self._ask(now)

    def repeat_question(self, now: float) -> list[Effect]:
        """Read the question again (the candidate asked); a take begun by that request is
        stopped (reason "repeat": the caller discards it) and think time starts afresh."""
        effects: list[Effect] = []
        if self.phase is Phase.RECORDING:
            effects.append(StopRecording(self.index, "repeat"))
            self.takes_of_current -= 1
        elif self.phase is not Phase.THINKING:
            return []
        self.question_spoken_at = None
        self._enter(Phase.SPEAKING, now)
        return [*effects, SpeakQuestion(self.index, self.questions[self.index])]

    def insert_follow_up(self, text: str) -> int:
        """Queue a follow-up right after the current question; returns its index."""
        self.questions.insert(self.index + 1, text)
        return self.index + 1

    def skip(self, now: float) -> list[Effect]:
        return self.next_question(now)

    def finish(self, now: float) -> list[Effect]:
        if self.phase is Phase.FINISHED:
            return []
        effects = self._leave_question("finish")
        self._enter(Phase.FINISHED, now)
        return [*effects, InterviewFinished()]
