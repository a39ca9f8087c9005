"""A hands-free interview: the interviewer listens, notices the end of an answer and moves on.

`PracticeSession` owns one `HandsFree` per session when ``settings.hands_free`` is on and calls
it at the few points where the flow changes (question spoken, take started or stopped, every
tick, before moving on). This module drives the Qt-free mechanisms: the microphone stays open
for the whole interview (TakeLifecycle.listen, takes cut out of the stream with a pre-roll), the
recorder's block tap goes through turn_taking.Listener (voice activity, "Moving on in 3…", the
echo gate, the dead-input watch) and voice_commands (utterances recognised off the GUI thread).

Threads: the Listener is touched only on the executor's "listen" lane (one job per tick, and
every control call such as listen/stop/playback queued on the same lane, so they stay in
order); recognition runs on the "commands" lane; speech on the "speech" lane. Results come back
on the owner's thread, so the state here needs no lock, and the GUI thread never waits.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from coach.core.interview import Phase
from coach.core.session import AskedQuestion
from coach.core.settings import InterviewSettings
from coach.errors import CoachError
from coach.practice import events
from coach.practice.input_watch import InputBack, InputLost
from coach.practice.interviewer_lines import (
    CLOSING_LEAD_INS,
    CLOSING_QUESTION,
    FOLLOW_UP_LEAD_INS,
    NEXT_QUESTION_LEAD_INS,
    LinePicker,
)
from coach.practice.turn_taking import (
    PREROLL_MARGIN_S,
    AnswerEnded,
    CountdownChanged,
    Listener,
    SpeechStarted,
)
from coach.practice.voice_commands import (
    Command,
    CommandHeard,
    Recognise,
    Utterance,
    UtteranceCutter,
    hear,
)

CLOSING_ID = "closing-questions-for-me"
CLOSING_CATEGORY = "candidate-questions"
COMMAND_STARTED_TAKE_S = 1.0
"""A command whose utterance began within this of the take's start is what started the take
(speech in think time starts a take): such a take holds only the request and is discarded."""

RecogniserFactory = Callable[[], "Recognise | None"]


def is_closing(question: AskedQuestion) -> bool:
    return question.id == CLOSING_ID


class HandsFree:
    """The hands-free side of one session; every method runs on the owner's thread."""

    def __init__(
        self,
        practice: Any,  # the PracticeSession that owns this (not imported: no cycle)
        settings: InterviewSettings,
        recogniser: RecogniserFactory | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.p = practice
        self.listener = Listener(settings.end_silence_s, commands=UtteranceCutter())
        self.lines = LinePicker(rng or random.Random())
        self.countdown: int | None = None
        self.input_lost = False
        self.closing_added = False
        self.heard: list[CommandHeard] = []  # commands acted on, for the screen and tests
        self.trace: list[tuple[float, Any]] = []  # (clock, event) of what the listener said
        self._tap: Any = None
        self._busy = False
        self._closed = False
        self._playing = 0
        self._greeted = False
        self._repeat = False
        self._onset: int | None = None
        self._reply: str | None = None
        self._waiting = False  # listening for the start of an answer (think time)
        self._take_started_at = 0.0
        self._pending_commands = 0
        self._deferred_end = False
        self._said_not_heard = False
        self._recognise: Recognise | None = None
        self._recogniser_factory = recogniser

    # --- life ---------------------------------------------------------------------------
    def begin(self) -> None:
        """Open the microphone for the whole interview; load the command recogniser."""
        self.p.takes.listen(self._tapped)
        factory = self._recogniser_factory
        if factory is not None:
            self.p.executor.submit(
                factory, lane="commands", on_done=self._set_recogniser, on_error=self._no_commands
            )

    def _tapped(self, tap: Any) -> None:
        self._tap = tap

    def _set_recogniser(self, recognise: Recognise | None) -> None:
        self._recognise = recognise

    def _no_commands(self, error: CoachError) -> None:
        self.p._tell("commands", f"Voice commands are off: {error.message}")

    def close(self) -> None:
        """The interview is over: stop listening and close the microphone."""
        if self._closed:
            return
        self._closed = True
        self._on_lane(lambda: self.listener.turn.stop())
        self.p.takes.stop_listening()

    def tick(self) -> None:
        """One listening step per tick, on the "listen" lane (never two at once)."""
        tap = self._tap
        if tap is None or self._busy or self._closed:
            return
        self._busy = True
        listener = self.listener

        def done(found: list[Any]) -> None:
            self._busy = False
            self._handle(found)

        def failed(error: CoachError) -> None:
            self._busy = False
            self.p._tell_error(error)

        self.p.executor.submit(
            lambda: listener.process(tap.take()), lane="listen", on_done=done, on_error=failed
        )

    def _on_lane(self, fn: Callable[[], list[Any]]) -> None:
        self.p.executor.submit(fn, lane="listen", on_done=self._handle)

    # --- the flow, called by PracticeSession ------------------------------------------------
    def phase_changed(self, phase: Phase) -> None:
        """Think time began (after the question was spoken, or at once without a voice)."""
        if phase is Phase.THINKING and not self._waiting:
            self.listen()
        elif phase is not Phase.THINKING:
            self._waiting = False

    def listen(self) -> None:
        """Think time began: the next speech is the answer."""
        self._waiting = True
        now = self.p.clock()
        listener = self.listener

        def listen() -> list[Any]:
            listener.watch.reset()
            if listener.commands is not None:
                listener.commands.reset()
            return list(listener.turn.listen(now))

        self._on_lane(listen)

    def take_onset(self) -> tuple[int | None, float]:
        """Where the take about to start begins: the detected onset and the pre-roll."""
        onset, self._onset = self._onset, None
        return onset, (PREROLL_MARGIN_S if onset is not None else 0.0)

    def answer_started(self) -> None:
        self._take_started_at = self.p.clock()
        now = self._take_started_at
        self._on_lane(lambda: list(self.listener.turn.answer_started(now)))
        self._reply = self._pick_reply()
        self._warm(self._reply)

    def _pick_reply(self) -> str:
        """What the interviewer will say when this answer ends (thanks, or the sign-off)."""
        session, interview = self.p.session, self.p.interview
        if session and interview and is_closing(session.questions[interview.index]):
            return self.lines.sign_off()
        return self.lines.acknowledgement()

    def _warm(self, text: str) -> None:
        """Synthesise the reply while the candidate talks: the TTS cache then answers at once,
        so the thanks follows the end of the answer by the silence setting and little more."""
        p = self.p
        if not p.voice_enabled or p.speaker is None or p.interview is None:
            return
        speaker, settings = p.speaker, p.interview.settings
        p.executor.submit(
            lambda: speaker.synthesize(text, settings.voice_id, settings.voice_rate),
            lane="speech",
            on_error=lambda error: None,  # spoken (and reported) when it is needed
        )

    def stopped(self, reason: str) -> None:
        """A take ended; after a finished answer the interviewer acknowledges and moves on."""
        self.countdown = None
        self._deferred_end = False
        self._on_lane(lambda: list(self.listener.turn.stop()))
        if reason in ("done", "limit"):
            self._move_on()

    def _move_on(self) -> None:
        session, interview = self.p.session, self.p.interview
        if session is None or interview is None:
            return
        reply, self._reply = self._reply or self._pick_reply(), None
        if is_closing(session.questions[interview.index]):
            self.say(reply, then=self.p.next_question)
        else:
            self.say(reply)
            self.p.next_question()

    def before_next(self) -> None:
        """Before leaving the last question: the interviewer's "any questions for me?"."""
        session, interview = self.p.session, self.p.interview
        if session is None or interview is None or self.closing_added:
            return
        if not interview.is_last or interview.phase in (Phase.READY, Phase.FINISHED):
            return
        self.closing_added = True
        index = interview.insert_follow_up(CLOSING_QUESTION)
        session.questions.insert(
            index, AskedQuestion(id=CLOSING_ID, text=CLOSING_QUESTION, category=CLOSING_CATEGORY)
        )
        self.p._bank_questions.insert(index, None)
        self.p._save()

    def spoken(self, index: int, text: str) -> str:
        """What the interviewer says to ask question `index` (whose text is `text`)."""
        session = self.p.session
        if self._repeat:
            self._repeat = False
            return self.lines.repeat(text)
        if not self._greeted:
            self._greeted = True
            return self.lines.opening(text)
        question = session.questions[index] if session else None
        if question is not None and is_closing(question):
            return _join(self.lines.pick("closing", CLOSING_LEAD_INS), CLOSING_QUESTION)
        if question is not None and question.follow_up_of is not None:
            return _join(self.lines.pick("follow", FOLLOW_UP_LEAD_INS), text)
        return _join(self.lines.pick("next", NEXT_QUESTION_LEAD_INS), text)

    # --- the interviewer's voice and the echo gate -------------------------------------------
    def playback_started(self) -> None:
        self._playing += 1
        if self._playing == 1:
            now = self.p.clock()
            self.trace.append((now, "playback started"))
            self._on_lane(lambda: list(self.listener.turn.playback(True, now)))

    def playback_ended(self) -> None:
        self._playing = max(0, self._playing - 1)
        if self._playing == 0:
            now = self.p.clock()
            self.trace.append((now, "playback ended"))
            self._on_lane(lambda: list(self.listener.turn.playback(False, now)))

    @property
    def commands_ready(self) -> bool:
        """Voice commands are understood (a Whisper model is loaded)."""
        return self._recognise is not None

    @property
    def speaking(self) -> bool:
        return self._playing > 0

    def say(self, text: str, then: Callable[[], None] | None = None) -> None:
        """Speak a line that is not a question (thanks, sign-off); `then` runs after it."""
        p = self.p
        after = then or (lambda: None)
        if not p.voice_enabled or p.speaker is None or p.interview is None:
            after()
            return
        speaker, player, settings = p.speaker, p.player, p.interview.settings

        def speak() -> None:
            path = speaker.synthesize(text, settings.voice_id, settings.voice_rate)
            duration = player.load(path)
            player.play(0.0)
            player.wait_done(duration + 5.0)

        def ended(_: object) -> None:
            self.playback_ended()
            after()

        self.playback_started()
        p.executor.submit(speak, lane="speech", on_done=ended, on_error=ended)

    # --- what the listener heard -----------------------------------------------------------
    def _handle(self, found: list[Any]) -> None:
        interview = self.p.interview
        if interview is None or self._closed:
            return
        changed = False
        now = self.p.clock()
        self.trace += [(now, e) for e in found if not isinstance(e, Utterance)]
        for event in found:
            if isinstance(event, SpeechStarted):
                if interview.phase is Phase.THINKING:
                    self._onset = event.sample
                    self.p.start_answering()
            elif isinstance(event, CountdownChanged):
                self.countdown = event.seconds
                changed = True
            elif isinstance(event, AnswerEnded):
                if self._pending_commands:
                    self._deferred_end = True  # a command may be what was said last
                else:
                    self._answer_over()
            elif isinstance(event, InputLost):
                self._input_lost(event)
                changed = True
            elif isinstance(event, InputBack):
                self.input_lost = False
                changed = True
            elif isinstance(event, Utterance):
                self._recognise_utterance(event)
        if changed:
            self.p._emit(events.PhaseChanged())

    def _answer_over(self) -> None:
        interview = self.p.interview
        if interview is not None and interview.phase is Phase.RECORDING:
            self.p.done_answering()

    def _input_lost(self, event: InputLost) -> None:
        self.input_lost = True
        self.p._tell("input-lost", event.message)
        if not self._said_not_heard:
            self._said_not_heard = True
            self.say(event.spoken)

    def _recognise_utterance(self, utterance: Utterance) -> None:
        recognise = self._recognise
        interview = self.p.interview
        if recognise is None or interview is None:
            return
        if interview.phase not in (Phase.THINKING, Phase.RECORDING):
            return
        self._pending_commands += 1

        def done(heard: CommandHeard | None) -> None:
            self._pending_commands -= 1
            if heard is not None and self._act(heard, utterance):
                self._deferred_end = False
            elif self._deferred_end and not self._pending_commands:
                self._deferred_end = False
                self._answer_over()

        def failed(error: CoachError) -> None:
            done(None)

        self.p.executor.submit(
            lambda: hear(utterance, recognise), lane="commands", on_done=done, on_error=failed
        )

    def _act(self, heard: CommandHeard, utterance: Utterance) -> bool:
        """Carry out a voice command; False when it does not apply now."""
        interview = self.p.interview
        if interview is None or interview.phase not in (Phase.THINKING, Phase.RECORDING):
            return False
        recording = interview.phase is Phase.RECORDING
        if heard.command is Command.DONE:
            if not recording:
                return False
            self.heard.append(heard)
            self._answer_over()
            return True
        # Repeat and skip: a take that holds only the request is not an answer.
        if recording and utterance.start_t <= self._take_started_at + COMMAND_STARTED_TAKE_S:
            self.p.discard_next_stop = True
        self.heard.append(heard)
        if heard.command is Command.REPEAT:
            self._repeat = True
            self.p.repeat_question()
        else:
            self.say(self.lines.skip())
            self.p.skip_question()
        return True

    # --- for the screen ----------------------------------------------------------------------
    def state(self) -> tuple[str, str]:
        """(key, words) of who has the turn now: speaking, listening, answering, moving on…"""
        interview = self.p.interview
        phase = interview.phase if interview else Phase.READY
        if self.input_lost and phase in (Phase.THINKING, Phase.RECORDING):
            return "no-input", "I can't hear you — check your microphone"
        if self._playing:
            return "speaking", "The interviewer is speaking…"
        if phase is Phase.RECORDING and self.countdown is not None:
            return "moving-on", f"Moving on in {self.countdown}…"
        if phase is Phase.THINKING:
            return "listening", "Listening — start your answer when you are ready"
        if phase is Phase.RECORDING:
            return "answering", "Listening to your answer — take your time"
        if phase is Phase.SPEAKING:
            return "speaking", "The interviewer is speaking…"
        if phase is Phase.ANSWERED:
            return "thinking", "The interviewer is thinking…"
        return "idle", ""


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p.strip())
