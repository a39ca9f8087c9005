"""Runs the real app in its own process and starts recording an answer, for the crash and
shutdown tests.

Prints RECORDING when the take is being written, then keeps running until it is killed or
closed by SIGTERM/SIGINT (handled as the real app does).
Usage: python -m tests.helpers.app_driver   (COACH_DATA_DIR and the sound server from the env),
or start_recording_app() from a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def is_running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def child_pids(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (Linux /proc), e.g. the app's speech workers."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return children


def check_first_take(
    folder: Path, clip: Path, *, status: str, take_status: str, min_duration_s: float
) -> None:
    """The session's first take after the app ended: statuses, a FLAC with no partial files
    left, at least `min_duration_s` long, holding over 90 % of the `clip` played into it."""
    import json

    from tests.helpers.sound import coverage, load_16k

    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == status
    take = data["questions"][0]["takes"][0]
    assert take["status"] == take_status
    audio = folder / take["audio"]
    assert audio.suffix == ".flac" and audio.is_file()
    assert not list(folder.glob("*.partial.*"))
    assert take["duration_s"] >= min_duration_s
    found = coverage(load_16k(clip), load_16k(audio))
    assert found > 0.9, f"the {take_status} take holds only {found:.0%} of the answer"


def start_recording_app(
    data_dir: Path, audio_env: dict[str, str], *, stderr: int | None = None
) -> subprocess.Popen[str]:
    """Run this driver in its own process and return once it records (stdout piped)."""
    env = {
        **os.environ,
        **audio_env,
        "COACH_DATA_DIR": str(data_dir),
        "COACH_ASR_ENGINE": "none",
        "QT_QPA_PLATFORM": "offscreen",
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.app_driver"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    assert app.stdout is not None
    line = app.stdout.readline()
    if line.strip() != "RECORDING":
        app.kill()
        app.wait(10)
        raise AssertionError(f"the app did not start recording: {line!r}")
    return app


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from coach.app import close_on_signals, create_main_window
    from coach.core.interview import Phase

    window = create_main_window()
    close_on_signals(window)
    window.show()
    setup = window.setup_view
    setup.bank_box.setCurrentIndex(1)
    setup.count_box.setValue(1)
    setup.think_box.setCurrentIndex(setup.think_box.findData(0))
    setup.voice_check.setChecked(False)
    setup.start_button.click()

    def report() -> None:
        interview = window.controller.interview
        recorder = window.controller.recorder
        recording = interview is not None and interview.phase is Phase.RECORDING
        if recording and recorder is not None and recorder.poll().elapsed_s > 0:  # audio arrives
            print("RECORDING", flush=True)
            return
        QTimer.singleShot(20, report)

    QTimer.singleShot(20, report)
    app = QApplication.instance()
    assert app is not None
    sys.exit(app.exec())


if __name__ == "__main__":
    main()
