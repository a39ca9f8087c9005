"""The "My questions" editor: write your own questions, import and export question banks.

Every save goes through the same validator as the built-in banks (coach.core.custom_bank), and
its messages are shown next to the field they are about, so the user fixes the form rather than
a TOML file. All file work runs on the 'disk' lane. The form's widgets live in `question_form`,
bank import/export in `bank_import_export`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.core.bank import Question
from coach.core.bank_problems import BankFileError
from coach.core.custom_bank import CustomBank
from coach.errors import CoachError
from coach.ui.bank_import_export import BankImportExport
from coach.ui.question_form import QuestionForm
from coach.ui.tasks import TaskRunner

BANK_FILTER = "Question banks (*.toml *.csv)"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class QuestionEditor(QDialog, QuestionForm, BankImportExport):
    """Add, change and delete the user's own questions; import/export banks.

    Emits `banks_changed` after anything on disk changed, so the setup screen reloads its banks.
    """

    banks_changed = Signal()

    def __init__(self, runner: TaskRunner, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("My questions")
        self.resize(1040, 720)
        self.runner = runner
        self.folder = Path(folder)
        self.bank = CustomBank(self.folder)
        self.questions: list[Question] = []
        self._editing: str | None = None  # id of the question in the form; None: a new one

        # --- the list ------------------------------------------------------------------------
        self.question_list = QListWidget()
        self.question_list.setAccessibleName("My questions")
        self.question_list.setWordWrap(True)
        self.question_list.currentItemChanged.connect(self._selected)
        self.new_button = QPushButton("New question")
        self.new_button.clicked.connect(self.new_question)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete question")
        self.delete_button.clicked.connect(self._confirm_delete)
        self.import_button = QPushButton("Import bank…")
        self.import_button.setToolTip("Add the questions of a .toml or .csv bank file")
        self.import_button.clicked.connect(self._choose_import)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save your questions as a .toml or .csv file")
        self.export_button.clicked.connect(self._choose_export)

        # --- the form ------------------------------------------------------------------------
        form = self._build_form()
        self.save_button = QPushButton("Save question")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_current)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_current)
        self.form_title = QLabel()
        self.form_problem = QLabel()
        self.form_problem.setWordWrap(True)
        self.form_problem.setStyleSheet("color: #a33;")

        # --- the report of the last import / export ------------------------------------------
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.report_list = QListWidget()
        self.report_list.setAccessibleName("Problems found")
        self.report_list.setMaximumHeight(110)
        self.report_list.hide()
        close = QPushButton("Close")
        close.clicked.connect(self.accept)

        self._lay_out(form, close)
        self.new_question()
        self.reload()

    def _lay_out(self, form: QFormLayout, close: QPushButton) -> None:
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Your questions</b>"))
        left.addWidget(self.question_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        left.addLayout(row)

        form_box = QWidget()
        inner = QVBoxLayout(form_box)
        inner.addWidget(self.form_title)
        inner.addLayout(form)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_box)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Save and its verdict stay below the scrolling form: a long form must not hide them.
        save_row = QHBoxLayout()
        save_row.addWidget(self.form_problem, 1)
        save_row.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addWidget(scroll, 1)
        right.addLayout(save_row)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.report_list)
        layout.addLayout(bottom)

    # --- loading and the list ----------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Read the saved questions on the disk lane; then select `select` (an id) if given."""
        self.runner.submit(
            self.bank.questions,
            lane="disk",
            on_done=lambda found: self._show_questions(found, select),
            on_error=self._load_failed,
        )

    def _show_questions(self, questions: list[Question], select: str | None) -> None:
        self.questions = list(questions)
        self.question_list.blockSignals(True)
        self.question_list.clear()
        for q in self.questions:
            item = QListWidgetItem(q.text)
            item.setData(Qt.ItemDataRole.UserRole, q.id)
            item.setToolTip(f"{q.id} · {q.category} · {q.difficulty}")
            self.question_list.addItem(item)
        self.question_list.blockSignals(False)
        ids = [q.id for q in self.questions]
        if select in ids:
            self.question_list.setCurrentRow(ids.index(select))
        self.export_button.setEnabled(bool(self.questions))
        self.delete_button.setEnabled(self._editing is not None)
        if not self.questions:
            self.status_label.setText(
                "You have no questions of your own yet: write one on the right, or import a bank."
            )

    def _load_failed(self, error: CoachError) -> None:
        self.status_label.setText(f"Your questions file could not be read: {error.message}")
        if isinstance(error, BankFileError):
            self._show_report(error.problems)

    def _selected(self, current: QListWidgetItem | None, _previous: object = None) -> None:
        if current is None:
            return
        question_id = current.data(Qt.ItemDataRole.UserRole)
        question = next((q for q in self.questions if q.id == question_id), None)
        if question is not None:
            self.edit_question(question)

    # --- the form ----------------------------------------------------------------------------
    def new_question(self) -> None:
        """An empty form with sensible defaults (a behavioural STAR question)."""
        self.question_list.clearSelection()
        self.question_list.setCurrentRow(-1)
        self.fill_form(
            Question(
                id="",
                text="",
                category="behavioural",
                difficulty="medium",
                answer_seconds=120,
                listen_for=(),
                follow_ups=(),
                star=True,
            )
        )
        self._editing = None
        self.id_edit.setReadOnly(False)
        self.form_title.setText("<b>New question</b>")
        self.delete_button.setEnabled(False)
        self.text_edit.setFocus()

    def edit_question(self, question: Question) -> None:
        self.fill_form(question)
        self._editing = question.id
        self.id_edit.setReadOnly(True)  # the id names the question in saved sessions
        self.form_title.setText(f"<b>Edit question</b> · {question.id}")
        self.delete_button.setEnabled(True)

    def save_current(self) -> None:
        """Validate and save the form (add or update) on the disk lane."""
        question = self.form_question()
        editing = self._editing
        self._clear_errors()
        self.save_button.setEnabled(False)

        def save() -> str:
            if editing is None:
                return self.bank.add(question).id
            self.bank.update(question)
            return question.id

        self.runner.submit(save, lane="disk", on_done=self._saved, on_error=self._save_failed)

    def _saved(self, question_id: str) -> None:
        self.save_button.setEnabled(True)
        self._editing = question_id
        self.id_edit.setText(question_id)
        self.id_edit.setReadOnly(True)
        self.form_title.setText(f"<b>Edit question</b> · {question_id}")
        self.status_label.setText("Saved. It is in the “My questions” bank on the setup screen.")
        self.reload(select=question_id)
        self.banks_changed.emit()

    def _save_failed(self, error: CoachError) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, BankFileError):
            self.form_problem.setText(error.message)
            return
        general = []
        for problem in error.problems:
            label = self.field_errors.get(problem.field or "")
            if label is not None and problem.severity == "error":
                shown = label.text()
                label.setText(f"{shown}\n{_sentence(problem.message)}".strip())
                label.show()
            else:
                general.append(_sentence(problem.message))
        self.form_problem.setText(
            "Not saved: fix the marked fields." + ("\n" + "\n".join(general) if general else "")
        )

    # --- delete ------------------------------------------------------------------------------
    def _confirm_delete(self) -> None:
        if self._editing is None:
            return
        answer = QMessageBox.question(
            self, "Delete question", "Delete this question? Past sessions keep their copy."
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_question(self._editing)

    def delete_question(self, question_id: str) -> None:
        self.runner.submit(
            lambda: self.bank.delete(question_id),
            lane="disk",
            on_done=lambda _: self._deleted(),
            on_error=lambda e: self.form_problem.setText(e.message),
        )

    def _deleted(self) -> None:
        self.status_label.setText("Deleted.")
        self.new_question()
        self.reload()
        self.banks_changed.emit()

    # --- import / export ---------------------------------------------------------------------
    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import a question bank", "", BANK_FILTER)
        if name:
            self.import_file(Path(name))

    def _choose_export(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export my questions", "my-questions.toml", "TOML (*.toml);;CSV (*.csv)"
        )
        if name:
            path = Path(name)
            if path.suffix.lower() not in (".toml", ".csv"):
                path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".toml")
            self.export_to(path)
