"""Interview questions tailored to a job advert (and optionally a résumé), proposed by the model.

The model answers in a JSON schema (constrained decoding): at most 8 short strings. Each is
then validated (one question, ending in "?", 4–30 words) and compared with the bank: a proposal
whose tokens overlap an existing question's (Jaccard) or whose characters nearly match it
(difflib ratio) is marked as a near-duplicate, so the user does not add what the bank already
asks. Without a model nothing is invented: `propose_questions` needs an engine.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.content import llm_prompt
from coach.content.rules import is_behavioural
from coach.core.bank import Question

if TYPE_CHECKING:
    from coach.content.llm_engine import LlmEngine

MAX_QUESTIONS = 8
QUESTION_CHARS = 200
JOB_CHARS = 3500
RESUME_CHARS = 2500
TAILOR_TOKENS = 400
TAILOR_BUDGET_S = 90.0
"""Eight questions are a few hundred tokens: tens of seconds on a laptop; the user waits."""
JACCARD_NEAR = 0.5
RATIO_NEAR = 0.8
"""Near-duplicate thresholds, set by judgement (no published standard): half of the content
words shared, or 80 % of characters in matching blocks, is the same question reworded."""
_WORD = re.compile(r"[a-z0-9']+")
_STOP_WORDS = (
    "a an and are as at be can could did do does for from had has have how i if in is it me "
    "of on or our that the this to was we were what when where which who why will with would "
    "you your about tell describe give time"
)
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Proposal:
    """One proposed question; `duplicate_of` is the bank question it nearly repeats, or None."""

    text: str
    duplicate_of: str | None = None


def read_resume(path: Path) -> str:
    """A résumé's text from PDF (pypdf), DOCX (python-docx) or plain text (CoachError if not)."""
    from coach.core.jobdesc import read_job_description

    return read_job_description(path)


def tailor_schema() -> dict[str, Any]:
    item = {"type": "string", "minLength": 10, "maxLength": QUESTION_CHARS}
    questions = {"type": "array", "items": item, "minItems": 1, "maxItems": MAX_QUESTIONS}
    return {"type": "object", "properties": {"questions": questions}, "required": ["questions"]}


def tailor_messages(job: str, resume: str = "") -> list[dict[str, str]]:
    user = f"Job advert:\n{job.strip()[:JOB_CHARS]}\n\n"
    if resume.strip():
        user += f"Candidate's résumé:\n{resume.strip()[:RESUME_CHARS]}\n\n"
    user += (
        f"questions: up to {MAX_QUESTIONS} interview questions an interviewer for this job "
        "would ask this candidate, each one short question ending with a question mark, about "
        "the skills and duties in the advert" + (" and the résumé's experience." if resume else ".")
    )
    system = "You are an experienced interviewer preparing questions for one job."
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _tokens(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def near_duplicate(question: str, bank: Iterable[str]) -> str | None:
    """The bank question `question` nearly repeats (token Jaccard or difflib ratio), or None."""
    mine, low = _tokens(question), question.lower()
    for other in bank:
        theirs = _tokens(other)
        union = mine | theirs
        if union and len(mine & theirs) / len(union) >= JACCARD_NEAR:
            return other
        if difflib.SequenceMatcher(None, low, other.lower()).ratio() >= RATIO_NEAR:
            return other
    return None


def valid_questions(value: object, bank: Iterable[str]) -> list[Proposal]:
    """The model's list, each one validated, repeats dropped, near-duplicates of the bank named."""
    if not isinstance(value, list):
        return []
    bank = list(bank)
    out: list[Proposal] = []
    for item in value[:MAX_QUESTIONS]:
        text = llm_prompt.valid_question(item, "") if isinstance(item, str) else None
        if text is None or near_duplicate(text, [p.text for p in out]) is not None:
            continue
        out.append(Proposal(text, near_duplicate(text, bank)))
    return out


def propose_questions(
    engine: LlmEngine,
    job: str,
    bank: Iterable[str],
    resume: str = "",
    *,
    budget_s: float = TAILOR_BUDGET_S,
) -> list[Proposal]:
    """Up to 8 validated questions from the model; [] when it gave nothing usable in time.
    Raises LanguageModelError when the model cannot load."""
    result, _why = engine.generate(
        tailor_messages(job, resume), tailor_schema(), TAILOR_TOKENS, budget_s
    )
    reply = llm_prompt.parse_json(result["text"]) if result else None
    return valid_questions((reply or {}).get("questions"), bank)


def as_question(text: str, number: int) -> Question:
    """A ticked proposal as an interview question (a story question expects STAR)."""
    story = is_behavioural(text)
    return Question(
        id=f"tailored-{number}",
        text=text,
        category="behavioural" if story else "general",
        difficulty="medium",
        answer_seconds=120,
        listen_for=(),
        follow_ups=(),
        star=story,
        bank_id="tailored",
    )
