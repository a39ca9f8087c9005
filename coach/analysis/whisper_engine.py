"""faster-whisper engine: accurate timed words, tuned to keep fillers and not invent words.

Decoding choices and why (platform.md §8.3, §8.5):
- a short filler prompt, because Whisper otherwise drops um/uh, while long prompts lose sentences;
- Silero VAD, no context carried between windows, a log-probability threshold and a
  no-speech-probability gate, because Whisper hallucinates phrases on silence;
- an energy gate before any decoding, so a user who freezes gets "no speech detected".
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from coach.analysis.transcribe import (
    ENERGY_GATE_RMS,
    Transcript,
    Word,
    as_mono_float32,
    gate_note,
    is_whisper_model_dir,
    loudest_frame_rms,
    no_speech,
)
from coach.errors import ModelMissingError

# Capped near 32 characters (wassgha/rescript#59); longer prompts made whole sentences vanish
# (m-bain/whisperX#693).
FILLER_PROMPT = "Um, uh, hmm, er, ah."
# Segments Whisper itself thinks are probably not speech are dropped outright
# (TypeWhisper/typewhisper-win#23 uses 0.8); faster-whisper's own rule needs a low logprob too.
NO_SPEECH_DROP = 0.8
LOG_PROB_THRESHOLD = -1.0  # screenpipe/screenpipe#4070
FALLBACK_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
"""faster-whisper's schedule: greedy first, sampling only for a window whose decoding failed (a
repetition loop, a low log-probability). Sampling makes a few takes differ run to run (3 of 20
halting read sentences), but greedy alone looped on halting speech ("old old old ..." for a
whole window) where the fallback recovers, and seeding CTranslate2 did not make it repeatable."""
NOTE = (
    "Whisper may leave out some um/uh (it found 25 of 32 in labelled speech), "
    "so filler counts are a lower bound."
)
"""Figures from benchmarks/filler_counts.py on tests/data/fillers (one speaker)."""

_models: dict[tuple[str, str], tuple[Any, threading.Lock]] = {}
_models_lock = threading.Lock()


def _load_model(folder: Path, compute_type: str) -> tuple[Any, threading.Lock]:
    """Load once per (folder, compute type) and share: the model is large and slow to load."""
    key = (str(folder.resolve()), compute_type)
    with _models_lock:
        if key in _models:
            return _models[key]
        if not is_whisper_model_dir(folder):
            raise ModelMissingError(
                "The Whisper model folder is incomplete.",
                detail=f"{folder} needs model.bin, config.json, tokenizer.json and vocabulary.*",
            )
        os.environ["HF_HUB_OFFLINE"] = "1"  # before the import: never touch the network
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise ModelMissingError(
                "faster-whisper is not installed.",
                detail="pip install faster-whisper, or choose the pocketsphinx engine",
            ) from exc
        try:
            model = WhisperModel(
                str(folder), device="cpu", compute_type=compute_type, local_files_only=True
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelMissingError(
                "The Whisper model could not be loaded.", detail=f"{folder}: {exc}"
            ) from exc
        _models[key] = (model, threading.Lock())
        return _models[key]


def _words_from(segments: Iterable[Any]) -> tuple[list[Word], list[str]]:
    """Collect words of segments that pass the no-speech gate (decoding happens while iterating)."""
    words: list[Word] = []
    texts: list[str] = []
    for segment in segments:
        if segment.no_speech_prob > NO_SPEECH_DROP:
            continue
        texts.append(segment.text.strip())
        for w in segment.words or ():
            text = w.word.strip()
            if text:
                words.append(Word(text, float(w.start), float(w.end), float(w.probability)))
    return words, texts


class WhisperTranscriber:
    """One faster-whisper model on the CPU, shared and serialised by a lock."""

    name = "whisper"

    def __init__(
        self,
        model_dir: Path,
        *,
        compute_type: str = "int8",
        initial_prompt: str | None = FILLER_PROMPT,
        beam_size: int = 1,
        min_rms: float = ENERGY_GATE_RMS,
        temperature: float | tuple[float, ...] = FALLBACK_TEMPERATURES,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.compute_type = compute_type
        self.initial_prompt = initial_prompt
        self.beam_size = beam_size
        self.min_rms = min_rms
        self.temperature = temperature

    def load(self) -> None:
        """Load the model now (e.g. on a worker at start-up) instead of on first transcribe."""
        _load_model(self.model_dir, self.compute_type)

    def transcribe(self, samples16k: np.ndarray) -> Transcript:
        samples = as_mono_float32(samples16k)
        level = loudest_frame_rms(samples)
        if level < self.min_rms or samples.size == 0:
            return no_speech(self.name, False, gate_note(level))
        model, lock = _load_model(self.model_dir, self.compute_type)
        with lock:
            segments, _info = model.transcribe(
                samples,
                language="en",
                beam_size=self.beam_size,
                word_timestamps=True,
                initial_prompt=self.initial_prompt,
                vad_filter=True,
                condition_on_previous_text=False,
                log_prob_threshold=LOG_PROB_THRESHOLD,
                temperature=self.temperature,
            )
            words, texts = _words_from(segments)
        if not words:
            return no_speech(self.name, False, "No speech detected.")
        return Transcript(
            words=tuple(words),
            text=" ".join(t for t in texts if t),
            engine=self.name,
            low_accuracy=False,
            note=NOTE,
        )
