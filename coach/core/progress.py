"""Progress over sessions: one series per headline measure, with its target band, for charts.

Each point is one session's value, computed from its answers exactly as the history list does
(`history_rows.headline`), so a chart and the list never disagree. The bands are the green
ranges of feedback-science.md §10; a measure without a published target has no band.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from coach.core.history_index import HistoryIndex
from coach.core.history_rows import AnswerRow, chosen_take_index, headline, utc_sort_key
from coach.core.session import Take
from coach.core.session_store import SESSION_FILE, SessionStore
from coach.errors import StorageError


@dataclass(frozen=True)
class Band:
    """The target range; None means open on that side."""

    low: float | None
    high: float | None
    source: str


@dataclass(frozen=True)
class Series:
    metric: str
    label: str
    unit: str
    points: tuple[tuple[str, float], ...]  # (created_at, value), oldest first
    band: Band | None


PACE_BAND = Band(120.0, 165.0, "feedback-science.md §1/§10: Microsoft Speaker Coach, NCVS")
FILLER_BAND = Band(None, 1.0, "feedback-science.md §2/§10: at most 1 filler per minute")
PITCH_BAND = Band(3.0, None, "feedback-science.md §4/§10: above 3 semitones reads as lively")
LENGTH_BAND = Band(60.0, 120.0, "feedback-science.md §6/§10: Gies; HireVue norms")

# (metric, label, unit, band). Long pauses are plotted per answer so that sessions with more
# questions are not penalised; §3 defines a long pause (> 2.5 s) but gives no count target.
# Self-ratings are the user's own 1-5 scale and have no external target.
METRICS: tuple[tuple[str, str, str, Band | None], ...] = (
    ("words_per_minute", "Pace", "words/min", PACE_BAND),
    ("fillers_per_minute", "Fillers", "per min", FILLER_BAND),
    ("pitch_variation_st", "Pitch variation", "semitones", PITCH_BAND),
    ("long_pauses_per_answer", "Long pauses (over 2.5 s)", "per answer", None),
    ("answer_seconds", "Answer length", "s", LENGTH_BAND),
    ("self_rating", "Self-rating", "1-5", None),
)


def session_values(answers: list[AnswerRow]) -> dict[str, float | None]:
    """One session's value of every metric in METRICS, from its (possibly filtered) answers."""
    head = headline(answers)
    analysed = sum(1 for a in answers if a.long_pauses is not None)
    return {
        "words_per_minute": head.words_per_minute,
        "fillers_per_minute": head.fillers_per_minute,
        "pitch_variation_st": head.pitch_variation_st,
        "long_pauses_per_answer": (
            head.long_pauses / analysed if head.long_pauses is not None and analysed else None
        ),
        "answer_seconds": head.answer_seconds,
        "self_rating": head.self_rating,
    }


def progress_series(index: HistoryIndex, *, category: str | None = None) -> list[Series]:
    """Every metric over sessions (all answers, or one question category), oldest first.

    Sessions without a value for a metric are left out of that series, never plotted as 0.
    """
    rows = index.answers(category=category)
    per_session = [
        (created_at, session_values(list(group)))
        for (_, created_at), group in groupby(rows, key=lambda a: (a.session_id, a.created_at))
    ]
    series = []
    for metric, label, unit, band in METRICS:
        points = tuple(
            (created_at, value)
            for created_at, values in per_session
            if (value := values[metric]) is not None
        )
        series.append(Series(metric, label, unit, points, band))
    return series


def same_question_history(sessions_root: Path, question_id: str) -> list[tuple[str, Path, Take]]:
    """Every time this question was answered: (created_at, session folder, chosen take).

    The chosen take is the user's best take, else the latest one. Oldest first, so the
    answers can be played side by side in the order they were given.
    """
    store = SessionStore(sessions_root)
    found: list[tuple[str, str, Path, Take]] = []
    if not sessions_root.is_dir():
        return []
    for folder in sorted(sessions_root.iterdir()):
        if folder.name.startswith(".") or not (folder / SESSION_FILE).is_file():
            continue
        try:
            session = store.load(folder)
        except StorageError:
            continue
        for question in session.questions:
            ti = chosen_take_index(question) if question.id == question_id else None
            if ti is not None:
                found.append(
                    (
                        utc_sort_key(session.created_at),
                        session.created_at,
                        folder,
                        question.takes[ti],
                    )
                )
    found.sort(key=lambda item: item[0])
    return [(created, folder, take) for _, created, folder, take in found]
