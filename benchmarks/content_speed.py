"""Speed of the language-model content feedback: load, tokens/s, time per answer and follow-up.

Usage: .venv/bin/python benchmarks/content_speed.py --model PATH [--answers 5] [--threads N]
       .venv/bin/python benchmarks/content_speed.py --fixture gemma|smollm2

Runs the real worker process (coach.content.llm_engine) on answers from the evaluation set.
Prompt tokens/s = prompt tokens / time to the first generated token; generation tokens/s =
(completion tokens - 1) / the rest. Peak memory is the worker's ru_maxrss. Goals (issue 13),
default model on a 4-core laptop: follow-up within 4 s of the answer's end, feedback <= 20 s.
Budgets are lifted here (--budget) so the figures measure the model, not the cut-off.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.content_eval import load_answers  # noqa: E402
from coach.content.llm_engine import LlmEngine  # noqa: E402


def fixture(name: str, folder: Path) -> Path:
    from tests.helpers.llm_models import assemble_gemma, smollm2_path

    return assemble_gemma(folder) if name == "gemma" else smollm2_path()


def measure(model: Path, count: int, threads: int | None, budget: float) -> dict[str, object]:
    llm = LlmEngine(model, n_threads=threads)
    started = time.monotonic()
    info = llm.start()
    load_wall = time.monotonic() - started
    answers = load_answers()[:count]
    per_answer, follow_ups, prompt_tps, gen_tps, fallbacks = [], [], [], [], []
    peak = float(info.get("peak_rss_mb") or 0.0)
    try:
        for a in answers:
            t0 = time.monotonic()
            fb = llm.feedback(a["question"], a["transcript"], budget_s=budget)
            per_answer.append(time.monotonic() - t0)
            fallbacks.append(len(fb.fallbacks))
            stats = llm.last_stats or {}
            first, total = stats.get("first_token_s"), stats.get("total_s")
            n_prompt, n_gen = stats.get("prompt_tokens"), stats.get("completion_tokens")
            if first and n_prompt:
                prompt_tps.append(n_prompt / first)
            if first and total and n_gen and n_gen > 1 and total > first:
                gen_tps.append((n_gen - 1) / (total - first))
            peak = max(peak, float(stats.get("peak_rss_mb") or 0.0))
            t0 = time.monotonic()
            llm.follow_up(a["question"], a["transcript"], budget_s=budget)
            follow_ups.append(time.monotonic() - t0)
    finally:
        llm.close()

    def med(xs: list[float]) -> float | None:
        return round(statistics.median(xs), 2) if xs else None

    return {
        "model": model.name,
        "model_mb": round(model.stat().st_size / 1e6),
        "threads": threads,
        "chat_format": info.get("chat_format"),
        "load_s": round(float(info["load_s"]), 2),
        "start_with_process_s": round(load_wall, 2),
        "prompt_tokens_per_s": med(prompt_tps),
        "generation_tokens_per_s": med(gen_tps),
        "seconds_per_answer": med(per_answer),
        "seconds_to_follow_up": med(follow_ups),
        "peak_worker_rss_mb": round(peak),
        "fields_fallen_back_per_answer": med([float(x) for x in fallbacks]),
        "answers": len(answers),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", type=Path)
    src.add_argument("--fixture", choices=("gemma", "smollm2"))
    ap.add_argument("--answers", type=int, default=5)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--budget", type=float, default=120.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or fixture(args.fixture, Path(tmp))
        print(json.dumps(measure(model, args.answers, args.threads, args.budget), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
