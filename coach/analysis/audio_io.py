"""Reading any audio file into one float32 mono array, and resampling to the 16 kHz analysis rate.

soundfile bundles libsndfile >= 1.1, which reads WAV, FLAC, OGG/Vorbis and MP3 without FFmpeg, so
the analysis needs no external decoder.
"""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from coach.errors import AnalysisError

ANALYSIS_RATE = 16_000
"""webrtcvad, Whisper and pocketsphinx all want 16 kHz mono."""


def load_audio(path: Path) -> tuple[np.ndarray, int]:
    """Return (samples, rate): float32 mono in [-1, 1] at the file's own rate.

    Channels are averaged (a stereo take from a USB headset is two copies of one voice).
    Raises AnalysisError with the file name for anything that is not readable, non-empty audio.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise AnalysisError(f"Cannot read {name}: the file does not exist.", detail=str(path))
    if path.is_dir():
        raise AnalysisError(f"Cannot read {name}: it is a folder, not an audio file.")
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except sf.LibsndfileError as exc:
        raise AnalysisError(
            f"Cannot read {name}: not a supported audio file (WAV, FLAC, OGG or MP3).",
            detail=str(exc),
        ) from exc
    except (sf.SoundFileError, OSError, RuntimeError, ValueError) as exc:
        # libsndfile reports some corrupt files as generic runtime errors mid-decode.
        raise AnalysisError(
            f"Cannot read {name}: the audio data is damaged.", detail=str(exc)
        ) from exc
    if data.shape[0] == 0:
        raise AnalysisError(f"Cannot read {name}: the file contains no audio.")
    if rate <= 0:
        raise AnalysisError(f"Cannot read {name}: invalid sample rate {rate}.")
    mono = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
    mono = np.ascontiguousarray(mono, dtype=np.float32)
    if not np.all(np.isfinite(mono)):
        raise AnalysisError(f"Cannot read {name}: the audio contains invalid (NaN) samples.")
    return np.clip(mono, -1.0, 1.0), int(rate)


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resample float mono audio to 16 kHz with a polyphase filter (no-op at 16 kHz)."""
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim != 1:
        raise ValueError(f"expected mono samples, got shape {x.shape}")
    if rate == ANALYSIS_RATE:
        return x
    if rate <= 0:
        raise ValueError(f"invalid sample rate {rate}")
    g = gcd(ANALYSIS_RATE, int(rate))
    up, down = ANALYSIS_RATE // g, int(rate) // g
    return np.asarray(resample_poly(x, up, down), dtype=np.float32)
