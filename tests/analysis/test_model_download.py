"""The model download against a real HTTP server on 127.0.0.1 serving the real Whisper base
model: byte-identical files that faster-whisper loads, progress, cancel and resume, and the
failures a user can meet (404, a dropped connection, no server, a stalled one, a full disk)."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from coach import paths
from coach.analysis import model_download
from coach.analysis.engines import make_transcriber
from coach.analysis.model_download import FILES, download_model, final_dir, partial_dir
from coach.analysis.transcribe import resolve_whisper_model
from coach.errors import DownloadCancelled, ModelDownloadError, StorageError
from tests.helpers.range_server import RangeServer, whisper_repo_tree
from tests.helpers.tmpfs import small_disk

REPO = "Systran/faster-whisper-base"
MB = 1024 * 1024

Calls = list[tuple[int, int | None, str]]


@pytest.fixture(scope="module")
def served_root(whisper_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return whisper_repo_tree(tmp_path_factory.mktemp("hub"), REPO, whisper_model_dir)


@pytest.fixture
def server(served_root: Path) -> Iterator[RangeServer]:
    with RangeServer(served_root) as srv:
        yield srv


@pytest.fixture
def models(server: RangeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's model cache in a private data folder, downloading from the local server."""
    monkeypatch.setenv("COACH_MODEL_BASE_URL", server.url)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    return paths.models_dir()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(4 * MB):
            digest.update(block)
    return digest.hexdigest()


def served(root: Path, name: str) -> Path:
    return root / REPO / "resolve" / "main" / name


def recorder(calls: Calls) -> Callable[[int, int | None, str], None]:
    return lambda done, total, file: calls.append((done, total, file))


def test_download_is_identical_loads_and_transcribes(
    models: Path, served_root: Path, server: RangeServer, clip16k: Callable[[str], np.ndarray]
) -> None:
    calls: Calls = []
    folder = download_model("base", models, recorder(calls), threading.Event())

    assert folder == models / "whisper-base"
    for name in FILES:
        assert sha256(folder / name) == sha256(served(served_root, name)), name
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)  # no .part left over
    assert not partial_dir(models, "base").exists()
    assert (models.stat().st_mode & 0o777, folder.stat().st_mode & 0o777) == (0o700, 0o700)

    total = sum(served(served_root, name).stat().st_size for name in FILES)
    dones = [done for done, _, _ in calls]
    assert dones == sorted(dones)  # monotonic
    assert calls[-1] == (total, total, "vocabulary.txt")
    assert {t for _, t, _ in calls} == {total}
    assert len(calls) > 100  # reported per chunk, not once per file
    assert [(r.method, r.status) for r in server.requests()] == [("HEAD", 200)] * 4 + [
        ("GET", 200)
    ] * 4

    assert resolve_whisper_model() == folder  # found through COACH_DATA_DIR's model cache
    transcriber = make_transcriber("whisper", folder)
    assert transcriber is not None and transcriber.name == "whisper"
    transcript = transcriber.transcribe(clip16k("jfk_whisper.flac"))
    assert "country" in transcript.text.lower()


def test_cancel_keeps_the_partial_folder_and_the_next_download_resumes(
    models: Path, served_root: Path, server: RangeServer
) -> None:
    cancel = threading.Event()

    def stop_after_20_mb(done: int, total: int | None, file: str) -> None:
        if done > 20 * MB:
            cancel.set()

    with pytest.raises(DownloadCancelled) as caught:
        download_model("base", models, stop_after_20_mb, cancel)
    assert caught.value.message == "Download cancelled."
    assert not final_dir(models, "base").exists()
    assert resolve_whisper_model() is None  # a half download is never taken for a model
    partial = partial_dir(models, "base")
    kept = (partial / "model.bin.part").stat().st_size
    assert 20 * MB - model_download.CHUNK < kept < 25 * MB
    assert (partial / "config.json").is_file()  # finished files stay finished

    full = sum(served(served_root, name).stat().st_size for name in FILES)
    config = served(served_root, "config.json").stat().st_size
    server.wait_idle()  # the cancelled GET is logged once its handler notices the closed socket
    first_run = len(server.requests())
    calls: Calls = []
    folder = download_model("base", models, recorder(calls), threading.Event())

    assert sha256(folder / "model.bin") == sha256(served(served_root, "model.bin"))
    second = server.requests()[first_run:]
    assert [(r.path.rsplit("/", 1)[-1], r.range, r.status) for r in second if r.range] == [
        ("model.bin", f"bytes={kept}-", 206)
    ]
    assert sum(r.sent for r in second) == full - kept - config  # only what was missing
    assert calls[0][0] == kept + config  # progress starts where the first download stopped
    assert calls[-1] == (full, full, "vocabulary.txt")


def test_redirected_files_keep_head_as_head_and_resume_through_the_redirect(
    models: Path, served_root: Path, server: RangeServer
) -> None:
    """huggingface.co answers file URLs with a redirect to its CDN."""
    server.redirect_files = True
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled):
        download_model("base", models, lambda d, t, f: d > 5 * MB and cancel.set(), cancel)
    server.wait_idle()
    folder = download_model("base", models, lambda d, t, f: None, threading.Event())
    assert sha256(folder / "model.bin") == sha256(served(served_root, "model.bin"))
    answered = [r for r in server.requests() if r.status != 302]
    assert {r.method for r in answered} == {"HEAD", "GET"}
    heads = [r for r in answered if r.method == "HEAD"]
    assert heads and all(r.sent == 0 for r in heads)  # a HEAD stays a HEAD after the redirect
    resumed = [r for r in answered if r.method == "GET" and r.status == 206]
    assert [r.path.rsplit("/", 1)[-1] for r in resumed] == ["model.bin"]  # Range kept too


def test_a_server_without_range_support_restarts_the_file(
    models: Path, served_root: Path, server: RangeServer
) -> None:
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled):
        download_model("base", models, lambda d, t, f: d > 5 * MB and cancel.set(), cancel)
    server.wait_idle()
    server.honour_range = False
    folder = download_model("base", models, lambda d, t, f: None, threading.Event())
    assert sha256(folder / "model.bin") == sha256(served(served_root, "model.bin"))
    model_gets = [r for r in server.requests() if r.method == "GET" and "model.bin" in r.path]
    assert model_gets[-1].range is not None and model_gets[-1].status == 200


def test_a_missing_model_gives_a_friendly_error(models: Path) -> None:
    with pytest.raises(ModelDownloadError) as caught:  # "small" is not on the local server
        download_model("small", models, lambda d, t, f: None, threading.Event())
    message = caught.value.message
    assert message.startswith("Could not download the speech model: the server answered 404")
    assert message.endswith(
        "Check the internet connection and try again; nothing else was changed."
    )
    assert not final_dir(models, "small").exists()


def test_a_dropped_connection_is_an_error_and_the_retry_resumes(
    models: Path, served_root: Path, server: RangeServer
) -> None:
    server.truncate_at = 3 * MB
    with pytest.raises(ModelDownloadError, match=r"closed before model\.bin was complete"):
        download_model("base", models, lambda d, t, f: None, threading.Event())
    assert not final_dir(models, "base").exists()
    assert not (partial_dir(models, "base") / "model.bin").exists()  # only model.bin.part
    server.truncate_at = None
    folder = download_model("base", models, lambda d, t, f: None, threading.Event())
    assert sha256(folder / "model.bin") == sha256(served(served_root, "model.bin"))
    assert server.requests()[-3].range == f"bytes={3 * MB}-"  # model.bin, then two more files


def test_no_server_and_a_stalled_server_fail_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("COACH_MODEL_BASE_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(ModelDownloadError, match="refused the connection"):
        download_model("base", tmp_path / "models", lambda d, t, f: None, threading.Event())

    monkeypatch.setattr(model_download, "TIMEOUT_S", 0.5)
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        monkeypatch.setenv("COACH_MODEL_BASE_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
        with pytest.raises(ModelDownloadError, match="timed out"):
            download_model("base", tmp_path / "models", lambda d, t, f: None, threading.Event())
    assert not final_dir(tmp_path / "models", "base").exists()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MiB filesystem (tmpfs): model.bin does not fit."""
    with small_disk(tmp_path / "tiny", "2m") as disk:
        yield disk


def test_a_full_disk_is_a_storage_error(
    server: RangeServer, tiny_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_MODEL_BASE_URL", server.url)
    with pytest.raises(StorageError, match="disk is full"):
        download_model("base", tiny_disk / "models", lambda d, t, f: None, threading.Event())
    assert not final_dir(tiny_disk / "models", "base").exists()
