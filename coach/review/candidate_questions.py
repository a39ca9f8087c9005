""" "Do you have any questions for me?": the candidate's answer, read for preparation.

Interviewers end with this question and treat the answer as a test of preparation: questions
about the role, the team or the company show research and interest, while "No, I think you've
covered everything" is the classic gap named in every interview guide (feedback-science.md,
failure-mode table: "unprepared"). The hands-free interviewer asks it last and records the
answer as a question of the category "candidate-questions"; this prompt reads its transcript.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.review.measures import Answer
from coach.review.model import FIX, FLAG, GOOD, NOT_MEASURED, NOTE, STRENGTH, Evidence, Prompt

CATEGORY = "candidate-questions"
TOPICS: dict[str, tuple[str, ...]] = {
    "the role": (
        "role", "position", "job", "responsibilit", "day to day", "typical day", "typical week",
        "expect", "success", "first few months", "first 90", "first ninety", "onboarding",
        "training", "project", "challenge", "goals", "measure", "career", "progression",
    ),
    "the team": (
        "team", "manager", "colleague", "work with", "report to", "reporting", "culture",
        "people", "collaborat", "who would i",
    ),
    "the company": (
        "company", "organisation", "organization", "business", "product", "customer",
        "strategy", "growth", "future", "department", "mission", "values", "plans", "next steps",
    ),
}  # fmt: skip
NO_QUESTIONS = re.compile(
    r"\b(no|nope|none|nothing|not really|not at the moment|don't have any|do not have any|"
    r"no questions|covered (it|everything)|i'm good|i think that's (it|all))\b"
)
REASON = (
    "Interviewers close by inviting questions and read the answer as preparation: asking about "
    "the role, the team or the company shows research; having none is the classic gap."
)


def topics_asked(transcript: str) -> list[str]:
    """Which of the role / the team / the company the candidate's questions touch."""
    text = " " + re.sub(r"[^a-z' ]+", " ", transcript.lower()) + " "
    text = " ".join(text.split())
    return [topic for topic, words in TOPICS.items() if any(w in text for w in words)]


def says_none(transcript: str) -> bool:
    t = transcript.lower().strip()
    return not t or (len(t.split()) <= 15 and NO_QUESTIONS.search(t) is not None)


def questions_for_them_prompt(answers: Sequence[Answer]) -> Prompt | None:
    """The prompt for the closing question's answer; None when it was not asked."""
    closing = [x for x in answers if x.question.category == CATEGORY]
    if not closing:
        return None
    x = closing[-1]
    a = x.analysis
    transcript = a.transcript.strip()
    moments = (x.whole("your questions"),)

    def evidence(value: float | None, band: str, text: str) -> Evidence:
        return Evidence("closing_questions", "Your questions for the interviewer", value,
                        "topics", band, text, REASON, moments, x.qi, x.ti)  # fmt: skip

    no_transcript = a.engine == "none" or a.low_accuracy or (not transcript and a.voiced_s >= 1)
    if no_transcript:
        ev = evidence(None, NOT_MEASURED, "no reliable transcript of this answer")
        return Prompt("prepared.questions_for_them",
                      "Replay your answer to “Do you have any questions for me?”: did you ask "
                      "about the role, the team or the company?", NOTE, (ev,), reliable=False,
                      note="Needs speech recognition (Settings → Speech recognition).")  # fmt: skip
    topics = topics_asked(transcript)
    if topics:
        ev = evidence(float(len(topics)), GOOD, "asked about " + ", ".join(topics))
        return Prompt("prepared.questions_for_them",
                      f"You had questions for the interviewer, about {' and '.join(topics)}: "
                      "that shows preparation.", STRENGTH, (ev,))  # fmt: skip
    if says_none(transcript):
        ev = evidence(0.0, FLAG, "no questions")
        return Prompt("prepared.questions_for_them",
                      "You had no questions for the interviewer, the classic gap. Prepare two or "
                      "three about the role, the team or the company.",
                      FIX, (ev,), 1.0)  # fmt: skip
    ev = evidence(0.0, FLAG, "no question about the role, the team or the company")
    return Prompt("prepared.questions_for_them",
                  "Your questions for the interviewer did not touch the role, the team or the "
                  "company; those are the ones that show you prepared.",
                  FIX, (ev,), 0.5)  # fmt: skip
