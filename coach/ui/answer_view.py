"""One question in detail: its takes side by side, the marked transcript, the prosody chart,
the user's best-take choice, self-rating and notes.

Edits are written with `edit_session` (load, change, save on the 'disk' lane), so what is on
disk is never replaced by a stale copy held by this view.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coach.analysis.results import AnswerAnalysis
from coach.core.session import Session
from coach.core.session_store import SessionStore
from coach.measures import MEASURES, TAKE_CARD
from coach.review.recording import noisy_snr_db, quiet_dbfs, recording_advice
from coach.ui.charts import (
    ProsodyChart,
    ProsodyTrace,
    compute_trace,
    markers_from_analysis,
    stored_trace,
)
from coach.ui.content_panel import ContentPanel, load_content
from coach.ui.replay_widget import clock_text
from coach.ui.tasks import TaskRunner

PlayAt = Callable[[int, int, float], None]  # question index, take index, start second
Analyses = Mapping[tuple[int, int], AnswerAnalysis]

FILLER_BG = "#ffd8a8"
HEDGE_BG = "#cfe2ff"
PAUSE_BG = "#dddddd"
LEGEND = (
    f"<span style='background:{FILLER_BG}'>&nbsp;filler&nbsp;</span> "
    f"<span style='background:{HEDGE_BG}'>&nbsp;hedge&nbsp;</span> "
    f"<span style='background:{PAUSE_BG}'>&nbsp;pause&nbsp;</span> "
    "— click any word or marker to hear it"
)


def edit_session(
    runner: TaskRunner,
    store: SessionStore,
    folder: Path,
    change: Callable[[Session], None],
    on_done: Callable[[Any], None] | None = None,
) -> None:
    """Apply `change` to the session as it is on disk now and save it, on the 'disk' lane."""

    def run() -> None:
        session = store.load(folder)
        change(session)
        store.write(folder.name, session.to_dict())

    runner.submit(run, lane="disk", on_done=on_done)


def _spans(items: list[dict[str, Any]]) -> dict[float, int]:
    """start second (ms-rounded) -> how many words the phrase covers."""
    return {
        round(float(i["start_s"]), 2): max(1, len(str(i.get("text", "")).split())) for i in items
    }


def transcript_html(analysis: AnswerAnalysis) -> str:
    """The transcript as links ("t:<seconds>") with fillers, hedges and long pauses marked."""
    if not analysis.words:
        return f"<p><i>{html.escape(analysis.transcript or 'No words were recognised.')}</i></p>"
    fillers, hedges = _spans(analysis.fillers), _spans(analysis.hedges)
    pauses = sorted((float(p["start_s"]), float(p["end_s"])) for p in analysis.long_pauses)
    parts: list[str] = []
    marked_left, marked_bg, marked_tip = 0, "", ""
    for word in analysis.words:
        start = float(word["start_s"])
        while pauses and pauses[0][0] <= start:
            a, b = pauses.pop(0)
            parts.append(
                f"<a href='t:{a:.2f}' title='long pause of {b - a:.1f} s' "
                f"style='background:{PAUSE_BG};color:#333;text-decoration:none'>"
                f"&nbsp;pause&nbsp;{b - a:.1f}&nbsp;s&nbsp;</a>"
            )
        key = round(start, 2)
        if key in fillers:
            marked_left, marked_bg, marked_tip = fillers[key], FILLER_BG, "filler"
        elif key in hedges:
            marked_left, marked_bg, marked_tip = hedges[key], HEDGE_BG, "hedge: sounds unsure"
        text = html.escape(str(word["text"]))
        if marked_left > 0:
            marked_left -= 1
            style = f"background:{marked_bg};color:#222;text-decoration:none"
            tip = f"{marked_tip} at {clock_text(start)}"
        else:
            style, tip = "color:#222;text-decoration:none", f"{clock_text(start)}"
        parts.append(f"<a href='t:{start:.2f}' title='{tip}' style='{style}'>{text}</a>")
    for a, b in pauses:
        parts.append(
            f"<a href='t:{a:.2f}' style='background:{PAUSE_BG}'>"
            f"&nbsp;pause&nbsp;{b - a:.1f}&nbsp;s&nbsp;</a>"
        )
    return "<p style='line-height:150%'>" + " ".join(parts) + "</p>"


def take_summary(analysis: AnswerAnalysis | None) -> str:
    if analysis is None:
        return "analysing…"
    bits = []
    for key in TAKE_CARD:
        m = MEASURES[key]
        if (value := getattr(analysis, key)) is None:
            continue
        if m.accurate_only and analysis.low_accuracy:  # the basic recogniser: no false zero
            bits.append(f"{m.label.lower()}: not counted")
        else:
            bits.append(m.card_text(value))
    bits.append(MEASURES["long_pause_count"].card_text(analysis.long_pause_count))
    return "\n".join(bits)


class AnswerView(QWidget):
    """Set with `show_question`; `back_requested` returns to the review."""

    back_requested = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        store: SessionStore,
        play_at: PlayAt,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.store, self.play_at = runner, store, play_at
        self.folder: Path | None = None
        self.session: Session | None = None
        self.analyses: Analyses = {}
        self.question_index = 0
        self.take_index = 0
        self._traces: dict[tuple[int, int], ProsodyTrace] = {}

        back = QPushButton("← Back to review")
        back.setAccessibleName("Back to review")
        back.clicked.connect(self.back_requested)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Question")
        self.takes_row = QHBoxLayout()
        self.best_group = QButtonGroup(self)
        self.best_group.idClicked.connect(self._best_chosen)

        self.take_heading = QLabel()
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("background:#fff4d6; color:#3d2e00; padding:4px")
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Transcript")
        self.transcript.setOpenLinks(False)
        self.transcript.anchorClicked.connect(self._anchor_clicked)
        self.transcript.setMinimumHeight(70)
        self.content_panel = ContentPanel()
        self.content_panel.anchorClicked.connect(self._anchor_clicked)
        self.chart = ProsodyChart()
        self.chart.clicked.connect(lambda s: self.play_at(self.question_index, self.take_index, s))
        self.chart_status = QLabel()

        self.rating_group = QButtonGroup(self)
        rating_row = QHBoxLayout()
        rating_row.addWidget(QLabel("Your rating of this take:"))
        for value in range(1, 6):
            button = QRadioButton(str(value))
            button.setAccessibleName(f"Rate {value}")
            self.rating_group.addButton(button, value)
            rating_row.addWidget(button)
        rating_row.addStretch(1)
        self.rating_group.idClicked.connect(self._rated)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Notes for next time (saved automatically)")
        self.notes.setMaximumHeight(54)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(600)
        self._notes_timer.timeout.connect(self.save_notes)
        self.notes.textChanged.connect(self._notes_timer.start)

        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.takes_row)
        layout.addWidget(self.take_heading)
        layout.addWidget(self.note_label)
        layout.addWidget(QLabel(LEGEND))
        layout.addWidget(self.transcript, 2)
        layout.addWidget(self.content_panel, 4)
        layout.addWidget(self.chart_status)
        layout.addWidget(self.chart, 2)
        layout.addLayout(rating_row)
        layout.addWidget(self.notes)

    # ----- filling
    def show_question(
        self, folder: Path, session: Session, analyses: Analyses, question_index: int
    ) -> None:
        self.save_notes()
        self.folder, self.session, self.analyses = folder, session, analyses
        self._traces = {}
        self.question_index = question_index
        question = session.questions[question_index]
        self.heading.setText(f"<h3>Q{question_index + 1}. {html.escape(question.text)}</h3>")
        while self.takes_row.count():
            item = self.takes_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for button in self.best_group.buttons():
            self.best_group.removeButton(button)
        best = question.best_take
        for t, take in enumerate(question.takes):
            self.takes_row.addWidget(self._take_card(t, take.duration_s, best == t))
        self.takes_row.addStretch(1)
        if question.takes:
            self.show_take(best if best is not None and best < len(question.takes) else 0)

    def _take_card(self, t: int, duration_s: float, is_best: bool) -> QFrame:
        q = self.question_index
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setAccessibleName(f"Take {t + 1}")
        grid = QGridLayout(card)
        grid.addWidget(QLabel(f"<b>Take {t + 1}</b> — {clock_text(duration_s)}"), 0, 0, 1, 2)
        grid.addWidget(QLabel(take_summary(self.analyses.get((q, t)))), 1, 0, 1, 2)
        play = QPushButton("Play")
        play.setAccessibleName(f"Play take {t + 1}")
        play.clicked.connect(lambda: self.play_at(q, t, 0.0))
        show = QPushButton("Show")
        show.setAccessibleName(f"Show take {t + 1}")
        show.clicked.connect(lambda: self.show_take(t))
        grid.addWidget(play, 2, 0)
        grid.addWidget(show, 2, 1)
        best = QRadioButton("Best take")
        best.setAccessibleName(f"Best take {t + 1}")
        best.setChecked(is_best)
        self.best_group.addButton(best, t)
        grid.addWidget(best, 3, 0, 1, 2)
        return card

    def show_take(self, t: int) -> None:
        assert self.session is not None and self.folder is not None
        self.save_notes()
        self.take_index = t
        take = self.session.questions[self.question_index].takes[t]
        analysis = self.analyses.get((self.question_index, t))
        self.take_heading.setText(f"<b>Take {t + 1}</b> — transcript and voice")
        if analysis is None:
            self.transcript.setHtml("<i>This take is still being analysed…</i>")
        else:
            self.transcript.setHtml(transcript_html(analysis))
        note = analysis.transcript_note if analysis is not None else ""
        if analysis is not None and analysis.low_accuracy and not note:
            note = (
                "The transcript comes from a low-accuracy recogniser: words may be wrong. "
                "For an accurate one: Settings → Download model…"
            )
        if analysis is not None:
            advice = recording_advice(noisy_snr_db(analysis), quiet_dbfs(analysis))
            note = " ".join([analysis.damage, note, *advice]).strip()
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        self._set_rating(take.self_rating)
        self.notes.blockSignals(True)
        self.notes.setPlainText(take.notes)
        self.notes.blockSignals(False)
        key = (self.question_index, t)
        self._load_content(key, self.folder / take.audio)
        if key not in self._traces and (stored := stored_trace(analysis)) is not None:
            self._traces[key] = stored  # computed by the analysis worker: only drawn here
        if key in self._traces:
            self._draw(key, self._traces[key])
            return
        # An analysis saved before charts were stored (or still running): decode on a lane.
        self.chart_status.setText("Drawing the voice chart…")
        path = self.folder / take.audio
        markers = markers_from_analysis(analysis) if analysis is not None else ()
        self.runner.submit(
            lambda: compute_trace(path, markers),
            lane="review",
            on_done=lambda trace: self._draw(key, trace),
            on_error=lambda e: self.chart_status.setText(e.message),
        )

    def _load_content(self, key: tuple[int, int], audio: Path) -> None:
        self.content_panel.show_content(None)

        def show(content: dict[str, Any] | None) -> None:
            if key == (self.question_index, self.take_index):
                self.content_panel.show_content(content)

        self.runner.submit(lambda: load_content(audio), lane="review", on_done=show)

    def _draw(self, key: tuple[int, int], trace: ProsodyTrace) -> None:
        self._traces[key] = trace
        if key != (self.question_index, self.take_index):
            return
        self.chart_status.setText(
            "Waveform, pitch and loudness (grey: long pauses; orange lines: fillers; "
            "blue lines: hedges). Click to play from there."
        )
        self.chart.set_trace(trace)

    def _set_rating(self, value: int | None) -> None:
        self.rating_group.setExclusive(False)
        for button in self.rating_group.buttons():
            button.setChecked(self.rating_group.id(button) == value)
        self.rating_group.setExclusive(True)

    # ----- user actions
    def _anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("t:"):
            self.play_at(self.question_index, self.take_index, float(text[2:]))

    def _save(self, change: Callable[[Session], None]) -> None:
        assert self.session is not None and self.folder is not None
        change(self.session)  # keep the local copy in step with what is saved
        edit_session(self.runner, self.store, self.folder, change)

    def _best_chosen(self, t: int) -> None:
        q = self.question_index

        def change(s: Session) -> None:
            s.questions[q].best_take = t

        self._save(change)

    def _rated(self, value: int) -> None:
        q, t = self.question_index, self.take_index

        def change(s: Session) -> None:
            s.questions[q].takes[t].self_rating = value

        self._save(change)

    def save_notes(self) -> None:
        """Also called on leaving the view, so a pending edit is never lost."""
        self._notes_timer.stop()
        if self.session is None:
            return
        q, t, text = self.question_index, self.take_index, self.notes.toPlainText()
        if self.session.questions[q].takes[t].notes == text:
            return

        def change(s: Session) -> None:
            s.questions[q].takes[t].notes = text

        self._save(change)

    def hideEvent(self, event: Any) -> None:
        self.save_notes()
        super().hideEvent(event)

    def trace_for(self, q: int, t: int) -> ProsodyTrace | None:
        return self._traces.get((q, t))

    def link_for_word(self, index: int) -> str:
        """The link a click on the index-th word follows (for tests and keyboard users)."""
        analysis = self.analyses.get((self.question_index, self.take_index))
        assert analysis is not None
        return f"t:{float(analysis.words[index]['start_s']):.2f}"
