"""The tailored-questions picker: the model proposes up to 8 questions for the pasted job (and
an optional résumé); the user ticks the ones to add to the interview.

The model runs on its own lane with a busy bar and Cancel; without a model the dialog says so
and offers nothing (no invented questions). Proposals that nearly repeat a bank question are
shown unticked with the bank question they resemble (coach.content.tailored).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach.content.tailored import Proposal, propose_questions, read_resume
from coach.errors import CoachError
from coach.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from coach.content.llm_engine import LlmEngine

LANE = "tailor"
NO_MODEL = (
    "No language model is set (Settings → Language model), so no questions are suggested: "
    "Second Round does not invent them without one. The bank's questions matching the job's "
    "key terms are used."
)


class TailoredQuestionsDialog(QDialog):
    """`chosen()` after accept: the ticked question texts."""

    def __init__(
        self,
        runner: TaskRunner,
        job: str,
        bank: list[str],
        engine: LlmEngine | None,
        pick_resume: Callable[[], Path | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Questions tailored to this job")
        self.setMinimumWidth(620)
        self.runner, self.job, self.bank, self.engine = runner, job, bank, engine
        self.pick_resume = pick_resume or self._ask_resume
        self.resume_text = ""
        self.proposals: list[Proposal] = []
        self.intro = QLabel(
            "The language model reads the job advert (and your résumé, if you add one) and "
            "proposes up to 8 questions. Tick the ones to add to the interview."
        )
        self.intro.setWordWrap(True)
        self.resume_button = QPushButton("Add a résumé (optional)…")
        self.resume_button.setToolTip("A .pdf, .docx or .txt file; it stays on this computer")
        self.resume_button.clicked.connect(self.choose_resume)
        self.resume_label = QLabel("No résumé: the questions come from the advert only.")
        self.resume_label.setWordWrap(True)
        self.suggest_button = QPushButton("Suggest questions")
        self.suggest_button.setDefault(True)
        self.suggest_button.clicked.connect(self.suggest)
        self.cancel_button = QPushButton("Stop")
        self.cancel_button.setToolTip("Stop the language model")
        self.cancel_button.clicked.connect(self.stop)
        self.cancel_button.hide()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName("Suggesting questions")
        self.bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Suggested questions")
        self.list.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.addButton(
            "Add ticked questions", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        resume_row = QHBoxLayout()
        resume_row.addWidget(self.resume_button)
        resume_row.addWidget(self.resume_label, 1)
        run_row = QHBoxLayout()
        run_row.addWidget(self.suggest_button)
        run_row.addWidget(self.bar, 3)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(1)
        layout = QVBoxLayout(self)
        for part in (self.intro, resume_row, run_row, self.status, self.list, buttons):
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        if engine is None:
            self.status.setText(NO_MODEL)
            for widget in (self.suggest_button, self.resume_button):
                widget.setEnabled(False)

    def choose_resume(self) -> None:
        path = self.pick_resume()
        if path is None:
            return

        def read_done(text: str) -> None:
            self.resume_text = text
            self.resume_label.setText(f"Résumé: {path.name} ({len(text.split())} words)")

        self.resume_label.setText(f"Reading {path.name}…")
        self.runner.submit(
            lambda: read_resume(path), lane=LANE, on_done=read_done, on_error=self._failed
        )

    def suggest(self) -> None:
        engine = self.engine
        if engine is None:
            return
        job, bank, resume = self.job, list(self.bank), self.resume_text
        self.suggest_button.setEnabled(False)
        self.bar.show()
        self.cancel_button.show()
        self.status.setText(f"The language model ({engine.name}) is writing questions…")
        self.runner.submit(
            lambda: propose_questions(engine, job, bank, resume),
            lane=LANE,
            on_done=self._proposed,
            on_error=self._failed,
        )

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.cancel()
        self.status.setText("Stopping…")

    def _idle(self) -> None:
        self.bar.hide()
        self.cancel_button.hide()
        self.suggest_button.setEnabled(self.engine is not None)

    def _proposed(self, proposals: list[Proposal]) -> None:
        self._idle()
        self.proposals = proposals
        self.list.clear()
        for p in proposals:
            text = p.text
            if p.duplicate_of == p.text:
                text += "  — already in the bank"
            elif p.duplicate_of:
                text += f"  — close to the bank's “{p.duplicate_of}”"
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Unchecked if p.duplicate_of else Qt.CheckState.Checked
            )
            self.list.addItem(item)
        name = self.engine.name if self.engine is not None else "the model"
        if proposals:
            self.status.setText(
                f"{len(proposals)} question(s) from the language model {name}. Near-duplicates of "
                "bank questions are unticked."
            )
        else:
            self.status.setText(
                f"The language model {name} gave no usable question (each must be one question "
                "ending in “?”). Try again, or use the bank's questions."
            )
        self.add_button.setEnabled(bool(proposals))

    def _failed(self, error: CoachError) -> None:
        self._idle()
        self.status.setText(error.message)

    def chosen(self) -> list[str]:
        return [
            self.proposals[i].text
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _ask_resume(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose your résumé", str(Path.home()), "Résumé (*.pdf *.docx *.txt *.md)"
        )
        return Path(name) if name else None
