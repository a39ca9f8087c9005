"""Progress over sessions: one small chart per headline measure with its target band shaded,
for all questions or one category, and one question's answers across sessions side by side.

The numbers come from coach.core.progress on the 'disk' lane; pyqtgraph is imported when the
first chart is drawn, so the app starts without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coach.core.history_index import AnswerRow
from coach.core.progress import Series, progress_series, same_question_history
from coach.core.session import Take
from coach.errors import CoachError
from coach.measures import MEASURES, SAME_QUESTION_CARD
from coach.ports import PlayerPort
from coach.ui.index_holder import IndexHolder
from coach.ui.replay_widget import ReplayWidget
from coach.ui.tasks import TaskRunner

ALL_CATEGORIES = "All questions"
BAND_BRUSH = (60, 170, 90, 50)
LINE_PEN = (45, 95, 170)
FAR = 1e6  # an open band side reaches beyond any plotted value


@dataclass(frozen=True)
class ProgressData:
    series: list[Series]
    categories: list[str]
    questions: list[tuple[str, str, int]]  # (question id, text, times answered)


@dataclass(frozen=True)
class SameAnswer:
    created_at: str
    folder: Path
    take: Take
    row: AnswerRow | None


def load_progress(holder: IndexHolder, category: str | None) -> ProgressData:
    """Everything the page shows, read in one go on a worker lane."""
    index = holder.get()
    counts: dict[str, tuple[str, int]] = {}
    for a in index.answers():
        text, n = counts.get(a.question_id, (a.question_text, 0))
        counts[a.question_id] = (text, n + 1)
    questions = sorted(
        ((qid, text, n) for qid, (text, n) in counts.items()), key=lambda q: (-q[2], q[1])
    )
    return ProgressData(progress_series(index, category=category), index.categories(), questions)


def load_same_question(holder: IndexHolder, question_id: str) -> list[SameAnswer]:
    rows = {a.session_id: a for a in holder.get().answers(question_id=question_id)}
    return [
        SameAnswer(created, folder, take, rows.get(folder.name))
        for created, folder, take in same_question_history(holder.sessions_root, question_id)
    ]


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(created_at: str) -> str:
    """'10 Jan 25': short enough for four ticks under a small chart."""
    try:
        year, month, day = int(created_at[:4]), int(created_at[5:7]), int(created_at[8:10])
        return f"{day} {MONTHS[month - 1]} {year % 100:02d}"
    except (ValueError, IndexError):
        return created_at[:10]


def band_text(series: Series) -> str:
    band = series.band
    if band is None:
        return "no published target"
    if band.low is not None and band.high is not None:
        return f"target {band.low:g}–{band.high:g}"
    return f"target ≤ {band.high:g}" if band.high is not None else f"target ≥ {band.low:g}"


def draw_series(
    pg: Any, layout: Any, series: list[Series], plots: list[Any], columns: int = 3
) -> list[Any]:
    """One plot per series: points joined in session order, the target band shaded green.

    Existing plots are cleared and reused: with PySide6 >= 6.5 a removed PlotItem leaks
    (pyqtgraph #2672) and the leftovers crash the garbage collector at exit.
    """
    plots = list(plots)
    for i, s in enumerate(series):
        if i < len(plots):
            plot = plots[i]
            plot.clear()
        else:
            plot = layout.addPlot(row=i // columns, col=i % columns)
            plots.append(plot)
        plot.setTitle(f"{s.label} ({s.unit})<br><span style='font-size:8pt'>{band_text(s)}</span>")
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.showGrid(y=True, alpha=0.2)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.getAxis("left").setWidth(40)
        values = [v for _, v in s.points]
        xs = list(range(len(values)))
        edges = [e for e in ((s.band.low, s.band.high) if s.band else ()) if e is not None]
        if s.band is not None:
            low = s.band.low if s.band.low is not None else -FAR
            high = s.band.high if s.band.high is not None else FAR
            region = pg.LinearRegionItem(
                (low, high), orientation="horizontal", movable=False, brush=BAND_BRUSH
            )
            for line in region.lines:
                line.setPen(pg.mkPen(None))
            region.setZValue(-10)
            plot.addItem(region)
        if values:
            plot.plot(
                xs,
                values,
                pen=pg.mkPen(LINE_PEN, width=2),
                symbol="o",
                symbolSize=7,
                symbolBrush=LINE_PEN,
                symbolPen=None,
            )
        else:
            text = pg.TextItem("no data yet", color="#777", anchor=(0.5, 0.5))
            text.setPos(0, 0.5)
            plot.addItem(text)
        if s.band is not None and s.band.high is None and s.band.low is not None:
            edges.append(s.band.low * 1.3)  # show some of an open-ended band above its edge
        span = [0.0, *values, *edges]  # every measure here is >= 0: keep zero in view
        lo, hi = min(span), max(span)
        hi = hi if hi > lo else lo + 1.0
        pad = (hi - lo) * 0.08
        plot.setYRange(lo - pad, hi + pad, padding=0)
        plot.setXRange(-0.5, max(len(values), 1) - 0.5, padding=0)
        step = max(1, len(values) // 4)
        plot.getAxis("bottom").setTicks(
            [[(x, short_date(s.points[x][0])) for x in xs[::step]]] if values else [[]]
        )
    return plots


class ProgressView(QWidget):
    """The progress page; `reload()` re-reads the index."""

    def __init__(
        self,
        runner: TaskRunner,
        holder: IndexHolder,
        player_factory: Callable[[], PlayerPort],
    ) -> None:
        super().__init__()
        self.runner = runner
        self.holder = holder
        self.player_factory = player_factory
        self.data: ProgressData | None = None
        self.replays: list[ReplayWidget] = []
        self._graphics: Any = None
        self.plots: list[Any] = []

        heading = QLabel("<h2>Progress over time</h2>")
        self.category_box = QComboBox()
        self.category_box.setAccessibleName("Question category")
        self.category_box.addItem(ALL_CATEGORIES, None)
        self.category_box.currentIndexChanged.connect(lambda _: self.reload())
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.category_box)

        self.chart_area = QWidget()
        self.chart_area.setAccessibleName("Progress charts")
        self.chart_area.setMinimumHeight(280)
        self._chart_layout = QVBoxLayout(self.chart_area)
        self._chart_layout.setContentsMargins(0, 0, 0, 0)
        legend = QLabel(
            "Each point is one session (the median of its answers, or your average rating). "
            "Green bands are target ranges from speech research."
        )
        legend.setWordWrap(True)

        self.question_box = QComboBox()
        self.question_box.setAccessibleName("Question to compare")
        self.question_box.currentIndexChanged.connect(lambda _: self._question_chosen())
        self.answers_holder = QWidget()
        self.answers_layout = QHBoxLayout(self.answers_holder)
        self.answers_layout.setAlignment(Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.answers_holder)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        same = QGroupBox("Same question across sessions")
        sl = QVBoxLayout(same)
        sl.addWidget(self.question_box)
        sl.addWidget(scroll, 1)

        charts = QWidget()
        cl = QVBoxLayout(charts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.chart_area, 1)
        cl.addWidget(legend)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(charts)
        splitter.addWidget(same)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([450, 190])
        same.setMinimumHeight(170)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

    def category(self) -> str | None:
        data = self.category_box.currentData()
        return str(data) if data else None

    def reload(self) -> None:
        holder, category = self.holder, self.category()
        self.runner.submit(
            lambda: load_progress(holder, category),
            lane="disk",
            on_done=self._show,
            on_error=self._problem,
        )

    def _show(self, data: ProgressData) -> None:
        self.data = data
        self.status_label.clear()
        self._fill_combo(self.category_box, [(c, c.capitalize()) for c in data.categories])
        question = self.question_box.currentData()
        self._fill_combo(
            self.question_box,
            [(qid, f"{text}  ({n}×)") for qid, text, n in data.questions],
            empty="No answered questions yet",
        )
        self.draw()
        if self.question_box.currentData() == question and question is not None:
            return  # the list on show is still right
        self._question_chosen()

    @staticmethod
    def _fill_combo(box: QComboBox, items: list[tuple[str, str]], empty: str = "") -> None:
        """Refill keeping the current choice, without re-triggering a reload."""
        current = box.currentData()
        box.blockSignals(True)
        keep_first = box.count() > 0 and box.itemData(0) is None and not empty
        while box.count() > (1 if keep_first else 0):
            box.removeItem(box.count() - 1)
        if empty and not items:
            box.addItem(empty, None)
        for data, text in items:
            box.addItem(text, data)
        found = box.findData(current) if current is not None else -1
        box.setCurrentIndex(max(found, 0))
        box.blockSignals(False)

    def draw(self) -> None:
        if self.data is None:
            return
        from coach.ui.charts import _pg

        pg = _pg()
        if self._graphics is None:
            self._graphics = pg.GraphicsLayoutWidget()
            self._chart_layout.addWidget(self._graphics)
        self.plots = draw_series(pg, self._graphics.ci, self.data.series, self.plots)

    def _question_chosen(self) -> None:
        question_id = self.question_box.currentData()
        self._clear_answers()
        if not question_id:
            return
        holder = self.holder
        self.runner.submit(
            lambda: load_same_question(holder, str(question_id)),
            lane="disk",
            on_done=lambda answers: self._show_answers(str(question_id), answers),
            on_error=self._problem,
        )

    def _clear_answers(self) -> None:
        for replay in self.replays:
            replay.stop()
        self.replays = []
        while self.answers_layout.count():
            item = self.answers_layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()

    def _show_answers(self, question_id: str, answers: list[SameAnswer]) -> None:
        if self.question_box.currentData() != question_id:
            return
        self._clear_answers()
        for answer in answers:
            self.answers_layout.addWidget(self._answer_card(answer))
        if not answers:
            self.answers_layout.addWidget(QLabel("This question has no recorded answer left."))

    def _answer_card(self, answer: SameAnswer) -> QFrame:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMinimumWidth(230)
        card.setMaximumWidth(320)
        layout = QVBoxLayout(card)
        row = answer.row
        facts = []
        if row is not None:
            for key in SAME_QUESTION_CARD:
                if (value := getattr(row, key)) is not None:
                    facts.append(MEASURES[key].card_text(value, narrow=True))
        title = QLabel(
            f"<b>{short_date(answer.created_at)}</b><br>"
            + (" · ".join(facts) if facts else "not analysed yet")
        )
        title.setWordWrap(True)
        replay = ReplayWidget(self.runner, self.player_factory())
        replay.problem.connect(self.status_label.setText)
        replay.play_button.clicked.connect(lambda: self._pause_others(replay))
        replay.set_take(answer.folder / answer.take.audio)
        self.replays.append(replay)
        layout.addWidget(title)
        layout.addWidget(replay)
        return card

    def _pause_others(self, playing: ReplayWidget) -> None:
        """Only one answer at a time: starting one stops the others."""
        for replay in self.replays:
            if replay is not playing:
                replay.stop()

    def stop_playback(self) -> None:
        for replay in self.replays:
            replay.stop()

    def _problem(self, error: CoachError) -> None:
        self.status_label.setText(error.message)
