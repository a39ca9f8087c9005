"""Loudness in dBFS on real speech: follows gain, ignores pauses, flags clipping and quiet input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.loudness import TOO_QUIET_DBFS, LoudnessStats, analyze_loudness, clipping_runs
from coach.analysis.pitch import track_pitch
from coach.analysis.vad import detect_voice_activity

DATA = Path(__file__).resolve().parents[1] / "data"


def _loudness(y: np.ndarray, original: np.ndarray | None = None) -> LoudnessStats:
    return analyze_loudness(y, track_pitch(y, detect_voice_activity(y)), original=original)


def _clip(name: str) -> np.ndarray:
    samples, rate = load_audio(DATA / name)
    return to_16k(samples, rate)


def test_level_follows_gain_and_variation_does_not() -> None:
    y = _clip("jfk_whisper.flac")
    loud = _loudness(y)
    quieter = _loudness(y * np.float32(10 ** (-12 / 20)))
    assert loud.median_dbfs is not None and quieter.median_dbfs is not None
    assert quieter.median_dbfs == pytest.approx(loud.median_dbfs - 12, abs=0.5)
    assert loud.variation_db is not None and quieter.variation_db is not None
    assert quieter.variation_db == pytest.approx(loud.variation_db, abs=0.5)
    assert loud.too_quiet is False and loud.clipping is False


def test_pauses_do_not_lower_the_speech_level() -> None:
    y = _clip("jfk_whisper.flac")
    half = len(y) // 2
    padded = np.concatenate([y[:half], np.zeros(5 * 16_000, np.float32), y[half:]])
    a, b = _loudness(y), _loudness(padded)
    assert a.median_dbfs is not None and b.median_dbfs is not None
    assert b.median_dbfs == pytest.approx(a.median_dbfs, abs=0.5)


def test_quiet_recording_is_flagged() -> None:
    """vosk_test_digits.wav is a quiet recording (about -40 dBFS, manifest.json)."""
    loud = _loudness(_clip("vosk_test_digits.wav"))
    assert loud.median_dbfs is not None and loud.median_dbfs < TOO_QUIET_DBFS
    assert loud.too_quiet is True


def test_overdriven_input_is_clipping() -> None:
    samples, rate = load_audio(DATA / "jfk_whisper.flac")
    hot = np.clip(samples * 8, -1.0, 1.0)
    stats = _loudness(to_16k(hot, rate), original=hot)
    assert stats.clipping and stats.clipped_samples > 100
    assert not _loudness(to_16k(samples, rate), original=samples).clipping


def test_clipping_runs_need_consecutive_samples() -> None:
    x = np.zeros(100, np.float32)
    x[10] = 1.0  # one full-scale peak: not clipping
    assert clipping_runs(x) == (1, 0)
    x[50:54] = -1.0
    assert clipping_runs(x) == (5, 1)


def test_silence_has_no_level() -> None:
    stats = _loudness(np.zeros(48_000, np.float32))
    assert stats.median_dbfs is None and stats.variation_db is None and stats.too_quiet is None
    assert {"loudness_dbfs", "loudness_variation_db"} <= set(stats.reasons)


def test_a_voice_that_gets_louder_has_a_rising_trend() -> None:
    """The same real speech, its second half 9 dB louder: the trend says so; unchanged: ~0."""
    from coach.analysis.audio_io import load_audio, to_16k
    from coach.analysis.pipeline import analyze_samples

    samples, rate = load_audio(DATA / "librispeech_2412-153948-0000.flac")
    y = to_16k(samples, rate)
    steady = analyze_samples(y, 16000, None)
    rising = y.copy()
    rising[len(y) // 2 :] *= 10 ** (9 / 20)
    louder = analyze_samples(rising, 16000, None)
    assert steady.loudness_trend_db is not None and abs(steady.loudness_trend_db) < 4
    assert louder.loudness_trend_db is not None
    assert louder.loudness_trend_db - steady.loudness_trend_db == pytest.approx(9, abs=1.5)
