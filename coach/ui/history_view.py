"""Past sessions as a searchable, sortable table, with open, delete, export, import and rebuild.

Every query and file operation runs on the 'disk' lane; the GUI thread only fills the table.
The index is opened lazily on that lane too, because opening may rebuild it from the folders.
Confirmations and file pickers are plain callables so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.core.archive import export_zip, import_zip
from coach.core.data_ops import delete_session, delete_take
from coach.core.history_index import SessionRow
from coach.core.session import Session
from coach.core.session_store import SessionStore
from coach.errors import CoachError
from coach.ui.confirm import ask_yes_no
from coach.ui.index_holder import IndexHolder
from coach.ui.tasks import TaskRunner

FOLDER_ROLE = Qt.ItemDataRole.UserRole
STATUS_TEXT = {"in_progress": "unfinished", "finished": "finished", "recovered": "recovered"}

# (heading, SessionRow field = HistoryIndex sort key, number format, header tooltip)
COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("Date", "created_at", "", "When the interview started"),
    ("Interview", "title", "", "Question bank and category"),
    ("Role", "role", "", "The role you prepared for"),
    ("Answers", "answers", "{:.0f}", "Questions answered"),
    ("Pace", "words_per_minute", "{:.0f}", "Words per minute, median of the answers"),
    ("Fillers", "fillers_per_minute", "{:.1f}", "Filler words per minute, median"),
    ("Pitch", "pitch_variation_st", "{:.1f}", "Pitch variation in semitones, median"),
    ("Pauses", "long_pauses", "{:.0f}", "Pauses over 2.5 s, all answers together"),
    ("Length", "answer_seconds", "{:.0f}", "Average answer length in seconds"),
    ("Rating", "self_rating", "{:.1f}", "Your own rating, 1-5, average"),
    ("Status", "status", "", "Finished, unfinished or recovered after a crash"),
)


def cell_text(row: SessionRow, field: str, fmt: str) -> str:
    value = getattr(row, field)
    if field == "created_at":
        return str(value).replace("T", " ")[:16]
    if field == "status":
        return STATUS_TEXT.get(str(value), str(value))
    if value is None or value == "":
        return "—"
    return fmt.format(value) if fmt else str(value)


@dataclass
class FilePickers:
    """Where the user chooses files; tests replace these with lambdas."""

    save_zip: Callable[[str], Path | None]
    open_zip: Callable[[], Path | None]


def dialog_pickers(parent: QWidget) -> FilePickers:
    def save_zip(suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, "Export sessions", str(Path.home() / suggested), "Zip archives (*.zip)"
        )
        return Path(name) if name else None

    def open_zip() -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Import sessions", str(Path.home()), "Zip archives (*.zip)"
        )
        return Path(name) if name else None

    return FilePickers(save_zip, open_zip)


class HistoryView(QWidget):
    """The history page. `changed` callbacks tell other screens that sessions came or went."""

    def __init__(
        self,
        runner: TaskRunner,
        holder: IndexHolder,
        *,
        open_session: Callable[[Path], None],
        confirm: Callable[[str], bool] | None = None,
        pickers: FilePickers | None = None,
        busy: Callable[[], bool] = lambda: False,
        on_changed: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.holder = holder
        self.store = SessionStore(holder.sessions_root)
        self.open_session = open_session
        self.confirm = confirm or ask_yes_no(self)
        self.pickers = pickers or dialog_pickers(self)
        self.busy = busy
        self.on_changed = on_changed
        self.rows: list[SessionRow] = []
        self._session: tuple[Path, Session] | None = None

        heading = QLabel("<h2>Session history</h2>")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search titles, roles, questions and what you said…")
        self.search_box.setAccessibleName("Search sessions")
        self.search_box.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.reload)
        self.search_box.textChanged.connect(lambda _: self._search_timer.start())

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Past sessions")
        self.table.setHorizontalHeaderLabels([c[0] for c in COLUMNS])
        for column, (*_, tip) in enumerate(COLUMNS):
            header_item = self.table.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(tip)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(lambda *_: self.reload())
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _: self.open_selected())
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)

        self.takes = QTreeWidget()
        self.takes.setAccessibleName("Takes of the selected session")
        self.takes.setHeaderLabels(["Question / take", "Length"])
        self.takes.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.takes.header().setStretchLastSection(False)
        self.delete_take_button = QPushButton("Delete take…")
        self.delete_take_button.setToolTip("Delete the selected recording and its analysis")
        self.delete_take_button.clicked.connect(self.delete_selected_take)
        self.takes.currentItemChanged.connect(
            lambda item, _: self.delete_take_button.setEnabled(
                item is not None and item.data(0, FOLDER_ROLE) is not None
            )
        )
        self.delete_take_button.setEnabled(False)

        self.status_label = QLabel()
        self.status_label.setAccessibleName("History status")
        self.status_label.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, tip, slot in (
            ("open", "Open", "Review and replay this session (Enter)", self.open_selected),
            ("delete", "Delete…", "Delete the selected sessions (Del)", self.delete_selected),
            ("export", "Export…", "Save the selected sessions as a zip", self.export_selected),
            ("export_all", "Export all…", "Save every session as a zip", self.export_all),
            ("import", "Import…", "Add sessions from a zip made by Export", self.import_archive),
            ("rebuild", "Rebuild index", "Read every session folder again", self.rebuild),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
            if key == "export_all":
                bar.addStretch(1)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("<b>Takes</b>"))
        rl.addWidget(self.takes, 1)
        rl.addWidget(self.delete_take_button)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.empty_label)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([800, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.search_box)
        layout.addWidget(splitter, 1)
        layout.addLayout(bar)
        layout.addWidget(self.status_label)
        for key, slot in (("Return", self.open_selected), ("Delete", self.delete_selected)):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    # --- querying ------------------------------------------------------------------------
    def sort_key(self) -> tuple[str, bool]:
        header = self.table.horizontalHeader()
        column = header.sortIndicatorSection()
        field = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else "created_at"
        return field, header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def reload(self, select: Sequence[Path] = ()) -> None:
        """Query the index (opening or rebuilding it if needed) and refill the table."""
        search = self.search_box.text()
        field, descending = self.sort_key()
        holder = self.holder

        def query() -> list[SessionRow]:
            return holder.get().sessions(search=search, order_by=field, descending=descending)

        self.runner.submit(
            query,
            lane="disk",
            on_done=lambda rows: self._fill(rows, list(select)),
            on_error=self._problem,
        )

    def _fill(self, rows: list[SessionRow], select: list[Path]) -> None:
        keep = set(select) or {r.folder for r in self.selected_rows()}
        self.rows = rows
        self.table.setSortingEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (_, field, fmt, _) in enumerate(COLUMNS):
                item = QTableWidgetItem(cell_text(row, field, fmt))
                item.setData(FOLDER_ROLE, str(row.folder))
                if fmt:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if field == "title":
                    item.setToolTip(f"{row.title}\n{row.folder.name}")
                self.table.setItem(r, c, item)
        for r, row in enumerate(rows):
            if row.folder in keep:
                self.table.selectRow(r)
        searching = bool(self.search_box.text().strip())
        self.empty_label.setText(
            "No session matches this search."
            if searching
            else "No sessions yet. Start a mock interview to record your first."
        )
        self.empty_label.setVisible(not rows)
        self._update_buttons()

    def selected_rows(self) -> list[SessionRow]:
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.rows[i] for i in picked if i < len(self.rows)]

    def _update_buttons(self) -> None:
        chosen = bool(self.selected_rows())
        for key in ("open", "delete", "export"):
            self.buttons[key].setEnabled(chosen)
        self.buttons["export_all"].setEnabled(bool(self.rows))

    def _selection_changed(self) -> None:
        self._update_buttons()
        rows = self.selected_rows()
        self.takes.clear()
        self._session = None
        if len(rows) != 1:
            return
        folder = rows[0].folder
        self.runner.submit(
            lambda: self.store.load(folder),
            lane="disk",
            on_done=lambda s: self._show_takes(folder, s),
            on_error=self._problem,
        )

    def _show_takes(self, folder: Path, session: Session) -> None:
        rows = self.selected_rows()
        if len(rows) != 1 or rows[0].folder != folder:
            return  # the selection moved on while loading
        self._session = (folder, session)
        self.takes.clear()
        for qi, question in enumerate(session.questions):
            if not question.takes:
                continue
            q_item = QTreeWidgetItem([f"{qi + 1}. {question.text}", ""])
            q_item.setToolTip(0, question.text)
            self.takes.addTopLevelItem(q_item)
            for ti, take in enumerate(question.takes):
                best = " (best)" if question.best_take == ti else ""
                seconds = int(take.duration_s)
                t_item = QTreeWidgetItem(
                    [f"Take {ti + 1}{best}", f"{seconds // 60}:{seconds % 60:02d}"]
                )
                t_item.setData(0, FOLDER_ROLE, f"{qi}:{ti}")  # plain text: no PyObject in Qt
                q_item.addChild(t_item)
            q_item.setExpanded(True)

    # --- actions -------------------------------------------------------------------------
    def open_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.open_session(rows[0].folder)

    def _refuse_while_busy(self) -> bool:
        if self.busy():
            self.status_label.setText("Finish the current interview first (Ctrl+E).")
            return True
        return False

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or self._refuse_while_busy():
            return
        what = (
            f"the session “{rows[0].title or 'Interview'}” of "
            f"{cell_text(rows[0], 'created_at', '')}"
            if len(rows) == 1
            else f"these {len(rows)} sessions"
        )
        if not self.confirm(
            f"Delete {what}, with all its recordings and analyses? This cannot be undone."
        ):
            return
        folders = [r.folder for r in rows]
        holder = self.holder

        def run() -> int:
            index = holder.get()
            for folder in folders:
                delete_session(folder, index=index)
            return len(folders)

        self.runner.submit(
            run,
            lane="disk",
            on_done=lambda n: self._done(f"Deleted {n} session(s)."),
            on_error=self._problem_and_reload,
        )

    def delete_selected_take(self) -> None:
        item = self.takes.currentItem()
        where = item.data(0, FOLDER_ROLE) if item is not None else None
        if where is None or self._session is None or self._refuse_while_busy():
            return
        folder, session = self._session
        qi, ti = (int(part) for part in str(where).split(":"))
        question = session.questions[qi]
        if not self.confirm(
            f"Delete take {ti + 1} of “{question.text}”, its recording and analysis? "
            "This cannot be undone."
        ):
            return
        holder, store = self.holder, self.store

        def run() -> None:
            delete_take(store, folder, qi, ti, index=holder.get())

        self.runner.submit(
            run,
            lane="disk",
            on_done=lambda _: self._done("The take was deleted.", [folder]),
            on_error=self._problem_and_reload,
        )

    def export_selected(self) -> None:
        self._export([r.folder for r in self.selected_rows()])

    def export_all(self) -> None:
        self._export([r.folder for r in self.rows])

    def _export(self, folders: list[Path]) -> None:
        if not folders:
            return
        dest = self.pickers.save_zip("second-round-sessions.zip")
        if dest is None:
            return
        if dest.suffix.lower() != ".zip":
            dest = dest.with_name(dest.name + ".zip")
        self.status_label.setText(f"Exporting {len(folders)} session(s)…")
        self.runner.submit(
            lambda: export_zip(folders, dest),
            lane="disk",
            on_done=lambda p: self.status_label.setText(
                f"Exported {len(folders)} session(s) to {p}. The zip holds your recordings: "
                "keep it private."
            ),
            on_error=self._problem,
        )

    def import_archive(self, path: Path | None = None) -> None:
        source = path or self.pickers.open_zip()
        if source is None:
            return
        holder = self.holder
        self.status_label.setText(f"Importing {source.name}…")

        def run() -> tuple[list[Path], list[str]]:
            skipped: list[str] = []
            added = import_zip(source, holder.sessions_root, on_skip=skipped.append)
            index = holder.get()
            for folder in added:
                index.update_session(folder)
            return added, skipped

        def done(result: tuple[list[Path], list[str]]) -> None:
            added, skipped = result
            text = f"Imported {len(added)} session(s) from {source.name}."
            if skipped:
                text += f" {len(skipped)} already here were left as they are."
            self._done(text, added)

        self.runner.submit(run, lane="disk", on_done=done, on_error=self._problem)

    def rebuild(self) -> None:
        holder = self.holder
        self.status_label.setText("Rebuilding the history index…")
        self.runner.submit(
            lambda: holder.get().rebuild(),
            lane="disk",
            on_done=lambda n: self._done(f"History index rebuilt: {n} session(s) found."),
            on_error=self._problem,
        )

    def _done(self, text: str, select: Sequence[Path] = ()) -> None:
        self.status_label.setText(text)
        self.reload(select)
        self.on_changed()

    def _problem(self, error: CoachError) -> None:
        self.status_label.setText(error.message)

    def _problem_and_reload(self, error: CoachError) -> None:
        self._problem(error)
        self.reload()
        self.on_changed()
