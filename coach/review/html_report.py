"""The review as one self-contained HTML page (charts embedded as data: URIs).

Kept to the subset QTextDocument renders, because the PDF export prints this same HTML with
QTextDocument/QPdfWriter: tables, h1-h3, p, b/i, img and inline colour styles; no CSS layout, no JS.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

from coach.review.html_summary import anchor, render_summary
from coach.review.model import (
    FLAG,
    GOOD,
    INFO,
    NOT_MEASURED,
    WATCH,
    ChecklistItem,
    Comparison,
    Evidence,
    Review,
)
from coach.review.recording import recording_advice
from coach.review.summary import summarize

_BAND_COLOUR = {GOOD: "#1b7a34", WATCH: "#a86400", FLAG: "#b3261e", NOT_MEASURED: "#666666",
                INFO: "#2b5797"}  # fmt: skip
_KIND_TITLE = {"strength": "Went well", "fix": "To work on", "info": "Note"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return f"{text} {unit}".rstrip()


def _moments(ev: Evidence) -> str:
    parts = []
    for m in ev.moments[:6]:
        span = f"{m.start_s:.1f} s" + (f"–{m.end_s:.1f} s" if m.end_s is not None else "")
        label = f" {escape(m.label)}" if m.label else ""
        parts.append(f"Q{m.question_index + 1} take {m.take_index + 1} at {span}{label}")
    more = f" (+{len(ev.moments) - 6} more)" if len(ev.moments) > 6 else ""
    return "; ".join(parts) + more


def _evidence_table(evidence: tuple[Evidence, ...]) -> str:
    rows = []
    for ev in evidence:
        colour = _BAND_COLOUR.get(ev.band, "#000000")
        rows.append(
            "<tr>"
            f"<td>{escape(ev.label)}</td>"
            f"<td>{escape(_num(ev.value, ev.unit))}</td>"
            f'<td><span style="color:{colour}"><b>{escape(ev.band)}</b></span>: '
            f"{escape(ev.band_text)}</td>"
            f"<td>{_moments(ev)}</td>"
            "</tr>"
        )
    head = "<tr><th>Measure</th><th>Value</th><th>Band</th><th>Where</th></tr>"
    # the reason and source once per measure, not once per answer
    reasons = dict.fromkeys(e.reason for e in evidence if e.reason)
    why = "".join(f"<p><i>Why: {escape(r)}</i></p>" for r in reasons)
    table = f'<table border="1" cellspacing="0" cellpadding="3">{head}{"".join(rows)}</table>'
    return table + why


def _checklist(title: str, items: tuple[ChecklistItem, ...]) -> str:
    lines = "".join(
        f"<tr><td>{'☑' if i.checked else '☐'}</td><td>{escape(i.text)}</td></tr>" for i in items
    )
    return f"<h3>{escape(title)}</h3><table>{lines}</table>"


def _comparisons(rows: tuple[Comparison, ...]) -> str:
    if not rows:
        return "<p>No earlier session to compare with.</p>"
    body = "".join(
        f"<tr><td>{escape(c.label)}</td><td>{escape(_num(c.previous, c.unit))}</td>"
        f"<td>{escape(_num(c.current, c.unit))}</td><td>{escape(c.better)}</td></tr>"
        for c in rows
    )
    return (
        '<table border="1" cellspacing="0" cellpadding="3"><tr><th>Measure</th>'
        f"<th>Last time</th><th>This time</th><th>Better is</th></tr>{body}</table>"
    )


def _charts(charts: Mapping[str, bytes]) -> str:
    out = []
    for name, png in charts.items():
        if not png.startswith(PNG_MAGIC):
            raise ValueError(f"chart {name!r} is not PNG data")
        data = base64.b64encode(png).decode("ascii")
        out.append(f'<p><img src="data:image/png;base64,{data}" alt="{escape(name)}"></p>')
    return "".join(out)


def render_html(review: Review, charts: Mapping[str, bytes] | None = None) -> str:
    """A complete HTML document; `charts` maps a name ("pace", "pitch") to PNG bytes."""
    title = escape(review.title or "Interview practice")
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8">',
        f"<title>{title}: review</title></head><body>",
        f"<h1>{title}</h1><p>Session {escape(review.session_id)}, {escape(review.created_at)}"
        "</p><p><i>Observed behaviour and its measures only: no overall score.</i></p>",
    ]
    parts.append(render_summary(summarize(review)))
    for section in review.sections:
        parts.append(
            f'<a name="{anchor(section.heading)}"></a><h2>{escape(section.heading)}</h2>'
            f"<p><b>{escape(section.verdict)}</b></p>"
        )
        for prompt in section.prompts:
            kind = _KIND_TITLE.get(prompt.kind, prompt.kind)
            note = f"<br><i>{escape(prompt.note)}</i>" if prompt.note else ""
            parts.append(f"<h3>{escape(kind)}</h3><p>{escape(prompt.text)}{note}</p>")
            if prompt.evidence:
                parts.append(_evidence_table(prompt.evidence))
    parts.append("<h2>Compared with last time</h2>" + _comparisons(review.comparisons))
    if charts:
        parts.append("<h2>Charts</h2>" + _charts(charts))
    parts.append(_checklist("Before the interview", review.preparation_checklist))
    parts.append(_checklist("After the interview", review.follow_up_checklist))
    parts.append("<h2>Answers</h2>")
    for a in review.answers:
        accuracy = " <i>(basic recogniser: words may be wrong)</i>" if a.low_accuracy else ""
        for advice in recording_advice(a.noisy_snr_db, a.quiet_dbfs):
            accuracy += f" <i>({escape(advice)})</i>"
        parts.append(
            f"<h3>Q{a.question_index + 1}: {escape(a.question)}</h3>"
            f"<p>Take {a.take_index + 1}, {a.duration_s:.1f} s, "
            f"{escape(_num(a.words_per_minute, 'WPM'))}{accuracy}</p>"
            f"<p>{escape(a.transcript) or '<i>no transcript</i>'}</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)
