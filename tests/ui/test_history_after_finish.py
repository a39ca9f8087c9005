"""The history index follows analyses that finish after the user pressed Finish interview."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from coach.core.interview import Phase
from coach.ui.main_window import MainWindow
from tests.helpers.sound import play_into_speaker
from tests.ui.conftest import DATA, configure

pytestmark = pytest.mark.audio
CLIP = DATA / "librispeech_2412-153948-0000.flac"  # 11.7 s of read speech: pitch is measurable


def _index_rows(qtbot: QtBot, window: MainWindow) -> list[Any]:
    holder = window.history_features.holder
    future: Future[Any] = window.runner.submit(lambda: holder.get().sessions(), lane="disk")
    qtbot.waitUntil(future.done, timeout=10000)
    return list(future.result())


def test_an_analysis_that_lands_after_finish_reaches_the_history_index(
    qtbot: QtBot, window: MainWindow
) -> None:
    configure(window, think=0)
    window.setup_view.start_button.click()
    qtbot.waitUntil(
        lambda: (
            window.controller.interview is not None
            and window.controller.interview.phase is Phase.RECORDING
        ),
        timeout=10000,
    )
    player = play_into_speaker(CLIP)
    assert player.wait(timeout=30) == 0
    window.interview_view.done_button.click()
    # Finish at once: the analysis worker process is still starting, so the take's analysis
    # arrives after the session was indexed as finished.
    window.interview_view.finish_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.review_view, timeout=15000)
    session = window.controller.session
    qtbot.waitUntil(lambda: session.questions[0].takes[0].analysis is not None, timeout=120000)
    qtbot.waitUntil(window.runner.is_idle, timeout=10000)
    rows = _index_rows(qtbot, window)
    assert [r.session_id for r in rows] == [session.id]
    assert rows[0].status == "finished"
    # The real analysis of 11.7 s of speech measures pitch variation; the row must carry it.
    assert rows[0].pitch_variation_st is not None and rows[0].pitch_variation_st > 0
