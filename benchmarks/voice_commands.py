"""Voice commands: hit rate on espeak-ng speakers, false triggers per hour of real speech.

Usage: PYTHONPATH=. .venv/bin/python benchmarks/voice_commands.py [--limit N] [--json out.json]
Commands are spoken by espeak-ng (voices x rates), alone and right after real speech; false
triggers are counted on every clip of real speech in ../shared/speech (speechocean-train, fillers
included) and tests/data, each fed through the live pipeline (LiveVad -> UtteranceCutter ->
Whisper base int8 -> match_command) in 20 ms blocks with room tone around it. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.analysis.whisper_engine import WhisperTranscriber  # noqa: E402
from coach.practice.live_vad import LiveVad  # noqa: E402
from coach.practice.voice_commands import (  # noqa: E402
    Command,
    UtteranceCutter,
    hear,
    whisper_recogniser,
)
from tests.helpers.noise import pink_noise  # noqa: E402
from tests.helpers.sound import load_16k  # noqa: E402
from tests.helpers.whisper_model import build_whisper_base  # noqa: E402

SPEECH_DIRS = [ROOT.parent / "shared" / "speech", Path("/work/shared/speech"), ROOT / "tests/data"]
COMMANDS = {
    "Could you repeat the question?": Command.REPEAT,
    "Can I skip this one?": Command.SKIP,
    "I'm done.": Command.DONE,
    "That's all.": Command.DONE,
}
VOICES = ["en-us", "en-gb+m3", "en-us+f3"]
RATES = [140, 175]
ROOM_DBFS = -60.0  # a quiet room through a laptop microphone
RATE = 16000


def room(seconds: float, seed: int) -> np.ndarray:
    return pink_noise(round(seconds * RATE), seed) * 10 ** (ROOM_DBFS / 20)


def spoken(text: str, voice: str, rate: int, folder: Path) -> np.ndarray:
    out = folder / f"{abs(hash((text, voice, rate)))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(out), text], check=True)
    x = load_16k(out).astype(np.float64)
    return x / np.max(np.abs(x)) * 0.3  # about -20 dBFS speech, like a real answer


def heard(samples: np.ndarray, recognise: object) -> list[tuple[Command, str]]:
    vad, cutter = LiveVad(RATE), UtteranceCutter()
    block = RATE // 50
    found = []
    for i in range(0, len(samples), block):
        chunk = samples[i : i + block]
        frames = vad.feed(chunk, (i + len(chunk)) / RATE, i)
        audio = vad.last_audio
        for k, r in enumerate(frames):
            for utt in cutter.feed(r, audio[k * vad.frame_len : (k + 1) * vad.frame_len]):
                got = hear(utt, recognise)  # type: ignore[arg-type]
                if got is not None:
                    found.append((got.command, got.text))
    return found


def speech_files(limit: int | None) -> list[Path]:
    seen: dict[str, Path] = {}
    for folder in SPEECH_DIRS:
        if folder.is_dir():
            for p in sorted(folder.rglob("*")):
                if p.suffix in (".wav", ".flac") and p.name not in seen:
                    seen[p.name] = p
    files = list(seen.values())
    return files[:limit] if limit else files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="only the first N real clips")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--false-only", action="store_true", help="skip the espeak commands")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = build_whisper_base(Path(tmp) / "whisper")
        transcriber = WhisperTranscriber(model)
        transcriber.load()
        recognise = whisper_recogniser(transcriber)
        lead = load_16k(ROOT / "tests/data/librispeech_2412-153948-0000.flac")[: 4 * RATE]
        hits = {"alone": 0, "after_speech": 0}
        misses: list[str] = []
        trials = 0
        for text, command in () if args.false_only else COMMANDS.items():
            for voice in VOICES:
                for rate in RATES:
                    x = spoken(text, voice, rate, Path(tmp))
                    trials += 1
                    alone = np.concatenate([room(1.5, 1), x, room(1.5, 2)])
                    mixed = np.concatenate([room(1.0, 3), lead, room(0.6, 4), x, room(1.5, 5)])
                    for kind, samples in (("alone", alone), ("after_speech", mixed)):
                        got = heard(samples + room(len(samples) / RATE, 6), recognise)
                        print(kind, voice, rate, text, got, file=sys.stderr, flush=True)
                        if [c for c, _ in got] == [command]:
                            hits[kind] += 1
                        else:
                            misses.append(f"{kind} {voice} {rate} {text!r}: {got}")
        started = time.monotonic()
        false_triggers, speech_s, files = [], 0.0, speech_files(args.limit)
        for path in files:
            x = load_16k(path).astype(np.float64)
            speech_s += len(x) / RATE
            samples = np.concatenate([room(1.0, 7), x, room(1.0, 8)])
            for command, said in heard(samples + room(len(samples) / RATE, 9), recognise):
                false_triggers.append(f"{path.name}: {command.value} ({said!r})")
            print(f"scanned {speech_s:.0f} s, {len(false_triggers)} false", file=sys.stderr)
        result = {
            "trials_per_kind": trials,
            "hit_rate_alone": round(hits["alone"] / max(1, trials), 3),
            "hit_rate_after_speech": round(hits["after_speech"] / max(1, trials), 3),
            "misses": misses,
            "real_clips": len(files),
            "real_speech_hours": round(speech_s / 3600, 3),
            "false_triggers": false_triggers,
            "false_triggers_per_hour": round(len(false_triggers) / (speech_s / 3600), 2),
            "false_trigger_scan_s": round(time.monotonic() - started, 1),
        }
    text_out = json.dumps(result, indent=2)
    print(text_out)
    if args.json:
        args.json.write_text(text_out)


if __name__ == "__main__":
    main()
