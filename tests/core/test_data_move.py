"""Moving a real data folder (real sessions with FLAC takes, a real SQLite index, a question
bank, cache and log) on one filesystem and onto another, refusals, a full disk and a cancel."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import paths
from coach.core.data_move import MoveCancelled, MoveRefused, move_data, plan_move
from coach.core.history_index import DB_FILE_NAME, HistoryIndex
from coach.errors import StorageError
from tests.core.test_history_index import S1, S2, S3, build_sessions
from tests.helpers.tmpfs import mount_tmpfs, unmount

ROOT = Path(__file__).resolve().parents[2]


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path → bytes); symlinks are not followed."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data_move") / "data"
    build_sessions(root / "sessions", None)  # real FLAC takes, really analysed (no recogniser)
    (root / "questions").mkdir()
    (root / "questions" / "mine.toml").write_text('schema_version = 1\n[bank]\nid = "mine"\n')
    (root / "cache" / "tts").mkdir(parents=True)
    (root / "cache" / "tts" / "q.wav").write_bytes(os.urandom(40_000))
    (root / "logs").mkdir()
    (root / "logs" / "coach.log").write_text("2025-01-01 INFO started\n")
    HistoryIndex(root / DB_FILE_NAME, root / "sessions").close()  # a real index, WAL mode
    return root


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder (where the pointer goes) and no COACH_DATA_DIR override."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("COACH_DATA_DIR", raising=False)
    return tmp_path / "config" / "second-round"


@pytest.fixture
def source(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "old-data"
    shutil.copytree(template, folder)
    (folder / "my-notes.txt").write_text("not Second Round's")  # foreign: must stay
    return folder


def shm_folder(tmp_path: Path, why: str) -> Path:
    """Without root: a folder in /dev/shm, when that is another filesystem than tmp_path."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        pytest.skip(f"{why}, and /dev/shm is not writable")
    if shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip(f"{why}, and /dev/shm is on the same filesystem as {tmp_path}")
    return Path(tempfile.mkdtemp(prefix="coach-move-", dir=shm))


@pytest.fixture
def other_fs(tmp_path: Path) -> Iterator[Path]:
    """A second, real filesystem (64 MiB tmpfs), so the move must copy instead of rename."""
    where = tmp_path / "other-fs"
    problem = mount_tmpfs(where, "64m")
    if problem:
        where = shm_folder(tmp_path, f"mounting a tmpfs needs root ({problem})")
    yield where
    if problem:
        shutil.rmtree(where, ignore_errors=True)
    else:
        unmount(where)


def target_in(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    base = request.getfixturevalue("other_fs") if kind == "other filesystem" else tmp_path
    return base / "new" / "coach-data"


@pytest.mark.parametrize("kind", ["same filesystem", "other filesystem"])
def test_move_carries_everything_and_points_the_app_there(
    kind: str, source: Path, config: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = target_in(kind, tmp_path, request)
    before = contents(source)
    seen: list[tuple[int, int]] = []

    move_data(source, target, lambda done, total: seen.append((done, total)), threading.Event())

    moved = {k: v for k, v in before.items() if not k.startswith((DB_FILE_NAME, "my-notes"))}
    assert any(k.endswith(".flac") for k in moved) and any("session.json" in k for k in moved)
    assert contents(target) == moved  # byte-identical; the index is rebuilt, not copied
    assert (config / "data-folder.txt").read_text().strip() == str(target.resolve())
    assert paths.data_dir() == target.resolve()
    assert paths.sessions_dir() == target.resolve() / "sessions"
    assert sorted(p.name for p in source.iterdir()) == ["my-notes.txt"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert seen and seen[-1][0] == seen[-1][1] == sum(len(v) for v in moved.values())
    index = HistoryIndex(target / DB_FILE_NAME, target / "sessions")
    try:  # the app's first start at the new place: every session listed, at its new path
        rows = {r.session_id: r.folder for r in index.sessions()}
    finally:
        index.close()
    assert rows == {sid: target / "sessions" / sid for sid in (S1, S2, S3)}


def test_an_empty_source_just_switches_the_pointer(config: Path, tmp_path: Path) -> None:
    move_data(tmp_path / "never-used", tmp_path / "new", lambda *_: None, threading.Event())
    assert paths.data_dir() == tmp_path / "new"
    assert (tmp_path / "new").is_dir()


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("same", "is already your data folder"),
        ("inside", "is inside the current data folder"),
        ("around", "The current data folder is inside"),
        ("has sessions", "already holds Second Round data of its own (sessions)"),
        ("a file", "is a file, not a folder"),
        ("settings", "is in the settings folder"),
    ],
)
def test_refusals_change_nothing(
    where: str, says: str, source: Path, config: Path, tmp_path: Path
) -> None:
    targets = {
        "same": source,
        "inside": source / "sessions" / "deeper",
        "around": tmp_path,
        "has sessions": tmp_path / "elsewhere",
        "a file": tmp_path / "a-file",
        "settings": config / "data",
    }
    (tmp_path / "elsewhere" / "sessions").mkdir(parents=True)
    (tmp_path / "a-file").write_text("x")
    before = contents(source)

    with pytest.raises(MoveRefused, match=re.escape(says)) as refused:
        move_data(source, targets[where], lambda *_: None, threading.Event())

    assert says in refused.value.message  # the friendly text the UI shows
    assert contents(source) == before
    assert not (config / "data-folder.txt").exists()
    assert paths.data_dir() != targets[where]
    assert not (source / "sessions" / "deeper").exists()
    assert not (config / "data").exists()


def test_plan_measures_what_will_move(source: Path, config: Path, tmp_path: Path) -> None:
    plan = plan_move(source, tmp_path / "new")
    moved = {k: v for k, v in contents(source).items() if k != "my-notes.txt"}
    moved = {k: v for k, v in moved.items() if not k.startswith(DB_FILE_NAME)}
    assert plan.total_bytes == sum(len(v) for v in moved.values())
    assert plan.files == len(moved)
    assert {p.name for p in plan.entries} == {"sessions", "questions", "cache", "logs"}
    assert not (tmp_path / "new").exists()  # planning creates nothing


@pytest.mark.parametrize("kind", ["same filesystem", "other filesystem"])
def test_cancel_midway_keeps_the_source_and_the_pointer(
    kind: str, source: Path, config: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = target_in(kind, tmp_path, request)
    config.mkdir(parents=True)
    (config / "data-folder.txt").write_text(f"{source}\n")
    before = contents(source)
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        cancel.set()  # the user presses Cancel once the first bytes have moved

    with pytest.raises(MoveCancelled, match="cancelled"):
        move_data(source, target, progress, cancel)

    assert contents(source) == before
    assert (config / "data-folder.txt").read_text() == f"{source}\n"
    assert paths.data_dir() == source
    assert not target.exists()  # the partial copy (and the folder the move made) is gone


_FULL_DISK_RUN = """
import json, resource, signal, sys, threading
from pathlib import Path
from coach.core.data_move import move_data
from coach.errors import CoachError
if sys.argv[3] != "0":  # no tmpfs: a per-file size limit stands in for the full disk
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), int(sys.argv[3])))
try:
    move_data(Path(sys.argv[1]), Path(sys.argv[2]), lambda *_: None, threading.Event())
    print(json.dumps({"error": None}))
except CoachError as exc:
    print(json.dumps({"error": type(exc).__name__, "message": exc.message}))
"""


def test_a_full_disk_fails_with_a_message_and_loses_nothing(
    source: Path, config: Path, tmp_path: Path
) -> None:
    config.mkdir(parents=True)
    (config / "data-folder.txt").write_text(f"{source}\n")
    before = contents(source)
    total = plan_move(source, tmp_path / "x").total_bytes
    disk = tmp_path / "tiny"
    problem = mount_tmpfs(disk, f"{total // 2 // 1024}k")  # room for half of the data
    limit = 0
    if problem is not None:  # no root: another filesystem and a file size limit instead
        disk = shm_folder(tmp_path, f"mounting a tmpfs needs root ({problem})")
        limit = max(len(v) for v in before.values()) // 2
    try:
        done = subprocess.run(
            [sys.executable, "-c", _FULL_DISK_RUN, str(source), str(disk / "data"), str(limit)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if k != "COACH_DATA_DIR"},
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outcome = json.loads(done.stdout)
        assert outcome["error"] == "StorageError"
        if problem is None:
            assert outcome["message"] == (
                "Could not copy your data to the new folder: the disk is full. "
                "Free some space and try again."
            )
        else:  # RLIMIT_FSIZE gives EFBIG, not ENOSPC
            assert outcome["message"].startswith("Could not copy your data to the new folder")
        assert contents(source) == before
        assert (config / "data-folder.txt").read_text() == f"{source}\n"
        assert paths.data_dir() == source
        assert not (disk / "data").exists()  # the partial copy was removed
    finally:
        if problem is None:
            unmount(disk)
        else:
            shutil.rmtree(disk, ignore_errors=True)


def test_pointer_order_env_first_then_pointer_then_default(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.data_dir() == paths.default_data_dir()
    config.mkdir(parents=True)
    (config / "data-folder.txt").write_text("relative/ignored\n")
    assert paths.data_dir() == paths.default_data_dir()
    (config / "data-folder.txt").write_text(f"{tmp_path / 'chosen'}\n")
    (tmp_path / "chosen").mkdir()
    assert paths.data_dir() == tmp_path / "chosen"
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"


def test_a_chosen_folder_that_is_missing_is_not_recreated(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unplugged drive: use the default meanwhile and say which folder is missing."""
    drive = tmp_path / "media" / "usb" / "second-round"
    config.mkdir(parents=True)
    (config / "data-folder.txt").write_text(f"{drive}\n")
    assert paths.data_dir() == paths.default_data_dir()
    assert paths.unreachable_data_dir() == drive
    assert not drive.exists()
    drive.mkdir(parents=True)  # plugged in again
    assert paths.data_dir() == drive and paths.unreachable_data_dir() is None
    drive.rmdir()
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "env"))
    assert paths.unreachable_data_dir() is None  # the override wins: nothing to warn about


def test_a_copy_that_differs_is_not_switched_to(source: Path, config: Path, other_fs: Path) -> None:
    """A file that grows after being copied (another writer) fails verification."""
    log = source / "logs" / "coach.log"
    before_log = log.read_bytes()
    (source / "logs" / "coach.log.1").write_text("older lines\n")  # copied after coach.log

    def progress(done: int, total: int) -> None:
        if (other_fs / "data" / "logs" / "coach.log.1").exists() and log.stat().st_size < 100:
            with log.open("ab") as f:
                f.write(b"late line\n")

    with pytest.raises(StorageError, match="does not match"):
        move_data(source, other_fs / "data", progress, threading.Event())
    assert log.read_bytes().startswith(before_log) and (source / "sessions" / S1).is_dir()
    assert not (config / "data-folder.txt").exists()
    assert not (other_fs / "data").exists()
