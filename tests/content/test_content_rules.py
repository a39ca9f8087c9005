"""The rules engine: the false positives named in issue 13, quotes cut from the transcript, and
the sentence splitter with word times."""

from __future__ import annotations

import pytest

from coach.analysis.lexicon import word_stats
from coach.analysis.transcribe import Word
from coach.content.feedback import ContentFeedback
from coach.content.rules import rules_feedback
from coach.content.sentences import MAX_SENTENCES, split_sentences
from coach.content.star_cues import has_number

QUESTION = "Tell me about a time you improved a process."


def all_quotes(fb: ContentFeedback) -> list[str]:
    d = fb.to_dict()
    quotes = [q for part in d["parts"].values() for q in part]  # type: ignore[union-attr]
    quotes += list(d["blame"]) + list(d["absolutes"])  # type: ignore[call-overload]
    quotes += [p["quote"] for p in d["strengths"] + d["improvements"] if p["quote"]]  # type: ignore[operator]
    return quotes


def test_a_filler_oh_is_not_a_number_nor_a_quantified_result() -> None:
    text = "I rewrote the onboarding guide. Oh, in the end we improved it a lot."
    fb = rules_feedback(QUESTION, text)
    assert fb.parts["result"] == (2,)
    assert fb.result_has_number is False
    assert not has_number("Oh, okay.")
    assert word_stats([Word("Oh,", 0.0, 0.2), Word("okay.", 0.3, 0.6)]).numbers == ()
    assert has_number("we cut it by 80%") and has_number("it took half the time")


def test_a_number_outside_the_result_sentence_is_not_a_quantified_result() -> None:
    text = (
        "We had forty thousand customers and six people in support. "
        "I built a triage bot. In the end the queue was calmer."
    )
    fb = rules_feedback(QUESTION, text)
    assert fb.parts["result"] == (3,)
    assert fb.result_has_number is False
    assert not any("measurable" in s.text for s in fb.strengths)
    # "percent" alone no longer makes a sentence the result
    assert rules_feedback(QUESTION, "Churn was forty percent when I joined.").parts["result"] == ()


@pytest.mark.parametrize("text", ["", "   \n ", "\t"])
def test_an_answer_without_words_is_not_measured_never_praised(text: str) -> None:
    fb = rules_feedback(QUESTION, text)
    d = fb.to_dict()
    assert d["measured"] is False
    assert d["result_has_number"] is None and d["answered_question"] is None
    assert d["strengths"] == [] and d["improvements"] == [] and d["outline"] == []
    assert d["blame"] == [] and d["absolutes"] == [] and d["follow_up"] is None


def test_blame_absolutes_and_improvements_quote_whole_sentences() -> None:
    text = (
        "When I was at my previous job, releases took two days. "
        "My manager never listened and they ignored every warning. "
        "I automated the build. As a result, we cut the release time by eighty percent."
    )
    fb = rules_feedback(QUESTION, text)
    assert fb.blame == (2,) and fb.absolutes == (2,)
    assert fb.result_has_number is True
    assert fb.improvements[0].sentence == 2  # blame comes first
    assert [s.sentence for s in fb.strengths] == [4, 3]
    for quote in all_quotes(fb):
        assert quote in text
    assert fb.outline[0].startswith("Situation: When I was at my previous job")


def test_missing_parts_are_marked_in_the_outline_not_invented() -> None:
    fb = rules_feedback(QUESTION, "I fixed the report. It was fine after that.")
    assert "Result: [what changed" in fb.outline[3]
    assert fb.outline[0] == "Situation: [where and when this happened]"
    assert fb.follow_up == "What was the measurable result?"


def test_sentences_are_exact_slices_with_word_times_when_given() -> None:
    transcript = " my task was to fix it  i decided to rewrite it"
    words = [
        {"text": w, "start_s": s, "end_s": s + 0.2}
        for w, s in zip(
            transcript.split(), [0, 0.3, 0.6, 0.9, 1.2, 1.5, 3.0, 3.3, 3.6, 3.9, 4.2], strict=True
        )
    ]
    sentences = split_sentences(transcript, words)
    assert [s.text for s in sentences] == ["my task was to fix it", "i decided to rewrite it"]
    assert all(transcript[s.start : s.end] == s.text for s in sentences)
    assert (sentences[1].start_s, sentences[1].end_s) == (3.0, 4.4)
    assert split_sentences("") == []


def test_very_long_answers_are_merged_to_a_bounded_number_of_sentences() -> None:
    text = " ".join(f"Point {i} was done." for i in range(150))
    sentences = split_sentences(text)
    assert len(sentences) <= MAX_SENTENCES
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[0].start == 0 and sentences[-1].end == len(text)
