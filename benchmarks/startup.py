"""Start-up to the first painted main window, as a ratio against a bare PySide6 QMainWindow.

Goal (issue 12): ratio <= 2.0, i.e. heavy libraries (numpy, sounddevice, speech models) are imported
lazily. Each sample is a fresh interpreter; bare and app runs alternate so machine load hits both
alike; the median of each is reported. Time runs from just before the parent starts the child
process (so interpreter start-up counts) to the first Paint event the window receives, read on
the system-wide monotonic clock in the child. Prints one JSON line.

    export XDG_RUNTIME_DIR=/tmp/coach-xdg; source .ci/virtual-audio.sh
    .venv/bin/python benchmarks/startup.py [--runs 7]

Diagnosis of a slow start: .venv/bin/python -X importtime -c "import coach.app" 2>&1 | sort ...
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "numpy",
    "scipy",
    "sounddevice",
    "parselmouth",
    "faster_whisper",
    "ctranslate2",
    "pocketsphinx",
    "pyqtgraph",
    "yake",
    "pyttsx3",
    "soundfile",
    "webrtcvad",
    "pypdf",
    "docx",
)
GOAL_RATIO = 2.0


def child(kind: str) -> None:
    """Runs in the measured process: build the window, report at its first paint, exit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                now = time.monotonic()
                loaded = [m for m in HEAVY if m in sys.modules]
                cpu = time.process_time()  # this process's CPU seconds since it started
                print(
                    json.dumps({"painted_at": now, "cpu_s": cpu, "heavy_modules": loaded}),
                    flush=True,
                )
                # A normal close, so the app's helper processes (TTS worker) are shut down too.
                QTimer.singleShot(0, window.close)
                QTimer.singleShot(0, QApplication.quit)
            return False

    window: QMainWindow
    if kind == "bare":
        QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1040, 720)
    else:
        sys.path.insert(0, str(ROOT))
        from coach.desktop_session import missing_display  # what `coach` checks before Qt

        assert missing_display() is None
        from coach.app import create_main_window

        window = create_main_window()
    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    app = QApplication.instance()
    assert app is not None
    app.exec()
    if not watcher.seen:
        sys.exit("the window was never painted")


def measure(kind: str, env: dict[str, str]) -> dict[str, Any]:
    """One fresh process; seconds from spawn to the first paint, and the heavy modules loaded."""
    # Output to files, not pipes: a helper process the app starts must not hold our pipe open.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", kind],
            env=env,
            stdout=out,
            stderr=err,
        )
        try:
            code = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        out.seek(0)
        err.seek(0)
        lines = [ln for ln in out.read().splitlines() if ln.startswith("{")]
        if code != 0 or not lines:
            raise RuntimeError(f"{kind} run failed ({code}): {err.read()[-2000:]}")
    report: dict[str, Any] = json.loads(lines[-1])
    return {
        "seconds": report["painted_at"] - start,
        "cpu_s": report["cpu_s"],
        "heavy_modules": report["heavy_modules"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=["bare", "app"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="coach-startup-") as tmp:
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            COACH_DATA_DIR=str(Path(tmp) / "data"),
            XDG_CONFIG_HOME=str(Path(tmp) / "config"),  # QSettings of the bench, not the user's
            COACH_NO_ERROR_WINDOWS="1",
            # Byte-compiled, as pip installs it: with PYTHONDONTWRITEBYTECODE set (as on the
            # build machine) every run would recompile the app's ~60 modules and the ratio
            # would measure the compiler. The warm-up runs below write the cache.
            PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"),
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        measure("bare", env)  # warm the file cache for both kinds before timing
        measure("app", env)  # (also creates the data folder: later runs are "second starts")
        bare: list[float] = []
        app: list[float] = []
        bare_cpu: list[float] = []
        app_cpu: list[float] = []
        heavy: set[str] = set()
        for _ in range(args.runs):
            base = measure("bare", env)
            bare.append(base["seconds"])
            bare_cpu.append(base["cpu_s"])
            run = measure("app", env)
            app.append(run["seconds"])
            app_cpu.append(run["cpu_s"])
            heavy.update(run["heavy_modules"])
    ratio = statistics.median(app) / statistics.median(bare)
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "runs": args.runs,
                "bare_median_s": round(statistics.median(bare), 3),
                "app_median_s": round(statistics.median(app), 3),
                "bare_all_s": [round(s, 3) for s in bare],
                "app_all_s": [round(s, 3) for s in app],
                "ratio": round(ratio, 2),
                # CPU seconds to the first paint: what the app itself costs, far less moved by
                # other processes on shared cores than the wall-clock ratio above.
                "bare_cpu_median_s": round(statistics.median(bare_cpu), 3),
                "app_cpu_median_s": round(statistics.median(app_cpu), 3),
                "cpu_ratio": round(statistics.median(app_cpu) / statistics.median(bare_cpu), 2),
                "goal_ratio": GOAL_RATIO,
                "goal_met": ratio <= GOAL_RATIO,
                "heavy_modules_at_first_paint": sorted(heavy),
                "cpu_count": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
