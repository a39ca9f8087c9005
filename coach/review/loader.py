"""Read a session's stored analyses (JSON only, no audio decoding); find the session before it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from coach.analysis.results import AnswerAnalysis
from coach.core.session import Session
from coach.core.session_store import SESSION_FILE, SessionStore
from coach.errors import StorageError
from coach.storage import content_path

AnalysisMap = dict[tuple[int, int], AnswerAnalysis]


def load_analyses(folder: Path, session: Session) -> AnalysisMap:
    """(question index, take index) -> analysis; takes without a stored analysis are skipped.

    A take whose analysis file has vanished is skipped too (the take can be re-analysed); a file
    that exists but is damaged raises StorageError naming it, rather than silently hiding it.
    """
    out: AnalysisMap = {}
    for qi, question in enumerate(session.questions):
        for ti, take in enumerate(question.takes):
            if not take.analysis:
                continue
            path = folder / take.analysis
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StorageError(
                    f"Could not read the analysis {path.name}.", detail=str(exc)
                ) from exc
            try:
                out[(qi, ti)] = AnswerAnalysis.from_dict(json.loads(text))
            except (ValueError, TypeError) as exc:
                raise StorageError(
                    f"The analysis file {path.name} is damaged; analyse that take again.",
                    detail=str(exc),
                ) from exc
    return out


def load_contents(folder: Path, session: Session) -> dict[tuple[int, int], dict[str, Any]]:
    """(question index, take index) -> the take's saved content feedback (coach.content).

    Takes without one (no analysis yet, or made before issue 13) are skipped; a damaged file is
    skipped too: content feedback is an extra and must not hide the review.
    """
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for qi, question in enumerate(session.questions):
        for ti, take in enumerate(question.takes):
            path = content_path(folder / take.audio)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                out[(qi, ti)] = data
    return out


def _when(created_at: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(created_at)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.astimezone()


def previous_session(sessions_root: Path, session: Session) -> tuple[Session, AnalysisMap] | None:
    """The latest session created before this one that has at least one analysed take."""
    mine = _when(session.created_at)
    if mine is None or not sessions_root.is_dir():
        return None
    store = SessionStore(sessions_root)
    candidates: list[tuple[datetime, Path, Session]] = []
    for folder in sessions_root.iterdir():
        if not (folder / SESSION_FILE).is_file():
            continue
        try:
            other = store.load(folder)
        except StorageError:
            continue  # a damaged neighbour must not block this review
        when = _when(other.created_at)
        if other.id == session.id or when is None or when >= mine:
            continue
        candidates.append((when, folder, other))
    for _, folder, other in sorted(candidates, key=lambda c: c[0], reverse=True):
        try:
            analyses = load_analyses(folder, other)
        except StorageError:
            continue
        if analyses:
            return other, analyses
    return None
