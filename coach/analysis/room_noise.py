"""Room noise: the level of a take's silences and how far the voice stands above it.

feedback-science.md §5 asks the microphone check to store the noise floor and the
signal-to-noise ratio and to warn below 15 dB. It matters for every answer too: noise masks
the soft ends of words, so speech time, pauses and articulation rate drift (pink noise 20 dB
below the voice shortened the measured speech of real clips by up to 10 %,
`tests/analysis/test_vad.py`). The noise is the median level of the 30 ms frames away from any
speech; the voice is the ITU-T P.56 active speech level, the usual reference when speech and
noise are mixed at a given SNR. The voiced-frame median of `loudness.py` is not used here: noise
hides the softer voiced frames, so that median rose by 3 dB on a real clip with noise added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coach.analysis.vad import FRAME_S, VoiceActivity, frame_levels_db

NOISY_SNR_DB = 15.0
"""feedback-science.md §5: warn when the voice is less than 15 dB above the room."""
EDGE_GUARD_S = 0.1
"""Breaths and the decay of the last word sit next to speech; they are not the room."""
MIN_SILENCE_S = 0.5
"""Half a second of frames gives a stable median; less is mostly word edges."""
DIGITAL_SILENCE_DBFS = -100.0
"""Padding with exact zeros reads -200 dBFS; no microphone is that quiet."""
ACTIVE_MARGIN_DB = 15.9
"""ITU-T P.56 method B: speech is active while within 15.9 dB of the active speech level."""


def active_speech_level_dbfs(levels_db: np.ndarray) -> float | None:
    """P.56 active level: mean power of the frames above (that level - 15.9 dB).

    Found by fixed-point iteration from the 95th percentile; the mean rises more slowly than
    the threshold under it, so the iteration settles in a few steps.
    """
    audible = levels_db[levels_db > DIGITAL_SILENCE_DBFS]
    if audible.size == 0:
        return None
    power = 10.0 ** (audible / 10.0)
    level = float(np.percentile(audible, 95))
    for _ in range(50):
        active = audible > level - ACTIVE_MARGIN_DB
        new = 10.0 * float(np.log10(np.mean(power[active])))
        if abs(new - level) < 0.01:
            break
        level = new
    return level


@dataclass(frozen=True)
class RoomNoise:
    noise_dbfs: float | None
    snr_db: float | None
    noisy: bool | None
    reasons: dict[str, str] = field(default_factory=dict)


def _near_speech(n_frames: int, speech: VoiceActivity, guard_s: float) -> np.ndarray:
    """True for frames whose centre lies within `guard_s` of a speech segment."""
    centres = (np.arange(n_frames) + 0.5) * FRAME_S
    near = np.zeros(n_frames, dtype=bool)
    for seg in speech.segments:
        near |= (centres > seg.start_s - guard_s) & (centres < seg.end_s + guard_s)
    return near


def noise_floor_dbfs(levels: np.ndarray, speech: VoiceActivity) -> float | None:
    """Median level of the frames at least `EDGE_GUARD_S` away from speech; None if too few."""
    quiet = ~_near_speech(len(levels), speech, EDGE_GUARD_S)
    if quiet.sum() * FRAME_S < MIN_SILENCE_S:
        return None
    return max(DIGITAL_SILENCE_DBFS, float(np.median(levels[quiet])))


def measure_room_noise(samples16k: np.ndarray, speech: VoiceActivity) -> RoomNoise:
    """Noise floor and the voice's distance above it; None with a reason when unknowable."""
    levels = frame_levels_db(np.asarray(samples16k, dtype=np.float32))
    noise = noise_floor_dbfs(levels, speech)
    if noise is None:
        why = f"less than {MIN_SILENCE_S:.1f} s without speech to hear the room"
        return RoomNoise(None, None, None, {"noise_dbfs": why, "snr_db": why, "noisy": why})
    voice = active_speech_level_dbfs(levels[_near_speech(len(levels), speech, 0.0)])
    if voice is None:
        why = "no speech to compare with the room noise"
        return RoomNoise(noise, None, None, {"snr_db": why, "noisy": why})
    snr = voice - noise
    return RoomNoise(noise, snr, snr < NOISY_SNR_DB)
