"""Filled pauses counted by the app against human counts, per clip; prints JSON.

Usage: PYTHONPATH=. .venv/bin/python benchmarks/filler_counts.py [--runs N]
Labelled set: tests/data/fillers (9 clips, 32 filled pauses, one speaker; labels.json, from
../shared/speech/fillers). Clean read speech (no filler spoken): the other clips of tests/data.
Whisper base int8 with the filler prompt, the full analysis (voice activity gate and the voiced
filler rescue in coach/analysis/filled_pauses.py). Matching is by count per clip (the labels
have no human times): hits = min(labelled, counted), excess = counted beyond labelled.
Whisper's temperature fallback samples, so a clip can vary between runs; --runs repeats.
--greedy decodes at temperature 0 only (no sampling fallback), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.analysis.pipeline import analyze_file  # noqa: E402
from coach.analysis.whisper_engine import FALLBACK_TEMPERATURES, WhisperTranscriber  # noqa: E402
from tests.helpers.whisper_model import build_whisper_base  # noqa: E402

DATA = ROOT / "tests" / "data"
CLEAN = [
    "jfk_whisper.flac",
    "librispeech_2412-153948-0000.flac",
    "cmu_arctic_us_aew_a0001.wav",
    "goforward_16k.wav",
    "north_wind_and_sun_RP.wav",
    "vosk_test_digits.wav",
    "ami_ES2011a_Headset-0_40s-46s.wav",
]


def labelled() -> dict[str, int]:
    labels = json.loads((DATA / "fillers" / "labels.json").read_text(encoding="utf-8"))
    return {f["file"]: int(f["fillers"]["count"]) for f in labels["files"]}


def count_all(transcriber: WhisperTranscriber) -> tuple[dict[str, int], dict[str, int]]:
    fillers = {n: len(analyze_file(DATA / "fillers" / n, transcriber).fillers) for n in labelled()}
    clean = {n: len(analyze_file(DATA / n, transcriber).fillers) for n in CLEAN}
    return fillers, clean


def score(counted: dict[str, int]) -> dict[str, object]:
    truth = labelled()
    hits = sum(min(truth[n], counted[n]) for n in truth)
    return {
        "per_clip_labelled_vs_counted": {n: [truth[n], counted[n]] for n in truth},
        "recall": round(hits / sum(truth.values()), 3),
        "excess_count": sum(max(0, counted[n] - truth[n]) for n in truth),
        "clips_within_one": sum(abs(counted[n] - truth[n]) <= 1 for n in truth),
        "clips": len(truth),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--greedy", action="store_true", help="temperature 0 only, for comparison")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        transcriber = WhisperTranscriber(
            build_whisper_base(Path(tmp) / "whisper-base"),
            temperature=0.0 if args.greedy else FALLBACK_TEMPERATURES,
        )
        runs = []
        for _ in range(args.runs):
            fillers, clean = count_all(transcriber)
            runs.append({**score(fillers), "clean_clips_fillers": clean})
    print(json.dumps(runs, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
