"""The "My questions" editor: write your own questions, import and export question banks.

Every save goes through the same validator as the built-in banks (coach.core.custom_bank), and
its messages are shown next to the field they are about, so the user fixes the form rather than
a TOML file. All file work runs on the 'disk' lane.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.bank import (
    CATEGORIES,
    DIFFICULTIES,
    MAX_ANSWER_SECONDS,
    MIN_ANSWER_SECONDS,
    ROLES,
    Bank,
    Question,
)
from coach.core.bank_problems import BankFileError, BankProblem
from coach.core.custom_bank import CustomBank, export_bank, import_bank_file
from coach.errors import CoachError
from coach.ui.tasks import TaskRunner

LIST_FIELDS = ("listen_for", "follow_ups", "tips")
FIELD_LABELS = {
    "id": "Id",
    "text": "Question",
    "category": "Category",
    "subcategory": "Subcategory",
    "roles": "Roles",
    "difficulty": "Difficulty",
    "answer_seconds": "Answer time",
    "star": "STAR answer",
    "listen_for": "Listen for",
    "follow_ups": "Follow-ups",
    "tips": "Tips",
}
BANK_FILTER = "Question banks (*.toml *.csv)"


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class QuestionEditor(QDialog):
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
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("made from the question when left empty")
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("Tell me about a time you…")
        self.text_edit.setFixedHeight(70)
        self.category_box = QComboBox()
        for category in CATEGORIES:
            self.category_box.addItem(category.replace("-", " ").capitalize(), category)
        self.subcategory_edit = QLineEdit()
        self.subcategory_edit.setPlaceholderText("optional, e.g. teamwork")
        self.roles_list = QListWidget()
        self.roles_list.setFlow(QListWidget.Flow.LeftToRight)
        self.roles_list.setWrapping(True)
        self.roles_list.setFixedHeight(64)
        for role in ROLES:
            item = QListWidgetItem(role)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.roles_list.addItem(item)
        self.difficulty_box = QComboBox()
        self.difficulty_box.addItems(list(DIFFICULTIES))
        self.answer_box = QSpinBox()
        self.answer_box.setRange(MIN_ANSWER_SECONDS, MAX_ANSWER_SECONDS)
        self.answer_box.setSingleStep(15)
        self.answer_box.setSuffix(" s")
        self.star_check = QCheckBox("Expects a STAR story (situation, task, action, result)")
        self.listen_edit = QPlainTextEdit()
        self.listen_edit.setPlaceholderText("2 to 4 points, one per line")
        self.follow_edit = QPlainTextEdit()
        self.follow_edit.setPlaceholderText("1 to 3 follow-up questions, one per line")
        self.tips_edit = QPlainTextEdit()
        self.tips_edit.setPlaceholderText("up to 3 tips, one per line (optional)")
        for edit in (self.listen_edit, self.follow_edit, self.tips_edit):
            edit.setFixedHeight(62)
        self.field_widgets: dict[str, QWidget] = {
            "id": self.id_edit,
            "text": self.text_edit,
            "category": self.category_box,
            "subcategory": self.subcategory_edit,
            "roles": self.roles_list,
            "difficulty": self.difficulty_box,
            "answer_seconds": self.answer_box,
            "star": self.star_check,
            "listen_for": self.listen_edit,
            "follow_ups": self.follow_edit,
            "tips": self.tips_edit,
        }
        self.field_errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, widget in self.field_widgets.items():
            widget.setAccessibleName(FIELD_LABELS[name])
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet("color: #a33;")
            error.hide()
            self.field_errors[name] = error
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(error)
            form.addRow(FIELD_LABELS[name], cell)
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
        inner.addWidget(self.form_problem)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        inner.addLayout(save_row)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_box)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addWidget(scroll, 3)
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

    def fill_form(self, q: Question) -> None:
        self._clear_errors()
        self.id_edit.setText(q.id)
        self.text_edit.setPlainText(q.text)
        self.category_box.setCurrentIndex(max(self.category_box.findData(q.category), 0))
        self.subcategory_edit.setText(q.subcategory)
        for i in range(self.roles_list.count()):
            item = self.roles_list.item(i)
            checked = item.text() in q.roles
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.difficulty_box.setCurrentText(q.difficulty)
        self.answer_box.setValue(q.answer_seconds)
        self.star_check.setChecked(q.star)
        self.listen_edit.setPlainText("\n".join(q.listen_for))
        self.follow_edit.setPlainText("\n".join(q.follow_ups))
        self.tips_edit.setPlainText("\n".join(q.tips))

    def form_question(self) -> Question:
        """The question as the form shows it (not validated: the bank validator does that)."""
        roles = tuple(
            self.roles_list.item(i).text()
            for i in range(self.roles_list.count())
            if self.roles_list.item(i).checkState() == Qt.CheckState.Checked
        )
        return Question(
            id=self.id_edit.text().strip(),
            text=" ".join(self.text_edit.toPlainText().split()),
            category=str(self.category_box.currentData()),
            difficulty=self.difficulty_box.currentText(),
            answer_seconds=self.answer_box.value(),
            listen_for=_lines(self.listen_edit),
            follow_ups=_lines(self.follow_edit),
            roles=roles or ("any",),
            subcategory=self.subcategory_edit.text().strip(),
            star=self.star_check.isChecked(),
            tips=_lines(self.tips_edit),
        )

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

    def _clear_errors(self) -> None:
        for label in self.field_errors.values():
            label.clear()
            label.hide()
        self.form_problem.clear()

    def shown_errors(self) -> dict[str, str]:
        """Field name -> the validation message shown next to it (what the user sees)."""
        return {name: lab.text() for name, lab in self.field_errors.items() if lab.text()}

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

    def _choose_export(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export my questions", "my-questions.toml", "TOML (*.toml);;CSV (*.csv)"
        )
        if name:
            path = Path(name)
            if path.suffix.lower() not in (".toml", ".csv"):
                path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".toml")
            self.export_to(path)

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
