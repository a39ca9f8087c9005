"""The only module that knows where things live on disk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "second-round"
DATA_POINTER_FILE = "data-folder.txt"


def data_dir() -> Path:
    """User data folder: `COACH_DATA_DIR` if set, else the folder chosen in Settings (the
    pointer file), else the platform's user data dir."""
    override = os.environ.get("COACH_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return chosen_data_dir() or default_data_dir()


def default_data_dir() -> Path:
    """Where data lives when nobody chose a folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder QSettings keeps `coach.ini` in (UserScope, IniFormat, organisation
    "second-round"), worked out without Qt: %APPDATA% on Windows, else $XDG_CONFIG_HOME
    (when absolute) or ~/.config, as Qt does on Linux and macOS."""
    if sys.platform == "win32":
        roaming = os.environ.get("APPDATA")
        base = Path(roaming) if roaming else Path.home() / "AppData" / "Roaming"
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / APP_NAME


def data_pointer_file() -> Path:
    """One line naming the data folder chosen in Settings; kept with the settings, outside
    the data folder, so moving the data never moves the pointer."""
    return config_dir() / DATA_POINTER_FILE


def chosen_data_dir() -> Path | None:
    """The folder chosen in Settings, if it is there now. A chosen folder that is missing (a
    drive not plugged in) is not recreated: that would hide the real data behind an empty
    folder, or write into the bare mount point. The default folder is used meanwhile."""
    chosen = _pointed_to()
    return chosen if chosen is not None and chosen.is_dir() else None


def unreachable_data_dir() -> Path | None:
    """The folder chosen in Settings when it cannot be found now, to tell the user at start."""
    if os.environ.get("COACH_DATA_DIR"):
        return None
    chosen = _pointed_to()
    return chosen if chosen is not None and not chosen.is_dir() else None


def _pointed_to() -> Path | None:
    """The folder named in the pointer file; None when there is none or it is not absolute."""
    try:
        text = data_pointer_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    chosen = Path(text) if text else None
    return chosen if chosen is not None and chosen.is_absolute() else None


def sessions_dir() -> Path:
    """One sub-folder per interview session."""
    return data_dir() / "sessions"


def cache_dir() -> Path:
    """Regenerable files (synthesised question audio)."""
    return data_dir() / "cache"


def models_dir() -> Path:
    """Speech-recognition models the user downloaded or pointed us to."""
    return data_dir() / "models"


def logs_dir() -> Path:
    return data_dir() / "logs"


def questions_dir() -> Path:
    """Built-in question banks (inside the installed package, or `questions/` in a checkout)."""
    from coach import resources

    return resources.questions_dir()


def user_questions_dir() -> Path:
    """The user's own and imported question banks."""
    return data_dir() / "questions"


def assets_dir() -> Path:
    """The icon and the desktop file (inside the installed package, or `assets/` in a checkout)."""
    from coach import resources

    return resources.shipped_dir("assets")


def ensure_private_dir(path: Path) -> Path:
    """Create a folder readable only by the user (recordings are personal data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
