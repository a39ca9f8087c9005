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
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.core.session import Session
from coach.measures import ANSWER_LIST, MEASURES
from coach.review.model import ChecklistItem, Evidence, Moment, Prompt, Review, Section
from coach.review.recording import recording_facts
from coach.review.summary import SYMBOL
from coach.ui.replay_widget import clock_text
from coach.ui.review_loading import Loaded
from coach.ui.review_summary import ReviewSummary
from coach.ui.theme import band_colours, is_dark
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
    # What the evidence filter shows or hides: (heading, prompt id, frame, question indices),
    # (heading, prompt id, question index, widget) and the boxes of the whole-session overview.
    prompt_frames: list[tuple[str, str, QFrame, frozenset[int]]]
    evidence_rows: list[tuple[str, str, int | None, QWidget]]
    overview_boxes: list[QWidget]
    reliability_notes: list[tuple[QWidget, str]]
    scroll_area: QScrollArea
    summary: ReviewSummary
    pages: QStackedWidget
    evidence_filter: tuple[str | None, int | None, str | None]
    back_button: QPushButton
    filter_label: QLabel
    all_button: QPushButton
    again_button: QPushButton

    def play_moment(self, moment: Moment) -> None:
        raise NotImplementedError

    def open_answer(self, question_index: int) -> None:
        raise NotImplementedError

    def _tick(self, item_id: str, on: bool) -> None:
        raise NotImplementedError

    def practise(self, question_index: int) -> None:
        raise NotImplementedError

    def show_summary(self) -> None:
        raise NotImplementedError

    def _practise_filtered(self) -> None:
        raise NotImplementedError

    def filter_evidence(
        self, heading: str | None, question_index: int | None, prompt_id: str | None
    ) -> None:
        """Show only one section, one answer or one fix's prompt (None: no limit on that)."""
        if prompt_id is not None and heading is None:  # a fix: only the section it is in
            heading = next((h for h, pid, _f, _q in self.prompt_frames if pid == prompt_id), None)
        for name, box in self.section_boxes.items():
            box.setVisible(heading is None or name == heading)
        for _heading, pid, frame, questions in self.prompt_frames:
            frame.setVisible(
                (prompt_id is None or pid == prompt_id)
                and (question_index is None or question_index in questions or not questions)
            )
        for _heading, _pid, qi, widget in self.evidence_rows:
            widget.setVisible(question_index is None or qi is None or qi == question_index)
        for note, text in self.reliability_notes:  # "Not judged for Q3" is noise beside Q4
            note.setVisible(question_index is None or f"Q{question_index + 1}" in text
                            or "Q" not in text)  # fmt: skip
        whole = heading is None and question_index is None and prompt_id is None
        for overview in self.overview_boxes:
            overview.setVisible(whole)

    def _evidence_page(self) -> QWidget:
        """The evidence page: a bar saying what is shown (with the way back), then the panel."""
        self.back_button = QPushButton("‹ Back to the summary")
        self.back_button.setAccessibleName("Back to the summary")
        self.back_button.clicked.connect(self.show_summary)
        self.filter_label = QLabel()
        self.filter_label.setAccessibleName("Evidence shown")
        self.filter_label.setWordWrap(True)
        self.all_button = QPushButton("Show all the evidence")
        self.all_button.setAccessibleName("Show all the evidence")
        self.all_button.clicked.connect(lambda: self.show_evidence())
        self.again_button = QPushButton("Practise this again")
        self.again_button.setAccessibleName("Practise this answer again")
        self.again_button.clicked.connect(self._practise_filtered)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.filter_label, 1)
        bar.addWidget(self.again_button)
        bar.addWidget(self.all_button)
        page = QWidget()
        el = QVBoxLayout(page)
        el.setContentsMargins(0, 0, 0, 0)
        el.addLayout(bar)
        el.addWidget(self.scroll_area, 1)
        return page

    def show_evidence(
        self,
        heading: str | None = None,
        question_index: int | None = None,
        prompt_id: str | None = None,
    ) -> None:
        """Open the evidence: of one section, one answer in a section, one fix, or all of it."""
        self.evidence_filter = (heading, question_index, prompt_id)
        self.filter_evidence(heading, question_index, prompt_id)
        parts = []
        if prompt_id is not None:
            fixes = self.summary.summary.fixes if self.summary.summary is not None else ()
            fix = next((f for f in fixes if f.prompt_id == prompt_id), None)
            parts.append(f"the evidence for “{fix.title if fix else prompt_id}”")
        if question_index is not None:
            parts.append(f"Q{question_index + 1}")
        if heading is not None:
            parts.append(heading)
        self.filter_label.setText("Showing: " + " — ".join(parts) if parts else "All the evidence")
        self.all_button.setVisible(bool(parts))
        self.again_button.setVisible(question_index is not None)
        if question_index is not None:
            self.again_button.setText(f"Practise this again (Q{question_index + 1})")
        self.pages.setCurrentIndex(1)
        self.scroll_area.verticalScrollBar().setValue(0)

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
        self.prompt_frames.clear()
        self.evidence_rows.clear()
        self.overview_boxes.clear()
        self.reliability_notes.clear()
        when = review.created_at.replace("T", " ")[:16]
        self.title.setText(f"<h2>Review — {html.escape(review.title or 'Interview')}</h2>{when}")

    def _panel_steps(self, loaded: Loaded) -> Iterator[None]:
        """Fill the cleared panel; yields after each piece, ending with the whole panel."""
        review, session = loaded.review, loaded.session
        add = self.content_layout.addWidget
        focus = self._focus_box(review)
        self.overview_boxes.append(focus)
        add(focus)
        yield
        for section in review.sections:
            yield from self._section_steps(section, review, session)
        if review.comparisons:
            comparison = self._comparison_box(review)
            self.overview_boxes.append(comparison)
            add(comparison)
            yield
        answers = self._answers_box(review)
        self.overview_boxes.append(answers)
        add(answers)
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
            yield from self._prompt_steps(prompt, session, layout, section.heading)
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
        self, prompt: Prompt, session: Session, parent: QVBoxLayout, heading: str
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
            self.reliability_notes.append((note, prompt.note))
            note.setStyleSheet("background:#fff4d6; color:#3d2e00; padding:4px; font-weight:bold;")
            layout.addWidget(note)
        # The reason and source of a measure once per measure, not once per answer.
        reasons = dict.fromkeys(e.reason for e in prompt.evidence if e.reason)
        if reasons:
            why = WrappedLabel(
                "<span style='color:#808080'>Why: "
                + "<br>Why: ".join(html.escape(r) for r in reasons)
                + "</span>"
            )
            why.setAccessibleName("Why this measure")
            layout.addWidget(why)
        parent.addWidget(frame)
        questions = frozenset(
            e.question_index for e in prompt.evidence if e.question_index is not None
        )
        self.prompt_frames.append((heading, prompt.id, frame, questions))
        for i, evidence in enumerate(prompt.evidence):
            if i:
                yield
            widget = self._evidence_widget(evidence, session)
            self.evidence_rows.append((heading, prompt.id, evidence.question_index, widget))
            layout.addWidget(widget)

    def _evidence_widget(self, ev: Evidence, session: Session) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(16, 0, 0, 0)
        colour, band = BAND_STYLE.get(ev.band, ("#333", ev.band))
        if is_dark(widget):
            colour = band_colours(ev.band, True)[1]
        band = f"{SYMBOL.get(ev.band, '')} {band}".strip()
        source = ""
        if ev.question_index is not None:
            source = f" — from Q{ev.question_index + 1}"
            source += f", take {ev.take_index + 1}" if ev.take_index is not None else ""
        value = (  # not measured: no number; content findings are quotes, not numbers
            "" if ev.band == "not measured" or ev.metric.startswith("content.")
            else f"<b>{value_text(ev.value, ev.unit)}</b> — "
        )  # fmt: skip
        label = WrappedLabel(
            f"{html.escape(ev.label)}: {value}"
            f"<span style='color:{colour}'><b>{band}</b></span> "
            f"({html.escape(ev.band_text)}){source}"
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
            again = QPushButton("Practise this again")
            again.setAccessibleName(f"Practise this again: Q{a.question_index + 1}")
            again.clicked.connect(lambda _=False, q=a.question_index: self.practise(q))
            row.addWidget(label, 1)
            row.addWidget(button)
            row.addWidget(again)
            layout.addLayout(row)
        if not review.answers:
            layout.addWidget(QLabel("No answers were recorded in this session."))
        return box
