"""Accuracy of the content feedback against the labelled answers in tests/data/answers/.

Usage: .venv/bin/python benchmarks/content_eval.py --engine rules|llm [--model PATH] [--json]
           [--file tests/data/answers/answers.toml] [--budget 60] [--limit N]

Per label: answer-level accuracy (is there a result? any blame? ...) and, for labels given as
sentence numbers, sentence-level precision / recall / F1. `answered_question` is scored over
the answers an engine gives a verdict for; `coverage` says how many that was (the rules engine
gives none). The figures are for the answers written for this set; run it on your own
labelled answers (same format, `--file`) for answers the engine has not seen.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.content.feedback import ContentFeedback  # noqa: E402
from coach.content.star_cues import PARTS  # noqa: E402

ANSWERS = ROOT / "tests" / "data" / "answers" / "answers.toml"
SENTENCE_LABELS = (*PARTS, "blame", "absolutes")
ANSWERED = ("yes", "partly", "no")


def load_answers(path: Path = ANSWERS) -> list[dict[str, Any]]:
    """The labelled answers, each with `transcript` = its sentences joined by one space."""
    with path.open("rb") as f:
        answers: list[dict[str, Any]] = tomllib.load(f)["answer"]
    for a in answers:
        a["transcript"] = " ".join(a["sentences"])
    return answers


def predicted(fb: ContentFeedback) -> dict[str, Any]:
    lists = {p: set(fb.parts.get(p, ())) for p in PARTS}
    lists["blame"], lists["absolutes"] = set(fb.blame), set(fb.absolutes)
    return {**lists, "answered_question": fb.answered_question,
            "result_has_number": bool(fb.result_has_number)}  # fmt: skip


def evaluate(
    answers: Sequence[dict[str, Any]], feedback: Callable[[str, str], ContentFeedback]
) -> dict[str, Any]:
    """Scores per label over `answers`; `feedback(question, transcript)` runs the engine."""
    counts: dict[str, dict[str, int]] = {
        name: {"right": 0, "n": 0, "tp": 0, "fp": 0, "fn": 0} for name in SENTENCE_LABELS
    }
    number = {"right": 0, "n": 0}
    answered = {"right": 0, "n": 0}
    fallbacks: dict[str, int] = {}
    seconds: list[float] = []
    for a in answers:
        started = time.monotonic()
        fb = feedback(a["question"], a["transcript"])
        seconds.append(time.monotonic() - started)
        for name in fb.fallbacks:
            fallbacks[name] = fallbacks.get(name, 0) + 1
        got = predicted(fb)
        for name in SENTENCE_LABELS:
            want, have, c = set(a[name]), got[name], counts[name]
            c["n"] += 1
            c["right"] += bool(want) == bool(have)
            c["tp"] += len(want & have)
            c["fp"] += len(have - want)
            c["fn"] += len(want - have)
        number["n"] += 1
        number["right"] += got["result_has_number"] == a["result_has_number"]
        if got["answered_question"] is not None:
            answered["n"] += 1
            answered["right"] += got["answered_question"] == a["answered_question"]
    report: dict[str, Any] = {"answers": len(answers)}
    for name, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
        f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        report[name] = {"presence_accuracy": _ratio(c["right"], c["n"]),
                        "precision": _round(p), "recall": _round(r), "f1": _round(f1)}  # fmt: skip
    report["result_has_number"] = {"accuracy": _ratio(number["right"], number["n"])}
    report["answered_question"] = {
        "accuracy": _ratio(answered["right"], answered["n"]),
        "coverage": _ratio(answered["n"], len(answers)),
    }
    report["fallbacks"] = fallbacks
    report["seconds_per_answer"] = _round(sum(seconds) / len(seconds)) if seconds else None
    return report


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=("rules", "llm"), default="rules")
    ap.add_argument("--model", type=Path)
    ap.add_argument("--file", type=Path, default=ANSWERS)
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per answer for the model")
    ap.add_argument("--limit", type=int, default=None, help="only the first N answers")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    answers = load_answers(args.file)[: args.limit]
    if args.engine == "rules":
        from coach.content.rules import rules_feedback

        report = evaluate(answers, lambda q, t: rules_feedback(q, t))
        report["engine"] = "rules"
    else:
        if args.model is None:
            ap.error("--engine llm needs --model PATH")
        from coach.content.llm_engine import LlmEngine

        llm = LlmEngine(args.model)
        try:
            llm.start()
            report = evaluate(answers, lambda q, t: llm.feedback(q, t, budget_s=args.budget))
        finally:
            llm.close()
        report["engine"] = f"llm ({args.model.name})"
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"engine: {report['engine']}   answers: {report['answers']}")
    print(f"{'label':<18}{'presence acc':>13}{'precision':>11}{'recall':>8}{'F1':>7}")
    for name in SENTENCE_LABELS:
        r = report[name]
        cells = [r["presence_accuracy"], r["precision"], r["recall"], r["f1"]]
        print(
            f"{name:<18}"
            + "".join(f"{_fmt(v):>{w}}" for v, w in zip(cells, (13, 11, 8, 7), strict=True))
        )
    print(f"{'result_has_number':<18}{_fmt(report['result_has_number']['accuracy']):>13}")
    aq = report["answered_question"]
    print(f"{'answered_question':<18}{_fmt(aq['accuracy']):>13}   coverage {_fmt(aq['coverage'])}")
    print(f"fallbacks to rules: {report['fallbacks'] or 'none'}; "
          f"{report['seconds_per_answer']} s per answer")  # fmt: skip
    return 0


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


if __name__ == "__main__":
    raise SystemExit(main())
