"""A whole hands-free interview without Qt: real TTS into the virtual speaker, real clips into
the virtual microphone (its monitor), the real recorder tap, live VAD and take files.

No input after `begin`: the interviewer greets and asks, the take starts when the candidate
speaks, ends after the silence setting, the interviewer thanks and asks the next question, then
"Do you have any questions for me?", whose answer is its own take, and the session finishes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.core.bank import load_builtin_banks
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.practice import events
from coach.practice.executor import ThreadLanes
from coach.practice.hands_free import CLOSING_ID
from coach.practice.interviewer_lines import ACKNOWLEDGEMENTS, CLOSING_QUESTION, GREETINGS
from coach.practice.practice_session import PracticeSession
from tests.helpers.candidate import Candidate, Room, speech_of
from tests.helpers.sound import coverage, load_16k

pytestmark = pytest.mark.audio
DATA = Path(__file__).resolve().parents[1] / "data"
ANSWERS = [
    DATA / "jfk_whisper.flac",
    DATA / "cmu_arctic_us_aew_a0001.wav",
    DATA / "ami_ES2011a_Headset-0_40s-46s.wav",
]


class SpeakerLog:
    """The real TTS, remembering what the interviewer was asked to say."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.said: list[str] = []

    def available(self) -> bool:
        return bool(self.real.available())

    def synthesize(self, text: str, voice_id: str | None = None, rate: int = 170) -> Path:
        self.said.append(text)
        return Path(self.real.synthesize(text, voice_id, rate))


@pytest.fixture
def lanes() -> Iterator[ThreadLanes]:
    executor = ThreadLanes()
    yield executor
    executor.shutdown()


def test_a_hands_free_interview_runs_to_the_end_with_no_input(
    tmp_path: Path, lanes: ThreadLanes, virtual_audio: dict[str, str]
) -> None:
    from coach.audio.player import Player
    from coach.audio.recorder import Recorder
    from coach.tts.speaker import TtsService

    tts = TtsService(tmp_path / "tts")
    speaker = SpeakerLog(tts)
    player = Player()
    store = SessionStore(tmp_path / "sessions")
    practice = PracticeSession(lanes, store, Recorder, speaker, player)
    heard: list[events.Event] = []
    practice.listeners.append(heard.append)
    banks, _ = load_builtin_banks()
    settings = InterviewSettings(
        question_count=2, think_time_s=30, hands_free=True, end_silence_s=2.0
    )
    candidate = Candidate(practice, ANSWERS, tmp_path)
    try:
        with Room(tmp_path):
            practice.begin(list(banks[0].questions[:2]), settings, "Hands-free, no Qt")
            deadline = time.monotonic() + 150
            while not any(isinstance(e, events.SessionFinished) for e in heard):
                assert time.monotonic() < deadline, f"stuck: {practice.interview.phase}"
                practice.tick()
                lanes.pump(0.05)
                candidate.step()
            lanes.run_until(lanes.idle, timeout_s=30)
    finally:
        candidate.close()
        player.close()
        tts.close()
    assert lanes.errors == []
    assert practice.session is not None
    folder = store.folder(practice.session)
    data = json.loads((folder / "session.json").read_text())
    assert practice.hands_free is not None
    assert data["status"] == "finished"
    questions = data["questions"]
    assert [q["id"] for q in questions][-1] == CLOSING_ID and len(questions) == 3
    assert questions[-1]["text"] == CLOSING_QUESTION
    for q, clip in zip(questions, ANSWERS, strict=True):
        assert len(q["takes"]) == 1, q  # one take each, started by the voice, ended by silence
        take = q["takes"][0]
        assert take["status"] == "complete"
        found = coverage(speech_of(clip), load_16k(folder / take["audio"]))
        assert found > 0.9, f"{q['id']}: the take holds only {found:.0%} of the answer"
        # Ended by the 2 s silence, not by the 30 s think time or the 3:00 limit.
        assert take["duration_s"] < load_16k(clip).size / 16000 + 2.0 + 2.0
    said = [s for i, s in enumerate(speaker.said) if i == 0 or s != speaker.said[i - 1]]
    assert any(said[0].startswith(g) for g in GREETINGS) and questions[0]["text"] in said[0]
    acks = [s for s in said if s in ACKNOWLEDGEMENTS]
    assert len(acks) == 2, said  # after each bank answer; the closing one gets the sign-off
    assert any(CLOSING_QUESTION in s for s in said)
    assert questions[1]["text"] in " ".join(said)


def test_the_live_detector_takes_empty_and_tiny_blocks() -> None:
    """PortAudio may hand over an empty block; the listener must not fail on it."""
    import numpy as np

    from coach.practice.live_vad import LiveVad

    for rate in (16000, 44100, 48000):
        vad = LiveVad(rate)
        assert vad.feed(np.zeros(0), 1.0, 0) == []
        assert vad.feed(np.zeros(1), 1.0, 0) == []
        assert len(vad.feed(np.full(rate // 10, 0.01), 1.1, 1)) == 3  # 0.1 s: three 30 ms frames


def test_a_silent_microphone_is_said_on_screen_and_by_voice_and_never_ends_an_answer(
    tmp_path: Path, lanes: ThreadLanes, virtual_audio: dict[str, str]
) -> None:
    """No room tone: the virtual microphone delivers exact zeros, as a stream moved to a
    silent fallback does when a headset is unplugged."""
    from coach.audio.player import Player
    from coach.audio.recorder import Recorder
    from coach.practice.input_watch import InputLost
    from coach.practice.interviewer_lines import NOT_HEARD
    from coach.tts.speaker import TtsService

    tts = TtsService(tmp_path / "tts")
    speaker = SpeakerLog(tts)
    player = Player()
    practice = PracticeSession(
        lanes, SessionStore(tmp_path / "sessions"), Recorder, speaker, player
    )
    told: list[str] = []
    practice.listeners.append(lambda e: told.append(e.text) if isinstance(e, events.Told) else None)
    banks, _ = load_builtin_banks()
    settings = InterviewSettings(question_count=1, think_time_s=6, hands_free=True)
    try:
        practice.begin(list(banks[0].questions[:1]), settings, "Silent microphone")
        deadline = time.monotonic() + 60
        while not told:
            assert time.monotonic() < deadline, "the dead input was not reported"
            practice.tick()
            lanes.pump(0.05)
        assert told[0] == InputLost(0.0).message
        assert practice.hands_free is not None
        assert practice.hands_free.state()[0] == "no-input"
        lanes.run_until(lambda: NOT_HEARD in speaker.said, timeout_s=20)
        # Think time ends: the take starts; silence at the digital floor never ends it.
        lanes.run_until(lambda: (practice.tick(), practice.interview.phase.value)[1] == "recording")
        stop = time.monotonic() + 8
        while time.monotonic() < stop:  # twice the default end-of-answer silence
            practice.tick()
            lanes.pump(0.05)
        assert practice.interview.phase.value == "recording"
        assert speaker.said.count(NOT_HEARD) == 1  # said once, not on every frame
        practice.finish()
        lanes.run_until(lanes.idle, timeout_s=30)
    finally:
        player.close()
        tts.close()
