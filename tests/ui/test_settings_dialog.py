"""Settings round-trip through a real QSettings ini file, the Settings dialog editing and saving
them, window geometry, the theme, and the features installed into the real main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from coach.core.settings import InterviewSettings
from coach.ui.app_settings import (
    AppSettings,
    apply_theme,
    load_settings,
    open_settings,
    restore_geometry,
    save_geometry,
    save_settings,
)
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.tasks import TaskRunner


def test_every_setting_round_trips_through_the_ini_file(tmp_path: Path) -> None:
    ini = tmp_path / "coach.ini"
    chosen = AppSettings(
        microphone="USB Mic: Audio (hw:2,0)", speaker=None, voice_id="gmw/en-GB-x-rp",
        voice_rate=150, think_time_s=60, soft_limit_s=90, hard_limit_s=150, mode="realistic",
        follow_ups=True, asr_engine="pocketsphinx", model_folder="/opt/models/whisper-base",
        theme="dark", role="Data analyst", first_run_done=True, loudness_baseline_dbfs=-23.5,
    )  # fmt: skip
    save_settings(open_settings(ini), chosen)
    assert load_settings(open_settings(ini)) == chosen  # a fresh QSettings reads the file
    assert "realistic" in ini.read_text()


def test_damaged_values_fall_back_to_defaults(tmp_path: Path) -> None:
    ini = tmp_path / "coach.ini"
    ini.write_text(
        "[General]\nvoice_rate=fast\nthink_time_s=7\nmode=karaoke\nsoft_limit_s=500\n"
        "hard_limit_s=100\nloudness_baseline_dbfs=nan\nfollow_ups=true\n"
    )
    loaded = load_settings(open_settings(ini))
    defaults = AppSettings()
    assert loaded.voice_rate == defaults.voice_rate
    assert loaded.think_time_s == defaults.think_time_s  # 7 s is not an offered choice
    assert loaded.mode == "practice"
    assert (loaded.soft_limit_s, loaded.hard_limit_s) == (120, 180)  # warning after stop
    assert loaded.loudness_baseline_dbfs is None
    assert loaded.follow_ups is True


def test_interview_defaults_follow_the_settings() -> None:
    s = AppSettings(think_time_s=0, hard_limit_s=240, mode="realistic", follow_ups=True)
    d = s.interview_defaults(InterviewSettings(question_count=8))
    assert (d.think_time_s, d.hard_limit_s, d.mode, d.follow_ups) == (0, 240, "realistic", True)
    assert d.question_count == 8  # what the settings do not cover is kept


def test_dialog_edits_and_saves(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_settings(tmp_path / "coach.ini")
    save_settings(store, AppSettings(microphone="Old mic", role="Nurse"))
    runner = TaskRunner()
    dialog = SettingsDialog(
        load_settings(store), store, runner, data_dir=tmp_path / "data",
        models_dir=tmp_path / "data" / "models",
        list_microphones=lambda: ["Built-in mic", "USB mic"],
        list_speakers=lambda: ["Speakers"], list_voices=lambda: [("v1", "Voice one")],
        pick_folder=lambda: tmp_path / "whisper",
    )  # fmt: skip
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.voice_box.count() == 2 and runner.is_idle(), timeout=5000)
    assert dialog.mic_box.currentText() == "Old mic (not connected)"  # a saved choice survives
    assert dialog.download_button.isEnabled()  # downloads: tests/ui/test_model_download_ui.py
    dialog.mic_box.setCurrentIndex(dialog.mic_box.findData("USB mic"))
    dialog.think_box.setCurrentIndex(dialog.think_box.findData(0))
    dialog.mode_box.setCurrentIndex(dialog.mode_box.findData("realistic"))
    dialog.follow_check.setChecked(True)
    dialog._choose_model()  # picks tmp/whisper, which has no model.bin
    assert dialog.engine_box.currentData() == "whisper"
    dialog.accept()
    assert "not a Whisper model folder" in dialog.problem_label.text()
    (tmp_path / "whisper").mkdir()
    (tmp_path / "whisper" / "model.bin").write_bytes(b"\0")
    dialog.accept()
    saved = load_settings(open_settings(tmp_path / "coach.ini"))
    assert saved.microphone == "USB mic" and saved.think_time_s == 0
    assert saved.mode == "realistic" and saved.follow_ups
    assert saved.asr_engine == "whisper" and saved.model_folder == str(tmp_path / "whisper")
    assert saved.role == "Nurse"  # fields the dialog does not show are kept
    runner.shutdown()


def test_window_geometry_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_settings(tmp_path / "coach.ini")
    first = QMainWindow()
    qtbot.addWidget(first)
    assert not restore_geometry(first, store)  # nothing stored yet
    first.resize(612, 433)  # inside the 800x600 offscreen screen
    first.show()
    save_geometry(first, store)
    second = QMainWindow()
    qtbot.addWidget(second)
    assert restore_geometry(second, open_settings(tmp_path / "coach.ini"))
    assert (second.width(), second.height()) == (612, 433)


def test_dark_theme_darkens_the_palette_and_system_restores_it() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette().color(QPalette.ColorRole.Window).lightness()
    try:
        apply_theme(app, "dark")
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert app.style().name().lower() == "fusion"
    finally:
        apply_theme(app, "system")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() == pytest.approx(
        before, abs=10
    )
