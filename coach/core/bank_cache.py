"""The parsed question banks kept as JSON, so the app does not re-parse 18 TOML files per start.

Parsing and validating the banks took about 75 ms of the ~110 ms it takes to build the window;
reading this file takes a few. The cache is keyed by every bank file's path, size and
modification time plus the app version, so any edit, added or removed file re-parses.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from coach import __version__
from coach.core.bank import Bank, Question, load_banks
from coach.core.bank_problems import BankProblem
from coach.storage import write_json_atomic


def _key(paths: list[Path]) -> list[Any]:
    files = []
    for path in paths:
        files += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    key: list[Any] = [__version__]
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        key.append([str(file), stat.st_size, stat.st_mtime_ns])
    return key


def _question_from(data: dict[str, Any]) -> Question:
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return Question(**fields)


def _bank_from(data: dict[str, Any]) -> Bank:
    questions = tuple(_question_from(q) for q in data["questions"])
    return Bank(data["id"], data["title"], data["description"], tuple(data["roles"]),
                Path(data["path"]), questions)  # fmt: skip


def _jsonable(obj: Any) -> Any:
    return str(obj) if isinstance(obj, Path) else obj


def load_banks_cached(paths: list[Path], cache_file: Path) -> tuple[list[Bank], list[BankProblem]]:
    """Like load_banks (without the authors' near-duplicate check), reusing `cache_file`."""
    key = _key(paths)
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        if data["key"] == key:
            banks = [_bank_from(b) for b in data["banks"]]
            problems = [BankProblem(**{**p, "path": Path(p["path"])}) for p in data["problems"]]
            return banks, problems
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or an old or damaged one: parse the files
    banks, problems = load_banks(paths, near_duplicate_check=False)
    stored = {
        "key": key,
        "banks": [json.loads(json.dumps(asdict(b), default=_jsonable)) for b in banks],
        "problems": [json.loads(json.dumps(asdict(p), default=_jsonable)) for p in problems],
    }
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(cache_file, stored)
    except OSError:
        pass  # a read-only data folder only costs the speed-up
    return banks, problems
