"""A whole mock interview driven with plain method calls: no QApplication anywhere.

Real session folders and session.json, real take files (int16 partial -> FLAC), the real
analysis pipeline and the real follow-up rules; the microphone is either a file-backed
recorder behind coach.ports.RecorderPort or the real PortAudio recorder listening to the
virtual microphone while a real speech clip plays into the virtual speaker.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from coach.analysis.worker import analyze_path
from coach.core.bank import load_builtin_banks
from coach.core.interview import Phase
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.core.takefile import PartialTakeWriter, finalize_take
from coach.practice import events
from coach.practice.executor import ThreadLanes
from coach.practice.follow_up import WithFallback
from coach.practice.practice_session import PracticeSession

DATA = Path(__file__).resolve().parents[1] / "data"
CLIP = DATA / "librispeech_2412-153948-0000.flac"


@dataclass
class Status:
    peak: float
    elapsed_s: float
    device_lost: bool = False
    error: str | None = None
    overflows: int = 0


class FileMicrophone:
    """A RecorderPort that 'hears' a speech clip: writes it through the real take writer."""

    def __init__(self, clip: Path, seconds: float) -> None:
        audio, self.rate = sf.read(clip, dtype="float32", always_2d=True)
        self.audio = audio[: int(seconds * self.rate)]
        self.writer: PartialTakeWriter | None = None

    def start(self, partial_raw: Path | None) -> None:
        assert partial_raw is not None
        self.writer = PartialTakeWriter(partial_raw, self.rate, self.audio.shape[1])
        for block in np.array_split(self.audio, 10):
            self.writer.write(block)

    def poll(self) -> Status:
        return Status(peak=0.5, elapsed_s=len(self.audio) / self.rate)

    def stop(self, final_path: Path | None) -> Any:
        assert self.writer is not None and final_path is not None
        self.writer.close()
        partial, self.writer = self.writer.path, None
        return finalize_take(partial, final_path)


class SilentPlayer:
    """Question playback is not under test here (voice off)."""

    def load(self, path: Path) -> float:
        return 0.0

    def play(self, start_s: float | None = None) -> None: ...
    def pause(self) -> None: ...
    def stop(self) -> None: ...
    def seek(self, seconds: float) -> None: ...
    def position_s(self) -> float:
        return 0.0

    def duration_s(self) -> float:
        return 0.0

    def is_playing(self) -> bool:
        return False

    def wait_done(self, timeout_s: float) -> bool:
        return True

    def close(self) -> None: ...


@pytest.fixture
def lanes() -> Iterator[ThreadLanes]:
    executor = ThreadLanes()
    yield executor
    executor.shutdown()


def first_questions(count: int) -> list[Any]:
    banks, _ = load_builtin_banks()
    return list(banks[0].questions[:count])


def analyse(path: Path) -> dict[str, Any]:
    return analyze_path(str(path), "none", None)  # the real pipeline, no speech recogniser


def run_interview(
    practice: PracticeSession, lanes: ThreadLanes, heard: list[events.Event], answer_s: float
) -> Path:
    """Answer the first question, take the follow-up, answer it, finish; the session folder."""
    settings = InterviewSettings(think_time_s=0, voice_on=False, follow_ups=True)
    practice.begin(first_questions(2), settings, "Headless practice")
    lanes.run_until(lambda: practice.interview is not None)
    assert practice.interview is not None and practice.session is not None
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=15)
    lanes.pump(answer_s)
    practice.done_answering()
    assert practice.interview.phase is Phase.ANSWERED
    session = practice.session
    lanes.run_until(lambda: session.questions[0].takes[0].analysis is not None, timeout_s=60)
    practice.next_question()
    lanes.run_until(lambda: practice.interview.index == 1, timeout_s=10)  # type: ignore[union-attr]
    follow_up = session.questions[1]
    assert follow_up.follow_up_of == 0, "an answered question gets a follow-up"
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=15)
    lanes.pump(answer_s)
    practice.done_answering()
    practice.finish()
    lanes.run_until(lambda: any(isinstance(e, events.SessionFinished) for e in heard), 30)
    lanes.run_until(lanes.idle, timeout_s=60)
    return practice.store.folder(session)


def check_saved_session(folder: Path, min_take_s: float) -> None:
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "finished"
    first, follow_up = data["questions"][0], data["questions"][1]
    assert follow_up["follow_up_of"] == 0
    for question in (first, follow_up):
        take = question["takes"][0]
        assert take["status"] == "complete"
        assert take["duration_s"] >= min_take_s
        audio = folder / take["audio"]
        assert audio.suffix == ".flac" and sf.info(audio).duration >= min_take_s
    analysis = json.loads((folder / first["takes"][0]["analysis"]).read_text())
    assert analysis["duration_s"] == pytest.approx(first["takes"][0]["duration_s"], abs=0.1)
    assert not list(folder.glob("*.partial.*")) and not list(folder.glob(".*.tmp*"))


def test_interview_end_to_end_without_qt(tmp_path: Path, lanes: ThreadLanes) -> None:
    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(
        lanes, store, lambda _name: FileMicrophone(CLIP, 6.0), None, SilentPlayer(), analyse
    )
    heard: list[events.Event] = []
    practice.listeners.append(heard.append)
    folder = run_interview(practice, lanes, heard, answer_s=0.0)
    check_saved_session(folder, min_take_s=5.9)
    kinds = [type(e).__name__ for e in heard]
    assert kinds[0] == "SessionStarted" and "SessionFinished" in kinds
    assert kinds.count("TakeSaved") == 2
    assert lanes.errors == []


def test_a_slow_follow_up_engine_falls_back_to_the_rules(
    tmp_path: Path, lanes: ThreadLanes
) -> None:
    asked: list[str] = []

    def hung_engine(question: Any, analysis: Any) -> str | None:
        asked.append(question.id)
        import time

        time.sleep(5)
        return "never used"

    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(
        lanes,
        store,
        lambda _name: FileMicrophone(CLIP, 3.0),
        None,
        SilentPlayer(),
        analyse,
        follow_up=WithFallback(hung_engine, timeout_s=0.5),
    )
    heard: list[events.Event] = []
    practice.listeners.append(heard.append)
    folder = run_interview(practice, lanes, heard, answer_s=0.0)
    data = json.loads((folder / "session.json").read_text())
    assert asked, "the engine was asked first"
    assert data["questions"][1]["text"] != "never used"  # the rules' question instead


@pytest.mark.audio
def test_interview_with_the_real_recorder_and_virtual_microphone(
    tmp_path: Path, lanes: ThreadLanes, virtual_audio: dict[str, str]
) -> None:
    from coach.audio.recorder import Recorder
    from tests.helpers.sound import coverage, load_16k, play_into_speaker

    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(lanes, store, Recorder, None, SilentPlayer(), analyse)
    heard: list[events.Event] = []
    practice.listeners.append(heard.append)
    settings = InterviewSettings(think_time_s=0, voice_on=False)
    practice.begin(first_questions(1), settings, "Headless, real microphone")
    lanes.run_until(lambda: practice.interview is not None)
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=15)
    player = play_into_speaker(CLIP)
    assert player.wait(timeout=30) == 0
    lanes.pump(0.5)
    practice.tick()
    practice.done_answering()
    practice.finish()
    lanes.run_until(lambda: any(isinstance(e, events.SessionFinished) for e in heard), 30)
    lanes.run_until(lanes.idle, timeout_s=60)
    assert practice.session is not None
    folder = store.folder(practice.session)
    data = json.loads((folder / "session.json").read_text())
    take = data["questions"][0]["takes"][0]
    assert data["status"] == "finished" and take["status"] == "complete"
    found = coverage(load_16k(CLIP), load_16k(folder / take["audio"]))
    assert found > 0.9, f"the saved take holds only {found:.0%} of the clip"
    assert take["analysis"] and (folder / take["analysis"]).is_file()


def test_the_practice_package_loads_no_qt() -> None:
    """Run in a fresh interpreter: importing the whole interview must not pull in PySide6."""
    code = (
        "import sys, coach.practice.practice_session, coach.practice.analysis_worker;"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
