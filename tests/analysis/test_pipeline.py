"""The whole analysis on real clips, with and without a real recogniser."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.pipeline import analyze_file, analyze_samples, longest_run, words_in_speech
from coach.analysis.results import AnswerAnalysis
from coach.analysis.transcribe import Transcript, Word
from coach.analysis.vad import Segment, VoiceActivity
from coach.analysis.whisper_engine import WhisperTranscriber
from coach.errors import AnalysisError

DATA = Path(__file__).resolve().parents[1] / "data"
REQUIRED_KEYS = {
    "file", "duration_s", "speech_s", "leading_silence_s", "pauses", "long_pause_count",
    "transcript", "words", "words_per_minute", "syllable_count", "syllables_per_second",
    "fillers", "fillers_per_minute", "pitch_median_hz", "pitch_variation_st", "loudness_dbfs",
    "loudness_variation_db", "engine", "reasons",
}  # fmt: skip


def _spliced(name: str, silence_s: float = 3.0) -> tuple[np.ndarray, float]:
    samples, rate = load_audio(DATA / name)
    y = to_16k(samples, rate)
    mid = len(y) // 2
    gap = np.zeros(int(silence_s * 16_000), np.float32)
    return np.concatenate([y[:mid], gap, y[mid:]]), mid / 16_000


def test_without_engine_every_word_value_is_null_with_a_reason() -> None:
    result = analyze_file(DATA / "vosk_test_digits.wav", None)
    d = result.to_dict()
    assert set(d) >= REQUIRED_KEYS
    assert d["engine"] == "none" and d["words"] == [] and d["transcript"] == ""
    for key in ("words_per_minute", "fillers_per_minute", "word_count"):
        assert d[key] is None and key in result.reasons
    for key, value in d.items():
        if value is None:
            assert key in result.reasons, key
    assert len(result.pauses) == 2 and result.long_pause_count == 0
    assert result.syllable_count is not None and result.syllables_per_second is not None


@pytest.mark.parametrize("name", ["jfk_whisper.flac", "librispeech_2412-153948-0000.flac"])
def test_spliced_silence_is_exactly_one_long_pause_there(name: str) -> None:
    y, at = _spliced(name)
    result = analyze_samples(y, 16_000, None)
    assert result.long_pause_count == 1
    (pause,) = result.long_pauses
    assert pause["start_s"] <= at + 0.1 and pause["end_s"] >= at + 3.0 - 0.1
    assert pause["end_s"] - pause["start_s"] < 3.0 + 2.0


def test_near_silence_gives_no_words_with_whisper(whisper_transcriber: WhisperTranscriber) -> None:
    rng = np.random.default_rng(11)
    noise = (rng.standard_normal(5 * 16_000) * 10 ** (-55 / 20)).astype(np.float32)
    result = analyze_samples(noise, 16_000, whisper_transcriber)
    assert result.engine == whisper_transcriber.name
    assert result.words == [] and result.transcript == "" and result.speech_s == 0
    assert result.words_per_minute is None and "words_per_minute" in result.reasons
    assert result.pitch_median_hz is None and result.loudness_dbfs is None


def test_real_speech_with_whisper(whisper_transcriber: WhisperTranscriber) -> None:
    stages: list[tuple[str, float]] = []
    result = analyze_file(
        DATA / "jfk_whisper.flac", whisper_transcriber, progress=lambda s, f: stages.append((s, f))
    )
    text = result.transcript.lower()
    assert "fellow americans" in text and "your country" in text
    words = result.words
    assert len(words) >= 18 and result.word_count == len(words)
    span = words[-1]["end_s"] - words[0]["start_s"]
    assert result.words_per_minute == pytest.approx(len(words) / span * 60, rel=1e-3)
    # a recorded word sits inside detected speech (give or take Whisper's edge error)
    speech = [(p["start_s"], p["end_s"]) for p in result.pauses]
    for w in words:
        mid = (w["start_s"] + w["end_s"]) / 2
        assert not any(a + 0.15 < mid < b - 0.15 for a, b in speech), w
    assert result.longest_run_words is not None and 2 <= result.longest_run_words < len(words)
    assert [f for _, f in stages] == sorted(f for _, f in stages) and stages[-1] == ("done", 1.0)
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()


class _Hallucinating:
    """Pure-logic fake: 'recognises' words everywhere, including in the silence."""

    name = "fake"

    def transcribe(self, samples16k: np.ndarray) -> Transcript:
        n = len(samples16k) / 16_000
        words = tuple(Word("thanks", t, t + 0.3) for t in np.arange(0.0, n - 0.3, 0.5))
        return Transcript(words, " ".join(w.text for w in words), "fake", False)


def test_words_outside_speech_are_dropped() -> None:
    y, at = _spliced("jfk_whisper.flac")
    result = analyze_samples(y, 16_000, _Hallucinating())
    assert result.dropped_words > 0
    assert not any(at + 0.3 < w["start_s"] < at + 2.5 for w in result.words)


def test_word_filter_and_runs_logic() -> None:
    speech = VoiceActivity((Segment(1.0, 2.0), Segment(2.5, 4.0), Segment(8.0, 9.0)), 10.0)
    words = [
        Word("a", 1.1, 1.4), Word("b", 1.95, 2.3), Word("c", 2.6, 3.0), Word("d", 3.1, 3.9),
        Word("ghost", 5.0, 5.5), Word("edge", 4.05, 4.3), Word("e", 8.2, 8.2),
    ]  # fmt: skip
    kept = [w.text for w in words_in_speech(words, speech)]
    assert kept == ["a", "b", "c", "d", "e"]
    assert longest_run([w for w in words if w.text in kept], speech) == 2


def test_round_trip_through_dict_and_json() -> None:
    result = analyze_file(DATA / "emodb_03a04Wc.wav", None)
    d = json.loads(json.dumps(result.to_dict()))
    back = AnswerAnalysis.from_dict(d)
    assert back.to_dict() == d
    assert AnswerAnalysis.from_dict({**d, "future_key": 1}).to_dict() == d
    with pytest.raises(ValueError, match="lacks"):
        AnswerAnalysis.from_dict({"file": "x"})


def test_bad_input() -> None:
    with pytest.raises(AnalysisError, match="no audio"):
        analyze_samples(np.zeros(0, np.float32), 16_000, None)
    silence = analyze_samples(np.zeros(16_000, np.float32), 44_100, None)
    assert silence.speech_s == 0 and silence.reasons["leading_silence_s"] == "no speech detected"


def test_chart_curves_are_stored_small_and_match_the_take() -> None:
    """The answer view and the report draw these without decoding the audio again."""
    from coach.analysis.chart_data import MAX_POINTS, chart_from_file, curves

    path = DATA / "jfk_whisper.flac"
    d = json.loads(json.dumps(analyze_file(path, None).to_dict(), indent=2))
    c = curves(d["chart"])
    assert c.duration_s == pytest.approx(d["duration_s"], abs=0.01)
    assert len(c.env_t) <= MAX_POINTS and len(c.loud_t) <= MAX_POINTS
    assert c.env_t[-1] <= c.duration_s and c.loud_t[-1] <= c.duration_s
    voiced = c.pitch_hz[np.isfinite(c.pitch_hz)]
    assert len(voiced) > 100 and 60 < np.median(voiced) < 400  # a speaking voice
    assert abs(float(np.median(voiced)) - d["pitch_median_hz"]) < 25
    assert len(json.dumps(d["chart"], indent=2)) < 20_000
    # Takes analysed before charts were stored get the very same curves from the file.
    again = curves(chart_from_file(path))
    assert np.allclose(again.loud_db, c.loud_db)
    assert np.allclose(np.nan_to_num(again.pitch_hz), np.nan_to_num(c.pitch_hz))
    # A long take (44 s) is reduced to what a chart can show, on a grid that survives rounding.
    samples, rate = load_audio(path)
    long = analyze_samples(np.tile(samples, 4), rate, None).to_dict()
    lc = curves(json.loads(json.dumps(long))["chart"])
    assert len(lc.loud_t) <= MAX_POINTS and len(lc.env_t) <= MAX_POINTS
    assert lc.loud_t[-1] == pytest.approx(lc.duration_s, abs=0.05)
