"""The language models Settings offers, and their download (never started by the app itself).

Sizes and SHA-256 checksums were read from Hugging Face file pages through the search tool, not
by downloading (no Hub access from the build machines): `checksum_source` says where each came
from. The download reuses coach.analysis.model_download (resume, progress, cancel); the whole
file is then hashed and a mismatch deletes it, so a corrupted or substituted file is never used.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from coach.analysis.model_download import Progress, base_url, download_file
from coach.errors import ModelDownloadError

WHAT = "language model"
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class LlmChoice:
    """One downloadable GGUF model as shown in Settings."""

    key: str
    title: str
    repo: str
    revision: str
    file: str
    size_bytes: int | None
    sha256: str
    licence: str
    summary: str
    checksum_source: str

    @property
    def size_mb(self) -> int | None:
        return None if self.size_bytes is None else round(self.size_bytes / 1e6)


CATALOGUE: dict[str, LlmChoice] = {
    "qwen2.5-1.5b": LlmChoice(
        key="qwen2.5-1.5b",
        title="Qwen2.5 1.5B Instruct (Q4_K_M)",
        repo="Qwen/Qwen2.5-1.5B-Instruct-GGUF",
        revision="91cad51170dc346986eccefdc2dd33a9da36ead9",
        file="qwen2.5-1.5b-instruct-q4_k_m.gguf",
        size_bytes=1_117_320_736,
        sha256="6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
        licence="Apache-2.0",
        summary="the default: about 1.1 GB, runs on a 4-core laptop",
        checksum_source="Git LFS pointer of the same file name and size on two public pages "
        "(a mirror's LFS pointer and a script pinning this revision); not yet verified "
        "against a download here",
    ),
    "phi-3.5-mini": LlmChoice(
        key="phi-3.5-mini",
        title="Phi-3.5 mini Instruct (Q4_K_M)",
        repo="bartowski/Phi-3.5-mini-instruct-GGUF",
        revision="4cd0c5148e612aa078f250862a4bffe4a10f5d38",
        file="Phi-3.5-mini-instruct-Q4_K_M.gguf",
        size_bytes=None,  # the page says 2.39 GB; the exact byte count comes from the server
        sha256="e4165e3a71af97f1b4820da61079826d8752a2088e313af0c7d346796c38eff5",
        licence="MIT",
        summary="larger and better: about 2.4 GB, 3.8 B parameters, slower",
        checksum_source="the file's Hugging Face page (Git LFS details) at this revision; not "
        "yet verified against a download here",
    ),
}
DEFAULT_LLM = "qwen2.5-1.5b"


def file_url(choice: LlmChoice) -> str:
    """The download address; tests point COACH_MODEL_BASE_URL at a local server."""
    return f"{base_url()}/{choice.repo}/resolve/{choice.revision}/{choice.file}"


def model_path(models_root: Path, choice: LlmChoice) -> Path:
    return models_root / "llm" / choice.file


def installed(models_root: Path, choice: LlmChoice) -> Path | None:
    """The finished, checked file, or None."""
    path = model_path(models_root, choice)
    return path if path.is_file() else None


def sha256_of(path: Path, cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(HASH_CHUNK):
            if cancel is not None and cancel.is_set():
                break
            digest.update(chunk)
    return digest.hexdigest()


def download_llm(key: str, models_root: Path, progress: Progress, cancel: threading.Event) -> Path:
    """Fetch catalogue model `key` into `models_root/llm/` and check its SHA-256.

    The file is downloaded under a `.download` name and renamed only after the checksum
    matches, so `installed()` never sees a partial or wrong file. Raises DownloadCancelled,
    ModelDownloadError (network, or a checksum mismatch: the file is deleted) or StorageError.
    """
    choice = CATALOGUE[key]
    final = model_path(models_root, choice)
    if final.is_file():
        return final
    temp_name = f"{choice.file}.download"
    got = download_file(file_url(choice), final.parent, temp_name, progress, cancel, WHAT)
    if choice.size_bytes is not None and got.stat().st_size != choice.size_bytes:
        got.unlink(missing_ok=True)
        raise ModelDownloadError(
            f"The downloaded {WHAT} {choice.file} has the wrong size; it was deleted. Try again.",
            detail=f"{got.stat().st_size if got.exists() else 0} != {choice.size_bytes}",
        )
    actual = sha256_of(got, cancel)
    if actual != choice.sha256:
        got.unlink(missing_ok=True)
        raise ModelDownloadError(
            f"The downloaded {WHAT} {choice.file} did not match its checksum and was deleted. "
            "Try again; if it happens again the file on the server has changed.",
            detail=f"sha256 {actual} != {choice.sha256}",
        )
    got.replace(final)
    return final
