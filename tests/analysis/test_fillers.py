"""Filled pauses counted with the real Whisper base model against human counts.

tests/data/fillers: 9 clips of one speaker with 32 um/uh/hm counted in his verbatim transcripts
(labels.json; no human times, so counts are compared per clip). Measured with
benchmarks/filler_counts.py: recall 0.78 (25 of 32) in four runs, 0.62 in one test run, 5-6 of 9
clips within one of the label. Whisper's sampling fallback (temperatures 0.2-1.0 when a window
decodes badly) makes the elicited six-"uh" clip vary from run to run: 1, 4, 6, 7, 11 and 13
counted. The floors below sit under the worst run seen, not at the typical one.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.filled_pauses import voiced_fillers
from coach.analysis.pipeline import analyze_file
from coach.analysis.transcribe import Word
from coach.analysis.whisper_engine import WhisperTranscriber

DATA = Path(__file__).resolve().parents[1] / "data"
CLEAN = [
    "jfk_whisper.flac",
    "librispeech_2412-153948-0000.flac",
    "cmu_arctic_us_aew_a0001.wav",
    "goforward_16k.wav",
    "north_wind_and_sun_RP.wav",
    "vosk_test_digits.wav",
    "ami_ES2011a_Headset-0_40s-46s.wav",
]


def _labels() -> dict[str, int]:
    labels = json.loads((DATA / "fillers" / "labels.json").read_text(encoding="utf-8"))
    return {f["file"]: int(f["fillers"]["count"]) for f in labels["files"]}


@pytest.fixture(scope="module")
def counted(whisper_transcriber: WhisperTranscriber) -> dict[str, int]:
    return {
        name: len(analyze_file(DATA / "fillers" / name, whisper_transcriber).fillers)
        for name in _labels()
    }


def test_labelled_fillers_are_counted(counted: dict[str, int]) -> None:
    truth = _labels()
    assert sum(truth.values()) == 32
    hits = sum(min(truth[n], counted[n]) for n in truth)
    per_clip = {n: (truth[n], counted[n]) for n in truth}
    assert hits / 32 >= 0.60, per_clip
    assert sum(abs(counted[n] - truth[n]) <= 1 for n in truth) >= 5, per_clip
    # the natural monologues, where an interview's fillers come from: none invented
    for name in ("mfa_acoustic_corpus.wav", "mfa_cold_corpus.wav", "mfa_cold_corpus3.wav"):
        assert counted[name] <= truth[name], per_clip


@pytest.mark.parametrize("name", CLEAN)
def test_no_fillers_in_clean_read_speech(
    name: str, whisper_transcriber: WhisperTranscriber
) -> None:
    assert analyze_file(DATA / name, whisper_transcriber).fillers == []


def test_a_dropped_filler_is_kept_only_where_there_is_voicing() -> None:
    y = to_16k(*load_audio(DATA / "fillers" / "mfa_uh.flac"))
    rng = np.random.default_rng(3)
    hiss = (rng.standard_normal(16_000) * 0.002).astype(np.float32)
    voiced = Word("uh,", 2.39, 2.63, 0.48)  # Whisper's "uh" in mfa_uh.flac
    assert voiced_fillers([voiced], y) == [voiced]
    assert voiced_fillers([Word("so", 2.39, 2.63, 0.48)], y) == []  # only fillers are rescued
    assert voiced_fillers([Word("um", 0.2, 0.7, 0.9)], hiss) == []
