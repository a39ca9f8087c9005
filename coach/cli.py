"""Command-line entry point: the app by default, plus `analyze` and `questions` sub-commands.

Sub-commands import only what they need, so `coach --version` and `coach analyze` never load Qt.
"""

from __future__ import annotations

import difflib
import re
import sys

from coach import __version__

USAGE = """usage: coach [--version] [--help]            start the app
       coach analyze FILE [FILE ...] [--json] [--engine whisper|pocketsphinx|none] [--model PATH]
       coach questions check [PATH ...]
       coach feedback --question TEXT (--transcript FILE | --audio FILE) [--json]
                      [--engine rules|llm] [--model GGUF]"""


def main(argv: list[str] | None = None) -> int:
    """Dispatch on the first argument; no argument starts the Qt application."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["--version"], ["-V"]):
        print(f"Second Round (coach) {__version__}")
        return 0
    if args[:1] in (["--help"], ["-h"]):
        print(USAGE)
        return 0
    if args[:1] == ["analyze"]:
        from coach.analysis.command import run_analyze

        return run_analyze(args[1:])
    if args[:1] == ["questions"]:
        from coach.core.bank_command import run_questions_command

        return run_questions_command(args[1:])
    if args[:1] == ["feedback"]:
        from coach.content.command import run_feedback

        return run_feedback(args[1:])
    if args:
        return _unknown(args[0])
    return _start_app()


def _unknown(word: str) -> int:
    """A typo must not open the window: name it, suggest the nearest command, show the usage."""
    known = sorted({*re.findall(r"coach (\w[\w-]*)", USAGE), "--version", "--help"})
    close = difflib.get_close_matches(word, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    print(f"coach: unknown command or option '{word}'{hint}\n{USAGE}", file=sys.stderr)
    return 2


def _start_app() -> int:
    """Open the window, after checking there is a desktop to open it on (before Qt loads)."""
    from coach.desktop_session import missing_display, no_display_message

    reason = missing_display()
    if reason is not None:
        print(no_display_message(reason), file=sys.stderr)
        return 1
    from coach.app import main as run_app

    return run_app([])


if __name__ == "__main__":
    raise SystemExit(main())
