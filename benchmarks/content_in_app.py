"""The content coach as the app runs it: time to feedback, to a follow-up (idle and while the
model is still writing the previous answer's feedback) and to closing with a busy model.

Usage: .venv/bin/python benchmarks/content_in_app.py [--model PATH]   (default: SmolLM2 fixture)

One real speech clip is analysed (PocketSphinx); then coach.practice.content_coach.ContentCoach
does what the session does after each take. The follow-up figures should sit at or under the
4 s wait (FOLLOW_UP_WAIT_S): above it the interviewer uses the rules' question.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.analysis.results import AnswerAnalysis  # noqa: E402
from coach.analysis.worker import analyze_path  # noqa: E402
from coach.core.bank import load_builtin_banks  # noqa: E402
from coach.practice.content_coach import ContentCoach  # noqa: E402

CLIP = ROOT / "tests" / "data" / "librispeech_2412-153948-0000.flac"


def seconds(since: float) -> float:
    return round(time.monotonic() - since, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    if args.model is None:
        from tests.helpers.llm_models import smollm2_path

        args.model = smollm2_path()
    analysis = analyze_path(str(CLIP), "pocketsphinx", None)
    words = AnswerAnalysis.from_dict(analysis)
    question = load_builtin_banks()[0][0].questions[0]
    started = time.monotonic()
    ContentCoach(None).feedback(question.text, analysis)
    print(f"rules feedback: {seconds(started)} s")
    coach = ContentCoach(args.model)
    started = time.monotonic()
    coach.prewarm()
    print(f"model load ({args.model.name}): {seconds(started)} s")
    started = time.monotonic()
    result = coach.feedback(question.text, analysis)
    print(f"model feedback: {seconds(started)} s (fields from the rules: {list(result.fallbacks)})")
    started = time.monotonic()
    text = coach.follow_up(question, words)
    print(f"follow-up, model idle: {seconds(started)} s -> {text!r}")
    engine = coach.engine()
    assert engine is not None
    busy = threading.Thread(
        target=lambda: engine.feedback(question.text, words.transcript, words.words, budget_s=60),
        daemon=True,
    )
    busy.start()
    time.sleep(0.5)
    started = time.monotonic()
    text = coach.follow_up(question, words)
    print(f"follow-up, model busy: {seconds(started)} s -> {text!r}")
    started = time.monotonic()
    coach.close()
    print(f"closing with a busy model: {seconds(started)} s")


if __name__ == "__main__":
    main()
