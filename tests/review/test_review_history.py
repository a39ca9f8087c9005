"""Loading: previous session by date, comparisons, checklist round trip, job-term coverage."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coach.core.coverage import stem
from coach.errors import StorageError
from coach.review import build_review, load_analyses, previous_session, review_session
from coach.review.model import FIX, FOLLOW_UP_ITEMS, PREPARATION_ITEMS, PREPARED, STRENGTH
from coach.review.terms import term_coverage

Factory = Callable[..., Any]


def test_previous_session_is_the_latest_earlier_one_and_comparisons_use_it(
    build_session: Factory, tmp_path: Path
) -> None:
    root = tmp_path / "sessions"
    old = build_session([["digits"]], root=root, created_at="2024-01-01T10:00:00+00:00")
    prev = build_session([["jfk"], ["ami"]], root=root, created_at="2024-02-01T10:00:00+00:00")
    current = build_session([["libri"]], root=root, created_at="2024-03-01T10:00:00+00:00")
    build_session([["ami"]], root=root, created_at="2024-04-01T10:00:00+00:00")  # later: ignored
    found = previous_session(root, current.session)
    assert found is not None and found[0].id == prev.session.id
    assert previous_session(root, old.session) is None

    review = review_session(current.folder, root)
    pace = next(c for c in review.comparisons if c.metric == "words_per_minute")
    prev_analyses = load_analyses(prev.folder, prev.session)
    expected = statistics.mean(a.words_per_minute or 0.0 for a in prev_analyses.values())
    assert pace.previous == pytest.approx(expected, abs=0.01)
    assert pace.current == pytest.approx(load_analyses(current.folder, current.session)[(0, 0)]
                                         .words_per_minute, abs=0.01)  # fmt: skip
    assert {c.better for c in review.comparisons} <= {"higher", "lower", "in band"}
    assert build_review(current.session, {}).comparisons == ()  # no previous: nothing compared


def test_checklist_state_round_trips_through_the_session_file(build_session: Factory) -> None:
    built = build_session([["jfk"]])
    first = review_session(built.folder, built.store.root)
    assert not any(i.checked for i in first.preparation_checklist)
    assert [i.id for i in first.preparation_checklist] == [k for k, _ in PREPARATION_ITEMS]
    built.session.checklist["prep.outfit"] = True
    built.session.checklist[FOLLOW_UP_ITEMS[0][0]] = True
    built.store.save(built.session)
    again = review_session(built.folder, built.store.root)
    checked = {i.id for i in again.preparation_checklist if i.checked}
    assert checked == {"prep.outfit"}
    assert [i.checked for i in again.follow_up_checklist] == [True, False, False, False]
    prompt = next(p for s in again.sections for p in s.prompts if p.id == "prepared.checklist")
    assert prompt.evidence[0].value == 1
    assert "Outfit" not in prompt.text and "résumé" in prompt.text


def test_damaged_analysis_file_is_named_in_a_storage_error(build_session: Factory) -> None:
    built = build_session([["jfk"]])
    name = built.session.questions[0].takes[0].analysis
    assert name is not None
    (built.folder / name).write_text("{not json", encoding="utf-8")
    with pytest.raises(StorageError, match=name):
        load_analyses(built.folder, built.session)


def test_stemming_matches_word_families() -> None:
    assert stem("managed") == stem("managing") == stem("manager") == stem("manage")
    cov = term_coverage(
        ["stakeholder management", "Python", "budgets", "Kubernetes"],
        ["I managed our stakeholders", "we kept the budget and wrote python tools"],
    )
    # The same matching as question picking (coach.core.coverage): word families, any order.
    assert cov.found == ("stakeholder management", "Python", "budgets")
    assert cov.missing == ("Kubernetes",)
    assert cov.share == 0.75


def test_job_terms_coverage_on_a_real_transcript(
    whisper_clips: dict[str, Any], build_session: Factory
) -> None:
    terms = ["release", "deployment", "automation", "Kubernetes"]
    built = build_session([["star"]], clips=whisper_clips, job_terms=terms)
    review = review_session(built.folder, built.store.root)
    section = next(s for s in review.sections if s.heading == PREPARED)
    prompt = next(p for p in section.prompts if p.id == "prepared.job_terms")
    ev = prompt.evidence[0]
    transcript = review.answers[0].transcript
    expected = term_coverage(terms, [transcript])
    assert "Kubernetes" in expected.missing and "release" in expected.found
    assert ev.value == round(100 * len(expected.found) / len(terms), 1)
    assert prompt.kind == FIX and "Kubernetes" in prompt.text
    assert {m.label for m in ev.moments} == set(expected.found)

    all_found = build_session([["star"]], clips=whisper_clips, job_terms=["release"])
    review = review_session(all_found.folder, all_found.store.root)
    prompt = next(p for s in review.sections for p in s.prompts if p.id == "prepared.job_terms")
    assert prompt.kind == STRENGTH


def test_job_terms_are_not_judged_on_a_basic_recogniser_transcript(build_session: Factory) -> None:
    built = build_session([["jfk"]], job_terms=["country"])
    review = review_session(built.folder, built.store.root)
    prompt = next(p for s in review.sections for p in s.prompts if p.id == "prepared.job_terms")
    assert prompt.reliable is False and prompt.evidence[0].value is None
