"""The content engine without a model: cue phrases and word lists over numbered sentences.

It always works (no download, instant) and gives the same `ContentFeedback` as the model, so the
app can fall back to it field by field. It cannot tell whether the question was answered:
`answered_question` stays None ("not measured") rather than a guess from shared keywords.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from coach.analysis.lexicon import word_stats
from coach.analysis.transcribe import Word
from coach.content.feedback import ContentFeedback, Point
from coach.content.sentences import Sentence, split_sentences
from coach.content.star_cues import ACTION, PARTS, RESULT, SITUATION, TASK, cue_parts, has_number
from coach.core.followups import (
    MEASURABLE_RESULT,
    MIN_WORDS,
    SPECIFIC_EXAMPLE,
    TELL_ME_MORE,
    has_example,
)

ENGINE = "rules"
OUTLINE_WORDS = 14
"""An outline point quotes at most this many of the user's words (one line on screen)."""

_I = re.compile(r"\b(i|i'm|i've|i'd|my)\b")
_MISSING = {
    SITUATION: "[where and when this happened]",
    TASK: "[what you had to achieve]",
    ACTION: "[what you did yourself, step by step]",
    RESULT: "[what changed: time, money or people, with a number]",
}
_LABEL = {SITUATION: "Situation", TASK: "Task", ACTION: "Action", RESULT: "Result"}


def _words(text: str) -> list[Word]:
    return [Word(w, 0.0, 0.0) for w in text.split()]


def star_parts(sentences: Sequence[Sentence]) -> dict[str, tuple[int, ...]]:
    """Sentence numbers per STAR part from cue phrases (a sentence may carry several parts)."""
    parts: dict[str, list[int]] = {p: [] for p in PARTS}
    for s in sentences:
        for part, _ in cue_parts(s.text):
            parts[part].append(s.number)
    return {p: tuple(v) for p, v in parts.items()}


def blame_sentences(sentences: Sequence[Sentence]) -> tuple[int, ...]:
    return tuple(s.number for s in sentences if word_stats(_words(s.text)).blame)


def absolute_sentences(sentences: Sequence[Sentence]) -> tuple[int, ...]:
    return tuple(s.number for s in sentences if word_stats(_words(s.text)).absolutes)


def result_number(sentences: Sequence[Sentence], result: Sequence[int]) -> bool:
    """A number counts only inside a sentence that states the result (issue 13)."""
    return any(has_number(sentences[n - 1].text) for n in result if 1 <= n <= len(sentences))


def _short(text: str) -> str:
    words = text.split()
    return " ".join(words[:OUTLINE_WORDS]) + (" …" if len(words) > OUTLINE_WORDS else "")


def outline(
    sentences: Sequence[Sentence], parts: Mapping[str, Sequence[int]], with_number: bool
) -> tuple[str, ...]:
    """Four points in STAR order, each the user's own words or a [bracketed] gap to fill."""
    points = []
    for part in PARTS:
        numbers = parts.get(part, ())
        if not numbers:
            points.append(f"{_LABEL[part]}: {_MISSING[part]}")
            continue
        text = _short(sentences[numbers[0] - 1].text)
        if part == RESULT and not with_number:
            text += " [how much: time, money or people]"
        points.append(f"{_LABEL[part]}: {text}")
    return tuple(points)


def strengths(
    sentences: Sequence[Sentence], parts: Mapping[str, Sequence[int]], with_number: bool
) -> tuple[Point, ...]:
    found: list[Point] = []
    if with_number:
        n = next(n for n in parts[RESULT] if has_number(sentences[n - 1].text))
        found.append(Point("You ended with a measurable result.", n))
    mine = [n for n in parts[ACTION] if _I.search(sentences[n - 1].text.lower())]
    if mine:
        found.append(Point("You said what you did yourself.", mine[0]))
    return tuple(found)


def improvements(
    sentences: Sequence[Sentence],
    parts: Mapping[str, Sequence[int]],
    with_number: bool,
    blame: Sequence[int],
    absolutes: Sequence[int],
) -> tuple[Point, ...]:
    """The most important change first: blame, then the result, the action, absolutes."""
    found: list[Point] = []
    if blame:
        found.append(
            Point("Say what you did about the problem rather than who caused it.", blame[0])
        )
    if not parts[RESULT]:
        found.append(Point("End with what changed because of what you did."))
    elif not with_number:
        found.append(
            Point(
                "Put a number on the result: time saved, money, people or percent.",
                parts[RESULT][0],
            )
        )
    if not parts[ACTION]:
        found.append(Point("Say what you did yourself, step by step."))
    if absolutes:
        found.append(
            Point("Replace 'always' and 'never' with what actually happened.", absolutes[0])
        )
    return tuple(found)


def follow_up(transcript: str, with_number: bool, behavioural: bool) -> str:
    """The interviewer's probe for what the answer lacks (coach.core.followups' order)."""
    if behavioural and not with_number:
        return MEASURABLE_RESULT
    if len(transcript.split()) < MIN_WORDS:
        return TELL_ME_MORE
    if not has_example(transcript):
        return SPECIFIC_EXAMPLE
    return "What would you do differently if you faced that situation again?"


_BEHAVIOURAL = re.compile(
    r"\b(tell me about a time|describe a (time|situation|project)|give (me )?an example|"
    r"walk me through a time|have you ever|a time (when|you))\b",
    re.IGNORECASE,
)


def is_behavioural(question: str) -> bool:
    """A "tell me about a time…" question, which asks for a story with a result."""
    return bool(_BEHAVIOURAL.search(question))


def rules_feedback(
    question: str,
    transcript: str,
    words: Sequence[Mapping[str, Any]] = (),
    *,
    behavioural: bool | None = None,
    sentences: Sequence[Sentence] | None = None,
) -> ContentFeedback:
    """Content feedback from the rules alone; an answer without words is "not measured".

    `behavioural` (the bank's `star` flag) is guessed from the question's wording when None.
    The rules cannot compare an answer with its question, so `answered_question` stays None.
    """
    if behavioural is None:
        behavioural = is_behavioural(question)
    started = time.monotonic()
    sents = tuple(sentences if sentences is not None else split_sentences(transcript, words))
    if not sents:
        return ContentFeedback(ENGINE, None, sents, seconds=time.monotonic() - started)
    parts = star_parts(sents)
    with_number = result_number(sents, parts[RESULT])
    blame = blame_sentences(sents)
    absolutes = absolute_sentences(sents)
    return ContentFeedback(
        engine=ENGINE,
        model=None,
        sentences=sents,
        answered_question=None,
        parts=parts,
        result_has_number=with_number,
        blame=blame,
        absolutes=absolutes,
        strengths=strengths(sents, parts, with_number),
        improvements=improvements(sents, parts, with_number, blame, absolutes),
        outline=outline(sents, parts, with_number),
        follow_up=follow_up(transcript, with_number, behavioural),
        seconds=time.monotonic() - started,
    )
