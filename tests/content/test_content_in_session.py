"""Content feedback inside a real interview (no Qt): a real take, its real analysis (the
PocketSphinx recogniser), then the content coach with the real fixture model, saved beside it.

The fixture model (SmolLM2 135M) is far too small for good feedback: these tests check the
mechanics (the file is saved, the engine is named, quotes are verbatim, budgets, fallbacks).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.analysis.results import AnswerAnalysis
from coach.analysis.worker import analyze_path
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.practice import events
from coach.practice.content_coach import FOLLOW_UP_WAIT_S, ContentCoach
from coach.practice.executor import ThreadLanes
from coach.practice.follow_up import rules_follow_up
from coach.practice.practice_session import PracticeSession
from tests.practice.test_practice_session import (
    CLIP,
    FileMicrophone,
    SilentPlayer,
    first_questions,
)


def analyse_with_words(path: Path) -> dict[str, Any]:
    return analyze_path(str(path), "pocketsphinx", None)  # real words with times


@pytest.fixture
def lanes() -> Iterator[ThreadLanes]:
    executor = ThreadLanes()
    yield executor
    executor.shutdown()


def one_answer(tmp_path: Path, lanes: ThreadLanes, coach: ContentCoach) -> tuple[Path, list]:
    """Answer one question with the speech clip, finish, wait for the content file."""
    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(
        lanes, store, lambda _n: FileMicrophone(CLIP, 8.0), None, SilentPlayer(),
        analyse_with_words, content=coach,
    )  # fmt: skip
    heard: list[events.Event] = []
    practice.listeners.append(heard.append)
    practice.begin(first_questions(1), InterviewSettings(think_time_s=0, voice_on=False), "C")
    lanes.run_until(lambda: practice.interview is not None, timeout_s=120)
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=120)
    practice.done_answering()
    practice.finish()
    lanes.run_until(lambda: any(isinstance(e, events.ContentSaved) for e in heard), 240)
    lanes.run_until(lanes.idle, timeout_s=60)
    assert practice.session is not None
    return store.folder(practice.session), heard


def saved(folder: Path) -> tuple[dict, dict]:
    data = json.loads((folder / "session.json").read_text())
    take = data["questions"][0]["takes"][0]
    analysis = json.loads((folder / take["analysis"]).read_text())
    content = json.loads((folder / take["audio"].replace(".flac", ".content.json")).read_text())
    return analysis, content


def all_quotes(c: dict) -> list[str]:
    out = [q for p in c["parts"].values() for q in p] + c["blame"] + c["absolutes"]
    out += [s["quote"] for s in c["strengths"] + c["improvements"] if s["quote"]]
    return out


def test_content_feedback_is_saved_after_a_real_takes_analysis(
    tmp_path: Path, lanes: ThreadLanes, smollm2: Path
) -> None:
    coach = ContentCoach(smollm2)
    try:
        folder, heard = one_answer(tmp_path, lanes, coach)
    finally:
        coach.close()
    analysis, content = saved(folder)
    assert analysis["transcript"].strip(), "the recogniser heard the clip"
    assert content["engine"] == "llm" and content["model"] == smollm2.name
    assert content["measured"] is True
    for quote in all_quotes(content):
        assert quote in analysis["transcript"], quote
    for s in content["sentences"]:  # every sentence can be played: it has word times
        assert s["start_s"] is not None and s["end_s"] >= s["start_s"]
    assert not [e for e in heard if isinstance(e, events.Told)], "no problem to report"
    assert not list(folder.glob(".*.tmp*")), "written atomically: no temporary file left"


def test_a_broken_model_file_gives_one_plain_message_and_the_rules(
    tmp_path: Path, lanes: ThreadLanes
) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + bytes(4096))  # looks like GGUF, cannot load
    coach = ContentCoach(broken)
    try:
        folder, heard = one_answer(tmp_path, lanes, coach)
    finally:
        coach.close()
    told = [e.text for e in heard if isinstance(e, events.Told)]
    assert len(told) == 1 and str(broken) in told[0] and "rules" in told[0]
    assert "Traceback" not in told[0]
    analysis, content = saved(folder)
    assert content["engine"] == "rules" and content["model"] is None
    for quote in all_quotes(content):
        assert quote in analysis["transcript"]


def test_the_follow_up_falls_back_to_the_rules_within_its_budget_when_the_model_is_busy(
    smollm2: Path,
) -> None:
    """The model is slow here because it is still writing the previous answer's feedback."""
    question = first_questions(1)[0]
    analysis = AnswerAnalysis.from_dict(analyse_with_words(CLIP))
    coach = ContentCoach(smollm2)
    try:
        engine = coach.engine()
        assert engine is not None
        engine.start()
        def write_feedback() -> None:
            engine.feedback(question.text, analysis.transcript, analysis.words, budget_s=60.0)

        busy = threading.Thread(target=write_feedback, daemon=True)
        busy.start()
        time.sleep(0.5)
        started = time.monotonic()
        text = coach.follow_up(question, analysis)
        waited = time.monotonic() - started
    finally:
        coach.close()
    assert waited < FOLLOW_UP_WAIT_S + 1.5, f"the interviewer waited {waited:.1f} s"
    assert text == rules_follow_up(question, analysis)


def test_the_follow_up_already_written_in_the_answers_feedback_is_asked_at_once(
    smollm2: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logic only (the engine's reply is given): a finished feedback's model question is reused
    instead of asking the model again, so it is ready within the interviewer's wait."""
    from dataclasses import replace

    from coach.content.rules import rules_feedback
    from coach.practice import content_coach

    question = first_questions(1)[0]
    analysis = AnswerAnalysis.from_dict(analyse_with_words(CLIP))
    written = "Which result did that change bring for the team?"

    def model_reply(q: str, transcript: str, words: Any, **kw: Any) -> Any:
        return replace(rules_feedback(q, transcript, words), engine="llm", model=smollm2.name,
                       follow_up=written)  # fmt: skip

    monkeypatch.setattr(content_coach, "content_feedback", model_reply)
    coach = ContentCoach(smollm2)
    try:
        coach.feedback(question.text, analysis.to_dict())
        started = time.monotonic()
        assert coach.follow_up(question, analysis) == written
        assert time.monotonic() - started < 1.0
    finally:
        coach.close()
