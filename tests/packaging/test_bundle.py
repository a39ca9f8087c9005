"""The self-contained Linux bundle (tools/build-bundle.sh) used as a user would: under the
virtual display, with the virtual speaker and microphone, with no virtual environment and no
Python anywhere on the PATH, driven by key presses and one click (xdotool).

The question must be spoken (its synthesised WAV is found in what reached the speaker), a take
recorded (the clip played into the microphone is in the saved FLAC), and the review opened with
the bundled pocketsphinx's transcript. Every native library the app and its workers map must come
from the bundle: no Python, Qt, PortAudio or espeak-ng of this machine.

Build first (6-7 min): bash tools/build-bundle.sh; or point COACH_BUNDLE at a built one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.app_driver import child_pids
from tests.helpers.sound import SpeakerTap, best_match, coverage, load_16k, play_into_speaker

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("COACH_BUNDLE", ROOT / "dist/second-round/second-round"))
CLIP = ROOT / "tests/data/cmu_arctic_us_aew_a0001.wav"  # 3.9 s of real speech
TITLE = "Second Round — interview practice"
START_BUTTON_AT = (875, 770)  # "Start interview" in a 1100x800 window (screenshot checked)

pytestmark = [
    pytest.mark.audio,
    pytest.mark.slow,
    pytest.mark.skipif(
        not BUNDLE.is_file() and not os.environ.get("CI"),
        reason=f"no bundle at {BUNDLE}: bash tools/build-bundle.sh (tools/run-tests.sh builds it)",
    ),
]


def _xdotool(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


def _wait_for(what: str, check: object, timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()  # type: ignore[operator]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _foreign_libraries(pid: int, bundle: Path) -> set[str]:
    """Shared objects mapped by `pid`, from outside the bundle, that the bundle must carry:
    Python, Qt, PortAudio, espeak-ng and any Python package. The C library, OpenGL, fonts and
    ALSA's plugins come from the machine, as for any Linux desktop app."""
    carried = ("python", "qt6", "pyside", "shiboken", "portaudio", "espeak", "site-packages",
               ".venv", "numpy", "sndfile", "pocketsphinx")  # fmt: skip
    foreign = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        parts = line.split(maxsplit=5)
        path = parts[5] if len(parts) == 6 else ""
        if path.startswith(str(bundle)) or not path.startswith("/"):
            continue
        if any(name in path.lower() for name in carried):
            foreign.add(path)
    return foreign


def _recorded_s(folder: Path) -> float:
    """Seconds of audio in the take being recorded (int16 PCM, format in its sidecar)."""
    for raw in folder.glob("*.partial.raw"):
        sidecar = json.loads(raw.with_name(raw.name.replace(".raw", ".json")).read_text())
        return raw.stat().st_size / (2 * sidecar["samplerate"] * sidecar["channels"])
    return 0.0


@pytest.mark.timeout(900)
def test_the_bundle_speaks_records_and_reviews_with_no_python_around(
    tmp_path: Path, virtual_audio: dict[str, str]
) -> None:
    assert shutil.which("xdotool"), "xdotool drives the window (tools/setup.sh --test)"
    display = os.environ.get("DISPLAY", "")
    assert display, "run under a virtual display (xvfb-run)"
    config = tmp_path / "config"
    (config / "second-round").mkdir(parents=True)
    (config / "second-round" / "coach.ini").write_text(
        "[General]\nthink_time_s=0\nfirst_run_done=true\nasr_engine=pocketsphinx\n"
    )
    empty_bin = tmp_path / "bin"  # the PATH holds nothing: no python, no venv
    empty_bin.mkdir()
    data = tmp_path / "data"
    env = {
        "PATH": str(empty_bin),
        "HOME": str(tmp_path),
        "DISPLAY": display,
        "XAUTHORITY": os.environ.get("XAUTHORITY", ""),
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(config),
        "COACH_DATA_DIR": str(data),
        "COACH_ASR_ENGINE": "pocketsphinx",
        "COACH_NO_ERROR_WINDOWS": "1",
        "PULSE_SERVER": virtual_audio["PULSE_SERVER"],
        "XDG_RUNTIME_DIR": virtual_audio["XDG_RUNTIME_DIR"],
    }
    tools_env = {**os.environ, "DISPLAY": display}
    bundle_dir = BUNDLE.resolve().parent
    shots = Path("/tmp/shots/package")
    shots.mkdir(parents=True, exist_ok=True)
    log = (tmp_path / "app.log").open("w")
    with SpeakerTap(tmp_path / "speaker.raw") as tap:
        app = subprocess.Popen([str(BUNDLE)], env=env, cwd=tmp_path, stdout=log, stderr=log)
        try:
            wid = _xdotool("search", "--sync", "--onlyvisible", "--name", TITLE, env=tools_env)
            wid = wid.split()[0]
            _xdotool("windowmove", wid, "0", "0", env=tools_env)
            _xdotool("windowsize", "--sync", wid, "1100", "800", env=tools_env)
            time.sleep(1.0)  # the layout settles at the new size
            subprocess.run(["import", "-window", "root", str(shots / "bundle-setup.png")],
                           env=tools_env, check=False)  # fmt: skip
            _xdotool("mousemove", "--sync", *map(str, START_BUTTON_AT), env=tools_env)
            _xdotool("click", "1", env=tools_env)
            sessions = data / "sessions"
            folder = _wait_for(
                "the session folder", lambda: sessions.is_dir() and list(sessions.iterdir()), 60
            )[0]  # type: ignore[index]
            _wait_for("the microphone's audio to arrive", lambda: _recorded_s(folder) > 0.5, 90)
            spoken = sorted((data / "cache" / "tts").glob("*.wav"))
            assert spoken, "no question was synthesised"
            assert play_into_speaker(CLIP).wait(timeout=60) == 0
            time.sleep(0.5)
            maps = {app.pid: _foreign_libraries(app.pid, bundle_dir)}
            for child in child_pids(app.pid):
                maps[child] = _foreign_libraries(child, bundle_dir)
            _xdotool("windowfocus", "--sync", wid, env=tools_env)
            _xdotool("key", "space", env=tools_env)  # Done answering
            _wait_for("the take to be saved", lambda: not list(folder.glob("*.partial.raw")), 60)
            _xdotool("key", "ctrl+e", env=tools_env)  # Finish interview: the review opens

            def analysed() -> dict | None:
                session = json.loads((folder / "session.json").read_text())
                take = session["questions"][0]["takes"][0]
                done = session["status"] == "finished" and take.get("analysis")
                return take if done else None

            take = _wait_for("the answer's analysis", analysed, 300)
            time.sleep(2.0)  # the review fills in
            subprocess.run(["import", "-window", "root", str(shots / "bundle-review.png")],
                           env=tools_env, check=False)  # fmt: skip
            _xdotool("key", "ctrl+q", env=tools_env)
            assert app.wait(timeout=60) == 0
        finally:
            if app.poll() is None:
                app.kill()
                app.wait(10)
            log.close()
    output = (tmp_path / "app.log").read_text()
    assert "Traceback" not in output, output[-3000:]

    heard = tap.samples()
    question = load_16k(spoken[0])
    score, _ = best_match(question, heard)
    assert score > 0.8, f"the spoken question reached the speaker only at {score:.2f}"
    assert take["duration_s"] > 3.5  # type: ignore[index]
    found = coverage(load_16k(CLIP), load_16k(folder / take["audio"]))  # type: ignore[index]
    assert found > 0.9, f"the take holds only {found:.0%} of the answer"
    analysis = json.loads((folder / take["analysis"]).read_text())  # type: ignore[index]
    assert analysis["engine"] == "pocketsphinx" and analysis["transcript"].strip(), analysis
    assert any(maps.values()) is False, maps
    assert len(maps) >= 2, "the speech worker process was not seen"
