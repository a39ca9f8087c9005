"""The replay widget with the real Player on the private PulseAudio server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach.audio.player import Player
from coach.ui.replay_widget import ReplayWidget
from coach.ui.tasks import TaskRunner
from tests.helpers.sound import open_playback_streams

CLIP = Path(__file__).resolve().parents[1] / "data" / "librispeech_2412-153948-0000.flac"


@pytest.mark.audio
def test_a_deleted_replay_widget_releases_the_speaker(
    qtbot: QtBot, runner: TaskRunner, virtual_audio: dict[str, str]
) -> None:
    player = Player()
    widget = ReplayWidget(runner, player)
    widget.set_take(CLIP)
    qtbot.waitUntil(widget.play_button.isEnabled, timeout=10000)
    widget.toggle()
    qtbot.waitUntil(widget.is_playing, timeout=10000)
    widget.toggle()  # paused: the stream stays open for a quick resume ...
    qtbot.waitUntil(runner.is_idle, timeout=10000)
    assert open_playback_streams()
    widget.deleteLater()  # ... until the widget goes, e.g. when a review is rebuilt
    qtbot.waitUntil(lambda: not open_playback_streams(), timeout=10000)
