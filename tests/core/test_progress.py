"""Progress series over real, really analysed sessions: the numbers are the analyses' numbers."""

from __future__ import annotations

import shutil
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.analysis.engines import make_transcriber
from coach.core.history_index import DB_FILE_NAME, HistoryIndex
from coach.core.progress import Series, progress_series, same_question_history
from coach.core.session_store import SessionStore
from tests.core.test_history_index import S1, S2, analysis_of, build_sessions


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sessions = tmp_path_factory.mktemp("progress") / "sessions"
    build_sessions(sessions, make_transcriber("pocketsphinx"))
    return sessions


@pytest.fixture
def index(root: Path, tmp_path: Path) -> Iterator[HistoryIndex]:
    idx = HistoryIndex(tmp_path / DB_FILE_NAME, root)
    yield idx
    idx.close()


def series_by_metric(series: list[Series]) -> dict[str, Series]:
    return {s.metric: s for s in series}


def test_points_are_the_analysed_numbers_in_time_order(index: HistoryIndex, root: Path) -> None:
    s1_about, s1_conflict = analysis_of(root, S1, 0, 1), analysis_of(root, S1, 1, 0)
    s2_about = analysis_of(root, S2, 0, 0)
    series = series_by_metric(progress_series(index))
    created = {S1: "2025-01-10T10:00:00+01:00", S2: "2025-02-01T18:00:00+01:00"}

    pace = series["words_per_minute"]
    assert [t for t, _ in pace.points] == [created[S1], created[S2]]
    assert [v for _, v in pace.points] == pytest.approx(
        [
            statistics.median([s1_about["words_per_minute"], s1_conflict["words_per_minute"]]),
            s2_about["words_per_minute"],
        ]
    )
    pauses = series["long_pauses_per_answer"].points
    assert [p[1] for p in pauses] == pytest.approx(
        [
            (s1_about["long_pause_count"] + s1_conflict["long_pause_count"]) / 2,
            s2_about["long_pause_count"],
        ]
    )
    ratings = series["self_rating"].points
    assert [p[1] for p in ratings] == pytest.approx([3.5, 5.0])
    # S3 has no analysis yet and no rating: it appears in no series rather than as zeros.
    assert all(not any(t.startswith("2025-03") for t, _ in s.points) for s in series.values())
    # Each series agrees with the history list's headline numbers.
    rows = {r.created_at: r for r in index.sessions()}
    for when, value in pace.points:
        assert rows[when].words_per_minute == pytest.approx(value)


def test_target_bands_come_from_the_feedback_science_table(index: HistoryIndex) -> None:
    series = series_by_metric(progress_series(index))
    assert set(series) == {
        "words_per_minute", "fillers_per_minute", "pitch_variation_st",
        "long_pauses_per_answer", "answer_seconds", "self_rating",
    }  # fmt: skip
    bands = {m: (s.band.low, s.band.high) if s.band else None for m, s in series.items()}
    assert bands == {
        "words_per_minute": (120.0, 165.0),
        "fillers_per_minute": (None, 1.0),
        "pitch_variation_st": (3.0, None),
        "long_pauses_per_answer": None,
        "answer_seconds": (60.0, 120.0),
        "self_rating": None,
    }
    assert all("feedback-science" in s.band.source for s in series.values() if s.band)


def test_one_category_uses_only_its_answers(index: HistoryIndex, root: Path) -> None:
    conflict = analysis_of(root, S1, 1, 0)
    series = series_by_metric(progress_series(index, category="behavioural"))
    (when, pace), *others = series["words_per_minute"].points
    assert (when, others) == ("2025-01-10T10:00:00+01:00", [])
    assert pace == pytest.approx(conflict["words_per_minute"])
    assert series["self_rating"].points == (("2025-01-10T10:00:00+01:00", 4.0),)
    assert all(s.points == () for s in progress_series(index, category="no such category"))
    assert index.categories() == ["behavioural", "general", "motivation"]


def test_same_question_across_sessions_gives_the_chosen_takes_oldest_first(root: Path) -> None:
    history = same_question_history(root, "gen-01")
    assert [(when, folder.name, take.audio) for when, folder, take in history] == [
        ("2025-01-10T10:00:00+01:00", S1, "q01-take2.flac"),  # the best take, not the latest
        ("2025-02-01T18:00:00+01:00", S2, "q01-take1.flac"),
    ]
    assert all((folder / take.audio).is_file() for _, folder, take in history)
    assert same_question_history(root, "beh-02")[0][1].name == S1  # S2 skipped it
    assert same_question_history(root, "unknown") == []


def test_same_question_follows_the_best_take_choice(root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sessions"
    shutil.copytree(root, copy)
    store = SessionStore(copy)
    session = store.load(copy / S1)
    for best, expected in ((0, "q01-take1.flac"), (None, "q01-take2.flac")):
        session.questions[0].best_take = best
        store.save(session)
        assert same_question_history(copy, "gen-01")[0][2].audio == expected
