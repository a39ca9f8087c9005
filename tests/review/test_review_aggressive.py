"""Aggressive cues: blaming and absolute words (real Whisper transcript), speaking over, limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.review import AGGRESSIVE, build_review, load_analyses
from coach.review.model import FIX, FLAG, STRENGTH, Prompt, Review

Factory = Callable[..., Any]


def _prompts(review: Review) -> dict[str, Prompt]:
    section = next(s for s in review.sections if s.heading == AGGRESSIVE)
    return {p.id: p for p in section.prompts}


def test_blaming_and_absolute_words_are_found_with_their_moments(
    whisper_clips: dict[str, Any], build_session: Factory
) -> None:
    built = build_session([["blame"], ["star"]], clips=whisper_clips)
    analyses = load_analyses(built.folder, built.session)
    blame_analysis = analyses[(0, 0)]
    assert blame_analysis.blame_phrases and blame_analysis.absolutes
    prompts = _prompts(build_review(built.session, analyses))

    blame = prompts["aggressive.blame"]
    assert blame.kind == FIX and blame.severity > 0
    q1 = next(e for e in blame.evidence if e.question_index == 0)
    assert q1.band == FLAG and q1.value == len(blame_analysis.blame_phrases)
    assert [m.start_s for m in q1.moments] == [
        round(b["start_s"], 2) for b in blame_analysis.blame_phrases
    ]
    q2 = next(e for e in blame.evidence if e.question_index == 1)
    assert q2.value == 0 and q2.band == "good"

    absolutes = prompts["aggressive.absolutes"]
    words = {str(a["text"]).lower().strip(".,") for a in blame_analysis.absolutes}
    assert words & {"always", "never", "everything"}
    assert absolutes.kind == FIX and "Q1" in absolutes.text and "Q2" not in absolutes.text


def test_speaking_over_the_question_is_flagged_for_any_take(build_session: Factory) -> None:
    built = build_session([[("jfk", {"spoke_over_question": True}), "libri"], ["digits"]])
    analyses = load_analyses(built.folder, built.session)
    prompt = _prompts(build_review(built.session, analyses))["aggressive.spoke_over"]
    assert prompt.kind == FIX
    flagged = [(e.question_index, e.take_index) for e in prompt.evidence if e.band == FLAG]
    assert flagged == [(0, 0)]  # the first take did it, though the second is the headline take
    assert prompt.evidence[0].moments[0].start_s == 0.0

    calm = build_session([["jfk"], ["digits"]])
    calm_prompts = _prompts(build_review(calm.session, load_analyses(calm.folder, calm.session)))
    assert calm_prompts["aggressive.spoke_over"].kind == STRENGTH


def test_rushed_start_is_checked_only_after_a_shortened_think_time(build_session: Factory) -> None:
    full = build_session([["libri"]], think_s=30.0)  # used the whole default 30 s
    prompts = _prompts(build_review(full.session, load_analyses(full.folder, full.session)))
    assert "aggressive.rushed_start" not in prompts
    short = build_session([["libri"]], think_s=3.0)
    analyses = load_analyses(short.folder, short.session)
    prompt = _prompts(build_review(short.session, analyses))["aggressive.rushed_start"]
    a = analyses[(0, 0)]
    first = a.words[0]["start_s"]
    span = min(10.0, a.words[-1]["end_s"] - first)
    expected = round(sum(1 for w in a.words if w["start_s"] < first + span) / (span / 60), 1)
    assert prompt.evidence[0].value == expected
    # LibriSpeech read speech at ~200 WPM is far above the 180 WPM burst edge (§1)
    assert (prompt.evidence[0].band == FLAG) == (expected > 180)


def test_follow_up_checklist_prompt_is_always_there(build_session: Factory) -> None:
    built = build_session([["jfk"]])
    prompts = _prompts(build_review(built.session, load_analyses(built.folder, built.session)))
    assert "thank-you" in prompts["aggressive.follow_up"].text
