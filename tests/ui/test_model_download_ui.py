"""Settings → Download model… on the real dialog, downloading the real Whisper base model from
a real HTTP server on 127.0.0.1: progress to 100 % and the model field filled in; Cancel and
closing the dialog stop it and keep the partial download."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coach.analysis.model_download import final_dir, partial_dir
from coach.analysis.transcribe import is_whisper_model_dir
from coach.ui.app_settings import AppSettings, load_settings, open_settings
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.tasks import TaskRunner
from tests.helpers.range_server import RangeServer, whisper_repo_tree
from tests.helpers.whisper_model import build_whisper_base


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = build_whisper_base(tmp_path_factory.mktemp("model") / "whisper-base")
    return whisper_repo_tree(tmp_path_factory.mktemp("hub"), "Systran/faster-whisper-base", model)


@pytest.fixture
def server(hub: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RangeServer]:
    with RangeServer(hub) as srv:
        monkeypatch.setenv("COACH_MODEL_BASE_URL", srv.url)
        yield srv


@pytest.fixture
def dialog(qtbot: QtBot, runner: TaskRunner, tmp_path: Path) -> SettingsDialog:
    store = open_settings(tmp_path / "coach.ini")
    d = SettingsDialog(
        AppSettings(), store, runner, data_dir=tmp_path / "data",
        models_dir=tmp_path / "data" / "models", list_microphones=list, list_speakers=list,
        list_voices=list,
    )  # fmt: skip
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    return d


def start_download(qtbot: QtBot, dialog: SettingsDialog, name: str = "base") -> None:
    """Click Download model…, pick `name` in the question dialog and confirm."""
    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    choice = dialog.model_choice
    qtbot.waitUntil(choice.isVisible)
    assert "only time Second Round uses the network" in choice.note.text()
    assert str(dialog.models_dir) in choice.note.text()
    assert "145 MB" in choice.buttons["base"].text() and "484 MB" in choice.buttons["small"].text()
    qtbot.mouseClick(choice.buttons[name], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(choice.download_button, Qt.MouseButton.LeftButton)
    assert not choice.isVisible()


def test_download_shows_progress_and_fills_the_model_field(
    qtbot: QtBot, dialog: SettingsDialog, server: RangeServer, tmp_path: Path
) -> None:
    server.delay_s = 0.0005  # about 1.5 s for the model: the 10 Hz progress has time to show
    panel = dialog.download_panel
    values: list[int] = []
    panel.bar.valueChanged.connect(values.append)
    start_download(qtbot, dialog)
    assert panel.is_running() and not dialog.download_button.isEnabled()
    assert dialog.think_box.isEnabled()  # the rest of the dialog stays usable
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=60000)

    folder = final_dir(dialog.models_dir, "base")
    assert dialog.model_edit.text() == str(folder)
    assert is_whisper_model_dir(folder)
    assert panel.bar.value() == panel.bar.maximum() == 100
    assert any(0 < v < 100 for v in values) and values == sorted(values)
    assert f"ready in {folder}" in panel.message.text()
    assert dialog.download_button.isEnabled() and not panel.cancel_button.isVisible()
    dialog.accept()  # the new folder passes the model-folder check and is saved
    saved = load_settings(open_settings(tmp_path / "coach.ini"))
    assert saved.model_folder == str(folder) and saved.asr_engine == "whisper"


def test_cancel_stops_the_download_and_keeps_what_arrived(
    qtbot: QtBot, dialog: SettingsDialog, server: RangeServer, runner: TaskRunner
) -> None:
    server.delay_s = 0.01  # 64 KiB per 10 ms: the whole model would take half a minute
    panel = dialog.download_panel
    start_download(qtbot, dialog)
    qtbot.waitUntil(lambda: panel.bar.value() >= 2, timeout=20000)
    assert "Downloading model.bin" in panel.status.text() and " MB of " in panel.status.text()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=10000)

    assert panel.message.text().startswith("Download cancelled.")
    assert dialog.download_button.isEnabled()
    assert dialog.model_edit.text() == ""
    assert not final_dir(dialog.models_dir, "base").exists()
    assert (partial_dir(dialog.models_dir, "base") / "model.bin.part").stat().st_size > 0
    assert runner.is_idle()


def test_closing_the_dialog_cancels_the_download(
    qtbot: QtBot, dialog: SettingsDialog, server: RangeServer, runner: TaskRunner
) -> None:
    server.delay_s = 0.01
    start_download(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.download_panel.bar.value() >= 1, timeout=20000)
    dialog.reject()
    qtbot.waitUntil(runner.is_idle, timeout=10000)  # the worker stopped, not half a minute later
    assert not final_dir(dialog.models_dir, "base").exists()
    assert partial_dir(dialog.models_dir, "base").is_dir()
