"""The history page over real session folders (real FLAC takes, real pocketsphinx analyses) and
a real SQLite index: sorting, search, open, delete (session, take), export/import, bad zips,
rebuild; and the features installed into the real main window."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coach.analysis.engines import make_transcriber
from coach.core.history_index import DB_FILE_NAME
from coach.ui.history_actions import FilePickers
from coach.ui.history_table import COLUMNS, FOLDER_ROLE
from coach.ui.history_view import HistoryView
from coach.ui.index_holder import IndexHolder
from coach.ui.tasks import TaskRunner
from tests.core.test_history_index import S1, S2, S3, build_sessions

PACE = [c[1] for c in COLUMNS].index("words_per_minute")


@pytest.fixture(scope="session")
def history_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history-ui") / "sessions"
    build_sessions(root, make_transcriber("pocketsphinx"))
    return root


class Answers:
    """Records what the view asked and answers as told (the injectable confirm/pickers)."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.yes = True
        self.save_to: Path | None = None
        self.open_from: Path | None = None

    def confirm(self, text: str) -> bool:
        self.asked.append(text)
        return self.yes

    def pickers(self) -> FilePickers:
        return FilePickers(lambda _: self.save_to, lambda: self.open_from)


@pytest.fixture
def env(
    qtbot: QtBot, tmp_path: Path, history_template: Path
) -> Iterator[tuple[HistoryView, Answers, list[Path]]]:
    data_dir = tmp_path / "data"
    shutil.copytree(history_template, data_dir / "sessions")
    runner = TaskRunner()
    holder = IndexHolder(data_dir, data_dir / "sessions")
    answers = Answers()
    opened: list[Path] = []
    view = HistoryView(
        runner, holder, open_session=opened.append, confirm=answers.confirm,
        pickers=answers.pickers(),
    )  # fmt: skip
    view.resize(1040, 720)
    view.show()
    view.reload()
    qtbot.waitUntil(lambda: len(view.rows) == 3, timeout=15000)
    yield view, answers, opened
    qtbot.waitUntil(runner.is_idle, timeout=15000)  # no callback may outlive the view
    view.close()
    view.deleteLater()
    runner.shutdown()
    holder.close()


def table_ids(view: HistoryView) -> list[str]:
    return [
        Path(view.table.item(r, 0).data(FOLDER_ROLE)).name for r in range(view.table.rowCount())
    ]


def wait_rows(qtbot: QtBot, view: HistoryView, n: int) -> None:
    qtbot.waitUntil(lambda: view.table.rowCount() == n and view.runner.is_idle(), timeout=15000)


def test_newest_first_then_sorted_by_a_clicked_column(qtbot: QtBot, env: tuple) -> None:
    view, _, _ = env
    assert table_ids(view) == [S3, S2, S1]
    assert view.table.item(0, 0).text() == "2025-03-05 09:00"
    view.table.horizontalHeader().setSortIndicator(PACE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(
        lambda: view.sort_key() == ("words_per_minute", False) and view.runner.is_idle()
    )
    paces = [r.words_per_minute for r in view.rows]
    known = [p for p in paces if p is not None]
    assert known == sorted(known) and len(known) == 2  # S1 and S2 analysed
    assert paces[-1] is None  # the unanalysed session sorts last, never as 0
    shown = [view.table.item(r, PACE).text() for r in range(3)]
    assert shown == [f"{known[0]:.0f}", f"{known[1]:.0f}", "—"]


def test_search_matches_role_and_question_text(qtbot: QtBot, env: tuple) -> None:
    view, _, _ = env
    view.search_box.setText("nurse")
    qtbot.waitUntil(lambda: table_ids(view) == [S2], timeout=5000)
    view.search_box.setText("conflict")  # a question asked in S1 and (skipped) in S2
    qtbot.waitUntil(lambda: table_ids(view) == [S2, S1], timeout=5000)
    view.search_box.setText("xylophone")
    wait_rows(qtbot, view, 0)
    assert view.empty_label.isVisibleTo(view)
    assert "No session matches" in view.empty_label.text()


def test_open_passes_the_session_folder(qtbot: QtBot, env: tuple) -> None:
    view, _, opened = env
    view.table.selectRow(2)
    view.open_selected()
    assert [p.name for p in opened] == [S1]


def test_delete_session_asks_and_removes_the_folder(qtbot: QtBot, env: tuple) -> None:
    view, answers, _ = env
    folder = view.rows[1].folder
    view.table.selectRow(1)
    answers.yes = False
    view.delete_selected()
    assert folder.is_dir() and "cannot be undone" in answers.asked[-1]
    answers.yes = True
    view.delete_selected()
    wait_rows(qtbot, view, 2)
    assert not folder.exists()
    assert S2 not in table_ids(view)
    assert "Deleted 1 session" in view.status_label.text()


def test_delete_one_take_removes_its_files(qtbot: QtBot, env: tuple) -> None:
    view, answers, _ = env
    folder = view.rows[2].folder
    view.table.selectRow(2)  # S1: question 1 has two takes
    qtbot.waitUntil(lambda: view.takes.topLevelItemCount() == 2, timeout=5000)
    first_take = view.takes.topLevelItem(0).child(0)
    view.takes.setCurrentItem(first_take)
    assert view.delete_take_button.isEnabled()
    view.delete_selected_take()
    qtbot.waitUntil(lambda: "take was deleted" in view.status_label.text(), timeout=10000)
    assert "Take 1" in answers.asked[-1] or "take 1" in answers.asked[-1]
    assert not (folder / "q01-take1.flac").exists()
    assert not (folder / "q01-take1.analysis.json").exists()
    session = json.loads((folder / "session.json").read_text())
    assert [t["audio"] for t in session["questions"][0]["takes"]] == ["q01-take2.flac"]


def test_export_then_import_brings_a_deleted_session_back(
    qtbot: QtBot, env: tuple, tmp_path: Path
) -> None:
    view, answers, _ = env
    folder = view.rows[2].folder
    answers.save_to = tmp_path / "out" / "backup"  # no suffix: .zip is added
    view.table.selectRow(2)
    view.export_selected()
    zip_path = tmp_path / "out" / "backup.zip"
    qtbot.waitUntil(lambda: "Exported 1 session" in view.status_label.text(), timeout=10000)
    with zipfile.ZipFile(zip_path) as zf:
        assert f"{S1}/q01-take1.flac" in zf.namelist()
    view.delete_selected()
    wait_rows(qtbot, view, 2)
    answers.open_from = zip_path
    view.import_archive()
    wait_rows(qtbot, view, 3)
    assert (folder / "q01-take2.flac").is_file()
    assert "Imported 1 session" in view.status_label.text()
    view.import_archive()  # the same archive again: nothing duplicated
    qtbot.waitUntil(lambda: "already here" in view.status_label.text(), timeout=10000)
    assert view.table.rowCount() == 3


def test_bad_zips_are_refused_with_a_clear_message(
    qtbot: QtBot, env: tuple, tmp_path: Path
) -> None:
    view, _, _ = env
    not_zip = tmp_path / "holiday.zip"
    not_zip.write_bytes(b"this is not a zip file at all")
    view.import_archive(not_zip)
    qtbot.waitUntil(lambda: "not a readable zip" in view.status_label.text(), timeout=5000)
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../outside.txt", "x")
    view.import_archive(evil)
    qtbot.waitUntil(lambda: "cannot be imported" in view.status_label.text(), timeout=5000)
    assert "Nothing was imported" in view.status_label.text()
    assert not (tmp_path / "data" / "outside.txt").exists()
    assert view.table.rowCount() == 3


def test_rebuild_recovers_a_corrupt_index(qtbot: QtBot, env: tuple) -> None:
    view, _, _ = env
    holder = view.holder
    holder.close()
    db = holder.data_dir / DB_FILE_NAME
    db.write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    view.rebuild()
    qtbot.waitUntil(lambda: "rebuilt: 3 session" in view.status_label.text(), timeout=10000)
    wait_rows(qtbot, view, 3)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 3
