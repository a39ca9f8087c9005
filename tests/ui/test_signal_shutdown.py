"""SIGTERM (a logout) or Ctrl+C while answering closes the real app cleanly: the take is saved."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.app_driver import start_recording_app
from tests.helpers.sound import coverage, load_16k, play_into_speaker
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
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "finished"
    take = data["questions"][0]["takes"][0]
    assert take["status"] == "complete"
    audio = folder / take["audio"]
    assert audio.suffix == ".flac" and audio.is_file()
    assert not list(folder.glob("*.partial.*"))
    assert take["duration_s"] >= recorded_s - 0.5
    found = coverage(load_16k(CLIP), load_16k(audio))
    assert found > 0.9, f"the saved take holds only {found:.0%} of the answer"
