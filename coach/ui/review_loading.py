"""Reading a session's review from disk, kept apart from the Qt panel that shows it.

`load_review` is slow-ish (analyses, previous session, building the review), so the review panel
runs it on the 'disk' lane; `pending_takes` tells the panel whether late analyses are still due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.analysis.results import AnswerAnalysis
from coach.core.session import CUT_SHORT, Session
from coach.core.session_store import SessionStore
from coach.review.model import Review


@dataclass
class Loaded:
    """Everything the panel needs, read from disk in one go on the 'disk' lane."""

    folder: Path
    session: Session
    analyses: dict[tuple[int, int], AnswerAnalysis]
    review: Review
    pending: int = 0
    problems: list[str] = field(default_factory=list)


def pending_takes(folder: Path, session: Session, analysed: set[tuple[int, int]]) -> int:
    """Recorded, non-silent takes whose analysis has not landed yet."""
    return sum(
        1
        for q, question in enumerate(session.questions)
        for t, take in enumerate(question.takes)
        if (q, t) not in analysed
        and not take.is_silent
        and take.status not in ("recording", CUT_SHORT)
        and (folder / take.audio).is_file()
    )


def load_review(store: SessionStore, folder: Path) -> Loaded:
    """Session + analyses + previous session -> Review (slow-ish: runs on the 'disk' lane)."""
    from coach.review.build import load_session_review

    session, analyses, review = load_session_review(store, folder)
    return Loaded(
        folder, session, dict(analyses), review, pending_takes(folder, session, set(analyses))
    )
