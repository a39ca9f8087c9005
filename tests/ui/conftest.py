"""Fixtures that build the real, fully wired main window on a private data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach.app import create_main_window
from coach.ui.main_window import MainWindow

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
