"""Question selection for the three postings, with the real built-in banks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from coach.core.bank import Bank, Question, load_builtin_banks
from coach.core.jobdesc import extract_key_terms, guess_roles
from coach.core.question_pick import NOT_ANSWERS, pick_questions, score_questions

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"
COUNT = 6


@pytest.fixture(scope="module")
def banks() -> list[Bank]:
    loaded, problems = load_builtin_banks()
    assert not [p for p in problems if p.severity == "error"]
    return loaded


def _pick(banks: list[Bank], name: str, seed: int = 0) -> list[Question]:
    text = (POSTINGS / name).read_text()
    terms = [t.text for t in extract_key_terms(text)]
    return pick_questions(
        banks, terms=terms, roles=guess_roles(text), count=COUNT, rng=random.Random(seed)
    )


@pytest.mark.parametrize(
    ("name", "role", "foreign"),
    [
        ("registered_nurse.txt", "healthcare", {"software", "sales", "teaching", "data"}),
        ("software_engineer.txt", "software", {"healthcare", "retail-hospitality", "teaching"}),
        ("retail_supervisor.txt", "retail-hospitality", {"software", "healthcare", "data"}),
    ],
)
def test_posting_gets_its_role_questions_and_some_general_ones(
    banks: list[Bank], name: str, role: str, foreign: set[str]
) -> None:
    picked = _pick(banks, name)
    assert len(picked) == COUNT
    assert len({q.id for q in picked}) == COUNT
    role_specific = [q for q in picked if role in q.roles]
    general = [q for q in picked if "any" in q.roles]
    assert len(role_specific) >= COUNT // 2, [q.id for q in picked]
    assert len(general) >= 1, [q.id for q in picked]
    for q in picked:
        assert not foreign & set(q.roles), q.id
        assert q.category not in NOT_ANSWERS


def test_general_and_motivation_questions_open_the_interview(banks: list[Bank]) -> None:
    order = {"general": 0, "motivation": 1, "career": 1}
    picked = _pick(banks, "registered_nurse.txt")
    ranks = [order.get(q.category, 2) for q in picked]
    assert ranks == sorted(ranks)


def test_job_terms_raise_matching_questions(banks: list[Bank]) -> None:
    questions = [q for b in banks for q in b.questions]
    scored = {
        s.question.id: s
        for s in score_questions(questions, terms=["till"], roles=["retail-hospitality"])
    }
    till = [s for s in scored.values() if "till" in s.matched_terms]
    assert till, "the retail pack has a question about a till that does not balance"
    assert all(s.score > 0 for s in till)
    assert all(not s.matched_terms for s in scored.values() if s not in till)
    # Other roles' packs are not offered at all.
    assert all({"any", "retail-hospitality"} & set(s.question.roles) for s in scored.values())
    assert any(s.role_match for s in scored.values())


def test_rng_varies_ties_but_stays_on_topic(banks: list[Bank]) -> None:
    runs = [tuple(q.id for q in _pick(banks, "registered_nurse.txt", seed)) for seed in range(6)]
    assert len(set(runs)) > 1
    assert all(sum(qid.startswith("healthcare") for qid in run) >= COUNT // 2 for run in runs)


def test_no_roles_and_small_counts(banks: list[Bank]) -> None:
    assert pick_questions(banks, terms=[], roles=[], count=0) == []
    one = pick_questions(banks, terms=["patient"], roles=["healthcare"], count=1)
    assert len(one) == 1
    generic = pick_questions(banks, terms=[], roles=[], count=4)
    assert len(generic) == 4 and all("any" in q.roles for q in generic)
    everything = pick_questions(banks, terms=[], roles=["healthcare"], count=10_000)
    assert len(everything) == len({q.id for q in everything})
