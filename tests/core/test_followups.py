"""Follow-up rules on answers analysed from real recorded speech, plus the rule table itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from coach.core.bank import Question
from coach.core.followups import (
    MEASURABLE_RESULT,
    RETRY_PROMPT,
    SPECIFIC_EXAMPLE,
    TELL_ME_MORE,
    choose_follow_up,
    has_example,
    mode_settings,
    retakes_allowed,
)
from coach.core.settings import InterviewSettings

if TYPE_CHECKING:
    from coach.analysis.results import AnswerAnalysis

DATA = Path(__file__).resolve().parents[1] / "data"
OWN = "What would you do differently next time?"

STAR_Q = Question(
    id="t-star", text="Tell me about a time you improved a process.", category="behavioural",
    difficulty="medium", answer_seconds=120, listen_for=("a", "b"), follow_ups=(OWN,), star=True,
)  # fmt: skip
PLAIN_Q = dataclasses.replace(STAR_Q, id="t-plain", category="general", star=False)


@pytest.fixture(scope="module")
def analyses() -> dict[str, AnswerAnalysis]:
    """Real clips through the real pipeline and pocketsphinx, analysed once for this module."""
    from coach.analysis.audio_io import load_audio, to_16k
    from coach.analysis.engines import make_transcriber
    from coach.analysis.pipeline import analyze_file, analyze_samples

    sphinx = make_transcriber("pocketsphinx")
    out = {
        name: analyze_file(DATA / name, sphinx)
        for name in ("librispeech_2412-153948-0000.flac", "vosk_test_digits.wav")
    }
    # A longer answer (about 25 s of speech) made of four real recordings in a row.
    parts = []
    for name in (
        "jfk_whisper.flac",
        "librispeech_2412-153948-0000.flac",
        "cmu_arctic_us_aew_a0001.wav",
        "goforward_16k.wav",
    ):
        samples, rate = load_audio(DATA / name)
        parts += [to_16k(samples, rate), np.zeros(8_000, dtype=np.float32)]
    out["long"] = analyze_samples(np.concatenate(parts), 16_000, sphinx, file="long")
    silence = np.zeros(5 * 16_000, dtype=np.float32)
    out["silence"] = analyze_samples(silence, 16_000, sphinx, file="silence")
    return out


def test_star_answer_without_a_number_gets_asked_for_the_result(
    analyses: dict[str, AnswerAnalysis],
) -> None:
    story = analyses["librispeech_2412-153948-0000.flac"]
    assert story.numbers == [] and story.word_count
    assert choose_follow_up(STAR_Q, story) == MEASURABLE_RESULT
    # The same short answer to a non-STAR question is simply too short.
    assert choose_follow_up(PLAIN_Q, story) == TELL_ME_MORE


def test_short_answer_with_numbers_gets_asked_for_more(
    analyses: dict[str, AnswerAnalysis],
) -> None:
    digits = analyses["vosk_test_digits.wav"]
    assert digits.numbers, digits.transcript
    assert choose_follow_up(STAR_Q, digits) == TELL_ME_MORE


def test_long_answer_without_a_story_gets_asked_for_an_example(
    analyses: dict[str, AnswerAnalysis],
) -> None:
    answer = analyses["long"]
    assert answer.speech_s >= 20 and (answer.word_count or 0) >= 40, answer
    assert answer.numbers, answer.transcript  # "go forward ten meters"
    assert not has_example(answer.transcript)
    assert choose_follow_up(STAR_Q, answer) == SPECIFIC_EXAMPLE
    assert choose_follow_up(PLAIN_Q, answer) == SPECIFIC_EXAMPLE


def test_silent_answer_gets_the_retry_prompt(analyses: dict[str, AnswerAnalysis]) -> None:
    assert choose_follow_up(STAR_Q, analyses["silence"]) == RETRY_PROMPT


def test_complete_answer_gets_the_questions_own_follow_up(
    analyses: dict[str, AnswerAnalysis],
) -> None:
    """Pure rule check: the long real answer, with a story added to its transcript."""
    story = (
        " When I joined the night team we were losing 3 hours a week to handovers, so I "
        "introduced a checklist and we cut that to 1 hour."
    )
    base = analyses["long"]
    complete = dataclasses.replace(base, transcript=base.transcript + story)
    assert choose_follow_up(STAR_Q, complete) == OWN
    assert choose_follow_up(PLAIN_Q, complete) == OWN


def test_rules_without_a_transcript(analyses: dict[str, AnswerAnalysis]) -> None:
    long = analyses["long"]
    no_words = dataclasses.replace(long, engine="none", word_count=None, transcript="", numbers=[])
    assert choose_follow_up(STAR_Q, no_words) == OWN  # long enough; nothing else can be judged
    short = dataclasses.replace(no_words, speech_s=8.0)
    assert choose_follow_up(STAR_Q, short) == TELL_ME_MORE
    assert choose_follow_up(STAR_Q, None) == OWN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("For example, at my last job I ran the rota.", True),
        ("When I started there the backlog was huge.", True),
        ("I talked to the customer, checked the order and refunded the difference.", True),
        ("I am a hard worker and I like people and I always give my best.", False),
        ("I need speed and I feed the team ideas.", False),
    ],
)
def test_example_cues(text: str, expected: bool) -> None:
    assert has_example(text) is expected


def test_modes() -> None:
    base = InterviewSettings(think_time_s=60, show_text=True, hard_limit_s=150, soft_limit_s=100)
    real = mode_settings("realistic", base)
    assert (real.mode, real.show_text, real.follow_ups, real.think_time_s) == (
        "realistic", False, True, 30,
    )  # fmt: skip
    assert (real.soft_limit_s, real.hard_limit_s) == (100, 150)  # stricter user limits kept
    assert not retakes_allowed(real)
    loose = mode_settings("realistic", InterviewSettings(hard_limit_s=300, soft_limit_s=240))
    assert (loose.soft_limit_s, loose.hard_limit_s) == (120, 180)
    practice = mode_settings("practice", real)
    assert practice.mode == "practice" and practice.show_text and retakes_allowed(practice)
    assert InterviewSettings.from_dict(real.to_dict()) == real
    with pytest.raises(ValueError, match="unknown interview mode"):
        mode_settings("exam", base)
