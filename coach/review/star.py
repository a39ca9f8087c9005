"""STAR structure (Situation, Task, Action, Result) found in a spoken answer by cue phrases.

Keyword-only STAR scoring under-rates natural answers (InterviewAI's STAR_SCORING_FIX, cited in
feedback-science §7), so the cues include natural phrasings, each sentence may carry several parts,
and the result is shown sentence by sentence for the user to check rather than as a score.
Sentences come from punctuation when the recogniser gives it and from pauses otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.content.star_cues import (
    ACTION,
    PARTS,
    RESULT,
    SITUATION,
    TASK,
    cue_parts,
    has_number,
)
from coach.content.star_cues import normalise as _normalise

__all__ = [
    "ACTION",
    "PARTS",
    "RESULT",
    "SITUATION",
    "TASK",
    "detect_star",
    "has_number",
    "split_sentences",
]

SENTENCE_GAP_S = 0.5
"""A pause this long between words ends a sentence when there is no punctuation (§3: ≈0.6 s)."""

_END_PUNCT = (".", "?", "!")


@dataclass(frozen=True)
class StarSentence:
    """One sentence of the answer and the STAR parts its cue phrases point to."""

    text: str
    start_s: float | None
    end_s: float | None
    parts: tuple[str, ...]
    cues: tuple[str, ...]


@dataclass(frozen=True)
class StarResult:
    sentences: tuple[StarSentence, ...]
    parts_found: tuple[str, ...]  # in STAR order
    result_has_number: bool
    action_first_person: bool
    seconds: dict[str, float]  # speaking time per part, when word times are known

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for p in PARTS if p not in self.parts_found)

    @property
    def has_result(self) -> bool:
        return RESULT in self.parts_found


def split_sentences(
    transcript: str, words: Sequence[Mapping[str, Any]] = ()
) -> list[tuple[str, float | None, float | None]]:
    """(text, start_s, end_s) per sentence: timed words when given, else the plain transcript."""
    if words:
        out: list[tuple[str, float | None, float | None]] = []
        current: list[Mapping[str, Any]] = []
        for w in words:
            if current and float(w["start_s"]) - float(current[-1]["end_s"]) >= SENTENCE_GAP_S:
                out.append(_join(current))
                current = []
            current.append(w)
            if str(w["text"]).rstrip().endswith(_END_PUNCT):
                out.append(_join(current))
                current = []
        if current:
            out.append(_join(current))
        return out
    parts = re.split(r"(?<=[.?!])\s+", transcript.strip())
    return [(p, None, None) for p in parts if p]


def _join(words: Sequence[Mapping[str, Any]]) -> tuple[str, float | None, float | None]:
    text = " ".join(str(w["text"]).strip() for w in words)
    return text, float(words[0]["start_s"]), float(words[-1]["end_s"])


def detect_star(transcript: str, words: Sequence[Mapping[str, Any]] = ()) -> StarResult:
    """Tag each sentence with the STAR parts its cues suggest; see the module docstring."""
    sentences: list[StarSentence] = []
    for text, start, end in split_sentences(transcript, words):
        tagged = cue_parts(text)
        parts = tuple(part for part, _ in tagged)
        cues = tuple(cue for _, cue in tagged)
        sentences.append(StarSentence(text, start, end, parts, cues))
    found = tuple(p for p in PARTS if any(p in s.parts for s in sentences))
    result_number = any(RESULT in s.parts and has_number(s.text) for s in sentences)
    first_person = any(
        ACTION in s.parts and re.search(r"\bi\b", _normalise(s.text)) for s in sentences
    )
    seconds: dict[str, float] = {}
    for s in sentences:
        if s.start_s is None or s.end_s is None or not s.parts:
            continue
        share = (s.end_s - s.start_s) / len(s.parts)
        for p in s.parts:
            seconds[p] = round(seconds.get(p, 0.0) + share, 2)
    return StarResult(tuple(sentences), found, result_number, bool(first_person), seconds)
