"""Session folders on real disk: atomic session.json, listing, damage, recovery of partial takes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from coach.core.session import FINISHED, IN_PROGRESS, RECOVERED, AskedQuestion, Take
from coach.core.session_store import SESSION_FILE, SessionStore
from coach.core.settings import InterviewSettings
from coach.core.takefile import PartialTakeWriter
from coach.errors import StorageError


def new_session(store: SessionStore) -> object:
    questions = [
        AskedQuestion(id="q1", text="Tell me about yourself."),
        AskedQuestion(id="q2", text="Why this role?"),
    ]
    return store.create(InterviewSettings(think_time_s=15), questions, "General")


def test_session_json_has_the_documented_shape(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store)
    session.questions[0].takes.append(Take(audio="q01-take1.flac", duration_s=4.5, started_at="x"))
    store.finish(session)
    data = json.loads((store.folder(session) / SESSION_FILE).read_text())
    assert data["questions"][0]["text"] == "Tell me about yourself."
    assert data["questions"][0]["takes"][0] == {
        **data["questions"][0]["takes"][0],
        "audio": "q01-take1.flac",
        "duration_s": 4.5,
    }
    assert data["status"] == FINISHED
    assert data["settings"]["think_time_s"] == 15
    loaded = store.load(store.folder(session))
    assert loaded.questions[0].takes[0].duration_s == 4.5
    assert not [p for p in store.folder(session).iterdir() if ".tmp" in p.name]


def test_session_folders_are_private(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store)
    assert (store.folder(session).stat().st_mode & 0o077) == 0


def test_list_newest_first_and_damaged_file_is_a_storage_error(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    first = new_session(store)
    second = new_session(store)
    ids = [s.id for s in store.list_sessions()]
    assert set(ids) == {first.id, second.id}
    assert ids == sorted(ids, reverse=True)
    (store.folder(first) / SESSION_FILE).write_text("{ not json")
    with pytest.raises(StorageError, match="damaged"):
        store.load(store.folder(first))
    assert [s.id for s in store.list_sessions()] == [second.id]


def test_unwritable_data_folder_is_a_friendly_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    store = SessionStore(blocker / "sessions")
    with pytest.raises(StorageError, match="Could not create the session folder"):
        new_session(store)


def test_recover_finalises_the_take_in_progress(tmp_path: Path) -> None:
    """A crash mid-answer leaves a partial file and a take marked 'recording'."""
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store)
    partial, final = store.take_paths(session, 0)
    session.questions[0].takes.append(
        Take(audio=partial.name, duration_s=0.0, started_at="x", status="recording")
    )
    store.save(session)
    writer = PartialTakeWriter(partial, 48000, 1)
    rng = np.random.default_rng(1)
    for _ in range(30):  # 3 s of noise in 0.1 s blocks
        writer.write((0.2 * rng.standard_normal((4800, 1))).astype(np.float32))
    writer.close()  # the process "died" here: the partial file is never finalised
    assert [p.name for p in store.folder(session).glob("*.partial.raw")] == [partial.name]
    assert store.unfinished() == [store.folder(session)]

    recovered = store.recover(store.folder(session))
    take = recovered.questions[0].takes[0]
    assert take.audio == final.name and final.is_file()
    assert take.status == "recovered"
    assert take.duration_s == pytest.approx(3.0, abs=0.01)
    assert recovered.status == RECOVERED
    assert store.unfinished() == []
    assert not list(store.folder(session).glob("*.partial.*"))


def test_status_values(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store)
    assert session.status == IN_PROGRESS
    assert os.path.isdir(store.folder(session))


def test_a_new_take_never_reuses_the_file_of_a_deleted_one(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store)
    folder = store.folder(session)
    (folder / "q01-take2.flac").write_bytes(b"kept")  # take 1 was deleted, take 2 remains
    session.questions[0].takes.append(Take(audio="q01-take2.flac", duration_s=1.0, started_at=""))
    partial, final = store.take_paths(session, 0)
    assert final.name == "q01-take3.flac" and partial.name == "q01-take3.partial.raw"
