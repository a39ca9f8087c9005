"""Signal checks for the audio tests: resampling and lag-tolerant correlation."""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np
from scipy.signal import correlate, resample_poly

DATA = Path(__file__).resolve().parents[1] / "data"
SPEECH = DATA / "librispeech_2412-153948-0000.flac"
ROOT = Path(__file__).resolve().parents[2]

MATCH_NCC = 0.8
"""A recording that contains the clip correlates near 1 (0.987 measured through this path in
platform.md §5); unrelated speech or noise stays far below 0.5."""


def to_16k_mono(samples: np.ndarray, rate: int) -> np.ndarray:
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    g = gcd(int(rate), 16000)
    return resample_poly(mono.astype(np.float64), 16000 // g, int(rate) // g)


def ncc_peak(recording: np.ndarray, clip: np.ndarray, slack_s: float = 1.0) -> tuple[float, int]:
    """Best normalised cross-correlation of ``clip`` against every window of ``recording``.

    The clip starts at an unknown lag (stream start-up, server buffering), and the recording may
    begin a few ms after the clip did or stop before its tail, so every lag is tried, the
    recording is zero-padded by ``slack_s`` on both sides, and each window is normalised by its
    own energy. Returns (peak value, lag in samples relative to the unpadded recording).
    """
    pad = np.zeros(int(slack_s * 16000))
    padded = np.concatenate([pad, recording, pad])
    if padded.shape[0] < clip.shape[0]:
        padded = np.concatenate([padded, np.zeros(clip.shape[0] - padded.shape[0])])
    dots = correlate(padded, clip, mode="valid", method="fft")
    energy = np.concatenate([[0.0], np.cumsum(padded**2)])
    window = energy[clip.shape[0] :] - energy[: -clip.shape[0]]
    denom = np.sqrt(np.maximum(window, 1e-12) * float(np.sum(clip**2)))
    ncc = dots / denom
    lag = int(np.argmax(ncc))
    return float(ncc[lag]), lag - pad.shape[0]
