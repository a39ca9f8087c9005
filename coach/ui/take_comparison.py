"""The old take beside the new one after "Practise this again": each measure, both values and
bands, and which way it moved (symbols and words, not colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from coach.analysis.results import AnswerAnalysis
from coach.review.summary import SYMBOL, WORD
from coach.review.take_compare import BETTER, WORSE, MeasureChange, Side, compare_takes
from coach.ui.review_sections import value_text
from coach.ui.theme import band_colours, is_dark

CHANGE_TEXT = {BETTER: "▲ better", WORSE: "▼ worse", "same": "= no change",
               "not compared": "– not compared"}  # fmt: skip


class TakeComparison(QWidget):
    """Call `show_takes(old, new, "Take 1", "Take 2")`; `rows` keeps the compared measures."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Old and new take compared")
        self.rows: tuple[MeasureChange, ...] = ()
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What changed")
        self.grid_frame = QFrame()
        self.grid_frame.setObjectName("compareGrid")
        self.grid_frame.setStyleSheet(
            "QFrame#compareGrid { border: 1px solid palette(mid); border-radius: 8px;"
            " background: palette(base); }"
        )
        self.grid = QGridLayout(self.grid_frame)
        self.grid.setContentsMargins(14, 10, 14, 10)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid_frame)
        layout.addStretch(1)

    def show_takes(
        self, before: AnswerAnalysis, after: AnswerAnalysis, before_name: str, after_name: str,
        question: str = "",
    ) -> None:  # fmt: skip
        self.rows = compare_takes(before, after)
        self.title.setText(
            f"{before_name} and {after_name}" + (f" — {question}" if question else "")
        )
        better = [r.label for r in self.rows if r.change == BETTER]
        worse = [r.label for r in self.rows if r.change == WORSE]
        parts = []
        if better:
            parts.append("Better: " + ", ".join(better) + ".")
        if worse:
            parts.append("Worse: " + ", ".join(worse) + ".")
        self.summary.setText(" ".join(parts) or "No measure moved to another band.")
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for col, text in enumerate(("Measure", before_name, after_name, "Change")):
            header = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(header, 0, col)
        dark = is_dark(self)
        for row, m in enumerate(self.rows, start=1):
            name = QLabel(f"<b>{m.label}</b>" if m.changed else m.label)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(self._cell(m.before, m.unit, dark), row, 1)
            self.grid.addWidget(self._cell(m.after, m.unit, dark), row, 2)
            change = QLabel(CHANGE_TEXT.get(m.change, m.change))
            change.setAccessibleName(f"{m.label}: {m.change}")
            if m.changed:
                colour = band_colours("good" if m.change == BETTER else "flag", dark)[1]
                change.setStyleSheet(f"color: {colour}; font-weight: 600;")
            self.grid.addWidget(change, row, 3)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(2, 3)
        self.grid.setColumnStretch(3, 2)

    @staticmethod
    def _cell(side: Side, unit: str, dark: bool) -> QLabel:
        bg, fg, _border = band_colours(side.band, dark)
        words = WORD.get(side.band, side.band)
        value = "" if side.value is None else f"{value_text(side.value, unit)} · "
        text = f"{value}{SYMBOL.get(side.band, '')} {words}"
        label = QLabel(text)
        label.setToolTip(side.why or words)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        label.setStyleSheet(f"background: {bg}; color: {fg}; border-radius: 4px; padding: 2px 6px;")
        return label
