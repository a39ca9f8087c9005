"""The "Were you prepared?" section: think time, pauses, fillers, hedges, STAR, job terms."""

from __future__ import annotations

from collections.abc import Sequence

from coach.core.session import Session
from coach.review import thresholds as th
from coach.review.candidate_questions import questions_for_them_prompt
from coach.review.heard import heard, judged
from coach.review.measures import (
    Answer,
    longest_pause_s,
    make_prompt,
    names,
    of,
    think_latency_s,
)
from coach.review.model import (
    FIX,
    INFO,
    NOT_MEASURED,
    NOTE,
    PREPARATION_ITEMS,
    PREPARED,
    STRENGTH,
    Evidence,
    Moment,
    Prompt,
    Section,
)
from coach.review.sections import UNMEASURED, section
from coach.review.star import detect_star
from coach.review.terms import find_term, term_coverage

# Prepared ---------------------------------------------------------------------------------------


def prepared(session: Session, answers: Sequence[Answer]) -> Section:
    think = [
        judged(th.THINK, think_latency_s(x.take, x.analysis), x,
               [x.moment(0.0, x.analysis.leading_silence_s or 0.0, "before the first word")],
               why_missing="think time or first word not recorded")
        for x in answers
    ]  # fmt: skip
    pauses = [
        judged(th.LONG_PAUSE, longest_pause_s(x.analysis), x,
               [x.moment(p["start_s"], p["end_s"], f"pause {p['end_s'] - p['start_s']:.1f} s")
                for p in x.analysis.long_pauses],
               why_missing="no speech detected")
        for x in answers
    ]  # fmt: skip
    fillers = [
        judged(th.FILLERS, x.analysis.fillers_per_minute, x,
               [x.moment(f["start_s"], None, str(f["text"])) for f in x.analysis.fillers],
               needs_voice=True, transcript_based=True)
        for x in answers
    ]  # fmt: skip
    clusters = [
        judged(th.CLUSTERS, float(len(x.analysis.filler_clusters)), x,
               [x.moment(c["start_s"], c["end_s"], f"{int(c['count'])} fillers")
                for c in x.analysis.filler_clusters], transcript_based=True)
        for x in answers
    ]  # fmt: skip
    hedges = [
        judged(th.HEDGES, x.analysis.hedges_per_100_words, x,
               [x.moment(h["start_s"], None, str(h["text"])) for h in x.analysis.hedges],
               needs_voice=True, transcript_based=True)
        for x in answers
    ]  # fmt: skip
    prompts = [
        make_prompt(
            "prepared.think",
            th.THINK,
            think,
            strength="You started every answer within 30 s.",
            fix=lambda b, m: f"Long wait before the first word in {of(b, m)}.",
            unmeasured="Think time could not be measured: " + UNMEASURED,
        ),
        make_prompt(
            "prepared.long_pauses",
            th.LONG_PAUSE,
            pauses,
            strength="No pause longer than 2.5 s: you kept the thread.",
            fix=lambda b, m: (
                f"Long pauses in {of(b, m)}: replay them to find where you lost the thread."
            ),
            unmeasured="Pauses could not be measured: " + UNMEASURED,
        ),
        make_prompt(
            "prepared.fillers",
            th.FILLERS,
            fillers,
            strength="Few fillers: at most one a minute.",
            fix=lambda b, m: f"Fillers above one a minute in {of(b, m)}.",
            unmeasured="Fillers could not be counted: " + UNMEASURED,
        ),
        make_prompt(
            "prepared.filler_clusters",
            th.CLUSTERS,
            clusters,
            strength="No clusters of fillers.",
            fix=lambda b, m: (
                f"Filler clusters in {names(b)}: replay them to see which point was not ready."
            ),
            unmeasured="Filler clusters could not be found: " + UNMEASURED,
        ),
        make_prompt(
            "prepared.hedges",
            th.HEDGES,
            hedges,
            strength="Little hedging: you stated things plainly.",
            fix=lambda b, m: f"Frequent hedges in {of(b, m)}.",
            unmeasured="Hedges could not be counted: " + UNMEASURED,
        ),
    ]
    star = [_star_evidence(x) for x in answers if x.question.star]
    if star:
        prompts.append(
            make_prompt(
                "prepared.star",
                th.STAR,
                star,
                strength="Your behavioural answers had all four STAR parts.",
                fix=lambda b, m: (
                    f"STAR parts missing in {names(b)}: end with the result, ideally with a number."
                ),
                unmeasured="STAR structure could not be checked: " + UNMEASURED,
            )
        )
    if session.job_terms:
        prompts.append(_coverage_prompt(session, answers))
    closing = questions_for_them_prompt(answers)
    if closing is not None:
        prompts.append(closing)
    prompts.append(_checklist_prompt(session))
    return section(PREPARED, prompts)


def _star_evidence(x: Answer) -> Evidence:
    a = x.analysis
    star = detect_star(a.transcript, a.words)
    moments = [
        x.moment(s.start_s, s.end_s, ", ".join(s.parts))
        for s in star.sentences
        if s.parts and s.start_s is not None
    ]
    if star.has_result and not star.result_has_number:
        detail = "; the result has no number"
    elif star.has_result:
        detail = "; the result has a number"
    else:
        detail = ""
    missing = ", ".join(star.missing) or "none"
    text = f"found: {', '.join(star.parts_found) or 'none'}; missing: {missing}{detail}"
    ev = judged(th.STAR, float(len(star.parts_found)), x, moments or [x.whole()],
                transcript_based=True, band_text=text)  # fmt: skip
    if ev.band == "good" and not star.result_has_number:  # a result without a number: watch
        return Evidence(ev.metric, ev.label, ev.value, ev.unit, "watch", text, ev.reason,
                        ev.moments, ev.question_index, ev.take_index)  # fmt: skip
    return ev


def _coverage_prompt(session: Session, answers: Sequence[Answer]) -> Prompt:
    reliable = [x for x in heard(answers) if not x.analysis.low_accuracy]
    cov = term_coverage(session.job_terms, [x.analysis.transcript for x in reliable])
    moments: list[Moment] = []
    for term in cov.found:
        for x in reliable:
            at = find_term(term, x.analysis.words)
            if at is not None:
                moments.append(x.moment(at, None, term))
                break
    share = cov.share
    value = None if share is None or not reliable else round(100.0 * share, 1)
    band = INFO if value is not None else NOT_MEASURED
    text = (f"found: {', '.join(cov.found) or 'none'}; missing: {', '.join(cov.missing) or 'none'}"
            if value is not None else th.LOW_ACCURACY_TEXT)  # fmt: skip
    ev = Evidence(th.JD_COVERAGE.metric, th.JD_COVERAGE.label, value, "%", band, text,
                  th.JD_COVERAGE.reason, tuple(moments))  # fmt: skip
    if value is None:
        return Prompt("prepared.job_terms", "Job-description terms could not be checked reliably.",
                      NOTE, (ev,), reliable=False, note=th.LOW_ACCURACY_TEXT)  # fmt: skip
    if cov.missing:
        return Prompt("prepared.job_terms",
                      f"You used {len(cov.found)} of {len(cov.found) + len(cov.missing)} terms "
                      f"from the job description; not mentioned: {', '.join(cov.missing)}.",
                      FIX, (ev,), round(1.0 - (share or 0.0), 3))  # fmt: skip
    return Prompt("prepared.job_terms", "You used every term from the job description.",
                  STRENGTH, (ev,))  # fmt: skip


def _checklist_prompt(session: Session) -> Prompt:
    open_items = [text for key, text in PREPARATION_ITEMS if not session.checklist.get(key)]
    done = len(PREPARATION_ITEMS) - len(open_items)
    ev = Evidence("preparation_checked", "Preparation steps ticked", float(done),
                  f"of {len(PREPARATION_ITEMS)}", INFO,
                  "your own checklist, saved with the session",
                  "Unprepared candidates are one of the three reasons hiring managers give; the "
                  "checklist follows feedback-science (failure-mode table)")  # fmt: skip
    text = (
        "Preparation checklist complete."
        if not open_items
        else "Before a real interview, still to do: " + "; ".join(open_items) + "."
    )
    return Prompt("prepared.checklist", text, NOTE, (ev,))
