"""Aggressive cues: blaming and absolute words (real Whisper transcript), speaking over, limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from coach.review import AGGRESSIVE, build_review, load_analyses
from coach.review.model import FIX, FLAG, GOOD, STRENGTH, WATCH, Prompt, Review

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


def test_a_voice_that_climbs_in_loudness_is_named(
    build_session: Factory, sphinx_clips: dict[str, Any], tmp_path: Any
) -> None:
    """Real speech whose second half was made 12 dB louder, analysed for real, next to the
    untouched clip: only the louder answer is flagged, with the analysis' own number."""
    import soundfile as sf

    from coach.analysis.pipeline import analyze_file
    from tests.review.conftest import Clip

    source = sphinx_clips["libri"].source
    data, rate = sf.read(source, dtype="float32")
    data[len(data) // 2 :] *= 10 ** (12 / 20)
    louder = tmp_path / "louder.wav"
    sf.write(louder, data.clip(-1, 1), rate)
    clips = dict(sphinx_clips, louder=Clip(louder, analyze_file(louder, None).to_dict()))
    built = build_session([["libri"], ["louder"]], clips=clips)
    analyses = load_analyses(built.folder, built.session)
    rising = _prompts(build_review(built.session, analyses))["aggressive.rising"]
    assert rising.kind == FIX
    by_question = {e.question_index: e for e in rising.evidence}
    assert by_question[1].value == analyses[(1, 0)].loudness_trend_db
    assert by_question[1].band in (WATCH, FLAG)  # 6 dB or more: audible
    assert by_question[0].band == GOOD
    assert by_question[1].value - by_question[0].value == pytest.approx(12, abs=2)


def test_loudness_is_judged_against_the_microphone_check_when_there_is_one(
    build_session: Factory,
) -> None:
    built = build_session([["libri"]])
    analyses = load_analyses(built.folder, built.session)
    level = analyses[(0, 0)].loudness_dbfs
    assert level is not None
    built.session.settings = replace(built.session.settings, loudness_baseline_dbfs=level - 12)
    loud = _prompts(build_review(built.session, analyses))["aggressive.loud"]
    [evidence] = [e for e in loud.evidence if e.metric == "loudness_above_mic_check_db"]
    assert evidence.value == pytest.approx(12, abs=0.01)
    assert evidence.band == FLAG and loud.kind == FIX
    assert "microphone check" in evidence.reason
