"""build_review on real session folders whose takes are real speech analysed for real."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.analysis.results import AnswerAnalysis
from coach.review import HEADINGS, build_review, load_analyses, review_session
from coach.review.heard import too_little_speech
from coach.review.html_report import render_html
from coach.review.model import FIX, NOT_MEASURED, STRENGTH, Evidence, Review
from coach.review.thresholds import FILLERS, LOW_ACCURACY_TEXT, MIN_VOICED_S, PITCH

FIVE = [["jfk"], ["libri"], ["digits"], ["ami"], ["short"]]

Factory = Callable[..., Any]


def _evidence(review: Review) -> list[Evidence]:
    return [e for s in review.sections for p in s.prompts for e in p.evidence]


def _analysis_of(review_folder: Path, e: Evidence, analyses: dict) -> AnswerAnalysis:
    assert e.question_index is not None and e.take_index is not None
    return analyses[(e.question_index, e.take_index)]


def test_three_sections_with_the_issue_headings_in_order(build_session: Factory) -> None:
    built = build_session(FIVE)
    review = review_session(built.folder, built.store.root)
    assert [s.heading for s in review.sections] == list(HEADINGS)
    assert HEADINGS == (
        "Were your answers engaging?",
        "Did you come across as too aggressive?",
        "Were you prepared?",
    )
    for section in review.sections:
        assert section.verdict and section.prompts
        kinds = [p.kind for p in section.prompts]
        # strengths first, then fixes (feedback-science §9.7)
        assert kinds == sorted(kinds, key=lambda k: {STRENGTH: 0, FIX: 1}.get(k, 2))
    assert len(review.answers) == 5
    assert len(review.focus) <= 3


def test_every_evidence_number_is_the_stored_analysis_value(build_session: Factory) -> None:
    built = build_session(FIVE, think_s=12.0)
    analyses = load_analyses(built.folder, built.session)
    review = build_review(built.session, analyses)
    checked = 0
    for e in _evidence(review):
        if e.question_index is None or e.value is None:
            continue
        a = _analysis_of(built.folder, e, analyses)
        if e.metric in {"words_per_minute", "pitch_variation_st", "fillers_per_minute",
                        "hedges_per_100_words", "loudness_variation_db", "unique_word_ratio",
                        "i_count"}:  # fmt: skip
            assert e.value == getattr(a, e.metric), e
        elif e.metric in {"numbers", "absolutes", "blame_phrases"} or e.metric == "number_count":
            assert e.value == len(getattr(a, "numbers" if e.metric == "number_count" else e.metric))
        elif e.metric == "answer_length_s":
            assert e.value == round(a.words[-1]["end_s"] - a.words[0]["start_s"], 2)
        elif e.metric == "think_latency_s":
            assert e.value == round(12.0 + (a.leading_silence_s or 0.0), 2)
        elif e.metric == "longest_pause_s":
            assert e.value == round(
                max((p["end_s"] - p["start_s"] for p in a.pauses), default=0), 2
            )
        elif e.metric == "filler_clusters":
            assert e.value == len(a.filler_clusters)
        else:
            continue
        checked += 1
    # every answer with speech contributed its numbers; "short" (~1 s voiced) is not judged
    assert checked >= 4 * 8


def test_moments_point_at_real_takes_and_times_inside_them(build_session: Factory) -> None:
    built = build_session([["jfk", "libri"], ["digits"], ["ami"]])
    review = review_session(built.folder, built.store.root)
    moments = [m for e in _evidence(review) for m in e.moments]
    assert moments
    for m in moments:
        take = built.session.questions[m.question_index].takes[m.take_index]
        assert (built.folder / take.audio).is_file()
        assert 0.0 <= m.start_s <= take.duration_s + 0.01
        if m.end_s is not None:
            assert m.start_s <= m.end_s <= take.duration_s + 0.01


def test_last_take_is_used_unless_the_user_chose_a_best_take(build_session: Factory) -> None:
    built = build_session([["short", "libri"]])
    analyses = load_analyses(built.folder, built.session)
    assert build_review(built.session, analyses).answers[0].take_index == 1
    built.session.questions[0].best_take = 0
    review = build_review(built.session, analyses)
    assert review.answers[0].take_index == 0
    assert review.answers[0].audio == built.session.questions[0].takes[0].audio


def test_too_little_speech_says_so_instead_of_judging(build_session: Factory) -> None:
    built = build_session([["short"]])  # "go forward ten meters": 2.8 s, ~1 s voiced
    review = review_session(built.folder, built.store.root)
    pitch = [e for e in _evidence(review) if e.metric == PITCH.metric]
    assert pitch and all(e.band == NOT_MEASURED for e in pitch)
    assert "5 s" in pitch[0].band_text  # the analysis reason: at least 5 s voiced needed
    pace = [e for e in _evidence(review) if e.metric == "words_per_minute"]
    assert all(e.band == NOT_MEASURED and "not enough speech" in e.band_text for e in pace)
    assert f"{MIN_VOICED_S:.0f} s needed" in pace[0].band_text
    prompt = next(p for s in review.sections for p in s.prompts if p.id == "engaging.pitch")
    assert prompt.reliable is False and prompt.kind == "info"


def test_basic_recogniser_transcripts_are_not_judged_for_words(build_session: Factory) -> None:
    built = build_session([["jfk"], ["libri"]])
    review = review_session(built.folder, built.store.root)
    fillers = [e for e in _evidence(review) if e.metric == FILLERS.metric]
    assert fillers and all(e.band == NOT_MEASURED for e in fillers)
    assert all(e.band_text == LOW_ACCURACY_TEXT for e in fillers)
    assert all(a.low_accuracy for a in review.answers)
    # acoustic measures of the same answers are still judged (jfk and libri have > 5 s voiced)
    pitch = [e for e in _evidence(review) if e.metric == PITCH.metric]
    assert {e.band for e in pitch} <= {"good", "watch", "flag"}


def test_a_take_from_a_noisy_room_says_so_in_the_answers_and_the_report(
    build_session: Factory, sphinx_clips: dict, noisy_clip: Any
) -> None:
    built = build_session([["noisy"], ["libri"]], clips={**sphinx_clips, "noisy": noisy_clip})
    review = review_session(built.folder, built.store.root)
    noisy, quiet = review.answers
    assert noisy.noisy_snr_db is not None and noisy.noisy_snr_db < 15.0
    assert quiet.noisy_snr_db is None
    report = render_html(review)
    assert report.count("Background noise was loud") == 1


def test_a_very_quiet_take_says_so_with_the_fix(build_session: Factory) -> None:
    built = build_session([["digits"], ["jfk"]])  # the digits clip speaks at about -37 dBFS
    analyses = load_analyses(built.folder, built.session)
    review = build_review(built.session, analyses)
    quiet, loud = review.answers
    assert quiet.quiet_dbfs == analyses[(0, 0)].loudness_dbfs and quiet.quiet_dbfs < -36.0
    assert loud.quiet_dbfs is None
    report = render_html(review)
    assert report.count("Recorded very quietly") == 1 and "raise its input level" in report


def test_focus_is_ranked_by_severity_and_points_at_fix_prompts(build_session: Factory) -> None:
    built = build_session(FIVE, think_s=75.0)  # > 60 s before the first word: a red flag
    review = review_session(built.folder, built.store.root)
    prompts = {p.id: p for s in review.sections for p in s.prompts}
    focus = [prompts[f.prompt_id] for f in review.focus]
    assert focus and all(p.kind == FIX for p in focus)
    assert [p.severity for p in focus] == sorted((p.severity for p in focus), reverse=True)
    fixes = sorted((p.severity for p in prompts.values() if p.kind == FIX), reverse=True)
    assert focus[0].severity == fixes[0]
    think = prompts["prepared.think"]
    assert think.kind == FIX
    # answers with too little speech ("short": ~1 s voiced) are not judged, the others are red
    analyses = load_analyses(built.folder, built.session)
    for e in think.evidence:
        assert e.question_index is not None and e.take_index is not None
        silent = too_little_speech(analyses[(e.question_index, e.take_index)]) is not None
        assert e.band == ("not measured" if silent else "flag")
    assert [e.band for e in think.evidence].count("flag") >= 2  # jfk and libri
    assert "prepared.think" in [f.prompt_id for f in review.focus]
    assert all(f.drill and f.why for f in review.focus)
