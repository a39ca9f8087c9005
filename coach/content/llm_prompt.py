"""What the language model is asked, the JSON schema its output must fit, and the checks after.

The schema is enforced by llama.cpp's grammar (constrained decoding): sentence numbers are
integer enums over the answer's own sentences, "answered the question" is an enum, free text is
short. The grammar guarantees shape, not sense, so `merge_reply` checks every field again and
takes the rules engine's value for any field that fails; `fallbacks` names those fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from coach.analysis.wer import normalize_text
from coach.content.feedback import ANSWERED, ContentFeedback, Point
from coach.content.rules import result_number
from coach.content.sentences import Sentence, numbered_text
from coach.content.star_cues import PARTS

NUMBER_LISTS = (*PARTS, "blame", "absolutes")
MAX_PICKS = 8
STRENGTH_CHARS = 160
IMPROVEMENT_CHARS = 200
OUTLINE_CHARS = 120
FOLLOW_UP_CHARS = 160
FOLLOW_UP_WORDS = (4, 30)
FEEDBACK_FIELDS = (
    "answered_question",
    *NUMBER_LISTS,
    "strengths",
    "improvements",
    "outline",
    "follow_up",
)

SYSTEM = (
    "You are an experienced job interviewer reviewing a candidate's spoken answer. The answer "
    "is given as numbered sentences. Reply only with JSON. Refer to sentences only by their "
    "numbers. Never invent facts: in the outline reuse the candidate's own facts and write what "
    "is missing in square brackets, such as [how much time it saved]."
)
_FIELDS_HELP = (
    "Fields: answered_question: did the answer address the question asked (yes, partly, no). "
    "situation, task, action, result: sentence numbers of each STAR part (action = what the "
    "candidate did personally; result = the outcome). blame: sentences blaming other people. "
    "absolutes: sentences with always/never/everyone-style exaggeration. strongest_sentence and "
    "strength: the best sentence and why in one short sentence. weakest_sentence and "
    "improvement: the sentence to improve and one concrete change. outline: 3 or 4 short "
    "points, a better order for the same story. follow_up: the one question a real interviewer "
    "would ask next, ending with a question mark."
)


def _text(max_chars: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 3, "maxLength": max_chars}


def _numbers(count: int) -> dict[str, Any]:
    item = {"type": "integer", "enum": list(range(1, count + 1))}
    return {"type": "array", "items": item, "maxItems": min(count, MAX_PICKS)}


def feedback_schema(count: int) -> dict[str, Any]:
    """The JSON schema for an answer of `count` sentences (count >= 1)."""
    number = {"type": "integer", "enum": list(range(1, count + 1))}
    props: dict[str, Any] = {"answered_question": {"type": "string", "enum": list(ANSWERED)}}
    props.update({name: _numbers(count) for name in NUMBER_LISTS})
    props.update(
        strongest_sentence=number,
        strength=_text(STRENGTH_CHARS),
        weakest_sentence=number,
        improvement=_text(IMPROVEMENT_CHARS),
        outline={"type": "array", "items": _text(OUTLINE_CHARS), "minItems": 3, "maxItems": 4},
        follow_up=_text(FOLLOW_UP_CHARS),
    )
    return {"type": "object", "properties": props, "required": list(props)}


def follow_up_schema() -> dict[str, Any]:
    props = {"follow_up": _text(FOLLOW_UP_CHARS)}
    return {"type": "object", "properties": props, "required": list(props)}


def feedback_messages(question: str, sentences: Sequence[Sentence]) -> list[dict[str, str]]:
    user = (
        f"Interview question: {question.strip()}\n\nAnswer:\n{numbered_text(sentences)}\n\n"
        f"{_FIELDS_HELP}"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def follow_up_messages(question: str, sentences: Sequence[Sentence]) -> list[dict[str, str]]:
    user = (
        f"Interview question: {question.strip()}\n\nAnswer:\n{numbered_text(sentences)}\n\n"
        "follow_up: the one question a real interviewer would ask next about this answer, "
        "probing what it left out, ending with a question mark."
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


_DIGITS = re.compile(r"\d[\d,.]*")


def valid_text(value: object, max_chars: int, transcript: str) -> str | None:
    """The stripped text if it is one short line whose figures all occur in the answer."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not 3 <= len(text) <= max_chars or len(text.split()) < 2:
        return None
    return None if _invented_figures(text, transcript) else text


def _invented_figures(text: str, transcript: str) -> list[str]:
    """Figures in `text` that the answer never said ("80" matches "eighty", "1,200" "1200")."""
    said = set(normalize_text(transcript))
    figures = [d.rstrip(".,").replace(",", "") for d in _DIGITS.findall(text)]
    return [f for f in figures if f not in said and f not in transcript]


def valid_question(value: object, transcript: str) -> str | None:
    """One question: a short line ending in '?' with no other '?' and 4-30 words."""
    text = valid_text(value, FOLLOW_UP_CHARS, transcript)
    if text is None or not text.endswith("?") or text.count("?") != 1:
        return None
    low, high = FOLLOW_UP_WORDS
    return text if low <= len(text.split()) <= high else None


def valid_numbers(value: object, count: int) -> tuple[int, ...] | None:
    if not isinstance(value, list) or len(value) > MAX_PICKS:
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= count for n in value):
        return None
    return tuple(sorted(set(value)))


def _number(value: object, count: int) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= count
    return value if ok else None  # type: ignore[return-value]


def parse_json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return None
    return value if isinstance(value, dict) else None


def merge_reply(
    reply: dict[str, Any] | None, rules: ContentFeedback, transcript: str, model: str
) -> ContentFeedback:
    """The model's fields that pass every check; the rules engine's value for the rest."""
    count = len(rules.sentences)
    got = reply or {}
    fallbacks: list[str] = []
    answered = got.get("answered_question")
    if answered not in ANSWERED:
        answered = rules.answered_question
        fallbacks.append("answered_question")
    lists: dict[str, tuple[int, ...]] = {}
    for name in NUMBER_LISTS:
        picked = valid_numbers(got.get(name), count)
        if picked is None:
            fallbacks.append(name)
            picked = rules.parts[name] if name in PARTS else getattr(rules, name)
        lists[name] = picked
    strengths = _point(got, "strongest_sentence", "strength", STRENGTH_CHARS, count, transcript)
    if strengths is None:
        fallbacks.append("strengths")
    improvements = _point(
        got, "weakest_sentence", "improvement", IMPROVEMENT_CHARS, count, transcript
    )
    if improvements is None:
        fallbacks.append("improvements")
    outline = _outline(got.get("outline"), transcript)
    if outline is None:
        fallbacks.append("outline")
    follow_up = valid_question(got.get("follow_up"), transcript)
    if follow_up is None:
        fallbacks.append("follow_up")
    parts = {p: lists[p] for p in PARTS}
    return replace(
        rules,
        engine="llm",
        model=model,
        answered_question=answered,
        parts=parts,
        result_has_number=result_number(rules.sentences, parts[PARTS[3]]),
        blame=lists["blame"],
        absolutes=lists["absolutes"],
        strengths=rules.strengths if strengths is None else strengths,
        improvements=rules.improvements if improvements is None else improvements,
        outline=rules.outline if outline is None else outline,
        follow_up=rules.follow_up if follow_up is None else follow_up,
        fallbacks=tuple(fallbacks),
    )


def _point(
    got: dict[str, Any], number_key: str, text_key: str, max_chars: int, count: int, transcript: str
) -> tuple[Point, ...] | None:
    number = _number(got.get(number_key), count)
    text = valid_text(got.get(text_key), max_chars, transcript)
    return None if number is None or text is None else (Point(text, number),)


def _outline(value: object, transcript: str) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not 3 <= len(value) <= 4:
        return None
    points = [valid_text(v, OUTLINE_CHARS, transcript) for v in value]
    return None if any(p is None for p in points) else tuple(p for p in points if p)
