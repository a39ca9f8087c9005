"""Past sessions: pick one, see its questions and takes, replay any take."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.core.session import Session
from coach.core.session_store import SessionStore, SessionSummary
from coach.errors import CoachError
from coach.ui.replay_widget import ReplayWidget, clock_text
from coach.ui.tasks import TaskRunner

STATUS_TEXT = {"in_progress": "unfinished", "finished": "", "recovered": "recovered after a crash"}
AUDIO_ROLE = Qt.ItemDataRole.UserRole


def summary_text(s: SessionSummary) -> str:
    when = s.created_at.replace("T", " ")[:16]
    status = STATUS_TEXT.get(s.status, s.status)
    extra = f" — {status}" if status else ""
    takes = "1 take" if s.take_count == 1 else f"{s.take_count} takes"
    return f"{when}  {s.title or 'Interview'}\n{s.question_count} answered, {takes}{extra}"


class SessionsView(QWidget):
    """Reads the session folders in the background; the list is refreshed on demand."""

    new_interview_requested = Signal()
    review_requested = Signal(object)  # session folder

    def __init__(self, runner: TaskRunner, store: SessionStore, replay: ReplayWidget) -> None:
        super().__init__()
        self.runner = runner
        self.store = store
        self.replay = replay
        self.session: Session | None = None
        self.folder: Path | None = None

        self.heading = QLabel("<h2>Your sessions</h2>")
        self.session_list = QListWidget()
        self.session_list.setAccessibleName("Past sessions")
        self.session_list.currentItemChanged.connect(self._session_selected)
        self.empty_label = QLabel("No sessions yet. Start a mock interview to record your first.")
        self.empty_label.setWordWrap(True)

        self.detail_title = QLabel()
        self.detail_title.setAccessibleName("Session title")
        self.detail_title.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Questions and takes")
        self.tree.setHeaderLabels(["Question / take", "Length", "Notes"])
        self.tree.setColumnWidth(0, 420)
        self.tree.currentItemChanged.connect(self._take_selected)
        self.review_button = QPushButton("Open review")
        self.review_button.setAccessibleName("Open review")
        self.review_button.setEnabled(False)
        self.review_button.clicked.connect(
            lambda: self.folder is not None and self.review_requested.emit(self.folder)
        )
        self.new_button = QPushButton("New interview")
        self.new_button.setAccessibleName("New interview")
        self.new_button.clicked.connect(self.new_interview_requested)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.heading)
        ll.addWidget(self.session_list, 1)
        ll.addWidget(self.empty_label)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.detail_title)
        rl.addWidget(self.tree, 1)
        rl.addWidget(QLabel("Select a take, then press Replay (or P)."))
        rl.addWidget(self.replay)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.review_button)
        bottom.addWidget(self.new_button)
        rl.addLayout(bottom)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def reload(self, select: Path | None = None) -> None:
        self.runner.submit(
            self.store.list_sessions,
            lane="disk",
            on_done=lambda s: self._show_list(s, select),
            on_error=self._show_problem,
        )

    def _show_list(self, summaries: list[SessionSummary], select: Path | None) -> None:
        self.session_list.clear()
        self.empty_label.setVisible(not summaries)
        for summary in summaries:
            item = QListWidgetItem(summary_text(summary))
            item.setData(AUDIO_ROLE, str(summary.folder))
            self.session_list.addItem(item)
            if select is not None and summary.folder == select:
                self.session_list.setCurrentItem(item)
        if self.session_list.currentRow() < 0 and summaries:
            self.session_list.setCurrentRow(0)

    def _session_selected(self, item: QListWidgetItem | None) -> None:
        self.replay.set_take(None)
        if item is None:
            return
        folder = Path(item.data(AUDIO_ROLE))
        self.runner.submit(
            lambda: self.store.load(folder),
            lane="disk",
            on_done=lambda s: self._show_session(folder, s),
            on_error=self._show_problem,
        )

    def _show_session(self, folder: Path, session: Session) -> None:
        self.folder, self.session = folder, session
        self.review_button.setEnabled(True)
        status = STATUS_TEXT.get(session.status, session.status)
        self.detail_title.setText(
            f"<b>{session.title or 'Interview'}</b> — {session.created_at.replace('T', ' ')[:16]}"
            + (f" ({status})" if status else "")
        )
        self.tree.clear()
        first_take: QTreeWidgetItem | None = None
        for number, question in enumerate(session.questions, start=1):
            note = "skipped" if question.skipped else ("" if question.takes else "not reached")
            q_item = QTreeWidgetItem([f"{number}. {question.text}", "", note])
            q_item.setToolTip(0, question.text)
            self.tree.addTopLevelItem(q_item)
            for t_number, take in enumerate(question.takes, start=1):
                notes = []
                if take.is_silent:
                    notes.append("silent")
                if take.status in ("recovered", "device_lost"):
                    notes.append(take.status.replace("_", " "))
                if take.spoke_over_question:
                    notes.append("started during the question")
                t_item = QTreeWidgetItem(
                    [f"Take {t_number}", clock_text(take.duration_s), ", ".join(notes)]
                )
                t_item.setData(0, AUDIO_ROLE, str(folder / take.audio))
                q_item.addChild(t_item)
                first_take = first_take or t_item
            q_item.setExpanded(True)
        if first_take is not None:
            self.tree.setCurrentItem(first_take)

    def _take_selected(self, item: QTreeWidgetItem | None) -> None:
        path = item.data(0, AUDIO_ROLE) if item is not None else None
        self.replay.set_take(Path(path) if path else None)

    def _show_problem(self, error: CoachError) -> None:
        self.detail_title.setText(error.message)
