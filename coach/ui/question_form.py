"""The question form of the "My questions" editor: one widget per `Question` field.

Split from `question_editor` so that module keeps the list, saving, deleting and the bank files;
this mixin only builds the field widgets (each with its own error label, so validator messages
sit next to their field) and turns a `Question` into the form and back. The dialog using it
calls `_build_form()` and owns `form_problem`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
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
    Question,
)

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


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


class QuestionForm:
    """The form's widgets and their `Question` round trip; mixed into `QuestionEditor`."""

    form_problem: QLabel

    def _build_form(self) -> QFormLayout:
        """Make the field widgets and error labels; returns their label | field rows."""
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
        return form

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

    def _clear_errors(self) -> None:
        for label in self.field_errors.values():
            label.clear()
            label.hide()
        self.form_problem.clear()

    def shown_errors(self) -> dict[str, str]:
        """Field name -> the validation message shown next to it (what the user sees)."""
        return {name: lab.text() for name, lab in self.field_errors.items() if lab.text()}
