"""Time from "Finish interview" to the filled review panel, in the real window (goal < 1 s).

A 5-question session with 90 s answers: each answer is real clips from tests/data joined with
pauses (benchmarks/review_speed.py's `answer_audio`), analysed for real once with pocketsphinx;
audio and analyses are cached in /tmp/coach-bench-cache so later runs only time the review.
Each repetition opens a different, identical session folder in the real main window's ReviewView
(offscreen) and times show_session() until `loaded` is set and the section boxes exist (the
'disk' lane load + build + the GUI-thread fill, which is spread over several event-loop turns:
`loaded` is set when the panel is complete), and until the first paint of a piece of the new
panel (what the user sees first). Meanwhile gui_stall.py's 10 ms GUI-thread timer records the
longest gap between its ticks from the call until both have happened: the longest time the
window could not repaint or respond.
The sessions of earlier repetitions are the history that the "compared with last time" lookup
scans. Prints one JSON line.

    .venv/bin/python benchmarks/finish_to_review.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

GOAL_MS = 1000.0
STALL_GOAL_MS = 100.0


def cached_answers() -> list[tuple[Path, dict[str, object]]]:
    """Five 90 s answers and their pocketsphinx analyses, computed once (review_speed's cache)."""
    from review_speed import cached_analyses

    return cached_analyses("pocketsphinx")


def measure(runs: int) -> dict[str, Any]:
    from gui_stall import GapRecorder, wait_until
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget
    from review_speed import ANSWER_S, QUESTIONS, make_session

    from coach import paths
    from coach.app import create_main_window

    answers = cached_answers()
    window = create_main_window()
    window.show()
    view = window.review_view
    root = paths.sessions_dir()
    make_session(root, answers, "2024-01-01T10:00:00+00:00")  # the "last time" to compare with
    folders = [
        make_session(root, answers, f"2024-02-{day + 1:02d}T10:00:00+00:00") for day in range(runs)
    ]

    class PaintSpy(QObject):
        """Notes the first paint of a widget of the new panel (an application-wide filter)."""

        painted_at: float | None = None
        folder: Path | None = None  # the session being opened: older panels' paints don't count

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                self.painted_at is None
                and event.type() == QEvent.Type.Paint
                and view.shown is not None
                and view.shown.folder == self.folder
                and isinstance(watched, QWidget)
                and (
                    view.summary.isAncestorOf(watched)  # the summary is the first screen
                    or any(box.isAncestorOf(watched) for box in view.section_boxes.values())
                )
            ):
                self.painted_at = time.perf_counter()
            return False

    spy = PaintSpy()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(spy)

    def wait(condition: Any, timeout_s: float, what: str) -> None:
        """Poll every 1 ms inside the real event loop (the timer never blocks the GUI)."""
        wait_until(condition, timeout_s, what, interval_ms=1)

    def ticked(ticks: list[float], n: int) -> Callable[[], bool]:
        return lambda: len(ticks) >= n

    wait(window.runner.is_idle, 30, "the start-up work")
    gaps = GapRecorder()
    gaps.start()
    filled_ms: list[float] = []
    painted_ms: list[float] = []
    sections = 0
    for run, folder in enumerate(folders):
        spy.painted_at, spy.folder = None, folder
        gaps.enter(f"open{run}")
        start = time.perf_counter()
        window.show_review(folder)  # what "Finish interview" calls once the last take is saved
        wait(lambda: view.loaded is not None and bool(view.section_boxes), 30, "the filled panel")
        filled_ms.append(1000 * (time.perf_counter() - start))
        wait(lambda: spy.painted_at is not None, 10, "the panel's first paint")
        assert spy.painted_at is not None
        painted_ms.append(1000 * (spy.painted_at - start))
        # The tick after the one that ends the stall holding the paint closes this run's window.
        ticks = gaps.gaps.setdefault(f"open{run}", [])
        wait(ticked(ticks, len(ticks) + 2), 5, "two timer ticks")
        gaps.enter("between")
        sections = len(view.section_boxes)
        assert view.loaded is not None and view.loaded.folder == folder
        wait(window.runner.is_idle, 30, "the review's background work")
    gaps.stop()
    window.close()
    stalls = [gaps.summary()[f"open{run}"]["max_gap_ms"] for run in range(runs)]
    return {
        "benchmark": "finish_to_review",
        "runs": runs,
        "questions": QUESTIONS,
        "answer_s": ANSWER_S,
        "words_per_answer": [a["word_count"] for _, a in answers],
        "sessions_in_history": runs + 1,
        "section_boxes": sections,
        "filled_median_ms": round(statistics.median(filled_ms), 1),
        "filled_max_ms": round(max(filled_ms), 1),
        "painted_median_ms": round(statistics.median(painted_ms), 1),
        "painted_max_ms": round(max(painted_ms), 1),
        "stall_median_ms": round(statistics.median(stalls), 1),
        "stall_max_ms": max(stalls),
        "filled_all_ms": [round(t, 1) for t in filled_ms],
        "stall_all_ms": stalls,
        "goal_ms": GOAL_MS,
        "goal_met": max(filled_ms) < GOAL_MS,
        "stall_goal_ms": STALL_GOAL_MS,
        "stall_goal_met": max(stalls) < STALL_GOAL_MS,
        "cpu_count": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coach-review-") as tmp:
        os.environ.update(
            QT_QPA_PLATFORM="offscreen",
            COACH_DATA_DIR=str(Path(tmp) / "data"),
            XDG_CONFIG_HOME=str(Path(tmp) / "config"),
            COACH_NO_ERROR_WINDOWS="1",
        )
        result = measure(args.runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
