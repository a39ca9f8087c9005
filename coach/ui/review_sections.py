"""The review panel's content: focus, the three sections, comparison and answers as widgets.

Split from `review_view` so that module keeps loading, playback and export; this mixin only turns
a `Review` into widgets. The panel using it provides the layout, the lookup dicts the tests and
benchmarks read, and the actions the buttons and checkboxes call. The widgets are made by a
generator that yields after each small piece (a box, a prompt), so the view can spread the build
over several event-loop turns and the window keeps repainting while a long review is laid out.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.core.session import Session
from coach.measures import ANSWER_LIST, MEASURES
from coach.review.model import ChecklistItem, Evidence, Moment, Prompt, Review, Section
from coach.review.recording import recording_facts
from coach.ui.replay_widget import clock_text
from coach.ui.review_loading import Loaded
from coach.ui.wrapped_label import WrappedLabel

BAND_STYLE = {
    "good": ("#1e6b34", "good"),
    "watch": ("#8a5a00", "watch"),
    "flag": ("#a32020", "work on this"),
    "not measured": ("#666666", "not measured"),
    "info": ("#33507a", "for information"),
}
KIND_MARK = {"strength": "✓", "fix": "→", "info": "ℹ"}


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    whole = abs(value) >= 100 or float(value).is_integer()
    number = f"{value:.0f}" if whole else f"{value:.1f}"
    return f"{number} {unit}".strip()


def moment_text(m: Moment, session: Session) -> str:
    where = f"Q{m.question_index + 1}, take {m.take_index + 1}, at {clock_text(m.start_s)}"
    if m.question_index < len(session.questions):
        q = session.questions[m.question_index].text
        where += f" — “{q[:60]}{'…' if len(q) > 60 else ''}”"
    return f"{where}: {m.label}" if m.label else where


class ReviewSections:
    """Builds the review panel's widgets; mixed into `ReviewView`, which owns the state below."""

    title: QLabel
    content_layout: QVBoxLayout
    section_boxes: dict[str, QGroupBox]
    moment_buttons: list[tuple[QPushButton, Moment]]
    checkboxes: dict[str, QCheckBox]

    def play_moment(self, moment: Moment) -> None:
        raise NotImplementedError

    def open_answer(self, question_index: int) -> None:
        raise NotImplementedError

    def _tick(self, item_id: str, on: bool) -> None:
        raise NotImplementedError

    def _clear_panel(self, review: Review) -> None:
        """Remove the old content (deleted on the next event-loop turn) and set the title."""
        while self.content_layout.count():
            item = self.content_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.section_boxes.clear()
        self.moment_buttons.clear()
        self.checkboxes.clear()
        when = review.created_at.replace("T", " ")[:16]
        self.title.setText(f"<h2>Review — {html.escape(review.title or 'Interview')}</h2>{when}")

    def _panel_steps(self, loaded: Loaded) -> Iterator[None]:
        """Fill the cleared panel; yields after each piece, ending with the whole panel."""
        review, session = loaded.review, loaded.session
        add = self.content_layout.addWidget
        add(self._focus_box(review))
        yield
        for section in review.sections:
            yield from self._section_steps(section, review, session)
        if review.comparisons:
            add(self._comparison_box(review))
            yield
        add(self._answers_box(review))
        self.content_layout.addStretch(1)

    def _focus_box(self, review: Review) -> QGroupBox:
        box = QGroupBox("Top three things to work on")
        box.setStyleSheet(
            "QGroupBox { font-weight: bold; font-size: 15px; } QLabel { font-weight: normal; }"
        )
        layout = QVBoxLayout(box)
        if not review.focus:
            layout.addWidget(QLabel("Nothing stands out: keep practising the same way."))
        for n, item in enumerate(review.focus, start=1):
            label = WrappedLabel(
                f"<b>{n}. {html.escape(item.title)}</b><br>{html.escape(item.why)}"
                f"<br><i>Drill:</i> {html.escape(item.drill)}"
            )
            layout.addWidget(label)
        return box

    def _section_steps(self, section: Section, review: Review, session: Session) -> Iterator[None]:
        """Add the section's box with its verdict, then its prompts' pieces one per step."""
        box = QGroupBox(section.heading)
        box.setAccessibleName(section.heading)
        box.setStyleSheet("QGroupBox { font-weight: bold; font-size: 15px; }")
        self.section_boxes[section.heading] = box
        layout = QVBoxLayout(box)
        verdict = WrappedLabel(html.escape(section.verdict))
        verdict.setStyleSheet("font-size: 14px; font-weight: normal;")
        verdict.setAccessibleName("Verdict")
        layout.addWidget(verdict)
        self.content_layout.addWidget(box)
        for prompt in section.prompts:
            yield
            yield from self._prompt_steps(prompt, session, layout)
        from coach.review.model import AGGRESSIVE, PREPARED

        if section.heading == PREPARED:
            layout.addWidget(
                self._checklist("Before the next interview", review.preparation_checklist, session)
            )
        elif section.heading == AGGRESSIVE:
            layout.addWidget(
                self._checklist("After the interview", review.follow_up_checklist, session)
            )
        yield

    def _prompt_steps(
        self, prompt: Prompt, session: Session, parent: QVBoxLayout
    ) -> Iterator[None]:
        """Add the prompt's frame with its text, then its evidence one item per step."""
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setStyleSheet("QLabel { font-weight: normal; font-size: 13px; }")
        layout = QVBoxLayout(frame)
        text = WrappedLabel(f"<b>{KIND_MARK.get(prompt.kind, '')} {html.escape(prompt.text)}</b>")
        layout.addWidget(text)
        if prompt.note or not prompt.reliable:
            note = WrappedLabel(
                "⚠ " + html.escape(prompt.note or "This measure is not reliable here.")
            )
            note.setAccessibleName("Reliability note")
            note.setStyleSheet("background:#fff4d6; color:#3d2e00; padding:4px; font-weight:bold;")
            layout.addWidget(note)
        parent.addWidget(frame)
        for i, evidence in enumerate(prompt.evidence):
            if i:
                yield
            layout.addWidget(self._evidence_widget(evidence, session))

    def _evidence_widget(self, ev: Evidence, session: Session) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(16, 0, 0, 0)
        colour, band = BAND_STYLE.get(ev.band, ("#333", ev.band))
        source = ""
        if ev.question_index is not None:
            source = f" — from Q{ev.question_index + 1}"
            source += f", take {ev.take_index + 1}" if ev.take_index is not None else ""
        value = "" if ev.metric.startswith("content.") else (
            f"<b>{value_text(ev.value, ev.unit)}</b> — "
        )  # content findings are quotes, not numbers
        label = WrappedLabel(
            f"{html.escape(ev.label)}: {value}"
            f"<span style='color:{colour}'><b>{band}</b></span> "
            f"({html.escape(ev.band_text)}){source}"
            f"<br><span style='color:#555'>Why: {html.escape(ev.reason)}</span>"
        )
        label.setAccessibleName(f"Evidence: {ev.label}")
        layout.addWidget(label)
        for m in ev.moments:
            row = QHBoxLayout()
            where = WrappedLabel(html.escape(moment_text(m, session)))
            button = QPushButton("▶ Play moment")
            button.setAccessibleName("Play moment")
            button.setToolTip(
                f"Play Q{m.question_index + 1} take {m.take_index + 1} from {clock_text(m.start_s)}"
            )
            button.clicked.connect(lambda _=False, m=m: self.play_moment(m))
            self.moment_buttons.append((button, m))
            row.addWidget(button)
            row.addWidget(where, 1)
            layout.addLayout(row)
        return widget

    def _checklist(
        self, title: str, items: tuple[ChecklistItem, ...], session: Session
    ) -> QGroupBox:
        box = QGroupBox(title)
        box.setStyleSheet("QGroupBox { font-weight: bold; font-size: 13px; }")
        layout = QVBoxLayout(box)
        for item in items:
            check = QCheckBox(item.text)
            check.setAccessibleName(item.text)
            check.setStyleSheet("font-weight: normal;")
            check.setChecked(session.checklist.get(item.id, item.checked))
            check.toggled.connect(lambda on, item_id=item.id: self._tick(item_id, on))
            self.checkboxes[item.id] = check
            layout.addWidget(check)
        return box

    def _comparison_box(self, review: Review) -> QGroupBox:
        box = QGroupBox("Compared with last time")
        layout = QVBoxLayout(box)
        table = QTableWidget(len(review.comparisons), 4)
        table.setAccessibleName("Compared with last time")
        table.setHorizontalHeaderLabels(["Measure", "Last time", "This time", "Better when"])
        for row, c in enumerate(review.comparisons):
            cells = (
                c.label,
                value_text(c.previous, c.unit),
                value_text(c.current, c.unit),
                c.better,
            )
            for col, text in enumerate(cells):
                table.setItem(row, col, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumHeight(min(40 + 30 * len(review.comparisons), 260))
        layout.addWidget(table)
        return box

    def _answers_box(self, review: Review) -> QGroupBox:
        box = QGroupBox("Your answers")
        layout = QVBoxLayout(box)
        for a in review.answers:
            row = QHBoxLayout()
            facts = [clock_text(a.duration_s)]
            for key in ANSWER_LIST:
                if (value := getattr(a, key)) is not None:
                    facts.append(MEASURES[key].card_text(value))
            if a.low_accuracy:
                facts.append("transcript of low accuracy")
            facts += recording_facts(a.noisy_snr_db, a.quiet_dbfs, cut_short=a.cut_short)
            label = WrappedLabel(
                f"<b>Q{a.question_index + 1}.</b> {html.escape(a.question)} — {', '.join(facts)}"
            )
            button = QPushButton("Open answer")
            button.setAccessibleName(f"Open answer {a.question_index + 1}")
            button.clicked.connect(lambda _=False, q=a.question_index: self.open_answer(q))
            row.addWidget(label, 1)
            row.addWidget(button)
            layout.addLayout(row)
        if not review.answers:
            layout.addWidget(QLabel("No answers were recorded in this session."))
        return box
