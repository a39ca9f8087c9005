"""The review panel is built a few pieces per event-loop turn, on a real analysed session.

A timer on the GUI thread watches the panel while it is being built: it must see the panel
partly built (the event loop ran between the pieces, so the window kept repainting) and, in the
end, every piece of the review. Opening another session mid-build, or refreshing the same one,
must replace the unfinished build, not mix two panels.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QGroupBox, QPushButton
from pytestqt.qtbot import QtBot

from coach.core.session_store import SessionStore
from coach.review.model import HEADINGS, Review
from coach.ui.review_view import ReviewView
from coach.ui.tasks import TaskRunner
from tests.ui.test_review_view import Built, build_analysed_session


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_analysed_session(tmp_path_factory.mktemp("incremental") / "sessions")


def make_view(qtbot: QtBot, runner: TaskRunner, root: Path) -> ReviewView:
    def no_player() -> object:
        raise AssertionError("this test plays nothing")

    view = ReviewView(runner, SessionStore(root), no_player)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(1040, 720)
    view.show()
    return view


def watch(view: ReviewView, seen: Callable[[], None]) -> QTimer:
    """A 1 ms GUI-thread timer: it only fires when the event loop gets a turn."""
    timer = QTimer(view)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(seen)
    timer.start()
    return timer


def moment_count(review: Review) -> int:
    return sum(len(e.moments) for s in review.sections for p in s.prompts for e in p.evidence)


def assert_complete(view: ReviewView) -> None:
    """Every piece of the loaded review is on the panel, and nothing else."""
    assert view.loaded is not None and view.shown is view.loaded
    review = view.loaded.review
    assert list(view.section_boxes) == list(HEADINGS)
    assert len(view.moment_buttons) == moment_count(review) > 0
    items = review.preparation_checklist + review.follow_up_checklist
    assert set(view.checkboxes) == {i.id for i in items}
    live = [b for b in view.content.findChildren(QPushButton) if b.text() == "▶ Play moment"]
    assert len(live) == len(view.moment_buttons)
    assert len(view.content.findChildren(QCheckBox)) == len(items)
    boxes = {b.title() for b in view.content.findChildren(QGroupBox)}
    assert set(HEADINGS) <= boxes


def test_the_event_loop_runs_between_pieces_and_the_panel_ends_complete(
    qtbot: QtBot, runner: TaskRunner, built: Built
) -> None:
    view = make_view(qtbot, runner, built.root)
    partial: list[int] = []  # moment buttons on the panel at each tick before it was complete

    def seen() -> None:
        if view.shown is not None and view.loaded is None:
            partial.append(len(view.moment_buttons))

    timer = watch(view, seen)
    view.show_session(built.folder)
    qtbot.waitUntil(lambda: view.loaded is not None and runner.is_idle(), timeout=20000)
    timer.stop()
    assert view.loaded is not None
    total = moment_count(view.loaded.review)
    # The timer fired while some, but not all, of the moments were on the panel.
    assert any(0 < n < total for n in partial), (partial, total)
    assert_complete(view)
    view.show_evidence()  # the summary comes first, the evidence on demand
    qtbot.waitUntil(lambda: all(b.isVisible() for b in view.section_boxes.values()), timeout=5000)


def test_opening_another_session_mid_build_cancels_the_first_build(
    qtbot: QtBot, runner: TaskRunner, built: Built
) -> None:
    view = make_view(qtbot, runner, built.root)
    switched: list[int] = []  # moment buttons of the first session when the second was opened
    grew: list[int] = []  # ... and later, while that unfinished panel was still shown

    def seen() -> None:
        if view.shown is None or view.shown.folder != built.folder:
            return
        if not switched:  # the first session's panel is being built: open the previous one
            assert view.loaded is None
            switched.append(len(view.moment_buttons))
            # The disk lane is busy for a while (as while a take is saved), so the second
            # session's data arrives late: the first build must stop at once, not run on.
            runner.submit(lambda: time.sleep(0.5), lane="disk")
            view.show_session(built.previous)
        elif len(view.moment_buttons) != switched[0]:
            grew.append(len(view.moment_buttons))

    timer = watch(view, seen)
    view.show_session(built.folder)
    qtbot.waitUntil(lambda: view.loaded is not None and runner.is_idle(), timeout=20000)
    qtbot.wait(100)  # a cancelled build, if still running, would add pieces now
    timer.stop()
    assert switched and not grew, (switched, grew)
    assert view.loaded is not None and view.loaded.folder == built.previous
    assert view.folder == built.previous
    assert_complete(view)


def test_a_refresh_rebuilds_the_panel_and_keeps_the_scroll_position(
    qtbot: QtBot, runner: TaskRunner, built: Built
) -> None:
    view = make_view(qtbot, runner, built.root)
    view.show_session(built.folder)
    qtbot.waitUntil(lambda: view.loaded is not None and runner.is_idle(), timeout=20000)
    view.show_evidence()  # the evidence page, where the scroll position matters
    first = view.loaded
    old_box = view.section_boxes[HEADINGS[1]]
    bar = view.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 1000, timeout=5000)
    bar.setValue(bar.maximum() // 2)
    position = bar.value()

    view.refresh()
    qtbot.waitUntil(lambda: view.loaded is not first and runner.is_idle(), timeout=20000)
    assert_complete(view)
    assert view.section_boxes[HEADINGS[1]] is not old_box  # really rebuilt
    qtbot.waitUntil(view.scroll_area.updatesEnabled, timeout=5000)
    assert bar.value() == position
