"""The setup screen: interview mode, follow-ups and what Start emits, with the real banks."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from coach.core.followups import REALISTIC_HARD_LIMIT_S, REALISTIC_THINK_S, mode_settings
from coach.ui.setup_view import SetupView


@pytest.fixture
def view(setup_view: SetupView) -> SetupView:
    return setup_view


def test_realistic_mode_shows_and_locks_what_the_mode_decides(view: SetupView) -> None:
    view.think_box.setCurrentIndex(view.think_box.findData(0))
    view.hard_box.setValue(600)
    view.soft_box.setValue(300)
    view.text_check.setChecked(True)
    view.follow_check.setChecked(False)
    view.voice_check.setChecked(False)
    practice = view.settings()
    assert practice.mode == "practice" and practice.think_time_s == 0

    view.realistic_radio.click()
    assert view.mode() == "realistic"
    assert view.think_box.currentData() == REALISTIC_THINK_S
    assert not view.text_check.isChecked() and not view.text_check.isEnabled()
    assert view.follow_check.isChecked() and not view.follow_check.isEnabled()
    assert view.hard_box.value() <= REALISTIC_HARD_LIMIT_S
    assert not view.think_box.isEnabled()
    shown = view.settings()
    expected = mode_settings("realistic", practice)
    assert (shown.mode, shown.show_text, shown.follow_ups) == ("realistic", False, True)
    assert shown.think_time_s == expected.think_time_s
    assert shown.hard_limit_s == expected.hard_limit_s
    assert shown.soft_limit_s == expected.soft_limit_s
    assert shown.voice_on, "a hidden question must at least be spoken"
    assert "Realistic" in view.mode_help.text()

    view.practice_radio.click()  # back: the user's own choices return
    again = view.settings()
    assert again.mode == "practice"
    assert again.think_time_s == 0 and again.show_text and not again.follow_ups
    assert not again.voice_on
    assert view.text_check.isEnabled() and view.think_box.isEnabled()
    assert view.hard_box.maximum() > REALISTIC_HARD_LIMIT_S


def test_start_emits_the_chosen_bank_questions_with_mode_and_follow_ups(
    qtbot: QtBot, view: SetupView
) -> None:
    view.bank_box.setCurrentIndex(1)
    view.order_box.setCurrentText("in order")
    view.count_box.setValue(2)
    view.follow_check.setChecked(True)
    with qtbot.waitSignal(view.start_requested) as signal:
        view.start_button.click()
    questions, settings, title = signal.args
    first_bank = view.banks[0]
    assert [q.id for q in questions] == [q.id for q in first_bank.questions[:2]]
    assert settings.mode == "practice" and settings.follow_ups
    assert title == first_bank.title
    assert view.job_terms() == [] and view.job_description() == "" and view.job_role() == ""


def test_realistic_start_carries_the_mode(qtbot: QtBot, view: SetupView) -> None:
    view.set_mode("realistic")
    with qtbot.waitSignal(view.start_requested) as signal:
        view.start_button.click()
    settings = signal.args[1]
    assert settings.mode == "realistic" and settings.follow_ups and not settings.show_text
    assert "Realistic interview" in view.summary_label.text()


def test_preview_lists_exactly_the_questions_that_match(view: SetupView) -> None:
    view.bank_box.setCurrentIndex(1)
    bank = view.banks[0]
    preview = view.bank_panel.preview_list
    shown = [preview.item(i).text() for i in range(preview.count())]
    assert shown == [q.text for q in bank.questions]
    assert str(len(bank.questions)) in view.bank_panel.match_label.text()


def test_job_tab_without_a_job_explains_instead_of_starting(qtbot: QtBot, view: SetupView) -> None:
    view.source_tabs.setCurrentWidget(view.job_panel)
    with qtbot.assertNotEmitted(view.start_requested):
        view.start_button.click()
    assert "job advert" in view.problem_label.text()
