"""The curves the answer view and the exported report draw, computed once with the analysis.

Drawing a take used to mean decoding its audio and running Praat again in the GUI process; now
the analysis worker, which already has the samples and the pitch track, reduces them to what a
chart can show and stores them in the `.analysis.json` under "chart":

- the waveform outline: min and max of each of `ENVELOPE_POINTS` equal buckets;
- loudness (dBFS, floored at -60) every 20 ms, and pitch (Hz, 0 where unvoiced) every 10 ms
  (Praat's frame step), each on a coarser grid of at most `MAX_POINTS` steps for long takes.

Each curve is stored as base64 of little-endian int16 (waveform x 32767, pitch in 0.1 Hz,
loudness in 0.01 dB), so a take's chart stays under about 16 kB even in indented JSON.
`curves()` turns it back into float arrays; `chart_from_file()` computes it for takes analysed
before charts were stored (slow: call it on a worker lane).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coach.analysis.audio_io import ANALYSIS_RATE, load_audio, to_16k
from coach.analysis.loudness import levels_at
from coach.analysis.pitch import PitchTrack, track_pitch
from coach.analysis.vad import VoiceActivity, detect_voice_activity

CHART_VERSION = 1
ENVELOPE_POINTS = 1500
MAX_POINTS = 1500  # about the width in pixels of the widest chart drawn
STEP_S = 0.02  # loudness: 50 ms RMS windows every 20 ms
PITCH_STEP_S = 0.01  # Praat's frame step
GAP_S = 0.05  # voiced frames further apart than this are drawn as separate strokes
SILENCE_FLOOR_DBFS = -60.0
_WAVE_SCALE = 32767.0
_PITCH_SCALE = 10.0  # 0.1 Hz
_LOUD_SCALE = 100.0  # 0.01 dB


@dataclass(frozen=True)
class Curves:
    """What a chart draws, as float arrays; pitch is NaN where unvoiced so the line breaks."""

    duration_s: float
    env_t: np.ndarray
    env_lo: np.ndarray
    env_hi: np.ndarray
    pitch_t: np.ndarray
    pitch_hz: np.ndarray
    loud_t: np.ndarray
    loud_db: np.ndarray


def _pack(values: np.ndarray, scale: float) -> str:
    ints = np.clip(np.round(np.nan_to_num(values) * scale), -32768, 32767).astype("<i2")
    return base64.b64encode(ints.tobytes()).decode("ascii")


def _unpack(text: object, scale: float) -> np.ndarray:
    if not isinstance(text, str):
        raise ValueError("chart curve is not a string")
    return np.frombuffer(base64.b64decode(text), dtype="<i2").astype(np.float64) / scale


def _envelope(y: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """Bucket width in samples, and min/max per bucket: a faithful waveform outline."""
    n = max(1, min(ENVELOPE_POINTS, len(y)))
    size = max(1, len(y) // n)
    usable = y[: size * n].reshape(n, size) if len(y) >= n else y.reshape(-1, 1)
    return size, usable.min(axis=1), usable.max(axis=1)


def _pitch_on_grid(track: PitchTrack, step: float, count: int) -> np.ndarray:
    """Mean F0 of the voiced frames in each grid step; 0 where there is none."""
    total = np.zeros(count)
    frames = np.zeros(count)
    slot = np.floor(np.asarray(track.times) / step).astype(np.int64)
    keep = (slot >= 0) & (slot < count)
    np.add.at(total, slot[keep], np.asarray(track.f0_hz)[keep])
    np.add.at(frames, slot[keep], 1.0)
    return np.divide(total, frames, out=np.zeros(count), where=frames > 0)


def _step(finest: float, duration: float) -> float:
    """`finest`, or coarser for long takes; whole milliseconds survive the JSON's rounding."""
    return max(finest, math.ceil(duration / MAX_POINTS * 1000.0) / 1000.0)


def _broken_line(t: np.ndarray, v: np.ndarray, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN where voiced frames are not adjacent, so unvoiced gaps are not bridged."""
    if len(t) < 2:
        return t, v
    breaks = np.nonzero(np.diff(t) > gap)[0] + 1
    return np.insert(t, breaks, t[breaks - 1] + 0.001), np.insert(v, breaks, np.nan)


def chart_data(y16k: np.ndarray, track: PitchTrack) -> dict[str, Any]:
    """The stored chart of a take, from its 16 kHz samples and the analysis' pitch track."""
    y = np.asarray(y16k, dtype=np.float64)
    duration = len(y) / ANALYSIS_RATE
    bucket, env_lo, env_hi = _envelope(y) if len(y) else (1, np.zeros(0), np.zeros(0))
    step = _step(STEP_S, duration)
    loud_t = np.arange(0.0, duration, step)
    loud_db = np.maximum(levels_at(y, loud_t), SILENCE_FLOOR_DBFS)
    pitch_step = _step(PITCH_STEP_S, duration)
    pitch = _pitch_on_grid(track, pitch_step, math.ceil(duration / pitch_step))
    return {
        "version": CHART_VERSION,
        "duration_s": duration,
        "rate": ANALYSIS_RATE,
        "envelope_bucket": bucket,  # samples per envelope point
        "envelope_min": _pack(env_lo, _WAVE_SCALE),
        "envelope_max": _pack(env_hi, _WAVE_SCALE),
        "step_s": step,
        "pitch_step_s": pitch_step,
        "pitch_hz": _pack(pitch, _PITCH_SCALE),
        "loudness_db": _pack(loud_db, _LOUD_SCALE),
    }


def curves(chart: dict[str, Any]) -> Curves:
    """The stored chart as float arrays (fast: a few thousand numbers); ValueError if damaged."""
    if chart.get("version") != CHART_VERSION:
        raise ValueError(f"unknown chart version {chart.get('version')!r}")
    env_lo = _unpack(chart["envelope_min"], _WAVE_SCALE)
    env_hi = _unpack(chart["envelope_max"], _WAVE_SCALE)
    env_step = int(chart["envelope_bucket"]) / int(chart["rate"])
    step = float(chart["step_s"])
    loud_db = _unpack(chart["loudness_db"], _LOUD_SCALE)
    pitch_step = float(chart["pitch_step_s"])
    pitch = _unpack(chart["pitch_hz"], _PITCH_SCALE)
    voiced = pitch > 0
    pitch_t, pitch_hz = _broken_line(
        ((np.arange(len(pitch)) + 0.5) * pitch_step)[voiced],
        pitch[voiced],
        max(GAP_S, 1.5 * pitch_step),
    )
    return Curves(
        duration_s=float(chart["duration_s"]),
        env_t=(np.arange(len(env_lo)) + 0.5) * env_step,
        env_lo=env_lo,
        env_hi=env_hi,
        pitch_t=pitch_t,
        pitch_hz=pitch_hz,
        loud_t=np.arange(len(loud_db)) * step,
        loud_db=loud_db,
    )


def chart_from_samples(y16k: np.ndarray, speech: VoiceActivity | None = None) -> dict[str, Any]:
    """The chart of 16 kHz samples, tracking pitch the same way the analysis does."""
    speech = speech if speech is not None else detect_voice_activity(y16k)
    return chart_data(y16k, track_pitch(y16k, speech))


def chart_from_file(path: Path) -> dict[str, Any]:
    """Decode a take and compute its chart (slow: for takes analysed before charts were stored)."""
    samples, rate = load_audio(path)
    return chart_from_samples(to_16k(samples, rate))
