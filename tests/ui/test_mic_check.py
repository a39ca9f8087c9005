"""The setup screen's live microphone test with the real recorder on the virtual microphone."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach.audio.recorder import Recorder
from coach.ui.mic_check import MicCheck
from coach.ui.tasks import TaskRunner
from tests.helpers.sound import open_recording_streams, play_into_speaker

CLIP = Path(__file__).resolve().parents[1] / "data" / "librispeech_2412-153948-0000.flac"


@pytest.mark.audio
def test_the_level_bar_follows_real_speech_and_stopping_releases_the_microphone(
    qtbot: QtBot, runner: TaskRunner, virtual_audio: dict[str, str]
) -> None:
    before = set(open_recording_streams())  # the virtual microphone's own plumbing
    check = MicCheck(runner, Recorder, None)
    qtbot.addWidget(check)
    levels: list[int] = []
    check.mic_level.valueChanged.connect(levels.append)
    check.mic_test.setChecked(True)
    qtbot.waitUntil(lambda: set(open_recording_streams()) > before, timeout=10000)
    player = play_into_speaker(CLIP)
    try:
        hears = "The microphone hears you."
        qtbot.waitUntil(lambda: check.mic_status.text() == hears, timeout=15000)
    finally:
        player.terminate()
        player.wait(5)
    assert max(levels) >= 50  # the bar showed that speech too (-30 dBFS is half the scale)
    check.mic_test.setChecked(False)
    assert check.mic_level.value() == 0
    qtbot.waitUntil(lambda: set(open_recording_streams()) == before, timeout=10000)  # released
