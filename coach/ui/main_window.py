"""The main window: setup, interview and sessions screens in one stack, plus menus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach import __version__
from coach.core.interview import Phase
from coach.core.session import Session
from coach.ui.app_settings import load_settings, open_settings
from coach.ui.controller import InterviewController, JobContext
from coach.ui.interview_view import InterviewView
from coach.ui.sessions_view import SessionsView
from coach.ui.setup_view import SetupView
from coach.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from coach.ui.review_view import ReviewView

SHORTCUTS = """<table cellpadding=3>
<tr><td><b>Space</b></td><td>Start answering / Done answering / Next question</td></tr>
<tr><td><b>Enter</b></td><td>Next question</td></tr>
<tr><td><b>Esc</b></td><td>Skip question</td></tr>
<tr><td><b>R</b></td><td>Record again</td></tr>
<tr><td><b>P</b></td><td>Replay / pause the selected take</td></tr>
<tr><td><b>Ctrl+E</b></td><td>Finish interview</td></tr>
<tr><td><b>R / Esc</b></td><td>After "Practise this again": again / back to the review</td></tr>
<tr><td><b>Ctrl+N</b></td><td>New interview</td></tr>
<tr><td><b>Ctrl+H</b></td><td>Past sessions (replay)</td></tr>
<tr><td><b>Ctrl+Shift+H</b></td><td>Session history (search, sort, delete, export)</td></tr>
<tr><td><b>Ctrl+P</b></td><td>Progress over time</td></tr>
<tr><td><b>Ctrl+,</b></td><td>Settings</td></tr>
<tr><td><b>Enter / Del</b></td><td>In history: open / delete the selected session</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>Quit</td></tr></table>"""


class MessageBar(QWidget):
    """A dismissable line at the top of the window: problems are told, never modal mid-answer."""

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel()
        self.label.setAccessibleName("Message")
        self.label.setWordWrap(True)
        close = QPushButton("Dismiss")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.setStyleSheet(
            "MessageBar { background: #fff4d6; border-bottom: 1px solid #e0c36b; }"
            " QLabel { color: #3d2e00; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.hide()

    def show_message(self, text: str) -> None:
        current = self.label.text() if self.isVisible() else ""
        if text not in current:
            self.label.setText(f"{current}\n{text}".strip())
        self.show()


class MainWindow(QMainWindow):
    def __init__(
        self,
        runner: TaskRunner,
        controller: InterviewController,
        setup: SetupView,
        interview: InterviewView,
        sessions: SessionsView,
        review: Callable[[], ReviewView],
        data_dir: Path,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Second Round — interview practice")
        self.resize(1040, 720)
        self.runner = runner
        self.controller = controller
        self.setup_view = setup
        self.interview_view = interview
        self.sessions_view = sessions
        self._make_review = review  # built on first use: start-up paints sooner
        self._review: ReviewView | None = None
        self.data_dir = data_dir
        self.closing_hooks: list[Callable[[], None]] = []
        self.review_hooks: list[Callable[[ReviewView], None]] = []  # run once it is built
        # Asked when an interview ends: True when it showed its own screen instead of the
        # review (the practice loop's comparison, coach.ui.practice_loop).
        self.after_interview: Callable[[Session], bool] | None = None
        self.practice_loop: object | None = None
        self.stopping_hooks: list[Callable[[], None]] = []
        """Run before waiting for the lanes: workers whose work may be cut short (the language
        model: a cancelled request gives the rules' feedback at once)."""
        self._closing = False

        self.messages = MessageBar()
        self.stack = QStackedWidget()
        for view in (setup, interview, sessions):
            self.stack.addWidget(view)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.messages)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._menus()

        setup.start_requested.connect(self._start_interview)
        sessions.new_interview_requested.connect(self.show_setup)
        sessions.review_requested.connect(self.show_review)
        controller.session_started.connect(lambda _: self._show_interview())
        controller.finished.connect(self._interview_finished)
        controller.content_saved.connect(self._content_saved)
        controller.message.connect(self.messages.show_message)
        runner.failed.connect(lambda e: self.messages.show_message(e.message))
        sessions.replay.problem.connect(self.messages.show_message)
        interview.replay.problem.connect(self.messages.show_message)

    def _menus(self) -> None:
        menu = self.menuBar().addMenu("&Interview")
        for text, key, slot in (
            ("&New interview", "Ctrl+N", self.show_setup),
            ("&Past sessions", "Ctrl+H", self.show_sessions),
            ("&Quit", "Ctrl+Q", self.close),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        shortcuts = QAction("&Keyboard shortcuts", self)
        shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(
            lambda: QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS)
        )
        about = QAction("&About Second Round", self)
        about.triggered.connect(self._about)
        help_menu.addAction(shortcuts)
        help_menu.addAction(about)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Second Round",
            f"<b>Second Round</b> {__version__}<br>Practise job interviews at home. All "
            f"recordings and analysis stay on this computer.<br><br>Your data: {self.data_dir}",
        )

    # --- navigation ----------------------------------------------------------------------
    def interview_running(self) -> bool:
        i = self.controller.interview
        return i is not None and i.phase not in (Phase.READY, Phase.FINISHED)

    def show_setup(self) -> None:
        if self.interview_running():
            self.messages.show_message("Finish the current interview first (Ctrl+E).")
            return
        self.stack.setCurrentWidget(self.setup_view)

    def show_sessions(self, select: Path | None = None) -> None:
        if self.interview_running():
            self.messages.show_message("Finish the current interview first (Ctrl+E).")
            return
        self.sessions_view.reload(select)
        self.stack.setCurrentWidget(self.sessions_view)

    @property
    def review_view(self) -> ReviewView:
        """The end-of-session review page, built the first time it is needed."""
        if self._review is None:
            self._review = self._make_review()
            self.stack.addWidget(self._review)
            for hook in self.review_hooks:
                hook(self._review)
        return self._review

    def show_review(self, folder: Path) -> None:
        if self.interview_running():
            self.messages.show_message("Finish the current interview first (Ctrl+E).")
            return
        self.review_view.show_session(folder)
        self.stack.setCurrentWidget(self.review_view)

    def _start_interview(self, questions: list, settings: object, title: str) -> None:
        stored = load_settings(open_settings())
        settings = replace(  # type: ignore[type-var]
            settings,
            loudness_baseline_dbfs=stored.loudness_baseline_dbfs,  # from the mic check
            end_silence_s=float(stored.end_silence_s),
        )
        setup = self.setup_view
        job = JobContext(tuple(setup.job_terms()), setup.job_description(), setup.job_role())
        self.controller.begin(questions, settings, title, job)  # type: ignore[arg-type]

    def _show_interview(self) -> None:
        self.stack.setCurrentWidget(self.interview_view)
        self.interview_view.setFocus()
        self.interview_view.start()

    def _interview_finished(self, session: Session) -> None:
        self.interview_view.stop()
        if self._closing:  # finished because the window closes: no review to show
            return
        if self.after_interview is None or not self.after_interview(session):
            self.show_review(self.controller.store.folder(session))

    def _content_saved(self, session: Session, _q: int, _t: int) -> None:
        """Content feedback that lands after Finish (a model can take 20 s) joins the review."""
        review = self._review
        if (
            review is not None
            and review.folder == self.controller.store.folder(session)
            and review.stack.currentIndex() == 0
        ):
            review.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop a take in progress and wait for it to be written: nothing is lost on close."""
        self._closing = True
        if self.interview_running():
            self.controller.finish()
        self.interview_view.stop()
        if self._review is not None:
            self._review.stop_playback()
        for hook in self.stopping_hooks:
            hook()
        for _ in range(3):  # finish queued work, then the saves its callbacks queue
            # The take being stopped and the session marked finished are queued behind each
            # other on 'record' and 'disk': they must run, not be dropped.
            self.runner.shutdown(keep=("record", "disk", "content-feedback"))
            QApplication.processEvents()
        self.runner.close()
        for hook in self.closing_hooks:
            hook()
        event.accept()
