"""Real-audio checks for tests: record the virtual speaker, compare two signals."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import correlate, resample_poly

RATE = 16000
TAP_RATE = 48000  # the virtual speaker's rate


def load_16k(path: Path) -> np.ndarray:
    """Mono float32 at 16 kHz, whatever the file's rate and channel count."""
    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    if rate != RATE:
        g = np.gcd(int(rate), RATE)
        mono = resample_poly(mono, RATE // g, int(rate) // g).astype(np.float32)
    return mono


def best_match(reference: np.ndarray, recording: np.ndarray) -> tuple[float, float]:
    """(peak normalised cross-correlation, lag in seconds) of `reference` inside `recording`.

    1.0 means the recording contains the reference exactly (up to gain) at that lag.
    """
    ref = reference - reference.mean()
    rec = recording - recording.mean()
    if len(rec) < len(ref):
        rec = np.pad(rec, (0, len(ref) - len(rec)))
    corr = correlate(rec, ref, mode="valid", method="fft")
    # Energy of every len(ref) window by a running sum: O(n), where np.convolve with a box
    # of 16000 ones took seconds per 1 s chunk (minutes per take on a loaded machine).
    energy = np.concatenate(([0.0], np.cumsum(rec.astype(np.float64) ** 2)))
    window_energy = energy[len(ref) :] - energy[: -len(ref)]
    denom = np.sqrt(np.maximum(window_energy, 1e-12) * float(np.sum(ref**2)))
    score = corr / denom
    lag = int(np.argmax(score))
    return float(score[lag]), lag / RATE


class SpeakerTap:
    """Records what reaches the virtual speaker (vsink.monitor) with pacat, as a test witness."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SpeakerTap:
        pacat = shutil.which("pacat")
        assert pacat, "pacat (pulseaudio-utils) is needed for audio tests"
        self.proc = subprocess.Popen(
            # At the sink's own rate: PulseAudio's fast resampler smears the waveform.
            [
                pacat,
                "--record",
                "-d",
                "vsink.monitor",
                "--raw",
                "--format=float32le",
                f"--rate={TAP_RATE}",
                "--channels=1",
                "--latency-msec=20",
                str(self.out),
            ],
        )
        deadline = time.monotonic() + 5.0  # wait until audio really flows into the file
        while time.monotonic() < deadline:
            if self.out.exists() and self.out.stat().st_size > TAP_RATE * 4 * 0.5:
                break
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(timeout=5)

    def samples(self) -> np.ndarray:
        raw = np.fromfile(self.out, dtype="<f4")
        return resample_poly(raw, 1, TAP_RATE // RATE).astype(np.float32)


def play_into_speaker(path: Path) -> subprocess.Popen[bytes]:
    """Play a file into the virtual speaker (whose monitor is the virtual microphone)."""
    return subprocess.Popen(["paplay", "-d", "vsink", str(path)])


def coverage(
    reference: np.ndarray, recording: np.ndarray, chunk_s: float = 1.0, threshold: float = 0.8
) -> float:
    """Fraction of the reference's voiced 1 s chunks found in the recording.

    Robust to a glitch that shifts the rest of the signal, which a single whole-clip match is not.
    """
    size = int(chunk_s * RATE)
    chunks = [reference[i : i + size] for i in range(0, len(reference) - size + 1, size)]
    voiced = [c for c in chunks if float(np.sqrt(np.mean(c**2))) > 0.01]
    if not voiced:
        return 0.0
    found = sum(1 for c in voiced if best_match(c, recording)[0] > threshold)
    return found / len(voiced)


def open_playback_streams() -> list[str]:
    """The sound server's playback streams (sink inputs): an app that released its output
    device has none left, even after playback ended (an open, idle stream still counts)."""
    return _pactl_short("sink-inputs")


def open_recording_streams() -> list[str]:
    """The sound server's recording streams (source outputs), e.g. a microphone still open."""
    return _pactl_short("source-outputs")


def _pactl_short(kind: str) -> list[str]:
    listing = subprocess.run(
        ["pactl", "list", "short", kind], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in listing.splitlines() if line.strip()]
