"""A whole mock interview through the real window, real TTS, real PortAudio and real files.

The virtual microphone is the monitor of the virtual speaker (.ci/virtual-audio.sh): a real
speech clip played into the speaker while the app records must come back in the saved take.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coach.core.interview import Phase
from coach.ui.main_window import MainWindow
from tests.helpers.sound import SpeakerTap, best_match, coverage, load_16k, play_into_speaker
from tests.ui.conftest import DATA, configure

pytestmark = pytest.mark.audio
CLIP = DATA / "librispeech_2412-153948-0000.flac"


def phase(w: MainWindow) -> Phase | None:
    return w.controller.interview.phase if w.controller.interview else None


def test_question_is_spoken_answer_recorded_and_replayed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    configure(window, think=0, voice=True)
    view = window.interview_view

    # 1. The question is read aloud: it must really reach the speaker.
    with SpeakerTap(tmp_path / "question.raw") as tap:
        window.setup_view.start_button.click()
        qtbot.waitUntil(lambda: phase(window) is Phase.SPEAKING, timeout=10000)
        assert window.stack.currentWidget() is view
        question = window.controller.interview.questions[0]
        assert view.question_label.text() == question
        assert view.speaker.state == "speaking" and "interviewer" in view.speaker.text()
        qtbot.waitUntil(lambda: phase(window) is Phase.RECORDING, timeout=30000)
        qtbot.wait(1000)  # what is still in the sound server's buffer
    spoken_wavs = list((window.data_dir / "cache" / "tts").glob("*.wav"))
    assert len(spoken_wavs) == 1
    found = coverage(load_16k(spoken_wavs[0]), tap.samples())
    # Most of the question, sample for sample (a capture glitch may cost one 1 s chunk).
    assert found >= 0.6, f"only {found:.0%} of the spoken question reached the speaker"

    # 2. The answer: a real speech clip played into the microphone while the app records.
    assert view.done_button.isVisible()
    player = play_into_speaker(CLIP)
    assert player.wait(timeout=30) == 0
    qtbot.wait(500)
    assert view.level_meter.isVisible() and view.level_label.text() == "Input level"
    assert view.speaker.state == "listening" and view.speaker.isVisible()
    view.done_button.click()
    qtbot.waitUntil(
        lambda: window.controller.session.questions[0].takes[0].status == "complete", timeout=15000
    )
    session = window.controller.session
    folder = window.controller.store.folder(session)
    take = session.questions[0].takes[0]
    audio = folder / take.audio
    assert audio.suffix == ".flac" and audio.is_file()
    found = coverage(load_16k(CLIP), load_16k(audio))
    assert found > 0.9, f"the saved take holds only {found:.0%} of the clip"
    assert not take.is_silent
    assert take.duration_s >= 11.0

    # 3. Replay the take from where the answer starts (the seek bar): it must be heard.
    take_audio = load_16k(audio)
    _, answer_at = best_match(load_16k(CLIP)[16000:32000], take_audio)
    qtbot.waitUntil(lambda: view.replay.play_button.isEnabled(), timeout=10000)
    with SpeakerTap(tmp_path / "replay.raw") as tap:
        view.replay.play_from(answer_at)
        qtbot.waitUntil(view.replay.is_playing, timeout=10000)
        qtbot.waitUntil(lambda: view.replay.player.position_s() > answer_at + 4, timeout=20000)
        qtbot.wait(1000)
        view.replay.toggle()  # pause
        assert not view.replay.is_playing()
    start = int(answer_at * 16000)
    found = coverage(take_audio[start : start + 4 * 16000], tap.samples())
    assert found > 0.6, f"replay did not reach the speaker ({found:.0%} of 4 s of the answer)"

    # 4. Finish: the session is on disk in the documented format and listed.
    window.interview_view.finish_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.review_view, timeout=10000)
    qtbot.waitUntil(window.runner.is_idle, timeout=10000)
    data = json.loads((folder / "session.json").read_text())
    assert data["status"] == "finished"
    assert data["questions"][0]["text"] == question
    assert data["questions"][0]["takes"][0]["audio"] == audio.name
    assert data["questions"][0]["takes"][0]["duration_s"] == pytest.approx(take.duration_s)
    qtbot.waitUntil(lambda: window.review_view.loaded is not None, timeout=15000)
    window.show_sessions()
    qtbot.waitUntil(lambda: window.sessions_view.session_list.count() == 1, timeout=5000)


def test_silent_take_is_kept_and_marked(qtbot: QtBot, window: MainWindow) -> None:
    configure(window, think=0)
    window.setup_view.start_button.click()
    qtbot.waitUntil(lambda: phase(window) is Phase.RECORDING, timeout=10000)
    qtbot.wait(1500)
    window.interview_view.done_button.click()
    qtbot.waitUntil(
        lambda: window.controller.session.questions[0].takes[0].status == "complete", timeout=10000
    )
    take = window.controller.session.questions[0].takes[0]
    assert take.is_silent
    assert (window.controller.store.folder(window.controller.session) / take.audio).is_file()
    assert "silent" in window.messages.label.text()
    assert "silent" in window.interview_view.takes_list.item(0).text()


def test_record_again_makes_a_second_take(qtbot: QtBot, window: MainWindow) -> None:
    configure(window, think=0, count=2)
    window.setup_view.start_button.click()
    qtbot.waitUntil(lambda: phase(window) is Phase.RECORDING, timeout=10000)
    qtbot.wait(500)
    qtbot.keyClick(window.interview_view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: phase(window) is Phase.ANSWERED, timeout=5000)
    window.interview_view.again_button.click()
    qtbot.waitUntil(lambda: phase(window) is Phase.RECORDING, timeout=5000)
    qtbot.wait(500)
    window.interview_view.done_button.click()
    qtbot.waitUntil(
        lambda: (
            [t.status for t in window.controller.session.questions[0].takes]
            == ["complete", "complete"]
        ),
        timeout=10000,
    )
    names = [t.audio for t in window.controller.session.questions[0].takes]
    assert names == ["q01-take1.flac", "q01-take2.flac"]
    window.interview_view.next_button.click()
    qtbot.waitUntil(lambda: window.controller.interview.index == 1, timeout=5000)
    assert window.interview_view.progress_label.text() == "Question 2 of 2"
