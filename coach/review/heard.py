"""Only judge what was heard: an answer with no speech, or too little, is "not measured".

Every measure of the review goes through `judged`/`counted` here. They wrap the builders of
`coach.review.measures` with one rule first: below MIN_VOICED_S of voiced speech (feedback-science
§4 step 5 and §10: "below 5 s of voiced speech show 'not enough speech', do not judge") an answer
gets no band at all, in every section. Without this, a silent answer counts zero blaming words,
zero absolutes and zero fillers and is praised for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.analysis.results import AnswerAnalysis
from coach.review import measures
from coach.review.measures import Answer
from coach.review.model import NOT_MEASURED, Evidence, Moment
from coach.review.thresholds import MIN_VOICED_S, Band


def too_little_speech(a: AnswerAnalysis) -> str | None:
    """Why this answer cannot be judged at all, or None when there is enough speech."""
    if a.voiced_s <= 0.0 or (a.leading_silence_s is None and not a.words):
        return "no speech was heard in this answer"
    if a.voiced_s < MIN_VOICED_S:
        return f"not enough speech: {a.voiced_s:.1f} s voiced, {MIN_VOICED_S:.0f} s needed"
    return None


def heard(answers: Sequence[Answer]) -> list[Answer]:
    """The answers with enough speech to be judged."""
    return [x for x in answers if too_little_speech(x.analysis) is None]


def _unheard(band: Band, answer: Answer, why: str, label: str | None) -> Evidence:
    return Evidence(
        metric=band.metric,
        label=label or band.label,
        value=None,
        unit=band.unit,
        band=NOT_MEASURED,
        band_text=why,
        reason=band.reason,
        moments=(answer.whole(),),
        question_index=answer.qi,
        take_index=answer.ti,
    )


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
    """`measures.judged`, except that an answer with too little speech is never judged."""
    why = too_little_speech(answer.analysis)
    if why is not None:
        return _unheard(band, answer, why, label)
    return measures.judged(
        band, value, answer, moments, needs_voice=needs_voice,
        transcript_based=transcript_based, why_missing=why_missing, band_text=band_text,
        label=label,
    )  # fmt: skip


def counted(
    band: Band, items: Sequence[dict[str, object]], answer: Answer, what: str,
    *, transcript_based: bool = True,
) -> Evidence:  # fmt: skip
    """`measures.counted`, except that zero findings in an unheard answer are not a good sign."""
    why = too_little_speech(answer.analysis)
    if why is not None:
        return _unheard(band, answer, why, what)
    return measures.counted(band, items, answer, what, transcript_based=transcript_based)
