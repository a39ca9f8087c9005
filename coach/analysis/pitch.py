"""Pitch level and pitch variation (monotony) in semitones, with Praat through parselmouth.

Method (feedback-science.md §4): Praat autocorrelation pitch every 10 ms in a speaker-adapted range
(two passes, Hirst 2011: floor = 0.75 x Q1, ceiling = 1.5 x Q3 of a wide first pass), voiced frames
inside speech only, octave jumps (> 6 st from a 7-frame running median) dropped, SD in semitones
per 10 s window (Hincks 2004/2005), the answer's value being the median over windows.
Variation is only judged from >= 5 s of voiced speech.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import median_filter

from coach.analysis.audio_io import ANALYSIS_RATE
from coach.analysis.vad import VoiceActivity

TIME_STEP_S = 0.01
FIRST_PASS_RANGE_HZ = (60.0, 700.0)
DEFAULT_RANGE_HZ = (75.0, 500.0)
OCTAVE_JUMP_ST = 6.0
MEDIAN_FRAMES = 7
WINDOW_S = 10.0
WINDOW_HOP_S = 5.0
MIN_WINDOW_VOICED_S = 2.5
MIN_VOICED_FOR_VARIATION_S = 5.0
"""feedback-science.md §4 step 5 / §10 minimum evidence."""
MIN_VOICED_FOR_MEDIAN_S = 0.5
"""A level (not a judgement) needs only a few syllables; below this we say nothing."""
FLAT_ST = 2.0
"""Hincks' least lively speaker mean PDQ 0.11 ~ 1.9 st; hot-mic's 2 st normalisation."""


@dataclass(frozen=True)
class FlatStretch:
    """A stretch of at least one 10 s window whose pitch SD stayed under `FLAT_ST`."""

    start_s: float
    end_s: float
    sd_st: float

    def to_dict(self) -> dict[str, float]:
        return {
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "sd_st": round(self.sd_st, 2),
        }


@dataclass(frozen=True)
class PitchTrack:
    """Cleaned F0 of voiced speech frames: times (s) and F0 (Hz), same length."""

    times: np.ndarray
    f0_hz: np.ndarray
    floor_hz: float
    ceiling_hz: float

    @property
    def voiced_s(self) -> float:
        return float(len(self.f0_hz) * TIME_STEP_S)


@dataclass(frozen=True)
class PitchStats:
    median_hz: float | None
    variation_st: float | None
    voiced_s: float
    flat_stretches: list[FlatStretch] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)


def _raw_pitch(
    samples16k: np.ndarray, floor: float, ceiling: float
) -> tuple[np.ndarray, np.ndarray]:
    import parselmouth

    snd = parselmouth.Sound(np.asarray(samples16k, dtype=np.float64), ANALYSIS_RATE)
    pitch = snd.to_pitch_ac(time_step=TIME_STEP_S, pitch_floor=floor, pitch_ceiling=ceiling)
    f0 = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
    return np.asarray(pitch.xs(), dtype=np.float64), f0


def _in_speech(times: np.ndarray, speech: VoiceActivity | None, pad_s: float = 0.05) -> np.ndarray:
    if speech is None:
        return np.ones(len(times), dtype=bool)
    mask = np.zeros(len(times), dtype=bool)
    for s in speech.segments:
        mask |= (times >= s.start_s - pad_s) & (times <= s.end_s + pad_s)
    return mask


def semitones(f0_hz: np.ndarray) -> np.ndarray:
    """Semitones re 100 Hz; the reference cancels out of any SD."""
    return np.asarray(12.0 * np.log2(np.asarray(f0_hz, dtype=np.float64) / 100.0))


def track_pitch(samples16k: np.ndarray, speech: VoiceActivity | None = None) -> PitchTrack:
    """Voiced F0 frames inside speech, in a range adapted to this speaker, octave jumps removed."""
    x = np.asarray(samples16k, dtype=np.float64)
    min_len = int(3 / FIRST_PASS_RANGE_HZ[0] * ANALYSIS_RATE) + 1  # Praat needs 3 periods
    if len(x) < min_len:
        empty = np.zeros(0)
        return PitchTrack(empty, empty, *DEFAULT_RANGE_HZ)
    times, f0 = _raw_pitch(x, *FIRST_PASS_RANGE_HZ)
    voiced = f0[(f0 > 0) & _in_speech(times, speech)]
    if len(voiced) >= 20:
        q1, q3 = np.percentile(voiced, [25, 75])
        floor = float(max(40.0, 0.75 * q1))
        ceiling = float(min(1000.0, max(1.5 * q3, floor * 2.5)))
    else:
        floor, ceiling = DEFAULT_RANGE_HZ
    times, f0 = _raw_pitch(x, floor, ceiling)
    keep = (f0 > 0) & _in_speech(times, speech)
    t, v = times[keep], f0[keep]
    ok = octave_jump_free(semitones(v))
    return PitchTrack(t[ok], v[ok], floor, ceiling)


def octave_jump_free(st: np.ndarray) -> np.ndarray:
    """Mask of frames within 6 st of a 7-frame running median (the rest are tracker errors)."""
    if len(st) < 3:
        return np.ones(len(st), dtype=bool)
    smooth = median_filter(st, size=min(MEDIAN_FRAMES, len(st) | 1), mode="nearest")
    return np.asarray(np.abs(st - smooth) <= OCTAVE_JUMP_ST)


def _windows(duration_s: float) -> list[tuple[float, float]]:
    """10 s windows every 5 s; the last one ends at the end of the take."""
    if duration_s <= WINDOW_S:
        return [(0.0, duration_s)]
    starts = list(np.arange(0.0, duration_s - WINDOW_S + 1e-9, WINDOW_HOP_S))
    wins = [(float(s), float(s) + WINDOW_S) for s in starts]
    if wins[-1][1] < duration_s - 1e-6:
        wins.append((duration_s - WINDOW_S, duration_s))
    return wins


def windowed_sd(
    times: np.ndarray, values: np.ndarray, duration_s: float
) -> list[tuple[float, float, float]]:
    """(start, end, SD) of `values` per 10 s window that holds >= 2.5 s of voiced frames."""
    out = []
    for a, b in _windows(duration_s):
        sel = values[(times >= a) & (times < b)]
        if len(sel) * TIME_STEP_S >= MIN_WINDOW_VOICED_S and len(sel) > 1:
            out.append((a, b, float(np.std(sel, ddof=1))))
    return out


def _merge_flat(windows: list[tuple[float, float, float]]) -> list[FlatStretch]:
    stretches: list[FlatStretch] = []
    for a, b, sd in windows:
        if sd >= FLAT_ST:
            continue
        if stretches and a <= stretches[-1].end_s:
            last = stretches[-1]
            stretches[-1] = FlatStretch(last.start_s, b, min(last.sd_st, sd))
        else:
            stretches.append(FlatStretch(a, b, sd))
    return stretches


def analyze_pitch(
    samples16k: np.ndarray,
    speech: VoiceActivity | None = None,
    *,
    track: PitchTrack | None = None,
) -> PitchStats:
    """Median F0 and pitch variation of one take; None plus a reason where it cannot be judged."""
    duration = len(samples16k) / ANALYSIS_RATE
    if track is None:
        track = track_pitch(samples16k, speech)
    reasons: dict[str, str] = {}
    voiced_s = track.voiced_s
    median_hz: float | None = None
    if voiced_s >= MIN_VOICED_FOR_MEDIAN_S:
        median_hz = float(np.median(track.f0_hz))
    else:
        reasons["pitch_median_hz"] = f"only {voiced_s:.1f} s of voiced speech"
    variation: float | None = None
    flats: list[FlatStretch] = []
    if voiced_s >= MIN_VOICED_FOR_VARIATION_S:
        st = semitones(track.f0_hz)
        wins = windowed_sd(track.times, st, duration)
        variation = float(np.median([w[2] for w in wins])) if wins else float(np.std(st, ddof=1))
        flats = _merge_flat(wins)
    else:
        reasons["pitch_variation_st"] = (
            f"only {voiced_s:.1f} s of voiced speech; at least "
            f"{MIN_VOICED_FOR_VARIATION_S:.0f} s are needed to judge pitch variation"
        )
    return PitchStats(median_hz, variation, voiced_s, flats, reasons)
