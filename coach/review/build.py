"""Turn a session and its stored analyses into a Review: three sections, focus, comparisons.

Pure computation over JSON-loaded data (no audio decoding, no Qt), so the panel fills in well
under a second after "Finish interview". Headline numbers use one take per question: the one the
user marked best, else the last complete take.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from coach.analysis.results import AnswerAnalysis
from coach.core.session import Session
from coach.core.session_store import SessionStore
from coach.measures import COMPARED, MEASURES, Measure
from coach.review.content_prompts import SUPERSEDED, Contents, content_prompts, covers_all
from coach.review.flow import DRILL as FLOW_DRILL
from coach.review.loader import AnalysisMap, load_analyses, load_contents, previous_session
from coach.review.measures import Answer, answer_length_s, think_latency_s
from coach.review.model import (
    FIX,
    FLAG,
    FOLLOW_UP_ITEMS,
    PREPARATION_ITEMS,
    WATCH,
    AnswerSummary,
    ChecklistItem,
    Comparison,
    Evidence,
    FocusItem,
    Prompt,
    Review,
    Section,
)
from coach.review.prepared import prepared
from coach.review.recording import noisy_snr_db, quiet_dbfs
from coach.review.sections import aggressive, engaging, section

Analyses = Mapping[tuple[int, int], AnswerAnalysis]
FOCUS_COUNT = 3
_USABLE = ("complete", "recovered")

# One concrete drill per fixable prompt; {q} is the answer that was furthest from the band.
DRILLS: dict[str, tuple[str, str]] = {
    "engaging.flow": FLOW_DRILL,
    "engaging.pitch": ("Vary your pitch", "Re-answer {q} and stress one key word per sentence; "
                       "let your voice rise on the problem and fall on the result."),
    "engaging.pace": ("Find the 120–165 WPM pace", "Re-answer {q} with a pause after every "
                      "sentence; aim for the middle of the band."),
    "engaging.pauses": ("Shorter pauses", "Re-answer {q} from a three-point outline so each pause "
                        "is a breath, not a search."),
    "engaging.numbers": ("Add a number to every story", "Re-answer {q} and end with one figure: "
                         "time saved, money, people, percent."),
    "engaging.too_short": ("Give a full example", "Re-answer {q} in 60–90 s: one situation, what "
                           "you did, what changed."),
    "aggressive.fast": ("Slow the delivery", "Re-answer {q} at a calm pace: breathe at each full "
                        "stop."),
    "aggressive.rising": ("Finish as calmly as you start", "Re-answer {q} and say your last "
                          "sentence at the volume of your first one; record it and compare."),
    "aggressive.loud": ("Keep the volume even", "Re-answer {q} at the level of your mic check; "
                        "lower your voice on the key point instead of raising it."),
    "aggressive.spoke_over": ("Let the question finish", "Re-run {q}: wait for the question to "
                              "end, count to two, then start."),
    "aggressive.long": ("Finish within two minutes", "Re-answer {q} and stop once you have given "
                        "the result: aim for 90 s."),
    "aggressive.absolutes": ("Swap absolutes for facts", "Re-answer {q} replacing each "
                             "\"always\"/\"never\" with how often it really happened."),
    "aggressive.blame": ("Own the story, not the blame", "Re-answer {q} saying what you did and "
                         "learned; mention others only for what they contributed."),
    "aggressive.rushed_start": ("Use the think time", "Re-run {q} with the full think time; jot "
                                "three words before you start speaking."),
    "prepared.think": ("Start sooner", "Prepare a one-line opener for {q}'s type of question and "
                       "practise starting within 30 s."),
    "prepared.long_pauses": ("Keep the thread", "Outline {q} in three bullet points, then "
                             "re-answer it looking at the outline."),
    "prepared.fillers": ("Fewer fillers", "Re-answer {q} and replace every um with a silent "
                         "half-second pause."),
    "prepared.filler_clusters": ("Prepare the hard part", "Replay the cluster in {q}, write the "
                                 "point you were reaching for, and re-answer it."),
    "prepared.hedges": ("Say it plainly", "Re-answer {q} without maybe, I guess or sort of: state "
                        "what you did."),
    "prepared.star": ("Finish with the result", "Re-answer {q} in STAR order and end with a "
                      "result that has a number."),
    "content.result": ("End with the result", "Re-answer {q} and finish with what changed, with "
                       "one figure: time saved, money, people, percent."),
    "content.blame": ("Own the story, not the blame", "Replay the quote in {q}, then re-answer it "
                      "saying what you did and learned."),
    "content.absolutes": ("Swap absolutes for facts", "Re-answer {q} replacing each \"always\"/"
                          "\"never\" with how often it really happened."),
    "content.answered": ("Answer the question asked", "Re-read {q}, say its key words in your "
                         "first sentence, then give one example."),
    "content.star": ("Tell the whole story", "Re-answer {q} in STAR order; open the answer view "
                     "for an outline of your story with the missing parts marked."),
    "prepared.job_terms": ("Use the job's language", "Pick two missing job-description terms and "
                           "re-answer {q} with an example of each."),
}  # fmt: skip

# "Compared with last time": the registry's COMPARED measures. Values the analysis does not hold
# itself are derived here; the rest are read by key (a measure counted only by the accurate
# recogniser has no value from the basic one).
_DERIVED: dict[str, Callable[[Answer], float | None]] = {
    "long_pause_count": lambda x: (
        float(x.analysis.long_pause_count) if x.analysis.leading_silence_s is not None else None
    ),
    "think_latency_s": lambda x: think_latency_s(x.take, x.analysis),
    "answer_length_s": lambda x: answer_length_s(x.analysis),
}


def measure_value(m: Measure, x: Answer) -> float | None:
    """One answer's value of a registry measure, or None where it is not measured or trusted."""
    if m.key in _DERIVED:
        return _DERIVED[m.key](x)
    if m.accurate_only and x.analysis.low_accuracy:
        return None
    value = getattr(x.analysis, m.key, None)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def chosen_take(session: Session, qi: int, analyses: Analyses) -> int | None:
    """The user's best take, else the last complete take, else the last analysed take."""
    question = session.questions[qi]
    if question.best_take is not None and 0 <= question.best_take < len(question.takes):
        return question.best_take
    for ti in range(len(question.takes) - 1, -1, -1):
        if question.takes[ti].status in _USABLE and not question.takes[ti].is_silent:
            return ti
    analysed = [ti for (q, ti) in analyses if q == qi]
    return max(analysed) if analysed else None


def chosen_answers(session: Session, analyses: Analyses) -> list[Answer]:
    out = []
    for qi, question in enumerate(session.questions):
        ti = chosen_take(session, qi, analyses)
        if ti is not None and (qi, ti) in analyses:
            out.append(Answer(qi, ti, question, question.takes[ti], analyses[(qi, ti)]))
    return out


def _worst(prompt: Prompt) -> Evidence:
    bad = [e for e in prompt.evidence if e.band in (WATCH, FLAG)]
    return max(bad, key=lambda e: (e.band == FLAG, e.value or 0.0)) if bad else prompt.evidence[0]


def _plain(value: float) -> str:
    """Numbers as people say them: 220 wpm, 2.1 st, 0.45 s."""
    if abs(value) >= 20:
        return f"{value:.0f}"
    return f"{value:.2g}" if abs(value) < 1 else f"{value:.1f}".removesuffix(".0")


def focus_items(prompts: Sequence[Prompt]) -> tuple[FocusItem, ...]:
    """Top fixes by severity (distance from band x how often x weight), one per measure."""
    fixes = sorted((p for p in prompts if p.kind == FIX), key=lambda p: -p.severity)
    out: list[FocusItem] = []
    metrics: set[str] = set()
    for p in fixes:
        worst = _worst(p)
        if worst.metric in metrics or p.id not in DRILLS:
            continue
        metrics.add(worst.metric)
        title, drill = DRILLS[p.id]
        q = f"Q{worst.question_index + 1}" if worst.question_index is not None else "one answer"
        count = sum(1 for e in p.evidence if e.band in (WATCH, FLAG))
        value = "" if worst.value is None else f"{_plain(worst.value)} {worst.unit}".rstrip()
        times = "once" if count == 1 else f"{count} times"
        what = f"{worst.label}: {value}" if value else worst.label  # a quote has no number
        why = f"{what} in {q} ({worst.band_text}); {times} this session."
        if worst.question_index is None:
            why = f"{what} ({worst.band_text})."
        out.append(FocusItem(title, why, drill.format(q=q), p.id, worst.question_index))
        if len(out) == FOCUS_COUNT:
            break
    return tuple(out)


def _mean(values: Sequence[float | None]) -> float | None:
    real = [v for v in values if v is not None]
    return round(statistics.mean(real), 2) if real else None


def comparisons(answers: Sequence[Answer], previous: Sequence[Answer]) -> tuple[Comparison, ...]:
    return tuple(
        Comparison(m.key, m.label, m.review_unit, _mean([measure_value(m, x) for x in previous]),
                   _mean([measure_value(m, x) for x in answers]), m.better)
        for m in (MEASURES[key] for key in COMPARED)
    )  # fmt: skip


def summaries(session: Session, answers: Sequence[Answer]) -> tuple[AnswerSummary, ...]:
    return tuple(
        AnswerSummary(
            question_index=x.qi,
            take_index=x.ti,
            question=x.question.text,
            audio=x.take.audio,
            duration_s=x.take.duration_s,
            words_per_minute=x.analysis.words_per_minute,
            fillers_per_minute=x.analysis.fillers_per_minute,
            pitch_variation_st=x.analysis.pitch_variation_st,
            long_pause_count=(
                x.analysis.long_pause_count if x.analysis.leading_silence_s is not None else None
            ),
            transcript=x.analysis.transcript,
            low_accuracy=x.analysis.low_accuracy,
            noisy_snr_db=noisy_snr_db(x.analysis),
            quiet_dbfs=quiet_dbfs(x.analysis),
            cut_short=bool(x.analysis.damage),
        )
        for x in answers
    )


def checklist(session: Session, items: Sequence[tuple[str, str]]) -> tuple[ChecklistItem, ...]:
    return tuple(ChecklistItem(key, text, bool(session.checklist.get(key))) for key, text in items)


def build_review(
    session: Session,
    analyses: Analyses,
    *,
    previous: tuple[Session, Analyses] | None = None,
    contents: Contents | None = None,
) -> Review:
    answers = chosen_answers(session, analyses)
    sections: tuple[Section, ...] = (
        engaging(answers), aggressive(session, answers), prepared(session, answers)
    )
    if contents:
        extra = content_prompts(answers, contents)
        drop = SUPERSEDED if covers_all(answers, contents) else ()
        sections = tuple(
            section(s.heading, [*(p for p in s.prompts if p.id not in drop), *extra[s.heading]])
            for s in sections
        )
    before = chosen_answers(*previous) if previous is not None else []
    return Review(
        session_id=session.id,
        title=session.title,
        created_at=session.created_at,
        sections=sections,
        focus=focus_items([p for s in sections for p in s.prompts]),
        comparisons=comparisons(answers, before) if previous is not None else (),
        preparation_checklist=checklist(session, PREPARATION_ITEMS),
        follow_up_checklist=checklist(session, FOLLOW_UP_ITEMS),
        answers=summaries(session, answers),
    )


def load_session_review(store: SessionStore, folder: Path) -> tuple[Session, AnalysisMap, Review]:
    """Load one session folder, its analyses and the session before it, and build the review:
    the one way both the window (coach.ui.review_loading) and the CLI/report get a review."""
    session = store.load(folder)
    analyses = load_analyses(folder, session)
    previous = previous_session(store.root, session)
    contents = load_contents(folder, session)
    return session, analyses, build_review(
        session, analyses, previous=previous, contents=contents
    )


def review_session(folder: Path, sessions_root: Path) -> Review:
    """The review of one session folder (see `load_session_review`)."""
    return load_session_review(SessionStore(sessions_root), folder)[2]


__all__ = ["build_review", "load_session_review", "review_session"]
