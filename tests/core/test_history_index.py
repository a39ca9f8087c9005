"""The SQLite history index over real session folders whose takes are real speech, analysed for
real (pocketsphinx): rebuild, corruption, migration from schema 1, search, sorting, numbers."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile as sf

from coach.analysis.engines import make_transcriber
from coach.analysis.pipeline import analyze_file
from coach.analysis.transcribe import Transcriber
from coach.core.history_index import (
    DB_FILE_NAME,
    SCHEMA_VERSION,
    HistoryIndex,
    SessionRow,
)
from coach.core.session import FINISHED, IN_PROGRESS, AskedQuestion, Session, Take
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings

DATA = Path(__file__).resolve().parents[1] / "data"
S1, S2, S3 = "2025-01-10_100000-aaaa", "2025-02-01_180000-bbbb", "2025-03-05_090000-cccc"


def add_take(
    folder: Path, q: int, question: AskedQuestion, clip: str, asr: Transcriber | None, analyse: bool
) -> Take:
    """Write a real clip as the next FLAC take and store its real analysis next to it."""
    audio = folder / f"q{q + 1:02d}-take{len(question.takes) + 1}.flac"
    samples, rate = sf.read(str(DATA / clip), dtype="float32")
    sf.write(str(audio), samples, rate, format="FLAC")
    take = Take(audio=audio.name, duration_s=len(samples) / rate, started_at="2025-01-01T00:00")
    if analyse:
        result = analyze_file(audio, asr)
        analysis = audio.with_suffix(".analysis.json")
        analysis.write_text(json.dumps(result.to_dict()), encoding="utf-8")
        take.analysis = analysis.name
    question.takes.append(take)
    return take


def build_sessions(root: Path, asr: Transcriber | None) -> None:
    """S1: two questions (first has two takes, the second is best); S2: one answer, one skip;
    S3: in progress, its take not analysed yet."""
    store = SessionStore(root)
    root.mkdir(parents=True, exist_ok=True)

    def save(sid: str, created: str, title: str, role: str, status: str, qs: list) -> Session:
        session = Session(sid, created, InterviewSettings(), qs, title, status, role=role)
        (root / sid).mkdir()
        for i, (question, clips) in enumerate(qs_clips[sid]):
            for clip in clips:
                add_take(root / sid, i, question, clip, asr, analyse=status == FINISHED)
        store.save(session)
        return session

    about = AskedQuestion(id="gen-01", text="Tell me about yourself.", category="general")
    conflict = AskedQuestion(id="beh-02", text="Describe a conflict.", category="behavioural")
    about2 = AskedQuestion(id="gen-01", text="Tell me about yourself.", category="general")
    skipped = AskedQuestion(id="beh-02", text="Describe a conflict.", category="behavioural")
    skipped.skipped = True
    why = AskedQuestion(id="mot-03", text="Why do you want this job?", category="motivation")
    qs_clips = {
        S1: [
            (about, ["goforward_16k.wav", "cmu_arctic_us_aew_a0001.wav"]),
            (conflict, ["librispeech_2412-153948-0000.flac"]),
        ],
        S2: [(about2, ["vosk_test_digits.wav"]), (skipped, [])],
        S3: [(why, ["emodb_03a04Nc.wav"])],
    }
    s1 = save(
        S1, "2025-01-10T10:00:00+01:00", "General", "Data analyst", FINISHED, [about, conflict]
    )
    about.best_take = 1
    about.takes[1].self_rating = 3
    conflict.takes[0].self_rating = 4
    store.save(s1)
    s2 = save(S2, "2025-02-01T18:00:00+01:00", "Behavioural", "Nurse", FINISHED, [about2, skipped])
    about2.takes[0].self_rating = 5
    store.save(s2)
    save(S3, "2025-03-05T09:00:00+01:00", "Motivation", "", IN_PROGRESS, [why])


@pytest.fixture(scope="session")
def sessions_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history") / "sessions"
    asr = make_transcriber("pocketsphinx")
    assert asr is not None
    build_sessions(root, asr)
    return root


@pytest.fixture
def sessions_root(sessions_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    shutil.copytree(sessions_template, root)
    return root


@pytest.fixture
def index(sessions_root: Path) -> Iterator[HistoryIndex]:
    idx = HistoryIndex(sessions_root.parent / DB_FILE_NAME, sessions_root)
    yield idx
    idx.close()


def analysis_of(root: Path, sid: str, q: int, t: int) -> dict:
    data = json.loads((root / sid / "session.json").read_text())
    name = data["questions"][q]["takes"][t]["analysis"]
    return json.loads((root / sid / name).read_text())


def by_id(rows: list[SessionRow]) -> dict[str, SessionRow]:
    return {r.session_id: r for r in rows}


def test_headline_numbers_equal_the_analyses_of_the_chosen_takes(
    index: HistoryIndex, sessions_root: Path
) -> None:
    rows = by_id(index.sessions())
    best_about = analysis_of(sessions_root, S1, 0, 1)  # take 2 is the best take
    conflict = analysis_of(sessions_root, S1, 1, 0)
    s1 = rows[S1]
    assert (s1.title, s1.role, s1.status, s1.answers, s1.takes) == (
        "General", "Data analyst", FINISHED, 2, 3,
    )  # fmt: skip
    assert s1.folder == sessions_root / S1
    assert s1.words_per_minute == pytest.approx(
        statistics.median([best_about["words_per_minute"], conflict["words_per_minute"]])
    )
    # These takes were transcribed by pocketsphinx (low accuracy): filler counts are not shown.
    assert best_about["low_accuracy"] and conflict["low_accuracy"]
    assert s1.fillers_per_minute is None
    assert s1.long_pauses == best_about["long_pause_count"] + conflict["long_pause_count"]
    spans = [a["words"][-1]["end_s"] - a["words"][0]["start_s"] for a in (best_about, conflict)]
    assert s1.answer_seconds == pytest.approx(statistics.fmean(spans))
    assert s1.self_rating == pytest.approx(3.5)
    # Only the one clip long enough for a pitch measure contributes; the others are None.
    pitches = [a["pitch_variation_st"] for a in (best_about, conflict) if a["pitch_variation_st"]]
    assert s1.pitch_variation_st == pytest.approx(statistics.median(pitches))
    s3 = rows[S3]
    assert (s3.status, s3.answers, s3.takes, s3.words_per_minute, s3.long_pauses) == (
        IN_PROGRESS, 1, 1, None, None,
    )  # fmt: skip


def test_rebuilt_from_the_folders_after_the_database_is_deleted(sessions_root: Path) -> None:
    db = sessions_root.parent / DB_FILE_NAME
    first = HistoryIndex(db, sessions_root)
    before = first.sessions()
    first.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    again = HistoryIndex(db, sessions_root)
    assert again.sessions() == before
    assert len(before) == 3
    again.close()


def test_rebuilt_after_the_database_is_overwritten_with_garbage(sessions_root: Path) -> None:
    db = sessions_root.parent / DB_FILE_NAME
    first = HistoryIndex(db, sessions_root)
    before = first.sessions()
    first.close()
    db.write_bytes(b"this is not a database, just garbage " * 200)
    again = HistoryIndex(db, sessions_root)
    assert again.sessions() == before
    assert again.recovered_from is not None and again.recovered_from.is_file()
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    again.close()


def test_database_from_a_newer_app_is_set_aside_and_rebuilt(sessions_root: Path) -> None:
    db = sessions_root.parent / DB_FILE_NAME
    with sqlite3.connect(db) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    idx = HistoryIndex(db, sessions_root)
    assert {r.session_id for r in idx.sessions()} == {S1, S2, S3}
    idx.close()


V1_SCHEMA = """CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY, folder TEXT NOT NULL, created_at TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '', role TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '', answers INTEGER NOT NULL DEFAULT 0,
    takes INTEGER NOT NULL DEFAULT 0, words_per_minute REAL, fillers_per_minute REAL,
    pitch_variation_st REAL, long_pauses INTEGER, answer_seconds REAL, self_rating REAL)"""


def test_version_1_database_is_migrated_keeping_its_rows(sessions_root: Path) -> None:
    db = sessions_root.parent / DB_FILE_NAME
    gone = "2024-12-01_090000-dead"  # indexed by v1, folder since removed by hand
    old_rows = [
        (S1, str(sessions_root / S1), "2025-01-10T10:00:00+01:00", "General", "Data analyst",
         FINISHED, 2, 3, 150.0, 0.5, 2.1, 0, 4.0, 3.5),
        (gone, str(sessions_root / gone), "2024-12-01T09:00:00+01:00", "Old", "", FINISHED,
         1, 1, 130.0, None, None, 1, None, None),
    ]  # fmt: skip
    with sqlite3.connect(db) as v1:
        v1.execute(V1_SCHEMA)
        v1.executemany(f"INSERT INTO sessions VALUES ({', '.join('?' * 14)})", old_rows)
        v1.execute("PRAGMA user_version = 1")
    v1.close()

    idx = HistoryIndex(db, sessions_root, sync=False)
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = {r[1] for r in check.execute("PRAGMA table_info(answers)")}
        assert {"question_id", "category", "words_per_minute"} <= columns
    check.close()
    kept = sorted(idx.sessions(), key=lambda r: r.session_id)
    assert [(r.session_id, str(r.folder), *list(r.__dict__.values())[2:]) for r in kept] == sorted(
        old_rows
    )
    assert idx.sessions(search="conflict") == []  # questions were not in schema 1

    assert idx.refresh() == 3  # every folder re-read: v1 rows carry no fingerprint
    rows = by_id(idx.sessions())
    assert set(rows) == {S1, S2, S3}  # the row of the vanished folder is gone
    assert rows[S1].words_per_minute != 150.0  # real numbers replace the hand-written ones
    assert [r.session_id for r in idx.sessions(search="conflict")] == [S2, S1]
    idx.close()


def test_search_matches_title_role_questions_and_transcripts(index: HistoryIndex) -> None:
    def found(text: str) -> set[str]:
        return {r.session_id for r in index.sessions(search=text)}

    assert found("") == {S1, S2, S3}
    assert found("nurse") == {S2}  # role
    assert found("MOTIVATION") == {S3}  # title, any case
    assert found("yourself") == {S1, S2}  # question text
    assert found("forward") == {S1}  # transcript of a take that is not the best take
    assert found("zero") == {S2}  # transcript (vosk digits clip)
    assert found("conf") == {S1, S2}  # word prefix
    assert found("onflict") == set()  # but not the middle of a word
    assert found("forward nurse") == set()  # every word must match
    assert found("yourself, analyst!") == {S1}
    assert found("_") == set()  # a LIKE wildcard is taken literally


def test_sorting_puts_missing_values_last_in_both_directions(index: HistoryIndex) -> None:
    ids = [r.session_id for r in index.sessions()]
    assert ids == [S3, S2, S1]  # newest first by default
    assert [r.session_id for r in index.sessions(descending=False)] == [S1, S2, S3]
    for descending in (True, False):
        rows = index.sessions(order_by="words_per_minute", descending=descending)
        values = [r.words_per_minute for r in rows]
        assert values[-1] is None and None not in values[:-1]
        assert values[:-1] == sorted(values[:-1], reverse=descending)  # type: ignore[type-var]
    with pytest.raises(ValueError, match="cannot sort"):
        index.sessions(order_by="title; DROP TABLE sessions")


def test_update_refresh_and_remove_follow_the_folders(
    index: HistoryIndex, sessions_root: Path
) -> None:
    store = SessionStore(sessions_root)
    session = store.load(sessions_root / S2)
    session.questions[0].takes[0].self_rating = 1
    store.save(session)
    index.update_session(sessions_root / S2)
    assert by_id(index.sessions())[S2].self_rating == 1.0

    shutil.rmtree(sessions_root / S3)
    shutil.copytree(sessions_root / S1, sessions_root / "2025-04-01_080000-dddd")
    assert index.refresh() == 1  # only the new folder is read
    assert set(by_id(index.sessions())) == {S1, S2, "2025-04-01_080000-dddd"}
    assert index.refresh() == 0

    index.remove_session(S1)
    assert S1 not in by_id(index.sessions())
    assert {a.session_id for a in index.answers()} == {S2, "2025-04-01_080000-dddd"}


def test_damaged_session_folder_is_left_out_not_fatal(
    index: HistoryIndex, sessions_root: Path
) -> None:
    (sessions_root / S2 / "session.json").write_text("{ not json", encoding="utf-8")
    index.refresh()
    assert set(by_id(index.sessions())) == {S1, S3}


def test_database_file_is_private(index: HistoryIndex) -> None:
    assert stat.S_IMODE(index.db_path.stat().st_mode) == 0o600
