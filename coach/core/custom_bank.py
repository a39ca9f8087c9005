"""The user's own questions, and bank import/export as TOML or CSV.

Everything goes through coach.core.bank's validator, exactly like the built-in banks: a CSV file
is converted to the TOML schema first and validated as such (problems point at CSV lines), and
files are only parsed, never executed. Cells a spreadsheet would run as a formula (=, +, -, @)
are plain text here; on CSV export they are prefixed with an apostrophe (the OWASP "CSV
injection" defence), and that apostrophe is removed again on import so text round-trips.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from coach.core import bank as bank_module
from coach.core.bank import Bank, Question
from coach.core.bank_problems import BankFileError, BankProblem
from coach.core.bank_toml import read_text
from coach.errors import BankError
from coach.storage import storage_error, write_text_atomic

CUSTOM_BANK_ID = "my-questions"
CUSTOM_BANK_FILE = "my-questions.toml"
CUSTOM_BANK_TITLE = "My questions"
CUSTOM_ID_PREFIX = "my-"
CSV_COLUMNS = (
    "id", "text", "category", "difficulty", "answer_seconds", "listen_for", "follow_ups",
    "roles", "tips",
)  # fmt: skip
CSV_OPTIONAL_COLUMNS = ("star", "subcategory")
"""Extra columns this app writes and reads; without `star`, behavioural questions get star."""
LIST_SEPARATOR = " | "
LIST_COLUMNS = frozenset({"listen_for", "follow_ups", "roles", "tips"})
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SLUG = re.compile(r"[^a-z0-9]+")


# --- TOML writing (tomllib only reads) ---------------------------------------------------------


def _toml_string(value: str) -> str:
    """A TOML basic string; JSON escapes are valid TOML, DEL must be escaped as well."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def bank_to_toml(
    questions: Sequence[Question], *, bank_id: str, title: str, description: str = ""
) -> str:
    """A bank file in the documented schema (questions/README.md) holding `questions`."""
    lines = [
        f"schema_version = {bank_module.SCHEMA_VERSION}",
        "",
        "[bank]",
        f"id = {_toml_string(bank_id)}",
        f"title = {_toml_string(title)}",
    ]
    if description:
        lines.append(f"description = {_toml_string(description)}")
    lines.append('roles = ["any"]')
    for q in questions:
        lines += [
            "",
            "[[questions]]",
            f"id = {_toml_string(q.id)}",
            f"text = {_toml_string(q.text)}",
            f"category = {_toml_string(q.category)}",
        ]
        if q.subcategory:
            lines.append(f"subcategory = {_toml_string(q.subcategory)}")
        lines += [
            f"roles = {_toml_list(q.roles)}",
            f"difficulty = {_toml_string(q.difficulty)}",
            f"answer_seconds = {int(q.answer_seconds)}",
            f"star = {'true' if q.star else 'false'}",
            f"listen_for = {_toml_list(q.listen_for)}",
        ]
        if q.tips:
            lines.append(f"tips = {_toml_list(q.tips)}")
        lines.append(f"follow_ups = {_toml_list(q.follow_ups)}")
    return "\n".join(lines) + "\n"


def _atomic_write(dest: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a bank."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(dest, text, newline="")
    except OSError as exc:
        raise storage_error(exc, f"save {dest.name}", dest) from exc


def _validate_text(toml_text: str, label: Path) -> tuple[Bank | None, list[BankProblem]]:
    """Run text through the built-in validator (it reads files, so via a private temp file)."""
    with tempfile.TemporaryDirectory(prefix="coach-bank-") as tmp:
        path = Path(tmp) / label.name
        path.write_text(toml_text, encoding="utf-8")
        banks, problems = bank_module.load_banks([path])
    fixed = [dataclasses.replace(p, path=label) for p in problems]
    if not banks:
        return None, fixed
    return dataclasses.replace(banks[0], path=label), fixed


# --- the user's own questions ------------------------------------------------------------------


class CustomBank:
    """Questions the user wrote, kept in one TOML bank file in their questions folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / CUSTOM_BANK_FILE

    def questions(self) -> list[Question]:
        """The saved questions ([] before the first one is added)."""
        if not self.path.exists():
            return []
        return list(bank_module.load_bank(self.path).questions)

    def add(self, q: Question) -> Question:
        """Validate and save a new question; returns it with its id (made up if blank)."""
        current = self.questions()
        taken = {x.id for x in current}
        question_id = q.id.strip() or self._new_id(q.text, taken)
        if question_id in taken:
            raise BankError(f"A question with the id '{question_id}' already exists.")
        added = dataclasses.replace(q, id=question_id, bank_id=CUSTOM_BANK_ID)
        self._save([*current, added])
        return added

    def update(self, q: Question) -> None:
        """Replace the saved question with the same id."""
        current = self.questions()
        if not any(x.id == q.id for x in current):
            raise BankError(f"There is no question with the id '{q.id}' to change.")
        updated = dataclasses.replace(q, bank_id=CUSTOM_BANK_ID)
        self._save([updated if x.id == q.id else x for x in current])

    def delete(self, question_id: str) -> None:
        """Remove one question; the file stays (possibly empty) so the bank keeps its id."""
        current = self.questions()
        kept = [x for x in current if x.id != question_id]
        if len(kept) == len(current):
            raise BankError(f"There is no question with the id '{question_id}' to delete.")
        self._save(kept)

    def _new_id(self, text: str, taken: set[str]) -> str:
        words = _SLUG.sub("-", text.lower()).strip("-").split("-")[:5]
        base = CUSTOM_ID_PREFIX + ("-".join(w for w in words if w) or "question")
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _save(self, questions: Sequence[Question]) -> None:
        text = bank_to_toml(questions, bank_id=CUSTOM_BANK_ID, title=CUSTOM_BANK_TITLE)
        validated, problems = _validate_text(text, self.path)
        errors = [p for p in problems if p.severity == "error"]
        if validated is None or errors:
            raise BankFileError(errors or problems)
        _atomic_write(self.path, text)


# --- import ------------------------------------------------------------------------------------


def import_bank_file(path: Path, dest_folder: Path) -> tuple[Bank, list[BankProblem]]:
    """Validate a .toml or .csv bank and save its valid questions in `dest_folder`.

    Returns the saved bank and every problem found (invalid questions are skipped and listed).
    Raises BankFileError when nothing usable is in the file, BankError for another file type.
    The saved file is re-written from the validated data, never copied byte for byte, and never
    replaces an existing bank: a clashing bank or question id gets a numbered suffix (warning).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        problems: list[BankProblem] = []
        text = read_text(path, problems)
        if text is None:
            raise BankFileError(problems)
        bank, found = _validate_text(text, path)
        problems += found
    elif suffix == ".csv":
        bank, problems = _import_csv(path)
    else:
        raise BankError(f"Cannot import {path.name}: choose a .toml or .csv question bank.")
    if bank is None or not bank.questions:
        if not any(p.severity == "error" for p in problems):
            problems.append(BankProblem(path, "the file holds no usable questions"))
        raise BankFileError(problems)

    dest_folder = Path(dest_folder)
    saved, clash_problems = _without_id_clashes(bank, dest_folder, path)
    problems += clash_problems
    dest = dest_folder / f"{saved.id}.toml"
    _atomic_write(
        dest,
        bank_to_toml(
            saved.questions, bank_id=saved.id, title=saved.title, description=saved.description
        ),
    )
    return dataclasses.replace(saved, path=dest), problems


def _without_id_clashes(bank: Bank, folder: Path, source: Path) -> tuple[Bank, list[BankProblem]]:
    """Rename bank / question ids already used by the built-in banks or the user's folder."""
    from coach import paths

    sources = [paths.questions_dir()]
    if folder.is_dir() and any(folder.glob("*.toml")):
        sources.append(folder)
    existing, _ = bank_module.load_banks(sources)
    bank_ids = {b.id for b in existing} | {p.stem for p in folder.glob("*.toml")}
    question_ids = {q.id for b in existing for q in b.questions}
    problems: list[BankProblem] = []

    new_bank_id = _unique(bank.id, bank_ids)
    if new_bank_id != bank.id:
        message = f"bank id '{bank.id}' is already used; imported as '{new_bank_id}'"
        problems.append(BankProblem(source, message, field="bank.id", severity="warning"))
    renamed = []
    for q in bank.questions:
        new_id = _unique(q.id, question_ids)
        question_ids.add(new_id)
        if new_id != q.id:
            message = f"id already used by another bank; imported as '{new_id}'"
            problems.append(BankProblem(source, message, None, q.id, "id", "warning"))
        renamed.append(dataclasses.replace(q, id=new_id, bank_id=new_bank_id))
    return dataclasses.replace(bank, id=new_bank_id, questions=tuple(renamed)), problems


def _unique(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _uncell(value: str) -> str:
    """Undo the export's formula guard: "'=SUM(A1)" -> "=SUM(A1)" (text either way)."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _csv_value(column: str, raw: str) -> object:
    value = _uncell(raw.strip())
    if column in LIST_COLUMNS:
        return [_uncell(v.strip()) for v in value.split("|") if v.strip()]
    if column == "answer_seconds":
        return int(value) if re.fullmatch(r"[0-9]{1,6}", value) else value
    if column == "star":
        return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(
            value.lower(), value
        )
    return value


def _import_csv(path: Path) -> tuple[Bank | None, list[BankProblem]]:
    """CSV rows -> the TOML schema -> the bank validator; problems point at CSV lines."""
    problems: list[BankProblem] = []
    text = read_text(path, problems)  # size limit and UTF-8 check, before parsing
    if text is None:
        return None, problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            message = (
                f"the first row must be the header {','.join(CSV_COLUMNS)}; "
                f"missing: {', '.join(missing)}"
            )
            return None, [BankProblem(path, message, 1)]
        known = set(CSV_COLUMNS) | set(CSV_OPTIONAL_COLUMNS)
        for column in header:
            if column not in known:
                message = f"unknown column '{column}' is ignored"
                problems.append(BankProblem(path, message, 1, severity="warning"))
        rows: list[tuple[int, dict[str, object]]] = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                message = f"row has {len(cells)} cells but the header has {len(header)}"
                problems.append(BankProblem(path, message, line))
                continue
            row = {
                col: _csv_value(col, cell)
                for col, cell in zip(header, cells, strict=False)
                if col in known and cell.strip()
            }
            row.setdefault("star", row.get("category") == "behavioural")
            rows.append((line, row))
    except csv.Error as exc:
        return None, [*problems, BankProblem(path, f"not a valid CSV file: {exc}", reader.line_num)]

    toml_questions = [_row_to_toml(row) for _, row in rows]
    bank_id = _SLUG.sub("-", path.stem.lower()).strip("-") or "imported"
    header_toml = bank_to_toml([], bank_id=bank_id, title=path.stem or "Imported questions")
    bank, found = _validate_text(header_toml + "".join(toml_questions), path)
    line_of = {str(row.get("id", "")): line for line, row in rows}
    for index, (line, _) in enumerate(rows):
        line_of.setdefault(f"#{index + 1}", line)
    for problem in found:  # TOML line numbers mean nothing to the user: point at the CSV row
        row_line = line_of.get(problem.question_id) if problem.question_id is not None else None
        problems.append(dataclasses.replace(problem, line=row_line))
    return bank, problems


def _row_to_toml(row: dict[str, object]) -> str:
    """One CSV row as a [[questions]] table; wrong types are kept for the validator to report."""
    lines = ["", "[[questions]]"]
    for key, value in row.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key} = {value}")
        elif isinstance(value, list):
            lines.append(f"{key} = {_toml_list(str(v) for v in value)}")
        else:
            lines.append(f"{key} = {_toml_string(str(value))}")
    return "\n".join(lines) + "\n"


# --- export ------------------------------------------------------------------------------------


def _safe_cell(value: str) -> str:
    """Prefix cells a spreadsheet would evaluate, so opening the export runs nothing."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _csv_list(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(v.replace("|", "/") for v in values)


def export_bank(questions: Sequence[Question], dest: Path) -> Path:
    """Write `questions` to `dest` as a bank file chosen by its suffix (.toml or .csv)."""
    dest = Path(dest)
    suffix = dest.suffix.lower()
    if suffix == ".toml":
        bank_id = _SLUG.sub("-", dest.stem.lower()).strip("-") or "exported"
        text = bank_to_toml(questions, bank_id=bank_id, title=dest.stem or "Exported questions")
    elif suffix == ".csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([*CSV_COLUMNS, *CSV_OPTIONAL_COLUMNS])
        for q in questions:
            cells = [
                q.id, q.text, q.category, q.difficulty, str(q.answer_seconds),
                _csv_list(q.listen_for), _csv_list(q.follow_ups), _csv_list(q.roles),
                _csv_list(q.tips), "true" if q.star else "false", q.subcategory,
            ]  # fmt: skip
            writer.writerow([_safe_cell(c) for c in cells])
        text = out.getvalue()
    else:
        raise BankError(f"Cannot export to {dest.name}: use a .toml or .csv file name.")
    _atomic_write(dest, text)
    return dest
