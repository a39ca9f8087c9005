"""STAR cue phrases and number detection: the word rules behind the rules engine and the review.

Moved here from coach/review/star.py so the content engine (below review) can use them; the
review imports them back. Keyword-only STAR scoring under-rates natural answers (InterviewAI's
STAR_SCORING_FIX, feedback-science §7), so the cues include natural phrasings and a sentence may
carry several parts. Fixed false positives (issue 13): a bare number or "percent" no longer makes
a sentence a result (the number has to sit in a sentence that says what changed), and the filler
"oh" is not a number.
"""

from __future__ import annotations

import re

from coach.analysis.lexicon import QUANTITY_WORDS

SITUATION = "situation"
TASK = "task"
ACTION = "action"
RESULT = "result"
PARTS = (SITUATION, TASK, ACTION, RESULT)

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
        r"\blearned\b",
        # a change stated with its size: "went from 18 to 27", "dropped by a third"
        r"\b(went|grew|rose|fell|dropped|increased|decreased|reduced|improved|saved|cut|"
        r"doubled|halved) (from|by|to)\b",
        r"\b(less|fewer|more|lower|higher|faster|slower) than (before|last|it was)\b",
    ),
}
_COMPILED = {part: tuple(re.compile(p) for p in pats) for part, pats in _CUES.items()}
_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, punctuation (but % and ') turned into spaces."""
    return re.sub(r"[^\w%' ]+", " ", text.lower().replace("’", "'")).strip()


def cue_parts(text: str) -> list[tuple[str, str]]:
    """(part, cue phrase) for each STAR part whose cues occur in `text`, in STAR order."""
    norm = normalise(text)
    found: list[tuple[str, str]] = []
    for part in PARTS:
        for rx in _COMPILED[part]:
            m = rx.search(norm)
            if m:
                found.append((part, m.group(0).strip()))
                break
    return found


def has_number(text: str) -> bool:
    """Digits, number words or quantity words ("half", "twice", "percent"); not "oh" or "one".

    A lone "one" is mostly a pronoun ("one of the things"); "oh" is a filler far more often
    than a zero in an interview answer.
    """
    if _DIGIT.search(text):
        return True
    tokens = normalise(text).split()
    return any(t in QUANTITY_WORDS and t != "one" for t in tokens)
