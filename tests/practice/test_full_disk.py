"""A take the disk fills up under: listed as what it is (kept, how long, playable), said once,
and the log file goes quiet instead of printing a traceback per line.

Real parts: a 1 MiB tmpfs, the real PortAudio recorder on the virtual microphone with a real
speech clip played into it, real session.json. Mounting needs root: skipped elsewhere.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.core.log_file import QuietFileHandler
from coach.core.session import CUT_SHORT
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.core.takefile import read_partial
from coach.practice import events
from coach.practice.executor import ThreadLanes
from coach.practice.practice_session import PracticeSession
from tests.helpers.tmpfs import small_disk
from tests.practice.test_practice_session import CLIP, SilentPlayer, first_questions


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "tiny", "1m") as disk:
        yield disk


@pytest.fixture
def lanes() -> Iterator[ThreadLanes]:
    executor = ThreadLanes()
    yield executor
    executor.shutdown()


@pytest.mark.audio
def test_a_take_cut_short_by_a_full_disk_is_kept_listed_and_playable(
    tiny_disk: Path, lanes: ThreadLanes, virtual_audio: dict[str, str]
) -> None:
    from coach.audio.recorder import Recorder
    from tests.helpers.sound import play_into_speaker

    store = SessionStore(tiny_disk / "sessions")
    practice = PracticeSession(lanes, store, Recorder, None, SilentPlayer(), analyzer=None)
    heard: list[events.Event] = []
    practice.listeners.append(heard.append)
    practice.begin(first_questions(1), InterviewSettings(think_time_s=0, voice_on=False), "Full")
    lanes.run_until(lambda: practice.interview is not None)
    lanes.run_until(lambda: (practice.tick(), practice.mic_live)[1], timeout_s=15)
    player = play_into_speaker(CLIP)
    try:
        # The disk fills within seconds: the session notices on its own and stops the take.
        lanes.run_until(
            lambda: (practice.tick(), any(isinstance(e, events.TakeSaved) for e in heard))[1],
            timeout_s=60,
        )
    finally:
        player.kill()
    lanes.run_until(lanes.idle, timeout_s=20)

    assert practice.session is not None
    take = practice.session.questions[0].takes[0]
    assert take.status == CUT_SHORT
    told = [e.text for e in heard if isinstance(e, events.Told)]
    assert len(told) == 1 and "disk is full" in told[0], told  # said once, in plain words
    folder = store.folder(practice.session)
    partial = folder / take.audio
    samples, rate = read_partial(partial)
    assert take.duration_s > 2.0
    assert len(samples) / rate == pytest.approx(take.duration_s, abs=0.01)
    from coach.audio.player import Player

    player_out = Player()
    try:  # playable: the replay widget's player opens the raw file it was left as
        assert player_out.load(partial) == pytest.approx(take.duration_s, abs=0.01)
    finally:
        player_out.close()
    on_disk = json.loads((folder / "session.json").read_text())
    assert on_disk["questions"][0]["takes"][0]["status"] == CUT_SHORT  # not "recording"
    assert on_disk["questions"][0]["takes"][0]["duration_s"] == take.duration_s


def test_a_full_disk_log_file_complains_once(
    tiny_disk: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(OSError), open(tiny_disk / "filler", "wb") as filler:
        filler.write(b"\0" * (2 * 1024 * 1024))  # fill the disk: ENOSPC
    logger = logging.getLogger("coach.test-full-disk")
    handler = QuietFileHandler(tiny_disk / "coach.log")
    logger.addHandler(handler)
    try:
        for n in range(200):
            logger.warning("line %d of a log that cannot be written %s", n, "x" * 200)
    finally:
        logger.removeHandler(handler)
        handler.close()
    err = capfd.readouterr().err
    assert "--- Logging error ---" not in err
    assert err.count("cannot write the log file") == 1
