"""A Realistic-mode interview through the real window: one take, hidden text, a follow-up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach.core.followups import MEASURABLE_RESULT, SPECIFIC_EXAMPLE, TELL_ME_MORE
from coach.core.interview import Phase
from coach.ui.main_window import MainWindow
from tests.helpers.sound import play_into_speaker
from tests.ui.conftest import DATA

pytestmark = pytest.mark.audio


def phase(w: MainWindow) -> Phase | None:
    return w.controller.interview.phase if w.controller.interview else None


def test_realistic_session_asks_a_follow_up_after_a_real_answer(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window.controller.analyzer, "engine", "pocketsphinx")
    setup = window.setup_view
    setup.bank_box.setCurrentIndex(setup.bank_box.findData("behavioural"))
    setup.order_box.setCurrentText("in order")
    setup.count_box.setValue(2)
    setup.set_mode("realistic")
    assert setup.settings().follow_ups and not setup.settings().show_text
    # The user skips the 30 s think time by starting to answer; the voice reads the question.
    setup.start_button.click()
    qtbot.waitUntil(lambda: phase(window) in (Phase.SPEAKING, Phase.THINKING), timeout=15000)
    view = window.interview_view
    assert "hidden" in view.question_label.text()
    qtbot.waitUntil(lambda: phase(window) is Phase.THINKING, timeout=30000)
    view.start_button.click()
    qtbot.waitUntil(lambda: window.controller.mic_live, timeout=15000)
    # A real spoken answer: a story with no number in it.
    assert play_into_speaker(DATA / "librispeech_2412-153948-0000.flac").wait(timeout=30) == 0
    view.done_button.click()
    qtbot.waitUntil(lambda: phase(window) is Phase.ANSWERED, timeout=5000)
    assert not view.again_button.isVisible()  # one take in Realistic mode
    view.next_button.click()
    qtbot.waitUntil(lambda: window.controller.interview.index == 1, timeout=60000)
    session = window.controller.session
    follow_up = session.questions[1]
    assert follow_up.follow_up_of == 0
    assert follow_up.text in (MEASURABLE_RESULT, TELL_ME_MORE, SPECIFIC_EXAMPLE)
    assert follow_up.text == MEASURABLE_RESULT  # behavioural (STAR) answer without a number
    assert "follow-up" in view.progress_label.text()
    assert len(session.questions) == 3  # the second bank question still comes after it
    window.interview_view.finish_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.review_view, timeout=15000)
    qtbot.waitUntil(window.runner.is_idle, timeout=30000)
    data = json.loads((Path(window.controller.store.folder(session)) / "session.json").read_text())
    assert data["questions"][1]["follow_up_of"] == 0
    assert data["questions"][0]["takes"][0]["analysis"]
