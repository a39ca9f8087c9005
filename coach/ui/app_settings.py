"""The user's preferences, kept in QSettings, as one plain value object.

QSettings is Qt's per-user store (an ini file on Linux). Ini files give back strings, so every
value is converted here, in one place, and a damaged or hand-edited value falls back to its
default instead of breaking the app. Tests pass their own ini file to `open_settings`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from coach.core.settings import THINK_TIME_CHOICES_S, InterviewSettings

ORGANISATION = "second-round"
APPLICATION = "coach"
MODES = ("practice", "realistic")
ASR_ENGINES = ("auto", "whisper", "pocketsphinx", "none")
THEMES = ("system", "light", "dark")
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


@dataclass(frozen=True)
class AppSettings:
    """Defaults equal InterviewSettings (feedback-science.md §6): a new install changes nothing."""

    microphone: str | None = None
    speaker: str | None = None
    voice_id: str | None = None
    voice_rate: int = 170
    think_time_s: int = 30
    soft_limit_s: int = 120
    hard_limit_s: int = 180
    mode: str = "practice"
    follow_ups: bool = False
    asr_engine: str = "auto"
    model_folder: str | None = None
    llm_model: str | None = None  # the GGUF file of the content coach; None: the built-in rules
    theme: str = "system"
    role: str = ""
    first_run_done: bool = False
    loudness_baseline_dbfs: float | None = None  # median speech level of the microphone check
    end_silence_s: int = 4  # hands-free: silence that ends an answer (2-10 s, issue 15)

    def interview_defaults(self, base: InterviewSettings | None = None) -> InterviewSettings:
        """The setup screen's starting values, taken from these preferences."""
        return replace(
            base or InterviewSettings(),
            microphone=self.microphone,
            speaker=self.speaker,
            voice_id=self.voice_id,
            voice_rate=self.voice_rate,
            think_time_s=self.think_time_s,
            soft_limit_s=self.soft_limit_s,
            hard_limit_s=self.hard_limit_s,
            mode=self.mode,
            follow_ups=self.follow_ups,
        )


def open_settings(ini_path: Path | None = None) -> QSettings:
    """The app's QSettings; with a path, a private ini file (tests, portable installs)."""
    if ini_path is not None:
        return QSettings(str(ini_path), QSettings.Format.IniFormat)
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def _convert(raw: Any, default: Any, kind: str) -> Any:
    """One stored value as the field's type; anything unreadable gives the default."""
    if raw is None:
        return default
    text = str(raw).strip()
    try:
        if "bool" in kind:
            return text.lower() in ("true", "1", "yes")
        if "int" in kind:
            return int(float(text))
        if "float" in kind:
            if text == "":
                return None
            value = float(text)
            return value if math.isfinite(value) else default
    except ValueError:
        return default
    if "None" in kind:
        return text or None
    return text


_CHOICES = {"mode": MODES, "asr_engine": ASR_ENGINES, "theme": THEMES}


def load_settings(store: QSettings) -> AppSettings:
    """Read every preference; unknown choices and bad numbers fall back to the defaults."""
    defaults = AppSettings()
    values: dict[str, Any] = {}
    for f in fields(AppSettings):
        default = getattr(defaults, f.name)
        value = _convert(store.value(f.name), default, str(f.type))
        if f.name in _CHOICES and value not in _CHOICES[f.name]:
            value = default
        values[f.name] = value
    if not 2 <= values["end_silence_s"] <= 10:
        values["end_silence_s"] = defaults.end_silence_s
    think = values["think_time_s"]
    if think not in THINK_TIME_CHOICES_S:
        values["think_time_s"] = defaults.think_time_s
    if not 0 < values["soft_limit_s"] < values["hard_limit_s"]:
        values["soft_limit_s"], values["hard_limit_s"] = (
            defaults.soft_limit_s,
            defaults.hard_limit_s,
        )
    return AppSettings(**values)


def save_settings(store: QSettings, settings: AppSettings) -> None:
    """Write every preference (None as an empty string) and flush to disk at once."""
    for f in fields(AppSettings):
        value = getattr(settings, f.name)
        store.setValue(
            f.name,
            "" if value is None else str(value).lower() if isinstance(value, bool) else str(value),
        )
    store.sync()


def update_settings(store: QSettings, **changes: Any) -> AppSettings:
    """Change a few preferences and keep the rest as stored."""
    settings = replace(load_settings(store), **changes)
    save_settings(store, settings)
    return settings


def save_geometry(window: QWidget, store: QSettings) -> None:
    """Remember the window's size and place (and a main window's toolbars/docks)."""
    store.setValue(GEOMETRY_KEY, window.saveGeometry())
    save_state = getattr(window, "saveState", None)
    if save_state is not None:
        store.setValue(STATE_KEY, save_state())
    store.sync()


def restore_geometry(window: QWidget, store: QSettings) -> bool:
    """Put the window back where it was; False (nothing changed) when nothing is stored."""
    raw = store.value(GEOMETRY_KEY)
    if not isinstance(raw, QByteArray | bytes) or not raw:
        return False
    ok = bool(window.restoreGeometry(QByteArray(raw)))
    state = store.value(STATE_KEY)
    restore_state = getattr(window, "restoreState", None)
    if ok and restore_state is not None and isinstance(state, QByteArray | bytes) and state:
        restore_state(QByteArray(state))
    return ok


_DARK_COLOURS = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f1f1f",
    QPalette.ColorRole.AlternateBase: "#2f2f2f",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Link: "#7fb2ff",
    QPalette.ColorRole.Highlight: "#3d6fb6",
    QPalette.ColorRole.HighlightedText: "#ffffff",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


_system_style: str | None = None


def apply_theme(app: QApplication, theme: str) -> None:
    """'dark' and 'light' use the Fusion style (it honours palettes everywhere); 'system' puts
    back the style and palette the app started with."""
    global _system_style
    if _system_style is None:
        _system_style = app.style().name()
    _follow_system(app)
    app.setProperty("coachTheme", theme)
    if theme == "system" and app.styleHints().colorScheme() != Qt.ColorScheme.Dark:
        app.setStyle(QStyleFactory.create(_system_style) or QStyleFactory.create("Fusion"))
        app.setPalette(app.style().standardPalette())
        _repolish(app)
        return
    if theme == "system":  # the desktop is dark: the same dark palette as the dark theme
        theme = "dark"
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())
    _repolish(app)


def _repolish(app: QApplication) -> None:
    """Style sheets resolve palette(...) when a widget is polished: polish again after a switch."""
    for widget in app.allWidgets():
        if widget.styleSheet():
            style = widget.style()
            style.unpolish(widget)
            style.polish(widget)
            widget.update()


_following: set[int] = set()


def _follow_system(app: QApplication) -> None:
    """Re-apply the "system" theme when the desktop switches between light and dark."""
    if id(app) in _following:
        return
    _following.add(id(app))

    def changed(_scheme: object) -> None:
        if app.property("coachTheme") == "system":
            apply_theme(app, "system")

    app.styleHints().colorSchemeChanged.connect(changed)
