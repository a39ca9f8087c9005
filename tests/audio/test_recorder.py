"""Recording real speech through the virtual microphone while it is played into the speaker."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from audio_check import DATA, MATCH_NCC, SPEECH, ncc_peak, to_16k_mono

from coach.audio.recorder import Recorder

pytestmark = pytest.mark.audio


def test_recorded_take_matches_the_clip_played_into_the_speaker(
    virtual_audio: dict[str, str], speech_clip: tuple[Path, np.ndarray, int], tmp_path: Path
) -> None:
    clip_path, clip, rate = speech_clip
    takes = tmp_path / "takes"
    recorder = Recorder()
    recorder.start(takes / "q1-t1.partial.raw")
    player = subprocess.Popen(["paplay", str(clip_path)])
    peaks = []
    try:
        while player.poll() is None:
            status = recorder.poll()
            peaks.append(status.peak)
            assert status.recording and not status.device_lost and status.error is None
            time.sleep(0.1)
        assert player.returncode == 0
        time.sleep(0.5)  # the tail still in the server's buffers
    finally:
        info = recorder.stop(takes / "q1-t1.flac")
        player.wait(30)

    assert info is not None and info.path == takes / "q1-t1.flac"
    assert sorted(p.name for p in takes.iterdir()) == ["q1-t1.flac"]
    assert info.samplerate == recorder.samplerate and info.channels == 1
    assert info.duration_s >= clip.shape[0] / rate
    assert not info.is_silent
    assert max(peaks) > 0.05  # the level meter saw the speech
    recorded, rec_rate = sf.read(info.path, dtype="float32")
    recorded_16k = to_16k_mono(recorded, rec_rate)
    score, _ = ncc_peak(recorded_16k, to_16k_mono(clip, rate))
    assert score > MATCH_NCC
    # Negative control: other real speech does not match, so the check above can fail.
    other, other_rate = sf.read(DATA / "goforward_16k.wav", dtype="float32")
    assert ncc_peak(recorded_16k, to_16k_mono(other, other_rate))[0] < 0.5


def test_monitor_mode_measures_level_and_writes_nothing(
    virtual_audio: dict[str, str], tmp_path: Path
) -> None:
    recorder = Recorder()
    recorder.start(None)
    player = subprocess.Popen(["paplay", str(SPEECH)])  # killed as soon as the meter moves
    try:
        peak = 0.0
        deadline = time.monotonic() + 10
        while peak < 0.05 and time.monotonic() < deadline:
            time.sleep(0.1)
            status = recorder.poll()
            assert not status.recording
            peak = max(peak, status.peak)
    finally:
        player.kill()
        player.wait(10)
        assert recorder.stop(None) is None
    assert peak > 0.05
    assert recorder.poll().elapsed_s > 0
    assert list(tmp_path.iterdir()) == []


def test_stop_without_a_final_name_still_keeps_the_take(
    virtual_audio: dict[str, str], tmp_path: Path
) -> None:
    recorder = Recorder()
    recorder.start(tmp_path / "q2-t1.partial.raw")
    deadline = time.monotonic() + 10
    while recorder.poll().elapsed_s < 0.3 and time.monotonic() < deadline:
        time.sleep(0.05)
    info = recorder.stop(None)
    assert info is not None and info.path == tmp_path / "q2-t1.flac"
    assert info.duration_s >= 0.3
