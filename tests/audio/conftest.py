"""Shared pieces for tests that go through real PortAudio and PulseAudio virtual devices."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from audio_check import SPEECH


@pytest.fixture
def speech_clip(tmp_path: Path) -> tuple[Path, np.ndarray, int]:
    """Four seconds of the real LibriSpeech utterance as a WAV: (path, samples, rate)."""
    samples, rate = sf.read(SPEECH, dtype="float32")
    excerpt = samples[int(rate * 1.0) : int(rate * 5.0)]
    path = tmp_path / "speech-excerpt.wav"
    sf.write(path, excerpt, rate)
    return path, excerpt, int(rate)


@pytest.fixture
def monitor_capture(
    virtual_audio: dict[str, str], tmp_path: Path
) -> Iterator[Callable[[], Callable[[], np.ndarray]]]:
    """Start recording the virtual speaker's monitor with parecord (independent of our code);
    the returned function stops it and gives the 16 kHz mono samples."""
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> Callable[[], np.ndarray]:
        out = tmp_path / f"monitor-{len(procs)}.raw"
        proc = subprocess.Popen(
            ["parecord", "--raw", "--format=s16le", "--rate=16000", "--channels=1",
             "--latency-msec=20", "-d", "vsink.monitor", str(out)],
        )  # fmt: skip
        procs.append(proc)

        def stop() -> np.ndarray:
            proc.terminate()
            proc.wait(10)
            return np.fromfile(out, dtype="<i2").astype(np.float64) / 32768.0

        return stop

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
