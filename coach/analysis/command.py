"""`coach analyze FILE [FILE ...] [--json] [--engine ...] [--model PATH]`.

Analyses any audio files without the GUI. A file that cannot be analysed gets one line on
stderr and makes the exit code 1, but the remaining files are still analysed; the JSON array on
stdout then holds only the files that worked. It is the stored analysis without the "chart"
curves, which are only for drawing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coach.analysis.results import AnswerAnalysis
from coach.errors import AnalysisError, CoachError, TruncatedAudioError
from coach.measures import CLI_SUMMARY, MEASURES

EXIT_FILE_FAILED = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="coach analyze",
        description="Analyse recorded answers: pauses, pace, fillers, pitch and loudness.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="WAV, FLAC, OGG or MP3")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per file")
    p.add_argument(
        "--engine",
        choices=("auto", "whisper", "pocketsphinx", "none"),
        default="auto",
        help="speech recogniser (default: Whisper if a model is installed, else pocketsphinx)",
    )
    p.add_argument("--model", type=Path, default=None, help="folder of a Whisper model")
    p.add_argument(
        "--keep-truncated",
        action="store_true",
        help="analyse the readable part of a WAV that is cut short instead of failing",
    )
    return p


def _fmt(value: object, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _flow_line(a: AnswerAnalysis) -> str:
    """The flow reading with the components it weighs, so it is never a bare number."""
    label = f"  {'flow':<22}"
    if a.flow_index is None:
        return label + f"not measured ({a.reasons.get('flow_index', 'no speech')})"
    c = a.flow_components
    if a.flow_basis == "words":
        parts = [
            f"{c.get('speech_rate_wpm') or 0:.0f} words/min",
            f"{c.get('articulation_rate_words') or 0:.1f} syll/s",
            f"{c.get('pauses_per_word') or 0:.2f} pauses/word",
            f"mean pause {c.get('mean_pause_s') or 0:.2f} s",
            f"run {c.get('mean_length_of_run_words') or 0:.1f} words",
        ]
    else:
        parts = [
            f"{c.get('articulation_rate') or 0:.1f} syll/s",
            f"{c.get('pauses_per_minute') or 0:.0f} pauses/min",
            f"mean pause {c.get('mean_pause_s') or 0:.2f} s",
            f"run {c.get('mean_length_of_run') or 0:.1f} syll",
        ]
    basis = "from the words" if a.flow_basis == "words" else "from the sound"
    return label + f"{a.flow_index:.1f}/10 ({a.flow_band}, {basis}): " + ", ".join(parts)


def summary(a: AnswerAnalysis) -> str:
    """A readable block of the main numbers; unmeasured values show their reason."""

    def line(label: str, key: str, value: object, unit: str = "", digits: int = 1) -> str:
        text = _fmt(value, unit, digits)
        if value is None and key in a.reasons:
            text += f" ({a.reasons[key]})"
        return f"  {label:<22}{text}"

    lines = [f"{a.file}  ({a.duration_s:.1f} s, engine: {a.engine})"]
    for key in CLI_SUMMARY:
        m = MEASURES[key]
        label = m.cli_label or m.label.lower()
        if m.accurate_only and a.low_accuracy:
            lines.append(f"  {label:<22}not counted (the basic recogniser misses um/uh)")
            continue
        value = getattr(a, key)
        value = len(value) if isinstance(value, list) else value
        lines.append(line(label, key, value, f" {m.unit}" if m.unit else "", m.decimals))
        if key == "syllables_per_second":
            lines.append(_flow_line(a))
    flags = [
        flag
        for flag, on in (
            ("clipping", a.clipping),
            ("too quiet", a.too_quiet),
            ("noisy room", a.noisy),
            ("low-accuracy transcript", a.low_accuracy),
            ("file cut short, readable part only", bool(a.damage)),
        )
        if on
    ]
    if flags:
        lines.append(f"  {'warnings':<22}{', '.join(flags)}")
    if a.transcript:
        lines.append(f"  {'transcript':<22}{a.transcript}")
    return "\n".join(lines)


def run_analyze(argv: list[str]) -> int:
    """Entry point for `coach analyze`; returns the process exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE

    from coach.analysis.engines import make_transcriber
    from coach.analysis.pipeline import analyze_file

    try:
        transcriber = make_transcriber(args.engine, args.model)
    except CoachError as exc:
        print(f"coach analyze: {exc}", file=sys.stderr)
        return EXIT_USAGE

    results: list[AnswerAnalysis] = []
    failed = False
    for path in args.files:
        try:
            results.append(analyze_file(path, transcriber, keep_truncated=args.keep_truncated))
        except TruncatedAudioError as exc:
            failed = True
            print(f"coach analyze: {exc.message} (--keep-truncated analyses it)", file=sys.stderr)
            continue
        except AnalysisError as exc:
            failed = True
            print(f"coach analyze: {exc.message}", file=sys.stderr)
            continue
        if results[-1].damage:
            print(f"coach analyze: {results[-1].damage}", file=sys.stderr)
        if not args.json:
            print(summary(results[-1]), flush=True)
    if args.json:
        # The chart curves are for drawing (base64 blobs), not for reading: left out.
        out = [{k: v for k, v in r.to_dict().items() if k != "chart"} for r in results]
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    return EXIT_FILE_FAILED if failed else 0
