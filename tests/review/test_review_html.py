"""The HTML report: headings, numbers, an embedded chart, and it parses."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

from coach.review import HEADINGS, review_session
from coach.review.html_report import render_html

Factory = Callable[..., Any]


def _png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, grey) PNG built by hand, so no imaging library is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        if tag == "script":
            self.scripts += 1
        self._in_heading = tag in ("h1", "h2", "h3")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings.append(data)


def test_report_has_headings_numbers_and_an_embedded_chart(build_session: Factory) -> None:
    built = build_session([["jfk"], ["libri"], ["short"]])
    review = review_session(built.folder, built.store.root)
    png = _png()
    html = render_html(review, {"pace": png})
    parser = _Collect()
    parser.feed(html)
    parser.close()
    for heading in HEADINGS:
        assert heading in parser.headings
    assert parser.scripts == 0
    assert len(parser.images) == 1 and parser.images[0].startswith("data:image/png;base64,")
    assert base64.b64decode(parser.images[0].split(",", 1)[1]) == png
    assert "table" in parser.tags
    wpm = review.answers[0].words_per_minute
    assert wpm is not None
    assert f"{wpm:.2f}".rstrip("0").rstrip(".") in html  # the pace number itself is shown
    assert "not measured" in html  # the 2.8 s clip is not judged


def test_report_without_charts_and_rejects_non_png(build_session: Factory) -> None:
    built = build_session([["jfk"]])
    review = review_session(built.folder, built.store.root)
    assert "<img" not in render_html(review)
    with pytest.raises(ValueError, match="not PNG"):
        render_html(review, {"pace": b"GIF89a"})


def test_report_opens_with_the_same_summary_as_the_panel(build_session: Factory) -> None:
    from coach.review.summary import summarize

    built = build_session([["jfk"], ["libri"], ["short"]])
    review = review_session(built.folder, built.store.root)
    html = render_html(review)
    glance = html.index("At a glance")
    assert glance < html.index("Top three things to work on") < html.index(f">{HEADINGS[0]}</h2>")
    summary = summarize(review)
    top = html[glance : html.index(f">{HEADINGS[0]}</h2>")]
    for s in summary.sections:
        assert s.verdict in top.replace("&#x27;", "'")
        for chip in s.chips:
            assert f"<b>{chip.text}</b><br>{chip.word.replace(' ', '&nbsp;')}" in top
    # the 2.8 s answer (about 1 s of voice) is "not measured" in all three sections
    assert top.count("<b>Q3 –</b><br>not&nbsp;measured") == 3
