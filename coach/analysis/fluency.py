"""A flow reading: how fluent an answer sounds, from timing measures a listener reacts to.

Two readings, one per kind of evidence, and the result says which was used (`flow_basis`):

- "words", with the accurate recogniser (Whisper): speech rate in words per minute of the
  speaking span, articulation rate (syllables of the recognised words per second of speech, from
  a spelling-based syllable count), mean length of run (words between pauses >= 0.25 s), pauses
  per word and mean pause length; filled pauses and repetitions per minute alongside. Words count
  with their recognition probability (see `word_components`).
- "acoustic", with the basic recogniser or none: the same speed and breakdown measures counted
  in syllable nuclei instead of words. Nuclei are counted too often in halting speech (a
  stretched or restarted vowel makes extra peaks), which is why this reading agrees less with
  experts (benchmarks/fluency_validity.py gives both figures).

Cucchiarini, Strik & Boves (2000, JASA 107:989; 2002, JASA 111:2862) found speech rate and mean
length of run the best predictors of expert fluency ratings of read L2 speech; De Jong & Bosker
(2013) and Bosker et al. (2013, Language Testing 30:159) found pause and speed measures, not
repairs, carry most of what listeners call fluent; 0.25 s is De Jong & Bosker's pause threshold.
Filled pauses are pauses, not words, in those measures, so fillers are left out of word counts.
Each reading is a weighted sum of its components, fitted to expert scores (`WORDS`, `ACOUSTIC`):
a predicted expert fluency on the 0-10 scale of speechocean762 (8-10 "fluent without noticeable
pauses", 6-7 "fluent in general", 4-5 "many pauses", 0-3 "very disfluent").
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coach.analysis import lexicon
from coach.analysis.transcribe import Word
from coach.analysis.vad import VoiceActivity

MIN_SPAN_S = 1.0
"""Below one second of speaking span no rate is meaningful."""
MIN_WORDS = 3
"""Fewer recognised words than this and the word reading falls back to the acoustic one."""

LOG_COMPONENTS = frozenset(
    {"mean_length_of_run", "mean_length_of_run_words", "mean_pause_s", "pauses_per_word"}
)
"""Skewed components enter the model as log(1 + x) (standardised after the log)."""

LITERATURE_SIGNS = {
    "articulation_rate": 1.0,
    "speech_rate": 1.0,
    "phonation_time_ratio": 1.0,
    "mean_length_of_run": 1.0,
    "pauses_per_minute": -1.0,
    "mean_pause_s": -1.0,
    "speech_rate_wpm": 1.0,
    "articulation_rate_words": 1.0,
    "mean_length_of_run_words": 1.0,
    "pauses_per_word": -1.0,
}
"""Direction of each component towards "more fluent" (Cucchiarini et al. 2000; Bosker et al.
2013): faster, longer runs, fewer and shorter pauses."""


@dataclass(frozen=True)
class Model:
    """One fitted reading: standardise each component, weigh, add. Weight 0 = not used."""

    basis: str
    components: tuple[str, ...]
    centres: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def inputs(self, components: dict[str, float]) -> np.ndarray:
        """Standardised inputs in `self.components` order."""
        raw = [
            math.log1p(components[k]) if k in LOG_COMPONENTS else components[k]
            for k in self.components
        ]
        return (np.asarray(raw) - np.asarray(self.centres)) / np.asarray(self.scales)

    def index(self, components: dict[str, float]) -> float:
        """Predicted expert fluency (0-10)."""
        value = self.intercept + float(np.dot(np.asarray(self.weights), self.inputs(components)))
        return min(10.0, max(0.0, value))

    @property
    def used(self) -> tuple[str, ...]:
        return tuple(k for k, w in zip(self.components, self.weights, strict=True) if w != 0.0)


# Both fitted by `python benchmarks/fluency_validity.py --refit` on the 195 speechocean762 train
# clips (75 speakers; scores = median of five experts): least squares of the expert fluency on
# the standardised components (centres/scales = the set's mean and SD), fit on all clips once the
# speaker-grouped cross-validation in the same script had checked the method. A component whose
# fitted sign contradicts `LITERATURE_SIGNS` gets weight 0 and the rest are refitted.
# WORDS (2026-12-06, Whisper base words of 192 clips stored in tests/data): mean length of run
# added nothing once speech rate and pauses per word were in (its sign turned) and was dropped.
# ACOUSTIC: speech rate, phonation-time ratio and mean length of run were dropped the same way.
ACOUSTIC = Model(
    "acoustic",
    (
        "articulation_rate",
        "speech_rate",
        "phonation_time_ratio",
        "mean_length_of_run",
        "pauses_per_minute",
        "mean_pause_s",
    ),
    (3.6276, 3.1296, 0.8469, 1.9066, 16.3587, 0.2839),
    (0.9674, 1.1791, 0.1481, 0.4821, 14.4748, 0.2421),
    (0.6955, 0.0, 0.0, 0.0, -0.6588, -0.4151),
    5.7487,
)
WORDS = Model(
    "words",
    (
        "speech_rate_wpm",
        "articulation_rate_words",
        "mean_length_of_run_words",
        "pauses_per_word",
        "mean_pause_s",
    ),
    (74.2627, 1.6195, 1.1161, 0.3037, 0.2764),
    (47.5035, 0.8611, 0.472, 0.316, 0.2323),
    (0.5687, 0.5623, 0.0, -0.6144, -0.1134),
    5.7656,
)
MODELS = {m.basis: m for m in (WORDS, ACOUSTIC)}

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
    basis: str | None = None


def band_of(index: float) -> str:
    """'good', 'ok' or 'low' on the experts' verbal scale."""
    if index >= GOOD_FROM:
        return "good"
    return "ok" if index >= OK_FROM else "low"


def _usable(speech: VoiceActivity) -> bool:
    span = speech.span
    return span is not None and span.duration_s >= MIN_SPAN_S and speech.speech_s > 0


def acoustic_components(
    speech: VoiceActivity, nucleus_times: Sequence[float]
) -> dict[str, float] | None:
    """The six timing components, or None when the speaking span is under `MIN_SPAN_S`."""
    span = speech.span
    if span is None or not _usable(speech):
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


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_DIGIT = re.compile(r"\d")


def spelled_syllables(token: str) -> int:
    """Syllables of one normalised word from its spelling: vowel groups, a silent final 'e'
    ("make") not counted unless it is "-le" ("table"); a digit string counts one per digit.

    A rough count (about one word in ten off by one on English text), used only as a rate over a
    whole answer, where the errors average out; it needs no pronunciation dictionary.
    """
    if _DIGIT.search(token):
        return max(1, len(_DIGIT.findall(token)))
    word = token.lower().replace("'", "")
    groups = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups)


def fluent_words(words: Sequence[Word]) -> list[Word]:
    """Recognised words that are words: fillers are pauses in the fluency literature."""
    out = []
    for w in words:
        token = lexicon.normalize_token(w.text)
        if token and not lexicon.is_filler_token(token):
            out.append(w)
    return out


def word_components(speech: VoiceActivity, words: Sequence[Word]) -> dict[str, float] | None:
    """The word-based components, or None with too little speech or too few words.

    Each word counts with its recognition probability: the sum is the expected number of words
    recognised right. A halting reader's unclear stretch comes out of Whisper as a run of
    improbable words (spelled-out letters, invented phrases) that would otherwise count as fast,
    fluent speech; clear words count fully.
    """
    span = speech.span
    content = fluent_words(words)
    if span is None or not _usable(speech) or len(content) < MIN_WORDS:
        return None
    weight = np.asarray([_weight(w) for w in content])
    mids = np.asarray([(w.start_s + w.end_s) / 2 for w in content])
    runs = [float(weight[(mids >= s.start_s) & (mids <= s.end_s)].sum()) for s in speech.segments]
    runs = [n for n in runs if n > 0] or [float(weight.sum())]
    count = max(float(weight.sum()), 1e-6)
    pauses = speech.pauses()
    syllables = sum(
        float(wt) * spelled_syllables(lexicon.normalize_token(w.text))
        for wt, w in zip(weight, content, strict=True)
    )
    return {
        "speech_rate_wpm": 60.0 * count / span.duration_s,
        "articulation_rate_words": syllables / speech.speech_s,
        "mean_length_of_run_words": float(np.mean(runs)),
        "pauses_per_word": len(pauses) / count,
        "mean_pause_s": float(np.mean([p.duration_s for p in pauses])) if pauses else 0.0,
    }


def _weight(w: Word) -> float:
    """A word's recognition probability; a recogniser that gives none counts every word fully."""
    if w.probability is None:
        return 1.0
    return float(min(1.0, max(0.0, w.probability)))


def count_repetitions(words: Sequence[str]) -> int:
    """Immediate repeats of a word ("the the"), fillers aside: the repair measure a transcript
    allows."""
    tokens = [lexicon.normalize_token(w) for w in words]
    tokens = [t for t in tokens if t and not lexicon.is_filler_token(t)]
    return sum(1 for a, b in itertools.pairwise(tokens) if a == b)


def flow_index(components: dict[str, float], basis: str = "acoustic") -> float:
    """Predicted expert fluency (0-10) from one basis's components."""
    return MODELS[basis].index(components)


def read_flow(
    speech: VoiceActivity,
    nucleus_times: Sequence[float],
    *,
    words: Sequence[Word] | None = None,
    filled_pauses: int | None = None,
    repetitions: int | None = None,
) -> FlowReading:
    """The flow reading of one answer: from `words` (an accurate recogniser's) when there are
    enough of them, else from the acoustics. Repair counts are shown, not weighted."""
    acoustic = acoustic_components(speech, nucleus_times)
    if acoustic is None:
        return FlowReading(None, None, {}, "less than 1 s of speech")
    worded = word_components(speech, words) if words is not None else None
    model = WORDS if worded is not None else ACOUSTIC
    used = worded if worded is not None else acoustic
    components: dict[str, float | None] = {**acoustic, **(worded or {})}
    span = speech.span
    minutes = (span.duration_s if span is not None else 0.0) / 60.0
    components["filled_pauses_per_minute"] = (
        None if filled_pauses is None else filled_pauses / minutes
    )
    components["repetitions_per_minute"] = None if repetitions is None else repetitions / minutes
    # One decimal: the reading is good to about a point (mean error 1.0), and a shown 7.5 must
    # not sit in the band below 7.5.
    index = round(model.index(used), 1)
    return FlowReading(index, band_of(index), components, basis=model.basis)
