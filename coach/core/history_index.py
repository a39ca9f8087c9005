"""A local SQLite index over the session folders, so history lists, search and charts are instant.

The folders stay the source of truth: every row here is derived from a `session.json` and its
`*.analysis.json` files, so the database can be thrown away and rebuilt at any time. A missing,
corrupt or newer-than-known database is moved aside (`<name>.bad`) and rebuilt on open.

Schema changes are numbered migrations (PRAGMA user_version); each runs in one transaction and
keeps existing rows. Version 1 held only the `sessions` table; version 2 adds per-answer rows
(search by question, charts by category), a search text and a change fingerprint per session.

`session_id` is the folder name, which `SessionStore` makes equal to `Session.id`; it is unique
on disk even if someone copies a folder by hand.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from coach.core.history_rows import (
    AnswerRow,
    SessionRow,
    answer_rows,
    headline,
    search_text,
    search_words,
    utc_sort_key,
)
from coach.core.session_store import SESSION_FILE, SessionStore
from coach.errors import StorageError
from coach.measures import HISTORY_COLUMNS

SCHEMA_VERSION = 2
DB_FILE_NAME = "history.sqlite3"
_CORRUPT_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)
_T = TypeVar("_T")

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE sessions (
            session_id TEXT PRIMARY KEY, folder TEXT NOT NULL, created_at TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '', role TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '', answers INTEGER NOT NULL DEFAULT 0,
            takes INTEGER NOT NULL DEFAULT 0, words_per_minute REAL, fillers_per_minute REAL,
            pitch_variation_st REAL, long_pauses INTEGER, answer_seconds REAL, self_rating REAL)""",
    ),
    2: (
        "ALTER TABLE sessions ADD COLUMN created_utc TEXT",
        "ALTER TABLE sessions ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN fingerprint TEXT",  # NULL: re-read on next refresh()
        "UPDATE sessions SET created_utc = created_at",
        """CREATE TABLE answers (
            session_id TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
            question_index INTEGER NOT NULL, question_id TEXT NOT NULL,
            category TEXT NOT NULL, question_text TEXT NOT NULL, take_index INTEGER NOT NULL,
            engine TEXT NOT NULL DEFAULT '', words_per_minute REAL, fillers_per_minute REAL,
            pitch_variation_st REAL, long_pauses INTEGER, answer_seconds REAL,
            self_rating REAL, PRIMARY KEY (session_id, question_index))""",
        "CREATE INDEX answers_by_question ON answers(question_id)",
        "CREATE INDEX answers_by_category ON answers(category)",
        "CREATE INDEX sessions_by_created ON sessions(created_utc)",
    ),
}
assert max(_MIGRATIONS) == SCHEMA_VERSION

# The measure columns are the registry's HISTORY_COLUMNS (coach.measures); a new one also needs a
# migration above adding it to both tables.
SORTABLE = (
    "created_at", "title", "role", "status", "answers", "takes", *HISTORY_COLUMNS,
)  # fmt: skip
_SESSION_COLUMNS = ", ".join(
    ("session_id", "folder", "created_at", "title", "role", "status", "answers", "takes",
     *HISTORY_COLUMNS)
)  # fmt: skip
_ANSWER_FIELDS = (
    "session_id", "question_index", "question_id", "category", "question_text", "take_index",
    "engine", *HISTORY_COLUMNS,
)  # fmt: skip
_ANSWER_COLUMNS = ", ".join(
    ("a.session_id", "s.created_at", "a.question_index", "a.question_id", "a.category",
     "a.question_text", "a.take_index", "a.engine", *(f"a.{c}" for c in HISTORY_COLUMNS))
)  # fmt: skip


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class HistoryIndex:
    """The SQLite index; safe to share between the GUI thread and one worker (one lock)."""

    def __init__(self, db_path: Path, sessions_root: Path, *, sync: bool = True) -> None:
        """Open or create the index; `sync` also brings it up to date with the folders."""
        self.db_path = db_path
        self.sessions_root = sessions_root
        self._store = SessionStore(sessions_root)
        self._lock = threading.RLock()
        self.recovered_from: Path | None = None  # where a bad database was moved, if it was
        existed = db_path.is_file() and db_path.stat().st_size > 0
        try:
            self._conn = self._open()
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc):
                raise StorageError("Could not open the history index.", detail=str(exc)) from exc
            self._conn = self._reopen_fresh()
            existed = False
        if not existed:
            self.rebuild()
        elif sync:
            self.refresh()

    # -- opening -------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.db_path.exists():  # SQLite gives -wal/-shm the same mode as the database
            os.close(os.open(self.db_path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(
            self.db_path, isolation_level=None, check_same_thread=False, timeout=5.0
        )
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema version {version} is newer than this app")
            conn.execute("PRAGMA journal_mode = WAL")
            self._migrate(conn, version)
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _MIGRATIONS[target]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _reopen_fresh(self) -> sqlite3.Connection:
        """Move a damaged database (and its WAL) aside and start an empty one."""
        bad = self.db_path.with_name(self.db_path.name + ".bad")
        for suffix in ("", "-wal", "-shm"):
            src = self.db_path.with_name(self.db_path.name + suffix)
            if src.exists():
                os.replace(src, bad.with_name(bad.name + suffix))
        self.recovered_from = bad
        return self._open()

    def _guarded(self, action: Callable[[], _T]) -> _T:
        """Run under the lock; a database found corrupt mid-use is rebuilt once, then retried."""
        with self._lock:
            try:
                return action()
            except sqlite3.DatabaseError as exc:
                if not _is_corruption(exc):
                    raise StorageError("The history index failed.", detail=str(exc)) from exc
            self._conn.close()
            self._conn = self._reopen_fresh()
            self._index_all(self._session_folders())
            return action()

    # -- writing -------------------------------------------------------------------------------
    def rebuild(self) -> int:
        """Forget every row and index every session folder again; returns sessions indexed."""
        return self._guarded(lambda: self._index_all(self._session_folders()))

    def refresh(self) -> int:
        """Index new or changed folders and drop rows of vanished ones; returns folders re-read.

        A folder's fingerprint is its session.json size and mtime: every change the app makes
        (take, analysis, rating, deletion) rewrites session.json.
        """

        def run() -> int:
            known = dict(self._conn.execute("SELECT session_id, fingerprint FROM sessions"))
            folders = self._session_folders()
            changed = [f for f in folders if known.get(f.name, "") != _fingerprint(f)]
            gone = set(known) - {f.name for f in folders}
            self._transaction(lambda: self._write(changed, gone))
            return len(changed)

        return self._guarded(run)

    def update_session(self, folder: Path) -> None:
        """(Re)index one folder after it changed; a vanished folder just loses its row."""

        def run() -> None:
            if (folder / SESSION_FILE).is_file():
                self._transaction(lambda: self._write([folder], set()))
            else:
                self._transaction(lambda: self._write([], {folder.name}))

        self._guarded(run)

    def remove_session(self, session_id: str) -> None:
        self._guarded(lambda: self._transaction(lambda: self._write([], {session_id})))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _index_all(self, folders: Sequence[Path]) -> int:
        def run() -> None:
            self._conn.execute("DELETE FROM sessions")
            self._write(folders, set())

        self._transaction(run)
        return int(self._conn.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def _transaction(self, body: Callable[[], None]) -> None:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            body()
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def _write(self, folders: Iterable[Path], remove: set[str]) -> None:
        """Replace the rows of `folders`; damaged folders are left out, as in the session list."""
        for session_id in remove:
            self._conn.execute("DELETE FROM sessions WHERE session_id = ?", (session_id,))
        for folder in folders:
            fingerprint = _fingerprint(folder)
            self._conn.execute("DELETE FROM sessions WHERE session_id = ?", (folder.name,))
            try:
                session = self._store.load(folder)
            except StorageError:
                continue
            answers = answer_rows(folder, session)
            head = headline(answers)
            self._conn.execute(
                f"INSERT INTO sessions ({_SESSION_COLUMNS}, created_utc, search_text, fingerprint)"
                f" VALUES ({_marks(11 + len(HISTORY_COLUMNS))})",
                (
                    folder.name, str(folder), session.created_at, session.title, session.role,
                    session.status, sum(1 for q in session.questions if q.takes),
                    session.take_count, *(getattr(head, c) for c in HISTORY_COLUMNS),
                    utc_sort_key(session.created_at), search_text(folder, session), fingerprint,
                ),
            )  # fmt: skip
            self._conn.executemany(
                f"INSERT INTO answers ({', '.join(_ANSWER_FIELDS)})"
                f" VALUES ({_marks(len(_ANSWER_FIELDS))})",
                [tuple(getattr(a, c) for c in _ANSWER_FIELDS) for a in answers],
            )

    def _session_folders(self) -> list[Path]:
        if not self.sessions_root.is_dir():
            return []
        return sorted(
            f
            for f in self.sessions_root.iterdir()
            if not f.name.startswith(".") and (f / SESSION_FILE).is_file()
        )

    # -- reading -------------------------------------------------------------------------------
    def sessions(
        self, *, search: str = "", order_by: str = "created_at", descending: bool = True
    ) -> list[SessionRow]:
        """Sessions whose title, role, questions or transcripts contain every word searched for
        (as a word prefix, case-insensitive); empty values sort last either way."""
        if order_by not in SORTABLE:
            raise ValueError(f"cannot sort by {order_by!r}; choose one of {SORTABLE}")
        column = "created_utc" if order_by == "created_at" else order_by
        direction = "DESC" if descending else "ASC"
        terms = search_words(search)
        where = " AND ".join(["search_text LIKE ? ESCAPE '\\'"] * len(terms)) or "1"
        sql = (
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE {where} "
            f"ORDER BY {column} {direction} NULLS LAST, created_utc DESC"
        )
        params = ["% " + t.replace("\\", "\\\\").replace("_", "\\_") + "%" for t in terms]

        def run() -> list[SessionRow]:
            rows = self._conn.execute(sql, params).fetchall()
            return [SessionRow(r[0], Path(r[1]), *r[2:]) for r in rows]

        return self._guarded(run)

    def answers(
        self, *, category: str | None = None, question_id: str | None = None
    ) -> list[AnswerRow]:
        """Answer rows in session time order, optionally of one category or one question."""
        clauses, params = [], []
        for column, value in (("a.category", category), ("a.question_id", question_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = " AND ".join(clauses) or "1"
        sql = (
            f"SELECT {_ANSWER_COLUMNS} FROM answers a JOIN sessions s USING (session_id) "
            f"WHERE {where} ORDER BY s.created_utc, a.session_id, a.question_index"
        )
        return self._guarded(
            lambda: [AnswerRow(*r) for r in self._conn.execute(sql, params).fetchall()]
        )

    def categories(self) -> list[str]:
        """The categories that have at least one answer, for a chart's category picker."""
        sql = "SELECT DISTINCT category FROM answers WHERE category != '' ORDER BY category"
        return self._guarded(lambda: [r[0] for r in self._conn.execute(sql)])


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    return type(exc) is sqlite3.DatabaseError  # our own quick_check / version refusals


def _fingerprint(folder: Path) -> str:
    try:
        st = (folder / SESSION_FILE).stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"
