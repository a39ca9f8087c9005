"""The rows the history index stores, derived from one session folder without any database.

Split out of `history_index` so the pure part (which take stands for a question, how a session's
headline numbers are summarised, which words a session is found by) can be read, tested and reused
(`progress` computes charts with it) apart from the SQLite schema and its locking.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.core.session import AskedQuestion, Session
from coach.measures import INDEXED_FROM_ANALYSIS, MEASURES


@dataclass(frozen=True)
class Headline:
    """The numbers a session (or a subset of its answers) is summarised by."""

    words_per_minute: float | None = None  # median over answers, as every INDEXED_FROM_ANALYSIS
    fillers_per_minute: float | None = None
    pitch_variation_st: float | None = None
    long_pauses: int | None = None  # total over analysed answers
    answer_seconds: float | None = None  # mean first-to-last-word span
    self_rating: float | None = None  # mean of the ratings given


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    folder: Path
    created_at: str
    title: str
    role: str
    status: str
    answers: int
    takes: int
    words_per_minute: float | None
    fillers_per_minute: float | None
    pitch_variation_st: float | None
    long_pauses: int | None
    answer_seconds: float | None
    self_rating: float | None


@dataclass(frozen=True)
class AnswerRow:
    """One answered question: the numbers of its chosen take (best take, else the latest)."""

    session_id: str
    created_at: str
    question_index: int
    question_id: str
    category: str
    question_text: str
    take_index: int
    engine: str  # "" when the take has no analysis yet
    words_per_minute: float | None
    fillers_per_minute: float | None
    pitch_variation_st: float | None
    long_pauses: int | None
    answer_seconds: float | None
    self_rating: float | None


def chosen_take_index(question: AskedQuestion) -> int | None:
    """The take that stands for a question: the user's best take, else the latest finished one."""
    if question.best_take is not None and 0 <= question.best_take < len(question.takes):
        return question.best_take
    usable = [i for i, t in enumerate(question.takes) if t.status != "recording"]
    return usable[-1] if usable else None


def headline(answers: Sequence[AnswerRow]) -> Headline:
    """Medians for rates (one odd answer must not swing a session), sums and means elsewhere."""

    def values(name: str) -> list[float]:
        return [v for a in answers if (v := getattr(a, name)) is not None]

    def median(name: str) -> float | None:
        vals = values(name)
        return float(statistics.median(vals)) if vals else None

    def mean(name: str) -> float | None:
        vals = values(name)
        return statistics.fmean(vals) if vals else None

    pauses = values("long_pauses")
    rates = {key: median(key) for key in INDEXED_FROM_ANALYSIS}
    return Headline(
        **rates,
        long_pauses=int(sum(pauses)) if pauses else None,
        answer_seconds=mean("answer_seconds"),
        self_rating=mean("self_rating"),
    )


def search_words(text: str) -> list[str]:
    """Lower-case word tokens; the same rule for indexed text and for what the user types."""
    return re.findall(r"\w+", text.lower())


def utc_sort_key(created_at: str) -> str:
    """Sessions recorded across a DST change or in another time zone still sort by real time."""
    try:
        moment = datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    return moment.astimezone(UTC).isoformat()


def _read_analysis(folder: Path, name: str | None) -> dict[str, Any] | None:
    if not name or Path(name).name != name:  # only plain file names inside the folder
        return None
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def answer_rows(folder: Path, session: Session) -> list[AnswerRow]:
    rows = []
    for qi, question in enumerate(session.questions):
        ti = chosen_take_index(question)
        if ti is None:
            continue
        take = question.takes[ti]
        data = _read_analysis(folder, take.analysis) or {}
        words = data.get("words") or []
        try:  # feedback-science.md §6: answer length runs from the first to the last word
            span = float(words[-1]["end_s"]) - float(words[0]["start_s"]) if words else None
        except (KeyError, TypeError, ValueError):
            span = None
        pauses = data.get("long_pause_count")
        # A measure the basic recogniser gets wrong (fillers) is left empty: no number beats a
        # false zero.
        low = bool(data.get("low_accuracy"))
        copied = {
            key: None if low and MEASURES[key].accurate_only else _number(data, key)
            for key in INDEXED_FROM_ANALYSIS
        }
        rows.append(
            AnswerRow(
                session_id=folder.name,
                created_at=session.created_at,
                question_index=qi,
                question_id=question.id,
                category=question.category,
                question_text=question.text,
                take_index=ti,
                engine=str(data.get("engine", "")),
                **copied,
                long_pauses=int(pauses) if isinstance(pauses, int) else None,
                answer_seconds=span,
                self_rating=float(take.self_rating) if take.self_rating is not None else None,
            )
        )
    return rows


def search_text(folder: Path, session: Session) -> str:
    """Title, role, question texts and every take's transcript, as space-padded word tokens."""
    parts = [session.title, session.role]
    for question in session.questions:
        parts.append(question.text)
        for take in question.takes:
            data = _read_analysis(folder, take.analysis)
            if data is not None:
                parts.append(str(data.get("transcript", "")))
    return " " + " ".join(search_words(" ".join(parts))) + " "
