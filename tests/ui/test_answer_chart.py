"""The answer view draws the chart the analysis worker stored; it never decodes audio or runs
Praat on the GUI thread. An analysis saved before charts were stored still gets its chart,
computed on a worker lane."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import parselmouth
import pytest
import soundfile as sf
from pytestqt.qtbot import QtBot

from coach.analysis import chart_data, pitch
from coach.analysis.pipeline import analyze_file
from coach.analysis.results import AnswerAnalysis
from coach.core.session import AskedQuestion, Session, Take
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.ui.answer_view import AnswerView
from coach.ui.tasks import TaskRunner

DATA = Path(__file__).resolve().parents[1] / "data"
CLIP = "jfk_whisper.flac"  # 11 s of real speech


def _session(root: Path) -> tuple[Path, Session, dict[str, Any]]:
    """A session with one real take, analysed for real (no recogniser: the chart needs none)."""
    store = SessionStore(root)
    session = store.create(
        InterviewSettings(), [AskedQuestion("q", "Tell me about yourself.")], "Chart test"
    )
    folder = store.folder(session)
    samples, rate = sf.read(str(DATA / CLIP), dtype="float32")
    sf.write(str(folder / "q01-take1.flac"), samples, rate, format="FLAC")
    take = Take(audio="q01-take1.flac", duration_s=len(samples) / rate, started_at="2024-05-01")
    session.questions[0].takes.append(take)
    data = json.loads(json.dumps(analyze_file(folder / take.audio, None).to_dict()))
    return folder, session, data


class Spy:
    """Wraps the functions that decode audio or run Praat, noting the thread of each call."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads: list[str] = []
        for owner, name in (
            (chart_data, "load_audio"),
            (pitch, "_raw_pitch"),
            (parselmouth, "Sound"),
            (sf, "read"),
            (sf, "SoundFile"),
        ):
            monkeypatch.setattr(owner, name, self._wrap(getattr(owner, name)))

    def _wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def spy(*args: Any, **kwargs: Any) -> Any:
            self.threads.append(threading.current_thread().name)
            return real(*args, **kwargs)

        return spy

    @property
    def on_gui_thread(self) -> list[str]:
        return [t for t in self.threads if t == threading.main_thread().name]


def _view(qtbot: QtBot, runner: TaskRunner, root: Path) -> AnswerView:
    view = AnswerView(runner, SessionStore(root), lambda q, t, s: None)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    return view


def test_stored_chart_is_drawn_without_decoding_audio_or_running_praat(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, session, data = _session(tmp_path / "sessions")
    analysis = AnswerAnalysis.from_dict(data)
    assert analysis.chart is not None
    spy = Spy(monkeypatch)
    view = _view(qtbot, runner, tmp_path / "sessions")

    view.show_question(folder, session, {(0, 0): analysis}, 0)

    trace = view.trace_for(0, 0)  # there at once: nothing to wait for
    assert trace is not None and view.chart.trace is trace
    assert spy.threads == []  # no decoding, no Praat, on any thread
    # Other background reads (the answer's saved content feedback) may run; once they are done,
    # still nothing has decoded audio or run Praat.
    qtbot.waitUntil(runner.is_idle, timeout=10_000)
    assert spy.threads == []
    assert trace.duration_s == pytest.approx(analysis.duration_s, abs=0.01)
    assert np.isfinite(trace.pitch_hz).sum() > 100  # the speech's pitch contour is there
    assert trace.loud_db.max() > -30.0  # and its loudness
    assert "Click to play" in view.chart_status.text()


def test_old_analysis_without_chart_is_drawn_from_a_worker_lane(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, session, data = _session(tmp_path / "sessions")
    stored = chart_data.curves(data["chart"])
    old = AnswerAnalysis.from_dict({k: v for k, v in data.items() if k != "chart"})
    assert old.chart is None
    spy = Spy(monkeypatch)
    view = _view(qtbot, runner, tmp_path / "sessions")

    view.show_question(folder, session, {(0, 0): old}, 0)

    assert view.trace_for(0, 0) is None and "Drawing" in view.chart_status.text()
    qtbot.waitUntil(lambda: view.trace_for(0, 0) is not None, timeout=30000)
    trace = view.trace_for(0, 0)
    assert trace is not None and view.chart.trace is trace
    assert spy.threads, "the old analysis' chart was not computed from the audio"
    assert spy.on_gui_thread == []  # decoded and tracked on a worker lane
    # The same curves the analysis worker stores for new takes.
    assert np.allclose(trace.loud_db, stored.loud_db)
    assert np.allclose(np.nan_to_num(trace.pitch_hz), np.nan_to_num(stored.pitch_hz))
    assert any(m.kind == "pause" for m in trace.markers) == bool(old.long_pauses)
