"""An old and a new take of one question compared, on real takes analysed for real."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from coach.review import load_analyses
from coach.review.model import NOT_MEASURED
from coach.review.summary import RANK
from coach.review.take_compare import BETTER, UNKNOWN, WORSE, compare_takes
from coach.review.thresholds import LOW_ACCURACY_TEXT
from coach.ui.take_comparison import TakeComparison
from tests.review.conftest import Clip, Factory


def test_two_real_takes_compared_measure_by_measure(
    qtbot: QtBot, build_session: Factory, silent_clip: Clip, sphinx_clips: dict[str, Clip]
) -> None:
    built = build_session(
        [["libri", "jfk", "silent"]], clips={**sphinx_clips, "silent": silent_clip}
    )
    analyses = load_analyses(built.folder, built.session)
    old, new, silent = analyses[(0, 0)], analyses[(0, 1)], analyses[(0, 2)]
    rows = {r.metric: r for r in compare_takes(old, new)}
    pace = rows["words_per_minute"]
    assert pace.before.value == old.words_per_minute and pace.after.value == new.words_per_minute
    for r in rows.values():
        if r.before.band != r.after.band and NOT_MEASURED not in (r.before.band, r.after.band):
            assert r.change == (BETTER if RANK[r.after.band] < RANK[r.before.band] else WORSE)
    # pocketsphinx transcripts are too rough for word counts: not compared, with the reason
    assert rows["fillers_per_minute"].change == UNKNOWN
    assert rows["fillers_per_minute"].before.why == LOW_ACCURACY_TEXT
    # a silent retake is compared with nothing: never "better"
    against_silence = compare_takes(old, silent)
    assert all(r.after.band == NOT_MEASURED and r.change == UNKNOWN for r in against_silence)

    widget = TakeComparison()
    qtbot.addWidget(widget)
    widget.show_takes(old, new, "Take 1", "Take 2", "Question 1?")
    widget.resize(900, 500)
    widget.show()
    assert widget.grid.rowCount() == len(widget.rows) + 1
    changes = [
        w.text() for w in widget.grid_frame.findChildren(QLabel) if w.accessibleName().count(":")
    ]
    assert len(changes) == len(widget.rows)
    moved = [r for r in widget.rows if r.changed]
    assert sum(t.startswith(("▲", "▼")) for t in changes) == len(moved)
    for r in moved:
        assert r.label in widget.summary.text()
