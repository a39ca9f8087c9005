"""Question banks: user-editable TOML files validated once into frozen dataclasses.

Banks are data people edit by hand, so every problem is reported with file, line and question
id instead of crashing, one bad file never hides the good ones, and a file is only ever parsed
as TOML (never executed).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import stat
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import BankError

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_TEXT_CHARS = 400
MIN_ANSWER_SECONDS, MAX_ANSWER_SECONDS = 15, 300
NEAR_DUPLICATE_RATIO = 0.9

# fmt: off
CATEGORIES: tuple[str, ...] = (
    "general", "behavioural", "situational", "motivation", "career", "candidate-questions",
    "closing", "role",
)
ROLES: tuple[str, ...] = (
    "any", "software", "data", "sales", "customer-service", "healthcare", "teaching",
    "retail-hospitality", "project-management", "marketing", "administration", "graduate",
    "manager",
)
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
_QUESTION_KEYS = frozenset({
    "id", "text", "category", "subcategory", "roles", "difficulty", "answer_seconds", "star",
    "listen_for", "tips", "follow_ups",
})
# fmt: on
_BANK_KEYS = frozenset({"id", "title", "description", "roles"})
_TOP_KEYS = frozenset({"schema_version", "bank", "questions"})
_ID_PATTERN = re.compile(r"[a-z0-9-]+")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"\s*\[")
_QUESTIONS_HEADER = re.compile(r"\s*\[\[\s*questions\s*\]\]")
_BANK_HEADER = re.compile(r"\s*\[\s*bank\s*\]")


@dataclass(frozen=True)
class Question:
    """One interview question with the coaching notes shown next to it."""

    id: str
    text: str
    category: str
    difficulty: str
    answer_seconds: int
    listen_for: tuple[str, ...]
    follow_ups: tuple[str, ...]
    roles: tuple[str, ...] = ("any",)
    subcategory: str = ""
    star: bool = False
    tips: tuple[str, ...] = ()
    bank_id: str = ""


@dataclass(frozen=True)
class Bank:
    """One bank file: its header and the questions that passed validation."""

    id: str
    title: str
    description: str
    roles: tuple[str, ...]
    path: Path
    questions: tuple[Question, ...]


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


@dataclass
class _ParsedFile:
    bank: Bank | None
    problems: list[BankProblem]
    bank_id_line: int | None = None
    question_lines: dict[str, int | None] = dataclasses.field(default_factory=dict)


class _LineFinder:
    """Maps keys back to line numbers, because tomllib reports none for valid TOML."""

    def __init__(self, text: str, question_count: int) -> None:
        self._lines = text.splitlines()
        headers = [i for i, line in enumerate(self._lines) if _HEADER.match(line)]
        questions = [i for i in headers if _QUESTIONS_HEADER.match(self._lines[i])]
        bank = [i for i in headers if _BANK_HEADER.match(self._lines[i])]
        # Only trust the header positions when they agree with what tomllib parsed.
        self._question_spans = (
            [self._span(i, headers) for i in questions] if len(questions) == question_count else []
        )
        self._bank_span = self._span(bank[0], headers) if len(bank) == 1 else None
        self._top_span = (0, headers[0] if headers else len(self._lines))

    def _span(self, start: int, headers: list[int]) -> tuple[int, int]:
        end = next((h for h in headers if h > start), len(self._lines))
        return start, end

    def _key_line(self, span: tuple[int, int] | None, key: str | None) -> int | None:
        if span is None:
            return None
        start, end = span
        if key is not None:
            pattern = re.compile(rf"\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
            for i in range(start, end):
                if pattern.match(self._lines[i]):
                    return i + 1
        return start + 1  # A missing key points at its table's header (or line 1).

    def top(self, key: str | None) -> int | None:
        return self._key_line(self._top_span, key)

    def bank(self, key: str | None) -> int | None:
        return self._key_line(self._bank_span, key)

    def question(self, index: int, key: str | None) -> int | None:
        if index >= len(self._question_spans):
            return None
        return self._key_line(self._question_spans[index], key)


@dataclass
class _TableReader:
    """Reads typed fields from one TOML table, reporting each problem with its line."""

    table: dict[str, Any]
    path: Path
    problems: list[BankProblem]
    locate: Callable[[str | None], int | None]
    question_id: str | None = None
    field_prefix: str = ""
    failed: bool = False

    def report(self, key: str | None, message: str, severity: str = "error") -> None:
        self.failed = self.failed or severity == "error"
        field = f"{self.field_prefix}{key}" if key is not None else None
        line = self.locate(key)
        self.problems.append(
            BankProblem(self.path, message, line, self.question_id, field, severity)
        )

    def warn_unknown_keys(self, known: frozenset[str]) -> None:
        for key in sorted(set(self.table) - known):
            self.report(
                key, f"unknown field (expected one of: {', '.join(sorted(known))})", "warning"
            )

    def text(self, key: str, *, required: bool = True, max_chars: int | None = None) -> str:
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(key, "is required but missing")
            return ""
        if not isinstance(value, str):
            self.report(key, f"must be a string, not {_type_name(value)}")
            return ""
        value = value.strip()
        if required and not value:
            self.report(key, "must not be empty")
        if max_chars is not None and len(value) > max_chars:
            self.report(key, f"is {len(value)} characters long; the limit is {max_chars}")
        return value

    def choice(self, key: str, allowed: Sequence[str]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.report(key, f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    def identifier(self, key: str) -> str:
        value = self.text(key)
        if value and not _ID_PATTERN.fullmatch(value):
            self.report(key, f"'{value}' may only contain a-z, 0-9 and '-'")
        return value

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.table.get(key)
        if value is None:
            self.report(key, "is required but missing")
            return low
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(key, f"must be a whole number, not {_type_name(value)}")
            return low
        if not low <= value <= high:
            self.report(key, f"{value} is outside {low}..{high}")
        return value

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            self.report(key, f"must be true or false, not {_type_name(value)}")
            return False
        return value

    def texts(
        self,
        key: str,
        *,
        min_items: int,
        max_items: int,
        allowed: Sequence[str] | None = None,
        default: tuple[str, ...] | None = None,
    ) -> tuple[str, ...]:
        value = self.table.get(key)
        if value is None:
            if default is None:
                self.report(key, f"is required but missing (a list of {min_items}-{max_items})")
            return default or ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.report(key, f"must be a list of strings, not {_type_name(value)}")
            return ()
        items = tuple(v.strip() for v in value)
        if not min_items <= len(items) <= max_items:
            self.report(key, f"has {len(items)} items; expected {min_items} to {max_items}")
        if any(not item for item in items):
            self.report(key, "contains an empty string")
        unknown = [item for item in items if allowed is not None and item not in allowed]
        if unknown:
            self.report(
                key, f"unknown {', '.join(map(repr, unknown))}; use: {', '.join(allowed or ())}"
            )
        return items


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _read_text(path: Path, problems: list[BankProblem]) -> str | None:
    """Read a bank file, refusing huge or special files before parsing anything."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            problems.append(BankProblem(path, "is not a regular file"))
            return None
        if info.st_size > MAX_FILE_BYTES:
            size_mb = info.st_size / (1024 * 1024)
            problems.append(
                BankProblem(path, f"file is {size_mb:.1f} MB; question banks are limited to 2 MB")
            )
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(BankProblem(path, f"cannot read the file: {exc.strerror or exc}"))
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(BankProblem(path, "file is over 2 MB; question banks are limited to 2 MB"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(BankProblem(path, "is not valid UTF-8 text", line))
        return None


def _parse_toml(path: Path, text: str, problems: list[BankProblem]) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else None
        if position:
            message = f"{message[: position.start()]} (column {position.group(2)})"
        problems.append(BankProblem(path, f"invalid TOML: {message}", line))
        return None


def _parse_file(path: Path) -> _ParsedFile:
    """Validate one file; keep its valid questions and report everything else."""
    problems: list[BankProblem] = []
    text = _read_text(path, problems)
    data = _parse_toml(path, text, problems) if text is not None else None
    if data is None or text is None:
        return _ParsedFile(None, problems)
    raw_questions = data.get("questions")
    count = len(raw_questions) if isinstance(raw_questions, list) else 0
    lines = _LineFinder(text, count)
    top = _TableReader(data, path, problems, lines.top)
    top.warn_unknown_keys(_TOP_KEYS)
    version = data.get("schema_version")
    if version is None:
        top.report(
            "schema_version", f"is required but missing (add: schema_version = {SCHEMA_VERSION})"
        )
    elif isinstance(version, bool) or version != SCHEMA_VERSION:
        top.report(
            "schema_version", f"{version!r} is not supported; this version reads {SCHEMA_VERSION}"
        )
    if top.failed:
        return _ParsedFile(None, problems)

    header = data.get("bank")
    if not isinstance(header, dict):
        top.report("bank", "a [bank] table with id and title is required")
        return _ParsedFile(None, problems)
    bank_reader = _TableReader(header, path, problems, lines.bank, field_prefix="bank.")
    bank_reader.warn_unknown_keys(_BANK_KEYS)
    bank_id = bank_reader.identifier("id")
    title = bank_reader.text("title")
    description = bank_reader.text("description", required=False)
    bank_roles = bank_reader.texts(
        "roles", min_items=1, max_items=len(ROLES), allowed=ROLES, default=("any",)
    )
    if not isinstance(raw_questions, list) or not all(isinstance(q, dict) for q in raw_questions):
        top.report("questions", "add the questions as [[questions]] tables")
        return _ParsedFile(None, problems)

    parsed = _ParsedFile(None, problems, bank_id_line=lines.bank("id"))
    questions: list[Question] = []
    for index, raw in enumerate(raw_questions):
        question = _parse_question(path, raw, index, lines, bank_id, bank_roles, problems)
        if question is None:
            continue
        if question.id in parsed.question_lines:
            line = lines.question(index, "id")
            first = parsed.question_lines[question.id]
            problems.append(
                BankProblem(
                    path, f"duplicate id (first used on line {first})", line, question.id, "id"
                )
            )
            continue
        parsed.question_lines[question.id] = lines.question(index, "id")
        questions.append(question)
    if not raw_questions:
        top.report("questions", "the bank has no questions", "warning")
    if not bank_reader.failed:
        parsed.bank = Bank(bank_id, title, description, bank_roles, path, tuple(questions))
    return parsed


def _parse_question(
    path: Path,
    raw: dict[str, Any],
    index: int,
    lines: _LineFinder,
    bank_id: str,
    bank_roles: tuple[str, ...],
    problems: list[BankProblem],
) -> Question | None:
    raw_id = raw.get("id")
    label = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else f"#{index + 1}"
    reader = _TableReader(raw, path, problems, lambda key: lines.question(index, key), label)
    reader.warn_unknown_keys(_QUESTION_KEYS)
    question = Question(
        id=reader.identifier("id"),
        text=reader.text("text", max_chars=MAX_TEXT_CHARS),
        category=reader.choice("category", CATEGORIES),
        difficulty=reader.choice("difficulty", DIFFICULTIES),
        answer_seconds=reader.integer("answer_seconds", MIN_ANSWER_SECONDS, MAX_ANSWER_SECONDS),
        listen_for=reader.texts("listen_for", min_items=2, max_items=4),
        follow_ups=reader.texts("follow_ups", min_items=1, max_items=3),
        # Questions inherit the bank's roles so a role pack need not repeat its tag.
        roles=reader.texts(
            "roles", min_items=1, max_items=len(ROLES), allowed=ROLES, default=bank_roles
        ),
        subcategory=reader.text("subcategory", required=False),
        star=reader.flag("star"),
        tips=reader.texts("tips", min_items=0, max_items=3, default=()),
        bank_id=bank_id,
    )
    return None if reader.failed else question


def load_bank(path: Path) -> Bank:
    """Load one bank file strictly: any error raises `BankFileError` listing all problems."""
    parsed = _parse_file(Path(path))
    if parsed.bank is None or any(p.severity == "error" for p in parsed.problems):
        raise BankFileError(parsed.problems)
    return parsed.bank


def _expand(paths: Iterable[Path], problems: list[BankProblem]) -> list[Path]:
    files: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.glob("*.toml") if p.is_file())
            if not found:
                problems.append(BankProblem(path, "no question bank files (*.toml) in this folder"))
        elif path.exists():
            found = [path]
        else:
            problems.append(BankProblem(path, "no such file or folder"))
            found = []
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files


def load_banks(
    paths: Iterable[Path], *, near_duplicate_check: bool = True
) -> tuple[list[Bank], list[BankProblem]]:
    """Load files and folders leniently: keep every valid bank and question, report the rest.

    Invalid questions and later duplicates (bank or question ids reused across files) are
    dropped; near-identical question texts only produce warnings.
    """
    problems: list[BankProblem] = []
    banks: list[Bank] = []
    bank_ids: dict[str, Path] = {}
    question_ids: dict[str, Path] = {}
    id_lines: dict[str, int | None] = {}
    for file in _expand(paths, problems):
        parsed = _parse_file(file)
        problems.extend(parsed.problems)
        bank = parsed.bank
        if bank is None:
            continue
        if bank.id in bank_ids:
            message = f"bank id '{bank.id}' is already used by {bank_ids[bank.id]}"
            problems.append(BankProblem(file, message, parsed.bank_id_line, field="bank.id"))
            continue
        bank_ids[bank.id] = file
        kept = []
        for question in bank.questions:
            if question.id in question_ids:
                message = f"duplicate id: already used in {question_ids[question.id]}"
                line = parsed.question_lines.get(question.id)
                problems.append(BankProblem(file, message, line, question.id, "id"))
                continue
            question_ids[question.id] = file
            id_lines[question.id] = parsed.question_lines.get(question.id)
            kept.append(question)
        banks.append(dataclasses.replace(bank, questions=tuple(kept)))
    if near_duplicate_check:  # an author's warning; the app skips it to start faster
        problems.extend(_near_duplicate_warnings(banks, id_lines))
    return banks, problems


def load_builtin_banks() -> tuple[list[Bank], list[BankProblem]]:
    """The banks shipped with the app (`coach.paths.questions_dir()`)."""
    from coach import paths

    return load_banks([paths.questions_dir()])


def questions_for(
    banks: Sequence[Bank],
    *,
    categories: Collection[str] | None = None,
    roles: Collection[str] | None = None,
) -> list[Question]:
    """Questions in bank order; a question tagged "any" suits every role."""
    wanted_roles = set(roles) if roles is not None else None
    selected = []
    for bank in banks:
        for question in bank.questions:
            if categories is not None and question.category not in categories:
                continue
            if wanted_roles is not None and not (
                "any" in question.roles or wanted_roles.intersection(question.roles)
            ):
                continue
            selected.append(question)
    return selected


def normalise_text(text: str) -> str:
    """Case, punctuation and spacing removed, so trivial edits do not hide a duplicate."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def near_duplicates(questions: Sequence[Question]) -> list[tuple[Question, Question]]:
    """Pairs (earlier, later) whose normalised texts have a difflib ratio >= 0.9.

    ~400 questions make ~80,000 pairs, too slow for difflib at start-up, so two exact upper
    bounds on the ratio skip most of them: lengths (texts sorted by length, so the inner loop
    stops once 2*short/(short+long) < 0.9) and shared character counts (difflib's quick_ratio).
    """
    texts = [normalise_text(q.text) for q in questions]
    counts = [Counter(text) for text in texts]
    order = sorted(range(len(questions)), key=lambda i: len(texts[i]))
    pairs: list[tuple[int, int]] = []
    for position, i in enumerate(order):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(texts[i])  # SequenceMatcher caches its analysis of seq2.
        for j in order[position + 1 :]:
            total = len(texts[i]) + len(texts[j])
            if 2 * len(texts[i]) < NEAR_DUPLICATE_RATIO * total:
                break
            other = counts[j]
            shared = sum(min(n, other[c]) for c, n in counts[i].items() if c in other)
            if 2 * shared < NEAR_DUPLICATE_RATIO * total:
                continue
            matcher.set_seq1(texts[j])
            if texts[i] == texts[j] or matcher.ratio() >= NEAR_DUPLICATE_RATIO:
                pairs.append((min(i, j), max(i, j)))
    return [(questions[a], questions[b]) for a, b in sorted(pairs)]


def _near_duplicate_warnings(
    banks: Sequence[Bank], id_lines: dict[str, int | None]
) -> list[BankProblem]:
    questions = [q for bank in banks for q in bank.questions]
    paths = {q.id: bank.path for bank in banks for q in bank.questions}
    warnings = []
    for first, second in near_duplicates(questions):
        message = f"nearly identical to question '{first.id}' in {paths[first.id]}"
        warnings.append(
            BankProblem(
                paths[second.id], message, id_lines.get(second.id), second.id, "text", "warning"
            )
        )
    return warnings
