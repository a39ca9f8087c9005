"""The practice loop in the window: "Practise this again" in the review starts a one-question
interview at once; when it ends, the new take is shown beside the old one, with a way back to
the review and to practise again.

The interview itself is coach.practice.practise_again (Qt-free) on the window's own
PracticeSession, so the interview screen, its shortcuts and the history index work as for any
interview. This module only routes screens and shows the comparison page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach.core.session import Session
from coach.ports import PlayerPort
from coach.practice import events
from coach.practice.practise_again import (
    Attempt,
    Compared,
    NotCompared,
    PractiseAgain,
    Recorded,
)
from coach.ui.replay_widget import ReplayWidget
from coach.ui.take_comparison import TakeComparison
from coach.ui.theme import TITLE_PT
from coach.ui.wrapped_label import WrappedLabel

if TYPE_CHECKING:
    from coach.ui.main_window import MainWindow
    from coach.ui.review_view import ReviewView


def take_name(index: int, new: bool) -> str:
    return f"Take {index + 1} ({'new' if new else 'before'})"


class ComparisonPage(QWidget):
    """The new take beside the old one; Esc goes back to the review, R practises again."""

    back_requested = Signal()
    again_requested = Signal()

    def __init__(self, replays: tuple[ReplayWidget, ReplayWidget]) -> None:
        super().__init__()
        self.setAccessibleName("Practise this again: old and new take")
        self.title = QLabel()
        self.title.setAccessibleName("Practice title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * TITLE_PT)
        font.setBold(True)
        self.title.setFont(font)
        self.question = WrappedLabel()
        self.question.setAccessibleName("Question practised")
        self.status = WrappedLabel()
        self.status.setAccessibleName("Comparison status")
        self.busy = QProgressBar()
        self.busy.setAccessibleName("Analysing the new take")
        self.busy.setRange(0, 0)  # "working", no percentage: one analysis, length unknown
        self.busy.setMaximumHeight(10)
        self.busy.setTextVisible(False)
        self.comparison = TakeComparison()
        inner = self.comparison.layout()
        if inner is not None:
            inner.setContentsMargins(0, 6, 0, 0)  # aligned with the page title
        self.replays = replays
        self.replay_labels = (QLabel(), QLabel())
        self.again_button = QPushButton("Practise again")
        self.again_button.setAccessibleName("Practise again")
        self.again_button.setToolTip("Answer this question once more (R)")
        self.again_button.clicked.connect(self.again_requested)
        self.back_button = QPushButton("Back to the review")
        self.back_button.setAccessibleName("Back to the review")
        self.back_button.setToolTip("The review, with the new take in it (Esc)")
        self.back_button.clicked.connect(self.back_requested)
        for b in (self.again_button, self.back_button):
            b.setMinimumHeight(34)
            b.setMinimumWidth(150)

        plays = QHBoxLayout()
        plays.setSpacing(18)
        for label, replay in zip(self.replay_labels, replays, strict=True):
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(label)
            box.addWidget(replay)
            plays.addLayout(box, 1)
            replay.play_button.clicked.connect(
                lambda _=False, me=replay: self._only_one_plays(me)
            )
        buttons = QHBoxLayout()
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)

        column = QWidget()
        column.setMaximumWidth(1100)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.question)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.comparison)
        layout.addLayout(plays)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addStretch(1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch(1)
        outer.addWidget(column, 100)
        outer.addStretch(1)

        for key, slot in (("Escape", self.back_button.click), ("R", self.again_button.click)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _only_one_plays(self, playing: ReplayWidget) -> None:
        for replay in self.replays:
            if replay is not playing:
                replay.stop()

    def stop_playback(self) -> None:
        for replay in self.replays:
            replay.stop()

    def show_attempt(self, attempt: Attempt, text: str, busy: bool) -> None:
        """The page as soon as the answer is over: the question, both takes to hear."""
        self.title.setText(f"Practise this again — Q{attempt.question + 1}")
        self.question.setText(f"<i>{html.escape(attempt.question_text)}</i>")
        self.status.setText(text)
        self.busy.setVisible(busy)
        self.comparison.hide()
        takes = ((attempt.before_take, False), (attempt.after_take, True))
        for (index, new), label, replay in zip(
            takes, self.replay_labels, self.replays, strict=True
        ):
            label.setText(f"<b>{take_name(index, new)}</b>" if index is not None else "")
            replay.setVisible(index is not None)
            label.setVisible(index is not None)
        self.again_button.setEnabled(True)

    def show_comparison(self, compared: Compared) -> None:
        attempt = compared.attempt
        assert attempt.before_take is not None and attempt.after_take is not None
        self.busy.hide()
        self.status.setText(
            "Both takes measured the same way as in the review. A measure counts as changed "
            "when it moves to another band, or clearly nearer to (or further from) its target."
        )
        self.comparison.show_takes(
            compared.before, compared.after,
            take_name(attempt.before_take, False), take_name(attempt.after_take, True),
        )  # fmt: skip
        self.comparison.show()


class PracticeLoop(QObject):
    """Connects the review's "Practise this again" to the interview and the comparison page."""

    compared = Signal(object)  # Compared, once it is on screen

    def __init__(
        self, window: MainWindow, again: PractiseAgain, player_factory: Callable[[], PlayerPort]
    ) -> None:
        super().__init__(window)
        self.window = window
        self.again = again
        self.page = ComparisonPage(
            (ReplayWidget(window.runner, player_factory()),
             ReplayWidget(window.runner, player_factory()))
        )  # fmt: skip
        for replay in self.page.replays:
            replay.problem.connect(window.messages.show_message)
        window.stack.addWidget(self.page)
        self.page.back_requested.connect(self.back_to_review)
        self.page.again_requested.connect(self.practise_again)
        self.last: Compared | NotCompared | Recorded | None = None
        again.listeners.append(self._on_event)
        window.after_interview = self._interview_finished
        window.review_hooks.append(self._review_built)
        window.stack.currentChanged.connect(self._page_changed)
        # An analysis that fails says so in the message bar; the page must not wait for ever.
        self._watch = QTimer(self)
        self._watch.setInterval(500)
        self._watch.timeout.connect(self._check_analysis)

    def _review_built(self, review: ReviewView) -> None:
        review.practise_requested.connect(self.start)

    def start(self, session: Session, question: int) -> None:
        """ "Practise this again" on a fix, an answer or the evidence page."""
        self.page.stop_playback()
        review = self.window.review_view
        folder = review.folder or self.window.controller.store.folder(session)
        review.stop_playback()
        self.again.start(folder, question)

    def practise_again(self) -> None:
        attempt = self.again.attempt
        if attempt is not None and not self.again.busy():
            self.page.stop_playback()
            self.again.start(attempt.folder, attempt.question)

    def back_to_review(self) -> None:
        self.page.stop_playback()
        attempt = self.again.attempt
        if attempt is None:
            return
        if attempt.after_take is not None:
            self.window.messages.show_message(
                f"Q{attempt.question + 1} now has take {attempt.after_take + 1} too. The review "
                "uses your best take, or the latest one if you have not chosen one (Open answer)."
            )
        self.window.show_review(attempt.folder)

    def _page_changed(self, _: int) -> None:
        if self.window.stack.currentWidget() is not self.page:
            self.page.stop_playback()

    def _interview_finished(self, session: Session) -> bool:
        """The main window asks whose screen comes after an interview: ours for a practice."""
        attempt = self.again.attempt
        if not self.again.running or attempt is None or session.id != attempt.session_id:
            return False
        self.page.show_attempt(attempt, "Saving your new take…", busy=True)
        self.window.stack.setCurrentWidget(self.page)
        self.page.again_button.setFocus()  # Esc: the review; R or Space: practise again
        return True

    def _on_event(self, event: Any) -> None:
        if isinstance(event, events.Told):
            self.window.messages.show_message(event.text)
            return
        self.last = event
        self._watch.stop()
        if isinstance(event, Recorded):
            self._recorded(event)
        elif isinstance(event, Compared):
            self.page.show_comparison(event)
            self.compared.emit(event)
        elif isinstance(event, NotCompared):
            self.page.busy.hide()
            self.page.status.setText(html.escape(event.reason))

    def _recorded(self, event: Recorded) -> None:
        attempt = event.attempt
        if attempt.after_take is None:  # skipped or nothing recorded: straight back
            self.window.show_review(attempt.folder)
            return
        self.page.show_attempt(
            attempt,
            "Analysing your new take… it is saved in this session; the comparison appears "
            "here when the analysis is done." if event.analysing else "",
            busy=event.analysing,
        )  # fmt: skip
        if event.analysing:
            self._watch.start()
        folder = attempt.folder
        for index, replay in zip(
            (attempt.before_take, attempt.after_take), self.page.replays, strict=True
        ):
            path = self._take_path(folder, attempt, index)
            replay.set_take(path)

    def _check_analysis(self) -> None:
        """Still waiting, but no analysis is running or being read: it failed."""
        runner = self.window.runner
        if not isinstance(self.last, Recorded):
            self._watch.stop()
        elif not runner.lane_busy("analysis") and not runner.lane_busy("disk"):
            self._watch.stop()
            self.page.busy.hide()
            self.page.status.setText(
                "The new take could not be analysed (see the message above); it is kept in "
                "this session and can be replayed here and in the review."
            )

    def _take_path(self, folder: Path, attempt: Attempt, index: int | None) -> Path | None:
        session = self.window.controller.session
        if index is None or session is None or session.id != attempt.session_id:
            return None
        takes = session.questions[attempt.question].takes
        return folder / takes[index].audio if index < len(takes) else None


def install_practice_loop(
    window: MainWindow, player_factory: Callable[[], PlayerPort]
) -> PracticeLoop:
    """Called once by the composition root; the loop is also kept as `window.practice_loop`."""
    loop = PracticeLoop(window, PractiseAgain(window.controller.practice), player_factory)
    window.practice_loop = loop
    return loop
