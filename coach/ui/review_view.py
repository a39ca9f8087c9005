"""The review after an interview: three questions answered with evidence the user can hear.

Everything shown comes from `coach.review` (built on the 'disk' lane from the session folder);
this module (with `review_sections` for the widgets) only lays it out, plays moments and saves
the user's ticks and choices. There is no overall score: every judgement shows its number,
band, reason and where it came from. The panel is built a few widgets per event-loop turn
(BUILD_BUDGET_S each) so the window never freezes while a long review is created and laid out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
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
    QVBoxLayout,
    QWidget,
)

from coach.core.session import Session
from coach.core.session_store import SessionStore
from coach.errors import CoachError
from coach.ports import PlayerPort
from coach.review.model import Moment
from coach.ui.answer_view import AnswerView, edit_session
from coach.ui.replay_widget import clock_text
from coach.ui.report_export import ExportResult, ReportExporter
from coach.ui.review_loading import Loaded, load_review, pending_takes
from coach.ui.review_sections import ReviewSections
from coach.ui.review_summary import ReviewSummary
from coach.ui.tasks import TaskRunner

POLL_MS = 3000
# Widget creation per event-loop turn; Qt's layout and paint of the new widgets in the same turn
# take several times as long (benchmarks/finish_to_review.py: ~50 ms turns with 5 ms here).
BUILD_BUDGET_S = 0.005


class ReviewView(QWidget, ReviewSections):
    """Review panel: the one-screen summary first, the evidence on demand, a per-answer page;
    wired by the main window."""

    practise_requested = Signal(object, int)
    """(Session, question index): "Practise this again" on a fix or an answer."""

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
        # `loaded` is set once the panel for it is complete; `shown` as soon as its build starts
        # (the buttons already on screen act on it).
        self.loaded: Loaded | None = None
        self.shown: Loaded | None = None
        self._build_steps: Iterator[None] | None = None  # the unfinished build, if any
        self._build_position: int | None = None
        self.section_boxes: dict[str, QGroupBox] = {}
        self.moment_buttons: list[tuple[QPushButton, Moment]] = []
        self.checkboxes: dict[str, QCheckBox] = {}
        self.prompt_frames: list[tuple[str, str, QFrame, frozenset[int]]] = []
        self.evidence_rows: list[tuple[str, str, int | None, QWidget]] = []
        self.overview_boxes: list[QWidget] = []
        self.reliability_notes: list[tuple[QWidget, str]] = []
        self.evidence_filter: tuple[str | None, int | None, str | None] = (None, None, None)
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
        self.summary = ReviewSummary()
        self.summary.evidence_requested.connect(
            lambda heading, q: self.show_evidence(heading, None if q < 0 else q)
        )
        self.summary.fix_requested.connect(lambda pid: self.show_evidence(prompt_id=pid))
        self.summary.everything_requested.connect(lambda: self.show_evidence())
        self.summary.practise_requested.connect(self.practise_requested)
        evidence_page = self._evidence_page()
        self.pages = QStackedWidget()
        self.summary_scroll = QScrollArea()  # scrolls only on screens smaller than 1280×800
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.summary_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary_scroll.setWidget(self.summary)
        self.pages.addWidget(self.summary_scroll)
        self.pages.addWidget(evidence_page)
        review_page = QWidget()
        rl = QVBoxLayout(review_page)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(header)
        rl.addWidget(self.status)
        rl.addWidget(self.progress)
        rl.addWidget(self.pages, 1)
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
        # A real zero timer, not a posted call: the event loop lays out and paints the pieces
        # already built, and runs other timers, before the next piece is made.
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build)

    # ----- loading
    def show_session(self, folder: Path) -> None:
        """Open a session's review (after "Finish interview" or from the sessions list)."""
        if folder != self.folder:
            self.loaded = None
            self._cancel_build()
            self.show_review_page()
            self.show_summary()
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
        # A refresh of the same review keeps showing the old panel until the new one is whole,
        # so the scroll position does not jump while the panel grows.
        refresh = self.shown is not None and self.shown.folder == loaded.folder
        self._cancel_build()
        self._build_position = self.scroll_area.verticalScrollBar().value() if refresh else None
        self.scroll_area.setUpdatesEnabled(not refresh)
        self.shown = loaded
        self._clear_panel(loaded.review)  # the old panel goes in its own event-loop turn
        self._build_steps = self._steps(loaded)
        self._build_timer.start()

    def _steps(self, loaded: Loaded) -> Iterator[None]:
        """The summary first (what the user sees), then the evidence piece by piece."""
        yield from self.summary.build_steps(loaded.review, loaded.session)
        yield
        yield from self._panel_steps(loaded)

    def _cancel_build(self) -> None:
        """Drop an unfinished build (a refresh or another session replaces it)."""
        self._build_steps = None
        self._build_timer.stop()
        self.scroll_area.setUpdatesEnabled(True)

    def _build(self) -> None:
        """Make pieces of the panel for one budget, then continue on the next event-loop turn."""
        if self._build_steps is None or self.shown is None:
            return
        deadline = time.perf_counter() + BUILD_BUDGET_S
        for _ in self._build_steps:
            if time.perf_counter() >= deadline:
                self._build_timer.start()
                return
        self._build_steps = None
        self._built(self.shown)

    def _built(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.filter_evidence(*self.evidence_filter)
        position = self._build_position

        def restore() -> None:  # once the last pieces are laid out
            if self.shown is loaded and position is not None:
                self.scroll_area.verticalScrollBar().setValue(position)
                self.scroll_area.setUpdatesEnabled(True)

        QTimer.singleShot(0, self, restore)
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

    # ----- user actions
    def show_summary(self) -> None:
        self.pages.setCurrentIndex(0)

    def practise(self, question_index: int) -> None:
        if self.shown is not None:
            self.practise_requested.emit(self.shown.session, question_index)

    def _practise_filtered(self) -> None:
        question_index = self.evidence_filter[1]
        if question_index is not None:
            self.practise(question_index)

    def open_answer(self, question_index: int) -> None:
        assert self.shown is not None
        loaded = self.shown
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
        if self.shown is None:
            return
        self.shown.session.checklist[item_id] = on

        def change(s: Session) -> None:
            s.checklist[item_id] = on

        edit_session(self.runner, self.store, self.shown.folder, change)

    def player(self) -> PlayerPort:
        if self._player is None:
            self._player = self.player_factory()
        return self._player

    def play_moment(self, moment: Moment) -> None:
        self.play_at(moment.question_index, moment.take_index, moment.start_s)

    def play_at(self, question_index: int, take_index: int, start_s: float) -> None:
        """Play one take from a second on the 'playback' lane (opening the device can block)."""
        if self.shown is None:
            return
        take = self.shown.session.questions[question_index].takes[take_index]
        path, player = self.shown.folder / take.audio, self.player()

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
