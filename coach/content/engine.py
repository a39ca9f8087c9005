"""One call for one answer's content feedback, whichever engine the user has."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coach.content.feedback import ContentFeedback
from coach.content.llm_engine import FEEDBACK_BUDGET_S, LlmEngine
from coach.content.rules import rules_feedback


def content_feedback(
    question: str,
    transcript: str,
    words: Sequence[Mapping[str, Any]] = (),
    *,
    llm: LlmEngine | None = None,
    budget_s: float = FEEDBACK_BUDGET_S,
    behavioural: bool | None = None,
) -> ContentFeedback:
    """The model's feedback when `llm` is given (rules for what it gets wrong), else the rules'."""
    if llm is None:
        return rules_feedback(question, transcript, words, behavioural=behavioural)
    return llm.feedback(question, transcript, words, budget_s=budget_s, behavioural=behavioural)
