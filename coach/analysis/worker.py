"""Entry point for analysing takes in a separate process.

Praat and the speech models hold the GIL for long stretches; in the app's own process that
would starve the audio callbacks (recording overflows, playback underruns). One worker
process keeps its speech engine loaded between takes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_transcribers: dict[tuple[str, str | None], Any] = {}


def analyze_path(path: str, engine: str = "auto", model_dir: str | None = None) -> dict[str, Any]:
    """Analyse one audio file and return the JSON-ready result (runs in the worker process)."""
    from coach.analysis.engines import make_transcriber
    from coach.analysis.pipeline import analyze_file

    key = (engine, model_dir)
    if key not in _transcribers:
        _transcribers[key] = make_transcriber(engine, Path(model_dir) if model_dir else None)
    # A take cut short (crash, full disk) is still shown: its readable part, with `damage` set.
    return analyze_file(Path(path), _transcribers[key], keep_truncated=True).to_dict()
