"""Wires history, progress, settings, the first-run check and privacy actions into the window.

The composition root calls `install_history_features(window, runner, services)` once; this adds
pages to `window.stack`, menu actions to `window.menuBar()`, keeps the index up to date when an
interview finishes, remembers the window geometry and applies the saved theme.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QBoxLayout, QMainWindow, QMenu, QWidget

from coach import paths
from coach.errors import CoachError
from coach.ports import PlayerPort, RecorderPort, SpeakerPort
from coach.ui.app_settings import (
    AppSettings,
    apply_theme,
    load_settings,
    open_settings,
    restore_geometry,
    save_geometry,
    update_settings,
)
from coach.ui.confirm import ask_yes_no
from coach.ui.first_run_offer import FirstRunOffer
from coach.ui.index_holder import IndexHolder
from coach.ui.tasks import TaskRunner

if TYPE_CHECKING:  # built on first use, so start-up neither imports nor constructs them
    from coach.ui.first_run import FirstRunDialog
    from coach.ui.history_actions import FilePickers
    from coach.ui.history_view import HistoryView
    from coach.ui.progress_view import ProgressView
    from coach.ui.settings_dialog import SettingsDialog

SHORTCUTS = (
    ("Ctrl+Shift+H", "Session history (search, sort, export, delete)"),
    ("Ctrl+P", "Progress over time"),
    ("Ctrl+,", "Settings"),
    ("Enter", "Open the selected session (history)"),
    ("Del", "Delete the selected sessions (history)"),
)


def _output_devices() -> list[str]:
    from coach.audio.devices import list_output_devices

    return [d.name for d in list_output_devices()]


@dataclass
class HistoryServices:
    """What the features need from the composition root (the same objects app.py builds)."""

    speaker: SpeakerPort  # LazySpeaker: synthesize() for the voice sample
    recorder_factory: Callable[[str | None], RecorderPort]
    player_factory: Callable[[], PlayerPort]  # a new LazyPlayer per replay widget
    list_microphones: Callable[[], list[str]]
    list_voices: Callable[[], list[tuple[str, str]]]
    list_speakers: Callable[[], list[str]] = _output_devices
    analyzer: Any = None  # ProcessAnalyzer: its .engine/.model follow the settings
    content: Any = None  # ContentCoach: its language model follows the settings
    settings_store: QSettings | None = None  # None: the real per-user QSettings
    open_session: Callable[[Path], None] | None = None  # None: window.show_sessions(folder)
    sessions_root: Path | None = None  # None: coach.paths.sessions_dir()
    confirm: Callable[[str], bool] | None = None  # None: a Yes/No message box
    pickers: FilePickers | None = None  # None: file dialogs


class HistoryFeatures:
    """Holds the pages and actions so tests (and the lead) can reach them."""

    def __init__(self, window: Any, runner: TaskRunner, services: HistoryServices) -> None:
        self.window = window
        self.runner = runner
        self.services = services
        self.store = services.settings_store or open_settings()
        self.sessions_root = services.sessions_root or paths.sessions_dir()
        self.holder = IndexHolder(window.data_dir, self.sessions_root)
        self.confirm = services.confirm or ask_yes_no(window)
        self._history: HistoryView | None = None
        self._progress: ProgressView | None = None
        window.stack.currentChanged.connect(self._page_changed)
        self.first_run: FirstRunDialog | None = None
        self.offer: FirstRunOffer | None = None
        self.actions: dict[str, QAction] = {}
        self._menus()
        window.controller.finished.connect(self._session_finished)
        # An answer analysed after Finish changes the session's headline numbers: re-index it.
        window.controller.late_analysis_saved.connect(self._session_finished)
        window.closing_hooks.append(self._closing)
        restore_geometry(window, self.store)
        settings = load_settings(self.store)
        self.apply(settings)
        if not settings.first_run_done:
            self._offer_first_run()

    # --- menus -----------------------------------------------------------------------------
    def _action(
        self, key: str, text: str, shortcut: str | None, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        self.actions[key] = action
        return action

    def _menus(self) -> None:
        bar = self.window.menuBar()
        menus = {m.title(): m for a in bar.actions() if isinstance(m := a.menu(), QMenu)}
        history = QMenu("Hi&story", self.window)
        history.addAction(
            self._action("history", "Session &history", "Ctrl+Shift+H", self.show_history)
        )
        history.addAction(
            self._action("progress", "&Progress over time", "Ctrl+P", self.show_progress)
        )
        history.addSeparator()
        history.addAction(self._action("import", "&Import sessions…", None, self._import))
        history.addAction(
            self._action("export_all", "&Export all sessions…", None, self._export_all)
        )
        history.addAction(
            self._action("rebuild", "&Rebuild history index", None, lambda: self.history.rebuild())
        )
        history.addSeparator()
        history.addAction(self._action("delete_all", "&Delete all my data…", None, self.delete_all))
        help_menu = menus.get("&Help")
        bar.insertMenu(help_menu.menuAction() if help_menu else None, history)

        settings = self._action("settings", "&Settings…", "Ctrl+,", self.open_settings)
        interview = menus.get("&Interview")
        if interview is not None and interview.actions():
            quit_action = interview.actions()[-1]  # Settings goes just above Quit
            interview.insertAction(quit_action, settings)
            interview.insertSeparator(quit_action)
        else:
            history.addAction(settings)
        check = self._action(
            "mic_check", "Run the &microphone check again", None, lambda: self.run_first_run()
        )
        if help_menu is not None and help_menu.actions():
            help_menu.insertAction(help_menu.actions()[-1], check)  # above About
        else:
            history.addAction(check)

    # --- pages -----------------------------------------------------------------------------
    @property
    def history(self) -> HistoryView:
        """The history page, built the first time it is needed."""
        if self._history is None:
            from coach.ui.history_view import HistoryView

            window = self.window
            self._history = HistoryView(
                self.runner,
                self.holder,
                open_session=self.services.open_session or window.show_sessions,
                confirm=self.confirm,
                pickers=self.services.pickers,
                busy=window.interview_running,
                on_changed=lambda: window.sessions_view.reload(None),
            )
            window.stack.addWidget(self._history)
        return self._history

    @property
    def progress(self) -> ProgressView:
        """The progress page, built the first time it is needed (its charts are costly)."""
        if self._progress is None:
            from coach.ui.progress_view import ProgressView

            self._progress = ProgressView(self.runner, self.holder, self.services.player_factory)
            self.window.stack.addWidget(self._progress)
        return self._progress

    def _can_leave(self) -> bool:
        if self.window.interview_running():
            self.window.messages.show_message("Finish the current interview first (Ctrl+E).")
            return False
        return True

    def _can_move_data(self) -> bool:
        """No interview running and no answer still being analysed into the current folder."""
        return self._can_leave() and not self.runner.lane_busy("analysis")

    def show_history(self) -> None:
        if self._can_leave():
            self.window.stack.setCurrentWidget(self.history)
            self.history.reload()
            self.history.search_box.setFocus()

    def show_progress(self) -> None:
        if self._can_leave():
            self.window.stack.setCurrentWidget(self.progress)
            self.progress.reload()

    def _page_changed(self, _: int) -> None:
        if self._progress is not None and self.window.stack.currentWidget() is not self._progress:
            self._progress.stop_playback()

    def _import(self) -> None:
        self.show_history()
        if self.window.stack.currentWidget() is self.history:
            self.history.import_archive()

    def _export_all(self) -> None:
        self.show_history()
        if self.window.stack.currentWidget() is self.history:
            holder = self.holder
            self.runner.submit(
                lambda: [r.folder for r in holder.get().sessions()],
                lane="disk",
                on_done=self.history._export,
                on_error=self._problem,
            )

    def _session_finished(self, session: Any) -> None:
        folder = self.window.controller.store.folder(session)
        holder = self.holder
        self.runner.submit(
            lambda: holder.get().update_session(folder), lane="disk", on_error=self._problem
        )

    def _problem(self, error: CoachError) -> None:
        self.window.messages.show_message(error.message)

    # --- privacy ---------------------------------------------------------------------------
    def delete_all(self) -> None:
        """Everything the app keeps: recordings, analyses, index, caches, logs, settings."""
        if not self._can_leave():
            return
        data_dir = self.window.data_dir
        if not self.confirm(
            f"Delete ALL your recordings, analyses, question banks you added and settings in "
            f"{data_dir}? This cannot be undone. Export first if you want a copy."
        ):
            return
        holder = self.holder

        def run() -> list[Path]:
            from coach.core.data_ops import delete_all_data

            holder.close()
            return delete_all_data(data_dir)

        def done(left: list[Path]) -> None:
            self.store.clear()
            self.store.sync()
            text = "All your data was deleted."
            if left:
                text += f" Files not made by Second Round were left in {data_dir}."
            self.window.messages.show_message(text)
            if self._history is not None:
                self._history.reload()
            self.window.sessions_view.reload(None)

        self.runner.submit(run, lane="disk", on_done=done, on_error=self._problem)

    # --- settings and first run ------------------------------------------------------------
    def apply(self, settings: AppSettings) -> None:
        """Make the running app follow the settings (theme, speech-recognition engine)."""
        app = QApplication.instance()
        if isinstance(app, QApplication) and settings.theme != "system":
            apply_theme(app, settings.theme)
        analyzer = self.services.analyzer
        if analyzer is not None and "COACH_ASR_ENGINE" not in os.environ:
            analyzer.engine = settings.asr_engine
        if analyzer is not None and "COACH_WHISPER_MODEL" not in os.environ:
            analyzer.model = settings.model_folder
        if self.services.content is not None:
            model = Path(settings.llm_model) if settings.llm_model else None
            self.services.content.set_model(model)

    def settings_dialog(self) -> SettingsDialog:
        from coach.ui.data_folder_panel import DataFolderHooks
        from coach.ui.settings_dialog import SettingsDialog

        s = self.services
        return SettingsDialog(
            load_settings(self.store),
            self.store,
            self.runner,
            data_dir=self.window.data_dir,
            models_dir=self.window.data_dir / "models",
            list_microphones=s.list_microphones,
            list_speakers=s.list_speakers,
            list_voices=s.list_voices,
            data_hooks=DataFolderHooks(
                confirm=s.confirm, can_move=self._can_move_data, release=self.holder.close
            ),
            parent=self.window,
        )

    def open_settings(self, *, download: bool = False) -> SettingsDialog:
        """Open Settings; with `download`, straight at the speech-model choice (first run)."""
        dialog = self.settings_dialog()
        dialog.accepted.connect(lambda: self.apply(dialog.original))
        dialog.finished.connect(lambda _: dialog.deleteLater())
        dialog.open()
        if download:
            dialog.ask_download()
        return dialog

    def _offer_first_run(self) -> None:
        layout = self.window.setup_view.layout()
        if not isinstance(layout, QBoxLayout):
            return
        self.offer = FirstRunOffer()
        self.offer.check_requested.connect(self.run_first_run)
        self.offer.dismissed.connect(lambda: update_settings(self.store, first_run_done=True))
        layout.insertWidget(0, self.offer)
        self.offer.show()

    def run_first_run(self) -> FirstRunDialog:
        if self.offer is not None:
            self.offer.hide()
        if self.first_run is not None and self.first_run.isVisible():
            self.first_run.raise_()
            return self.first_run
        from coach.ui.first_run import FirstRunDialog

        s = self.services
        dialog = FirstRunDialog(
            self.runner,
            self.store,
            recorder_factory=s.recorder_factory,
            player=s.player_factory(),
            speaker=s.speaker,
            list_microphones=s.list_microphones,
            work_dir=self.window.data_dir / "cache" / "mic-check",
            parent=self.window,
        )
        dialog.download_requested.connect(lambda: self.open_settings(download=True))
        self.first_run = dialog
        dialog.show()
        return dialog

    def _closing(self) -> None:
        if isinstance(self.window, QMainWindow | QWidget):
            save_geometry(self.window, self.store)
        if self._progress is not None:
            self._progress.stop_playback()
        self.holder.close()


def install_history_features(
    window: Any, runner: TaskRunner, services: HistoryServices
) -> HistoryFeatures:
    """Add history, progress, settings, first-run check and privacy actions to `window`.

    The result is also kept as `window.history_features`, so it lives as long as the window."""
    features = HistoryFeatures(window, runner, services)
    window.history_features = features
    return features
