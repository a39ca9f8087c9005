"""Composition root: builds the real services and hands them to the window.

Heavy libraries (numpy, sounddevice, pyttsx3, the speech models) are imported on first use
in the background lanes, so the window appears quickly.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from coach import __version__, paths
from coach.core.bank_cache import load_banks_cached
from coach.core.session_store import SessionStore
from coach.ports import RecorderPort
from coach.practice.analysis_worker import ProcessAnalyzer
from coach.practice.content_coach import ContentCoach
from coach.practice.practice_session import PracticeSession
from coach.ui.app_settings import load_settings, open_settings
from coach.ui.controller import InterviewController
from coach.ui.crash import install_crash_handler, setup_logging
from coach.ui.history_features import HistoryServices, install_history_features
from coach.ui.interview_view import InterviewView
from coach.ui.main_window import MainWindow
from coach.ui.practice_loop import install_practice_loop
from coach.ui.replay_widget import ReplayWidget
from coach.ui.sessions_view import SessionsView
from coach.ui.setup_view import SetupView
from coach.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from coach.ui.review_view import ReviewView

log = logging.getLogger(__name__)


def _recorder(device_name: str | None) -> RecorderPort:
    from coach.audio.recorder import Recorder

    return Recorder(device_name)


def _command_recogniser(engine: str, model_folder: str | None) -> Any:
    """Hands-free voice commands need Whisper (voice_commands.py explains why); None turns
    them off when only the basic engine is there. Runs on the "commands" lane."""
    import os

    if os.environ.get("COACH_ASR_ENGINE", engine) in ("none", "pocketsphinx"):
        return None
    from coach.analysis.transcribe import resolve_whisper_model

    folder = resolve_whisper_model(Path(model_folder) if model_folder else None)
    if folder is None:
        return None
    from coach.analysis.whisper_engine import WhisperTranscriber
    from coach.practice.voice_commands import whisper_recogniser

    transcriber = WhisperTranscriber(folder)
    transcriber.load()
    return whisper_recogniser(transcriber)


def _prewarm_audio() -> None:
    """Import the audio stack in the background, so pressing Start never waits for numpy."""
    import coach.audio.player
    import coach.audio.recorder  # noqa: F401


def _microphones() -> list[str]:
    from coach.audio.devices import list_input_devices

    return [d.name for d in list_input_devices()]


class LazyPlayer:
    """A Player created on first use, so sounddevice is not imported at start-up."""

    created: ClassVar[list[LazyPlayer]] = []  # closed with the window: no stream outlives it

    def __init__(self) -> None:
        self._player: Any = None
        LazyPlayer.created.append(self)

    def close(self) -> None:
        if self._player is not None:
            self._player.close()
        with contextlib.suppress(ValueError):  # closed with its widget: nothing to do later
            LazyPlayer.created.remove(self)

    @classmethod
    def close_all(cls) -> None:
        for player in list(cls.created):
            player.close()
        cls.created.clear()

    def _get(self) -> Any:
        if self._player is None:
            from coach.audio.player import Player

            self._player = Player()
        return self._player

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)

    def position_s(self) -> float:
        return 0.0 if self._player is None else float(self._player.position_s())

    def is_playing(self) -> bool:
        return self._player is not None and bool(self._player.is_playing())


class LazySpeaker:
    """The TTS worker process is started on first use, on the speech lane."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._service: Any = None

    def _get(self) -> Any:
        if self._service is None:
            from coach.tts.speaker import TtsService

            self._service = TtsService(self.cache_dir)
        return self._service

    def available(self) -> bool:
        return bool(self._get().available())

    def synthesize(self, text: str, voice_id: str | None = None, rate: int = 170) -> Path:
        return Path(self._get().synthesize(text, voice_id, rate))

    def voices(self) -> list[tuple[str, str]]:
        if not self.available():
            return []
        return [(v.id, v.name) for v in self._get().voices()]

    def close(self) -> None:
        if self._service is not None:
            self._service.close()


def create_main_window(argv: list[str] | None = None) -> MainWindow:
    """Build the fully wired window (real TTS, audio, storage) without starting the event loop."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Second Round")
    app.setApplicationVersion(__version__)
    icon = paths.assets_dir() / "icon.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))  # type: ignore[attr-defined]
    data_dir = paths.data_dir()
    setup_logging(paths.logs_dir())
    install_crash_handler()

    runner = TaskRunner()
    store = SessionStore(paths.sessions_dir())
    user_banks = paths.user_questions_dir()
    banks, problems = load_banks_cached(
        [paths.questions_dir(), *([user_banks] if user_banks.is_dir() else [])],
        paths.cache_dir() / "question-banks.json",
    )
    speaker = LazySpeaker(paths.cache_dir() / "tts")
    analyzer = ProcessAnalyzer()
    settings = load_settings(open_settings())
    # The language-model worker starts lazily (a session with a model set) and ends with the app.
    content = ContentCoach(Path(settings.llm_model) if settings.llm_model else None)
    practice = PracticeSession(
        runner,
        store,
        _recorder,
        speaker,
        LazyPlayer(),
        analyzer,
        content=content,
        command_recogniser=lambda: _command_recogniser(settings.asr_engine, settings.model_folder),
    )
    controller = InterviewController(practice)
    setup = SetupView(
        banks, runner, _recorder, _microphones, speaker.voices, settings.interview_defaults()
    )
    setup.job_panel.engine_provider = content.engine  # tailored questions need the model
    setup.job_panel.bank_texts = lambda: [q.text for b in banks for q in b.questions]
    interview = InterviewView(controller, ReplayWidget(runner, LazyPlayer()))
    sessions = SessionsView(runner, store, ReplayWidget(runner, LazyPlayer()))

    def review() -> ReviewView:
        from coach.ui.review_view import ReviewView

        return ReviewView(runner, store, LazyPlayer)

    window = MainWindow(runner, controller, setup, interview, sessions, review, data_dir)
    window.stopping_hooks.append(content.close)
    window.closing_hooks += [speaker.close, analyzer.close, LazyPlayer.close_all]

    unreachable = paths.unreachable_data_dir()
    if unreachable is not None:
        window.messages.show_message(
            f"Your data folder {unreachable} cannot be found (is its drive connected?). "
            f"Until it is back, new sessions are saved in {data_dir}. Connect it and restart "
            "Second Round, or choose another folder in Settings."
        )
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        window.messages.show_message(
            "Some question files could not be used (the others are loaded):\n"
            + "\n".join(str(p) for p in errors[:5])
        )
    if not banks:
        window.messages.show_message(
            "No question banks were found in " + str(paths.questions_dir())
        )
    install_history_features(
        window,
        runner,
        HistoryServices(
            speaker=speaker,
            recorder_factory=_recorder,
            player_factory=LazyPlayer,
            list_microphones=_microphones,
            list_voices=speaker.voices,
            analyzer=analyzer,
            content=content,
            open_session=window.show_review,
        ),
    )
    install_practice_loop(window, LazyPlayer)
    _recover_unfinished(window, store)
    QTimer.singleShot(500, window, lambda: runner.submit(_prewarm_audio, lane="devices"))
    # After the first paint, while the user reads the setup screen: Finish then shows at once.
    QTimer.singleShot(1500, window, lambda: window.review_view)
    return window


def _recover_unfinished(window: MainWindow, store: SessionStore) -> None:
    """Sessions left in progress by a crash get their takes finalised in the background."""

    def recover() -> list[tuple[str, int]]:
        done = []
        for folder in store.unfinished():
            session = store.recover(folder)
            done.append((session.title or session.id, session.take_count))
        return done

    def report(done: list[tuple[str, int]]) -> None:
        for title, takes in done:
            window.messages.show_message(
                f"An unfinished session ({title}) was recovered with {takes} take(s). "
                "Find it under Interview → Past sessions."
            )

    window.runner.submit(recover, lane="disk", on_done=report)


def close_on_signals(window: MainWindow) -> None:
    """Ctrl+C in a terminal, or the SIGTERM of a logout, closes the window the normal way: a
    take in progress is finished and saved instead of being left to crash recovery."""

    def close(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, close)
    # Python runs signal handlers only between bytecodes; while Qt's event loop waits in C++
    # nothing would run them. A light timer hands control back to Python four times a second.
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)


def main(argv: list[str] | None = None) -> int:
    window = create_main_window(argv)
    close_on_signals(window)
    window.show()
    app = QApplication.instance()
    assert app is not None
    return int(app.exec())  # closeEvent has saved everything and stopped the workers
