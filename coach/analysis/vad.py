"""Voice activity: where the speaker talks, where they pause, and how long they think first.

webrtcvad alone marks steady background noise (an old recording, a fan) as speech and its verdict
depends on the input level, so each 30 ms frame must pass two tests: webrtcvad on a
level-normalised copy, and an energy gate: at least `SNR_GATE_DB` above the take's own noise
floor and no more than `SILENCE_BELOW_PEAK_DB` below its loudest speech. The second bound makes
speech time, and so articulation rate and pauses, about the same in a quiet and a noisy room
and at any microphone gain; with the noise-floor bound alone, pink noise 30 dB below the speech
shortened the measured speech of a real clip by 7.5 % and a 20 dB quieter input by 10 %.
Gaps shorter than `MIN_PAUSE_S` (0.25 s, Hincks 2005 / Goldman-Eisler) are not pauses and are
bridged; blobs shorter than `MIN_SEGMENT_S` are clicks, not speech.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.analysis.audio_io import ANALYSIS_RATE
from coach.errors import AnalysisError

FRAME_S = 0.03
FRAME_LEN = int(ANALYSIS_RATE * FRAME_S)  # 480 samples: a frame size webrtcvad accepts
MIN_PAUSE_S = 0.25
LONG_PAUSE_S = 2.5
MIN_SEGMENT_S = 0.08
SNR_GATE_DB = 6.0
"""A frame must carry at least ~4x the noise-floor power to count as speech."""
SILENCE_BELOW_PEAK_DB = 25.0
"""Silence threshold of de Jong & Wempe (2009) and Praat's "To TextGrid (silences)": 25 dB below
the loudest speech (the 99th percentile, so a single click does not set it). The syllable
detector uses the same threshold."""
PEAK_WINDOW_S = 10.0
"""The loudest speech is taken over the surrounding 10 s (the windows pitch and loudness use),
not the whole take: over the whole take a 2 s laugh 20 dB above the voice hid 22 % of a 58 s
answer, and a speaker who leaned back for the second half (-15 dB) lost 14 % of it; with
10 s windows 9 % and 1 % (`tests/analysis/test_vad.py`)."""
ABSOLUTE_FLOOR_DBFS = -70.0
"""Below this nothing is usable speech on a consumer microphone; stops normalising up hiss.
It was -60 dBFS, which cut the soft ends of words from a quiet but clean microphone."""
NOISE_PERCENTILE = 10.0
TARGET_LEVEL_DBFS = -20.0
MAX_GAIN_DB = 30.0
VAD_AGGRESSIVENESS = 2


@dataclass(frozen=True)
class Segment:
    """A time span in seconds from the start of the take."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, float]:
        return {"start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3)}


@dataclass(frozen=True)
class VoiceActivity:
    """Speech segments of one take plus the pause measures derived from them."""

    segments: tuple[Segment, ...]
    duration_s: float

    @property
    def has_speech(self) -> bool:
        return bool(self.segments)

    @property
    def speech_s(self) -> float:
        return float(sum(s.duration_s for s in self.segments))

    @property
    def span(self) -> Segment | None:
        """From the first to the last speech frame: the answer without think time or tail."""
        if not self.segments:
            return None
        return Segment(self.segments[0].start_s, self.segments[-1].end_s)

    @property
    def leading_silence_s(self) -> float | None:
        return self.segments[0].start_s if self.segments else None

    @property
    def speaking_ratio(self) -> float | None:
        """Share of the speaking span spent talking (leading and trailing silence excluded)."""
        span = self.span
        if span is None or span.duration_s <= 0:
            return None
        return self.speech_s / span.duration_s

    def pauses(self, min_s: float = MIN_PAUSE_S) -> list[Segment]:
        """Silences of at least `min_s` between two speech segments."""
        gaps = [
            Segment(a.end_s, b.start_s)
            for a, b in zip(self.segments, self.segments[1:], strict=False)
        ]
        return [g for g in gaps if g.duration_s >= min_s - 1e-9]

    def long_pauses(self, min_s: float = LONG_PAUSE_S) -> list[Segment]:
        return self.pauses(min_s)

    def overlap_s(self, start_s: float, end_s: float, pad_s: float = 0.0) -> float:
        """Seconds of [start_s, end_s] covered by speech segments widened by `pad_s`."""
        total = 0.0
        for s in self.segments:
            lo, hi = max(start_s, s.start_s - pad_s), min(end_s, s.end_s + pad_s)
            if hi > lo:
                total += hi - lo
        return total


def frame_levels_db(samples16k: np.ndarray) -> np.ndarray:
    """RMS level in dBFS of each whole 30 ms frame (digital silence is -200 dB)."""
    n = len(samples16k) // FRAME_LEN
    if n == 0:
        return np.zeros(0)
    frames = samples16k[: n * FRAME_LEN].astype(np.float64).reshape(n, FRAME_LEN)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return np.asarray(20.0 * np.log10(np.maximum(rms, 1e-10)))


def _webrtc_flags(samples16k: np.ndarray, levels_db: np.ndarray, aggressiveness: int) -> np.ndarray:
    try:
        import webrtcvad
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise AnalysisError(
            "Voice activity detection is unavailable: install webrtcvad-wheels.", detail=str(exc)
        ) from exc
    loud = levels_db[levels_db > ABSOLUTE_FLOOR_DBFS]
    ref = float(np.percentile(loud, 95)) if loud.size else TARGET_LEVEL_DBFS
    gain_db = float(np.clip(TARGET_LEVEL_DBFS - ref, -MAX_GAIN_DB, MAX_GAIN_DB))
    scaled = np.clip(samples16k * 10 ** (gain_db / 20), -1.0, 1.0)
    pcm = (scaled * 32767).astype("<i2")
    vad = webrtcvad.Vad(aggressiveness)
    n = len(levels_db)
    return np.array(
        [
            vad.is_speech(pcm[i * FRAME_LEN : (i + 1) * FRAME_LEN].tobytes(), ANALYSIS_RATE)
            for i in range(n)
        ],
        dtype=bool,
    )


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) frame index pairs of consecutive True runs, end exclusive."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def local_peak_db(levels_db: np.ndarray) -> np.ndarray:
    """99th percentile of the frame levels within `PEAK_WINDOW_S` around each frame."""
    from scipy.ndimage import percentile_filter

    size = round(PEAK_WINDOW_S / FRAME_S)
    if len(levels_db) <= size:
        return np.full(len(levels_db), float(np.percentile(levels_db, 99)))
    return np.asarray(percentile_filter(levels_db, 99, size=size, mode="nearest"))


def detect_voice_activity(
    samples16k: np.ndarray, aggressiveness: int = VAD_AGGRESSIVENESS
) -> VoiceActivity:
    """Find speech segments in 16 kHz mono float audio."""
    x = np.asarray(samples16k, dtype=np.float32)
    duration = len(x) / ANALYSIS_RATE
    levels = frame_levels_db(x)
    if levels.size == 0:
        return VoiceActivity((), duration)
    noise_floor = float(np.percentile(levels, NOISE_PERCENTILE))
    gate = np.maximum(
        max(ABSOLUTE_FLOOR_DBFS, noise_floor + SNR_GATE_DB),
        local_peak_db(levels) - SILENCE_BELOW_PEAK_DB,
    )
    flags = _webrtc_flags(x, levels, aggressiveness) & (levels > gate)
    runs = _runs(flags)
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and (a - merged[-1][1]) * FRAME_S < MIN_PAUSE_S - 1e-9:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    segments = tuple(
        Segment(a * FRAME_S, b * FRAME_S)
        for a, b in merged
        if (b - a) * FRAME_S >= MIN_SEGMENT_S - 1e-9
    )
    return VoiceActivity(segments, duration)
