"""SIGTERM (a logout) or Ctrl+C while answering closes the real app cleanly: the take is saved."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.sound import coverage, load_16k, play_into_speaker
from tests.ui.conftest import DATA

pytestmark = pytest.mark.audio
CLIP = DATA / "cmu_arctic_us_aew_a0001.wav"  # 3.9 s of real speech
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_answer_finishes_and_saves_the_take(
    data_dir: Path, virtual_audio: dict[str, str], sig: signal.Signals
) -> None:
    env = {
        **os.environ,
        **virtual_audio,
        "COACH_DATA_DIR": str(data_dir),
        "COACH_ASR_ENGINE": "none",
        "QT_QPA_PLATFORM": "offscreen",
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.app_driver"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout is not None
        line = app.stdout.readline()
        assert line.strip() == "RECORDING", f"the app did not start recording: {line!r}"
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
