"""Exporting the review: a self-contained HTML file, a PDF of it, and optionally the audio.

The steps are chained through the TaskRunner so nothing slow runs on the GUI thread: the voice
curves come stored with each analysis (older analyses without them are computed on the 'review'
lane), files are written and audio copied on the 'disk' lane.
Drawing the chart images and printing the QTextDocument to PDF must happen on the GUI thread
(Qt painting); both take well under a second for a normal session.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from coach.analysis.results import AnswerAnalysis
from coach.core.session import Session
from coach.errors import CoachError, StorageError
from coach.review.model import Review
from coach.storage import storage_error
from coach.ui.charts import (
    ProsodyTrace,
    bars_png,
    compute_trace,
    markers_from_analysis,
    stored_trace,
    trace_png,
)
from coach.ui.tasks import TaskRunner

PDF_IMAGE_WIDTH_PX = 640  # A4 text width at Qt's 96 dpi layout resolution is about 680 px
_IMG_WITHOUT_WIDTH = re.compile(r"<img(?![^>]*\swidth=)", re.IGNORECASE)


@dataclass(frozen=True)
class ExportResult:
    html: Path
    pdf: Path
    audio: tuple[Path, ...] = ()


@dataclass
class _Job:
    review: Review
    session: Session
    folder: Path
    analyses: Mapping[tuple[int, int], AnswerAnalysis]
    out_dir: Path
    include_audio: bool
    traces: dict[str, ProsodyTrace] = field(default_factory=dict)
    html_text: str = ""
    html_path: Path | None = None
    pdf_path: Path | None = None


def report_stem(review: Review) -> str:
    return f"second-round-review-{review.session_id}"


def summary_charts(review: Review) -> dict[str, bytes]:
    """Per-answer bars of the headline numbers (GUI thread)."""
    labels = [f"Q{a.question_index + 1}" for a in review.answers]
    if not labels:
        return {}
    return {
        "pace": bars_png(labels, [a.words_per_minute for a in review.answers], "words per minute"),
        "pitch": bars_png(
            labels, [a.pitch_variation_st for a in review.answers], "pitch variation (st)"
        ),
        "fillers": bars_png(
            labels, [a.fillers_per_minute for a in review.answers], "fillers per minute"
        ),
    }


def write_pdf(html_text: str, path: Path, title: str) -> None:
    """Print the report HTML to an A4 PDF (GUI thread: Qt painting)."""
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Second Round")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    doc = QTextDocument()
    doc.setHtml(_IMG_WITHOUT_WIDTH.sub(f'<img width="{PDF_IMAGE_WIDTH_PX}"', html_text))
    doc.print_(writer)
    del writer  # the file is complete when the writer is destroyed
    if not path.is_file() or path.stat().st_size == 0:
        raise StorageError(f"Could not write the PDF report to {path}.")


def _write_text(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise storage_error(exc, "save the report") from exc
    return path


def _copy_audio(job: _Job) -> tuple[Path, ...]:
    target = job.out_dir / f"{report_stem(job.review)}-audio"
    copied = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for question in job.session.questions:
            for take in question.takes:
                source = job.folder / take.audio
                if source.is_file():
                    copied.append(Path(shutil.copy2(source, target / source.name)))
    except OSError as exc:
        raise storage_error(exc, "copy the recordings") from exc
    return tuple(copied)


class ReportExporter(QObject):
    """Runs one export at a time; progress(text, percent), then finished(ExportResult) or failed."""

    progress = Signal(str, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.busy = False

    def _submit(
        self, fn: Callable[[], object], lane: str, on_done: Callable[[object], None]
    ) -> None:
        self.runner.submit(fn, lane=lane, on_done=on_done, on_error=self._fail)

    def export(
        self,
        review: Review,
        session: Session,
        folder: Path,
        analyses: Mapping[tuple[int, int], AnswerAnalysis],
        out_dir: Path,
        include_audio: bool,
    ) -> None:
        if self.busy:
            return
        self.busy = True
        job = _Job(review, session, folder, analyses, out_dir, include_audio)
        self.progress.emit("Drawing the charts", 0)
        self._next_trace(job, 0)

    def _next_trace(self, job: _Job, i: int) -> None:
        answers = job.review.answers
        if i >= len(answers):
            self._render(job)
            return
        a = answers[i]
        analysis = job.analyses.get((a.question_index, a.take_index))
        markers = markers_from_analysis(analysis)
        path = job.folder / a.audio

        def done(trace: object) -> None:
            assert isinstance(trace, ProsodyTrace)
            name = f"Q{a.question_index + 1}, take {a.take_index + 1}: voice, pitch and loudness"
            job.traces[name] = trace
            self.progress.emit("Drawing the charts", int(60 * (i + 1) / len(answers)))
            self._next_trace(job, i + 1)

        stored = stored_trace(analysis)
        if stored is not None:  # computed by the analysis worker
            done(stored)
        else:  # an analysis saved before charts were stored: decode on a lane
            self._submit(lambda: compute_trace(path, markers), "review", done)

    def _render(self, job: _Job) -> None:
        from coach.review.html_report import render_html

        charts = summary_charts(job.review)
        for name, trace in job.traces.items():
            charts[name] = trace_png(trace, name)
        job.html_text = render_html(job.review, charts)
        html_path = job.out_dir / f"{report_stem(job.review)}.html"
        self.progress.emit("Writing the HTML report", 70)
        self._submit(
            lambda: _write_text(html_path, job.html_text), "disk", lambda p: self._pdf(job, p)
        )

    def _pdf(self, job: _Job, html_path: object) -> None:
        assert isinstance(html_path, Path)
        job.html_path = html_path
        job.pdf_path = html_path.with_suffix(".pdf")
        self.progress.emit("Writing the PDF", 80)
        try:
            write_pdf(job.html_text, job.pdf_path, job.review.title or "Interview review")
        except CoachError as exc:
            self._fail(exc)
            return
        if job.include_audio:
            self.progress.emit("Copying the recordings", 90)
            self._submit(lambda: _copy_audio(job), "disk", lambda copied: self._done(job, copied))
        else:
            self._done(job, ())

    def _done(self, job: _Job, copied: object) -> None:
        assert job.html_path is not None and job.pdf_path is not None
        audio = tuple(copied) if isinstance(copied, tuple) else ()
        self.busy = False
        self.progress.emit("Done", 100)
        self.finished.emit(ExportResult(job.html_path, job.pdf_path, audio))

    def _fail(self, error: CoachError) -> None:
        self.busy = False
        self.failed.emit(error.message)
