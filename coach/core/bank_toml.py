"""Reading one bank file safely and its TOML tables field by field, with line numbers.

A bank file is only ever parsed as TOML (never executed), huge or special files are refused
before parsing, and because tomllib reports no positions for valid TOML, every field problem is
mapped back to its line here.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.core.bank_problems import BankProblem

MAX_FILE_BYTES = 2 * 1024 * 1024
_ID_PATTERN = re.compile(r"[a-z0-9-]+")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"\s*\[")
_QUESTIONS_HEADER = re.compile(r"\s*\[\[\s*questions\s*\]\]")
_BANK_HEADER = re.compile(r"\s*\[\s*bank\s*\]")


class LineFinder:
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
class TableReader:
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


def read_text(path: Path, problems: list[BankProblem]) -> str | None:
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


def parse_toml(path: Path, text: str, problems: list[BankProblem]) -> dict[str, Any] | None:
    """Parse TOML; a syntax error becomes a problem with its line instead of an exception."""
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
