"""Shared pieces for tests that go through real PortAudio and PulseAudio virtual devices."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from audio_check import SPEECH
from private_pulse import PulseServer, start_pulse_server

from coach.audio.devices import list_input_devices, refresh_devices


@pytest.fixture(scope="session")
def _private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    server = start_pulse_server(tmp_path_factory.mktemp("pulse"))
    yield server
    server.kill()


@pytest.fixture
def virtual_audio(_private_server: PulseServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point this process (PortAudio opens PCMs per stream) and its children at the private
    virtual speaker/microphone; returns the environment to use for subprocesses."""
    for name in ("PULSE_SERVER", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(name, _private_server.env[name])
    if not list_input_devices():  # PortAudio was first loaded with no sound server running
        refresh_devices()
    return _private_server.env


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
