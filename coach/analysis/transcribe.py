"""Speech recognition port: word-timed transcripts from faster-whisper or pocketsphinx.

The rest of the app sees only `Transcriber.transcribe(samples16k) -> Transcript`; which engine
ran and how far to trust it travels with the transcript (`engine`, `low_accuracy`, `note`).
Engines import their libraries lazily, so importing this module is cheap and a missing library
becomes a `ModelMissingError` with a message instead of an ImportError at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from coach import paths
from coach.errors import AnalysisError

SAMPLE_RATE = 16_000
WHISPER_CACHE_NAME = "whisper-base"

# Energy gate before ASR (platform.md §8.5): Whisper invents words on near-silence. 0.0025 RMS
# (about -52 dBFS) is the gate used by Vexa (issue #617); it sits well under quiet speech
# (-40 dBFS) and over a quiet room. Measured on the loudest 1 % of 30 ms frames so one click
# does not open it and a short answer in a long silence does not close it.
ENERGY_GATE_RMS = 0.0025
_GATE_FRAME = 480  # 30 ms at 16 kHz
_GATE_PERCENTILE = 99.0

ENGINES = ("auto", "whisper", "pocketsphinx", "none")


@dataclass(frozen=True)
class Word:
    """One recognised word; times in seconds from the start of the samples."""

    text: str
    start_s: float
    end_s: float
    probability: float | None = None


@dataclass(frozen=True)
class Transcript:
    """Words plus how much to trust them: `low_accuracy` and `note` are shown to the user."""

    words: tuple[Word, ...]
    text: str
    engine: str
    low_accuracy: bool
    note: str = ""


class Transcriber(Protocol):
    """Anything that turns 16 kHz mono float32 samples into a Transcript."""

    name: str

    def transcribe(self, samples16k: np.ndarray) -> Transcript: ...


def as_mono_float32(samples16k: np.ndarray) -> np.ndarray:
    """Validate the engine input: 1-D (or one-column) finite float samples at 16 kHz."""
    data = np.asarray(samples16k, dtype=np.float32)
    if data.ndim == 2 and data.shape[1] == 1:
        data = data[:, 0]
    if data.ndim != 1:
        raise ValueError(f"transcribe() needs mono samples, got shape {data.shape}")
    if data.size and not np.isfinite(data).all():
        raise AnalysisError("The recording contains invalid samples (NaN or infinity).")
    return np.ascontiguousarray(data)


def loudest_frame_rms(samples: np.ndarray) -> float:
    """RMS of the loudest 1 % of 30 ms frames (0.0 for empty input)."""
    if samples.size == 0:
        return 0.0
    frames = samples.size // _GATE_FRAME
    if frames == 0:
        return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    blocks = samples[: frames * _GATE_FRAME].reshape(frames, _GATE_FRAME).astype(np.float64)
    rms = np.sqrt(np.mean(np.square(blocks), axis=1))
    return float(np.percentile(rms, _GATE_PERCENTILE))


def no_speech(engine: str, low_accuracy: bool, note: str) -> Transcript:
    """The transcript for input that held no speech: no words, never invented ones."""
    return Transcript(words=(), text="", engine=engine, low_accuracy=low_accuracy, note=note)


def gate_note(level_rms: float) -> str:
    db = 20 * np.log10(max(level_rms, 1e-10))
    return f"No speech detected: the input level ({db:.0f} dBFS) is below the speech gate."


def is_whisper_model_dir(folder: Path) -> bool:
    """A CTranslate2 Whisper folder faster-whisper can load without any download.

    tokenizer.json is required too: without it faster-whisper fetches one from the Hub.
    """
    return (
        (folder / "model.bin").is_file()
        and (folder / "config.json").is_file()
        and (folder / "tokenizer.json").is_file()
        and any(folder.glob("vocabulary.*"))
    )


def _candidates(root: Path) -> Iterator[Path]:
    """`root` itself, then its sub-folders in name order."""
    yield root
    if root.is_dir():
        yield from sorted(p for p in root.iterdir() if p.is_dir())


def resolve_whisper_model(configured: Path | None = None) -> Path | None:
    """The Whisper model folder to use, or None; never downloads anything.

    Order: the folder the user configured (or a model folder directly inside it), then the
    app's model cache (`models_dir()/whisper-base`, then any sub-folder with a model).
    """
    if configured is not None:
        for folder in _candidates(configured.expanduser()):
            if is_whisper_model_dir(folder):
                return folder
    cache = paths.models_dir()
    preferred = cache / WHISPER_CACHE_NAME
    if is_whisper_model_dir(preferred):
        return preferred
    for folder in _candidates(cache):
        if is_whisper_model_dir(folder):
            return folder
    return None
