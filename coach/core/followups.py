"""The interviewer's follow-up question after an answer, and the Practice / Realistic modes.

Real interviewers probe what an answer lacked: a result with a number, enough detail, a concrete
example. These rules read the answer's analysis (coach.analysis.results.AnswerAnalysis) and ask
for what is missing first, in the order a STAR coach would (feedback-science.md §6-§7: "check
for a quantified result"); a complete answer gets the question's own first follow-up.

Decision for silent answers: when the answer has no speech (or no recognised words although a
recogniser ran), the interviewer says RETRY_PROMPT rather than nothing, because in a realistic
interview silence is met with encouragement, and the UI can show it like any follow-up.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from coach.core.bank import Question
from coach.core.settings import InterviewSettings

if TYPE_CHECKING:  # the analysis package pulls in numpy; core only needs the type
    from coach.analysis.results import AnswerAnalysis

MEASURABLE_RESULT = "What was the measurable result?"
TELL_ME_MORE = "Can you tell me more about your role in that?"
SPECIFIC_EXAMPLE = "Can you give me a specific example?"
RETRY_PROMPT = "Take your time. Could you try answering that again?"

MIN_WORDS = 40
"""Fewer words than this is a thin answer (about 20 s at a typical 120-165 WPM)."""
MIN_SPEECH_S = 20.0
"""feedback-science.md §10: an answer under 20 s is thin (except a short intro)."""
MIN_SPEECH_FOR_ANY_ANSWER_S = 1.0
"""Less voiced speech than this is treated as no answer at all."""
MIN_PAST_TENSE_VERBS = 3
"""A minimal story has a situation, an action and a result: three past-tense verbs."""

EXAMPLE_CUES = re.compile(
    r"\b(when i|for example|for instance|at my (last|previous|current) (job|role|company|work)|"
    r"in my (last|previous|current) (job|role|position)|one time|there was a time|"
    r"i remember|last (year|month|week)|a few (years|months) ago|once i)\b"
)
_IRREGULAR_PAST_TEXT = """
    was were had did made went took said told came got gave led ran found saw knew thought felt
    began brought built chose drove fell kept left lost meant met paid put sat sent set spent
    stood taught understood won wrote became caught held heard hurt sold spoke
    """
_IRREGULAR_PAST = frozenset(_IRREGULAR_PAST_TEXT.split())
_NOT_PAST_ED = frozenset({"need", "speed", "feed", "seed", "bed", "red", "shed", "hundred"})
_WORD = re.compile(r"[a-z']+")

MODES = ("practice", "realistic")
REALISTIC_THINK_S = 30
REALISTIC_SOFT_LIMIT_S = 120
REALISTIC_HARD_LIMIT_S = 180
"""feedback-science.md §6: 30 s think, warning at 2:00, recording stops at 3:00."""


def past_tense_count(transcript: str) -> int:
    """Rough count of past-tense verbs: regular -ed forms and common irregular ones."""
    count = 0
    for word in _WORD.findall(transcript.lower()):
        if word in _IRREGULAR_PAST or (
            len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST_ED
        ):
            count += 1
    return count


def has_example(transcript: str) -> bool:
    """True when the answer tells a concrete story: an example cue or a past-tense narrative."""
    text = " ".join(_WORD.findall(transcript.lower()))
    return bool(EXAMPLE_CUES.search(text)) or past_tense_count(text) >= MIN_PAST_TENSE_VERBS


def _is_silent(analysis: AnswerAnalysis) -> bool:
    if analysis.speech_s < MIN_SPEECH_FOR_ANY_ANSWER_S:
        return True
    recogniser_ran = analysis.engine != "none" and analysis.word_count is not None
    return recogniser_ran and analysis.word_count == 0


def choose_follow_up(question: Question, analysis: AnswerAnalysis | None) -> str | None:
    """The one follow-up to ask after this answer, or None when the question has none.

    Rules, first match wins:
    1. no speech / no words recognised -> RETRY_PROMPT;
    2. a STAR question answered without any number -> MEASURABLE_RESULT;
    3. under MIN_WORDS words or MIN_SPEECH_S of speech -> TELL_ME_MORE;
    4. no example cue and no past-tense narrative -> SPECIFIC_EXAMPLE;
    5. otherwise the question's own first follow-up.
    Without an analysis (not analysed yet) or without a transcript (engine "none"), only the
    rules that need no words apply. A low-accuracy transcript is still used: a follow-up is a
    prompt to say more, not a score, so a misheard number costs one extra question at most.
    """
    own = question.follow_ups[0] if question.follow_ups else None
    if analysis is None:
        return own
    if _is_silent(analysis):
        return RETRY_PROMPT
    has_words = analysis.engine != "none" and analysis.word_count is not None
    if has_words and question.star and not analysis.numbers:
        return MEASURABLE_RESULT
    if analysis.speech_s < MIN_SPEECH_S or (has_words and (analysis.word_count or 0) < MIN_WORDS):
        return TELL_ME_MORE
    if has_words and not has_example(analysis.transcript):
        return SPECIFIC_EXAMPLE
    return own


def mode_settings(mode: str, base: InterviewSettings) -> InterviewSettings:
    """`base` adjusted for an interview mode.

    "practice": retakes allowed, question text shown, the user's own follow-up choice kept.
    "realistic": one take (`retakes_allowed` is False), text hidden, follow-ups on, 30 s think
    time and the answer limits capped at 2:00 warning / 3:00 hard stop (a stricter limit the user
    chose is kept). Raises ValueError for an unknown mode (a programming error, not user input).
    """
    if mode == "practice":
        return dataclasses.replace(base, mode="practice", show_text=True)
    if mode == "realistic":
        return dataclasses.replace(
            base,
            mode="realistic",
            show_text=False,
            follow_ups=True,
            think_time_s=REALISTIC_THINK_S,
            soft_limit_s=min(base.soft_limit_s, REALISTIC_SOFT_LIMIT_S),
            hard_limit_s=min(base.hard_limit_s, REALISTIC_HARD_LIMIT_S),
        )
    raise ValueError(f"unknown interview mode {mode!r}; expected one of {MODES}")


def retakes_allowed(settings: InterviewSettings) -> bool:
    """Realistic interviews allow one take per question, as one-way interview platforms do."""
    return settings.mode != "realistic"
