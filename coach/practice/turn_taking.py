"""Hands-free turn taking: when the candidate starts answering and when they have finished.

How the controller drives it (all calls on one thread, the GUI poll or a listener thread):

    events in                                   what the controller does with events out
    ---------                                   ----------------------------------------
    listen(t)       think time begins           SpeechStarted(sample, t)  -> Interview
    answer_started(t) take began another way       .start_answering(); Recorder.begin_take(
                    (think time over, Space)        partial, from_sample=event.sample -
    frame(r)        every LiveVad FrameResult      PREROLL_MARGIN) on the record lane
    playback(on, t) the app starts/stops        CountdownChanged(n)  -> "Moving on in n…"
                    playing (question, thanks)                        (None: hide it)
    stop()          take ended any other way    AnswerEnded(t, "silence") -> Interview
                    (limit, Space, command)        .done_answering(); speak the thanks

The answer time limit stays where it is (Interview.tick); the controller calls ``stop()`` when
the take ends for any reason, so this machine never holds an answer open or ends one twice.

Rules (durations are audio time, summed from frames, so a stalled consumer cannot make a pause
look longer than it was):
- Start: `ONSET_SPEECH_S` of speech frames, gaps under `MIN_PAUSE_S` bridged (Silero VAD's
  min_speech_duration default is 250 ms; shorter blips are clicks, breaths, a chair).
- Speech during an answer is a run of at least `MIN_SPEECH_RUN_S` (vad.py's MIN_SEGMENT_S);
  it resets the silence, which cancels any countdown.
- End: ``end_silence_s`` of silence (default 4 s, 2–10 s) after at least
  `MIN_ANSWER_SPEECH_S` of speech. Within-turn pauses in conversation are mostly under 1 s and
  pauses of 2–3 s occur while a speaker plans (Goldman-Eisler; Campione & Véronis 2002 found
  pauses over 2 s rare but real), so 4 s is past a thinking pause and still short of an awkward
  wait. A cough alone never ends a take.
- Echo gate: frames while the app plays and `ECHO_TAIL_S` after are neither speech nor
  silence: the interviewer's own voice never starts, extends or ends an answer.
- Dead input (digital floor) is neither speech nor silence either, and after it the silence
  count starts again: an unheard answer is never ended as if it were over.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

import numpy as np

from coach.analysis.vad import MIN_PAUSE_S, MIN_SEGMENT_S
from coach.practice.input_watch import InputWatch
from coach.practice.live_vad import FrameResult, LiveVad

DEFAULT_END_SILENCE_S = 4.0
END_SILENCE_RANGE_S = (2.0, 10.0)
ONSET_SPEECH_S = 0.25
MIN_SPEECH_RUN_S = MIN_SEGMENT_S
MIN_ANSWER_SPEECH_S = 1.0
"""Less speech than this (a cough, "um") is not yet an answer whose end could be detected."""
ECHO_TAIL_S = 0.6
"""After playback stops: the input buffer (0.25 s, recorder.INPUT_LATENCY_S), the sound
server's own buffering and a room's reverberation (RT60 of a living room ~0.4-0.6 s, most of it
decayed well before) still carry the interviewer's voice."""
COUNTDOWN_SHOW_S = 3.0
"""The countdown appears for the last 3 s ("Moving on in 3…"), and never before 1 s of silence,
so ordinary pauses do not flash it."""
COUNTDOWN_MIN_SILENCE_S = 1.0
PREROLL_MARGIN_S = 0.3
"""Audio kept before the detected onset: the frame decision lags the first soft consonant."""


class TurnState(Enum):
    IDLE = "idle"  # not listening (question being read with no take, review…)
    WAITING = "waiting"  # think time: listening for the answer to start
    ANSWERING = "answering"  # a take is running and the user speaks or pauses
    ENDED = "ended"  # the answer ended by silence; waits for stop()/listen()


@dataclass(frozen=True)
class SpeechStarted:
    t: float
    sample: int  # first sample of the onset frame, in the input stream


@dataclass(frozen=True)
class CountdownChanged:
    seconds: int | None  # None: hide the countdown


@dataclass(frozen=True)
class AnswerEnded:
    t: float
    reason: str  # "silence"


TurnEvent = SpeechStarted | CountdownChanged | AnswerEnded


def clamp_end_silence(seconds: float) -> float:
    lo, hi = END_SILENCE_RANGE_S
    return min(hi, max(lo, float(seconds)))


class TurnTaker:
    """The state machine; every method returns the events it caused, oldest first."""

    def __init__(self, end_silence_s: float = DEFAULT_END_SILENCE_S) -> None:
        self.end_silence_s = clamp_end_silence(end_silence_s)
        self.state = TurnState.IDLE
        self._playing = False
        self._gate_until = -math.inf
        self._reset_counts()

    def _reset_counts(self) -> None:
        self._run_s = 0.0  # current run of speech frames
        self._run_start: FrameResult | None = None
        self._onset_s = 0.0  # speech toward an onset, gaps < MIN_PAUSE_S bridged
        self._onset_gap_s = 0.0
        self._onset_first: FrameResult | None = None
        self._speech_s = 0.0  # speech in this answer
        self._silence_s = 0.0
        self._shown: int | None = None

    # --- events in ----------------------------------------------------------------------
    def listen(self, t: float) -> list[TurnEvent]:
        """Think time starts: the next speech is the answer."""
        events = self._hide()
        self.state = TurnState.WAITING
        self._reset_counts()
        return events

    def answer_started(self, t: float) -> list[TurnEvent]:
        """A take began without our onset (think time over, Space, hands-free off)."""
        if self.state is TurnState.ANSWERING:
            return []
        events = self._hide()
        self.state = TurnState.ANSWERING
        self._reset_counts()
        return events

    def stop(self) -> list[TurnEvent]:
        """The take ended another way, or listening is over."""
        events = self._hide()
        self.state = TurnState.IDLE
        self._reset_counts()
        return events

    def playback(self, playing: bool, t: float) -> list[TurnEvent]:
        """The app started (True) or stopped (False) playing sound at time ``t``."""
        self._playing = playing
        if not playing:
            self._gate_until = t + ECHO_TAIL_S
        return []

    def frame(self, r: FrameResult) -> list[TurnEvent]:
        if self.state in (TurnState.IDLE, TurnState.ENDED):
            return []
        if self._playing or r.t <= self._gate_until:
            self._run_s, self._run_start = 0.0, None
            return []  # the interviewer's own voice: no information about the candidate
        if r.dead:
            self._run_s, self._run_start = 0.0, None
            self._silence_s = 0.0  # unheard: whatever the user did, the pause starts again
            return self._hide()
        if self.state is TurnState.WAITING:
            return self._waiting(r)
        return self._answering(r)

    # --- rules --------------------------------------------------------------------------
    def _waiting(self, r: FrameResult) -> list[TurnEvent]:
        if r.speech:
            if self._onset_first is None:
                self._onset_first = r
            self._onset_s += r.duration_s
            self._onset_gap_s = 0.0
        elif self._onset_first is not None:
            self._onset_gap_s += r.duration_s
            if self._onset_gap_s >= MIN_PAUSE_S - 1e-9:
                self._onset_s, self._onset_gap_s, self._onset_first = 0.0, 0.0, None
        if self._onset_first is None or self._onset_s < ONSET_SPEECH_S - 1e-9:
            return []
        first = self._onset_first
        self.state = TurnState.ANSWERING
        speech = self._onset_s
        self._reset_counts()
        self._speech_s = speech
        return [SpeechStarted(first.t - first.duration_s, first.sample)]

    def _answering(self, r: FrameResult) -> list[TurnEvent]:
        if r.speech:
            self._run_s += r.duration_s
            if self._run_s >= MIN_SPEECH_RUN_S - 1e-9:
                self._speech_s += r.duration_s if self._run_start else self._run_s
                self._run_start = r
                self._silence_s = 0.0
                return self._hide()
        else:
            self._run_s, self._run_start = 0.0, None
        self._silence_s += r.duration_s  # blips shorter than a speech run do not break a pause
        if self._speech_s < MIN_ANSWER_SPEECH_S:
            return []
        if self._silence_s >= self.end_silence_s - 1e-9:
            self.state = TurnState.ENDED
            return [*self._hide(), AnswerEnded(r.t, "silence")]
        return self._show()

    def _show(self) -> list[TurnEvent]:
        left = self.end_silence_s - self._silence_s
        if self._silence_s < COUNTDOWN_MIN_SILENCE_S or left > COUNTDOWN_SHOW_S:
            return self._hide()
        seconds = max(1, math.ceil(left - 1e-9))
        if seconds == self._shown:
            return []
        self._shown = seconds
        return [CountdownChanged(seconds)]

    def _hide(self) -> list[TurnEvent]:
        if self._shown is None:
            return []
        self._shown = None
        return [CountdownChanged(None)]

    # --- for the screen -----------------------------------------------------------------
    @property
    def countdown(self) -> int | None:
        """The number to show in "Moving on in n…", or None."""
        return self._shown

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def gate_until(self) -> float:
        """Frames up to this time are still the app's own playback (its reverberation)."""
        return self._gate_until

    @property
    def silence_s(self) -> float:
        return self._silence_s

    @property
    def speech_s(self) -> float:
        return self._speech_s


class TapBlock(Protocol):
    """What coach.audio.recorder.TappedBlock carries (practice does not import the device)."""

    samples: np.ndarray
    first_sample: int
    samplerate: int
    captured_at: float


class CommandSpotter(Protocol):
    def feed(self, frame: FrameResult, audio16k: np.ndarray) -> list[Any]: ...
    def reset(self) -> None: ...


class Listener:
    """The consumer of the recorder's tap: blocks -> LiveVad frames -> turn and input events.

    One call per GUI poll (or from a listener thread): ``process(tap.take())``. The turn
    machine, the input watch and the optional command spotter see the same frames; the caller
    forwards playback and listen/stop to :attr:`turn` (and ``watch.reset()`` per question).
    """

    def __init__(
        self,
        end_silence_s: float = DEFAULT_END_SILENCE_S,
        frame_ms: int = 30,
        commands: CommandSpotter | None = None,
    ) -> None:
        self.turn = TurnTaker(end_silence_s)
        self.watch = InputWatch()
        self.commands = commands
        self.frame_ms = frame_ms
        self.vad: LiveVad | None = None
        self.cpu_s = 0.0  # process time spent here, for the benchmark

    def process(self, blocks: list[TapBlock]) -> list[Any]:
        started = time.process_time()
        events: list[Any] = []
        for block in blocks:
            if self.vad is None or self.vad.samplerate != block.samplerate:
                self.vad = LiveVad(block.samplerate, self.frame_ms)
            frames = self.vad.feed(block.samples, block.captured_at, block.first_sample)
            audio = self.vad.last_audio
            for i, r in enumerate(frames):
                events += self.watch.frame(r)
                events += self.turn.frame(r)
                if self.commands is not None and not self._gated(r):
                    chunk = audio[i * self.vad.frame_len : (i + 1) * self.vad.frame_len]
                    events += self.commands.feed(r, chunk)
        self.cpu_s += time.process_time() - started
        return events

    def _gated(self, r: FrameResult) -> bool:
        """The app's own voice is not the candidate's command either."""
        return self.turn.playing or r.t <= self.turn.gate_until
