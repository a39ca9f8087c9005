"""Speech level, its variation, clipping and too-quiet input, all relative to digital full scale.

Without a calibrated microphone only dBFS is knowable (feedback-science.md §5). Levels are RMS
over 50 ms around each voiced pitch frame, so pauses and breaths do not drag the median down;
variation is the SD in dB per 10 s window (the same windows as pitch), median over windows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coach.analysis.audio_io import ANALYSIS_RATE
from coach.analysis.pitch import MIN_VOICED_FOR_VARIATION_S, TIME_STEP_S, PitchTrack, windowed_sd

RMS_WINDOW_S = 0.05
CLIP_LEVEL = 0.99
"""feedback-science.md §5: 'warn if peaks clip (|x| >= 0.99)'."""
CLIP_RUN_SAMPLES = 3
"""A real clip flattens the wave: several consecutive samples at full scale, not one peak."""
TOO_QUIET_DBFS = -36.0
"""6 dB below the bottom of the -30 to -12 dBFS target range (the §5 '6 dB below' rule)."""
MIN_VOICED_FOR_LEVEL_S = 0.5


@dataclass(frozen=True)
class LoudnessStats:
    median_dbfs: float | None
    variation_db: float | None
    clipped_samples: int
    clipping: bool
    too_quiet: bool | None
    reasons: dict[str, str] = field(default_factory=dict)
    # Level of the last third of the voiced speech minus the first third: a voice that keeps
    # getting louder reads as pressing (feedback-science §5 uses 6 dB steps against a baseline).
    trend_db: float | None = None


def clipping_runs(samples: np.ndarray) -> tuple[int, int]:
    """(samples at or above CLIP_LEVEL, runs of >= CLIP_RUN_SAMPLES such samples)."""
    hot = np.abs(np.asarray(samples)) >= CLIP_LEVEL
    count = int(hot.sum())
    if count == 0:
        return 0, 0
    padded = np.concatenate(([0], hot.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    lengths = edges[1::2] - edges[::2]
    return count, int((lengths >= CLIP_RUN_SAMPLES).sum())


def levels_at(samples16k: np.ndarray, times: np.ndarray) -> np.ndarray:
    """RMS level in dBFS of the 50 ms centred on each time."""
    x = np.asarray(samples16k, dtype=np.float64)
    if len(times) == 0 or len(x) == 0:
        return np.zeros(0)
    csum = np.concatenate(([0.0], np.cumsum(x * x)))
    half = int(RMS_WINDOW_S * ANALYSIS_RATE / 2)
    centre = np.round(np.asarray(times) * ANALYSIS_RATE).astype(np.int64)
    lo = np.clip(centre - half, 0, len(x))
    hi = np.clip(centre + half, 0, len(x))
    n = np.maximum(hi - lo, 1)
    rms = np.sqrt((csum[hi] - csum[lo]) / n)
    return np.asarray(20.0 * np.log10(np.maximum(rms, 1e-10)))


def analyze_loudness(
    samples16k: np.ndarray, track: PitchTrack, original: np.ndarray | None = None
) -> LoudnessStats:
    """Loudness of voiced speech; clipping counts on `original` (resampling smears peaks)."""
    clipped, runs = clipping_runs(samples16k if original is None else original)
    reasons: dict[str, str] = {}
    levels = levels_at(samples16k, track.times)
    voiced_s = len(levels) * TIME_STEP_S
    median: float | None = None
    too_quiet: bool | None = None
    if voiced_s >= MIN_VOICED_FOR_LEVEL_S:
        median = float(np.median(levels))
        too_quiet = median < TOO_QUIET_DBFS
    else:
        why = f"only {voiced_s:.1f} s of voiced speech"
        reasons["loudness_dbfs"] = why
        reasons["too_quiet"] = why
    variation: float | None = None
    if voiced_s >= MIN_VOICED_FOR_VARIATION_S:
        wins = windowed_sd(track.times, levels, len(samples16k) / ANALYSIS_RATE)
        variation = (
            float(np.median([w[2] for w in wins])) if wins else float(np.std(levels, ddof=1))
        )
    else:
        reasons["loudness_variation_db"] = (
            f"only {voiced_s:.1f} s of voiced speech; at least "
            f"{MIN_VOICED_FOR_VARIATION_S:.0f} s are needed to judge loudness variation"
        )
    trend: float | None = None
    if voiced_s >= MIN_VOICED_FOR_VARIATION_S:
        third = len(levels) // 3
        trend = float(np.median(levels[-third:]) - np.median(levels[:third]))
    else:
        reasons["loudness_trend_db"] = (
            f"only {voiced_s:.1f} s of voiced speech; at least "
            f"{MIN_VOICED_FOR_VARIATION_S:.0f} s are needed to compare its start and end"
        )
    return LoudnessStats(median, variation, clipped, runs > 0, too_quiet, reasons, trend)
