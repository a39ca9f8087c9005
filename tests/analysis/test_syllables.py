"""Syllable counts from audio against hand labels (refs/) and against reference transcripts."""

from __future__ import annotations

import itertools
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


def _emodb_labels(code: str) -> list[tuple[float, str]]:
    """(start time, syllable) from an xlabel .labsilb file; the final '.' marks the end."""
    text = (DATA / "refs" / f"emodb_03a04{code}.labsilb").read_text(encoding="latin-1")
    body = text.split("#", 1)[1]
    rows = [line.split() for line in body.strip().splitlines() if len(line.split()) >= 3]
    return [(float(row[0]), row[2]) for row in rows]


def _labelled_emodb(code: str) -> int:
    return sum(label != "." for _, label in _emodb_labels(code))


def _labelled_textgrid() -> int:
    text = (DATA / "refs" / "north_wind_and_sun_RP.TextGrid").read_text(encoding="utf-8")
    tier = text.split('name = "syllable nuclei"', 1)[1]
    return int(re.search(r"points: size = (\d+)", tier).group(1))  # type: ignore[union-attr]


def test_north_wind_within_one_syllable() -> None:
    labelled = _labelled_textgrid()
    assert labelled == 6
    assert abs(_count("north_wind_and_sun_RP.wav") - labelled) <= 1


# Documented limits, not failures to chase (issue 11: the target is acoustic nuclei). In all
# four speaker-03 renditions two labelled syllables have no voiced nucleus: the second syllable
# of "könnte" (a 13-60 ms label: elided) and "es" in "ich es ihm" (devoiced). Inside their label
# intervals there is no voiced intensity peak (F0 only as the falling tail of the previous vowel,
# intensity maxima only where unvoiced), so an acoustic-nucleus detector must not find one there.
# Against all 11 labels this detector counts 9, 9, 10, 9 (Nc, Lc, Wc, Fd); Praat Syllable Nuclei
# v3 defaults 8, 8, -, 7 and Wang & Narayanan 2007 sub-band correlation 7, 8, -, 7 (Wc not run).
NO_VOICED_NUCLEUS = {5: "te of könnte (elided)", 7: "es of ich es ihm (devoiced)"}
"""Index in the 11 labelled syllables -> why it has no nucleus."""


def _nuclei_per_label(code: str) -> list[int]:
    labels = _emodb_labels(code)
    samples, rate = load_audio(DATA / f"emodb_03a04{code}.wav")
    y = to_16k(samples, rate)
    times = find_syllable_nuclei(y, detect_voice_activity(y)).times
    return [sum(a <= t < b for t in times) for (a, _), (b, _) in itertools.pairwise(labels)]


@pytest.mark.parametrize("code", ["Nc", "Lc", "Wc", "Fd"])
def test_emodb_only_the_documented_syllables_lack_a_nucleus(code: str) -> None:
    per_label = _nuclei_per_label(code)
    assert len(per_label) == _labelled_emodb(code) == 11
    missing = {i for i, n in enumerate(per_label) if n == 0}
    assert missing <= set(NO_VOICED_NUCLEUS), [NO_VOICED_NUCLEUS.get(i, i) for i in missing]


@pytest.mark.parametrize("code", ["Nc", "Lc", "Wc", "Fd"])
def test_emodb_within_one_of_the_syllables_with_a_voiced_nucleus(code: str) -> None:
    voiced = _labelled_emodb(code) - len(NO_VOICED_NUCLEUS)
    assert abs(_count(f"emodb_03a04{code}.wav") - voiced) <= 1


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
        ("goforward_16k.wav", 6),
    ],
)
def test_transcribed_clips_within_fifteen_percent(name: str, syllables: int) -> None:
    assert abs(_count(name) - syllables) <= 0.15 * syllables


@pytest.mark.parametrize("code", ["Nc", "Lc", "Wc", "Fd"])
def test_sentence_accent_syllable_is_found(code: str) -> None:
    """'sa' of 'sagen' carries the sentence accent in every rendition: its vowel is long, loud and
    voiced, so missing it would be a detector defect (v3's 30 Hz pitch floor missed it in Fd)."""
    labels = _emodb_labels(code)
    index = [label for _, label in labels].index("sa")
    start, end = labels[index][0], labels[index + 1][0]
    samples, rate = load_audio(DATA / f"emodb_03a04{code}.wav")
    y = to_16k(samples, rate)
    times = find_syllable_nuclei(y, detect_voice_activity(y)).times
    assert sum(start <= t < end for t in times) == 1


def test_no_nuclei_in_silence_or_noise() -> None:
    rng = np.random.default_rng(5)
    noise = (rng.standard_normal(3 * 16_000) * 0.003).astype(np.float32)
    assert find_syllable_nuclei(noise, detect_voice_activity(noise)).count == 0
    assert find_syllable_nuclei(np.zeros(100, np.float32)).count == 0
