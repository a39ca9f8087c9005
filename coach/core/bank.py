"""Question banks: user-editable TOML files validated once into frozen dataclasses.

Banks are data people edit by hand, so every problem is reported with file, line and question
id instead of crashing, one bad file never hides the good ones, and a file is only ever parsed
as TOML (never executed).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.core.bank_problems import BankFileError, BankProblem
from coach.core.bank_toml import LineFinder, TableReader, parse_toml, read_text

SCHEMA_VERSION = 1
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


@dataclass
class _ParsedFile:
    bank: Bank | None
    problems: list[BankProblem]
    bank_id_line: int | None = None
    question_lines: dict[str, int | None] = dataclasses.field(default_factory=dict)


def _parse_file(path: Path) -> _ParsedFile:
    """Validate one file; keep its valid questions and report everything else."""
    problems: list[BankProblem] = []
    text = read_text(path, problems)
    data = parse_toml(path, text, problems) if text is not None else None
    if data is None or text is None:
        return _ParsedFile(None, problems)
    raw_questions = data.get("questions")
    count = len(raw_questions) if isinstance(raw_questions, list) else 0
    lines = LineFinder(text, count)
    top = TableReader(data, path, problems, lines.top)
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
    bank_reader = TableReader(header, path, problems, lines.bank, field_prefix="bank.")
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
    lines: LineFinder,
    bank_id: str,
    bank_roles: tuple[str, ...],
    problems: list[BankProblem],
) -> Question | None:
    raw_id = raw.get("id")
    label = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else f"#{index + 1}"
    reader = TableReader(raw, path, problems, lambda key: lines.question(index, key), label)
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
