"""`coach questions check [PATH ...]`: validate bank files before the app ever loads them.

Problems go to stderr as `path:line: severity: message` lines (editor- and CI-friendly); the
one-line summary goes to stdout. Exit 0 = usable (warnings allowed), 1 = errors, 2 = bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from coach import paths
from coach.core.bank import load_banks

USAGE = """\
usage: coach questions check [PATH ...]

Validate question bank files (*.toml). A PATH may be a file or a folder;
without PATH the built-in banks are checked.
Exit status: 0 valid (warnings allowed), 1 problems found, 2 usage error.
"""


def run_questions_command(argv: list[str]) -> int:
    """Dispatch `questions` sub-commands; `argv` is what follows `questions`."""
    if argv and argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    if not argv or argv[0] != "check":
        given = f"unknown sub-command '{argv[0]}'\n" if argv else "missing sub-command\n"
        sys.stderr.write(f"coach questions: {given}{USAGE}")
        return 2
    args = argv[1:]
    if any(arg in ("-h", "--help") for arg in args):
        sys.stdout.write(USAGE)
        return 0
    options = [arg for arg in args if arg.startswith("-") and arg != "-"]
    if options:
        sys.stderr.write(f"coach questions check: unknown option '{options[0]}'\n{USAGE}")
        return 2
    return check(args)


def check(arguments: list[str]) -> int:
    """Validate the given files/folders (the built-in folder if none) and print the result."""
    targets = [Path(arg) for arg in arguments] or [paths.questions_dir()]
    banks, problems = load_banks(targets)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    questions = sum(len(bank.questions) for bank in banks)
    summary = (
        f"{_plural(len(banks), 'bank')}, {_plural(questions, 'question')}, "
        f"{_plural(warnings, 'warning')}"
    )
    if errors:
        print(f"{_plural(errors, 'error')}; usable: {summary}")
        return 1
    print(f"OK: {summary}")
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


if __name__ == "__main__":
    raise SystemExit(run_questions_command(sys.argv[1:]))
