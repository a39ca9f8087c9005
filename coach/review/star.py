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

from coach.analysis.wer import NUMBER_WORDS

SITUATION = "situation"
TASK = "task"
ACTION = "action"
RESULT = "result"
PARTS = (SITUATION, TASK, ACTION, RESULT)

SENTENCE_GAP_S = 0.5
"""A pause this long between words ends a sentence when there is no punctuation (§3: ≈0.6 s)."""

_CUES: dict[str, tuple[str, ...]] = {
    SITUATION: (
        r"\b(when|while) (i|we) (was|were|worked|joined|started)\b",
        r"\bmy (previous|last|old|first|former|current) "
        r"(job|role|company|team|position|employer)\b",
        r"\b(last|that|one) (year|summer|spring|autumn|fall|winter|quarter|month)\b",
        r"\bback (in|when)\b",
        r"\bat the time\b",
        r"\bthe situation\b",
        r"\b(there was|we had|our team (was|had))\b",
        r"\bi was working\b",
        r"\bin \d{4}\b",
        r"\bcontext\b",
    ),
    TASK: (
        r"\bmy (task|job|goal|role|responsibility|assignment|challenge) was\b",
        r"\bi (was|were) (responsible|asked|tasked|supposed|expected)\b",
        r"\bi (needed|had|wanted) to\b",
        r"\bwe (needed|had) to\b",
        r"\bthe (goal|challenge|problem|task|objective|deadline) was\b",
        r"\bmy (task|goal)\b",
    ),
    ACTION: (
        r"\b(so |then |first |next |finally )?i (decided|started|organi[sz]ed|built|created|set "
        r"up|talked|spoke|met|wrote|implemented|led|proposed|scheduled|reached out|designed|"
        r"introduced|changed|analy[sz]ed|called|asked|worked|trained|automated|negotiated|"
        r"prioriti[sz]ed|gathered|fixed|rewrote|moved|split|took)\b",
        r"\bwhat i did\b",
        r"\bmy approach\b",
        r"\bi made sure\b",
    ),
    RESULT: (
        r"\bas a result\b",
        r"\bin the end\b",
        r"\bthe (result|outcome)\b",
        r"\bresult(ed)? in\b",
        r"\b(which|that) (led|meant)\b",
        r"\bended up\b",
        r"\bby the end\b",
        r"\b(we|i|it|this|that) (reduced|increased|improved|saved|cut|grew|doubled|halved|"
        r"delivered|achieved|shipped|launched|won|finished|met)\b",
        r"\bpercent\b",
        r"\d+ ?%",
        r"\blearned\b",
    ),
}
_COMPILED = {part: tuple(re.compile(p) for p in pats) for part, pats in _CUES.items()}
_NUMBER_RE = re.compile(r"\d")
_EXTRA_QUANTITY = frozenset({"half", "double", "twice", "triple", "percent", "dozen"})
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


def _normalise(text: str) -> str:
    return re.sub(r"[^\w%' ]+", " ", text.lower().replace("’", "'")).strip()


def has_number(text: str) -> bool:
    """Digits, number words or quantity words ("half", "twice", "percent")."""
    if _NUMBER_RE.search(text):
        return True
    tokens = set(_normalise(text).split())
    return bool(tokens & (set(NUMBER_WORDS) | _EXTRA_QUANTITY))


def detect_star(transcript: str, words: Sequence[Mapping[str, Any]] = ()) -> StarResult:
    """Tag each sentence with the STAR parts its cues suggest; see the module docstring."""
    sentences: list[StarSentence] = []
    for text, start, end in split_sentences(transcript, words):
        norm = _normalise(text)
        parts: list[str] = []
        cues: list[str] = []
        for part in PARTS:
            for rx in _COMPILED[part]:
                m = rx.search(norm)
                if m:
                    parts.append(part)
                    cues.append(m.group(0).strip())
                    break
        sentences.append(StarSentence(text, start, end, tuple(parts), tuple(cues)))
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
