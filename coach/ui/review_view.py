"""The review after an interview: three questions answered with evidence the user can hear.

Everything shown comes from `coach.review` (built on the 'disk' lane from the session folder);
this module only lays it out, plays moments and saves the user's ticks and choices. There is
no overall score: every judgement shows its number, band, reason and where it came from.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.analysis.results import AnswerAnalysis
from coach.core.session import Session
from coach.core.session_store import SessionStore
from coach.errors import CoachError
from coach.ports import PlayerPort
from coach.review.model import ChecklistItem, Evidence, Moment, Prompt, Review, Section
from coach.ui.answer_view import AnswerView, edit_session
from coach.ui.replay_widget import clock_text
from coach.ui.report_export import ExportResult, ReportExporter
from coach.ui.tasks import TaskRunner

BAND_STYLE = {
    "good": ("#1e6b34", "good"),
    "watch": ("#8a5a00", "watch"),
    "flag": ("#a32020", "work on this"),
    "not measured": ("#666666", "not measured"),
    "info": ("#33507a", "for information"),
}
KIND_MARK = {"strength": "✓", "fix": "→", "info": "ℹ"}
POLL_MS = 3000


@dataclass
class Loaded:
    """Everything the panel needs, read from disk in one go on the 'disk' lane."""

    folder: Path
    session: Session
    analyses: dict[tuple[int, int], AnswerAnalysis]
    review: Review
    pending: int = 0
    problems: list[str] = field(default_factory=list)


def pending_takes(folder: Path, session: Session, analysed: set[tuple[int, int]]) -> int:
    """Recorded, non-silent takes whose analysis has not landed yet."""
    return sum(
        1
        for q, question in enumerate(session.questions)
        for t, take in enumerate(question.takes)
        if (q, t) not in analysed
        and not take.is_silent
        and take.status != "recording"
        and (folder / take.audio).is_file()
    )


def load_review(store: SessionStore, folder: Path) -> Loaded:
    """Session + analyses + previous session -> Review (slow-ish: runs on the 'disk' lane)."""
    from coach.review.build import build_review
    from coach.review.loader import load_analyses, previous_session

    session = store.load(folder)
    analyses = load_analyses(folder, session)
    previous = previous_session(store.root, session)
    review = build_review(session, analyses, previous=previous)
    return Loaded(
        folder, session, dict(analyses), review, pending_takes(folder, session, set(analyses))
    )


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


class ReviewView(QWidget):
    """Review panel with a per-answer page; wired by the main window."""

    def __init__(
        self,
        runner: TaskRunner,
        store: SessionStore,
        player_factory: Callable[[], PlayerPort],
    ) -> None:
        super().__init__()
        self.runner, self.store, self.player_factory = runner, store, player_factory
        self._player: PlayerPort | None = None
        self.folder: Path | None = None
        self.loaded: Loaded | None = None
        self.section_boxes: dict[str, QGroupBox] = {}
        self.moment_buttons: list[tuple[QPushButton, Moment]] = []
        self.checkboxes: dict[str, QCheckBox] = {}
        self.exporter = ReportExporter(runner, self)
        self.exporter.progress.connect(self._export_progress)
        self.exporter.finished.connect(self._export_done)
        self.exporter.failed.connect(self._export_failed)
        self.last_export: ExportResult | None = None

        self.title = QLabel("<h2>Review</h2>")
        self.title.setAccessibleName("Review title")
        self.status = QLabel()
        self.status.setAccessibleName("Review status")
        self.status.setWordWrap(True)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop playback")
        self.stop_button.clicked.connect(self.stop_playback)
        self.audio_check = QCheckBox("Include the answers' audio")
        self.audio_check.setAccessibleName("Include audio in export")
        self.export_button = QPushButton("Export report…")
        self.export_button.setAccessibleName("Export report")
        self.export_button.clicked.connect(self._ask_export)
        self.export_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 100)
        self.progress.hide()

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.stop_button)
        header.addWidget(self.audio_check)
        header.addWidget(self.export_button)
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.content)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        review_page = QWidget()
        rl = QVBoxLayout(review_page)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(header)
        rl.addWidget(self.status)
        rl.addWidget(self.progress)
        rl.addWidget(self.scroll_area, 1)
        self.answer_view = AnswerView(runner, store, self.play_at)
        self.answer_view.back_requested.connect(self.show_review_page)
        self.stack = QStackedWidget()
        self.stack.addWidget(review_page)
        self.stack.addWidget(self.answer_view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_pending)

    # ----- loading
    def show_session(self, folder: Path) -> None:
        """Open a session's review (after "Finish interview" or from the sessions list)."""
        if folder != self.folder:
            self.loaded = None
            self.show_review_page()
            self.status.setText("Loading the review…")
        self.folder = folder
        self.refresh()

    def refresh(self) -> None:
        """Rebuild from disk (e.g. after a late analysis has been saved)."""
        if self.folder is None:
            return
        folder = self.folder
        self.runner.submit(
            lambda: load_review(self.store, folder),
            lane="disk",
            on_done=self._loaded,
            on_error=self._problem,
        )

    def _loaded(self, loaded: Loaded) -> None:
        if loaded.folder != self.folder:
            return  # another session was opened meanwhile
        self.loaded = loaded
        position = self.scroll_area.verticalScrollBar().value()
        self._fill(loaded)
        QTimer.singleShot(0, lambda: self.scroll_area.verticalScrollBar().setValue(position))
        if loaded.pending:
            self.status.setText(
                f"analysing… {loaded.pending} answer(s) are still being analysed; "
                "the review updates when they are done."
            )
            self._poll.start()
        else:
            self.status.setText("")
            self._poll.stop()
        self.export_button.setEnabled(not self.exporter.busy)

    def _check_pending(self) -> None:
        """While analyses are running, refresh as soon as one has landed on disk."""
        loaded, folder = self.loaded, self.folder
        if loaded is None or folder is None:
            return

        def count() -> int:
            from coach.review.loader import load_analyses

            session = self.store.load(folder)
            return pending_takes(folder, session, set(load_analyses(folder, session)))

        def check(n: int) -> None:
            if self.loaded is loaded and n != loaded.pending:
                self.refresh()

        self.runner.submit(count, lane="disk", on_done=check, on_error=self._problem)

    def _problem(self, error: CoachError) -> None:
        self.status.setText(error.message)

    # ----- building the panel
    def _fill(self, loaded: Loaded) -> None:
        review, session = loaded.review, loaded.session
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
        add = self.content_layout.addWidget
        add(self._focus_box(review))
        for section in review.sections:
            add(self._section_box(section, review, session))
        if review.comparisons:
            add(self._comparison_box(review))
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
            label = QLabel(
                f"<b>{n}. {html.escape(item.title)}</b><br>{html.escape(item.why)}"
                f"<br><i>Drill:</i> {html.escape(item.drill)}"
            )
            label.setWordWrap(True)
            layout.addWidget(label)
        return box

    def _section_box(self, section: Section, review: Review, session: Session) -> QGroupBox:
        box = QGroupBox(section.heading)
        box.setAccessibleName(section.heading)
        box.setStyleSheet("QGroupBox { font-weight: bold; font-size: 15px; }")
        self.section_boxes[section.heading] = box
        layout = QVBoxLayout(box)
        verdict = QLabel(html.escape(section.verdict))
        verdict.setWordWrap(True)
        verdict.setStyleSheet("font-size: 14px; font-weight: normal;")
        verdict.setAccessibleName("Verdict")
        layout.addWidget(verdict)
        for prompt in section.prompts:
            layout.addWidget(self._prompt_widget(prompt, session))
        from coach.review.model import AGGRESSIVE, PREPARED

        if section.heading == PREPARED:
            layout.addWidget(
                self._checklist("Before the next interview", review.preparation_checklist, session)
            )
        elif section.heading == AGGRESSIVE:
            layout.addWidget(
                self._checklist("After the interview", review.follow_up_checklist, session)
            )
        return box

    def _prompt_widget(self, prompt: Prompt, session: Session) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setStyleSheet("QLabel { font-weight: normal; font-size: 13px; }")
        layout = QVBoxLayout(frame)
        text = QLabel(f"<b>{KIND_MARK.get(prompt.kind, '')} {html.escape(prompt.text)}</b>")
        text.setWordWrap(True)
        layout.addWidget(text)
        if prompt.note or not prompt.reliable:
            note = QLabel("⚠ " + html.escape(prompt.note or "This measure is not reliable here."))
            note.setWordWrap(True)
            note.setAccessibleName("Reliability note")
            note.setStyleSheet("background:#fff4d6; color:#3d2e00; padding:4px; font-weight:bold;")
            layout.addWidget(note)
        for evidence in prompt.evidence:
            layout.addWidget(self._evidence_widget(evidence, session))
        return frame

    def _evidence_widget(self, ev: Evidence, session: Session) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(16, 0, 0, 0)
        colour, band = BAND_STYLE.get(ev.band, ("#333", ev.band))
        source = ""
        if ev.question_index is not None:
            source = f" — from Q{ev.question_index + 1}"
            source += f", take {ev.take_index + 1}" if ev.take_index is not None else ""
        label = QLabel(
            f"{html.escape(ev.label)}: <b>{value_text(ev.value, ev.unit)}</b> — "
            f"<span style='color:{colour}'><b>{band}</b></span> "
            f"({html.escape(ev.band_text)}){source}"
            f"<br><span style='color:#555'>Why: {html.escape(ev.reason)}</span>"
        )
        label.setWordWrap(True)
        label.setAccessibleName(f"Evidence: {ev.label}")
        layout.addWidget(label)
        for m in ev.moments:
            row = QHBoxLayout()
            where = QLabel(html.escape(moment_text(m, session)))
            where.setWordWrap(True)
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
            if a.words_per_minute is not None:
                facts.append(f"{a.words_per_minute:.0f} words/min")
            if a.low_accuracy:
                facts.append("transcript of low accuracy")
            label = QLabel(
                f"<b>Q{a.question_index + 1}.</b> {html.escape(a.question)} — {', '.join(facts)}"
            )
            label.setWordWrap(True)
            button = QPushButton("Open answer")
            button.setAccessibleName(f"Open answer {a.question_index + 1}")
            button.clicked.connect(lambda _=False, q=a.question_index: self.open_answer(q))
            row.addWidget(label, 1)
            row.addWidget(button)
            layout.addLayout(row)
        if not review.answers:
            layout.addWidget(QLabel("No answers were recorded in this session."))
        return box

    # ----- user actions
    def open_answer(self, question_index: int) -> None:
        assert self.loaded is not None
        loaded = self.loaded
        self.answer_view.show_question(
            loaded.folder, loaded.session, loaded.analyses, question_index
        )
        self.stack.setCurrentWidget(self.answer_view)

    def show_review_page(self) -> None:
        if self.stack.currentWidget() is self.answer_view:
            self.stack.setCurrentIndex(0)
            self.refresh()  # best take / ratings may change the headline numbers
        self.stack.setCurrentIndex(0)

    def _tick(self, item_id: str, on: bool) -> None:
        if self.loaded is None:
            return
        self.loaded.session.checklist[item_id] = on

        def change(s: Session) -> None:
            s.checklist[item_id] = on

        edit_session(self.runner, self.store, self.loaded.folder, change)

    def player(self) -> PlayerPort:
        if self._player is None:
            self._player = self.player_factory()
        return self._player

    def play_moment(self, moment: Moment) -> None:
        self.play_at(moment.question_index, moment.take_index, moment.start_s)

    def play_at(self, question_index: int, take_index: int, start_s: float) -> None:
        """Play one take from a second on the 'playback' lane (opening the device can block)."""
        if self.loaded is None:
            return
        take = self.loaded.session.questions[question_index].takes[take_index]
        path, player = self.loaded.folder / take.audio, self.player()

        def run() -> None:
            player.load(path)
            player.play(start_s)

        self.status.setText(
            f"Playing Q{question_index + 1}, take {take_index + 1} from {clock_text(start_s)}"
        )
        self.runner.submit(run, lane="playback", on_error=self._problem)

    def stop_playback(self) -> None:
        if self._player is not None:
            self.runner.submit(self._player.stop, lane="control")
        self.status.setText("")

    def _ask_export(self) -> None:
        out = QFileDialog.getExistingDirectory(self, "Export the report to a folder")
        if out:
            self.export_to(Path(out), self.audio_check.isChecked())

    def export_to(self, out_dir: Path, include_audio: bool) -> None:
        """Write the HTML and PDF report (and audio copies) into a folder, showing progress."""
        if self.loaded is None or self.exporter.busy:
            return
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        loaded = self.loaded
        self.exporter.export(
            loaded.review, loaded.session, loaded.folder, loaded.analyses, out_dir, include_audio
        )

    def _export_progress(self, text: str, percent: int) -> None:
        self.progress.setValue(percent)
        self.progress.setFormat(f"{text} %p%")

    def _export_done(self, result: ExportResult) -> None:
        self.last_export = result
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.status.setText(f"Report saved: {result.html} and {result.pdf.name}")

    def _export_failed(self, message: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.status.setText(message)
