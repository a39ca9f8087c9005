"""The first-run check with the real virtual microphone and speaker (private PulseAudio server),
real espeak-ng, and the features installed into the real main window."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from coach.analysis.audio_io import load_audio, to_16k
from coach.app import LazySpeaker
from coach.audio.player import Player
from coach.audio.recorder import Recorder
from coach.ui.app_settings import AppSettings, load_settings, open_settings, save_settings
from coach.ui.first_run import TEST_FILE, FirstRunDialog
from coach.ui.history_features import HistoryServices, install_history_features
from coach.ui.main_window import MainWindow
from coach.ui.mic_verdict import check_levels, level_verdict
from coach.ui.model_download_panel import ModelChoiceDialog
from coach.ui.tasks import TaskRunner
from tests.helpers.noise import with_room_noise
from tests.helpers.sound import open_playback_streams, play_into_speaker

DATA = Path(__file__).resolve().parents[1] / "data"
CLIP = DATA / "librispeech_2412-153948-0000.flac"  # 11.7 s of read speech: covers the 7 s test


def microphones() -> list[str]:
    from coach.audio.devices import list_input_devices

    return [d.name for d in list_input_devices()]


def test_verdicts_follow_the_published_target_range() -> None:
    assert "No speech" in level_verdict(None, -40.0)
    assert "quiet" in level_verdict(-38.0, -20.0)
    assert "good" in level_verdict(-20.0, -6.0)
    assert "loud" in level_verdict(-8.0, -1.0)
    assert "clip" in level_verdict(-15.0, 0.0)
    assert "Background noise is loud" in level_verdict(-20.0, -6.0, 11.0)
    assert "Background noise" not in level_verdict(-20.0, -6.0)


@pytest.fixture
def dialog(
    qtbot: QtBot, tmp_path: Path, virtual_audio: dict[str, str], data_dir: Path
) -> Iterator[tuple[FirstRunDialog, TaskRunner]]:
    runner = TaskRunner()
    store = open_settings(tmp_path / "coach.ini")
    speaker = LazySpeaker(tmp_path / "tts")
    player = Player()
    d = FirstRunDialog(
        runner, store, recorder_factory=Recorder, player=player, speaker=speaker,
        list_microphones=microphones, work_dir=tmp_path / "mic-check",
    )  # fmt: skip
    d.show()
    qtbot.waitUntil(lambda: d.mic_box.count() > 1 and runner.is_idle(), timeout=15000)
    yield d, runner
    if d.isVisible():
        d.close()
    qtbot.waitUntil(runner.is_idle, timeout=15000)
    runner.shutdown()
    speaker.close()
    player.close()  # idempotent: closing the dialog already released it
    d.deleteLater()


def record_test_while_playing(qtbot: QtBot, d: FirstRunDialog, clip: Path) -> None:
    """Run the 7 s test recording while `clip` plays into the virtual microphone."""
    player: subprocess.Popen[bytes] = play_into_speaker(clip)
    try:
        d.record_test()
        qtbot.waitUntil(lambda: d.baseline is not None or "No speech" in d.mic_status.text(),
                        timeout=30000)  # fmt: skip
    finally:
        player.terminate()
        player.wait(5)


@pytest.mark.audio
def test_test_recording_sets_a_plausible_speech_baseline(
    qtbot: QtBot, dialog: tuple[FirstRunDialog, TaskRunner], tmp_path: Path
) -> None:
    d, _ = dialog
    record_test_while_playing(qtbot, d, CLIP)
    saved = load_settings(d.store).loudness_baseline_dbfs
    assert saved is not None and saved == pytest.approx(d.baseline, abs=0.05)
    # The virtual cable has unity gain: the recording's speech level must match the clip's own
    # within the ±6 dB a loudness baseline tolerates (feedback-science.md §5/§10).
    source, _ = check_levels(CLIP)
    assert source is not None
    assert abs(saved - source) < 6.0, (saved, source)
    assert (tmp_path / "mic-check" / TEST_FILE).is_file()
    assert "dBFS" in d.mic_status.text()
    assert "Background noise" not in d.mic_status.text()  # the virtual cable adds no noise
    assert load_settings(d.store).microphone == d.microphone()


@pytest.mark.audio
def test_a_noisy_room_is_named_after_the_test_recording(
    qtbot: QtBot, dialog: tuple[FirstRunDialog, TaskRunner], tmp_path: Path
) -> None:
    d, _ = dialog
    samples, rate = load_audio(CLIP)
    noisy = tmp_path / "noisy-room.wav"
    sf.write(noisy, np.clip(with_room_noise(to_16k(samples, rate), 10.0), -1, 1), 16_000)
    record_test_while_playing(qtbot, d, noisy)
    assert "Background noise is loud" in d.mic_status.text(), d.mic_status.text()


@pytest.mark.audio
def test_voice_sample_then_role_then_finish_marks_the_check_done(
    qtbot: QtBot, dialog: tuple[FirstRunDialog, TaskRunner]
) -> None:
    d, _ = dialog
    d.go(1)
    d.play_voice()
    qtbot.waitUntil(lambda: d.voice_status.text().startswith("Playing"), timeout=30000)
    d.go(2)
    d.role_edit.setText("Registered nurse")
    assert d.next_button.text() == "Finish"
    d.next_button.click()
    assert not d.isVisible()
    saved = load_settings(d.store)
    assert saved.first_run_done and saved.role == "Registered nurse"
    # Closing the check releases the speaker: no idle stream (and its native thread) is left.
    qtbot.waitUntil(lambda: not open_playback_streams(), timeout=10000)


def test_without_a_whisper_model_the_check_offers_the_one_download(
    qtbot: QtBot, dialog: tuple[FirstRunDialog, TaskRunner]
) -> None:
    d, _ = dialog  # a fresh data folder: no model anywhere
    d.go(2)
    qtbot.waitUntil(lambda: "basic recogniser" in d.recogniser_status.text(), timeout=10000)
    assert "only time Second Round uses the network" in d.recogniser_status.text()
    assert d.download_model_button.isVisible()
    with qtbot.waitSignal(d.download_requested, timeout=2000):
        d.download_model_button.click()


def test_with_a_whisper_model_the_check_offers_no_download(
    qtbot: QtBot, tmp_path: Path, data_dir: Path
) -> None:
    # The four files resolve_whisper_model looks for (tested on the real model in
    # tests/analysis); the dialog only reacts to that answer.
    model = tmp_path / "my-whisper"
    model.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        (model / name).write_text("x")
    store = open_settings(tmp_path / "coach.ini")
    save_settings(store, AppSettings(model_folder=str(model)))
    runner = TaskRunner()
    d = FirstRunDialog(
        runner, store, recorder_factory=Recorder, player=Player(), speaker=LazySpeaker(tmp_path),
        list_microphones=list, work_dir=tmp_path / "mic-check",
    )  # fmt: skip
    qtbot.addWidget(d)
    d.show()
    d.go(2)
    try:
        qtbot.waitUntil(lambda: "is installed" in d.recogniser_status.text(), timeout=10000)
        assert not d.download_model_button.isVisible()
    finally:
        d.close()
        qtbot.waitUntil(runner.is_idle, timeout=10000)
        runner.shutdown()


@pytest.mark.audio
def test_installed_features_offer_the_check_once_and_delete_all_data(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    store = open_settings(tmp_path / "coach.ini")
    speaker = LazySpeaker(tmp_path / "tts")
    asked: list[str] = []
    services = HistoryServices(
        speaker=speaker, recorder_factory=Recorder, player_factory=Player,
        list_microphones=microphones, list_voices=speaker.voices, settings_store=store,
        confirm=lambda text: asked.append(text) or True,
    )  # fmt: skip
    features = install_history_features(window, window.runner, services)
    assert features.offer is not None and features.offer.isVisibleTo(window.setup_view)
    shortcuts = {k: a.shortcut().toString() for k, a in features.actions.items()}
    assert shortcuts["history"] == "Ctrl+Shift+H" and shortcuts["progress"] == "Ctrl+P"
    assert shortcuts["settings"] == "Ctrl+,"
    features.actions["history"].trigger()
    assert window.stack.currentWidget() is features.history
    features.actions["progress"].trigger()
    assert window.stack.currentWidget() is features.progress

    sessions = window.data_dir / "sessions" / "2025-01-01_000000-zzzz"
    sessions.mkdir(parents=True)
    features.actions["delete_all"].trigger()
    qtbot.waitUntil(lambda: not (window.data_dir / "sessions").exists(), timeout=10000)
    assert "ALL your recordings" in asked[-1]
    qtbot.waitUntil(window.runner.is_idle, timeout=10000)

    # The check's "Download the accurate model…" opens Settings at the model choice.
    check = features.run_first_run()
    check.download_requested.emit()
    qtbot.waitUntil(lambda: any(isinstance(w, ModelChoiceDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)  # fmt: skip
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible():
            w.reject()
    check.close()

    # Dismissing the offer is remembered: a second install does not offer again.
    save_settings(store, AppSettings(first_run_done=False))
    features.offer.dismissed.emit()
    assert load_settings(open_settings(tmp_path / "coach.ini")).first_run_done
    speaker.close()
