"""Fixtures that build the real, fully wired main window on a private data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach.app import create_main_window
from coach.core.bank import load_builtin_banks
from coach.core.settings import InterviewSettings
from coach.errors import DeviceError
from coach.ports import RecorderPort
from coach.ui.main_window import MainWindow
from coach.ui.setup_view import SetupView
from coach.ui.tasks import TaskRunner

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "coach-data"
    monkeypatch.setenv("COACH_DATA_DIR", str(folder))
    monkeypatch.setenv("COACH_ASR_ENGINE", "none")
    return folder


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, virtual_audio: dict[str, str]) -> Iterator[MainWindow]:
    w = create_main_window()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.runner.is_idle, timeout=20000)
    yield w
    w.close()


def configure(w: MainWindow, *, count: int = 1, think: int = 0, voice: bool = False) -> None:
    """Set the setup screen the way a user would, with the first question of the first bank."""
    s = w.setup_view
    s.bank_box.setCurrentIndex(1)
    s.order_box.setCurrentText("in order")
    s.count_box.setValue(count)
    s.think_box.setCurrentIndex(s.think_box.findData(think))
    s.voice_check.setChecked(voice)


def _no_recorder(_name: str | None) -> RecorderPort:
    raise DeviceError("not used by these tests")


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown()


@pytest.fixture
def setup_view(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> SetupView:
    """The setup screen alone, with the real banks, no devices and a private data folder."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    banks, _ = load_builtin_banks()
    view = SetupView(banks, runner, _no_recorder, list, list, InterviewSettings())
    qtbot.addWidget(view)
    qtbot.waitUntil(runner.is_idle)
    return view
