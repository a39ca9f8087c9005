"""Per-answer numbers and the Evidence/Prompt builders the three review sections share.

An `Answer` is the take chosen for the headline numbers of one question with its analysis.
Derived numbers (think latency, answer length, longest pause...) are computed here from the stored
analysis only, so the review never decodes audio; how each is shown and judged is declared in the
registry (`coach.measures`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coach.analysis.results import AnswerAnalysis
from coach.core.session import AskedQuestion, Take
from coach.measures import Band
from coach.review.model import (
    FIX,
    FLAG,
    GOOD,
    INFO,
    NOT_MEASURED,
    NOTE,
    STRENGTH,
    WATCH,
    Evidence,
    Moment,
    Prompt,
)
from coach.review.thresholds import LOW_ACCURACY_TEXT, MIN_VOICED_S

OPENING_WINDOW_S = 10.0
"""§1: a 10 s window above 180 WPM is a fast burst."""
MIN_OPENING_SPAN_S = 5.0
MIN_OPENING_WORDS = 3


@dataclass(frozen=True)
class Answer:
    qi: int
    ti: int
    question: AskedQuestion
    take: Take
    analysis: AnswerAnalysis

    @property
    def name(self) -> str:
        return f"Q{self.qi + 1}"

    def moment(self, start_s: float, end_s: float | None = None, label: str = "") -> Moment:
        """A moment clamped into the take, so a replay button never seeks past its end."""
        length = max(self.analysis.duration_s, 0.0)
        start = min(max(float(start_s), 0.0), length)
        end = None if end_s is None else min(max(float(end_s), start), length)
        return Moment(
            self.qi, self.ti, round(start, 2), None if end is None else round(end, 2), label
        )

    def whole(self, label: str = "the answer") -> Moment:
        a = self.analysis
        if a.words:
            return self.moment(a.words[0]["start_s"], a.words[-1]["end_s"], label)
        return self.moment(a.leading_silence_s or 0.0, a.duration_s, label)


# Derived numbers -------------------------------------------------------------------------------


def answer_length_s(a: AnswerAnalysis) -> float | None:
    """First to last word (§10); without words, first speech to the end of the take."""
    if a.words:
        return round(float(a.words[-1]["end_s"]) - float(a.words[0]["start_s"]), 2)
    if a.leading_silence_s is None:
        return None
    return round(a.duration_s - a.leading_silence_s, 2)


def think_latency_s(take: Take, a: AnswerAnalysis) -> float | None:
    """Think time before recording started plus the silence before the first word."""
    if take.think_s is None or a.leading_silence_s is None:
        return None
    return round(take.think_s + a.leading_silence_s, 2)


def longest_pause_s(a: AnswerAnalysis) -> float | None:
    if a.leading_silence_s is None:  # no speech: there are no pauses to speak of
        return None
    return round(max((p["end_s"] - p["start_s"] for p in a.pauses), default=0.0), 2)


def mean_pause_s(a: AnswerAnalysis) -> float | None:
    if not a.pauses:
        return None
    return round(sum(p["end_s"] - p["start_s"] for p in a.pauses) / len(a.pauses), 2)


def opening_pace(a: AnswerAnalysis) -> float | None:
    """Words per minute in the first 10 s after the first word (None if too little speech)."""
    if len(a.words) < MIN_OPENING_WORDS:
        return None
    first = float(a.words[0]["start_s"])
    span = min(OPENING_WINDOW_S, float(a.words[-1]["end_s"]) - first)
    if span < MIN_OPENING_SPAN_S:
        return None
    count = sum(1 for w in a.words if float(w["start_s"]) < first + span)
    return round(count / (span / 60.0), 1)


# Evidence and prompts -------------------------------------------------------------------------


def judged(
    band: Band,
    value: float | None,
    answer: Answer,
    moments: Sequence[Moment] = (),
    *,
    needs_voice: bool = False,
    transcript_based: bool = False,
    why_missing: str = "",
    band_text: str | None = None,
    label: str | None = None,
) -> Evidence:
    """Evidence for one answer: its band, or "not measured" with the reason instead of a guess."""
    a = answer.analysis
    status: str
    if value is None:
        status = NOT_MEASURED
        text = why_missing or a.reasons.get(band.metric, "") or "not measured"
    elif needs_voice and a.voiced_s < MIN_VOICED_S:
        status = NOT_MEASURED
        text = f"not enough speech: {a.voiced_s:.1f} s voiced, {MIN_VOICED_S:.0f} s needed"
    elif transcript_based and a.low_accuracy:
        status, text = NOT_MEASURED, LOW_ACCURACY_TEXT
    else:
        status = band.classify(value)
        text = band_text if band_text is not None else band.text(status)
    return Evidence(
        metric=band.metric,
        label=label or band.label,
        value=value,
        unit=band.unit,
        band=status,
        band_text=text,
        reason=band.reason,
        moments=tuple(moments) if moments else (answer.whole(),),
        question_index=answer.qi,
        take_index=answer.ti,
    )


def counted(
    band: Band, items: Sequence[dict[str, object]], answer: Answer, what: str,
    *, transcript_based: bool = True,
) -> Evidence:  # fmt: skip
    """Evidence for a list of timed findings (absolutes, blame...): the count and each moment."""
    moments = [
        answer.moment(float(str(i["start_s"])), None, f"“{i.get('text', '')}”") for i in items
    ]
    return judged(
        band, float(len(items)), answer, moments or [answer.whole()],
        transcript_based=transcript_based, label=what,
    )  # fmt: skip


def severity(band: Band, evidence: Sequence[Evidence]) -> float:
    """Distance outside the green band summed over the answers (i.e. x how often), x weight."""
    total = 0.0
    for e in evidence:
        if e.band in (WATCH, FLAG) and e.value is not None:
            total += max(band.distance(e.value), 0.25 if e.band == WATCH else 1.0)
    return round(total * band.weight, 3)


Texts = Callable[[list[Evidence], list[Evidence]], str]


def make_prompt(
    pid: str,
    band: Band,
    evidence: Sequence[Evidence],
    *,
    strength: str,
    fix: Texts,
    unmeasured: str,
    info: str = "",
) -> Prompt:
    """Strength when every measured answer is green, fix when some are not, else a note."""
    measured = [e for e in evidence if e.band in (GOOD, WATCH, FLAG)]
    if not measured:
        if any(e.band == INFO for e in evidence):
            return Prompt(pid, info or unmeasured, NOTE, tuple(evidence))
        notes = sorted({e.band_text for e in evidence})
        return Prompt(pid, unmeasured, NOTE, tuple(evidence), reliable=False, note="; ".join(notes))
    bad = [e for e in measured if e.band in (WATCH, FLAG)]
    skipped = [e for e in evidence if e.band == NOT_MEASURED]
    note = ""
    if skipped:
        names = ", ".join(
            f"Q{e.question_index + 1}" for e in skipped if e.question_index is not None
        )
        note = f"Not judged for {names}: {skipped[0].band_text}."
    if bad:
        return Prompt(pid, fix(bad, measured), FIX, tuple(evidence), severity(band, bad), note=note)
    return Prompt(pid, strength, STRENGTH, tuple(evidence), note=note)


def names(evidence: Sequence[Evidence]) -> str:
    """ "Q2, Q4" for the answers these pieces of evidence come from."""
    seen: list[str] = []
    for e in evidence:
        if e.question_index is not None and f"Q{e.question_index + 1}" not in seen:
            seen.append(f"Q{e.question_index + 1}")
    return ", ".join(seen)


def of(bad: Sequence[Evidence], measured: Sequence[Evidence]) -> str:
    return f"{len(bad)} of {len(measured)} answers ({names(bad)})"
