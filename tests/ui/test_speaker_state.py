"""The who-is-speaking pill: one setter, words and a symbol for every state, custom words."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from coach.ui.speaker_state import STATES, SpeakerState


def test_every_state_has_words_and_a_symbol_and_custom_words_replace_them(qtbot: QtBot) -> None:
    pill = SpeakerState()
    qtbot.addWidget(pill)
    pill.show()
    for state, (symbol, words, _colour) in STATES.items():
        pill.set_state(state)
        assert pill.state == state and pill.text() == words
        assert pill.accessibleDescription() == words
        assert pill.isVisible() == bool(words)
        if words:
            assert symbol and pill.symbol.text() == symbol
    pill.set_state("countdown", "Moving on in 3…")
    assert pill.text() == "Moving on in 3…" and pill.isVisible()
    assert pill.accessibleName() == "Who is speaking"
