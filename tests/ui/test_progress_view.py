"""The progress page over real analysed sessions: one chart per measure with its target band,
the category filter, the same question across sessions with a replay per answer, and a
rendered screenshot (set COACH_SCREENSHOT_DIR to keep it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from coach.analysis.engines import make_transcriber
from coach.audio.player import Player
from coach.core.session import FINISHED, AskedQuestion, Session
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.measures import PACE_TARGET as PACE_BAND
from coach.ui.history_view import HistoryView
from coach.ui.index_holder import IndexHolder
from coach.ui.progress_view import LINE_PEN, ProgressView
from coach.ui.tasks import TaskRunner
from tests.core.test_history_index import S1, S2, add_take, build_sessions

S4, S5 = "2025-04-02_190000-dddd", "2025-05-20_083000-eeee"


def build_more(root: Path) -> None:
    """Two more finished, analysed sessions, so the charts have four points to draw."""
    asr = make_transcriber("pocketsphinx")
    store = SessionStore(root)
    plan = {
        S4: ("2025-04-02T19:00", "north_wind_and_sun_RP.wav", "ami_ES2011a_Headset-0_40s-46s.wav"),
        S5: ("2025-05-20T08:30", "librispeech_2412-153948-0000.flac", "jfk_whisper.flac"),
    }
    for sid, (created, about_clip, conflict_clip) in plan.items():
        about = AskedQuestion(id="gen-01", text="Tell me about yourself.", category="general")
        conflict = AskedQuestion(id="beh-02", text="Describe a conflict.", category="behavioural")
        (root / sid).mkdir()
        add_take(root / sid, 0, about, about_clip, asr, analyse=True)
        add_take(root / sid, 1, conflict, conflict_clip, asr, analyse=True)
        about.takes[0].self_rating = 4
        session = Session(
            sid, created, InterviewSettings(), [about, conflict], "Mixed", FINISHED, role="Analyst"
        )
        store.save(session)


@pytest.fixture(scope="session")
def progress_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress-ui") / "sessions"
    build_sessions(root, make_transcriber("pocketsphinx"))
    build_more(root)
    return root


@pytest.fixture
def holder(tmp_path: Path, progress_template: Path) -> Iterator[IndexHolder]:
    data_dir = tmp_path / "data"
    shutil.copytree(progress_template, data_dir / "sessions")
    h = IndexHolder(data_dir, data_dir / "sessions")
    yield h
    h.close()


@pytest.fixture
def view(qtbot: QtBot, runner: TaskRunner, holder: IndexHolder) -> Iterator[ProgressView]:
    v = ProgressView(runner, holder, Player)
    v.resize(1040, 720)
    v.show()
    v.reload()
    qtbot.waitUntil(lambda: v.data is not None and len(v.replays) > 0, timeout=15000)
    yield v
    qtbot.waitUntil(runner.is_idle, timeout=15000)  # no callback may outlive the view
    v.close()
    v.deleteLater()


def plotted(plot: object) -> tuple[list[float], list[tuple[float, float]]]:
    """(y values of the line, regions) actually drawn in one pyqtgraph plot."""
    import pyqtgraph as pg

    ys: list[float] = []
    regions = []
    for item in plot.items:  # type: ignore[attr-defined]
        if isinstance(item, pg.PlotDataItem):
            ys = [float(y) for y in item.getData()[1]]
        elif isinstance(item, pg.LinearRegionItem):
            regions.append(tuple(float(v) for v in item.getRegion()))
    return ys, regions


def test_each_measure_is_charted_with_its_target_band(view: ProgressView) -> None:
    assert view.data is not None
    labels = [s.label for s in view.data.series]
    assert labels[0] == "Pace" and len(view.plots) == len(labels) == 6
    pace = view.data.series[0]
    assert len(pace.points) == 4  # S1, S2, S4, S5 analysed; S3 (unfinished) has no value
    ys, regions = plotted(view.plots[0])
    assert ys == pytest.approx([v for _, v in pace.points])
    assert regions == [(PACE_BAND.low, PACE_BAND.high)]
    _, filler_regions = plotted(view.plots[1])
    assert filler_regions[0][1] == 1.0 and filler_regions[0][0] < 0  # "at most 1 per minute"
    _, rating_regions = plotted(view.plots[5])
    assert rating_regions == []  # self-ratings have no published target


def test_one_category_only_charts_sessions_that_answered_it(
    qtbot: QtBot, view: ProgressView
) -> None:
    box = view.category_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "All questions", "Behavioural", "General", "Motivation",
    ]  # fmt: skip
    box.setCurrentIndex(box.findData("behavioural"))
    qtbot.waitUntil(lambda: view.runner.is_idle() and view.category() == "behavioural")
    qtbot.waitUntil(lambda: len(view.data.series[0].points) == 3, timeout=5000)  # type: ignore[union-attr]
    dates = [d[:10] for d, _ in view.data.series[0].points]  # type: ignore[union-attr]
    assert dates == ["2025-01-10", "2025-04-02", "2025-05-20"]  # S2 skipped its conflict question


def test_same_question_across_sessions_replays_each_chosen_take(
    qtbot: QtBot, view: ProgressView, holder: IndexHolder
) -> None:
    assert view.question_box.currentData() == "gen-01"  # the most answered question comes first
    assert len(view.replays) == 4
    paths = [r.path for r in view.replays]
    root = holder.sessions_root
    assert paths[0] == root / S1 / "q01-take2.flac"  # the best take, not the latest or first
    assert paths[1] == root / S2 / "q01-take1.flac"
    qtbot.waitUntil(lambda: all(r.play_button.isEnabled() for r in view.replays), timeout=10000)
    assert view.replays[0].time_label.text().endswith("0:03")  # cmu_arctic a0001: 3.3 s


def test_screenshots_of_history_and_progress(
    qtbot: QtBot, view: ProgressView, holder: IndexHolder, runner: TaskRunner, tmp_path: Path
) -> None:
    out = Path(os.environ.get("COACH_SCREENSHOT_DIR", tmp_path))
    history = HistoryView(runner, holder, open_session=lambda _: None)
    history.resize(1040, 720)
    history.show()
    history.reload()
    qtbot.waitUntil(lambda: history.table.rowCount() == 5 and runner.is_idle(), timeout=10000)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.takes.topLevelItemCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: all(r.play_button.isEnabled() for r in view.replays), timeout=10000)
    qtbot.wait(200)
    assert history.grab().save(str(out / "history.png"))
    image = view.grab().toImage()
    assert image.save(str(out / "progress.png"))
    chart = view.chart_area.grab().toImage()
    line = QColor(*LINE_PEN)
    hits = sum(
        1
        for x in range(0, chart.width(), 2)
        for y in range(0, chart.height(), 2)
        if chart.pixelColor(x, y) == line
    )
    assert hits > 50  # the session lines were really drawn
    qtbot.waitUntil(runner.is_idle, timeout=10000)
    history.close()
    history.deleteLater()
