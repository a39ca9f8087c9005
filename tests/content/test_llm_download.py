"""The language-model download against the real local range server: checksum, resume, cancel.

The served file is a real GGUF (the SmolLM2 fixture, 92 MB) under the catalogue's URL layout; the
catalogue entry is swapped for one with that file's true size and SHA-256, and a wrong checksum
is tested too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import paths
from coach.content import catalogue
from coach.content.catalogue import CATALOGUE, LlmChoice, download_llm, installed, model_path
from coach.content.gguf import check_gguf
from coach.errors import DownloadCancelled, ModelDownloadError
from tests.helpers.llm_models import smollm2_path
from tests.helpers.range_server import RangeServer

MB = 1024 * 1024
KEY = "qwen2.5-1.5b"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LlmChoice]:
    source = smollm2_path()
    real = CATALOGUE[KEY]
    choice = dataclasses.replace(
        real, size_bytes=source.stat().st_size, sha256=_sha(source), file="smol.gguf"
    )
    root = tmp_path_factory.mktemp("hub")
    served = root / choice.repo / "resolve" / choice.revision / choice.file
    served.parent.mkdir(parents=True)
    served.write_bytes(source.read_bytes())
    return root, choice


@pytest.fixture
def server(hub: tuple[Path, LlmChoice]) -> Iterator[RangeServer]:
    with RangeServer(hub[0]) as srv:
        yield srv


@pytest.fixture
def models(
    server: RangeServer,
    hub: tuple[Path, LlmChoice],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    monkeypatch.setenv("COACH_MODEL_BASE_URL", server.url)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setitem(catalogue.CATALOGUE, KEY, hub[1])
    return paths.models_dir()


def test_the_catalogue_offers_permissive_models_with_checksums() -> None:
    assert catalogue.DEFAULT_LLM in CATALOGUE
    for choice in CATALOGUE.values():
        assert choice.licence in {"Apache-2.0", "MIT"}
        assert len(choice.sha256) == 64 and choice.file.endswith(".gguf")
        assert catalogue.file_url(choice).endswith(f"/resolve/{choice.revision}/{choice.file}")


def test_download_is_checked_and_usable(models: Path, hub: tuple[Path, LlmChoice]) -> None:
    calls: list[tuple[int, int | None]] = []
    path = download_llm(KEY, models, lambda d, t, f: calls.append((d, t)), threading.Event())
    assert path == model_path(models, hub[1]) == installed(models, hub[1])
    assert _sha(path) == hub[1].sha256
    assert check_gguf(path) == path
    assert calls[-1] == (hub[1].size_bytes, hub[1].size_bytes)
    assert not list(path.parent.glob("*.download*"))


def test_cancel_keeps_the_part_and_the_next_download_resumes(
    models: Path, hub: tuple[Path, LlmChoice], server: RangeServer
) -> None:
    cancel = threading.Event()

    def stop_after_20_mb(done: int, total: int | None, file: str) -> None:
        if done > 20 * MB:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        download_llm(KEY, models, stop_after_20_mb, cancel)
    assert installed(models, hub[1]) is None
    part = next(model_path(models, hub[1]).parent.glob("*.part"))
    kept = part.stat().st_size
    server.wait_idle()
    before = len(server.requests())
    path = download_llm(KEY, models, lambda d, t, f: None, threading.Event())
    assert _sha(path) == hub[1].sha256
    ranged = [r for r in server.requests()[before:] if r.range]
    assert [(r.range, r.status) for r in ranged] == [(f"bytes={kept}-", 206)]


def test_a_wrong_checksum_deletes_the_file(
    models: Path, hub: tuple[Path, LlmChoice], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(catalogue.CATALOGUE, KEY, dataclasses.replace(hub[1], sha256="0" * 64))
    with pytest.raises(ModelDownloadError, match="did not match its checksum"):
        download_llm(KEY, models, lambda d, t, f: None, threading.Event())
    assert not list(model_path(models, hub[1]).parent.iterdir())


def test_a_missing_file_on_the_server_names_the_language_model(
    models: Path, hub: tuple[Path, LlmChoice], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(catalogue.CATALOGUE, KEY, dataclasses.replace(hub[1], file="gone.gguf"))
    with pytest.raises(ModelDownloadError) as caught:
        download_llm(KEY, models, lambda d, t, f: None, threading.Event())
    assert caught.value.message.startswith("Could not download the language model: the server")
