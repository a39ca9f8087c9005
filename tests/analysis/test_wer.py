"""Normalisation and WER: the yardstick for every ASR accuracy claim, so it is tested first."""

from __future__ import annotations

import pytest

from coach.analysis.wer import normalize_text, word_error_rate


def test_case_and_punctuation_are_ignored() -> None:
    assert normalize_text("And so, my fellow Americans!") == [
        "and",
        "so",
        "my",
        "fellow",
        "americans",
    ]


def test_apostrophes_stay_inside_words() -> None:
    assert normalize_text("I’m sure it's the team's") == ["i'm", "sure", "it's", "the", "team's"]


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("go forward ten meters", "Go forward 10 meters."),
        ("twenty five percent", "25%"),
        ("five thousand dollars", "$5,000"),
        ("one hundred and twenty", "120"),
        ("two thousand nineteen", "2019"),
        ("three million users", "3000000 users"),
    ],
)
def test_numbers_written_as_words_or_digits_compare_equal(spoken: str, written: str) -> None:
    assert normalize_text(spoken) == normalize_text(written)


def test_digit_sequences_read_aloud_stay_separate() -> None:
    assert normalize_text("one zero zero one") == ["1", "0", "0", "1"]


def test_oh_alone_is_a_word_not_zero() -> None:
    assert normalize_text("oh I see") == ["oh", "i", "see"]


def test_hyphenated_words_split() -> None:
    assert normalize_text("forty-two well-known") == ["42", "well", "known"]


def test_wer_counts_substitutions_deletions_and_insertions() -> None:
    ref = "go forward ten meters"
    assert word_error_rate(ref, "Go forward 10 meters.") == 0.0
    assert word_error_rate(ref, "go backward ten meters") == pytest.approx(0.25)  # 1 sub
    assert word_error_rate(ref, "go ten meters") == pytest.approx(0.25)  # 1 deletion
    assert word_error_rate(ref, "go forward ten meters now") == pytest.approx(0.25)  # 1 insertion
    assert word_error_rate(ref, "") == 1.0


def test_wer_can_exceed_one_with_many_insertions() -> None:
    assert word_error_rate("yes", "thank you for watching") == pytest.approx(4.0)


def test_empty_reference_is_rejected() -> None:
    with pytest.raises(ValueError):
        word_error_rate(" ... ", "anything")
