"""A flow reading: how fluent an answer sounds, from timing measures a listener reacts to.

Components are the utterance-fluency measures of the literature, all from the audio itself
(voice activity and syllable nuclei), so they work without a recogniser:

- speed: articulation rate (syllables per second of speech, pauses excluded) and speech rate
  (syllables per second of the whole speaking span);
- breakdown: phonation-time ratio, mean length of run (syllables between pauses >= 0.25 s),
  pauses per minute and mean pause length;
- repair (only with an accurate recogniser): filled pauses and repetitions per minute.

Cucchiarini, Strik & Boves (2000, JASA 107:989) found speech rate and mean length of run the
best predictors of expert fluency ratings of read L2 speech; De Jong & Bosker (2013) and Bosker
et al. (2013, Language Testing 30:159) found pause and speed measures, not repairs, carry most of
what listeners call fluent; 0.25 s is De Jong & Bosker's pause threshold. The reading is a
weighted sum of those components, fitted to expert scores (see `WEIGHTS`): a predicted expert
fluency score on the 0-10 scale of speechocean762 (8-10 "fluent without noticeable pauses",
6-7 "fluent in general", 4-5 "many pauses", 0-3 "very disfluent").
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coach.analysis import lexicon
from coach.analysis.vad import VoiceActivity

MIN_SPAN_S = 1.0
"""Below one second of speaking span no rate is meaningful."""

COMPONENTS = (
    "articulation_rate",
    "speech_rate",
    "phonation_time_ratio",
    "mean_length_of_run",
    "pauses_per_minute",
    "mean_pause_s",
)
"""The acoustic components, in the order of `WEIGHTS`."""

# Fitted by `python benchmarks/fluency_validity.py --refit` on the 195 speechocean762 train clips
# (75 speakers; scores = median of five experts): ordinary least squares of the expert fluency
# on the components standardised with `CENTRES`/`SCALES` (the set's mean and SD), fit on all
# clips once the speaker-grouped cross-validation in the same script had checked the method.
# Components whose sign disagreed with the literature are not used (weight 0).
# Refit 2026-12-06: articulation rate, pause rate and mean pause length keep their weights;
# speech rate, phonation-time ratio and mean length of run added nothing once those were in
# (their fitted signs turned against the literature) and were dropped, leaving 3 weights.
CENTRES = (3.6276, 3.1296, 0.8469, 1.9066, 16.3587, 0.2839)
SCALES = (0.9674, 1.1791, 0.1481, 0.4821, 14.4748, 0.2421)
WEIGHTS = (0.6955, 0.0, 0.0, 0.0, -0.6588, -0.4151)
INTERCEPT = 5.7487
LOG_COMPONENTS = frozenset({"mean_length_of_run", "mean_pause_s"})
"""Skewed components enter the model as log(1 + x) (standardised after the log)."""

GOOD_FROM = 7.5
"""Rounds to 8: "fluent without noticeable pauses" on the experts' scale."""
OK_FROM = 5.5
"""Rounds to 6: "fluent in general, with a few pauses"; below, "many pauses"."""


@dataclass(frozen=True)
class FlowReading:
    """The reading and its components; None where not measurable (the reason in `reason`)."""

    index: float | None
    band: str | None
    components: dict[str, float | None]
    reason: str = ""


def band_of(index: float) -> str:
    """'good', 'ok' or 'low' on the experts' verbal scale."""
    if index >= GOOD_FROM:
        return "good"
    return "ok" if index >= OK_FROM else "low"


def acoustic_components(
    speech: VoiceActivity, nucleus_times: Sequence[float]
) -> dict[str, float] | None:
    """The six timing components, or None when the speaking span is under `MIN_SPAN_S`."""
    span = speech.span
    if span is None or span.duration_s < MIN_SPAN_S or speech.speech_s <= 0:
        return None
    times = np.asarray(sorted(nucleus_times), dtype=np.float64)
    runs = [
        int(np.count_nonzero((times >= s.start_s) & (times <= s.end_s))) for s in speech.segments
    ]
    pauses = speech.pauses()
    minutes = span.duration_s / 60.0
    return {
        "articulation_rate": len(times) / speech.speech_s,
        "speech_rate": len(times) / span.duration_s,
        "phonation_time_ratio": speech.speech_s / span.duration_s,
        "mean_length_of_run": float(np.mean(runs)) if runs else 0.0,
        "pauses_per_minute": len(pauses) / minutes,
        "mean_pause_s": float(np.mean([p.duration_s for p in pauses])) if pauses else 0.0,
    }


def count_repetitions(words: Sequence[str]) -> int:
    """Immediate repeats of a word ("the the"), fillers aside: the repair measure a transcript
    allows."""
    tokens = [lexicon.normalize_token(w) for w in words]
    tokens = [t for t in tokens if t and not lexicon.is_filler_token(t)]
    return sum(1 for a, b in itertools.pairwise(tokens) if a == b)


def model_inputs(components: dict[str, float]) -> np.ndarray:
    """Standardised model inputs in `COMPONENTS` order."""
    raw = [math.log1p(components[k]) if k in LOG_COMPONENTS else components[k] for k in COMPONENTS]
    return (np.asarray(raw) - np.asarray(CENTRES)) / np.asarray(SCALES)


def flow_index(components: dict[str, float]) -> float:
    """Predicted expert fluency (0-10) from the acoustic components."""
    value = INTERCEPT + float(np.dot(np.asarray(WEIGHTS), model_inputs(components)))
    return min(10.0, max(0.0, value))


def read_flow(
    speech: VoiceActivity,
    nucleus_times: Sequence[float],
    *,
    filled_pauses: int | None = None,
    repetitions: int | None = None,
) -> FlowReading:
    """The flow reading of one answer; repair counts are shown, not weighted (see module doc)."""
    acoustic = acoustic_components(speech, nucleus_times)
    if acoustic is None:
        return FlowReading(None, None, {}, "less than 1 s of speech")
    components: dict[str, float | None] = dict(acoustic)
    span = speech.span
    minutes = (span.duration_s if span is not None else 0.0) / 60.0
    components["filled_pauses_per_minute"] = (
        None if filled_pauses is None else filled_pauses / minutes
    )
    components["repetitions_per_minute"] = None if repetitions is None else repetitions / minutes
    index = flow_index(acoustic)
    return FlowReading(index, band_of(index), components)
