""""Practise this again" through the real window: a reviewed session, a fix clicked, the
question spoken by espeak-ng into the virtual speaker, a real clip recorded from the virtual
microphone as take 2 of that question in the same session, analysed by the real pipeline
(pocketsphinx), compared with take 1, and the review afterwards showing both takes.

The session: Q1 answered with JFK's speech (about 130 words a minute), Q2 with a LibriSpeech
reading (about 220 words a minute, above the pace band), so the top fixes are on Q2. The new
answer to Q2 is the JFK clip played into the microphone: its pace must come out better.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from coach import paths
from coach.app import create_main_window
from coach.core.interview import Phase
from coach.practice.practise_again import Compared, OneQuestionInterview
from coach.review.loader import load_analyses
from coach.review.take_compare import BETTER, compare_takes
from coach.ui.main_window import MainWindow
from tests.helpers.sound import SpeakerTap, coverage, load_16k, play_into_speaker
from tests.review.conftest import DATA, Built, Clip, Factory

pytestmark = pytest.mark.audio
ANSWER = DATA / "jfk_whisper.flac"
QUESTION = "Tell me about a time you had to explain something complex to a new colleague."
SHOTS = Path(os.environ.get("COACH_SHOTS", "/tmp/shots/again"))


@pytest.fixture
def reviewed(
    build_session: Factory,
    sphinx_clips: dict[str, Clip],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Built:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_ASR_ENGINE", "pocketsphinx")
    built = build_session([["jfk"], ["libri"]], clips=sphinx_clips, root=paths.sessions_dir())
    built.session.questions[1].text = QUESTION
    built.store.finish(built.session)
    return built


@pytest.fixture
def window(qtbot: QtBot, reviewed: Built, virtual_audio: dict[str, str]) -> MainWindow:
    w = create_main_window()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(w.runner.is_idle, timeout=20000)
    w.show_review(reviewed.folder)
    qtbot.waitUntil(lambda: w.review_view.loaded is not None and w.runner.is_idle(), timeout=20000)
    return w


def shot(qtbot: QtBot, w: MainWindow, name: str) -> None:
    qtbot.wait(200)  # the layout of what just changed
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(SHOTS / f"{name}.png"))


def test_practise_a_fix_again_records_take_2_and_compares_it(
    qtbot: QtBot, window: MainWindow, reviewed: Built, tmp_path: Path
) -> None:
    review = window.review_view
    loaded = review.loaded
    assert loaded is not None and loaded.review.focus
    fix = loaded.review.focus[0]
    assert fix.question_index == 1
    controller = window.controller

    def phase() -> Phase | None:
        return controller.interview.phase if controller.interview else None

    # 1. "Practise this again" on the first fix: the question is asked at once, and spoken.
    with SpeakerTap(tmp_path / "question.raw") as tap:
        review.summary.practise_buttons[0].click()
        qtbot.waitUntil(lambda: phase() is Phase.SPEAKING, timeout=15000)
        view = window.interview_view
        assert window.stack.currentWidget() is view
        assert isinstance(controller.interview, OneQuestionInterview)
        assert controller.session is not None and controller.session.id == reviewed.session.id
        assert view.question_label.text() == QUESTION
        assert view.progress_label.text() == "Practising question 2 again"
        qtbot.waitUntil(lambda: phase() is Phase.THINKING, timeout=30000)  # the same 30 s
        qtbot.wait(1000)  # what is still in the sound server's buffer
    spoken = list((window.data_dir / "cache" / "tts").glob("*.wav"))
    assert len(spoken) == 1
    found = coverage(load_16k(spoken[0]), tap.samples())
    assert found >= 0.6, f"only {found:.0%} of the spoken question reached the speaker"
    shot(qtbot, window, "practise-again-interview-thinking")

    # 2. The answer, through the real microphone path.
    qtbot.keyClick(view, Qt.Key.Key_Space)  # Start answering
    qtbot.waitUntil(lambda: phase() is Phase.RECORDING and controller.mic_live, timeout=15000)
    answer = tmp_path / "answer.wav"  # paplay plays 16-bit WAV reliably; the clip is 24-bit
    sf.write(answer, load_16k(ANSWER), 16000, subtype="PCM_16")
    player = play_into_speaker(answer)
    qtbot.wait(3000)
    shot(qtbot, window, "practise-again-interview-recording")
    assert player.wait(timeout=30) == 0
    qtbot.wait(500)
    qtbot.keyClick(view, Qt.Key.Key_Space)  # Done answering: the practice ends by itself
    page = window.practice_loop.page  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=20000)
    shot(qtbot, window, "practise-again-analysing")

    # 3. Take 2 of Q2 in the same session folder and session.json.
    folder = reviewed.folder

    def on_disk() -> dict[str, Any]:
        data: dict[str, Any] = json.loads((folder / "session.json").read_text())
        return data

    qtbot.waitUntil(lambda: on_disk()["status"] == "finished", timeout=10000)
    data = on_disk()
    assert data["id"] == reviewed.session.id and data["status"] == "finished"
    assert len(data["questions"]) == 2
    assert [len(q["takes"]) for q in data["questions"]] == [1, 2]
    take2 = data["questions"][1]["takes"][1]
    assert take2["status"] == "complete" and take2["audio"] == "q02-take2.flac"
    found = coverage(load_16k(ANSWER), load_16k(folder / take2["audio"]))
    assert found > 0.9, f"take 2 holds only {found:.0%} of the answer"
    assert sorted(p.parent for p in folder.parent.glob("*/session.json")) == [folder]

    # 4. Analysed for real, then old and new side by side, with the measures that changed.
    loop = window.practice_loop  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: isinstance(loop.last, Compared), timeout=120000)
    qtbot.waitUntil(window.runner.is_idle, timeout=20000)
    take2 = on_disk()["questions"][1]["takes"][1]
    assert take2["analysis"] and (folder / take2["analysis"]).is_file()
    analyses = load_analyses(folder, reviewed.store.load(folder))
    changes = compare_takes(analyses[(1, 0)], analyses[(1, 1)])
    comparison = page.comparison
    assert comparison.isVisible() and comparison.rows == changes
    pace = next(c for c in changes if c.metric == "words_per_minute")
    assert pace.change == BETTER, pace
    headers = [comparison.grid.itemAtPosition(0, c).widget().text() for c in range(4)]
    assert "Take 1 (before)" in headers[1] and "Take 2 (new)" in headers[2]
    assert "Better:" in comparison.summary.text() and pace.label in comparison.summary.text()
    assert all(r.isVisible() for r in page.replays)
    assert page.replays[1].path == folder / take2["audio"]
    shot(qtbot, window, "practise-again-comparison")

    # 5. The history index knows the new take.
    rows = window.history_features.holder.get().sessions()  # type: ignore[attr-defined]
    assert [r.takes for r in rows if r.session_id == reviewed.session.id] == [3]

    # 6. Esc: back to the review, which now has both takes of Q2.
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is review
    assert "Q2 now has take 2" in window.messages.label.text()
    qtbot.waitUntil(
        lambda: review.loaded is not None and len(review.loaded.session.questions[1].takes) == 2,
        timeout=20000,
    )
    qtbot.waitUntil(window.runner.is_idle, timeout=20000)
    assert review.loaded is not None and review.loaded.pending == 0
    shot(qtbot, window, "practise-again-review-after")
    review.open_answer(1)
    assert review.stack.currentWidget() is review.answer_view
    assert review.answer_view.takes_row.count() == 3  # two take cards and the stretch
    shot(qtbot, window, "practise-again-answer-after")


def test_a_session_opened_from_history_is_practised_again_and_esc_goes_back(
    qtbot: QtBot, window: MainWindow, reviewed: Built
) -> None:
    features = window.history_features  # type: ignore[attr-defined]
    features.show_history()
    history = features.history
    qtbot.waitUntil(lambda: history.table.rowCount() == 1, timeout=20000)
    history.table.selectRow(0)
    history.open_selected()  # the Open button and Enter
    review = window.review_view
    assert window.stack.currentWidget() is review and review.folder == reviewed.folder
    qtbot.waitUntil(lambda: review.loaded is not None and window.runner.is_idle(), timeout=20000)
    review.show_evidence()

    def again() -> list[QPushButton]:
        return [b for b in review.findChildren(QPushButton)
                if b.accessibleName() == "Practise this again: Q1" and b.isVisible()]  # fmt: skip

    qtbot.waitUntil(lambda: len(again()) == 1, timeout=20000)
    again()[0].click()  # the answer list's button, on the evidence page
    controller = window.controller
    qtbot.waitUntil(lambda: controller.interview is not None, timeout=15000)
    assert isinstance(controller.interview, OneQuestionInterview)
    assert controller.interview.index == 0
    assert window.interview_view.progress_label.text() == "Practising question 1 again"
    qtbot.keyClick(window.interview_view, Qt.Key.Key_Escape)  # skip: nothing to compare
    qtbot.waitUntil(lambda: window.stack.currentWidget() is review, timeout=20000)
    qtbot.waitUntil(window.runner.is_idle, timeout=20000)
    data = json.loads((reviewed.folder / "session.json").read_text())
    assert data["status"] == "finished"
    assert [len(q["takes"]) for q in data["questions"]] == [1, 1]
    assert not list(reviewed.folder.glob("*.partial.*"))


def test_a_new_take_that_cannot_be_analysed_ends_the_wait_plainly(
    qtbot: QtBot, window: MainWindow, reviewed: Built
) -> None:
    from coach.errors import AnalysisError

    def broken(_audio: Path) -> dict[str, Any]:
        raise AnalysisError("The speech analysis stopped unexpectedly.")

    window.controller.practice.analyzer = broken
    data = json.loads((reviewed.folder / "session.json").read_text())
    data["settings"].update(voice_on=False, think_time_s=0)  # straight to recording
    (reviewed.folder / "session.json").write_text(json.dumps(data))
    window.review_view.summary.practise_buttons[0].click()
    controller = window.controller
    qtbot.waitUntil(lambda: controller.interview is not None and controller.mic_live, timeout=15000)
    qtbot.wait(1000)
    qtbot.keyClick(window.interview_view, Qt.Key.Key_Space)  # Done answering
    page = window.practice_loop.page  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "could not be analysed" in page.status.text(), timeout=30000)
    assert not page.busy.isVisible() and not page.comparison.isVisible()
    assert "speech analysis stopped" in window.messages.label.text()
    takes = json.loads((reviewed.folder / "session.json").read_text())["questions"][1]["takes"]
    assert len(takes) == 2 and takes[1]["status"] == "complete"
