"""Files that ship with the app: the built-in question banks, the icon and the desktop file.

They are edited in `questions/` and `assets/` at the top of the repository. An installed wheel
carries them inside the package as `coach/_data/questions` and `coach/_data/assets` (mapped by
pyproject.toml at build time, so there is no second copy to keep in step), and the PyInstaller
bundle puts them at the same place; both are found through `importlib.resources`. A source
checkout (or an editable install) has no `coach/_data`, and the repository folders are used.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def shipped_dir(name: str) -> Path:
    """The shipped folder `name` ("questions" or "assets"): inside the package when installed,
    else the repository's own folder. Wheels are always unpacked by pip, so the packaged folder
    is a real directory (a zip import would fall back to the checkout path and find nothing)."""
    packaged = files("coach") / "_data" / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return _CHECKOUT / name


def questions_dir() -> Path:
    """The built-in question banks (*.toml)."""
    return shipped_dir("questions")


def icon_file() -> Path:
    """The app icon (SVG)."""
    return shipped_dir("assets") / "icon.svg"


def desktop_file() -> Path:
    """The freedesktop launcher template; `@EXEC@` stands for the command that starts the app."""
    return shipped_dir("assets") / "second-round.desktop"
