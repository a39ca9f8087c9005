"""Pitch level and variation on real speech, a Praat flat resynthesis and a synthetic voice."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import parselmouth
import pytest
from parselmouth.praat import call

from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.pitch import FLAT_ST, analyze_pitch, octave_jump_free, semitones, track_pitch
from coach.analysis.vad import detect_voice_activity

DATA = Path(__file__).resolve().parents[1] / "data"


def _clip(name: str) -> np.ndarray:
    samples, rate = load_audio(DATA / name)
    return to_16k(samples, rate)


def _median_hz(name: str) -> float:
    y = _clip(name)
    stats = analyze_pitch(y, detect_voice_activity(y))
    assert stats.median_hz is not None
    return stats.median_hz


def test_aroused_emotions_have_higher_pitch() -> None:
    """Same EmoDB speaker and sentence: anger (Wc) and happiness (Fd) above neutral and boredom."""
    high = [_median_hz("emodb_03a04Wc.wav"), _median_hz("emodb_03a04Fd.wav")]
    low = [_median_hz("emodb_03a04Nc.wav"), _median_hz("emodb_03a04Lc.wav")]
    assert min(high) > max(low)
    assert all(70 < f < 300 for f in high + low)  # a male voice, no octave errors


def _flattened(samples: np.ndarray, rate: int, hz: float = 120.0) -> np.ndarray:
    """Praat: To Manipulation, replace the pitch tier by a flat one, overlap-add resynthesis."""
    snd = parselmouth.Sound(samples.astype(np.float64), rate)
    manipulation = call(snd, "To Manipulation", 0.01, 75, 600)
    tier = call("Create PitchTier", "flat", snd.xmin, snd.xmax)
    call(tier, "Add point", (snd.xmin + snd.xmax) / 2, hz)
    call([tier, manipulation], "Replace pitch tier")
    flat = call(manipulation, "Get resynthesis (overlap-add)")
    return to_16k(np.asarray(flat.values[0], dtype=np.float32), int(flat.sampling_frequency))


def test_flat_resynthesis_is_flat_and_original_is_not() -> None:
    samples, rate = load_audio(DATA / "jfk_whisper.flac")
    original = to_16k(samples, rate)
    flat = _flattened(samples, rate)
    before = analyze_pitch(original, detect_voice_activity(original))
    after = analyze_pitch(flat, detect_voice_activity(flat))
    assert before.variation_st is not None and before.variation_st > 2.0
    assert after.variation_st is not None and after.variation_st < 1.0
    assert after.median_hz == pytest.approx(120.0, abs=3)
    assert after.flat_stretches and not before.flat_stretches
    assert after.voiced_s >= 5.0


def _harmonic_voice(f0: np.ndarray, rate: int = 16_000) -> np.ndarray:
    phase = 2 * np.pi * np.cumsum(f0) / rate
    wave = np.sum([np.sin(k * phase) / k for k in range(1, 12)], axis=0)
    return np.asarray(0.2 * wave, dtype=np.float32)


def test_synthetic_glide_has_the_variation_put_in() -> None:
    """F0 moving +-4 st sinusoidally around 150 Hz: SD of a sine is amplitude / sqrt(2)."""
    t = np.arange(12 * 16_000) / 16_000
    f0 = 150 * 2 ** (4 * np.sin(2 * np.pi * 0.5 * t) / 12)
    y = _harmonic_voice(f0)
    stats = analyze_pitch(y)  # a steady synthetic tone is noise to the VAD: no speech mask
    assert stats.variation_st == pytest.approx(4 / np.sqrt(2), abs=0.3)
    assert stats.median_hz == pytest.approx(150, rel=0.03)
    monotone = _harmonic_voice(np.full(12 * 16_000, 150.0))
    flat = analyze_pitch(monotone)
    assert flat.variation_st is not None and flat.variation_st < 0.2
    assert len(flat.flat_stretches) == 1
    assert flat.flat_stretches[0].start_s == 0.0 and flat.flat_stretches[0].end_s == 12.0
    assert flat.flat_stretches[0].sd_st < FLAT_ST


def test_octave_jumps_are_removed() -> None:
    """Isolated frames an octave off (tracker errors) are dropped; real movement is kept."""
    rng = np.random.default_rng(3)
    st = semitones(np.full(300, 140.0)) + rng.normal(0, 0.5, 300)
    st[[50, 51, 120, 200]] += 12.0  # doubling errors
    st[250] -= 12.0  # halving error
    keep = octave_jump_free(st)
    assert not keep[[50, 51, 120, 200, 250]].any()
    assert keep.sum() == 295
    glide = np.linspace(0, 10, 300)  # 10 st rise over 3 s: a real intonation movement
    assert octave_jump_free(glide).all()
    assert np.std(st[keep], ddof=1) < 0.6 < np.std(st, ddof=1)


def test_too_little_voiced_speech_is_not_judged() -> None:
    y = _clip("emodb_03a04Nc.wav")
    stats = analyze_pitch(y, detect_voice_activity(y))
    assert stats.voiced_s < 5.0
    assert stats.variation_st is None and stats.flat_stretches == []
    assert "5 s" in stats.reasons["pitch_variation_st"]
    assert stats.median_hz is not None


def test_silence_has_no_pitch() -> None:
    y = np.zeros(32_000, np.float32)
    stats = analyze_pitch(y, detect_voice_activity(y))
    assert stats.median_hz is None and stats.variation_st is None
    assert set(stats.reasons) == {"pitch_median_hz", "pitch_variation_st"}
    assert len(track_pitch(np.zeros(100, np.float32)).f0_hz) == 0
