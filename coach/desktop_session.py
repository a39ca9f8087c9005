"""Is there a desktop to open a window on? Checked before Qt is imported, because Qt's own
answer on Linux is a fatal error that names a missing xcb library and dumps core."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Qt platform plugins that need no display server (tests, screenshots, remote framebuffers).
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay")


def missing_display(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """Why no window can be opened, in one sentence, or None when a display is there.

    Windows and macOS always have a desktop for a logged-in user. Elsewhere Qt needs an X11
    display (DISPLAY) or a Wayland compositor (WAYLAND_DISPLAY), unless QT_QPA_PLATFORM names a
    plugin that needs neither."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform in ("win32", "darwin"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if chosen in _HEADLESS_PLATFORMS:
        return None
    x11 = env.get("DISPLAY", "")
    wayland = env.get("WAYLAND_DISPLAY", "")
    if chosen == "xcb" and not x11:
        return "QT_QPA_PLATFORM is xcb but DISPLAY is not set"
    if chosen.startswith("wayland") and not wayland:
        return "QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set"
    if not x11 and not wayland:
        return "neither DISPLAY nor WAYLAND_DISPLAY is set"
    if x11 and not wayland and not _x_server_there(x11):
        return f"no X server lets us in on DISPLAY={x11}"
    return None


def _x_server_there(display: str) -> bool:
    """Connect to the X server the way Qt's xcb plugin will (libxcb), so a server that is not
    running or refuses us (no authorisation) is caught here; without libxcb, a local display
    ":N" is judged by its socket in /tmp/.X11-unix and anything else is trusted."""
    try:
        xcb = ctypes.CDLL(ctypes.util.find_library("xcb") or "libxcb.so.1")
    except OSError:
        return _x_socket_there(display)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)


def _x_socket_there(display: str) -> bool:
    host, _, number = display.rpartition(":")
    number = number.split(".", 1)[0]
    if host not in ("", "unix") or not number.isdigit():
        return True
    return Path(f"/tmp/.X11-unix/X{number}").exists()


def no_display_message(reason: str) -> str:
    """The one line printed instead of a Qt abort."""
    return (
        f"Second Round needs a desktop session: no display was found ({reason}). "
        "Start it from your desktop; 'coach analyze' and 'coach questions' work without one."
    )
