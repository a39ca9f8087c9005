"""The labelled evaluation set is well-formed and benchmarks/content_eval.py scores it.

No accuracy threshold is asserted: the figures are measured and reported, not tuned to here.
"""

from __future__ import annotations

from benchmarks.content_eval import SENTENCE_LABELS, evaluate, load_answers
from coach.content.feedback import ANSWERED
from coach.content.rules import rules_feedback
from coach.content.sentences import split_sentences

KEYS = {"id", "question", "sentences", "answered_question", "result_has_number", "traps",
        *SENTENCE_LABELS}  # fmt: skip


def test_every_answer_is_labelled_within_its_own_sentences() -> None:
    answers = load_answers()
    assert len(answers) >= 30
    assert len({a["id"] for a in answers}) == len(answers)
    for a in answers:
        assert set(a) >= KEYS, a["id"]
        split = [s.text for s in split_sentences(a["transcript"])]
        assert split == a["sentences"], a["id"]  # labels point at the app's own sentences
        for name in SENTENCE_LABELS:
            assert all(1 <= n <= len(split) for n in a[name]), (a["id"], name)
        assert a["answered_question"] in ANSWERED
        assert isinstance(a["result_has_number"], bool)
        assert not a["result_has_number"] or a["result"], a["id"]


def test_the_set_holds_the_traps_issue_13_names() -> None:
    traps = {t for a in load_answers() for t in a["traps"]}
    assert {"number-not-in-result", "polite-blame", "star-words-no-action",
            "answers-a-different-question", "filler", "oh-is-not-a-number"} <= traps  # fmt: skip


def test_the_evaluation_runs_and_reports_every_label() -> None:
    answers = load_answers()
    report = evaluate(answers, lambda q, t: rules_feedback(q, t))
    assert report["answers"] == len(answers)
    for name in SENTENCE_LABELS:
        assert 0.0 <= report[name]["presence_accuracy"] <= 1.0
    assert report["answered_question"]["coverage"] == 0.0  # the rules give no verdict
    assert 0.0 <= report["result_has_number"]["accuracy"] <= 1.0


def test_every_rules_quote_on_the_set_is_verbatim() -> None:
    for a in load_answers():
        d = rules_feedback(a["question"], a["transcript"]).to_dict()
        quotes = [q for qs in d["parts"].values() for q in qs] + d["blame"] + d["absolutes"]
        quotes += [p["quote"] for p in d["strengths"] + d["improvements"] if p["quote"]]
        assert all(q in a["transcript"] for q in quotes), a["id"]
