"""The "Tailor to a job" panel: a job advert in, editable key terms and a role out.

Reading the file and finding the terms run on TaskRunner lanes (PDF parsing and YAKE can take a
moment on a long advert); the user then corrects the machine's guesses, because only they know
which skills the interview will really probe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach.content.tailored import as_question
from coach.core.bank import ROLES, Question
from coach.core.jobdesc import extract_key_terms, guess_roles, read_job_description
from coach.errors import CoachError
from coach.ui.tasks import TaskRunner

NO_ROLE = "No particular role"
JOB_LANE = "jobs"
"""Own lane: a long take analysis on another lane must not delay the user's click."""


@dataclass(frozen=True)
class JobAnalysis:
    """What the posting suggests: key terms best first and fitting roles best first."""

    terms: list[str]
    roles: list[str]


def analyse_job(text: str) -> JobAnalysis:
    """Runs on a worker lane: key terms and role guesses for one posting."""
    return JobAnalysis([t.text for t in extract_key_terms(text)], guess_roles(text))


def role_label(role: str) -> str:
    """ "retail-hospitality" -> "Retail hospitality", for people rather than files."""
    return role.replace("-", " ").capitalize()


class JobPanel(QWidget):
    """Emits `changed` whenever the job (terms, role, or whether one is set) changes."""

    changed = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._analysed_text: str | None = None
        self._guessed: list[str] = []
        self._after_analysis: list[Callable[[], None]] = []

        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("Job description")
        self.description_edit.setPlaceholderText(
            "Paste the job advert here (duties, skills, requirements), or open a saved "
            "file. The questions are then chosen for this job."
        )
        self.description_edit.textChanged.connect(self._text_edited)
        self.open_button = QPushButton("Open file…")
        self.open_button.setAccessibleName("Open job description file")
        self.open_button.setToolTip("A .txt, .md, .pdf or .docx file")
        self.open_button.clicked.connect(self._choose_file)
        self.find_button = QPushButton("Find key terms")
        self.find_button.setAccessibleName("Find key terms")
        self.find_button.clicked.connect(lambda: self.find_terms())
        self.tailor_button = QPushButton("Suggest questions…")
        self.tailor_button.setAccessibleName("Suggest tailored questions")
        self.tailor_button.setToolTip(
            "The language model proposes questions for this job (and your résumé)"
        )
        self.tailor_button.clicked.connect(self.suggest_questions)
        self.tailored: list[Question] = []
        self.engine_provider: Callable[[], Any] = lambda: None
        self.bank_texts: Callable[[], list[str]] = list
        self.clear_button = QPushButton("Clear job")
        self.clear_button.setAccessibleName("Clear job")
        self.clear_button.clicked.connect(self.clear)

        self.role_box = QComboBox()
        self.role_box.setAccessibleName("Role")
        self.role_box.addItem(NO_ROLE, "")
        for role in ROLES:
            if role != "any":
                self.role_box.addItem(role_label(role), role)
        self.role_box.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.terms_list = QListWidget()
        self.terms_list.setAccessibleName("Key terms")
        self.terms_list.setToolTip("Double-click a term to edit it; Delete removes it.")
        self.terms_list.itemChanged.connect(self._term_edited)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.terms_list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)  # not while typing the advert
        delete.activated.connect(self.remove_selected_terms)
        self.term_input = QLineEdit()
        self.term_input.setAccessibleName("New key term")
        self.term_input.setPlaceholderText("Add a skill or topic…")
        self.term_input.returnPressed.connect(self._add_from_input)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._add_from_input)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove key term")
        self.remove_button.clicked.connect(self.remove_selected_terms)
        self.status_label = QLabel("Paste an advert or open a file, then press “Find key terms”.")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #555;")

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.tailor_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        left = QVBoxLayout()
        left.addWidget(self.description_edit, 1)
        left.addLayout(buttons)

        right = QGridLayout()
        right.addWidget(QLabel("Role"), 0, 0)
        right.addWidget(self.role_box, 0, 1, 1, 2)
        terms_header = QHBoxLayout()
        terms_header.addWidget(QLabel("Key terms"), 1)
        terms_header.addWidget(self.remove_button)
        right.addLayout(terms_header, 1, 0, 1, 3)
        right.addWidget(self.terms_list, 2, 0, 1, 3)
        add_row = QHBoxLayout()
        add_row.addWidget(self.term_input, 1)
        add_row.addWidget(self.add_button)
        right.addLayout(add_row, 3, 0, 1, 3)
        right.setRowStretch(2, 1)
        right.setColumnStretch(1, 1)

        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status_label)
        self._update_buttons()

    # --- what the rest of the app reads ----------------------------------------------------
    def has_job(self) -> bool:
        """True once key terms were found (or typed) or a role chosen."""
        return bool(self.job_terms()) or bool(self.job_role())

    def needs_analysis(self) -> bool:
        """True when there is advert text whose terms were not looked for yet."""
        text = self.description_edit.toPlainText().strip()
        return bool(text) and text != self._analysed_text

    def job_description(self) -> str:
        return self.description_edit.toPlainText().strip() if self.has_job() else ""

    def job_terms(self) -> list[str]:
        items = (self.terms_list.item(i) for i in range(self.terms_list.count()))
        return [item.text().strip() for item in items if item.text().strip()]

    def job_role(self) -> str:
        return str(self.role_box.currentData() or "")

    def job_roles(self) -> list[str]:
        """The chosen role first, then the other guessed roles if the user kept the guess."""
        role = self.job_role()
        if not role:
            return []
        if role not in self._guessed:  # the user overrode the guess: trust them alone
            return [role]
        return [role, *(r for r in self._guessed if r != role)]

    def job_title(self) -> str:
        """The advert's first line (usually the job title), for the session title."""
        text = self.job_description()
        first = text.splitlines()[0].strip() if text else ""
        return first if len(first) <= 60 else first[:57].rstrip() + "…"

    # --- actions ---------------------------------------------------------------------------
    def set_description(self, text: str) -> None:
        self.description_edit.setPlainText(text)

    def suggest_questions(self) -> None:
        """Open the tailored-questions picker (the model runs there, on its own lane)."""
        from coach.ui.tailored_dialog import TailoredQuestionsDialog

        dialog = TailoredQuestionsDialog(
            self.runner, self.description_edit.toPlainText(), self.bank_texts(),
            self.engine_provider(), parent=self,
        )  # fmt: skip
        dialog.accepted.connect(lambda: self.add_tailored(dialog.chosen()))
        dialog.finished.connect(dialog.deleteLater)
        self.tailor_dialog = dialog
        dialog.open()

    def add_tailored(self, texts: list[str]) -> None:
        known = {q.text for q in self.tailored}
        start = len(self.tailored)
        new = [t for t in texts if t not in known]
        self.tailored += [as_question(t, start + i + 1) for i, t in enumerate(new)]
        if self.tailored:
            self.status_label.setText(
                f"{len(self.tailored)} tailored question(s) will be asked first."
            )
        self.changed.emit()

    def clear(self) -> None:
        self.tailored = []
        self.description_edit.clear()
        self.terms_list.clear()
        self.role_box.setCurrentIndex(0)
        self._guessed = []
        self._analysed_text = None
        self.status_label.setText("Paste an advert or open a file, then press “Find key terms”.")
        self._update_buttons()
        self.changed.emit()

    def load_file(self, path: Path) -> None:
        """Read a .txt/.md/.pdf/.docx advert on the disk lane, then find its terms."""
        self.status_label.setText(f"Reading {Path(path).name}…")
        self.runner.submit(
            lambda: read_job_description(Path(path)),
            lane="disk",
            on_done=self._file_read,
            on_error=self._failed,
        )

    def find_terms(self, then: Callable[[], None] | None = None) -> None:
        """Look for key terms and roles in the advert on a lane; `then` runs when done."""
        text = self.description_edit.toPlainText().strip()
        if not text:
            self.status_label.setText("Paste a job advert or open a file first.")
            return
        if then is not None:
            self._after_analysis.append(then)
        self._analysed_text = text
        self.find_button.setEnabled(False)
        self.status_label.setText("Finding key terms…")
        self.runner.submit(
            lambda: analyse_job(text), lane=JOB_LANE, on_done=self._show, on_error=self._failed
        )

    def add_term(self, term: str) -> None:
        term = " ".join(term.split())
        if term and term.lower() not in (t.lower() for t in self.job_terms()):
            self.terms_list.addItem(self._term_item(term))
            self._update_buttons()
            self.changed.emit()

    def remove_selected_terms(self) -> None:
        for item in self.terms_list.selectedItems():
            self.terms_list.takeItem(self.terms_list.row(item))
        self._update_buttons()
        self.changed.emit()

    # --- internals -------------------------------------------------------------------------
    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open a job description", "", "Job adverts (*.txt *.md *.pdf *.docx)"
        )
        if name:
            self.load_file(Path(name))

    def _file_read(self, text: str) -> None:
        self.set_description(text)
        self.find_terms()

    def _show(self, found: JobAnalysis) -> None:
        self.terms_list.clear()
        for term in found.terms:
            self.terms_list.addItem(self._term_item(term))
        self._guessed = list(found.roles)
        self.role_box.setCurrentIndex(
            max(self.role_box.findData(found.roles[0]), 0) if found.roles else 0
        )
        if found.terms:
            role = (
                f" It looks like a {role_label(found.roles[0]).lower()} job." if found.roles else ""
            )
            others = ", ".join(role_label(r).lower() for r in found.roles[1:])
            also = f" Also fits: {others}." if others else ""
            self.status_label.setText(
                f"Found {len(found.terms)} key terms.{role}{also} Edit them to match the job: "
                "double-click to change, Delete to remove."
            )
        else:
            self.status_label.setText(
                "No key terms found: is this the job advert? You can add terms by hand."
            )
        self._update_buttons()
        self.changed.emit()
        waiting, self._after_analysis = self._after_analysis, []
        for callback in waiting:
            callback()

    def _failed(self, error: CoachError) -> None:
        self._after_analysis = []
        self._analysed_text = None
        self.status_label.setText(error.message)
        self._update_buttons()

    def _term_item(self, term: str) -> QListWidgetItem:
        item = QListWidgetItem(term)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _term_edited(self, item: QListWidgetItem) -> None:
        if not item.text().strip():  # emptied by the user: drop it
            self.terms_list.takeItem(self.terms_list.row(item))
        self.changed.emit()

    def _add_from_input(self) -> None:
        self.add_term(self.term_input.text())
        self.term_input.clear()

    def _text_edited(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_text = bool(self.description_edit.toPlainText().strip())
        self.find_button.setEnabled(has_text)
        self.tailor_button.setEnabled(has_text)
        self.clear_button.setEnabled(has_text or self.terms_list.count() > 0)
