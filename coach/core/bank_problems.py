"""Problems found in bank files, and the error that carries them.

Banks are edited by hand, so problems are collected and reported (compiler-style, with file,
line and question id) rather than raised one at a time; only a file that cannot be used at all
raises `BankFileError`, listing everything wrong with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.errors import BankError


@dataclass(frozen=True)
class BankProblem:
    """One problem found in a bank file, printable as a compiler-style line."""

    path: Path
    message: str
    line: int | None = None
    question_id: str | None = None
    field: str | None = None
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        subject = []
        if self.question_id is not None:
            subject.append(f"question '{self.question_id}'")
        if self.field is not None:
            subject.append(f"field '{self.field}'")
        about = f"{' '.join(subject)}: " if subject else ""
        return f"{where}: {self.severity}: {about}{self.message}"


class BankFileError(BankError):
    """A bank file that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[BankProblem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        more = len(errors) - 1
        detail = f"{more} more problem{'s' if more > 1 else ''} in this file" if more > 0 else ""
        super().__init__(str(errors[0]) if errors else "unusable question bank", detail=detail)
        self.problems: list[BankProblem] = list(problems)
