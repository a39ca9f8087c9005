"""Waveform with the pitch contour and loudness under it, on screen and as PNG for the report.

The curves are computed by the analysis worker and stored with the analysis
(`coach.analysis.chart_data`); `stored_trace` reads them back. Analyses saved before that have
none: `compute_trace` then decodes the take on a worker lane. `ProsodyChart` draws them with
pyqtgraph, which is imported only when the first chart is shown so opening the app stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:  # numpy is imported where it is used, so opening the app stays fast
    import numpy as np

PAUSE_BRUSH = (150, 150, 150, 60)
FILLER_PEN = (214, 110, 0)
HEDGE_PEN = (40, 100, 200)


@dataclass(frozen=True)
class Marker:
    """Something to point at on the time axis: a filler, a hedge or a long pause."""

    kind: str  # "filler" | "hedge" | "pause"
    start_s: float
    end_s: float | None = None
    text: str = ""


@dataclass(frozen=True)
class ProsodyTrace:
    """What the chart draws, already reduced to a few thousand points."""

    duration_s: float
    env_t: np.ndarray
    env_lo: np.ndarray
    env_hi: np.ndarray
    pitch_t: np.ndarray
    pitch_hz: np.ndarray  # NaN between voiced stretches, so the line breaks there
    loud_t: np.ndarray
    loud_db: np.ndarray
    markers: tuple[Marker, ...] = field(default=())


def markers_from_analysis(analysis: Any) -> tuple[Marker, ...]:
    """Fillers, hedges and long pauses of an AnswerAnalysis as chart markers."""
    out: list[Marker] = []
    for item in getattr(analysis, "fillers", []):
        out.append(Marker("filler", float(item["start_s"]), None, str(item.get("text", ""))))
    for item in getattr(analysis, "hedges", []):
        out.append(Marker("hedge", float(item["start_s"]), None, str(item.get("text", ""))))
    for span in getattr(analysis, "long_pauses", []):
        out.append(Marker("pause", float(span["start_s"]), float(span["end_s"]), "long pause"))
    return tuple(out)


def trace_from_chart(chart: dict[str, Any], markers: Sequence[Marker] = ()) -> ProsodyTrace:
    """The trace of a stored chart (fast enough for the GUI thread: no audio, no Praat)."""
    from coach.analysis.chart_data import curves

    c = curves(chart)
    return ProsodyTrace(
        c.duration_s, c.env_t, c.env_lo, c.env_hi, c.pitch_t, c.pitch_hz, c.loud_t, c.loud_db,
        tuple(markers),
    )  # fmt: skip


def stored_trace(analysis: Any) -> ProsodyTrace | None:
    """The trace saved with an analysis, or None if it has none (older analyses) or is damaged."""
    chart = getattr(analysis, "chart", None)
    if not isinstance(chart, dict):
        return None
    try:
        return trace_from_chart(chart, markers_from_analysis(analysis))
    except (KeyError, TypeError, ValueError):
        return None


def compute_trace(path: Path, markers: Sequence[Marker] = ()) -> ProsodyTrace:
    """Decode a take and compute its curves, for analyses saved before charts were stored
    (slow: run it on a lane, never on the GUI thread)."""
    from coach.analysis.chart_data import chart_from_file

    return trace_from_chart(chart_from_file(path), markers)


def _pg() -> Any:
    """pyqtgraph, configured once for light, readable charts."""
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background="w", foreground="#333")
    return pg


def build_plots(pg: Any, layout: Any, trace: ProsodyTrace) -> list[Any]:
    """Three stacked plots sharing the time axis: waveform, pitch (Hz), loudness (dBFS)."""
    import numpy as np

    from coach.analysis.chart_data import SILENCE_FLOOR_DBFS

    layout.clear()
    wave = layout.addPlot(row=0, col=0)
    pitch = layout.addPlot(row=1, col=0)
    loud = layout.addPlot(row=2, col=0)
    wave.setLabel("left", "Voice")
    pitch.setLabel("left", "pitch Hz")
    loud.setLabel("left", "level dB")
    loud.setLabel("bottom", "Time", units="s")
    for plot in (wave, pitch, loud):
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setXRange(0, max(trace.duration_s, 0.1), padding=0.01)
        plot.getAxis("left").setWidth(64)
    pitch.setXLink(wave)
    loud.setXLink(wave)
    wave.getAxis("left").setStyle(showValues=False)
    wave.getAxis("left").enableAutoSIPrefix(False)
    wave.hideAxis("bottom")
    pitch.hideAxis("bottom")
    wave.addItem(
        pg.FillBetweenItem(
            pg.PlotDataItem(trace.env_t, trace.env_lo),
            pg.PlotDataItem(trace.env_t, trace.env_hi),
            brush=(70, 90, 120, 200),
        )
    )
    peak = float(max(np.abs(trace.env_lo).max(initial=0), np.abs(trace.env_hi).max(initial=0)))
    wave.setYRange(-max(peak, 0.05), max(peak, 0.05), padding=0.05)
    if len(trace.pitch_t):
        pitch.plot(
            trace.pitch_t, trace.pitch_hz, pen=pg.mkPen((200, 60, 60), width=2), connect="finite"
        )
        voiced = trace.pitch_hz[np.isfinite(trace.pitch_hz)]
        pitch.setYRange(float(voiced.min()) * 0.9, float(voiced.max()) * 1.1, padding=0)
    else:
        pitch.addItem(pg.TextItem("no voiced speech", color="#666"))
    loud.plot(trace.loud_t, trace.loud_db, pen=pg.mkPen((40, 120, 70), width=1.5))
    loud.setYRange(SILENCE_FLOOR_DBFS, 0, padding=0.02)
    for m in trace.markers:
        for plot in (wave, pitch, loud):
            if m.kind == "pause" and m.end_s is not None:
                region = pg.LinearRegionItem((m.start_s, m.end_s), movable=False, brush=PAUSE_BRUSH)
                region.setToolTip(f"long pause, {m.end_s - m.start_s:.1f} s")
                plot.addItem(region)
            elif m.kind in ("filler", "hedge"):
                color = FILLER_PEN if m.kind == "filler" else HEDGE_PEN
                line = pg.InfiniteLine(m.start_s, angle=90, pen=pg.mkPen(color, width=1.5))
                line.setToolTip(f"{m.kind}: “{m.text}” at {m.start_s:.1f} s")
                plot.addItem(line)
    return [wave, pitch, loud]


class ProsodyChart(QWidget):
    """The three-row chart for one take; clicking anywhere emits the time clicked."""

    clicked = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Voice, pitch and loudness chart")
        self.setMinimumHeight(220)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._graphics: Any = None
        self._plots: list[Any] = []
        self.trace: ProsodyTrace | None = None

    def set_trace(self, trace: ProsodyTrace) -> None:
        """Draw a trace; the first call imports pyqtgraph."""
        pg = _pg()
        if self._graphics is None:
            self._graphics = pg.GraphicsLayoutWidget()
            self._graphics.scene().sigMouseClicked.connect(self._on_click)
            self._layout.addWidget(self._graphics)
        self.trace = trace
        self._plots = build_plots(pg, self._graphics.ci, trace)

    def _on_click(self, event: Any) -> None:
        for plot in self._plots:
            if plot.sceneBoundingRect().contains(event.scenePos()):
                x = float(plot.vb.mapSceneToView(event.scenePos()).x())
                if self.trace is not None:
                    x = min(max(0.0, x), self.trace.duration_s)
                self.clicked.emit(x)
                return


def widget_png(widget: QWidget) -> bytes:
    """Render a widget (shown or not) to PNG bytes."""
    image = widget.grab().toImage()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; str works
    buffer.close()
    return bytes(data.data())


def trace_png(trace: ProsodyTrace, title: str = "", width: int = 900, height: int = 380) -> bytes:
    """The same chart as on screen, as PNG for the report (GUI thread; a few tens of ms)."""
    pg = _pg()
    graphics = pg.GraphicsLayoutWidget()
    graphics.resize(width, height)
    build_plots(pg, graphics.ci, trace)
    if title:
        graphics.ci.addLabel(title, row=3, col=0, size="11pt")
    try:
        return widget_png(graphics)
    finally:
        graphics.deleteLater()


def bars_png(
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str,
    title: str = "",
    width: int = 700,
    height: int = 260,
) -> bytes:
    """One bar per answer (missing values leave a gap) for the report's overview charts."""
    pg = _pg()
    graphics = pg.GraphicsLayoutWidget()
    graphics.resize(width, height)
    plot = graphics.ci.addPlot(title=title or None)
    plot.setLabel("left", unit)
    plot.getAxis("left").enableAutoSIPrefix(False)
    plot.showGrid(y=True, alpha=0.3)
    xs = [i for i, v in enumerate(values) if v is not None]
    ys = [float(v) for v in values if v is not None]
    if xs:
        plot.addItem(pg.BarGraphItem(x=xs, height=ys, width=0.6, brush=(70, 110, 170)))
    plot.getAxis("bottom").setTicks([list(enumerate(labels))])
    plot.setXRange(-0.6, max(len(labels), 1) - 0.4, padding=0)
    plot.setYRange(0, max([*ys, 0.0]) * 1.15 or 1.0, padding=0)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    try:
        return widget_png(graphics)
    finally:
        graphics.deleteLater()
