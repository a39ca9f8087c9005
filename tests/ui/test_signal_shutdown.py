"""SIGTERM (a logout) or Ctrl+C while answering closes the real app cleanly: the take is saved."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.app_driver import check_first_take, start_recording_app
from tests.helpers.sound import play_into_speaker
from tests.ui.conftest import DATA

pytestmark = pytest.mark.audio
CLIP = DATA / "cmu_arctic_us_aew_a0001.wav"  # 3.9 s of real speech


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_answer_finishes_and_saves_the_take(
    data_dir: Path, virtual_audio: dict[str, str], sig: signal.Signals
) -> None:
    app = start_recording_app(data_dir, virtual_audio, stderr=subprocess.PIPE)
    try:
        recording_since = time.monotonic()
        assert play_into_speaker(CLIP).wait(timeout=30) == 0
        recorded_s = time.monotonic() - recording_since
        app.send_signal(sig)
        _, stderr = app.communicate(timeout=30)
    finally:
        app.kill()
        app.wait(10)
    assert app.returncode == 0, stderr[-2000:]
    assert "leaked" not in stderr, stderr[-2000:]  # worker processes were shut down

    [folder] = list((data_dir / "sessions").iterdir())
    check_first_take(
        folder, CLIP, status="finished", take_status="complete", min_duration_s=recorded_s - 0.5
    )
