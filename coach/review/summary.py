"""The one-screen summary at the top of the review: three verdicts, one chip per answer, fixes.

Qt-free and built from a `Review` only, so the panel and the exported report show the same thing.
A chip's band is the worst band among the measures of its section for that answer; it carries
those measures (its evidence), so no colour stands without the numbers behind it. An answer with
no judged measure in a section is "not measured", never "good".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.review.model import (
    AGGRESSIVE,
    FIX,
    FLAG,
    GOOD,
    INFO,
    NOT_MEASURED,
    STRENGTH,
    WATCH,
    Comparison,
    Evidence,
    FocusItem,
    Prompt,
    Review,
    Section,
)

# Worst first; colour is never the only sign: each band has a symbol and a word too.
RANK = {FLAG: 4, WATCH: 3, GOOD: 2, INFO: 1, NOT_MEASURED: 0}
SYMBOL = {GOOD: "✓", WATCH: "!", FLAG: "✗", NOT_MEASURED: "–", INFO: "i"}
WORD = {
    GOOD: "good",
    WATCH: "watch",
    FLAG: "work on this",
    NOT_MEASURED: "not measured",
    INFO: "shown, not judged",
}
SHORT_TITLES = {
    "Were your answers engaging?": "Engaging?",
    "Did you come across as too aggressive?": "Too aggressive?",
    "Were you prepared?": "Prepared?",
}
MAX_LISTED = 2
ARROWS = {"better": "▲ better", "worse": "▼ worse", "changed": "◆ changed", "same": "no change"}


@dataclass(frozen=True)
class Chip:
    """One answer in one section: its worst band and the measures that gave it."""

    heading: str
    question_index: int
    band: str
    evidence: tuple[Evidence, ...]

    @property
    def symbol(self) -> str:
        return SYMBOL.get(self.band, "?")

    @property
    def word(self) -> str:
        return WORD.get(self.band, self.band)

    @property
    def text(self) -> str:
        return f"Q{self.question_index + 1} {self.symbol}"

    @property
    def accessible_name(self) -> str:
        return f"Q{self.question_index + 1}: {self.word} — {self.heading}"

    def lines(self) -> list[str]:
        """The measures behind the colour, one line each (the chip's tooltip and report cell)."""
        out = []
        for e in self.evidence:
            value = "" if e.value is None else f" {_plain(e.value)} {e.unit}".rstrip()
            out.append(f"{e.label}:{value} — {WORD.get(e.band, e.band)} ({e.band_text})")
        return out


@dataclass(frozen=True)
class SectionSummary:
    heading: str
    verdict: str
    """One line; the section's full verdict is in the evidence."""
    chips: tuple[Chip, ...]


@dataclass(frozen=True)
class Change:
    label: str
    text: str
    direction: str  # "better" | "worse" | "changed" | "same"


@dataclass(frozen=True)
class Summary:
    sections: tuple[SectionSummary, ...]
    fixes: tuple[FocusItem, ...]
    changes: tuple[Change, ...]
    has_previous: bool


def _plain(value: float) -> str:
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}"


def worst_band(evidence: Sequence[Evidence]) -> str:
    """The worst judged band; INFO if only shown values; NOT_MEASURED if nothing was taken."""
    if not evidence:
        return NOT_MEASURED
    return max((e.band for e in evidence), key=lambda b: RANK.get(b, 0))


def _chips(section: Section, questions: Sequence[int]) -> tuple[Chip, ...]:
    chips = []
    for qi in questions:
        evidence = tuple(e for p in section.prompts for e in p.evidence if e.question_index == qi)
        chips.append(Chip(section.heading, qi, worst_band(evidence), evidence))
    return tuple(chips)


def _listed(prompts: Sequence[Prompt], kind: str) -> str:
    labels = list(dict.fromkeys(p.evidence[0].label.lower() for p in prompts
                                if p.kind == kind and p.evidence))  # fmt: skip
    if len(labels) > MAX_LISTED:
        return ", ".join(labels[:MAX_LISTED]) + f" and {len(labels) - MAX_LISTED} more"
    return ", ".join(labels)


def one_line(section: Section) -> str:
    """The verdict in one short line (the fixes are ranked by severity in the section)."""
    fixes = sorted((p for p in section.prompts if p.kind == FIX), key=lambda p: -p.severity)
    strengths = [p for p in section.prompts if p.kind == STRENGTH]
    if not fixes and not strengths:
        return "Not measured: too little reliable speech to say."
    if section.heading == AGGRESSIVE:
        if not fixes:
            return "No sign of it in what was measured."
        return f"Some moments could sound pushy: {_listed(fixes, FIX)}."
    if not fixes:
        return "Yes, by every measure taken."
    if strengths:
        return f"Partly. To work on: {_listed(fixes, FIX)}."
    return f"Not yet. To work on: {_listed(fixes, FIX)}."


def _change(c: Comparison) -> Change | None:
    if c.previous is None or c.current is None:
        return None
    delta = c.current - c.previous
    text = f"{_plain(c.previous)} → {_plain(c.current)} {c.unit}".rstrip()
    if abs(delta) < 1e-9:
        return Change(c.label, text, "same")
    if c.better == "in band":
        return Change(c.label, text, "changed")
    better = (delta > 0) == (c.better == "higher")
    return Change(c.label, text, "better" if better else "worse")


def summarize(review: Review) -> Summary:
    questions = sorted({a.question_index for a in review.answers})
    sections = tuple(
        SectionSummary(s.heading, one_line(s), _chips(s, questions)) for s in review.sections
    )
    found = [ch for c in review.comparisons if (ch := _change(c)) is not None]
    order = {"better": 0, "worse": 0, "changed": 1, "same": 2}  # what moved first
    changes = tuple(sorted(found, key=lambda ch: order[ch.direction]))
    return Summary(sections, review.focus, changes, bool(review.comparisons))


__all__ = ["Change", "Chip", "SectionSummary", "Summary", "one_line", "summarize", "worst_band"]
