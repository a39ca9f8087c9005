"""Progress over sessions: one series per headline measure, with its target band, for charts.

Each point is one session's value, computed from its answers exactly as the history list does
(`history_rows.headline`), so a chart and the list never disagree. The bands are the green
ranges of feedback-science.md §10, declared with each measure in `coach.measures`; a measure
without a published target has no band.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import groupby
from pathlib import Path

from coach.core.history_index import HistoryIndex
from coach.core.history_rows import AnswerRow, chosen_take_index, headline, utc_sort_key
from coach.core.session import Take
from coach.core.session_store import SESSION_FILE, SessionStore
from coach.errors import StorageError
from coach.measures import CHARTED, MEASURES, Measure, Target


@dataclass(frozen=True)
class Series:
    metric: str
    label: str
    unit: str
    points: tuple[tuple[str, float], ...]  # (created_at, value), oldest first
    band: Target | None


# The charted measures, their labels, units and target bands all come from the registry.
METRICS: tuple[Measure, ...] = tuple(MEASURES[key] for key in CHARTED)


def session_values(answers: list[AnswerRow]) -> dict[str, float | None]:
    """One session's value of every charted measure, from its (possibly filtered) answers."""
    values: dict[str, float | None] = asdict(headline(answers))
    analysed = sum(1 for a in answers if a.long_pauses is not None)
    pauses = values["long_pauses"]
    values["long_pauses_per_answer"] = (
        pauses / analysed if pauses is not None and analysed else None
    )
    return values


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
    for m in METRICS:
        points = tuple(
            (created_at, value)
            for created_at, values in per_session
            if (value := values[m.key]) is not None
        )
        series.append(Series(m.key, m.label, m.chart_unit or m.unit, points, m.target))
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
