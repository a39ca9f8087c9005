"""Settings → Data folder → Change…: the real dialog moves a real data folder (sessions with
FLAC takes, an open SQLite index) on the disk lane, shows progress, can be cancelled, refuses
bad folders with a message, and asks for a restart once the data is in its new place."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coach import paths
from coach.core.history_index import DB_FILE_NAME
from coach.ui.app_settings import AppSettings, load_settings, open_settings, save_settings
from coach.ui.data_folder_panel import DataFolderHooks, restart_command
from coach.ui.index_holder import IndexHolder
from coach.ui.progress_report import size_text
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.tasks import TaskRunner
from tests.core.test_history_index import S1, S2, S3, build_sessions


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(DB_FILE_NAME)
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data_folder_ui") / "data"
    build_sessions(root / "sessions", None)  # real FLAC takes, really analysed
    (root / "logs").mkdir()
    (root / "logs" / "coach.log").write_text("INFO started\n")
    return root


@pytest.fixture
def source(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("COACH_DATA_DIR", raising=False)
    folder = tmp_path / "old"
    shutil.copytree(template, folder)
    return folder


@pytest.fixture
def holder(source: Path) -> Iterator[IndexHolder]:
    """The history index, open as in the running app, so the move must release it."""
    h = IndexHolder(source, source / "sessions")
    assert len(h.get().sessions()) == 3
    yield h
    h.close()


class Recorder:
    """The injected dialogs and restart, remembering what they were asked."""

    def __init__(self, target: Path | None, answer: bool = True) -> None:
        self.target, self.answer = target, answer
        self.questions: list[str] = []
        self.restarts: list[Path] = []

    def hooks(self, **more: object) -> DataFolderHooks:
        return DataFolderHooks(
            pick_folder=lambda: self.target,
            confirm=self.ask,
            restart=self.restarts.append,
            **more,  # type: ignore[arg-type]
        )

    def ask(self, text: str) -> bool:
        self.questions.append(text)
        return self.answer


def make_dialog(
    qtbot: QtBot, tmp_path: Path, source: Path, runner: TaskRunner, hooks: DataFolderHooks
) -> SettingsDialog:
    store = open_settings(tmp_path / "coach.ini")
    save_settings(store, AppSettings(model_folder=str(source / "models" / "whisper-base")))
    dialog = SettingsDialog(
        load_settings(store), store, runner, data_dir=source, models_dir=source / "models",
        list_microphones=lambda: [], list_speakers=lambda: [], list_voices=lambda: [],
        data_hooks=hooks,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_change_moves_the_data_and_restarts(
    qtbot: QtBot, tmp_path: Path, source: Path, holder: IndexHolder, runner: TaskRunner
) -> None:
    target = tmp_path / "new place"
    before = files(source)
    user = Recorder(target)
    dialog = make_dialog(qtbot, tmp_path, source, runner, user.hooks(release=holder.close))
    row = dialog.data_row
    assert row.change_button.isEnabled() and row.label.text() == str(source)

    qtbot.mouseClick(row.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(user.restarts) == 1, timeout=20000)
    qtbot.waitUntil(runner.is_idle, timeout=5000)

    assert user.restarts == [target]
    (question,) = user.questions
    assert str(source) in question and str(target) in question
    size = size_text(sum(len(v) for v in before.values()))
    assert f"({len(before)} files, {size})" in question
    assert files(target) == before  # every session, take and log, byte for byte
    assert not (source / "sessions").exists() and not (source / DB_FILE_NAME).exists()
    assert paths.data_dir() == target
    assert row.label.text() == str(target)
    assert f"Your data is now in {target}" in row.note.text() and row.note.isVisible()
    assert not row.progress_row.isVisible() and not row.busy()
    saved = load_settings(dialog.store)  # the model folder chosen inside the data moved too
    assert saved.model_folder == str(target / "models" / "whisper-base")
    reopened = IndexHolder(target, target / "sessions")  # the next start rebuilds the index
    try:
        assert {r.session_id for r in reopened.get().sessions()} == {S1, S2, S3}
    finally:
        reopened.close()


def test_cancel_keeps_everything_and_the_dialog_stays_open_while_moving(
    qtbot: QtBot, tmp_path: Path, source: Path, runner: TaskRunner
) -> None:
    before = files(source)
    user = Recorder(tmp_path / "new")
    gate = threading.Event()
    dialog = make_dialog(qtbot, tmp_path, source, runner, user.hooks(release=lambda: gate.wait(10)))
    row = dialog.data_row
    row.change_button.click()
    qtbot.waitUntil(lambda: row.progress_row.isVisible(), timeout=10000)
    assert row.busy() and not row.change_button.isEnabled()
    dialog.reject()  # Esc / Cancel of the dialog while data moves: it stays open
    assert dialog.isVisible()
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert row.note.text() == "Cancelling…"
    gate.set()
    qtbot.waitUntil(lambda: not row.busy(), timeout=10000)

    assert "cancelled" in row.note.text() and str(source) in row.note.text()
    assert files(source) == before
    assert not (tmp_path / "new").exists()
    assert paths.data_dir() != tmp_path / "new" and user.restarts == []
    assert row.change_button.isEnabled() and row.label.text() == str(source)
    dialog.reject()
    assert not dialog.isVisible()


def test_a_refused_folder_is_a_message_and_nothing_moves(
    qtbot: QtBot, tmp_path: Path, source: Path, runner: TaskRunner
) -> None:
    before = files(source)
    user = Recorder(source / "sessions")
    dialog = make_dialog(qtbot, tmp_path, source, runner, user.hooks())
    row = dialog.data_row
    row.change_button.click()
    qtbot.waitUntil(lambda: "inside the current data folder" in row.note.text(), timeout=10000)
    assert user.questions == [] and user.restarts == []
    assert files(source) == before and row.change_button.isEnabled()


def test_no_move_during_an_interview_or_when_the_folder_is_fixed_by_env(
    qtbot: QtBot, tmp_path: Path, source: Path, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = Recorder(tmp_path / "new")
    dialog = make_dialog(qtbot, tmp_path, source, runner, user.hooks(can_move=lambda: False))
    dialog.data_row.change_button.click()
    assert "Finish the current interview" in dialog.data_row.note.text()
    assert user.questions == [] and not (tmp_path / "new").exists()

    monkeypatch.setenv("COACH_DATA_DIR", str(source))
    fixed = make_dialog(qtbot, tmp_path, source, runner, user.hooks())
    assert not fixed.data_row.change_button.isEnabled()
    assert "COACH_DATA_DIR" in fixed.data_row.change_button.toolTip()


def test_restart_command_starts_the_same_program() -> None:
    py = "/venv/bin/python"
    assert restart_command(py, ["/venv/bin/coach"]) == (py, ["/venv/bin/coach"])
    assert restart_command(py, ["/src/coach/__main__.py", "--x"]) == (py, ["-m", "coach", "--x"])


def test_the_pointer_sits_next_to_the_ini_file_qsettings_writes() -> None:
    """paths.config_dir() (no Qt) must name the folder QSettings really uses for coach.ini."""
    ini = Path(open_settings().fileName())
    assert ini.name == "coach.ini"
    assert ini.parent == paths.config_dir()
    assert paths.data_pointer_file().parent == ini.parent


def test_restart_app_starts_the_program_again_and_quits(tmp_path: Path) -> None:
    """The real restart in a child app: its windows close, the 'program' starts, it quits."""
    marker = tmp_path / "started"
    program = tmp_path / "program.py"
    program.write_text(f"open({str(marker)!r}, 'w').write('again')\n")
    script = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from coach.ui.data_folder_panel import restart_app
app = QApplication([])
window = QWidget()
window.show()
sys.argv = [{str(program)!r}]
QTimer.singleShot(0, lambda: restart_app(Path("/new")))
code = app.exec()
print("quit", code, window.isVisible())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.stdout.split() == ["quit", "0", "False"], done.stderr
    deadline = time.monotonic() + 20
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.read_text() == "again"
