"""The registry of measures is the one place a measure is declared: every surface reads it."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from coach import measures
from coach.analysis.command import summary
from coach.analysis.results import AnswerAnalysis
from coach.core.history_rows import AnswerRow, Headline, SessionRow
from coach.core.progress import METRICS
from coach.measures import (
    ANSWER_LIST,
    CHARTED,
    CLI_SUMMARY,
    COMPARED,
    HISTORY_COLUMNS,
    INDEXED_FROM_ANALYSIS,
    MEASURES,
    TAKE_CARD,
    Band,
)
from coach.review import thresholds
from coach.review.model import AnswerSummary
from coach.ui.history_table import COLUMNS

COACH = Path(measures.__file__).parent


def test_the_registry_imports_nothing_from_coach() -> None:
    """So every layer, down to the analysis, may use it."""
    tree = ast.parse(Path(measures.__file__).read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert not [m for m in imported if m.split(".")[0] == "coach"]
    code = (
        "import sys, coach.measures;"
        "sys.exit(any(m.startswith('coach.') and m != 'coach.measures' for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_each_surface_lists_keys_its_data_has() -> None:
    analysis = {f.name for f in fields(AnswerAnalysis)}
    assert set(CLI_SUMMARY) <= analysis
    assert set(TAKE_CARD) <= analysis and set(INDEXED_FROM_ANALYSIS) <= analysis
    assert set(ANSWER_LIST) <= {f.name for f in fields(AnswerSummary)}
    for row in (AnswerRow, SessionRow, Headline):
        assert set(HISTORY_COLUMNS) <= {f.name for f in fields(row)}
    assert set(INDEXED_FROM_ANALYSIS) <= set(HISTORY_COLUMNS)
    assert set(COMPARED) <= set(MEASURES) and set(CHARTED) <= set(MEASURES)


def test_bands_are_declared_once_with_a_source() -> None:
    """The review's delivery bands are the registry's objects, not copies; each cites a source."""
    for m in MEASURES.values():
        for band in m.bands:
            assert band.metric == m.key and band.reason
            name = next(n for n, v in vars(thresholds).items() if v is band)
            assert getattr(measures, name) is band
        if m.target is not None:
            assert "feedback-science" in m.target.source
    registry_bands = {id(b) for m in MEASURES.values() for b in m.bands}
    review_only = [b for b in vars(thresholds).values() if isinstance(b, Band)]
    for band in review_only:  # content checks (numbers, blame...) are not delivery measures
        assert id(band) in registry_bands or band.metric not in MEASURES
    assert [s.key for s in METRICS] == list(CHARTED)


def test_history_table_and_cli_read_labels_and_decimals_from_the_registry() -> None:
    table = {field: (heading, fmt) for heading, field, fmt, _tip in COLUMNS}
    for key in HISTORY_COLUMNS:
        m = MEASURES[key]
        assert table[key] == (m.heading or m.label, f"{{:.{m.decimals}f}}")
    a = AnswerAnalysis(file="x.wav", duration_s=60.0, engine="whisper", words_per_minute=141.6)
    assert "pace                  142 words/min" in summary(a)


def test_measure_keys_are_written_out_only_where_they_are_computed_or_stored() -> None:
    """A new measure touches the registry and the code that computes it; this counts the rest."""
    naming = sorted(
        str(p.relative_to(COACH))
        for p in COACH.rglob("*.py")
        if "words_per_minute" in p.read_text(encoding="utf-8")
    )
    # measures.py (the registry), analysis (computes and stores it), review/sections.py (judges
    # it), the history schema (frozen migrations) and the typed rows of the index and the review.
    assert len(naming) <= 10, naming
