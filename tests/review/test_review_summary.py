"""The one-screen review summary on a real 5-answer session (real speech, one silent take).

Two answers are spoken by espeak-ng and recognised by Whisper, two are real read speech
recognised by pocketsphinx, and one is a take where the user said nothing (a quiet room only),
all analysed for real and opened in the real main window at 1280×800.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from coach import paths
from coach.app import create_main_window
from coach.review import HEADINGS, build_review, load_analyses
from coach.review.model import FIX, GOOD, NOT_MEASURED, STRENGTH
from coach.review.summary import summarize
from coach.ui.main_window import MainWindow
from tests.review.conftest import Built, Clip, Factory

SILENT_Q = 2  # the third question was answered with silence
SESSION = [["star"], ["jfk"], ["silent"], ["blame"], ["libri"]]


@pytest.fixture
def five(
    build_session: Factory,
    sphinx_clips: dict[str, Clip],
    whisper_clips: dict[str, Clip],
    silent_clip: Clip,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Built:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_ASR_ENGINE", "none")
    pool = {**sphinx_clips, **whisper_clips, "silent": silent_clip}
    last_time = build_session(
        [["libri"], ["blame"]], clips=pool, root=paths.sessions_dir(),
        created_at="2024-01-01T10:00:00+00:00",
    )  # fmt: skip
    last_time.store.finish(last_time.session)
    built = build_session(SESSION, clips=pool, root=paths.sessions_dir(), star=[0, 1, 3])
    built.store.finish(built.session)
    return built


def test_a_silent_answer_is_not_measured_in_any_section(five: Built) -> None:
    review = build_review(five.session, load_analyses(five.folder, five.session))
    silent = [
        e for s in review.sections for p in s.prompts for e in p.evidence
        if e.question_index == SILENT_Q
    ]  # fmt: skip
    assert len(silent) >= 15  # every per-answer measure of the three sections
    assert all(e.band == NOT_MEASURED and e.value is None for e in silent), [
        (e.metric, e.band) for e in silent if e.band != NOT_MEASURED
    ]
    assert all("speech" in e.band_text for e in silent)
    # no strength or fix rests on it: the blame check of the silent answer praises nothing
    blame = next(p for s in review.sections for p in s.prompts if p.id == "aggressive.blame")
    assert blame.kind == FIX  # the "blame" answer
    # judged only in the two Whisper answers: pocketsphinx transcripts are too rough for words
    assert {e.question_index for e in blame.evidence if e.band != NOT_MEASURED} == {0, 3}
    for f in review.focus:
        prompt = next(p for s in review.sections for p in s.prompts if p.id == f.prompt_id)
        assert prompt.kind == FIX and f.question_index != SILENT_Q
    for s in summarize(review).sections:
        chip = s.chips[SILENT_Q]
        assert chip.band == NOT_MEASURED and chip.word == "not measured" and chip.symbol == "–"
    strengths = [p for s in review.sections for p in s.prompts if p.kind == STRENGTH]
    assert all(
        e.question_index != SILENT_Q for p in strengths for e in p.evidence if e.band == GOOD
    )


@pytest.fixture
def window(qtbot: QtBot, five: Built, virtual_audio: dict[str, str]) -> MainWindow:
    w = create_main_window()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(w.runner.is_idle, timeout=20000)
    w.show_review(five.folder)
    view = w.review_view
    qtbot.waitUntil(lambda: view.loaded is not None and w.runner.is_idle(), timeout=20000)
    return w


def test_the_summary_fits_one_screen_and_links_each_chip_to_its_evidence(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.review_view
    assert window.size().width() == 1280 and window.size().height() == 800
    summary = view.summary
    assert view.pages.currentIndex() == 0 and summary.isVisible()
    qtbot.waitUntil(lambda: summary.height() > 0)
    assert not view.summary_scroll.verticalScrollBar().isVisible()
    assert summary.height() <= view.summary_scroll.viewport().height()
    # the three questions, each with a verdict and one chip per answer, numbered, not colour only
    assert list(summary.chips) == list(HEADINGS)
    for heading in HEADINGS:
        chips = summary.chips[heading]
        assert [c.chip.question_index for c in chips] == [0, 1, 2, 3, 4]
        for n, chip in enumerate(chips, start=1):
            assert chip.isVisible() and chip.text().startswith(f"Q{n} ")
            assert chip.accessibleName().startswith(f"Q{n}: ")
            assert chip.chip.word in chip.text()
            assert summary.rect().contains(chip.mapTo(summary, chip.rect().bottomRight()))
        assert summary.verdict_labels[heading].text()
        assert "not measured" in chips[SILENT_Q].text()
    # the change since last time, with its direction in words
    changes = summary.findChild(QLabel, "changes")
    assert changes is not None and changes.isVisible()
    assert "→" in changes.text() and any(w in changes.text() for w in ("better", "worse"))
    # the three fixes, each with its drill and a "Practise this again"
    loaded = view.loaded
    assert loaded is not None
    assert len(loaded.review.focus) == 3 and len(summary.practise_buttons) == 3
    for f, button in zip(loaded.review.focus, summary.practise_buttons, strict=True):
        assert button.isVisible() and f.question_index is not None
        with qtbot.waitSignal(view.practise_requested) as sent:
            button.click()
        assert sent.args == [loaded.session, f.question_index]
    # a chip opens that answer's evidence, in that section only
    chip = summary.chips[HEADINGS[1]][3]
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert view.pages.currentIndex() == 1
    assert view.section_boxes[HEADINGS[1]].isVisible()
    assert not view.section_boxes[HEADINGS[0]].isVisible()
    shown = [(qi, w) for heading, _p, qi, w in view.evidence_rows if heading == HEADINGS[1]]
    assert any(w.isVisible() for qi, w in shown if qi == 3)
    assert not any(w.isVisible() for qi, w in shown if qi is not None and qi != 3)
    assert "Q4" in view.filter_label.text() and view.again_button.isVisible()
    # the blame answer's evidence can be heard
    blame = [b for b, m in view.moment_buttons if m.question_index == 3 and b.isVisible()]
    assert blame
    # the why of a measure once per measure, not once per answer
    box = view.section_boxes[HEADINGS[1]]
    whys = [w.text() for w in box.findChildren(type(summary.verdict_labels[HEADINGS[0]]))
            if w.accessibleName() == "Why this measure"]  # fmt: skip
    assert whys and all(t.count("Why:") <= 2 for t in whys)
    view.back_button.click()
    assert view.pages.currentIndex() == 0
    # a fix opens its own prompt's evidence
    summary.fix_buttons[0].click()
    fix_id = loaded.review.focus[0].prompt_id
    frames = [(pid, frame.isVisible()) for _h, pid, frame, _q in view.prompt_frames]
    assert (fix_id, True) in frames and all(not v for pid, v in frames if pid != fix_id)
    # and "Show all the evidence" loses nothing
    view.all_button.click()
    assert all(b.isVisible() for b in view.section_boxes.values())
    assert all(b.isVisible() for b in view.overview_boxes)
