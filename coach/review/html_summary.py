"""The one-screen summary as the first part of the exported report (QTextDocument HTML subset).

Same content as the panel's first screen (coach.review.summary): the three questions with one
cell per answer (number, symbol and word, not colour alone), the top three fixes with their drill,
and the change since last time. Each answer cell links to that section's evidence below.
"""

from __future__ import annotations

from html import escape

from coach.review.summary import ARROWS, Summary

# band -> (background, text): the light palette of the app's chips
_CELL = {
    "good": ("#e3f3e6", "#14532d"),
    "watch": ("#fff1d6", "#6b4100"),
    "flag": ("#fde3e1", "#8a1c14"),
    "not measured": ("#eeeeee", "#404040"),
    "info": ("#e4ecf7", "#1f3d66"),
}


def anchor(heading: str) -> str:
    """The id of a section's evidence in the report."""
    return "section-" + "".join(c for c in heading.lower() if c.isalnum())


def render_summary(summary: Summary) -> str:
    parts = ["<h2>At a glance</h2>", '<table width="100%" cellspacing="3" cellpadding="4">']
    for s in summary.sections:
        cells = []
        width = 65 // max(len(s.chips), 1)  # the question and its verdict take 35 %
        for chip in s.chips:
            bg, fg = _CELL.get(chip.band, _CELL["not measured"])
            title = escape("; ".join(chip.lines()))
            cells.append(
                f'<td width="{width}%" style="background-color:{bg}; color:{fg}" '
                f'title="{title}">'
                f'<a href="#{anchor(s.heading)}" style="color:{fg}; text-decoration:none">'
                f"<b>{escape(chip.text)}</b><br>{escape(chip.word).replace(' ', '&nbsp;')}</a></td>"
            )
        parts.append(
            f'<tr><td width="35%"><b><a href="#{anchor(s.heading)}">{escape(s.heading)}</a></b><br>'
            f"{escape(s.verdict)}</td>{''.join(cells)}</tr>"
        )
    parts.append("</table>")
    parts.append(
        "<p><i>Each cell is one answer: ✓ good, ! watch, ✗ work on this, – not measured. "
        "The measures behind every cell are in that section below.</i></p>"
    )
    if summary.fixes:
        parts.append('<h2>Top three things to work on</h2><table cellpadding="3">')
        for n, f in enumerate(summary.fixes, 1):
            parts.append(
                f"<tr><td><b>{n}.</b></td><td><b>{escape(f.title)}</b><br>{escape(f.why)}"
                f"<br><i>Drill:</i> {escape(f.drill)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h3>Since last time</h3>")
    if not summary.has_previous:
        parts.append("<p>This is your first session: the next one will be compared with it.</p>")
    elif not summary.changes:
        parts.append("<p>Nothing measured in both sessions to compare.</p>")
    else:
        parts.append(
            "<p>"
            + "<br>".join(
                f"{escape(c.label)}: {escape(c.text)} — {ARROWS[c.direction]}"
                for c in summary.changes
            )
            + "</p>"
        )
    return "".join(parts)
