"""Session folders on disk: one folder per session, session.json written atomically.

The folders are the source of truth; nothing else is needed to replay a session.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coach.core.session import FINISHED, IN_PROGRESS, RECOVERED, AskedQuestion, Session, Take
from coach.core.settings import InterviewSettings
from coach.errors import StorageError
from coach.storage import (
    PARTIAL_SUFFIX,
    final_name,
    question_index_from_name,
    storage_error,
    take_stem,
    write_json_atomic,
)
from coach.storage import SESSION_FILE as SESSION_FILE  # re-exported for older imports
from coach.storage import write_text_atomic as write_text_atomic  # re-exported likewise


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class SessionSummary:
    """What the session list shows without loading any audio."""

    folder: Path
    id: str
    title: str
    created_at: str
    status: str
    question_count: int
    take_count: int


class SessionStore:
    """Creates, saves, lists and recovers session folders under one root."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, session: Session) -> Path:
        return self.root / session.id

    def create(
        self, settings: InterviewSettings, questions: list[AskedQuestion], title: str
    ) -> Session:
        stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
        session = Session(
            id=f"{stamp}-{secrets.token_hex(2)}",
            created_at=now_iso(),
            settings=settings,
            questions=questions,
            title=title,
        )
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.folder(session).mkdir(mode=0o700)
        except OSError as exc:
            raise storage_error(exc, "create the session folder") from exc
        self.save(session)
        return session

    def save(self, session: Session) -> None:
        self.write(session.id, session.to_dict())

    def write(self, session_id: str, data: dict[str, Any]) -> None:
        """Write an already-serialised session (so a worker thread never reads live objects)."""
        try:
            write_json_atomic(self.root / session_id / SESSION_FILE, data)
        except OSError as exc:
            raise storage_error(exc, "save the session") from exc

    def load(self, folder: Path) -> Session:
        try:
            data = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
            return Session.from_dict(data)
        except OSError as exc:
            raise storage_error(exc, f"read the session in {folder.name}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise StorageError(
                f"The session file in {folder.name} is damaged and cannot be opened.",
                detail=str(exc),
            ) from exc

    def take_paths(self, session: Session, question_index: int) -> tuple[Path, Path]:
        """(partial path while recording, final FLAC path) for the next take of a question.

        The number is the first one no file uses, so a deleted take is never overwritten.
        """
        folder = self.folder(session)
        number = len(session.questions[question_index].takes) + 1
        while any(folder.glob(f"{take_stem(question_index, number)}.*")):
            number += 1
        stem = take_stem(question_index, number)
        return folder / f"{stem}{PARTIAL_SUFFIX}", folder / final_name(f"{stem}{PARTIAL_SUFFIX}")

    def list_sessions(self) -> list[SessionSummary]:
        """Newest first; unreadable folders are skipped (they are reported by `load`)."""
        summaries = []
        if not self.root.is_dir():
            return []
        for folder in sorted(self.root.iterdir(), reverse=True):
            if not (folder / SESSION_FILE).is_file():
                continue
            try:
                s = self.load(folder)
            except StorageError:
                continue
            summaries.append(
                SessionSummary(
                    folder=folder,
                    id=s.id,
                    title=s.title,
                    created_at=s.created_at,
                    status=s.status,
                    question_count=sum(1 for q in s.questions if q.takes),
                    take_count=s.take_count,
                )
            )
        return summaries

    def unfinished(self) -> list[Path]:
        """Sessions the app was closed or killed in the middle of."""
        return [s.folder for s in self.list_sessions() if s.status == IN_PROGRESS]

    def finish(self, session: Session) -> None:
        session.status = FINISHED
        session.finished_at = now_iso()
        self.save(session)

    def recover(self, folder: Path) -> Session:
        """Finalize every partial take left by a crash and mark the session recovered."""
        from coach.core import takefile  # numpy/soundfile only when a crash needs mending

        session = self.load(folder)
        try:
            recovered = {info.path.name: info for info in takefile.recover_partial_takes(folder)}
        except OSError as exc:
            raise storage_error(exc, "recover the unfinished recording") from exc
        for question in session.questions:
            for take in question.takes:
                final = final_name(take.audio)
                info = recovered.get(final)
                if info is not None:
                    take.audio = final
                    take.duration_s = info.duration_s
                    take.is_silent = info.is_silent
                    take.status = "recovered"
                elif take.status == "recording":
                    # Finalised on disk, but the app stopped before session.json was updated.
                    if (folder / final).is_file():
                        info = takefile.read_take_info(folder / final)
                        take.audio, take.duration_s = final, info.duration_s
                        take.is_silent = info.is_silent
                    take.status = "recovered"
        # A take whose partial file exists but never reached session.json is kept too.
        known = {t.audio for q in session.questions for t in q.takes}
        for name, info in recovered.items():
            if name not in known:
                index = question_index_from_name(name)
                if index is not None and index < len(session.questions):
                    session.questions[index].takes.append(
                        Take(
                            audio=name,
                            duration_s=info.duration_s,
                            started_at="",
                            status="recovered",
                            is_silent=info.is_silent,
                        )
                    )
        session.status = RECOVERED
        self.save(session)
        return session
