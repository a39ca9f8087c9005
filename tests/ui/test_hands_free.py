"""Hands-free interviews through the real window (issue 15): real espeak-ng questions on the
virtual speaker, real speech clips into the virtual microphone (its monitor), the real recorder
tap, live VAD, take files and analysis. After "Start interview" nothing is clicked or pressed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from coach.core.interview import Phase
from coach.practice.hands_free import CLOSING_ID
from coach.practice.interviewer_lines import CLOSING_QUESTION, REPEAT_LEAD_INS
from coach.practice.voice_commands import Command
from coach.ui.app_settings import load_settings, open_settings, update_settings
from coach.ui.main_window import MainWindow
from tests.helpers.candidate import Candidate, Room, speech_of, spoken_by_espeak
from tests.helpers.sound import SpeakerTap, coverage, load_16k
from tests.ui.conftest import DATA

pytestmark = pytest.mark.audio
SHOTS = Path(os.environ.get("COACH_SHOTS", ""))
"""Set COACH_SHOTS to a folder to keep a screenshot of each state and the interview's sound."""
JFK = DATA / "jfk_whisper.flac"
ARCTIC = DATA / "cmu_arctic_us_aew_a0001.wav"
AMI = DATA / "ami_ES2011a_Headset-0_40s-46s.wav"


@pytest.fixture
def end_silence() -> Iterator[Callable[[int], None]]:
    """Set the Settings value "answer ends after silence of" the way the dialog saves it."""
    before = load_settings(open_settings()).end_silence_s
    yield lambda seconds: update_settings(open_settings(), end_silence_s=seconds) and None
    update_settings(open_settings(), end_silence_s=before)


class Watcher:
    """Polls like a user's eyes: the candidate speaks when listened to; the screen's states
    are noted (and photographed once each)."""

    def __init__(self, window: MainWindow, candidate: Candidate, shots: str | None) -> None:
        self.window, self.candidate, self.shots = window, candidate, shots
        self.states: list[str] = []
        self.texts: list[str] = []
        self.timer = QTimer(window)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.step)
        self.timer.start()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        self.candidate.close()

    def step(self) -> None:
        self.candidate.step()
        state = self.window.controller.hands_free_state()
        if state is None:
            return
        key = state[0]
        text = self.window.interview_view.speaker.text()  # the "who is speaking" pill
        if not self.texts or self.texts[-1] != text:
            self.texts.append(text)
        if not self.states or self.states[-1] != key:
            self.states.append(key)
            shown = self.window.stack.currentWidget() is self.window.interview_view
            if self.shots and os.environ.get("COACH_SHOTS") and shown:
                SHOTS.mkdir(parents=True, exist_ok=True)
                path = SHOTS / f"{self.shots}-{len(self.states):02d}-{key}.png"
                QApplication.processEvents()  # the new text laid out, as the user sees it
                self.window.grab().save(str(path))


def speech_log(window: MainWindow) -> list[tuple[str, Path]]:
    """What the interviewer was asked to say, and the WAV it became."""
    speaker = window.controller.practice.speaker
    said: list[tuple[str, Path]] = []
    real = speaker.synthesize

    def synthesize(text: str, voice_id: str | None = None, rate: int = 170) -> Path:
        path = real(text, voice_id, rate)
        said.append((text, Path(path)))
        return path

    speaker.synthesize = synthesize  # type: ignore[method-assign]
    return said


def session_data(window: MainWindow) -> tuple[Path, dict[str, Any]]:
    session = window.controller.session
    assert session is not None
    folder = Path(window.controller.store.folder(session))
    return folder, json.loads((folder / "session.json").read_text())


def reached(wav: Path, heard: np.ndarray) -> bool:
    """Most of a spoken line (2 s or longer) is in the speaker recording. Shorter lines ("Okay.")
    are not checked this way: after the player's resampling a half-second espeak word does not
    correlate reliably with its source."""
    speech = speech_of(wav)
    return len(speech) < 2 * 16000 or coverage(speech, heard) >= 0.6


def check_take(folder: Path, question: dict[str, Any], clip: Path) -> None:
    assert len(question["takes"]) == 1, question
    take = question["takes"][0]
    assert take["status"] == "complete"
    found = coverage(speech_of(clip), load_16k(folder / take["audio"]))
    assert found > 0.9, f"{question['id']}: the take holds only {found:.0%} of the answer"


def test_realistic_hands_free_interview_reaches_the_review_with_no_input(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, end_silence: Callable[[int], None]
) -> None:
    end_silence(2)
    setup = window.setup_view
    setup.bank_box.setCurrentIndex(setup.bank_box.findData("behavioural"))
    setup.order_box.setCurrentText("in order")
    setup.count_box.setValue(1)  # one bank question and its follow-up: two questions
    setup.set_mode("realistic")
    assert setup.hands_free_check.isChecked()  # on by default in Realistic
    said = speech_log(window)
    candidate = Candidate(window.controller.practice, [JFK, ARCTIC, AMI], tmp_path)
    with Room(tmp_path), SpeakerTap(tmp_path / "interview.raw") as tap:
        with Watcher(window, candidate, "realistic") as watcher:
            setup.start_button.click()  # the last input
            qtbot.waitUntil(
                lambda: window.stack.currentWidget() is window.review_view, timeout=180000
            )
        qtbot.wait(500)
    if os.environ.get("COACH_SHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        sf.write(SHOTS / "interview.wav", tap.samples(), 16000)
    qtbot.waitUntil(window.runner.is_idle, timeout=60000)
    folder, data = session_data(window)
    assert data["status"] == "finished"
    questions = data["questions"]
    assert len(questions) == 3, [q["text"] for q in questions]
    assert questions[1]["follow_up_of"] == 0
    assert questions[2]["id"] == CLOSING_ID and questions[2]["text"] == CLOSING_QUESTION
    for question, clip in zip(questions, [JFK, ARCTIC, AMI], strict=True):
        check_take(folder, question, clip)
    # Every state was shown, and what the interviewer said reached the speaker.
    for key in ("speaking", "listening", "answering", "moving-on"):
        assert key in watcher.states, watcher.states
    texts = [text for text, _ in said]
    assert CLOSING_QUESTION in " ".join(texts)
    heard = tap.samples()
    for text, wav in said:
        assert reached(wav, heard), f"“{text}” did not reach the speaker"


def test_pauses_inside_an_answer_do_not_end_it_and_speech_cancels_the_countdown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """At the default 4 s: an answer with two 2.5 s thinking pauses is one whole take; the
    countdown shows in each pause and the speech that follows cancels it."""
    from tests.practice.feed import spliced_answer

    answer = spliced_answer("librispeech_2412-153948-0000.flac", pause_s=2.5, pauses=2, tail_s=0.5)
    wav = tmp_path / "paused-answer.wav"
    sf.write(wav, answer.samples.astype(np.float32), 16000, subtype="PCM_16")
    setup = window.setup_view
    setup.bank_box.setCurrentIndex(1)
    setup.order_box.setCurrentText("in order")
    setup.count_box.setValue(1)
    setup.follow_check.setChecked(False)
    setup.hands_free_check.setChecked(True)  # available in Practice too
    assert setup.settings().end_silence_s == 4.0
    candidate = Candidate(window.controller.practice, [wav, ARCTIC], tmp_path)
    with Room(tmp_path), Watcher(window, candidate, "pauses") as watcher:
        setup.start_button.click()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.review_view, timeout=150000)
    qtbot.waitUntil(window.runner.is_idle, timeout=60000)
    folder, data = session_data(window)
    first = data["questions"][0]
    check_take(folder, first, wav)
    take = first["takes"][0]
    assert take["duration_s"] >= answer.speech_end_s - answer.speech_start_s
    # The countdown appeared during the pauses and speech took it away again.
    shown = [i for i, t in enumerate(watcher.texts) if "Moving on in" in t]
    assert shown, watcher.texts
    assert any("Listening to your answer" in t for t in watcher.texts[shown[0] :])
    assert watcher.states.count("moving-on") >= 3  # two cancelled, then the real end


def test_could_you_repeat_the_question_makes_the_interviewer_read_it_again(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    end_silence: Callable[[int], None],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from coach.analysis.whisper_engine import WhisperTranscriber
    from coach.practice.voice_commands import whisper_recogniser
    from tests.helpers.whisper_model import build_whisper_base

    model = build_whisper_base(tmp_path_factory.mktemp("whisper"))
    practice = window.controller.practice
    practice.command_recogniser = lambda: whisper_recogniser(WhisperTranscriber(model))
    end_silence(2)
    command = spoken_by_espeak("Could you repeat the question?", tmp_path / "repeat.wav")
    setup = window.setup_view
    setup.bank_box.setCurrentIndex(1)
    setup.order_box.setCurrentText("in order")
    setup.count_box.setValue(1)
    setup.follow_check.setChecked(False)
    setup.hands_free_check.setChecked(True)
    said = speech_log(window)
    candidate = Candidate(practice, [command, JFK, ARCTIC], tmp_path)
    with Room(tmp_path), SpeakerTap(tmp_path / "repeat.raw") as tap:
        with Watcher(window, candidate, "repeat"):
            setup.start_button.click()
            qtbot.waitUntil(lambda: practice.hands_free is not None, timeout=10000)
            qtbot.waitUntil(lambda: bool(practice.hands_free.heard), timeout=90000)
            assert practice.hands_free.heard[0].command is Command.REPEAT
            candidate.again(0)  # the question is asked again: answer it this time
            qtbot.waitUntil(
                lambda: window.stack.currentWidget() is window.review_view, timeout=120000
            )
        qtbot.wait(500)
    assert len(practice.hands_free.heard) == 1  # the real answers fired no command
    question = window.controller.session.questions[0].text
    repeats = [(t, w) for t, w in said if t.split(".")[0] + "." in REPEAT_LEAD_INS]
    assert repeats and question in repeats[0][0], said
    assert reached(repeats[0][1], tap.samples()), "the repeated question was not heard"
    qtbot.waitUntil(window.runner.is_idle, timeout=60000)
    folder, data = session_data(window)
    check_take(folder, data["questions"][0], JFK)  # the request itself is not kept as a take
    assert window.controller.interview.phase is Phase.FINISHED


def test_hands_free_is_on_by_default_in_realistic_and_a_choice_in_practice(
    setup_view: Any,
) -> None:
    assert not setup_view.hands_free_check.isChecked()  # Practice, the user's default
    assert setup_view.hands_free_check.accessibleName() == "Hands-free"
    setup_view.set_mode("realistic")
    assert setup_view.hands_free_check.isChecked() and setup_view.hands_free_check.isEnabled()
    assert setup_view.settings().hands_free
    setup_view.hands_free_check.setChecked(False)  # the user may still turn it off
    assert not setup_view.settings().hands_free
    setup_view.set_mode("practice")
    assert not setup_view.hands_free_check.isChecked()  # Practice gets its own choice back
    setup_view.hands_free_check.setChecked(True)
    assert setup_view.settings().hands_free and "hands-free" in setup_view.summary_label.text()


def test_the_end_of_answer_silence_is_a_setting_from_2_to_10_seconds(tmp_path: Path) -> None:
    from dataclasses import replace

    from coach.ui.app_settings import AppSettings, save_settings

    ini = tmp_path / "settings.ini"
    assert AppSettings().end_silence_s == 4
    save_settings(open_settings(ini), replace(AppSettings(), end_silence_s=7))
    assert load_settings(open_settings(ini)).end_silence_s == 7
    open_settings(ini).setValue("end_silence_s", "30")  # edited by hand: out of range
    assert load_settings(open_settings(ini)).end_silence_s == 4
