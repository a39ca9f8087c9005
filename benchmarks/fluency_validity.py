"""How well the flow reading agrees with expert fluency, on speakers the fit has never seen.

Usage: PYTHONPATH=. .venv/bin/python benchmarks/fluency_validity.py [--data DIR] [--refit]
       nice PYTHONPATH=. .venv/bin/python benchmarks/fluency_validity.py --transcribe

Reads speechocean762's train subset (../shared/speech/speechocean-train: 195 clips, 75 speakers,
five experts each), measures every component with the app's own analysis, and prints as JSON,
for each reading ("words": Whisper base's words, stored in tests/data by --transcribe;
"acoustic": syllable nuclei, no recogniser):
- each component's Spearman with the median expert fluency (its literature sign applied; a
  component has no fitted parameter, so this is already a figure on unseen speakers);
- the reading's Spearman from 5-fold cross-validation grouped by speaker (the weights are
  fitted on four folds' speakers and scored on the fifth's), pooled and per fold;
- the same for the shipped weights (fitted on all clips: not a held-out figure, shown to check the
  constants in coach/analysis/fluency.py match a refit);
- baseline: syllable nuclei per second of the whole clip (the naive rate).
`--transcribe` runs Whisper base (int8, the app's decoding settings) once over the clips and
stores its words with times in tests/data (minutes of CPU); `--refit` prints the constants to
paste into coach/analysis/fluency.py.
Goal (issue 11): cross-validated Spearman >= 0.80; one expert against the other four: 0.836.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.analysis import fluency  # noqa: E402
from coach.analysis.fluency_calibration import (  # noqa: E402
    DEFAULT_DATA,
    WORDS_FIXTURE_NAME,
    Row,
    cross_validate,
    fit,
    load_words,
    measure_set,
    speaker_folds,
)

FIXTURE = ROOT / "tests" / "data" / WORDS_FIXTURE_NAME
LICENCE = (
    "Audio: speechocean762 (Zhang et al., Interspeech 2021), CC BY 4.0; these are Whisper base's "
    "words for 195 of its train clips (machine output, not the corpus's labels)."
)


def _rho(a: np.ndarray, b: np.ndarray) -> float:
    return float(spearmanr(a, b).statistic)


def transcribe(data: Path, dest: Path) -> None:
    """Whisper base over every scored clip, through the app's own transcriber; words stored."""
    import tempfile

    from coach.analysis.audio_io import load_audio, to_16k
    from coach.analysis.whisper_engine import WhisperTranscriber
    from tests.helpers.whisper_model import build_whisper_base

    scores = json.loads((data / "scores.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        transcriber = WhisperTranscriber(build_whisper_base(Path(tmp) / "whisper-base"))
        clips = {}
        for i, clip in enumerate(sorted(scores), 1):
            x, rate = load_audio(data / f"{clip}.wav")
            words = transcriber.transcribe(to_16k(x, rate)).words
            clips[clip] = [
                [w.text, round(w.start_s, 3), round(w.end_s, 3), round(w.probability, 3)]
                for w in words
            ]
            print(f"{i}/{len(scores)} {clip}: {' '.join(w.text for w in words)}", file=sys.stderr)
    doc = {
        "what": "Whisper base int8 words per clip: [text, start_s, end_s, probability]",
        "engine": f"coach.analysis.whisper_engine.WhisperTranscriber defaults "
        f"(prompt {transcriber.initial_prompt!r}, beam {transcriber.beam_size}, "
        f"temperature {transcriber.temperature})",
        "licence": LICENCE,
        "clips": clips,
    }
    dest.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")


def report(rows: list[Row], basis: str, folds: int) -> dict[str, object]:
    """Figures for one reading on the rows that have its components."""
    rows = [r for r in rows if basis == "acoustic" or r.words is not None]
    y = np.array([r.fluency for r in rows], dtype=np.float64)
    model = fluency.MODELS[basis]
    own = {
        k: round(
            fluency.LITERATURE_SIGNS[k] * _rho(np.array([r.components(basis)[k] for r in rows]), y),
            3,
        )
        for k in model.components
    }
    cv = cross_validate(rows, folds, basis)
    shipped = np.array([model.index(r.components(basis)) for r in rows])  # after a refit paste
    refit = fit(rows, basis)
    return {
        "clips": len(rows),
        "component_spearman_signed": own,
        "cv_spearman_pooled": round(_rho(cv.predictions, y), 3),
        "cv_spearman_per_fold": [round(v, 3) for v in cv.fold_spearman],
        "cv_mean_abs_error": round(float(np.mean(np.abs(cv.predictions - y))), 2),
        "shipped_spearman_all_clips_not_held_out": round(_rho(shipped, y), 3),
        "refit_uses": list(refit.used),
        "refit": {
            "centres": [round(v, 4) for v in refit.centres],
            "scales": [round(v, 4) for v in refit.scales],
            "weights": [round(v, 4) for v in refit.weights],
            "intercept": round(refit.intercept, 4),
        },
    }


def app_reading_cv(rows: list[Row], folds: int) -> np.ndarray:
    """Out-of-fold predictions as the app makes them: the word reading where Whisper gave
    enough words, the acoustic one for the other clips."""
    pred = np.zeros(len(rows))
    for held in speaker_folds(rows, folds):
        train = [r for r in rows if r.speaker not in held]
        worded = fit([r for r in train if r.words is not None], "words")
        acoustic = fit(train, "acoustic")
        for i, r in enumerate(rows):
            if r.speaker in held:
                pred[i] = (
                    worded.index(r.words) if r.words is not None else acoustic.index(r.acoustic)
                )
    return pred


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--refit", action="store_true", help="print constants for fluency.py")
    p.add_argument("--transcribe", action="store_true", help=f"(re)write {FIXTURE.name}")
    p.add_argument("--folds", type=int, default=5)
    args = p.parse_args()
    if args.transcribe:
        transcribe(args.data, FIXTURE)
    words = load_words(FIXTURE) if FIXTURE.is_file() else None
    rows = measure_set(args.data, words)
    y = np.array([r.fluency for r in rows], dtype=np.float64)
    naive = np.array([r.naive_rate for r in rows])
    out: dict[str, object] = {
        "clips": len(rows),
        "speakers": len({r.speaker for r in rows}),
        "naive_syllables_per_clip_second": round(_rho(naive, y), 3),
        "goal": 0.80,
        "one_expert_vs_other_four": 0.836,
    }
    if words is not None:
        out["app_reading_cv_spearman_all_clips"] = round(
            _rho(app_reading_cv(rows, args.folds), y), 3
        )
    for basis in ("words", "acoustic") if words is not None else ("acoustic",):
        figures = report(rows, basis, args.folds)
        if not args.refit:
            figures.pop("refit")
        out[basis] = figures
    print(json.dumps(out, indent=2))
    pooled = out["acoustic"]["cv_spearman_pooled"]  # type: ignore[index]
    return 0 if math.isfinite(float(pooled)) else 1


if __name__ == "__main__":
    sys.exit(main())
