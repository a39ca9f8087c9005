"""Fitting and checking the flow reading's weights on expert-scored speech (speechocean762).

Used by benchmarks/fluency_validity.py (figures, refit) and by the test that holds the reading to
its cross-validated agreement. The model stays small on purpose: one weight per component,
least squares on standardised components, and a component whose fitted sign contradicts the
literature (faster, longer runs, fewer and shorter pauses = more fluent) is dropped and the rest
refitted, so the weights stay explainable to a user. Both readings are fitted the same way: the
acoustic one from the audio alone, the word one from Whisper's words stored beside the tests
(`WORDS_FIXTURE_NAME`), passed through the same voice-activity gate as in the app.
"""

from __future__ import annotations

import gzip
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.analysis import fluency
from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.syllables import find_syllable_nuclei
from coach.analysis.transcribe import Word
from coach.analysis.vad import detect_voice_activity


def shared_speech_dir() -> Path:
    """../shared/speech beside the clone (CI keeps a copy there); $COACH_SHARED overrides it.

    A git worktree under <clone>/../wt/<name> finds the same folder one level further up.
    """
    env = os.environ.get("COACH_SHARED")
    if env:
        return Path(env) / "speech"
    root = Path(__file__).resolve().parents[2]
    for base in (root.parent, root.parent.parent):
        if (base / "shared" / "speech").is_dir():
            return base / "shared" / "speech"
    return root.parent / "shared" / "speech"


DEFAULT_DATA = shared_speech_dir() / "speechocean-train"

WORDS_FIXTURE_NAME = "speechocean_train_whisper_words.json"
"""Whisper's words for the calibration clips (tests/data), written by
`benchmarks/fluency_validity.py --transcribe`: machine output, so a refit needs no model."""


@dataclass(frozen=True)
class Row:
    clip: str
    speaker: str
    fluency: float
    acoustic: dict[str, float]
    words: dict[str, float] | None
    """Word-based components; None without stored words or with fewer than `MIN_WORDS`."""
    naive_rate: float
    """Syllable nuclei / whole clip length: the naive baseline."""

    def components(self, basis: str) -> dict[str, float]:
        if basis == "words" and self.words is not None:
            return self.words
        if basis == "words":
            raise ValueError(f"{self.clip} has no word components")
        return self.acoustic


@dataclass(frozen=True)
class CrossValidation:
    predictions: np.ndarray
    fold_spearman: list[float]


def load_words(path: Path) -> dict[str, list[Word]]:
    """The stored recogniser words per clip: {"clips": {id: [[text, start, end, p], ...]}}."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        doc = json.load(f)
    return {
        clip: [Word(str(t), float(a), float(b), float(p)) for t, a, b, p in words]
        for clip, words in doc["clips"].items()
    }


def measure_clip(
    path: Path, words: Sequence[Word] | None = None
) -> tuple[dict[str, float] | None, dict[str, float] | None, float]:
    """Acoustic and word components of one clip, exactly as the app's analysis computes them
    (the recogniser's words pass the same voice-activity gate), and the naive rate."""
    from coach.analysis.pipeline import kept_words

    x, rate = load_audio(path)
    y = to_16k(x, rate)
    speech = detect_voice_activity(y)
    nuclei = find_syllable_nuclei(y, speech)
    acoustic = fluency.acoustic_components(speech, nuclei.times)
    worded = None
    if words is not None:
        worded = fluency.word_components(speech, kept_words(words, speech, y))
    return acoustic, worded, nuclei.count / (len(y) / 16_000)


def measure_set(data: Path, words: dict[str, list[Word]] | None = None) -> list[Row]:
    """Every scored clip of the folder that has a speaking span of at least 1 s."""
    scores = json.loads((Path(data) / "scores.json").read_text(encoding="utf-8"))
    rows = []
    for clip in sorted(scores):
        clip_words = None if words is None else words.get(clip, [])
        acoustic, worded, naive = measure_clip(Path(data) / f"{clip}.wav", clip_words)
        if acoustic is None:
            continue
        s = scores[clip]
        rows.append(Row(clip, str(s["speaker"]), float(s["fluency"]), acoustic, worded, naive))
    return rows


def fit(rows: list[Row], basis: str = "acoustic") -> fluency.Model:
    """Least squares on standardised components, dropping components with a wrong sign."""
    names = fluency.MODELS[basis].components
    raw = [[math.log1p(c[k]) if k in fluency.LOG_COMPONENTS else c[k] for k in names]
           for c in (r.components(basis) for r in rows)]  # fmt: skip
    x = np.array(raw, dtype=np.float64)
    y = np.array([r.fluency for r in rows], dtype=np.float64)
    centres = x.mean(axis=0)
    scales = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    z = (x - centres) / scales
    signs = np.array([fluency.LITERATURE_SIGNS[k] for k in names])
    use = np.ones(len(names), dtype=bool)
    while True:
        design = np.column_stack([np.ones(len(y)), z[:, use]])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        w = np.zeros(len(use))
        w[use] = coef[1:]
        wrong = use & (np.sign(w) != signs)
        if not wrong.any():
            break
        # drop the most contradicting component, refit
        worst = int(np.argmax(np.where(wrong, -w * signs, -np.inf)))
        use[worst] = False
    return fluency.Model(
        basis,
        names,
        tuple(float(v) for v in centres),
        tuple(float(v) for v in scales),
        tuple(float(v) for v in w),
        float(coef[0]),
    )


def speaker_folds(rows: list[Row], k: int) -> list[set[str]]:
    """k groups of speakers with about equal clip counts (largest speakers placed first)."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.speaker] = counts.get(r.speaker, 0) + 1
    folds: list[set[str]] = [set() for _ in range(k)]
    sizes = [0] * k
    for spk in sorted(counts, key=lambda s: (-counts[s], s)):
        i = sizes.index(min(sizes))
        folds[i].add(spk)
        sizes[i] += counts[spk]
    return folds


def cross_validate(rows: list[Row], k: int = 5, basis: str = "acoustic") -> CrossValidation:
    """Out-of-fold predictions: each clip scored by weights fitted without its speaker."""
    from scipy.stats import spearmanr

    pred = np.zeros(len(rows))
    per_fold = []
    for held in speaker_folds(rows, k):
        train = [r for r in rows if r.speaker not in held]
        test_idx = [i for i, r in enumerate(rows) if r.speaker in held]
        model = fit(train, basis)
        for i in test_idx:
            pred[i] = model.index(rows[i].components(basis))
        ys = [rows[i].fluency for i in test_idx]
        per_fold.append(float(spearmanr(pred[test_idx], ys).statistic))
    return CrossValidation(pred, per_fold)
