"""The flow reading in the review: a band with the components behind it, and a fix naming the one
that pulled it down.

The band edges are the experts' own verbal scale (speechocean762, see coach/analysis/fluency.py):
7.5+ rounds to "fluent without noticeable pauses", 5.5-7.5 to "fluent in general, a few pauses",
below that "many pauses". Weight 1.5: fluency is one of the three measures that matter most
(feedback-science §9.3).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coach.analysis import fluency
from coach.review.measures import Answer, Texts, judged, make_prompt, of
from coach.review.model import Evidence, Prompt
from coach.review.thresholds import Band

FLOW = Band(
    "flow_index", "Flow", "/10",
    (fluency.GOOD_FROM, None), (fluency.OK_FROM, None),
    "good: fluent without noticeable hesitation",
    "ok: fluent in general, with a few hesitations",
    "low: many or long pauses, or slow syllables",
    "Predicted expert fluency from words per minute, syllables per second, pauses per word and "
    "mean pause (Cucchiarini et al. 2000; Bosker et al. 2013), fitted to 195 expert-scored read "
    "sentences; Spearman 0.77 with experts on unseen speakers with Whisper's words, 0.66 from the "
    "sound alone with the basic recogniser (expert vs expert 0.84). "
    "Planning pauses weigh more here than in a read sentence.",
    weight=1.5,
)  # fmt: skip

DRILL = (
    "Smoother flow",
    "Re-answer {q} from three key phrases; say each phrase in one breath and pause only "
    "between them.",
)

ADVICE = {
    "articulation_rate": "syllables came slowly; say the phrase aloud again at an easy speed",
    "articulation_rate_words": "syllables came slowly; say the phrase aloud again at an easy speed",
    "speech_rate_wpm": "few words came per minute; plan a whole phrase, then say it in one go",
    "mean_length_of_run_words": "few words came between pauses; say each phrase in one breath",
    "pauses_per_minute": "pauses came often; plan a whole phrase, then say it in one breath",
    "pauses_per_word": "pauses came often; plan a whole phrase, then say it in one breath",
    "mean_pause_s": (
        "pauses were longer than fluent speakers' (natural for a point to land, but inside a "
        "sentence they sound like searching); keep the long ones for the ends of points"
    ),
}


def _basis(components: dict[str, float | None], basis: str | None) -> str:
    """Results stored before the word reading existed have no basis: they were acoustic."""
    if basis in fluency.MODELS and all(
        components.get(k) is not None for k in fluency.MODELS[basis].components
    ):
        return basis
    return "acoustic"


def components_text(components: dict[str, float | None], basis: str | None = None) -> str:
    """The measured components in a user's words, so the band is never a bare number."""

    def get(key: str) -> float:
        return float(components.get(key) or 0.0)

    if _basis(components, basis) == "words":
        parts = [
            f"{get('speech_rate_wpm'):.0f} words/min",
            f"{get('articulation_rate_words'):.1f} syllables/s while speaking",
            f"{get('mean_length_of_run_words'):.1f} words between pauses",
            f"a pause every {1 / get('pauses_per_word'):.0f} words"
            if get("pauses_per_word") > 0
            else "no pause",
            f"pauses {get('mean_pause_s'):.2f} s on average",
        ]
    else:
        parts = [
            f"{get('articulation_rate'):.1f} syllables/s while speaking",
            f"{get('pauses_per_minute'):.0f} pauses/min",
            f"pauses {get('mean_pause_s'):.2f} s on average",
            f"{get('mean_length_of_run'):.1f} syllables between pauses",
        ]
    for key, label in (
        ("filled_pauses_per_minute", "filled pauses"),
        ("repetitions_per_minute", "repeated words"),
    ):
        if components.get(key) is not None:
            parts.append(f"{get(key):.1f} {label}/min")
    return ", ".join(parts)


def weakest(components: dict[str, float | None], basis: str | None = None) -> str:
    """The weighted component that pulls the reading down most."""
    model = fluency.MODELS[_basis(components, basis)]
    full = {k: float(components.get(k) or 0.0) for k in model.components}
    pulls = np.asarray(model.weights) * model.inputs(full)
    used = [i for i, w in enumerate(model.weights) if w != 0.0]
    return model.components[min(used, key=lambda i: pulls[i])]


def _evidence(x: Answer) -> Evidence:
    a = x.analysis
    value = a.flow_index
    text = None
    if value is not None:
        parts = components_text(a.flow_components, a.flow_basis)
        text = f"{FLOW.text(FLOW.classify(value))} ({parts})"
    return judged(FLOW, value, x, needs_voice=True, band_text=text)


def _fix(answers: Sequence[Answer]) -> Texts:
    by_q = {x.qi: x for x in answers}

    def text(bad: list[Evidence], measured: list[Evidence]) -> str:
        causes = []
        for e in bad:
            x = by_q.get(e.question_index if e.question_index is not None else -1)
            if x is not None:
                a = x.analysis
                causes.append(ADVICE[weakest(a.flow_components, a.flow_basis)])
        why = "; ".join(dict.fromkeys(causes))
        return f"Your flow was below 'good' in {of(bad, measured)}: {why}."

    return text


def flow_prompt(answers: Sequence[Answer]) -> Prompt:
    """Strength, fix or note for the flow reading across the session's answers."""
    return make_prompt(
        "engaging.flow",
        FLOW,
        [_evidence(x) for x in answers],
        strength="Your speech flowed: every measured answer read as fluent.",
        fix=_fix(answers),
        unmeasured="Flow could not be judged: the reason is given with each answer.",
    )
