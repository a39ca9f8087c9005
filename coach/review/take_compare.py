"""An old take beside a new take of the same question: which measures changed, and which way.

Used after "Practise this again". Each measure is banded with the review's own bands
(coach.review.thresholds) and the same rules for what was not measured (coach.review.heard), so
the comparison never says "better" about a number that was not taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coach.analysis.results import AnswerAnalysis
from coach.review import thresholds as th
from coach.review.heard import too_little_speech
from coach.review.measures import answer_length_s, longest_pause_s
from coach.review.model import FLAG, INFO, NOT_MEASURED, WATCH
from coach.review.summary import RANK

LONG_FROM_S = 120.0
"""Above the green edge of ANSWER_LONG (2:00) length is judged for being long, else short."""
BETTER, WORSE, SAME, UNKNOWN = "better", "worse", "same", "not compared"

# (band, value of the analysis, based on the words of the transcript)
_MEASURES: tuple[tuple[th.Band, Callable[[AnswerAnalysis], float | None], bool], ...] = (
    (th.PACE, lambda a: a.words_per_minute, False),
    (th.PITCH, lambda a: a.pitch_variation_st, False),
    (th.FILLERS, lambda a: a.fillers_per_minute, True),
    (th.HEDGES, lambda a: a.hedges_per_100_words, True),
    (th.LONG_PAUSE, longest_pause_s, False),
    (th.ANSWER_SHORT, answer_length_s, False),  # ANSWER_LONG when either take runs long
    (th.ABSOLUTES, lambda a: float(len(a.absolutes)), True),
    (th.BLAME, lambda a: float(len(a.blame_phrases)), True),
)


@dataclass(frozen=True)
class Side:
    value: float | None
    band: str
    why: str = ""  # why it was not measured


@dataclass(frozen=True)
class MeasureChange:
    metric: str
    label: str
    unit: str
    before: Side
    after: Side
    change: str  # better | worse | same | not compared

    @property
    def changed(self) -> bool:
        return self.change in (BETTER, WORSE)


def _side(band: th.Band, get: Callable[[AnswerAnalysis], float | None], words: bool,
          a: AnswerAnalysis) -> Side:  # fmt: skip
    why = too_little_speech(a)
    if why is None and words and a.low_accuracy:
        why = th.LOW_ACCURACY_TEXT
    value = None if why is not None else get(a)
    if value is None:
        return Side(None, NOT_MEASURED, why or a.reasons.get(band.metric, "not measured"))
    return Side(value, band.classify(value))


def _change(band: th.Band, before: Side, after: Side) -> str:
    if before.value is None or after.value is None:
        return UNKNOWN
    if before.band == INFO or after.band == INFO:
        return SAME if before.value == after.value else UNKNOWN
    if before.band != after.band:
        return BETTER if RANK[after.band] < RANK[before.band] else WORSE
    if before.band in (WATCH, FLAG):
        d0, d1 = band.distance(before.value), band.distance(after.value)
        if abs(d1 - d0) > 0.05:  # a twentieth of the way to the red edge
            return BETTER if d1 < d0 else WORSE
    return SAME


def compare_takes(before: AnswerAnalysis, after: AnswerAnalysis) -> tuple[MeasureChange, ...]:
    """Every measure of both takes; `changed` marks those that moved to a better or worse band
    (or, outside the green band, clearly nearer or further from it)."""
    out = []
    for band, get, words in _MEASURES:
        if band is th.ANSWER_SHORT and any(
            (length := answer_length_s(x)) is not None and length > LONG_FROM_S
            for x in (before, after)
        ):
            band = th.ANSWER_LONG
        b, a = _side(band, get, words, before), _side(band, get, words, after)
        out.append(MeasureChange(band.metric, band.label, band.unit, b, a, _change(band, b, a)))
    return tuple(out)
