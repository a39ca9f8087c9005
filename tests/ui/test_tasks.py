"""TaskRunner: the one way background work runs and reports back to the GUI thread."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from coach.errors import StorageError
from coach.ui.tasks import TaskRunner


def test_results_arrive_on_the_gui_thread_and_lanes_report_busy(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    seen: list[tuple[str, bool]] = []
    runner.submit(
        lambda: release.wait(10) and "done",
        lane="analysis",
        on_done=lambda r: seen.append((r, threading.current_thread() is threading.main_thread())),
    )
    assert runner.lane_busy("analysis") and not runner.lane_busy("disk")
    release.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [("done", True)]
    assert not runner.lane_busy("analysis") and runner.is_idle()


def test_expected_failures_go_to_on_error_and_a_closed_runner_runs_nothing(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    errors: list[str] = []

    def fail() -> None:
        raise StorageError("The disk is full.")

    runner.submit(fail, lane="disk", on_error=lambda e: errors.append(e.message))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["The disk is full."]
    runner.close()
    ran: list[int] = []
    future = runner.submit(lambda: ran.append(1), lane="disk")
    assert future.cancelled() and ran == [] and not runner.lane_busy("disk")
