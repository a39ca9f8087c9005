"""Import and export of question-bank files for the "My questions" editor.

Split from `question_editor`, which keeps the buttons and the file dialogs that choose a path;
this mixin does the file work on the 'disk' lane and shows the outcome in the status line and
the list of problems found.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QLabel, QListWidget

from coach.core.bank import Bank, Question
from coach.core.bank_problems import BankFileError, BankProblem
from coach.core.custom_bank import export_bank, import_bank_file
from coach.errors import CoachError
from coach.ui.tasks import TaskRunner


class BankImportExport:
    """Bank file import/export and its report; mixed into `QuestionEditor`, which owns these."""

    runner: TaskRunner
    folder: Path
    questions: list[Question]
    status_label: QLabel
    report_list: QListWidget
    banks_changed: SignalInstance

    def import_file(self, path: Path) -> None:
        """Validate and copy a .toml/.csv bank into the user's folder; list what was wrong."""
        self.status_label.setText(f"Importing {path.name}…")
        self.runner.submit(
            lambda: import_bank_file(path, self.folder),
            lane="disk",
            on_done=lambda result: self._imported(path, *result),
            on_error=lambda e: self._import_failed(path, e),
        )

    def _imported(self, path: Path, bank: Bank, problems: list[BankProblem]) -> None:
        count = len(bank.questions)
        skipped = sum(1 for p in problems if p.severity == "error")
        note = f"; {skipped} problem(s) listed below" if skipped else ""
        self.status_label.setText(
            f"Imported {count} question{'s' if count != 1 else ''} from {path.name} as the bank "
            f"“{bank.title}”{note}. Choose it on the setup screen."
        )
        self._show_report(problems)
        self.banks_changed.emit()

    def _import_failed(self, path: Path, error: CoachError) -> None:
        self.status_label.setText(f"Nothing was imported from {path.name}: {error.message}")
        self._show_report(error.problems if isinstance(error, BankFileError) else [])

    def _show_report(self, problems: list[BankProblem]) -> None:
        self.report_list.clear()
        for p in problems:
            where = f"line {p.line}: " if p.line is not None else ""
            about = f"question '{p.question_id}' " if p.question_id else ""
            field = f"{p.field}: " if p.field else ""
            self.report_list.addItem(f"{p.severity}: {where}{about}{field}{p.message}")
        self.report_list.setVisible(bool(problems))

    def report_lines(self) -> list[str]:
        return [self.report_list.item(i).text() for i in range(self.report_list.count())]

    def export_to(self, path: Path) -> None:
        """Write the saved questions to a .toml or .csv file on the disk lane."""
        questions = list(self.questions)
        self.runner.submit(
            lambda: export_bank(questions, path),
            lane="disk",
            on_done=lambda dest: self.status_label.setText(
                f"Exported {len(questions)} question(s) to {dest}."
            ),
            on_error=lambda e: self.status_label.setText(e.message),
        )
