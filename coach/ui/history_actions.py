"""What the history page's buttons do: open, delete (session or take), export, import, rebuild.

Split from the widget so history_view.py holds only layout and querying. HistoryActions is mixed
into HistoryView, which builds the attributes declared below; every file operation runs on the
'disk' lane. Confirmations and file pickers are plain callables so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QLabel, QTreeWidget, QWidget

from coach.core.archive import export_zip, import_zip
from coach.core.data_ops import delete_session, delete_take
from coach.core.history_index import SessionRow
from coach.core.session import Session
from coach.core.session_store import SessionStore
from coach.errors import CoachError
from coach.ui.history_table import FOLDER_ROLE, cell_text
from coach.ui.index_holder import IndexHolder
from coach.ui.tasks import TaskRunner


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


class HistoryActions:
    """The history page's actions; HistoryView provides the widgets and state named here."""

    runner: TaskRunner
    holder: IndexHolder
    store: SessionStore
    open_session: Callable[[Path], None]
    confirm: Callable[[str], bool]
    pickers: FilePickers
    busy: Callable[[], bool]
    on_changed: Callable[[], None]
    rows: list[SessionRow]
    _session: tuple[Path, Session] | None
    takes: QTreeWidget
    status_label: QLabel

    if TYPE_CHECKING:  # defined by HistoryView

        def selected_rows(self) -> list[SessionRow]: ...

        def reload(self, select: Sequence[Path] = ()) -> None: ...

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
