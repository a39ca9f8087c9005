"""Voice commands a candidate says to a real interviewer: repeat, skip, "I'm done".

A command is said as an utterance of its own: a short stretch of speech with a pause before and
after it. Inside an answer the same words are ordinary ("once I'm done with the tests…", "that's
all we had"), so the spotter first cuts standalone short utterances out of the live frames
(:class:`UtteranceCutter`: at most `MAX_SPEECH_S` of speech between pauses of `PAUSE_BEFORE_S`
and `PAUSE_AFTER_S`), then a recogniser turns each into text off the GUI thread, and
:func:`match_command` accepts only command wording ("I'm done" / "That's all" only as the whole
utterance, with an optional "okay", "so" or "thank you"; repeat and skip only as a request:
"could you repeat…", "can I skip…", not "I repeat the question to myself").

Why not pocketsphinx keyphrase spotting: tried here on the four commands spoken by espeak-ng
(five voices, two rates, padded with room tone), one threshold for all phrases from 1e-5 to
1e-40, it found at most 1 of 10 "could you repeat the question" and 0 of 10 "can I skip this
one"; on the real speech (1458 s) thresholds of 1e-30/1e-25/1e-10/1e-10 (repeat/skip/done/all)
fired 40 times, nearly all "I'm done" and "that's all". Whisper (the app's accurate engine) on
the cut utterances (benchmarks/voice_commands.py): 35 of 48 espeak-ng commands (repeat 12/12,
skip 10/12, "I'm done" 12/12, "that's all" 1/12: heard as "Let's all"). So commands need a
Whisper model; with only the basic engine they are off and the keyboard is the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from coach.practice.live_vad import VAD_RATE, FrameResult

PAUSE_BEFORE_S = 0.4
PAUSE_AFTER_S = 0.5
"""Pauses that separate an utterance: longer than the 0.25 s within-phrase gaps vad.py bridges,
the length of a pause at a sentence boundary in read and conversational speech (~0.5 s)."""
MIN_SPEECH_S = 0.3
MAX_SPEECH_S = 3.0
""""Could you repeat the question?" takes 1.5-2 s at a normal rate (espeak-ng: 1.7-2.1 s at 140-175
words per minute); 3 s leaves room for a slow speaker and a "sorry," before it."""
MAX_SPAN_S = 4.5
EDGE_S = 0.2  # audio kept before and after the utterance for the recogniser
MAX_WORDS = 9


class Command(Enum):
    REPEAT = "repeat"
    SKIP = "skip"
    DONE = "done"


@dataclass(frozen=True)
class Utterance:
    """A standalone short utterance, ready for a recogniser (16 kHz mono float)."""

    audio: np.ndarray
    start_t: float
    end_t: float


@dataclass(frozen=True)
class CommandHeard:
    command: Command
    text: str
    t: float


_POLITE = r"(?:(?:sorry|excuse me|um|uh|so|okay|ok|well|please)\s)*"
_PATTERNS: tuple[tuple[Command, re.Pattern[str]], ...] = (
    (
        Command.REPEAT,
        re.compile(
            r"\b(?:you|please) (?:\w+ )?(?:repeat|say) (?:the|that|your) question\b"
            r"|^(?:please |okay |so )?repeat (?:the|that) question\b"
            r"|\b(?:could|can|would) you (?:please )?(?:repeat|say) (?:that|it)(?: again)?\b"
        ),
    ),
    (
        Command.SKIP,
        re.compile(
            r"\b(?:can|could|may) (?:i|we) (?:please )?skip (?:this|that|the)(?: one| question)?\b"
            r"|^(?:let's |please )?skip (?:this|that) (?:one|question)\b"
        ),
    ),
    (
        Command.DONE,
        re.compile(
            rf"^{_POLITE}(?:i'm done|i'm finished|that's all|that's it)"
            r"(?: (?:thank you|thanks))?(?: (?:for now|from me))?$"
        ),
    ),
)


def normalise(text: str) -> str:
    """Lower case, no punctuation, contractions in one spelling."""
    t = text.lower().replace("’", "'")
    t = re.sub(r"[^a-z' ]+", " ", t)
    t = re.sub(r"\bi am\b", "i'm", t)
    t = re.sub(r"\bthat is\b", "that's", t)
    return " ".join(t.split())


def match_command(text: str) -> Command | None:
    """The command in a standalone utterance's transcript, or None for anything else."""
    t = normalise(text)
    if not t or len(t.split()) > MAX_WORDS:
        return None
    for command, pattern in _PATTERNS:
        if pattern.search(t):
            return command
    return None


class UtteranceCutter:
    """Cuts standalone short utterances out of the live frames; fast, for the poll thread."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._pause_s = PAUSE_BEFORE_S  # listening starts after a pause (the question's end)
        self._open = False
        self._eligible = False
        self._speech_s = 0.0
        self._tail_s = 0.0
        self._chunks: list[np.ndarray] = []
        self._edge: list[np.ndarray] = []  # the last EDGE_S of audio before an utterance
        self._start_t = 0.0
        self._last_speech_t = 0.0

    def feed(self, r: FrameResult, audio16k: np.ndarray) -> list[Utterance]:
        """One frame and its audio; returns an utterance when a standalone one has just ended."""
        if r.dead:
            self.reset()
            self._pause_s = 0.0
            return []
        if not self._open:
            return self._closed(r, audio16k)
        self._chunks.append(audio16k)
        if r.speech:
            self._speech_s += r.duration_s
            self._tail_s = 0.0
            self._last_speech_t = r.t
        else:
            self._tail_s += r.duration_s
        span = r.t - self._start_t
        if self._speech_s > MAX_SPEECH_S or span > MAX_SPAN_S:
            self._eligible = False
        if self._tail_s < PAUSE_AFTER_S - 1e-9:
            return []
        out = []
        if self._eligible and self._speech_s >= MIN_SPEECH_S - 1e-9:
            keep = round((self._tail_s - EDGE_S) * VAD_RATE)
            audio = np.concatenate(self._chunks)
            audio = audio[: len(audio) - max(0, keep)]
            out.append(Utterance(audio, self._start_t, self._last_speech_t))
        self._open = False
        self._pause_s = self._tail_s
        self._edge = []
        return out

    def _closed(self, r: FrameResult, audio16k: np.ndarray) -> list[Utterance]:
        if not r.speech:
            self._pause_s += r.duration_s
            self._edge = [*self._edge, audio16k][-max(1, round(EDGE_S / r.duration_s)) :]
            return []
        self._open = True
        self._eligible = self._pause_s >= PAUSE_BEFORE_S - 1e-9
        self._speech_s, self._tail_s = r.duration_s, 0.0
        self._start_t = r.t - r.duration_s
        self._last_speech_t = r.t
        self._chunks = [*self._edge, audio16k]
        return []


Recognise = Callable[[np.ndarray], str]


def whisper_recogniser(transcriber: object) -> Recognise:
    """Adapts the app's WhisperTranscriber (coach.analysis) to the spotter: text only."""

    def recognise(audio16k: np.ndarray) -> str:
        return str(transcriber.transcribe(audio16k.astype(np.float32)).text)  # type: ignore[attr-defined]

    return recognise


def hear(utterance: Utterance, recognise: Recognise) -> CommandHeard | None:
    """Run on a worker: recognise one utterance and match it (None: not a command)."""
    text = recognise(utterance.audio)
    command = match_command(text)
    return CommandHeard(command, text, utterance.end_t) if command else None
