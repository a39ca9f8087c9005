"""Fitting and checking the flow reading's weights on expert-scored speech (speechocean762).

Used by benchmarks/fluency_validity.py (figures, refit) and by the test that holds the reading to
its cross-validated agreement. The model stays small on purpose: one weight per component,
least squares on standardised components, and a component whose fitted sign contradicts the
literature (faster, longer runs, fewer and shorter pauses = more fluent) is dropped and the rest
refitted, so the weights stay explainable to a user.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.analysis import fluency
from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.syllables import find_syllable_nuclei
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

LITERATURE_SIGNS = {
    "articulation_rate": 1.0,
    "speech_rate": 1.0,
    "phonation_time_ratio": 1.0,
    "mean_length_of_run": 1.0,
    "pauses_per_minute": -1.0,
    "mean_pause_s": -1.0,
}
"""Direction of each component towards "more fluent" (Cucchiarini et al. 2000; Bosker et al.
2013)."""


@dataclass(frozen=True)
class Row:
    clip: str
    speaker: str
    fluency: float
    components: dict[str, float]
    naive_rate: float
    """Syllable nuclei / whole clip length: the naive baseline."""


@dataclass(frozen=True)
class Calibration:
    centres: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def predict(self, components: dict[str, float]) -> float:
        raw = np.asarray(_raw(components))
        z = (raw - np.asarray(self.centres)) / np.asarray(self.scales)
        return float(np.clip(self.intercept + z @ np.asarray(self.weights), 0.0, 10.0))


@dataclass(frozen=True)
class CrossValidation:
    predictions: np.ndarray
    fold_spearman: list[float]


def _raw(components: dict[str, float]) -> list[float]:
    return [
        math.log1p(components[k]) if k in fluency.LOG_COMPONENTS else components[k]
        for k in fluency.COMPONENTS
    ]


def measure_clip(path: Path) -> tuple[dict[str, float] | None, float]:
    """The components of one clip (the app's own VAD and nuclei) and the naive rate."""
    x, rate = load_audio(path)
    y = to_16k(x, rate)
    speech = detect_voice_activity(y)
    nuclei = find_syllable_nuclei(y, speech)
    comps = fluency.acoustic_components(speech, nuclei.times)
    return comps, nuclei.count / (len(y) / 16_000)


def measure_set(data: Path) -> list[Row]:
    """Every scored clip of the folder that has a speaking span of at least 1 s."""
    scores = json.loads((Path(data) / "scores.json").read_text(encoding="utf-8"))
    rows = []
    for clip in sorted(scores):
        comps, naive = measure_clip(Path(data) / f"{clip}.wav")
        if comps is None:
            continue
        s = scores[clip]
        rows.append(Row(clip, str(s["speaker"]), float(s["fluency"]), comps, naive))
    return rows


def fit(rows: list[Row]) -> Calibration:
    """Least squares on standardised components, dropping components with a wrong sign."""
    x = np.array([_raw(r.components) for r in rows], dtype=np.float64)
    y = np.array([r.fluency for r in rows], dtype=np.float64)
    centres = x.mean(axis=0)
    scales = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    z = (x - centres) / scales
    signs = np.array([LITERATURE_SIGNS[k] for k in fluency.COMPONENTS])
    use = np.ones(len(fluency.COMPONENTS), dtype=bool)
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
    return Calibration(
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


def cross_validate(rows: list[Row], k: int = 5) -> CrossValidation:
    """Out-of-fold predictions: each clip scored by weights fitted without its speaker."""
    from scipy.stats import spearmanr

    pred = np.zeros(len(rows))
    per_fold = []
    for held in speaker_folds(rows, k):
        train = [r for r in rows if r.speaker not in held]
        test_idx = [i for i, r in enumerate(rows) if r.speaker in held]
        cal = fit(train)
        for i in test_idx:
            pred[i] = cal.predict(rows[i].components)
        ys = [rows[i].fluency for i in test_idx]
        per_fold.append(float(spearmanr(pred[test_idx], ys).statistic))
    return CrossValidation(pred, per_fold)
