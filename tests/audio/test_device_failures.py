"""Failures of the sound system, provoked for real in child processes (always under `timeout`).

The device-lost test kills a private PulseAudio server in the middle of a take, so the shared
virtual devices other tests use are never disturbed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from audio_check import ROOT

from tests.helpers.private_pulse import start_pulse_server

pytestmark = pytest.mark.audio

CHILD_TIMEOUT_S = 60


def _run_child(script: str, env: dict[str, str], *args: str) -> dict[str, object]:
    proc = subprocess.run(
        ["timeout", str(CHILD_TIMEOUT_S), sys.executable, "-c", script, *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S + 10,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


_RECORD_UNTIL_LOST = """
import json, sys, time
from pathlib import Path
from coach.audio.recorder import Recorder
folder = Path(sys.argv[1])
recorder = Recorder()
recorder.start(folder / "q1-t1.partial.raw")
deadline = time.monotonic() + 20
while recorder.poll().elapsed_s < 1.0 and time.monotonic() < deadline:
    time.sleep(0.05)
print("recording", flush=True)
sys.stdin.readline()  # the parent kills the sound server, then says so
deadline = time.monotonic() + 10
while not (status := recorder.poll()).device_lost and time.monotonic() < deadline:
    time.sleep(0.05)
info = recorder.stop(folder / "q1-t1.flac")
print(json.dumps({"lost": status.device_lost, "error": status.error,
                  "elapsed": status.elapsed_s, "duration": info.duration_s}), flush=True)
"""


def test_device_lost_mid_take_is_reported_and_the_take_kept(tmp_path: Path) -> None:
    server = start_pulse_server(tmp_path / "pulse")
    takes = tmp_path / "takes"
    takes.mkdir()
    try:
        child = subprocess.Popen(
            ["timeout", str(CHILD_TIMEOUT_S), sys.executable, "-c", _RECORD_UNTIL_LOST,
             str(takes)],
            env=server.env, cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "recording"
        server.kill()  # the "microphone" disappears
        out, err = child.communicate("killed\n", timeout=CHILD_TIMEOUT_S)
    finally:
        server.kill()
    assert child.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["lost"] is True
    assert "microphone" in result["error"]
    assert result["duration"] >= 1.0  # everything recorded before the loss was kept
    assert result["duration"] == pytest.approx(result["elapsed"], abs=0.5)
    assert sorted(p.name for p in takes.iterdir()) == ["q1-t1.flac"]


_TRY_EVERYTHING = """
import json, sys
from pathlib import Path
import numpy as np
from coach.errors import DeviceError
from coach.audio.devices import list_input_devices, list_output_devices, resolve_input
from coach.audio.player import Player
from coach.audio.recorder import Recorder

def attempt(action):
    try:
        action()
    except DeviceError as exc:
        return str(exc)
    return "no error"

def play():
    player = Player()
    player.load_array(np.zeros(1600, dtype=np.float32), 16000)
    player.play()

result = {
    "inputs": attempt(list_input_devices),
    "resolve": attempt(lambda: resolve_input(None)),
    "record": attempt(lambda: Recorder().start(Path(sys.argv[1]) / "x.partial.raw")),
    "play": attempt(play),
}
if result["inputs"] == "no error":
    result["inputs"] = len(list_input_devices()) + len(list_output_devices())
print(json.dumps(result))
"""


def test_no_sound_server_gives_friendly_errors_not_a_crash_or_hang(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), PULSE_SERVER=f"unix:{runtime}/none")
    result = _run_child(_TRY_EVERYTHING, env, str(tmp_path))
    assert result["inputs"] == 0
    assert str(result["resolve"]).startswith("No microphone found")
    assert str(result["record"]).startswith("No microphone found")
    assert str(result["play"]).startswith("No speaker")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runtime"]  # no phantom take


def test_missing_portaudio_gives_a_friendly_error_and_imports_stay_cheap(tmp_path: Path) -> None:
    # What `import sounddevice` does on a Linux box without libportaudio2 (platform.md §1).
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    script = (
        "import sys\n"
        "import coach.audio.devices, coach.audio.recorder, coach.audio.player\n"
        "assert 'sounddevice' not in sys.modules\n" + _TRY_EVERYTHING
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(fake), str(ROOT)]))
    result = _run_child(script, env, str(tmp_path))
    for key in ("inputs", "resolve", "record", "play"):
        assert "PortAudio is not installed" in str(result[key])
