""""Practise this again" without Qt: a finished session, one question asked again, the new take
saved as take 2 of that question in the same session folder, analysed and compared.

Real session folders, real take files (int16 partial -> FLAC) and the real analysis pipeline;
the microphone is the file-backed recorder of test_practice_session.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf

from coach.core.interview import Phase
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.practice import events
from coach.practice.executor import ThreadLanes
from coach.practice.practice_session import PracticeSession
from coach.practice.practise_again import (
    Compared,
    OneQuestionInterview,
    PractiseAgain,
    Recorded,
)
from coach.review.loader import load_analyses
from coach.review.take_compare import compare_takes
from tests.practice.test_practice_session import (
    CLIP,
    DATA,
    FileMicrophone,
    SilentPlayer,
    analyse,
    first_questions,
)

SECOND = DATA / "jfk_whisper.flac"


@pytest.fixture
def lanes() -> Iterator[ThreadLanes]:
    executor = ThreadLanes()
    yield executor
    executor.shutdown()


class Microphones:
    """The first take hears `CLIP` (11.7 s), every later take `SECOND` (11 s)."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, _name: str | None) -> FileMicrophone:
        self.made += 1
        return FileMicrophone(CLIP, 12.0) if self.made == 1 else FileMicrophone(SECOND, 11.0)


def first_interview(practice: PracticeSession, lanes: ThreadLanes, heard: list[Any]) -> Path:
    """A one-question interview, answered and finished; its folder."""
    settings = InterviewSettings(think_time_s=0, voice_on=False, follow_ups=True)
    practice.begin(first_questions(2)[:1], settings, "First go")
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=15)
    practice.done_answering()
    practice.finish()
    lanes.run_until(lambda: any(isinstance(e, events.SessionFinished) for e in heard), 30)
    assert practice.session is not None
    return practice.store.folder(practice.session)


def on_disk(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "session.json").read_text())
    return data


def test_practise_again_adds_take_2_to_the_same_session_and_compares(
    tmp_path: Path, lanes: ThreadLanes
) -> None:
    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(lanes, store, Microphones(), None, SilentPlayer(), analyse)
    again = PractiseAgain(practice)
    heard: list[Any] = []
    practice.listeners.append(heard.append)
    again.listeners.append(heard.append)
    folder = first_interview(practice, lanes, heard)
    lanes.run_until(lanes.idle, timeout_s=60)
    first = on_disk(folder)
    assert first["questions"][0]["takes"][0]["analysis"]

    again.start(folder, 0)
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=15)
    assert isinstance(practice.interview, OneQuestionInterview)
    assert practice.interview.phase is Phase.RECORDING
    assert practice.store.folder(practice.session) == folder  # type: ignore[arg-type]
    # crash safety: while it records, the session is unfinished and its take is listed
    lanes.run_until(
        lambda: len(on_disk(folder)["questions"][0]["takes"]) == 2
        and bool(list(folder.glob("q01-take2.partial.*"))),
        timeout_s=10,
    )
    data = on_disk(folder)
    assert data["status"] == "in_progress" and folder in store.unfinished()
    assert [t["status"] for t in data["questions"][0]["takes"]] == ["complete", "recording"]

    practice.done_answering()  # the interview then ends by itself
    lanes.run_until(lambda: any(isinstance(e, Compared) for e in heard), timeout_s=90)
    lanes.run_until(lanes.idle, timeout_s=30)
    recorded = next(e for e in heard if isinstance(e, Recorded))
    assert recorded.analysing and recorded.attempt.before_take == 0
    assert recorded.attempt.after_take == 1

    data = on_disk(folder)
    assert data["status"] == "finished" and data["id"] == first["id"]
    assert len(data["questions"]) == 1, "no follow-up is added when practising again"
    old, new = data["questions"][0]["takes"]
    assert old == first["questions"][0]["takes"][0]  # the earlier take is untouched
    assert new["audio"] == "q01-take2.flac" and new["status"] == "complete"
    assert sf.info(folder / new["audio"]).duration >= 10.9
    assert new["analysis"] and (folder / new["analysis"]).is_file()
    assert not list(folder.glob("*.partial.*"))
    assert store.unfinished() == []

    compared = next(e for e in heard if isinstance(e, Compared))
    assert compared.before.duration_s > 11.5 and compared.after.duration_s < 11.1
    analyses = load_analyses(folder, store.load(folder))
    assert compared.changes == compare_takes(analyses[(0, 0)], analyses[(0, 1)])
    length = next(c for c in compared.changes if c.metric == "answer_length_s")
    assert length.before.value is not None and length.after.value is not None
    assert length.after.value != length.before.value
    assert lanes.errors == []


def test_an_analysis_of_the_first_go_landing_meanwhile_is_not_lost(
    tmp_path: Path, lanes: ThreadLanes
) -> None:
    """The user presses "Practise this again" while the last answer is still being analysed."""
    gate = threading.Event()

    def slow_first(path: Path) -> dict[str, Any]:
        if path.name.startswith("q01-take1"):
            gate.wait(60)
        return analyse(path)

    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(lanes, store, Microphones(), None, SilentPlayer(), slow_first)
    again = PractiseAgain(practice)
    heard: list[Any] = []
    practice.listeners.append(heard.append)
    again.listeners.append(heard.append)
    folder = first_interview(practice, lanes, heard)
    assert on_disk(folder)["questions"][0]["takes"][0]["analysis"] is None

    again.start(folder, 0)
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=15)
    gate.set()  # the first take's analysis lands while take 2 records
    lanes.run_until(
        lambda: any(isinstance(e, events.LateAnalysisSaved) for e in heard), timeout_s=60
    )
    practice.done_answering()
    lanes.run_until(lambda: any(isinstance(e, Compared) for e in heard), timeout_s=90)
    lanes.run_until(lanes.idle, timeout_s=30)
    takes = on_disk(folder)["questions"][0]["takes"]
    assert [bool(t["analysis"]) for t in takes] == [True, True]
    recorded = next(e for e in heard if isinstance(e, Recorded))
    # the review had no analysis of take 1 when "Practise" was pressed: it is the one shown
    # once analysed, and the comparison uses it
    assert recorded.attempt.after_take == 1


def test_skipping_ends_it_without_a_take(tmp_path: Path, lanes: ThreadLanes) -> None:
    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(lanes, store, Microphones(), None, SilentPlayer(), analyse)
    again = PractiseAgain(practice)
    heard: list[Any] = []
    practice.listeners.append(heard.append)
    again.listeners.append(heard.append)
    settings = InterviewSettings(think_time_s=30, voice_on=False)
    practice.begin(first_questions(2), settings, "Two questions")
    lanes.run_until(lambda: practice.interview is not None)
    practice.finish()  # nothing answered
    lanes.run_until(lambda: any(isinstance(e, events.SessionFinished) for e in heard), 30)
    assert practice.session is not None
    folder = store.folder(practice.session)

    again.start(folder, 1)
    lanes.run_until(lambda: practice.interview is not None and practice.interview.index == 1)
    assert practice.interview is not None and practice.interview.phase is Phase.THINKING
    practice.skip_question()
    lanes.run_until(lambda: any(isinstance(e, Recorded) for e in heard), timeout_s=30)
    lanes.run_until(lanes.idle, timeout_s=30)
    recorded = next(e for e in heard if isinstance(e, Recorded))
    assert recorded.attempt.after_take is None and not recorded.analysing
    data = on_disk(folder)
    assert data["status"] == "finished"
    assert [len(q["takes"]) for q in data["questions"]] == [0, 0]
    assert not again.busy()
