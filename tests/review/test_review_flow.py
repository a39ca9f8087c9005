"""The flow reading and a cut-short take in the review, on real clips analysed for real."""

from __future__ import annotations

import json
from typing import Any

from coach.analysis import fluency
from coach.review import build_review, load_analyses, review_session
from coach.review.flow import ADVICE, FLOW, weakest
from coach.review.model import FIX, STRENGTH

Factory = Any


def test_flow_shows_its_band_with_the_components_behind_it(build_session: Factory) -> None:
    built = build_session([["jfk"], ["libri"]])
    analyses = load_analyses(built.folder, built.session)
    review = build_review(built.session, analyses)
    prompt = next(p for s in review.sections for p in s.prompts if p.id == "engaging.flow")
    for e in prompt.evidence:
        a = analyses[(e.question_index, e.take_index)]
        assert e.value == a.flow_index and a.flow_index is not None
        assert e.band == FLOW.classify(a.flow_index)
        assert a.flow_basis == "acoustic"  # pocketsphinx: the nuclei reading
        assert "syllables/s" in e.band_text and "pauses/min" in e.band_text
    bands = {e.band for e in prompt.evidence}
    assert prompt.kind == (STRENGTH if bands == {"good"} else FIX)


def test_a_low_flow_is_a_fix_naming_its_weakest_component_and_can_reach_the_focus(
    build_session: Factory,
) -> None:
    built = build_session([["jfk"]])  # oratory with long pauses: flow reads low (about 5/10)
    analyses = load_analyses(built.folder, built.session)
    a = analyses[(0, 0)]
    assert a.flow_index is not None and a.flow_index < fluency.OK_FROM
    review = build_review(built.session, analyses)
    prompt = next(p for s in review.sections for p in s.prompts if p.id == "engaging.flow")
    assert prompt.kind == FIX and prompt.severity > 0
    assert ADVICE[weakest(a.flow_components)] in prompt.text
    if "engaging.flow" in [f.prompt_id for f in review.focus]:
        item = next(f for f in review.focus if f.prompt_id == "engaging.flow")
        assert "Q1" in item.drill and "Flow" in item.why


def test_with_whisper_the_flow_is_read_from_the_words(
    whisper_clips: dict[str, Any], build_session: Factory
) -> None:
    built = build_session([["star"]], clips=whisper_clips)
    analyses = load_analyses(built.folder, built.session)
    a = analyses[(0, 0)]
    assert a.flow_basis == "words" and a.flow_index is not None
    assert set(fluency.WORDS.components) <= set(a.flow_components)
    review = build_review(built.session, analyses)
    prompt = next(p for s in review.sections for p in s.prompts if p.id == "engaging.flow")
    text = prompt.evidence[0].band_text
    assert "words/min" in text and "words between pauses" in text
    assert weakest(a.flow_components, a.flow_basis) in fluency.WORDS.used


def test_a_cut_short_take_is_named_in_the_answer_list(build_session: Factory) -> None:
    built = build_session([["jfk"], ["libri"]])
    path = built.folder / built.session.questions[0].takes[0].analysis
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["damage"] = "q01-take1.flac is cut short (truncated)."
    path.write_text(json.dumps(stored), encoding="utf-8")
    review = review_session(built.folder, built.store.root)
    cut, whole = review.answers
    assert cut.cut_short and not whole.cut_short
