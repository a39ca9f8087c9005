"""Which follow-up the interviewer asks: one small swappable policy.

A `FollowUpPolicy` is any callable `(question, analysis or None) -> text or None`. Today's
rules (coach.core.followups.choose_follow_up) are the default; a content engine (for example a
local language model) plugs in through `WithFallback`, which gives it a time budget and falls
back to the rules when it is slow, fails or is unavailable. The session runs the policy on the
executor's "content" lane, so a slow engine never blocks the window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coach.core.bank import Question

if TYPE_CHECKING:
    from coach.analysis.results import AnswerAnalysis

log = logging.getLogger(__name__)

FollowUpPolicy = Callable[[Question, "AnswerAnalysis | None"], "str | None"]
ANALYSIS_WAIT_S = 20.0  # how long the "interviewer" waits for the answer's analysis


def rules_follow_up(question: Question, analysis: AnswerAnalysis | None) -> str | None:
    """Today's rules: ask for what the answer lacked, else the question's own follow-up."""
    from coach.core.followups import choose_follow_up

    return choose_follow_up(question, analysis)


def parse_analysis(data: dict[str, Any] | None) -> AnswerAnalysis | None:
    from coach.analysis.results import AnswerAnalysis

    return AnswerAnalysis.from_dict(data) if data else None


class WithFallback:
    """Ask `primary` (e.g. a content engine) with a time budget; use `fallback` if it fails.

    The primary runs on its own daemon thread so a hung engine costs at most `timeout_s`.
    Its None means "no follow-up"; an exception or the timeout means "ask the fallback".
    """

    def __init__(
        self,
        primary: FollowUpPolicy,
        timeout_s: float = 8.0,
        fallback: FollowUpPolicy = rules_follow_up,
    ) -> None:
        self.primary, self.timeout_s, self.fallback = primary, timeout_s, fallback

    def __call__(self, question: Question, analysis: AnswerAnalysis | None) -> str | None:
        outcome: list[str | None] = []

        def ask() -> None:
            try:
                outcome.append(self.primary(question, analysis))
            except Exception:  # any engine failure means: use the rules
                log.warning("The follow-up engine failed; using the rules", exc_info=True)

        worker = threading.Thread(target=ask, name="follow-up-engine", daemon=True)
        worker.start()
        worker.join(self.timeout_s)
        if outcome:
            return outcome[0]
        if worker.is_alive():
            log.warning("The follow-up engine took over %.0f s; using the rules", self.timeout_s)
        return self.fallback(question, analysis)
