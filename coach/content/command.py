"""`coach feedback --question TEXT (--transcript FILE | --audio FILE) [--json] [--engine ...]`.

Content feedback on one answer without the GUI. The transcript file is plain text, or the JSON
`coach analyze --json` prints (then word times are used too); `--audio` runs that analysis
first. Errors (missing or empty transcript, a model file that is not a usable GGUF) print one
plain line on stderr naming the file and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coach.content.feedback import ContentFeedback
from coach.errors import CoachError

EXIT_FAILED = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="coach feedback",
        description="What an answer says: STAR parts, blame, absolutes, an improvement, a "
        "better outline and the interviewer's follow-up.",
    )
    p.add_argument("--question", required=True, help="the interview question asked")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--transcript", type=Path, help="text file, or `coach analyze --json` output"
    )
    source.add_argument("--audio", type=Path, help="a recorded answer (analysed first)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--engine", choices=("rules", "llm"), default=None,
                   help="rules (default) or llm (default when --model is given)")  # fmt: skip
    p.add_argument("--model", type=Path, default=None, help="a GGUF language model file")
    p.add_argument("--budget", type=float, default=None, help="seconds the model may take")
    return p


def read_transcript(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """(transcript, words) from a text file or an analysis JSON; CoachError naming the file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CoachError(f"The transcript file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CoachError(f"The transcript file {path} cannot be read ({exc}).") from exc
    text, words = raw, []
    if raw.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        if isinstance(data, dict) and isinstance(data.get("transcript"), str):
            text, words = data["transcript"], list(data.get("words") or [])
    if not text.strip():
        raise CoachError(f"The transcript file {path} is empty: there is no answer to review.")
    return text.strip(), words


def _analyse(path: Path) -> tuple[str, list[dict[str, Any]]]:
    from coach.analysis.engines import make_transcriber
    from coach.analysis.pipeline import analyze_file

    analysis = analyze_file(path, make_transcriber("auto", None))
    if not analysis.transcript.strip():
        raise CoachError(f"No words were recognised in {path}: there is no answer to review.")
    return analysis.transcript, list(analysis.words)


def summary(fb: ContentFeedback) -> str:
    """A readable version of the JSON for a terminal."""
    lines = [f"engine: {fb.engine}" + (f" ({fb.model})" if fb.model else "")]
    lines.append(f"answered the question: {fb.answered_question or 'not measured'}")
    for part, numbers in fb.parts.items():
        lines.append(f"{part}: " + (" | ".join(fb.quotes(numbers)) or "—"))
    lines.append(f"result has a number: {fb.result_has_number}")
    lines += [f"blame: {q}" for q in fb.quotes(fb.blame)]
    lines += [f"absolutes: {q}" for q in fb.quotes(fb.absolutes)]
    for label, points in (("strength", fb.strengths), ("improvement", fb.improvements)):
        for p in points:
            quote = fb.quote(p.sentence)
            lines.append(f"{label}: {p.text}" + (f" — “{quote}”" if quote else ""))
    lines += [f"outline: {point}" for point in fb.outline]
    lines.append(f"follow-up: {fb.follow_up}")
    if fb.note:
        lines.append(f"note: {fb.note}")
    return "\n".join(lines)


def _feedback(args: argparse.Namespace) -> ContentFeedback:
    text, words = read_transcript(args.transcript) if args.transcript else _analyse(args.audio)
    engine = args.engine or ("llm" if args.model else "rules")
    if engine == "rules":
        from coach.content.rules import rules_feedback

        return rules_feedback(args.question, text, words)
    if args.model is None:
        raise CoachError("--engine llm needs --model PATH (a GGUF file).")
    from coach.content.llm_engine import FEEDBACK_BUDGET_S, LlmEngine

    llm = LlmEngine(args.model)
    try:
        llm.start()
        budget = args.budget if args.budget is not None else FEEDBACK_BUDGET_S
        return llm.feedback(args.question, text, words, budget_s=budget)
    finally:
        llm.close()


def run_feedback(argv: list[str]) -> int:
    """Entry point for `coach feedback`; returns the process exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        fb = _feedback(args)
    except CoachError as exc:
        print(f"coach feedback: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        json.dump(fb.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(summary(fb))
    return 0
