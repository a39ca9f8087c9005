"""Deleting recordings for real: one take, one session, or everything the app keeps.

The UI asks for confirmation; these functions do the deed and leave no copies behind (the
files are unlinked and the index rows dropped). They refuse to delete anything that does not
look like the app's own data, because a data folder may be pointed anywhere (COACH_DATA_DIR).
"""

from __future__ import annotations

import glob
import shutil
from pathlib import Path

from coach.core.history_index import DB_FILE_NAME, HistoryIndex
from coach.core.session_store import SessionStore
from coach.errors import StorageError
from coach.storage import SESSION_FILE, storage_error

APP_FOLDERS = ("sessions", "questions", "cache", "models", "logs")
"""The sub-folders coach.paths hands out under the data folder."""
APP_FILE_PATTERNS = (f"{DB_FILE_NAME}*", "settings.json", "settings.toml")
"""The index database (with its -wal, -shm and .bad siblings) and the settings file."""


def delete_take(
    store: SessionStore,
    folder: Path,
    question_index: int,
    take_index: int,
    *,
    index: HistoryIndex | None = None,
) -> None:
    """Remove one take: its audio, analysis and any partial files, then its entry in session.json.

    session.json is saved first, so a crash in between leaves an orphan file rather than a take
    whose audio is gone. The best-take choice follows the takes that remain.
    Do not use on the session being recorded: the controller's copy would write the take back.
    """
    session = store.load(folder)
    question = session.questions[question_index]
    take = question.takes[take_index]
    del question.takes[take_index]
    if question.best_take is not None:
        if question.best_take == take_index:
            question.best_take = None
        elif question.best_take > take_index:
            question.best_take -= 1
    store.write(folder.name, session.to_dict())
    doomed = {p for name in (take.audio, take.analysis) if (p := _inside(folder, name))}
    stem = Path(take.audio).name.split(".", 1)[0]
    if stem:  # q01-take1.* : the .partial.raw/.json left by a crash and any sidecar
        doomed.update(folder.glob(f"{glob.escape(stem)}.*"))
    try:
        for path in doomed:
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise storage_error(exc, "delete the recording") from exc
    if index is not None:
        index.update_session(folder)


def delete_session(folder: Path, *, index: HistoryIndex | None = None) -> None:
    """Remove a whole session folder (audio, analyses, session.json) and its index row."""
    if not (folder / SESSION_FILE).is_file() or folder.is_symlink():
        raise StorageError(f"{folder} is not a session folder; nothing was deleted.")
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise storage_error(exc, "delete the session") from exc
    if index is not None:
        index.remove_session(folder.name)


def delete_all_data(data_dir: Path, *, index: HistoryIndex | None = None) -> list[Path]:
    """Remove everything the app wrote under `data_dir`; returns entries it left alone.

    Only the app's own folders and files are removed, so pointing the data folder at a folder
    with other content never destroys that content. The data folder itself goes if empty.
    Close any open index first, or pass it here to have it closed.
    """
    if index is not None:
        index.close()
    if not data_dir.is_dir():
        return []
    try:
        for name in APP_FOLDERS:
            target = data_dir / name
            if target.is_symlink():
                target.unlink()
            elif target.is_dir():
                shutil.rmtree(target)
        for pattern in APP_FILE_PATTERNS:
            for path in data_dir.glob(pattern):
                if path.is_file() or path.is_symlink():
                    path.unlink()
        leftovers = sorted(data_dir.iterdir())
        if not leftovers:
            data_dir.rmdir()
    except OSError as exc:
        raise storage_error(exc, "delete all data") from exc
    return leftovers


def _inside(folder: Path, name: str | None) -> Path | None:
    """`folder/name` only for a plain file name: a crafted session.json cannot aim elsewhere."""
    return folder / name if name and Path(name).name == name and name not in (".", "..") else None
