"""The setup screen's "From a question bank" tab: bank, category and a preview of what matches.

The counterpart of coach.ui.job_panel. It also opens the "My questions" editor and reloads the
banks when the user changes them, so the choice always lists what is on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach import paths
from coach.core.bank import Bank, Question, load_banks, questions_for
from coach.ui.accessible import named
from coach.ui.tasks import TaskRunner

ALL = "All questions"


class BankPanel(QWidget):
    """Choose a bank and a category; `bank_pool()` is every question that matches the choice."""

    def __init__(
        self, banks: Sequence[Bank], runner: TaskRunner, user_questions: Path | None = None
    ) -> None:
        super().__init__()
        self.banks = list(banks)
        self.runner = runner
        self.user_questions = user_questions or paths.user_questions_dir()
        self.editor: QWidget | None = None

        self.bank_box = QComboBox()
        named(self.bank_box, "Question bank")
        self.category_box = QComboBox()
        named(self.category_box, "Category")
        self._fill_banks()
        self.bank_box.currentIndexChanged.connect(self._refresh_categories)
        self.category_box.currentIndexChanged.connect(lambda _: self._refresh_preview())
        self.my_questions_button = QPushButton("My questions…")
        named(self.my_questions_button, "My questions")
        self.my_questions_button.setToolTip(
            "Write your own questions, or import and export question banks"
        )
        self.my_questions_button.clicked.connect(self.open_question_editor)
        self.match_label = QLabel()
        self.preview_list = QListWidget()
        named(self.preview_list, "Matching questions")
        self.preview_list.setWordWrap(True)
        self.preview_list.setAlternatingRowColors(True)

        bank_form = QFormLayout()
        bank_row = QHBoxLayout()
        bank_row.addWidget(self.bank_box, 1)
        bank_row.addWidget(self.my_questions_button)
        bank_form.addRow("Bank", bank_row)
        bank_form.addRow("Category", self.category_box)
        bank_layout = QVBoxLayout(self)
        bank_layout.addLayout(bank_form)
        bank_layout.addWidget(self.match_label)
        bank_layout.addWidget(self.preview_list, 1)
        self._refresh_categories()

    def _fill_banks(self) -> None:
        current = self.bank_box.currentData()
        self.bank_box.blockSignals(True)
        self.bank_box.clear()
        self.bank_box.addItem(ALL, None)
        for bank in self.banks:
            self.bank_box.addItem(f"{bank.title} ({len(bank.questions)})", bank.id)
        self.bank_box.setCurrentIndex(max(self.bank_box.findData(current), 0))
        self.bank_box.blockSignals(False)

    def set_banks(self, banks: Sequence[Bank]) -> None:
        """New bank list (after the user edited or imported questions); keeps the selection."""
        self.banks = list(banks)
        self._fill_banks()
        self._refresh_categories()

    def reload_banks(self) -> None:
        """Load the built-in and the user's banks again on the disk lane."""
        folders = [paths.questions_dir()]
        if self.user_questions.is_dir():
            folders.append(self.user_questions)
        self.runner.submit(lambda: load_banks(folders)[0], lane="disk", on_done=self.set_banks)

    def open_question_editor(self) -> QWidget:
        """Open (or raise) the "My questions" editor; the banks reload when it changes them."""
        from coach.ui.question_editor import QuestionEditor

        if self.editor is None:
            editor = QuestionEditor(self.runner, self.user_questions, self)
            editor.banks_changed.connect(self.reload_banks)
            self.editor = editor
        self.editor.show()
        self.editor.raise_()
        return self.editor

    def _selected_banks(self) -> list[Bank]:
        bank_id = self.bank_box.currentData()
        return [b for b in self.banks if bank_id is None or b.id == bank_id]

    def _refresh_categories(self) -> None:
        current = self.category_box.currentData()
        self.category_box.blockSignals(True)
        self.category_box.clear()
        self.category_box.addItem(ALL, None)
        cats = sorted({q.category for b in self._selected_banks() for q in b.questions})
        for cat in cats:
            self.category_box.addItem(cat.replace("-", " ").capitalize(), cat)
        index = self.category_box.findData(current)
        self.category_box.setCurrentIndex(max(index, 0))
        self.category_box.blockSignals(False)
        self._refresh_preview()

    def bank_pool(self) -> list[Question]:
        category = self.category_box.currentData()
        return questions_for(self._selected_banks(), categories=[category] if category else None)

    def _refresh_preview(self) -> None:
        pool = self.bank_pool()
        self.preview_list.clear()
        self.preview_list.addItems([q.text for q in pool])
        if not pool:
            self.match_label.setText("No questions match this bank and category.")
        else:
            verb = "question matches" if len(pool) == 1 else "questions match"
            self.match_label.setText(f"{len(pool)} {verb} this choice:")
