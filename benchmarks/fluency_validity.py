"""How well the flow reading agrees with expert fluency, on speakers the fit has never seen.

Usage: PYTHONPATH=. .venv/bin/python benchmarks/fluency_validity.py [--data DIR] [--refit]

Reads speechocean762's train subset (../shared/speech/speechocean-train: 195 clips, 75 speakers,
five experts each), measures every component with the app's own analysis (no recogniser), and
prints as JSON:
- each component's Spearman with the median expert fluency (its literature sign applied; a
  component has no fitted parameter, so this is already a figure on unseen speakers);
- the flow reading's Spearman from 5-fold cross-validation grouped by speaker (the weights are
  fitted on four folds' speakers and scored on the fifth's), pooled and per fold;
- the same for the shipped weights (fitted on all clips: not a held-out figure, shown to check the
  constants in coach/analysis/fluency.py match a refit);
- baselines: syllables per second of the whole clip (the naive rate).
`--refit` also prints the constants to paste into coach/analysis/fluency.py.
Goal (issue 11): cross-validated Spearman >= 0.80; one expert against the other four: 0.836.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.analysis import fluency  # noqa: E402
from coach.analysis.fluency_calibration import (  # noqa: E402
    DEFAULT_DATA,
    LITERATURE_SIGNS,
    Calibration,
    cross_validate,
    fit,
    measure_set,
)


def _rho(a: np.ndarray, b: np.ndarray) -> float:
    return float(spearmanr(a, b).statistic)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--refit", action="store_true", help="print constants for fluency.py")
    p.add_argument("--folds", type=int, default=5)
    args = p.parse_args()
    rows = measure_set(args.data)
    y = np.array([r.fluency for r in rows], dtype=np.float64)
    components = {
        name: round(
            LITERATURE_SIGNS[name] * _rho(np.array([r.components[name] for r in rows]), y), 3
        )
        for name in fluency.COMPONENTS
    }
    naive = np.array([r.naive_rate for r in rows])
    cv = cross_validate(rows, args.folds)
    shipped = np.array([fluency.flow_index(r.components) for r in rows])
    out: dict[str, object] = {
        "clips": len(rows),
        "speakers": len({r.speaker for r in rows}),
        "component_spearman_signed": components,
        "naive_syllables_per_clip_second": round(_rho(naive, y), 3),
        "flow_index_cv_spearman_pooled": round(_rho(cv.predictions, y), 3),
        "flow_index_cv_spearman_per_fold": [round(v, 3) for v in cv.fold_spearman],
        "flow_index_cv_mean_abs_error": round(float(np.mean(np.abs(cv.predictions - y))), 2),
        "flow_index_shipped_spearman_all_clips_not_held_out": round(_rho(shipped, y), 3),
        "goal": 0.80,
        "one_expert_vs_other_four": 0.836,
    }
    if args.refit:
        cal: Calibration = fit(rows)
        out["refit"] = {
            "CENTRES": [round(v, 4) for v in cal.centres],
            "SCALES": [round(v, 4) for v in cal.scales],
            "WEIGHTS": [round(v, 4) for v in cal.weights],
            "INTERCEPT": round(cal.intercept, 4),
        }
    print(json.dumps(out, indent=2))
    return 0 if math.isfinite(float(out["flow_index_cv_spearman_pooled"])) else 1  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
