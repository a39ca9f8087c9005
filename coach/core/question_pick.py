"""Choose the questions that fit one job: role-pack questions plus a few general ones.

A question earns points for each job term whose words it uses (in its text, which counts more,
or in what the interviewer listens for) and for being tagged with a role the posting suggests
(the first role counts most). Questions tagged only for other roles are never picked, and about
a third of the interview is always general / behavioural, because every real interview mixes
"tell me about yourself" and teamwork stories with the role's technical questions.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from coach.core.bank import Bank, Question
from coach.core.coverage import concepts, term_concepts, term_matched

TEXT_MATCH_POINTS = 2.0
LISTEN_MATCH_POINTS = 1.0
ROLE_MATCH_POINTS = 3.0
GENERAL_SHARE = 1 / 3
"""Share of the interview kept for general/behavioural questions tagged "any"."""
GENERAL_CATEGORIES = frozenset({"general", "behavioural", "situational", "motivation", "career"})
NOT_ANSWERS = frozenset({"candidate-questions", "closing"})
"""Questions the candidate asks, or the wrap-up: not practised as answers here."""
_CATEGORY_ORDER = {"general": 0, "motivation": 1, "career": 1}


@dataclass(frozen=True)
class ScoredQuestion:
    """A question with why it was chosen, so the UI can explain the pick."""

    question: Question
    score: float
    matched_terms: tuple[str, ...]
    role_match: bool


def score_questions(
    questions: Sequence[Question], *, terms: Sequence[str], roles: Sequence[str]
) -> list[ScoredQuestion]:
    """Every question that suits the roles, scored; input order kept."""
    wanted = [r for r in roles if r != "any"]
    term_keys = [(t, term_concepts(t)) for t in terms if t.strip()]
    scored = []
    for question in questions:
        if question.category in NOT_ANSWERS:
            continue
        role_rank = next((i for i, r in enumerate(wanted) if r in question.roles), None)
        if role_rank is None and "any" not in question.roles:
            continue
        text_keys = set(concepts(question.text))
        listen_keys = set(concepts(" ".join(question.listen_for)))
        score = 0.0
        matched = []
        for term, keys in term_keys:
            if term_matched(keys, text_keys):
                score += TEXT_MATCH_POINTS
                matched.append(term)
            elif term_matched(keys, listen_keys):
                score += LISTEN_MATCH_POINTS
                matched.append(term)
        if role_rank is not None:
            score += ROLE_MATCH_POINTS / (1 + role_rank)
        scored.append(ScoredQuestion(question, score, tuple(matched), role_rank is not None))
    return scored


def pick_questions(
    banks: Sequence[Bank],
    *,
    terms: Sequence[str],
    roles: Sequence[str],
    count: int,
    rng: random.Random | None = None,
) -> list[Question]:
    """Up to `count` questions for this job, opening questions first.

    Role-matched questions fill two thirds of the slots by score; general/behavioural ones
    tagged "any" fill the rest (also by score, so "tell me about a time you resolved a customer
    complaint" beats an unrelated story). Without roles, every slot is filled by score from the
    general questions. `rng` breaks ties between equal scores (None: bank order), so practising
    the same posting twice can give a different but equally fitting set.
    """
    if count <= 0:
        return []
    all_questions = [q for bank in banks for q in bank.questions]
    scored = score_questions(all_questions, terms=terms, roles=roles)
    if rng is not None:
        rng.shuffle(scored)
    scored.sort(key=lambda s: -s.score)  # stable: ties keep the (shuffled) order

    role_pool = [s for s in scored if s.role_match]
    general_pool = [
        s
        for s in scored
        if not s.role_match
        and "any" in s.question.roles
        and s.question.category in GENERAL_CATEGORIES
    ]
    general_slots = max(1, round(count * GENERAL_SHARE)) if role_pool and count > 1 else count
    chosen = (
        general_pool[:general_slots] + role_pool[: count - min(general_slots, len(general_pool))]
    )
    if len(chosen) < count:  # too few of one kind: top up from anything that suits the roles
        taken = {s.question.id for s in chosen}
        chosen += [s for s in scored if s.question.id not in taken][: count - len(chosen)]
    chosen = chosen[:count]
    chosen.sort(key=lambda s: _CATEGORY_ORDER.get(s.question.category, 2))
    return [s.question for s in chosen]
