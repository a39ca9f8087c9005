"""The engaging and too-aggressive sections of the review, and the shared section builder.

Each prompt rests on per-answer Evidence built in measures.py; this module only chooses which
measures answer which question and words the result. Strengths come first (feedback-science §9.7).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from coach.core.session import Session
from coach.review import thresholds as th
from coach.review.flow import flow_prompt
from coach.review.heard import counted, heard, judged
from coach.review.measures import (
    Answer,
    make_prompt,
    mean_pause_s,
    names,
    of,
    opening_pace,
    severity,
)
from coach.review.measures import answer_length_s as length_of
from coach.review.model import (
    AGGRESSIVE,
    ENGAGING,
    FIX,
    FOLLOW_UP_ITEMS,
    INFO,
    NOT_MEASURED,
    NOTE,
    STRENGTH,
    Evidence,
    Prompt,
    Section,
)

UNMEASURED = "Not measured in this session: the reason is given with each answer."


def _order(prompts: Sequence[Prompt]) -> tuple[Prompt, ...]:
    """Strengths first, then fixes by severity, then notes (§9.7)."""
    rank = {STRENGTH: 0, FIX: 1, NOTE: 2}
    return tuple(sorted(prompts, key=lambda p: (rank.get(p.kind, 3), -p.severity)))


def _labels(prompts: Sequence[Prompt], kind: str) -> str:
    items = [p.evidence[0].label.lower() for p in prompts if p.kind == kind and p.evidence]
    return ", ".join(dict.fromkeys(items))


def _verdict(heading: str, prompts: Sequence[Prompt]) -> str:
    good = _labels(prompts, STRENGTH)
    fixes = _labels(prompts, FIX)
    if not good and not fixes:
        return "Not enough reliable measurements to say; the reasons are listed below."
    if heading == AGGRESSIVE:
        if not fixes:
            return f"No sign of it in what was measured ({good})."
        return f"Some moments could come across as pushy: {fixes}." + (
            f" Fine: {good}." if good else ""
        )
    if not fixes:
        return f"Yes, by every measure taken: {good}."
    if good:
        return f"Partly. Went well: {good}. To work on: {fixes}."
    return f"Not yet. To work on: {fixes}."


def section(heading: str, prompts: Sequence[Prompt]) -> Section:
    ordered = _order([p for p in prompts if p is not None])
    return Section(heading, _verdict(heading, ordered), ordered)


# Engaging ---------------------------------------------------------------------------------------


def engaging(answers: Sequence[Answer]) -> Section:
    pitch = [
        judged(
            th.PITCH, x.analysis.pitch_variation_st, x,
            [x.moment(f["start_s"], f["end_s"], f"flat stretch, {f['sd_st']:.1f} st")
             for f in x.analysis.pitch_flat_stretches],
            needs_voice=True,
        )
        for x in answers
    ]  # fmt: skip
    loud = [
        judged(th.LOUDNESS_VARIATION, x.analysis.loudness_variation_db, x, needs_voice=True)
        for x in answers
    ]
    pace = [judged(th.PACE, x.analysis.words_per_minute, x, needs_voice=True) for x in answers]
    pauses = [
        judged(
            th.MEAN_PAUSE, mean_pause_s(x.analysis), x,
            [x.moment(p["start_s"], p["end_s"], f"pause {p['end_s'] - p['start_s']:.1f} s")
             for p in x.analysis.pauses[:20]],
            why_missing="no pauses of 0.25 s or more",
        )
        for x in answers
    ]  # fmt: skip
    numbers = [
        counted(th.NUMBERS, x.analysis.numbers, x, "Numbers and quantities") for x in answers
    ]
    unique = [
        judged(th.UNIQUE_WORDS, x.analysis.unique_word_ratio, x, transcript_based=True)
        for x in answers
    ]
    short = [judged(th.ANSWER_SHORT, length_of(x.analysis), x) for x in answers]
    we_i = [_we_i(x) for x in answers]
    loud_values = [e.value for e in loud if e.band == INFO and e.value is not None]
    prompts = [
        make_prompt(
            "engaging.pitch",
            th.PITCH,
            pitch,
            strength="Your voice moved: pitch varied in the lively range in every measured answer.",
            fix=lambda b, m: f"Pitch stayed flat in {of(b, m)}. Replay the flat stretches.",
            unmeasured="Pitch variation could not be judged: " + UNMEASURED,
        ),
        make_prompt(
            "engaging.loudness",
            th.LOUDNESS_VARIATION,
            loud,
            strength="",
            fix=lambda b, m: "",
            unmeasured="Loudness variation could not be measured: " + UNMEASURED,
            info=(
                f"Loudness varied by {statistics.mean(loud_values):.1f} dB on average. There is "
                "no published band; compare it with your earlier sessions."
                if loud_values
                else ""
            ),
        ),
        make_prompt(
            "engaging.pace",
            th.PACE,
            pace,
            strength="Your pace was in the easy-to-follow band in every measured answer.",
            fix=lambda b, m: f"Your pace was outside 120–165 WPM in {of(b, m)}.",
            unmeasured="Pace could not be judged: " + UNMEASURED,
        ),
        make_prompt(
            "engaging.pauses",
            th.MEAN_PAUSE,
            pauses,
            strength="You paused naturally: short pauses let your points land.",
            fix=lambda b, m: f"Your pauses ran long on average in {of(b, m)}.",
            unmeasured="Pauses could not be judged: " + UNMEASURED,
        ),
        make_prompt(
            "engaging.numbers",
            th.NUMBERS,
            numbers,
            strength="Every answer had a concrete number, the mark of a real example.",
            fix=lambda b, m: (
                f"No concrete number or quantity in {of(b, m)}: stories with a "
                "number are easier to believe and remember."
            ),
            unmeasured="Examples with numbers could not be checked: " + UNMEASURED,
        ),
        make_prompt(
            "engaging.unique_words",
            th.UNIQUE_WORDS,
            unique,
            strength="",
            fix=lambda b, m: "",
            unmeasured="Word variety could not be measured: " + UNMEASURED,
            info="Word variety (unique-word ratio) is shown per answer; compare with your "
            "earlier sessions.",
        ),
        flow_prompt(answers),
        _we_i_prompt(we_i),
        make_prompt(
            "engaging.too_short",
            th.ANSWER_SHORT,
            short,
            strength="Every answer was long enough to give a full example.",
            fix=lambda b, m: (
                f"Short answers in {of(b, m)}: under a minute leaves little room for an example."
            ),
            unmeasured="Answer length could not be measured: " + UNMEASURED,
        ),
    ]
    return section(ENGAGING, prompts)


def _we_i(x: Answer) -> Evidence:
    a = x.analysis
    value = None if a.i_count is None else float(a.i_count)
    ev = judged(th.UNIQUE_WORDS, value, x, transcript_based=True, label='"I" / "we"')
    text = (
        ev.band_text
        if ev.band == NOT_MEASURED
        else f'"I" {a.i_count} times, "we" {a.we_count} times'
    )
    return Evidence(
        "i_count", '"I" / "we"', ev.value, "times", ev.band, text, th.WE_I_REASON, ev.moments,
        x.qi, x.ti,
    )  # fmt: skip


def _we_i_prompt(evidence: Sequence[Evidence]) -> Prompt:
    measured = [e for e in evidence if e.band == INFO]
    if not measured:
        return Prompt("engaging.we_i", '"I" and "we" could not be counted reliably.', NOTE,
                      tuple(evidence), reliable=False, note=th.LOW_ACCURACY_TEXT)  # fmt: skip
    return Prompt(
        "engaging.we_i",
        'Balance "I" for what you did with "we" for what the team achieved; the counts per '
        "answer are below.",
        NOTE,
        tuple(evidence),
    )


# Too aggressive ---------------------------------------------------------------------------------


def aggressive(session: Session, answers: Sequence[Answer]) -> Section:
    fast = [judged(th.FAST, x.analysis.words_per_minute, x, needs_voice=True) for x in answers]
    rushed = [
        judged(th.OPENING_PACE, opening_pace(x.analysis), x,
               [x.moment(x.analysis.words[0]["start_s"], x.analysis.words[0]["start_s"] + 10,
                         f"first seconds after {x.take.think_s:.0f} s of think time")]
               if x.analysis.words else (),
               why_missing="less than 5 s of recognised words")
        for x in answers
        if x.take.think_s is not None and x.take.think_s < session.settings.think_time_s
    ]  # fmt: skip
    long = [judged(th.ANSWER_LONG, length_of(x.analysis), x) for x in answers]
    absolutes = [counted(th.ABSOLUTES, x.analysis.absolutes, x, "Absolute words") for x in answers]
    blame = [counted(th.BLAME, x.analysis.blame_phrases, x, "Blaming phrases") for x in answers]
    spoke_over = [
        judged(th.SPOKE_OVER, 1.0 if x.take.spoke_over_question else 0.0, x,
               [x.moment(0.0, None, "recording started while the question was read")])
        for x in _all_takes(answers)
    ]  # fmt: skip
    prompts = [
        make_prompt(
            "aggressive.fast",
            th.FAST,
            fast,
            strength="Your pace never ran far above the band.",
            fix=lambda b, m: f"Fast delivery in {of(b, m)}: above 165 WPM can sound pushy.",
            unmeasured="Pace could not be judged: " + UNMEASURED,
        ),
        _loudness_prompt(answers, session.settings.loudness_baseline_dbfs),
        make_prompt(
            "aggressive.rising",
            th.RISING_LOUDNESS,
            [
                judged(th.RISING_LOUDNESS, x.analysis.loudness_trend_db, x, needs_voice=True)
                for x in answers
            ],
            strength="Your voice stayed at one level to the end of each answer.",
            fix=lambda b, m: f"Your voice got louder as you went on in {names(b)}.",
            unmeasured="The rise in loudness could not be measured: " + UNMEASURED,
        ),
        make_prompt(
            "aggressive.spoke_over",
            th.SPOKE_OVER,
            spoke_over,
            strength="You let every question finish before answering.",
            fix=lambda b, m: f"You started before the question ended in {names(b)}.",
            unmeasured="",
        ),
        make_prompt(
            "aggressive.long",
            th.ANSWER_LONG,
            long,
            strength="No answer ran past the 2:00 soft limit.",
            fix=lambda b, m: f"Long answers in {of(b, m)}: past 2:00 the listener waits for you.",
            unmeasured="Answer length could not be measured: " + UNMEASURED,
        ),
        make_prompt(
            "aggressive.absolutes",
            th.ABSOLUTES,
            absolutes,
            strength='No absolute words ("always", "never") in your answers.',
            fix=lambda b, m: (
                f"Absolute words in {names(b)}: listen to each and ask whether it "
                "was literally true."
            ),
            unmeasured="Absolute words could not be checked: " + UNMEASURED,
        ),
        make_prompt(
            "aggressive.blame",
            th.BLAME,
            blame,
            strength="No blaming language: you did not put problems on others.",
            fix=lambda b, m: (
                f"Blaming phrases in {names(b)}: describe what happened and what "
                "you did, not whose fault it was."
            ),
            unmeasured="Blaming language could not be checked: " + UNMEASURED,
        ),
    ]
    if rushed:
        prompts.append(
            make_prompt(
                "aggressive.rushed_start",
                th.OPENING_PACE,
                rushed,
                strength="When you cut the think time short, you still started calmly.",
                fix=lambda b, m: f"Rushed starts right after a short think time in {names(b)}.",
                unmeasured="The opening pace could not be measured: " + UNMEASURED,
            )
        )
    prompts.append(_follow_up_prompt(session))
    return section(AGGRESSIVE, prompts)


def _all_takes(answers: Sequence[Answer]) -> list[Answer]:
    """Speaking over the question counts in any take, not only the chosen one."""
    out: list[Answer] = []
    for x in answers:
        for ti, take in enumerate(x.question.takes):
            out.append(x if ti == x.ti else Answer(x.qi, ti, x.question, take, x.analysis))
    return out


def _loudness_prompt(answers: Sequence[Answer], mic_check_dbfs: float | None) -> Prompt:
    """Louder than the user's microphone check (or, without one, this session's median), and
    clipping (feedback-science §5)."""
    levels = [
        x.analysis.loudness_dbfs for x in heard(answers) if x.analysis.loudness_dbfs is not None
    ]
    band = th.LOUDER_THAN_USUAL if mic_check_dbfs is None else th.LOUDER_THAN_MIC_CHECK
    baseline = mic_check_dbfs
    if baseline is None:
        baseline = statistics.median(levels) if len(levels) >= 2 else None
    evidence: list[Evidence] = []
    for x in answers:
        level = x.analysis.loudness_dbfs
        value = None if baseline is None or level is None else round(level - baseline, 2)
        why = "needs two answers with speech to compare" if level is not None else ""
        evidence.append(judged(band, value, x, why_missing=why))
    clipped = [
        judged(th.CLIPPING, float(x.analysis.clipped_samples), x)
        for x in answers
        if x.analysis.clipping
    ]
    prompt = make_prompt(
        "aggressive.loud", band, evidence + clipped,
        strength="Your loudness stayed even: no answer was much louder than your usual level.",
        fix=lambda b, m: f"Louder than your usual level, or clipping, in {names(b)}.",
        unmeasured="Loudness could not be compared: " + UNMEASURED,
    )  # fmt: skip
    if clipped and prompt.kind == FIX:
        bump = severity(th.CLIPPING, clipped)
        return Prompt(prompt.id, prompt.text, prompt.kind, prompt.evidence,
                      prompt.severity + bump, prompt.reliable, prompt.note)  # fmt: skip
    return prompt


def _follow_up_prompt(session: Session) -> Prompt:
    done = sum(1 for key, _ in FOLLOW_UP_ITEMS if session.checklist.get(key))
    total = f"of {len(FOLLOW_UP_ITEMS)}"
    ev = Evidence("follow_up_checked", "Follow-up steps ticked", float(done), total,
                  INFO, "a checklist for after a real interview", th.FOLLOW_UP_REASON)  # fmt: skip
    return Prompt(
        "aggressive.follow_up",
        "After a real interview: one thank-you note, then patience. Several unanswered emails or "
        "voicemails come across as pushy. Use the follow-up checklist.",
        NOTE,
        (ev,),
    )
