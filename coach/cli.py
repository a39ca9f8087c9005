"""Command-line entry point: the app by default, plus `analyze` and `questions` sub-commands.

Sub-commands import only what they need, so `coach --version` and `coach analyze` never load Qt.
"""

from __future__ import annotations

import sys

from coach import __version__

USAGE = """usage: coach [--version] [--help]            start the app
       coach analyze FILE [FILE ...] [--json] [--engine whisper|pocketsphinx|none] [--model PATH]
       coach questions check [PATH ...]
       coach feedback --question TEXT (--transcript FILE | --audio FILE) [--json]
                      [--engine rules|llm] [--model GGUF]"""


def main(argv: list[str] | None = None) -> int:
    """Dispatch on the first argument; anything else goes to the Qt application."""
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
    from coach.app import main as run_app

    return run_app(args)


if __name__ == "__main__":
    raise SystemExit(main())
