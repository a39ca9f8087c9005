"""Syllable nuclei from the audio itself, so pace still works when the transcript is poor.

Principle of de Jong & Wempe (2009, Behavior Research Methods 41:385) and Praat's Syllable Nuclei
v3: a nucleus is a voiced peak of the intensity contour, within 25 dB of the loudest part, that
stands out from its surroundings by a minimum dip. Changes, each general rather than fitted:
see `SyllableMethod` for the values and their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from coach.analysis.audio_io import ANALYSIS_RATE
from coach.analysis.vad import VoiceActivity


@dataclass(frozen=True)
class SyllableMethod:
    """Parameters of the nucleus detector.

    - `min_pitch_hz` 75: Praat's intensity window is 3.2 / min_pitch (43 ms at 75 Hz). The v3
      default of 50 Hz (64 ms) blurs syllables at the 6-8 syllables/s of fast speech, one reason
      it undercounts; 75 Hz is Praat's own default floor for speech.
    - `min_prominence_db` 1.5 on both sides (topographic prominence) instead of v3's 2 dB dip
      towards the next peak only: v3 never counts the last peak of a take and rejects a
      syllable followed by a louder one even when it is well separated.
    - `silence_db` -25: v3's silence threshold relative to the 99th-percentile intensity.
    - `min_spacing_s` 0.06: two nuclei closer than the shortest syllables of fast speech
      (~50-70 ms; the mean at 8-9 syllables/s is 110-125 ms) are one vowel with a ripple; the
      louder peak wins. Middle of that range, not fitted.
    - Voicing: Praat autocorrelation pitch with v3's voicing settings (ceiling 450 Hz, voicing
      threshold 0.25) but the same 75 Hz floor as the intensity: v3's 30 Hz floor makes a
      100 ms pitch window that straddles syllables, so a stressed vowel whose F0 moves fast
      can be called unvoiced at its own peak.
    - `voicing_reach_s` 0.025: a nucleus counts as voiced if F0 exists within half a minimal
      (~50 ms) vowel of the peak, because the peak of a short vowel can sit on the edge of
      the pitch track's voiced frames.
    """

    min_pitch_hz: float = 75.0
    min_prominence_db: float = 1.5
    silence_db: float = -25.0
    time_step_s: float = 0.01
    min_spacing_s: float = 0.06
    voicing_reach_s: float = 0.025


DEFAULT_METHOD = SyllableMethod()


@dataclass(frozen=True)
class SyllableNuclei:
    times: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.times)


def _voiced_near(snd: object, times: np.ndarray, method: SyllableMethod) -> np.ndarray:
    """True where the pitch track is voiced within `voicing_reach_s` of each time."""
    import parselmouth

    assert isinstance(snd, parselmouth.Sound)
    pitch = snd.to_pitch_ac(
        time_step=method.time_step_s,
        pitch_floor=method.min_pitch_hz,
        max_number_of_candidates=4,
        very_accurate=False,
        silence_threshold=0.03,
        voicing_threshold=0.25,
        octave_cost=0.01,
        octave_jump_cost=0.35,
        voiced_unvoiced_cost=0.25,
        pitch_ceiling=450.0,
    )
    f0 = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
    frame_t = np.asarray(pitch.xs(), dtype=np.float64)
    voiced_t = frame_t[f0 > 0]
    if len(voiced_t) == 0:
        return np.zeros(len(times), dtype=bool)
    nearest = np.searchsorted(voiced_t, times)
    left = np.abs(times - voiced_t[np.clip(nearest - 1, 0, len(voiced_t) - 1)])
    right = np.abs(voiced_t[np.clip(nearest, 0, len(voiced_t) - 1)] - times)
    # a frame is voiced over +-half a time step around its centre
    reach = method.voicing_reach_s + method.time_step_s / 2
    return np.asarray(np.minimum(left, right) <= reach + 1e-9)


def find_syllable_nuclei(
    samples16k: np.ndarray,
    speech: VoiceActivity | None = None,
    method: SyllableMethod = DEFAULT_METHOD,
) -> SyllableNuclei:
    """Times of syllable nuclei; only inside `speech` segments when given."""
    import parselmouth

    x = np.asarray(samples16k, dtype=np.float64)
    if len(x) < int(6.4 / method.min_pitch_hz * ANALYSIS_RATE):
        return SyllableNuclei(())
    snd = parselmouth.Sound(x, ANALYSIS_RATE)
    intensity = snd.to_intensity(
        minimum_pitch=method.min_pitch_hz, time_step=method.time_step_s, subtract_mean=True
    )
    t = np.asarray(intensity.xs(), dtype=np.float64)
    v = np.asarray(intensity.values[0], dtype=np.float64)
    if len(v) < 3:
        return SyllableNuclei(())
    threshold = max(float(np.quantile(v, 0.99)) + method.silence_db, float(v.min()))
    spacing = max(1, round(method.min_spacing_s / method.time_step_s))
    peaks, _ = find_peaks(v, prominence=method.min_prominence_db, distance=spacing)
    peaks = peaks[v[peaks] > threshold]
    times = t[peaks]
    if speech is not None:
        times = np.array([tt for tt in times if speech.overlap_s(tt, tt + 1e-6) > 0])
    if len(times) == 0:
        return SyllableNuclei(())
    times = times[_voiced_near(snd, times, method)]
    return SyllableNuclei(tuple(float(tt) for tt in times))
