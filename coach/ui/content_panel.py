"""The answer view's content feedback: the STAR breakdown as highlighted sentences, the
improvement and a better outline, naming the engine that wrote them.

Each part has a colour and a text label ("Situation", "Action"...), so the breakdown does not
rely on colour alone; every sentence with word times is a link that plays it ("t:<seconds>").
The saved `.content.json` is read on a lane (`load_content`), never on the window's thread.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget

from coach.content.star_cues import PARTS
from coach.review.content_prompts import ANSWERED_TEXT, engine_name
from coach.storage import content_path

PART_STYLE = {
    "situation": ("#dbeafe", "Situation"),
    "task": ("#ede9fe", "Task"),
    "action": ("#dcfce7", "Action"),
    "result": ("#fef3c7", "Result"),
}
BLAME_STYLE = ("#fde2e2", "Blame")
MISSING = re.compile(r"\[[^\]]+\]")


def load_content(audio: Path) -> dict[str, Any] | None:
    """The take's saved content feedback, or None (not made yet, or unreadable)."""
    try:
        data = json.loads(content_path(audio).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _tag(colour: str, label: str) -> str:
    return (
        f"<span style='background:{colour};color:#222'>&nbsp;<b>{html.escape(label)}</b>&nbsp;"
        "</span>"
    )


def _sentence_rows(c: Mapping[str, Any]) -> list[str]:
    """Each sentence with its STAR tags (colour + word) and a link to play it."""
    numbers = c.get("part_sentences") or {}
    blame = set(c.get("blame") or ())
    rows = []
    for s in c.get("sentences") or ():
        n, text = s.get("number"), str(s.get("text", ""))
        parts = [p for p in PARTS if n in (numbers.get(p) or ())]
        tags = [_tag(*PART_STYLE[p]) for p in parts]
        if text in blame:
            tags.append(_tag(*BLAME_STYLE))
        colour = PART_STYLE[parts[0]][0] if parts else "transparent"
        body = html.escape(text)
        if s.get("start_s") is not None:
            body = (
                f"<a href='t:{float(s['start_s']):.2f}' style='color:#222;"
                f"text-decoration:none'>{body}</a>"
            )
        rows.append(
            f"<tr><td width='120'>{' '.join(tags) or '&nbsp;'}</td>"
            f"<td style='background:{colour}'>{body}</td></tr>"
        )
    return rows


def _outline_item(point: str) -> str:
    """An outline point with its [missing] marks shown as gaps to fill."""
    out, last = [], 0
    for m in MISSING.finditer(point):
        out.append(html.escape(point[last : m.start()]))
        out.append(
            f"<span style='background:#fff4d6;color:#3d2e00'><b>missing: "
            f"{html.escape(m.group()[1:-1])}</b></span>"
        )
        last = m.end()
    out.append(html.escape(point[last:]))
    return f"<li>{''.join(out)}</li>"


def content_html(c: Mapping[str, Any] | None) -> str:
    """The whole panel as HTML (pure: the tests and screenshots read it)."""
    if c is None:
        return (
            "<p><i>No content feedback for this take yet: it is made in the background after "
            "the take's analysis.</i></p>"
        )
    head = f"<h4>What you said — content feedback from {html.escape(engine_name(c))}</h4>"
    if not c.get("measured", True):
        return head + "<p>Not measured: no words were recognised in this take.</p>"
    out = [head]
    if c.get("note"):
        out.append(f"<p style='color:#6b4e00'>⚠ {html.escape(str(c['note']))}</p>")
    answered = c.get("answered_question")
    if answered in ANSWERED_TEXT:
        out.append(f"<p><b>The question:</b> you {ANSWERED_TEXT[answered]} ({answered}).</p>")
    missing = [PART_STYLE[p][1] for p in PARTS if not (c.get("parts") or {}).get(p)]
    star = "all four STAR parts found" if not missing else "missing: " + ", ".join(missing)
    out.append(f"<p><b>STAR breakdown</b> ({star}) — click a sentence to hear it:</p>")
    out.append("<table cellspacing='2' cellpadding='3'>" + "".join(_sentence_rows(c)) + "</table>")
    for point in (c.get("improvements") or ())[:1]:
        quote = f" <i>(“{html.escape(point['quote'])}”)</i>" if point.get("quote") else ""
        out.append(f"<p><b>One improvement:</b> {html.escape(str(point['text']))}{quote}</p>")
    if c.get("outline"):
        items = "".join(_outline_item(str(p)) for p in c["outline"])
        out.append(f"<p><b>A better outline of the same story:</b></p><ol>{items}</ol>")
    if c.get("follow_up"):
        out.append(
            f"<p><b>An interviewer might ask next:</b> {html.escape(str(c['follow_up']))}</p>"
        )
    return "".join(out)


class ContentPanel(QTextBrowser):
    """Read-only; links "t:<seconds>" are handled by the answer view (play from there)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Content feedback")
        self.setOpenLinks(False)
        self.setMinimumHeight(220)
        self.content: dict[str, Any] | None = None

    def show_content(self, content: dict[str, Any] | None) -> None:
        self.content = content
        self.setHtml(content_html(content))
