"""Which speech recogniser to use: builds Whisper, pocketsphinx or none from the settings.

Kept apart from coach.analysis.transcribe (the shared Transcript types and helpers) because
the engines import those: the factory above them keeps the files free of import cycles.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from coach import paths
from coach.analysis.transcribe import ENGINES, Transcriber, resolve_whisper_model
from coach.errors import ModelMissingError


def _library_installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def make_transcriber(engine: str = "auto", model_dir: Path | None = None) -> Transcriber | None:
    """Build the configured engine; the model itself loads on first use (or `.load()`).

    'none' -> None. 'auto' -> Whisper when a model folder resolves and faster-whisper is
    installed, else pocketsphinx. 'whisper' without a usable model -> ModelMissingError.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown speech-recognition engine {engine!r}; expected one of {ENGINES}")
    if engine == "none":
        return None
    from coach.analysis.sphinx_engine import SphinxTranscriber
    from coach.analysis.whisper_engine import WhisperTranscriber

    if engine == "pocketsphinx":
        return SphinxTranscriber()
    folder = resolve_whisper_model(model_dir)
    if engine == "auto":
        if folder is not None and _library_installed("faster_whisper"):
            return WhisperTranscriber(folder)
        return SphinxTranscriber()
    if folder is None:
        where = str(model_dir) if model_dir is not None else str(paths.models_dir())
        raise ModelMissingError(
            "No Whisper speech-recognition model was found.",
            detail=(
                f"looked in {where}; a model folder holds model.bin, config.json, "
                "tokenizer.json and vocabulary.*. Download one from Settings or choose "
                "the pocketsphinx engine"
            ),
        )
    return WhisperTranscriber(folder)
