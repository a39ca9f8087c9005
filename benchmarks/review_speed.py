"""Time from "Finish interview" to a filled review: load the analyses + previous session + build.

Usage: .venv/bin/python benchmarks/review_speed.py [--runs 20] [--engine pocketsphinx|whisper]
Goal (brief): under 1 s for a 5-question session with 90 s answers.
The answers are real clips from tests/data joined into 90 s with pauses, analysed for real once;
the analyses are cached in the temp folder, so later runs time only the review. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.analysis.audio_io import load_audio, to_16k  # noqa: E402
from coach.analysis.pipeline import analyze_file  # noqa: E402
from coach.core.session import AskedQuestion, Take  # noqa: E402
from coach.core.session_store import SessionStore  # noqa: E402
from coach.core.settings import InterviewSettings  # noqa: E402
from coach.review import review_session  # noqa: E402
from coach.review.html_report import render_html  # noqa: E402

CLIPS = [
    "jfk_whisper.flac",
    "librispeech_2412-153948-0000.flac",
    "vosk_test_digits.wav",
    "ami_ES2011a_Headset-0_40s-46s.wav",
    "cmu_arctic_us_aew_a0001.wav",
]
ANSWER_S = 90.0
QUESTIONS = 5
CACHE = Path(tempfile.gettempdir()) / "coach-review-bench"


def answer_audio(offset: int, path: Path) -> None:
    """Real clips, rotated per answer, joined with 0.8 s pauses up to 90 s (16 kHz mono)."""
    parts: list[np.ndarray] = []
    total = 0
    i = offset
    gap = np.zeros(int(0.8 * 16_000), dtype=np.float32)
    while total < ANSWER_S * 16_000:
        samples, rate = load_audio(ROOT / "tests" / "data" / CLIPS[i % len(CLIPS)])
        parts += [to_16k(samples, rate), gap]
        total += len(parts[-2]) + len(gap)
        i += 1
    sf.write(path, np.concatenate(parts)[: int(ANSWER_S * 16_000)], 16_000)


def cached_analyses(engine: str) -> list[tuple[Path, dict[str, object]]]:
    folder = CACHE / engine
    folder.mkdir(parents=True, exist_ok=True)
    transcriber = None
    out = []
    for q in range(QUESTIONS):
        audio, result = folder / f"answer{q}.flac", folder / f"answer{q}.analysis.json"
        if not result.is_file():
            if transcriber is None:
                from coach.analysis.engines import make_transcriber

                if engine == "whisper":
                    from tests.helpers.whisper_model import build_whisper_base

                    model = build_whisper_base(folder / "whisper-base")
                    transcriber = make_transcriber("whisper", model)
                else:
                    transcriber = make_transcriber(engine)
            answer_audio(q, audio)
            result.write_text(json.dumps(analyze_file(audio, transcriber).to_dict()))
        out.append((audio, json.loads(result.read_text())))
    return out


def make_session(root: Path, answers: list[tuple[Path, dict[str, object]]], when: str) -> Path:
    store = SessionStore(root)
    questions = [AskedQuestion(f"q{i}", f"Question {i + 1}?", star=i % 2 == 0) for i in range(5)]
    session = store.create(InterviewSettings(), questions, "Benchmark")
    session.created_at = when
    session.job_terms = ["release", "customer", "budget", "team"]
    folder = store.folder(session)
    for qi, (audio, analysis) in enumerate(answers):
        name = f"q{qi + 1:02d}-take1"
        shutil.copyfile(audio, folder / f"{name}.flac")
        (folder / f"{name}.analysis.json").write_text(json.dumps(analysis))
        session.questions[qi].takes.append(
            Take(f"{name}.flac", ANSWER_S, when, think_s=12.0, analysis=f"{name}.analysis.json")
        )
    store.save(session)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--engine", default="pocketsphinx", choices=["pocketsphinx", "whisper"])
    args = parser.parse_args()
    answers = cached_analyses(args.engine)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "sessions"
        make_session(root, answers, "2024-01-01T10:00:00+00:00")
        folder = make_session(root, answers, "2024-02-01T10:00:00+00:00")
        times, html_times = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            review = review_session(folder, root)
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            render_html(review)
            html_times.append(time.perf_counter() - start)
    print(json.dumps({
        "engine": args.engine,
        "questions": QUESTIONS,
        "answer_s": ANSWER_S,
        "words_per_answer": [a["word_count"] for _, a in answers],
        "review_session_median_ms": round(1000 * statistics.median(times), 1),
        "review_session_max_ms": round(1000 * max(times), 1),
        "render_html_median_ms": round(1000 * statistics.median(html_times), 1),
        "goal_ms": 1000,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
