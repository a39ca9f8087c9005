"""Room noise for robustness tests: added to real speech at a known distance below the voice."""

from __future__ import annotations

import numpy as np


def pink_noise(n: int, seed: int = 3) -> np.ndarray:
    """Unit-RMS 1/f noise: the spectrum of a fan, air conditioning or a busy street."""
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    k = np.arange(len(spectrum), dtype=np.float64)
    k[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(k), n)
    return np.asarray(noise / np.std(noise))


def speech_level(x: np.ndarray) -> float:
    """RMS of the louder half of the 30 ms frames: the level of the speech, not of its pauses."""
    frames = x[: len(x) // 480 * 480].reshape(-1, 480).astype(np.float64)
    rms = np.sort(np.sqrt(np.mean(frames**2, axis=1)))
    return float(np.sqrt(np.mean(rms[len(rms) // 2 :] ** 2)))


def with_room_noise(x: np.ndarray, snr_db: float) -> np.ndarray:
    """`x` (16 kHz) plus pink noise `snr_db` under its ITU-T P.56 active speech level."""
    from coach.analysis.room_noise import active_speech_level_dbfs
    from coach.analysis.vad import frame_levels_db

    voice = active_speech_level_dbfs(frame_levels_db(np.asarray(x, dtype=np.float32)))
    assert voice is not None, "no speech to put noise under"
    return np.asarray(x, dtype=np.float64) + pink_noise(len(x)) * 10 ** ((voice - snr_db) / 20)
