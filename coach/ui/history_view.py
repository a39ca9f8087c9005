"""Past sessions as a searchable, sortable table, with open, delete, export, import and rebuild.

Every query and file operation runs on the 'disk' lane; the GUI thread only fills the table.
The index is opened lazily on that lane too, because opening may rebuild it from the folders.
This module builds the page and queries; the buttons' actions live in history_actions.py and
the columns in history_table.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from coach.core.history_index import SessionRow
from coach.core.session import Session
from coach.core.session_store import SessionStore
from coach.ui.confirm import ask_yes_no
from coach.ui.history_actions import FilePickers, HistoryActions, dialog_pickers
from coach.ui.history_table import COLUMNS, FOLDER_ROLE, cell_text
from coach.ui.index_holder import IndexHolder
from coach.ui.tasks import TaskRunner


class HistoryView(HistoryActions, QWidget):
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
        # "0:42" needs little room; the question text gets the rest (full text in its tooltip)
        self.takes.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
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
        splitter.setSizes([760, 300])
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
