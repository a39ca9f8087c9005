"""Player through the real virtual speaker, checked by recording the speaker's monitor."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from audio_check import MATCH_NCC, SPEECH, ncc_peak, to_16k_mono

from coach.audio.player import Player
from coach.errors import StorageError

pytestmark = pytest.mark.audio

Capture = Callable[[], Callable[[], np.ndarray]]


def _wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_played_clip_is_heard_on_the_speaker(
    monitor_capture: Capture, speech_clip: tuple[Path, np.ndarray, int]
) -> None:
    clip_path, clip, rate = speech_clip
    player = Player()
    try:
        duration = player.load(clip_path)
        assert duration == pytest.approx(clip.shape[0] / rate)
        stop_capture = monitor_capture()
        time.sleep(0.3)
        player.play()
        assert player.is_playing()
        assert player.wait_done(duration + 10)
        assert not player.is_playing()
        assert player.position_s() == pytest.approx(duration, abs=0.01)
        time.sleep(0.5)
        heard = stop_capture()
    finally:
        player.close()
    score, _ = ncc_peak(heard, to_16k_mono(clip, rate))
    assert score > MATCH_NCC


def test_pause_seek_resume_and_stop(virtual_audio: dict[str, str]) -> None:
    player = Player()
    try:
        duration = player.load(SPEECH)
        player.play(start_s=1.0)
        assert _wait_for(lambda: player.position_s() > 1.5)

        player.pause()
        assert not player.is_playing()
        assert player.wait_done(0.1)
        paused_at = player.position_s()
        time.sleep(0.4)
        assert player.position_s() == paused_at  # the callback no longer advances

        player.seek(8.0)
        assert player.position_s() == pytest.approx(8.0, abs=0.01)
        assert not player.is_playing()  # seeking does not resume a paused clip

        player.play()  # resumes from the seek position
        assert player.is_playing()
        assert _wait_for(lambda: player.position_s() > 8.3)
        player.seek(2.0)  # seeking while playing takes effect at once
        assert player.position_s() < 3.0
        assert player.is_playing()

        player.stop()
        assert not player.is_playing()
        assert player.position_s() == 0.0

        player.play(start_s=duration - 0.5)  # plays out to the end, then reports "not playing"
        assert player.wait_done(10)
        assert not player.is_playing()
        assert player.position_s() == pytest.approx(duration, abs=0.01)
    finally:
        player.close()


def test_array_at_another_rate_is_resampled_for_the_device(virtual_audio: dict[str, str]) -> None:
    rate = 22050  # pyttsx3's WAV rate; no virtual device runs at it
    tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(rate // 2) / rate)).astype(np.float32)
    player = Player()
    try:
        player.load_array(tone, rate)
        assert player.duration_s() == pytest.approx(0.5)
        player.play()
        assert player.wait_done(10)
        assert player.position_s() == pytest.approx(0.5, abs=0.01)
    finally:
        player.close()


def test_unreadable_file_raises_storage_error(tmp_path: Path) -> None:
    bogus = tmp_path / "answer.wav"
    bogus.write_text("this is not a recording")
    with pytest.raises(StorageError):
        Player().load(bogus)
    with pytest.raises(StorageError):
        Player().load(tmp_path / "missing.flac")
