"""STAR detection on hand-written transcripts and on a real Whisper transcript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.review import build_review, load_analyses
from coach.review.star import ACTION, PARTS, RESULT, SITUATION, TASK, detect_star, split_sentences

FULL = (
    "Last year our team had a release that kept slipping. My task was to get it out by March. "
    "I set up a daily check-in and I split the work into smaller pieces. "
    "As a result we shipped two weeks early and cut defects by 30%."
)
NO_RESULT = (
    "At the time I was working in support. I was responsible for the queue. "
    "So I organized the tickets by priority and I trained two new colleagues."
)

Factory = Callable[..., Any]


def test_a_full_star_answer_has_all_parts_and_a_quantified_result() -> None:
    star = detect_star(FULL)
    assert star.parts_found == PARTS
    assert star.missing == ()
    assert star.result_has_number and star.action_first_person


def test_an_answer_without_a_result_is_reported_as_missing_it() -> None:
    star = detect_star(NO_RESULT)
    assert star.missing == (RESULT,)
    assert not star.has_result and not star.result_has_number
    assert {SITUATION, TASK, ACTION} <= set(star.parts_found)


def test_a_result_without_a_number_is_noticed() -> None:
    star = detect_star("I rewrote the report. In the end the manager was happy with it.")
    assert star.has_result and not star.result_has_number


def test_small_talk_has_no_star_parts() -> None:
    assert detect_star("I like coffee and walks in the park.").parts_found == ()


def test_sentences_split_on_pauses_when_there_is_no_punctuation() -> None:
    words = [
        {"text": "my", "start_s": 0.0, "end_s": 0.2},
        {"text": "task", "start_s": 0.2, "end_s": 0.5},
        {"text": "was", "start_s": 0.5, "end_s": 0.7},
        {"text": "i", "start_s": 1.6, "end_s": 1.7},  # 0.9 s pause: new sentence
        {"text": "decided", "start_s": 1.7, "end_s": 2.1},
    ]
    sentences = split_sentences("my task was i decided", words)
    assert [s[0] for s in sentences] == ["my task was", "i decided"]
    star = detect_star("my task was i decided", words)
    assert star.parts_found == (TASK, ACTION)
    assert star.seconds == {TASK: 0.7, ACTION: 0.5}


def test_star_on_a_real_whisper_transcript_in_the_review(
    whisper_clips: dict[str, Any], build_session: Factory
) -> None:
    built = build_session([["star"]], clips=whisper_clips, star=[0])
    analyses = load_analyses(built.folder, built.session)
    analysis = analyses[(0, 0)]
    assert not analysis.low_accuracy
    star = detect_star(analysis.transcript, analysis.words)
    assert {TASK, ACTION, RESULT} <= set(star.parts_found)
    assert star.result_has_number  # "eighty percent" -> "80%"
    review = build_review(built.session, analyses)
    prompt = next(p for s in review.sections for p in s.prompts if p.id == "prepared.star")
    ev = prompt.evidence[0]
    assert ev.value == len(star.parts_found)
    assert "result has a number" in ev.band_text
    result_moments = [m for m in ev.moments if RESULT in m.label]
    assert result_moments and 0 < result_moments[0].start_s < analysis.duration_s
