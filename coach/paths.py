"""The only module that knows where things live on disk."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "second-round"
_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """User data folder: `COACH_DATA_DIR` if set, else the platform's user data dir."""
    override = os.environ.get("COACH_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


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
    """Built-in question banks: `questions/` next to the package (source checkout or wheel data)."""
    return _PACKAGE_DIR.parent / "questions"


def user_questions_dir() -> Path:
    """The user's own and imported question banks."""
    return data_dir() / "questions"


def assets_dir() -> Path:
    return _PACKAGE_DIR.parent / "assets"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder readable only by the user (recordings are personal data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
