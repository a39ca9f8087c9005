"""The flow reading: its components, its direction, and its agreement with expert fluency on
speakers the fit has never seen (speechocean762 in ../shared, 195 clips, 75 speakers)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from coach.analysis import fluency
from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.fluency import LITERATURE_SIGNS
from coach.analysis.fluency_calibration import (
    DEFAULT_DATA,
    WORDS_FIXTURE_NAME,
    Row,
    cross_validate,
    fit,
    load_words,
    measure_clip,
    measure_set,
    speaker_folds,
)
from coach.analysis.pipeline import analyze_file, analyze_samples
from coach.analysis.transcribe import Word
from coach.analysis.vad import Segment, VoiceActivity
from coach.analysis.whisper_engine import WhisperTranscriber

DATA = Path(__file__).resolve().parents[1] / "data"

WORDS_CV_FLOOR = 0.75
"""The issue's test floor; measured 0.768 on the 192 clips where Whisper found >= 3 words (the app
reading over all 195, acoustic for the other 3: 0.757). Deterministic: stored words + audio."""
ACOUSTIC_CV_FLOOR = 0.60
"""Measured 0.655: syllable nuclei are counted too often in halting speech."""


def _speech(*spans: tuple[float, float], duration: float = 10.0) -> VoiceActivity:
    return VoiceActivity(tuple(Segment(a, b) for a, b in spans), duration)


def test_components_follow_their_definitions() -> None:
    speech = _speech((1.0, 3.0), (3.5, 5.0), (6.0, 7.0))  # pauses 0.5 s and 1.0 s
    nuclei = [1.2, 1.5, 1.9, 2.4, 2.8, 3.7, 4.2, 4.6, 6.3, 6.7]
    c = fluency.acoustic_components(speech, nuclei)
    assert c is not None
    assert c["articulation_rate"] == pytest.approx(10 / 4.5)
    assert c["speech_rate"] == pytest.approx(10 / 6.0)
    assert c["phonation_time_ratio"] == pytest.approx(4.5 / 6.0)
    assert c["mean_length_of_run"] == pytest.approx(10 / 3)
    assert c["pauses_per_minute"] == pytest.approx(2 / 0.1)
    assert c["mean_pause_s"] == pytest.approx(0.75)
    assert fluency.acoustic_components(_speech((1.0, 1.5)), [1.2]) is None


def test_faster_syllables_and_fewer_shorter_pauses_read_as_more_fluent() -> None:
    base = {"articulation_rate": 4.0, "speech_rate": 3.0, "phonation_time_ratio": 0.8,
            "mean_length_of_run": 6.0, "pauses_per_minute": 15.0, "mean_pause_s": 0.5}  # fmt: skip
    words = {"speech_rate_wpm": 120.0, "articulation_rate_words": 4.0, "mean_pause_s": 0.5,
             "mean_length_of_run_words": 5.0, "pauses_per_word": 0.2}  # fmt: skip
    for model, comps in ((fluency.ACOUSTIC, base), (fluency.WORDS, words)):
        for name, w in zip(model.components, model.weights, strict=True):
            sign = LITERATURE_SIGNS[name]
            assert w == 0.0 or np.sign(w) == sign, name
            changed = dict(comps, **{name: comps[name] * 1.5})
            assert np.sign(model.index(changed) - model.index(comps)) in (0.0, sign)
        assert 0 < len(model.used) <= 4  # few parameters, each explainable


def _w(text: str, start: float, end: float, probability: float = 1.0) -> Word:
    return Word(text, start, end, probability)


def test_word_components_count_words_not_fillers() -> None:
    speech = _speech((1.0, 3.0), (3.5, 5.0), (6.0, 7.0))
    words = [_w("Well,", 1.0, 1.4), _w("um", 1.5, 1.8), _w("the", 1.9, 2.1),
             _w("table's", 2.2, 2.9), _w("there.", 3.6, 4.5),
             _w("Okay.", 6.1, 6.8, 0.5)]  # fmt: skip
    c = fluency.word_components(speech, words)
    assert c is not None
    # "um" is a pause, not a word; "Okay." counts half: Whisper gave it probability 0.5
    assert c["speech_rate_wpm"] == pytest.approx(60 * 4.5 / 6.0)
    # well 1, the 1, table's 2 (-le keeps its e), there 1 (silent e), okay 2 x 0.5
    assert c["articulation_rate_words"] == pytest.approx(6 / 4.5)
    assert c["mean_length_of_run_words"] == pytest.approx((3 + 1 + 0.5) / 3)
    assert c["pauses_per_word"] == pytest.approx(2 / 4.5)
    assert c["mean_pause_s"] == pytest.approx(0.75)
    assert fluency.word_components(speech, words[:2]) is None  # too few words: acoustic instead
    assert [fluency.spelled_syllables(t) for t in ("make", "table", "idea", "2024", "rhythm")] == [
        1, 2, 2, 4, 1,
    ]  # fmt: skip


def test_repetitions_count_repeated_words_not_fillers() -> None:
    assert fluency.count_repetitions(["I", "I", "think", "the", "the", "plan"]) == 2
    assert fluency.count_repetitions(["uh,", "uh", "well"]) == 0
    assert fluency.count_repetitions(["words,", "words,", "words."]) == 2


def test_analyze_reports_the_reading_with_its_components() -> None:
    a = analyze_file(DATA / "librispeech_2412-153948-0000.flac", None).to_dict()
    assert isinstance(a["flow_index"], float) and 0.0 <= a["flow_index"] <= 10.0
    assert a["flow_band"] in ("low", "ok", "good")
    components = a["flow_components"]
    assert isinstance(components, dict)
    assert set(fluency.ACOUSTIC.components) <= set(components)
    assert components["filled_pauses_per_minute"] is None  # no recogniser: not a false zero
    assert a["flow_basis"] == "acoustic"
    rng = np.random.default_rng(1)
    silence = (rng.standard_normal(3 * 16_000) * 0.001).astype(np.float32)
    quiet = analyze_samples(silence, 16_000, None)
    assert quiet.flow_index is None and quiet.reasons["flow_index"] == "no speech detected"


@pytest.fixture(scope="module")
def stored_words() -> dict[str, list[Word]]:
    return load_words(DATA / WORDS_FIXTURE_NAME)


@pytest.fixture(scope="module")
def calibration_rows(stored_words: dict[str, list[Word]]) -> list[Row]:
    if not (DEFAULT_DATA / "scores.json").is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must provide the shared speech data beside the clone: {DEFAULT_DATA}")
        pytest.skip(f"speechocean762 calibration set not found at {DEFAULT_DATA}")
    return measure_set(DEFAULT_DATA, stored_words)


def test_folds_never_share_a_speaker(calibration_rows: list[Row]) -> None:
    folds = speaker_folds(calibration_rows, 5)
    assert sum(len(f) for f in folds) == len({r.speaker for r in calibration_rows}) == 75
    assert all(not (a & b) for i, a in enumerate(folds) for b in folds[i + 1 :])


@pytest.mark.parametrize(
    ("basis", "floor"), [("words", WORDS_CV_FLOOR), ("acoustic", ACOUSTIC_CV_FLOOR)]
)
def test_flow_agrees_with_experts_on_unseen_speakers(
    calibration_rows: list[Row], basis: str, floor: float
) -> None:
    assert len(calibration_rows) == 195
    rows = [r for r in calibration_rows if basis == "acoustic" or r.words is not None]
    assert len(rows) >= 190  # Whisper found words in (almost) every clip
    y = np.array([r.fluency for r in rows])
    cv = cross_validate(rows, 5, basis)
    pooled = float(spearmanr(cv.predictions, y).statistic)
    assert pooled >= floor
    assert min(cv.fold_spearman) >= 0.4
    model = fluency.MODELS[basis]
    best_single = max(
        LITERATURE_SIGNS[k] * spearmanr([r.components(basis)[k] for r in rows], y).statistic
        for k in model.components
    )
    # Not worse than its best part by more than noise: with words it is 0.768 against words/min
    # alone 0.777 on this read speech (the pause components add the advice, not agreement).
    assert pooled >= best_single - 0.02


@pytest.mark.parametrize("basis", ["words", "acoustic"])
def test_shipped_weights_are_the_refit(calibration_rows: list[Row], basis: str) -> None:
    rows = [r for r in calibration_rows if basis == "acoustic" or r.words is not None]
    refit = fit(rows, basis)
    shipped = fluency.MODELS[basis]
    np.testing.assert_allclose(refit.weights, shipped.weights, atol=2e-3)
    np.testing.assert_allclose(refit.centres, shipped.centres, rtol=2e-3)
    np.testing.assert_allclose(refit.scales, shipped.scales, rtol=2e-3)
    assert refit.intercept == pytest.approx(shipped.intercept, abs=2e-3)


DRIFT_CLIPS = ("096150021", "005750178", "000530163")
"""Fluency 4, 6 and 8: in each stratum the clip whose least certain stored word is most certain.
Whisper's sampling fallback (whisper_engine.FALLBACK_TEMPERATURES) makes a clip with an
uncertain window come out differently run to run, so the exact check uses clips it decodes
without falling back; the calibration itself reads the stored words, which are machine output."""


def test_stored_words_are_what_the_real_pipeline_hears_now(
    whisper_transcriber: WhisperTranscriber, stored_words: dict[str, list[Word]]
) -> None:
    if not (DEFAULT_DATA / "scores.json").is_file():
        pytest.skip(f"speechocean762 calibration set not found at {DEFAULT_DATA}")
    for clip in DRIFT_CLIPS:
        path = DEFAULT_DATA / f"{clip}.wav"
        a = analyze_file(path, whisper_transcriber)
        x, rate = load_audio(path)
        now = whisper_transcriber.transcribe(to_16k(x, rate)).words
        stored = stored_words[clip]
        assert [w.text for w in now] == [w.text for w in stored], clip
        for n, s in zip(now, stored, strict=True):
            assert n.start_s == pytest.approx(s.start_s, abs=0.02)
            assert n.end_s == pytest.approx(s.end_s, abs=0.02)
        _acoustic, worded, _naive = measure_clip(path, stored)
        assert a.flow_basis == "words" and worded is not None
        for k, v in worded.items():
            assert a.flow_components[k] == pytest.approx(v, rel=1e-2), (clip, k)  # p to 3 dp
        assert a.flow_index == pytest.approx(fluency.WORDS.index(worded), abs=0.05)
