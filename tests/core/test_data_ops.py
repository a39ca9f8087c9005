"""Deleting for real: files gone from disk, rows gone from the index, nothing outside touched."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import paths
from coach.core.data_ops import delete_all_data, delete_session, delete_take
from coach.core.history_index import DB_FILE_NAME, HistoryIndex
from coach.core.session import AskedQuestion
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.errors import StorageError
from tests.core.test_history_index import S1, S2, S3, build_sessions


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data_ops") / "sessions"
    build_sessions(root, None)  # real audio, analysed for real without a recogniser (fast)
    return root


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(template, root / "sessions")
    return root


@pytest.fixture
def index(data_dir: Path) -> Iterator[HistoryIndex]:
    idx = HistoryIndex(data_dir / DB_FILE_NAME, data_dir / "sessions")
    yield idx
    idx.close()


def test_delete_take_removes_audio_analysis_partials_and_updates_everything(
    data_dir: Path, index: HistoryIndex
) -> None:
    folder = data_dir / "sessions" / S1
    store = SessionStore(folder.parent)
    (folder / "q01-take1.partial.json").write_text("{}")  # a leftover sidecar of that take
    assert {"q01-take1.flac", "q01-take1.analysis.json"} <= {p.name for p in folder.iterdir()}
    before = {r.session_id: r for r in index.sessions()}[S1]

    delete_take(store, folder, 0, 0, index=index)

    left = {p.name for p in folder.iterdir()}
    assert not any(name.startswith("q01-take1.") for name in left)
    assert {"q01-take2.flac", "q01-take2.analysis.json", "q02-take1.flac"} <= left
    question = store.load(folder).questions[0]
    assert [t.audio for t in question.takes] == ["q01-take2.flac"]
    assert question.best_take == 0  # it pointed at take 2, which is now the first
    after = {r.session_id: r for r in index.sessions()}[S1]
    assert (before.takes, after.takes) == (3, 2)


def test_deleting_the_best_take_clears_the_choice(data_dir: Path, index: HistoryIndex) -> None:
    folder = data_dir / "sessions" / S1
    store = SessionStore(folder.parent)
    delete_take(store, folder, 0, 1)
    question = store.load(folder).questions[0]
    assert question.best_take is None
    assert not (folder / "q01-take2.flac").exists()
    assert not (folder / "q01-take2.analysis.json").exists()
    assert [t.audio for t in question.takes] == ["q01-take1.flac"]


def test_a_crafted_take_path_cannot_delete_outside_the_session(data_dir: Path) -> None:
    folder = data_dir / "sessions" / S2
    outside = data_dir / "precious.flac"
    outside.write_bytes(b"keep me")
    store = SessionStore(folder.parent)
    session = store.load(folder)
    session.questions[0].takes[0].audio = "../../precious.flac"
    session.questions[0].takes[0].analysis = "../../precious.flac"
    store.save(session)
    delete_take(store, folder, 0, 0)
    assert outside.read_bytes() == b"keep me"
    assert store.load(folder).questions[0].takes == []


def test_delete_session_removes_folder_and_row(data_dir: Path, index: HistoryIndex) -> None:
    folder = data_dir / "sessions" / S2
    delete_session(folder, index=index)
    assert not folder.exists()
    assert {r.session_id for r in index.sessions()} == {S1, S3}
    assert index.answers(question_id="gen-01")[0].session_id == S1


def test_delete_session_refuses_a_folder_that_is_not_a_session(data_dir: Path) -> None:
    with pytest.raises(StorageError, match="not a session folder"):
        delete_session(data_dir / "sessions")
    with pytest.raises(StorageError, match="not a session folder"):
        delete_session(data_dir)
    assert (data_dir / "sessions" / S1 / "session.json").is_file()


def test_delete_all_data_removes_what_the_app_wrote_and_keeps_the_rest(
    data_dir: Path, index: HistoryIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(data_dir))
    for folder in (paths.cache_dir() / "tts", paths.logs_dir(), paths.user_questions_dir()):
        paths.ensure_private_dir(folder)
        (folder / "something").write_text("x")
    (data_dir / "settings.json").write_text("{}")
    (data_dir / "not-ours.txt").write_text("the user's own file")

    left = delete_all_data(data_dir, index=index)

    assert left == [data_dir / "not-ours.txt"]
    assert sorted(p.name for p in data_dir.iterdir()) == ["not-ours.txt"]
    (data_dir / "not-ours.txt").unlink()
    assert delete_all_data(data_dir) == []
    assert not data_dir.exists()  # an emptied data folder goes too


def test_index_and_session_folders_are_owner_only(data_dir: Path, index: HistoryIndex) -> None:
    store = SessionStore(data_dir / "fresh")
    session = store.create(InterviewSettings(), [AskedQuestion(id="x", text="Why?")], "t")
    for path in (store.root, store.folder(session)):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(index.db_path).st_mode) == 0o600
