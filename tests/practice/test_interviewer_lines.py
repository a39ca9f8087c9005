"""The interviewer's transitions: complete, varied, never the same acknowledgement twice running."""

from __future__ import annotations

import itertools
import random

from coach.practice.interviewer_lines import (
    ACKNOWLEDGEMENTS,
    CLOSING_QUESTION,
    GREETINGS,
    LinePicker,
)


def test_opening_greets_then_asks_the_first_question() -> None:
    line = LinePicker(random.Random(1)).opening("Tell me about yourself.")
    assert any(line.startswith(g) for g in GREETINGS)
    assert line.endswith("Tell me about yourself.")


def test_acknowledgements_vary_and_never_repeat_back_to_back() -> None:
    picker = LinePicker(random.Random(7))
    said = [picker.acknowledgement() for _ in range(200)]
    assert all(a != b for a, b in itertools.pairwise(said))
    assert set(said) == set(ACKNOWLEDGEMENTS)  # every line is used, none is stuck


def test_next_question_acknowledges_first_and_ends_with_the_question() -> None:
    picker = LinePicker(random.Random(3))
    for follow_up in (False, True):
        line = picker.next_question("What was the result?", follow_up=follow_up)
        assert any(line.startswith(a) for a in ACKNOWLEDGEMENTS)
        assert line.endswith("What was the result?")
        assert "  " not in line  # an empty lead-in leaves no gap


def test_closing_asks_for_questions_and_the_sign_off_is_separate() -> None:
    picker = LinePicker(random.Random(5))
    assert picker.closing_question().endswith(CLOSING_QUESTION)
    assert CLOSING_QUESTION not in picker.sign_off()


def test_same_seed_same_interview() -> None:
    a, b = LinePicker(random.Random(11)), LinePicker(random.Random(11))
    assert [a.acknowledgement() for _ in range(10)] == [b.acknowledgement() for _ in range(10)]
