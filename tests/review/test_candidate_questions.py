""" "Do you have any questions for me?" under "Were you prepared?": spoken answers (espeak-ng),
transcribed by the real Whisper engine, in real session folders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.analysis.pipeline import analyze_file
from coach.review import review_session
from coach.review.candidate_questions import CATEGORY, says_none, topics_asked
from coach.review.model import FIX, NOTE, PREPARED, STRENGTH
from tests.review.conftest import Clip


def closing_prompt(build_session: Callable[..., Any], clips: dict[str, Clip], key: str) -> Any:
    built = build_session([["asks"], [key]], clips=clips)
    built.session.questions[1].category = CATEGORY  # the interviewer's closing question
    built.store.save(built.session)
    review = review_session(built.folder, built.store.root)
    prepared = next(s for s in review.sections if s.heading == PREPARED)
    return next(p for p in prepared.prompts if p.id == "prepared.questions_for_them")


def test_questions_about_the_role_and_team_count_as_preparation(
    build_session: Callable[..., Any], whisper_clips: dict[str, Clip]
) -> None:
    prompt = closing_prompt(build_session, whisper_clips, "asks")
    assert prompt.kind == STRENGTH
    assert "the role" in prompt.text and "the team" in prompt.text
    assert prompt.evidence[0].question_index == 1 and prompt.evidence[0].moments


def test_no_questions_is_the_classic_gap(
    build_session: Callable[..., Any], whisper_clips: dict[str, Clip]
) -> None:
    prompt = closing_prompt(build_session, whisper_clips, "none")
    assert prompt.kind == FIX and "no questions" in prompt.text


def test_without_a_transcript_it_asks_the_user_to_listen_instead_of_judging(
    build_session: Callable[..., Any], whisper_clips: dict[str, Clip]
) -> None:
    wav = whisper_clips["none"].source
    clips = {**whisper_clips, "unheard": Clip(wav, analyze_file(wav, None).to_dict())}
    prompt = closing_prompt(build_session, clips, "unheard")  # no speech recogniser
    assert prompt.kind == NOTE and not prompt.reliable
    assert prompt.evidence[0].value is None


def test_the_words_that_count() -> None:
    assert topics_asked("How would you measure success in the first few months?") == ["the role"]
    assert topics_asked("Where is the company heading next year?") == ["the company"]
    assert topics_asked("Who would I work with day to day?") == ["the role", "the team"]
    assert says_none("No, not really. I think you've covered it.")
    assert says_none("")
    assert not says_none("Yes, what are the next steps in the process?")
