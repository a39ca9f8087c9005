"""Kill the real app mid-answer; the next start must recover the take in progress."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach.app import create_main_window
from tests.helpers.app_driver import check_first_take, child_pids, is_running, start_recording_app
from tests.helpers.sound import play_into_speaker
from tests.ui.conftest import DATA

pytestmark = pytest.mark.audio
CLIP = DATA / "cmu_arctic_us_aew_a0001.wav"  # 3.9 s of real speech


def test_take_in_progress_survives_a_killed_app(
    qtbot: QtBot, data_dir: Path, virtual_audio: dict[str, str]
) -> None:
    app = start_recording_app(data_dir, virtual_audio)
    try:
        recording_since = time.monotonic()
        assert play_into_speaker(CLIP).wait(timeout=30) == 0
        time.sleep(1.5)
        recorded_s = time.monotonic() - recording_since
        workers = child_pids(app.pid)  # the question was spoken: the speech worker runs
        app.send_signal(signal.SIGKILL)  # no chance to clean up
    finally:
        app.kill()
        app.wait(10)
        if app.stdout is not None:
            app.stdout.close()
    assert workers, "the app had no worker process to check"
    deadline = time.monotonic() + 10.0  # each worker checks its parent once a second
    while any(map(is_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if is_running(pid)]
    assert not left, f"worker processes outlived the killed app: {left}"

    [folder] = list((data_dir / "sessions").iterdir())
    assert list(folder.glob("*.partial.raw")), "the take was not streamed to disk while recorded"
    before = json.loads((folder / "session.json").read_text())
    assert before["status"] == "in_progress"

    window = create_main_window()  # the next start
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: "recovered" in window.messages.label.text(), timeout=20000)
        qtbot.waitUntil(window.runner.is_idle, timeout=10000)
        # All but the last second at most: the kill came 1.5 s after the clip ended.
        check_first_take(
            folder, CLIP, status="recovered", take_status="recovered",
            min_duration_s=recorded_s - 1.0,
        )  # fmt: skip
    finally:
        window.close()
