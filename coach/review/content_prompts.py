"""The content coach's findings as review prompts: quotes the user can hear, in the three sections.

Each chosen take may have a `.content.json` beside it (coach.content, saved after its analysis).
Its quotes are exact sentences of the transcript with their word times, so every quote becomes a
▶ moment. Every piece of evidence names the engine that produced it (the rules, or the language
model's file), because a small model and word rules can both be wrong.

Engaging ← a story with a result (and a number in it), the strongest sentence.
Too aggressive ← blame and absolutes.
Prepared ← answered the question asked (yes / partly / no), the STAR parts missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coach.content.star_cues import PARTS
from coach.review.measures import Answer
from coach.review.model import (
    AGGRESSIVE,
    ENGAGING,
    FIX,
    FLAG,
    GOOD,
    PREPARED,
    STRENGTH,
    WATCH,
    Evidence,
    Moment,
    Prompt,
)

Contents = Mapping[tuple[int, int], Mapping[str, Any]]

SUPERSEDED = ("engaging.numbers", "aggressive.absolutes", "aggressive.blame", "prepared.star")
"""Word-list prompts that the content coach answers better; dropped when every answer has it."""
ANSWERED_BAND = {"yes": GOOD, "partly": WATCH, "no": FLAG}
ANSWERED_TEXT = {
    "yes": "answered the question asked",
    "partly": "partly answered the question asked",
    "no": "did not answer the question asked",
}


def engine_name(content: Mapping[str, Any]) -> str:
    """"the built-in rules" or "the language model qwen2.5-….gguf": shown on every finding."""
    if content.get("engine") == "llm" and content.get("model"):
        return f"the language model {content['model']}"
    return "the built-in rules"


def _moments(x: Answer, content: Mapping[str, Any], quotes: Sequence[str]) -> tuple[Moment, ...]:
    """One ▶ moment per quote, from its sentence's word times (none when times are missing)."""
    times = {
        str(s.get("text")): (s.get("start_s"), s.get("end_s"))
        for s in content.get("sentences") or ()
    }
    out = []
    for quote in quotes:
        start, end = times.get(quote, (None, None))
        if start is not None:
            out.append(x.moment(float(start), None if end is None else float(end), f"“{quote}”"))
    return tuple(out)


def _evidence(
    x: Answer,
    content: Mapping[str, Any],
    metric: str,
    label: str,
    band: str,
    band_text: str,
    reason: str,
    quotes: Sequence[str] = (),
) -> Evidence:
    moments = _moments(x, content, quotes)
    untimed = [q for q in quotes if f"“{q}”" not in {m.label for m in moments}]
    heard = "".join(f" “{q}”" for q in untimed)
    if not heard and reason.endswith(":"):  # the quotes are on the ▶ moments below
        reason = reason[:-1] + " (play it below)."
    return Evidence(
        metric, label, None, "", band, band_text,
        f"{reason}{heard} (from {engine_name(content)})", moments, x.qi, x.ti,
    )  # fmt: skip


def _pairs(answers: Sequence[Answer], contents: Contents) -> list[tuple[Answer, Mapping[str, Any]]]:
    return [
        (x, c)
        for x in answers
        if (c := contents.get((x.qi, x.ti))) is not None and c.get("measured", True)
    ]


def _result_prompt(pairs: Sequence[tuple[Answer, Mapping[str, Any]]]) -> Prompt | None:
    evidence = []
    for x, c in pairs:
        results = list(c.get("parts", {}).get("result") or ())
        if results and c.get("result_has_number"):
            evidence.append(_evidence(x, c, "content.result", "Story result", GOOD,
                                      "a result with a number", "It ends with a measurable "
                                      "result:", results[-1:]))  # fmt: skip
        elif results:
            evidence.append(_evidence(x, c, "content.result", "Story result", WATCH,
                                      "a result without a number", "The result has no figure "
                                      "(time, money, people, percent):", results[-1:]))  # fmt: skip
        elif x.question.star or any(c.get("parts", {}).get(p) for p in PARTS):
            evidence.append(_evidence(x, c, "content.result", "Story result", FLAG,
                                      "no result", "The story stops before saying what "
                                      "changed."))  # fmt: skip
    if not evidence:
        return None
    fixes = [e for e in evidence if e.band != GOOD]
    if not fixes:
        return Prompt("content.result", "Your stories end with a result that has a number.",
                      STRENGTH, tuple(evidence))  # fmt: skip
    return Prompt("content.result", "End each story with what changed, with a number.", FIX,
                  tuple(fixes), severity=float(len(fixes)))  # fmt: skip


def _strongest_prompt(pairs: Sequence[tuple[Answer, Mapping[str, Any]]]) -> Prompt | None:
    evidence = []
    for x, c in pairs:
        best = next((s for s in c.get("strengths") or () if s.get("quote")), None)
        if best is not None:
            evidence.append(_evidence(x, c, "content.strongest", "Strongest sentence",
                                      GOOD, "keep this", str(best.get("text") or "Strong:"),
                                      [str(best["quote"])]))  # fmt: skip
    if not evidence:
        return None
    return Prompt("content.strongest", "Your strongest sentences: say more like these.", STRENGTH,
                  tuple(evidence))  # fmt: skip


def _quotes_prompt(
    pairs: Sequence[tuple[Answer, Mapping[str, Any]]], key: str, fix: str, good: str, what: str
) -> Prompt | None:
    if not pairs:
        return None
    evidence = [
        _evidence(x, c, f"content.{key}", what.capitalize(), WATCH,
                  f"{len(c[key])} sentence{'s' if len(c[key]) != 1 else ''}",
                  f"Sentences with {what}:", list(c[key]))
        for x, c in pairs if c.get(key)
    ]  # fmt: skip
    if not evidence:
        names = ", ".join(x.name for x, _ in pairs)
        engines = ", ".join(dict.fromkeys(engine_name(c) for _, c in pairs))
        return Prompt(f"content.{key}", good, STRENGTH, (Evidence(
            f"content.{key}", what.capitalize(), None, "", GOOD, "none found",
            f"None in {names} (from {engines}).",
        ),))  # fmt: skip
    return Prompt(f"content.{key}", fix, FIX, tuple(evidence), severity=float(len(evidence)))


def _answered_prompt(pairs: Sequence[tuple[Answer, Mapping[str, Any]]]) -> Prompt | None:
    evidence = [
        _evidence(x, c, "content.answered", "The question asked",
                  ANSWERED_BAND[c["answered_question"]], c["answered_question"],
                  f"The answer {ANSWERED_TEXT[c['answered_question']]}.")
        for x, c in pairs if c.get("answered_question") in ANSWERED_BAND
    ]  # fmt: skip
    if not evidence:
        return None
    fixes = [e for e in evidence if e.band != GOOD]
    if not fixes:
        return Prompt("content.answered", "You answered the question asked.", STRENGTH,
                      tuple(evidence))  # fmt: skip
    return Prompt("content.answered", "Answer the question that was asked, first.", FIX,
                  tuple(fixes), severity=2.0 * len(fixes))  # fmt: skip


def _star_prompt(pairs: Sequence[tuple[Answer, Mapping[str, Any]]]) -> Prompt | None:
    evidence = []
    for x, c in pairs:
        parts = c.get("parts") or {}
        if not (x.question.star or any(parts.get(p) for p in PARTS)):
            continue  # not a story question and no story told: STAR does not apply
        missing = [p for p in PARTS if not parts.get(p)]
        if missing:
            gap = " or ".join(missing)
            evidence.append(_evidence(x, c, "content.star", "STAR parts", WATCH,
                                      "missing: " + ", ".join(missing),
                                      f"No sentence gives the {gap}."))  # fmt: skip
        else:
            evidence.append(_evidence(x, c, "content.star", "STAR parts", GOOD,
                                      "all four", "Situation, task, action and result are all "
                                      "there."))  # fmt: skip
    if not evidence:
        return None
    fixes = [e for e in evidence if e.band != GOOD]
    if not fixes:
        return Prompt("content.star", "Your stories have all four STAR parts.", STRENGTH,
                      tuple(evidence))  # fmt: skip
    return Prompt("content.star", "Tell the whole story: situation, task, action, result.", FIX,
                  tuple(fixes), severity=float(len(fixes)))  # fmt: skip


def content_prompts(answers: Sequence[Answer], contents: Contents) -> dict[str, list[Prompt]]:
    """Section heading -> the content prompts for it (empty lists without content feedback)."""
    pairs = _pairs(answers, contents)
    found: dict[str, list[Prompt | None]] = {
        ENGAGING: [_result_prompt(pairs), _strongest_prompt(pairs)],
        AGGRESSIVE: [
            _quotes_prompt(pairs, "blame", "Own the story: these sentences put the blame on "
                           "others.", "No blame of others in what you said.", "blame"),
            _quotes_prompt(pairs, "absolutes", "Swap absolutes (always, never) for facts.",
                           "No sweeping absolutes in what you said.", "absolutes"),
        ],
        PREPARED: [_answered_prompt(pairs), _star_prompt(pairs)],
    }  # fmt: skip
    return {heading: [p for p in prompts if p is not None] for heading, prompts in found.items()}


def covers_all(answers: Sequence[Answer], contents: Contents) -> bool:
    """Every chosen answer has content feedback: the word-list prompts it supersedes can go."""
    return bool(answers) and all((x.qi, x.ti) in contents for x in answers)
