"""Checks on a model file before a worker process is started for it."""

from __future__ import annotations

from pathlib import Path

from coach.errors import LanguageModelError

GGUF_MAGIC = b"GGUF"


def check_gguf(path: Path) -> Path:
    """`path` if it exists and starts like a GGUF file; LanguageModelError naming it otherwise."""
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except FileNotFoundError as exc:
        raise LanguageModelError(f"The language model file {path} does not exist.") from exc
    except OSError as exc:
        raise LanguageModelError(
            f"The language model file {path} cannot be read.", detail=str(exc)
        ) from exc
    if head != GGUF_MAGIC:
        raise LanguageModelError(not_usable(path))
    return path


def not_usable(path: Path) -> str:
    return (
        f"{path} is not a usable language model (a GGUF file for llama.cpp is needed); "
        "the feedback uses the rules instead."
    )


def llama_available() -> bool:
    """Whether llama-cpp-python is installed (the app works without it: rules engine only)."""
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None
