"""The review's first screen: the three questions with one chip per answer, the top three fixes
and the change since last time, on one screen at 1280×800 without scrolling.

A thin view of `coach.review.summary`. Every chip, heading and fix is a button that asks for its
evidence (the view behind it opens the measures, bands, quotes and play buttons); "Practise this
again" asks for a one-question interview of that answer with (session, question index).
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coach.core.session import Session
from coach.review.model import FocusItem, Review
from coach.review.summary import (
    ARROWS,
    SHORT_TITLES,
    SYMBOL,
    WORD,
    Change,
    Chip,
    Summary,
    summarize,
)
from coach.ui.theme import band_colours, is_dark
from coach.ui.wrapped_label import WrappedLabel

LEGEND_BANDS = ("good", "watch", "flag", "not measured")


def _card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    frame.setStyleSheet(
        "QFrame#card { border: 1px solid palette(mid); border-radius: 8px;"
        " background: palette(base); }"
    )
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.setSpacing(6)
    return frame, layout


def _heading(text: str, scale: float = 1.2) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class ChipButton(QPushButton):
    """One answer's band in one section: number, symbol and word, never colour alone."""

    def __init__(self, chip: Chip, dark: bool) -> None:
        super().__init__(f"{chip.text}\n{chip.word}")
        self.chip = chip
        self.setAccessibleName(chip.accessible_name)
        self.setToolTip(
            f"Q{chip.question_index + 1} — {chip.word}. Click for the evidence.\n"
            + "\n".join(chip.lines())
        )
        bg, fg, border = band_colours(chip.band, dark)
        style = "dashed" if chip.band == "not measured" else "solid"
        self.setStyleSheet(
            f"QPushButton {{ background: {bg}; color: {fg}; border: 2px {style} {border};"
            " border-radius: 6px; padding: 4px 8px; font-weight: 600; }"
            f"QPushButton:focus {{ border: 2px solid palette(highlight); }}"
        )
        self.setMinimumWidth(84)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


class ReviewSummary(QWidget):
    """The summary page; emits what the user asked to see or to practise."""

    evidence_requested = Signal(str, int)  # section heading, question index (-1: all answers)
    fix_requested = Signal(str)  # prompt id of a top fix
    everything_requested = Signal()
    practise_requested = Signal(object, int)  # Session, question index

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None
        self.summary: Summary | None = None
        self.chips: dict[str, list[ChipButton]] = {}
        self.section_buttons: dict[str, QPushButton] = {}
        self.fix_buttons: list[QPushButton] = []
        self.practise_buttons: list[QPushButton] = []
        self.verdict_labels: dict[str, QLabel] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(10)
        self._body: QWidget | None = None

    def show_review(self, review: Review, session: Session) -> None:
        """Replace the summary with this review's, all at once."""
        for _ in self.build_steps(review, session):
            pass

    def build_steps(self, review: Review, session: Session) -> Iterator[None]:
        """Replace the summary card by card, yielding after each, so the review view can spread
        the work over event-loop turns (the window repaints between cards)."""
        self.session = session
        self.summary = summarize(review)
        self.chips.clear()
        self.section_buttons.clear()
        self.fix_buttons.clear()
        self.practise_buttons.clear()
        self.verdict_labels.clear()
        if self._body is not None:
            self._layout.removeWidget(self._body)
            self._body.deleteLater()
        self._body = QWidget()
        grid = QGridLayout(self._body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        left = QVBoxLayout()
        left.setSpacing(10)
        right = QVBoxLayout()
        right.setSpacing(10)
        grid.addLayout(left, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(right, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 11)
        grid.setColumnStretch(1, 9)
        grid.setRowStretch(1, 1)
        self._layout.addWidget(self._body)
        left.addWidget(_heading("How it went", 1.3))
        right.addWidget(_heading("Top three things to work on", 1.3))
        for s in self.summary.sections:
            left.addWidget(self._section_card(s.heading, s.verdict, s.chips))
            yield
        left.addWidget(self._legend())
        if not self.summary.fixes:
            right.addWidget(WrappedLabel("Nothing stands out: keep practising the same way."))
        for n, item in enumerate(self.summary.fixes, start=1):
            right.addWidget(self._fix_card(n, item))
            yield
        right.addWidget(self._changes_card(self.summary.changes, self.summary.has_previous))
        everything = QPushButton("Show all the evidence")
        everything.setAccessibleName("Show all the evidence")
        everything.clicked.connect(self.everything_requested)
        grid.addWidget(everything, 2, 1, Qt.AlignmentFlag.AlignRight)

    def _section_card(self, heading: str, verdict: str, chips: tuple[Chip, ...]) -> QFrame:
        frame, layout = _card()
        frame.setAccessibleName(heading)
        top = QHBoxLayout()
        title = _heading(heading, 1.15)
        details = QPushButton("Evidence ›")
        details.setAccessibleName(f"Evidence: {heading}")
        details.setToolTip(f"Every measure behind “{heading}”")
        details.clicked.connect(lambda _=False, h=heading: self.evidence_requested.emit(h, -1))
        self.section_buttons[heading] = details
        top.addWidget(title, 1)
        top.addWidget(details)
        layout.addLayout(top)
        line = WrappedLabel(html.escape(verdict))
        line.setAccessibleName(f"Verdict: {SHORT_TITLES.get(heading, heading)}")
        self.verdict_labels[heading] = line
        layout.addWidget(line)
        row = QHBoxLayout()
        row.setSpacing(8)
        dark = is_dark(self)
        for chip in chips:
            button = ChipButton(chip, dark)
            button.clicked.connect(
                lambda _=False, c=chip: self.evidence_requested.emit(c.heading, c.question_index)
            )
            self.chips.setdefault(heading, []).append(button)
            row.addWidget(button)
        if not chips:
            row.addWidget(QLabel("No answers were recorded."))
        row.addStretch(1)
        layout.addLayout(row)
        return frame

    def _legend(self) -> QLabel:
        dark = is_dark(self)
        parts = []
        for band in LEGEND_BANDS:
            border = band_colours(band, dark)[2]
            parts.append(
                f"<span style='color:{border}'>■</span> <b>{SYMBOL[band]}</b> {WORD[band]}"
            )
        label = QLabel("Each chip is one answer: " + " &nbsp; ".join(parts))
        label.setAccessibleName("Legend")
        label.setWordWrap(True)
        return label

    def _fix_card(self, n: int, item: FocusItem) -> QFrame:
        frame, layout = _card()
        frame.setAccessibleName(f"Fix {n}: {item.title}")
        layout.addWidget(_heading(f"{n}. {item.title}", 1.05))
        why = WrappedLabel(html.escape(item.why))
        why.setAccessibleName(f"Why fix {n}")
        layout.addWidget(why)
        drill = WrappedLabel(f"<i>Drill:</i> {html.escape(item.drill)}")
        drill.setAccessibleName(f"Drill {n}")
        layout.addWidget(drill)
        row = QHBoxLayout()
        evidence = QPushButton("Evidence ›")
        evidence.setAccessibleName(f"Evidence for fix {n}")
        evidence.clicked.connect(lambda _=False, p=item.prompt_id: self.fix_requested.emit(p))
        self.fix_buttons.append(evidence)
        row.addWidget(evidence)
        row.addStretch(1)
        if item.question_index is not None:
            practise = QPushButton(f"Practise this again (Q{item.question_index + 1})")
            practise.setAccessibleName(f"Practise this again: fix {n}")
            practise.clicked.connect(lambda _=False, q=item.question_index: self._practise(q))
            self.practise_buttons.append(practise)
            row.addWidget(practise)
        layout.addLayout(row)
        return frame

    def _practise(self, question_index: int) -> None:
        if self.session is not None:
            self.practise_requested.emit(self.session, question_index)

    def _changes_card(self, changes: tuple[Change, ...], has_previous: bool) -> QFrame:
        frame, layout = _card()
        frame.setAccessibleName("Since last time")
        layout.addWidget(_heading("Since last time", 1.05))
        if not has_previous:
            text = "This is your first session: the next one will be compared with it."
        elif not changes:
            text = "Nothing measured in both sessions to compare."
        else:
            text = "<br>".join(
                f"{html.escape(c.label)}: {html.escape(c.text)} — {ARROWS[c.direction]}"
                for c in changes[:4]
            )
            if len(changes) > 4:
                text += f"<br><i>and {len(changes) - 4} more in the evidence</i>"
        label = WrappedLabel(text)
        label.setAccessibleName("Changes since last time")
        label.setObjectName("changes")
        layout.addWidget(label)
        return frame
