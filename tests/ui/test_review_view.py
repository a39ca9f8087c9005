"""The review panel on a real session: real speech clips, analysed for real with pocketsphinx."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from coach.analysis.engines import make_transcriber
from coach.analysis.pipeline import analyze_file
from coach.analysis.results import AnswerAnalysis
from coach.core.session import AskedQuestion, Session, Take
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.review.model import AGGRESSIVE, ENGAGING, HEADINGS, PREPARED, Evidence
from coach.ui.answer_view import take_summary
from coach.ui.review_sections import value_text
from coach.ui.review_view import ReviewView
from coach.ui.tasks import TaskRunner
from tests.helpers.sound import RATE, SpeakerTap, best_match, coverage, load_16k

DATA = Path(__file__).resolve().parents[1] / "data"
LONG_PAUSE_S = 3.0  # above the 2.5 s long-pause threshold (feedback-science.md)


@dataclass
class Built:
    root: Path
    folder: Path
    previous: Path
    analyses: dict[tuple[int, int], AnswerAnalysis]


def _clip(name: str) -> tuple[np.ndarray, int]:
    data, rate = sf.read(str(DATA / name), dtype="float32", always_2d=True)
    return data.mean(axis=1), int(rate)


def _spliced() -> tuple[np.ndarray, int]:
    """Two real utterances with a long pause between them, as a user pausing to think."""
    a, rate = _clip("librispeech_2412-153948-0000.flac")
    b, rate_b = _clip("cmu_arctic_us_aew_a0001.wav")
    assert rate == rate_b == 16_000
    return np.concatenate([a, np.zeros(int(LONG_PAUSE_S * rate), np.float32), b]), rate


def _take(folder: Path, name: str, samples: np.ndarray, rate: int) -> Take:
    sf.write(str(folder / name), samples, rate, format="FLAC")
    return Take(audio=name, duration_s=len(samples) / rate, started_at="2024-05-01T10:00:00")


def _analyse(
    folder: Path, session: Session, transcriber: object
) -> dict[tuple[int, int], AnswerAnalysis]:
    out = {}
    for q, question in enumerate(session.questions):
        for t, take in enumerate(question.takes):
            result = analyze_file(folder / take.audio, transcriber)  # type: ignore[arg-type]
            name = Path(take.audio).with_suffix(".analysis.json").name
            (folder / name).write_text(json.dumps(result.to_dict()), encoding="utf-8")
            take.analysis = name
            out[(q, t)] = AnswerAnalysis.from_dict(result.to_dict())
    return out


def build_analysed_session(root: Path) -> Built:
    """A previous session (one answer) and this session (two questions, three takes)."""
    store = SessionStore(root)
    transcriber = make_transcriber("pocketsphinx")
    settings = InterviewSettings()

    before = store.create(
        settings, [AskedQuestion("q-prev", "Tell me about yourself.")], "Last week"
    )
    before.created_at = "2024-04-24T10:00:00+00:00"
    prev_folder = store.folder(before)
    before.questions[0].takes.append(
        _take(prev_folder, "q01-take1.flac", *_clip("jfk_whisper.flac"))
    )
    _analyse(prev_folder, before, transcriber)
    store.finish(before)

    questions = [
        AskedQuestion("q-self", "Tell me about yourself.", "general"),
        AskedQuestion("q-why", "Why do you want this job?", "motivation"),
    ]
    session = store.create(settings, questions, "Practice round")
    session.created_at = "2024-05-01T10:00:00+00:00"
    folder = store.folder(session)
    session.questions[0].takes.append(_take(folder, "q01-take1.flac", *_clip("jfk_whisper.flac")))
    session.questions[0].takes.append(_take(folder, "q01-take2.flac", *_spliced()))
    session.questions[1].takes.append(
        _take(folder, "q02-take1.flac", *_clip("vosk_test_digits.wav"))
    )
    analyses = _analyse(folder, session, transcriber)
    store.finish(session)
    return Built(root, folder, prev_folder, analyses)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_analysed_session(tmp_path_factory.mktemp("review") / "sessions")


def open_review(
    qtbot: QtBot, runner: TaskRunner, root: Path, folder: Path, player_factory: object = None
) -> ReviewView:
    def no_player() -> object:
        raise AssertionError("this test plays nothing")

    view = ReviewView(runner, SessionStore(root), player_factory or no_player)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(1040, 720)
    view.show()
    view.show_session(folder)
    qtbot.waitUntil(lambda: view.loaded is not None and runner.is_idle(), timeout=20000)
    view.show_evidence()  # the summary comes first; these tests read all the evidence
    return view


def plain(rich: str) -> str:
    """What a label shows, without markup."""
    return QTextDocumentFragment.fromHtml(rich).toPlainText()


def all_evidence(view: ReviewView) -> list[Evidence]:
    assert view.loaded is not None
    return [e for s in view.loaded.review.sections for p in s.prompts for e in p.evidence]


def test_panel_shows_the_three_questions_with_evidence_from_the_analysis(
    qtbot: QtBot, runner: TaskRunner, built: Built
) -> None:
    view = open_review(qtbot, runner, built.root, built.folder)
    assert list(view.section_boxes) == list(HEADINGS) == [ENGAGING, AGGRESSIVE, PREPARED]
    # Widgets added to a shown window become visible on the next event-loop turn.
    qtbot.waitUntil(lambda: all(b.isVisible() for b in view.section_boxes.values()), timeout=5000)
    for heading, box in view.section_boxes.items():
        assert box.title() == heading

    # Every number shown next to a take is that take's analysis result, formatted as shown.
    texts = [
        plain(w.text()) for box in view.section_boxes.values() for w in box.findChildren(QLabel)
    ]
    checked = 0
    for ev in all_evidence(view):
        shown = "not measured" if ev.band == "not measured" else value_text(ev.value, ev.unit)
        assert any(ev.label in t and shown in t for t in texts), ev
        if ev.question_index is not None and ev.take_index is not None and ev.value is not None:
            analysis = built.analyses[(ev.question_index, ev.take_index)]
            measured = getattr(analysis, ev.metric, None)
            if isinstance(measured, int | float) and not isinstance(measured, bool):
                assert ev.value == pytest.approx(float(measured), rel=1e-3, abs=1e-3), ev.metric
                checked += 1
    assert checked >= 2, "no evidence was traceable to an answer's analysis"

    # The long pause spliced into Q1 take 2 is a moment the user can play.
    pause = built.analyses[(0, 1)].long_pauses
    assert len(pause) == 1 and pause[0]["end_s"] - pause[0]["start_s"] >= 2.5
    moments = [m for _, m in view.moment_buttons]
    assert any(
        (m.question_index, m.take_index) == (0, 1) and abs(m.start_s - pause[0]["start_s"]) < 0.5
        for m in moments
    ), moments
    for button, _ in view.moment_buttons:
        assert button.accessibleName() == "Play moment"
    # There was a session before this one, so the comparison table is shown.
    assert view.loaded is not None and view.loaded.review.comparisons
    assert view.export_button.accessibleName() == "Export report" and view.export_button.isEnabled()


def test_checklists_are_saved_with_the_session_and_reloaded(
    qtbot: QtBot, runner: TaskRunner, built: Built
) -> None:
    view = open_review(qtbot, runner, built.root, built.folder)
    assert view.loaded is not None
    prep = view.loaded.review.preparation_checklist[0].id
    follow = view.loaded.review.follow_up_checklist[0].id
    prep_box, follow_box = view.checkboxes[prep], view.checkboxes[follow]
    # Each checklist sits in the section the brief assigns it to.
    assert view.section_boxes[PREPARED].isAncestorOf(prep_box)
    assert view.section_boxes[AGGRESSIVE].isAncestorOf(follow_box)
    initially = SessionStore(built.root).load(built.folder).checklist
    prep_box.click()
    follow_box.click()
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    saved = SessionStore(built.root).load(built.folder).checklist
    assert saved[prep] is (not initially.get(prep, False))
    assert saved[follow] is (not initially.get(follow, False))

    again = open_review(qtbot, runner, built.root, built.folder)
    assert again.checkboxes[prep].isChecked() is saved[prep]
    assert again.checkboxes[follow].isChecked() is saved[follow]


def test_answer_view_marks_the_transcript_and_saves_best_take_rating_and_notes(
    qtbot: QtBot, runner: TaskRunner, built: Built
) -> None:
    view = open_review(qtbot, runner, built.root, built.folder)
    view.open_answer(0)
    answer = view.answer_view
    assert view.stack.currentWidget() is answer
    show_2 = next(
        b for b in answer.findChildren(QPushButton) if b.accessibleName() == "Show take 2"
    )
    show_2.click()
    analysis = built.analyses[(0, 1)]
    html = answer.transcript.toHtml()
    assert analysis.words, "pocketsphinx recognised no words in a clean clip"
    # Every recognised word is a link to its own time; the long pause is marked with its length.
    assert answer.link_for_word(0) == f"t:{analysis.words[0]['start_s']:.2f}"
    assert html.count('href="t:') >= len(analysis.words)
    gap = analysis.long_pauses[0]
    assert f"{gap['end_s'] - gap['start_s']:.1f}" in html
    qtbot.waitUntil(lambda: answer.trace_for(0, 1) is not None, timeout=20000)
    trace = answer.trace_for(0, 1)
    assert trace is not None and trace.duration_s == pytest.approx(analysis.duration_s, abs=0.01)
    assert any(m.kind == "pause" for m in trace.markers)

    best = next(b for b in answer.findChildren(QRadioButton) if b.accessibleName() == "Best take 1")
    best.click()
    rate_4 = next(b for b in answer.findChildren(QRadioButton) if b.accessibleName() == "Rate 4")
    rate_4.click()
    answer.notes.setPlainText("Start with the result, then the story.")
    answer.save_notes()
    qtbot.waitUntil(runner.is_idle, timeout=5000)
    saved = SessionStore(built.root).load(built.folder)
    assert saved.questions[0].best_take == 0
    assert saved.questions[0].takes[1].self_rating == 4
    assert saved.questions[0].takes[1].notes == "Start with the result, then the story."
    assert saved.questions[0].takes[0].self_rating is None

    # Reopened later, the choices are shown again (best take 1 is shown first).
    again = open_review(qtbot, runner, built.root, built.folder)
    again.open_answer(0)
    assert again.answer_view.take_index == 0
    again.answer_view.show_take(1)
    assert again.answer_view.rating_group.checkedId() == 4
    assert again.answer_view.notes.toPlainText() == "Start with the result, then the story."


def test_take_card_shows_no_false_zero_fillers_from_the_basic_recogniser(built: Built) -> None:
    analysis = built.analyses[(0, 0)]  # pocketsphinx: um/uh are missed, so no count is shown
    assert analysis.low_accuracy and analysis.fillers_per_minute is not None
    assert "fillers: not counted" in take_summary(analysis)
    accurate = replace(analysis, low_accuracy=False)
    assert f"{analysis.fillers_per_minute:.1f} fillers/min" in take_summary(accurate)


def test_answer_view_names_a_very_quiet_recording_and_the_fix(
    qtbot: QtBot, runner: TaskRunner, built: Built
) -> None:
    assert built.analyses[(1, 0)].too_quiet  # the digits clip: about -37 dBFS
    assert not built.analyses[(0, 0)].too_quiet
    view = open_review(qtbot, runner, built.root, built.folder)
    view.open_answer(1)
    note = view.answer_view.note_label
    assert note.isVisibleTo(view) and "Recorded very quietly" in note.text()
    view.open_answer(0)
    assert "Recorded very quietly" not in view.answer_view.note_label.text()


def test_charts_library_is_not_loaded_until_a_chart_is_shown() -> None:
    code = (
        "import sys, coach.ui.review_view, coach.ui.answer_view, coach.ui.report_export;"
        "sys.exit('pyqtgraph' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.audio
def test_play_moment_plays_the_take_from_that_moment(
    qtbot: QtBot,
    runner: TaskRunner,
    built: Built,
    tmp_path: Path,
    virtual_audio: dict[str, str],
) -> None:
    from coach.audio.player import Player

    players: list[Player] = []

    def factory() -> Player:
        players.append(Player())
        return players[-1]

    store = SessionStore(built.root)
    session = store.load(built.folder)
    session.questions[0].best_take = None  # another test may have chosen take 1
    store.save(session)
    view = open_review(qtbot, runner, built.root, built.folder, factory)
    button, moment = next(
        (b, m)
        for b, m in view.moment_buttons
        if (m.question_index, m.take_index) == (0, 1) and m.start_s > 1.0
    )
    qtbot.waitUntil(button.isVisible)  # a click reaches only a shown button ...
    view.scroll_area.ensureWidgetVisible(button)  # ... scrolled into view, as a user would
    qtbot.wait(50)
    take = load_16k(built.folder / "q01-take2.flac")
    start = int(moment.start_s * RATE)
    with SpeakerTap(tmp_path / "tap.raw") as tap:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(players) and players[0].is_playing(), timeout=10000)
        qtbot.waitUntil(lambda: not players[0].is_playing(), timeout=30000)
        qtbot.wait(700)  # the device buffer still plays after the last block was handed over
    recording = tap.samples()
    players[0].close()
    after = take[start : len(take) - RATE // 2]
    assert after.size > 2 * RATE and float(np.sqrt(np.mean(after**2))) > 0.01
    # What was played is the take from the moment on (1 s chunks, robust to a glitch) ...
    found = coverage(after, recording)
    assert found >= 0.75, found
    # ... and not from its start: the speech before the moment never reached the speaker.
    before_score, _ = best_match(take[max(0, start - 2 * RATE) : start], recording)
    assert before_score < 0.5, before_score
