"""The display check for every platform and combination of variables (pure logic)."""

from __future__ import annotations

import os

import pytest

from coach.desktop_session import missing_display, no_display_message


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_always_have_a_desktop(platform: str) -> None:
    assert missing_display({}, platform) is None


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, "neither DISPLAY nor WAYLAND_DISPLAY"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, None),
        ({"QT_QPA_PLATFORM": "offscreen"}, None),
        ({"QT_QPA_PLATFORM": "minimal"}, None),
        ({"QT_QPA_PLATFORM": "xcb"}, "QT_QPA_PLATFORM is xcb"),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "QT_QPA_PLATFORM is wayland"),
        ({"DISPLAY": ":4242"}, "no X server lets us in on DISPLAY=:4242"),
        ({"DISPLAY": ":4242", "WAYLAND_DISPLAY": "wayland-0"}, None),
    ],
)
def test_linux_needs_x11_or_wayland(env: dict[str, str], problem: str | None) -> None:
    found = missing_display(env, "linux")
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_a_running_x_server_is_found() -> None:
    display = os.environ.get("DISPLAY", "")
    if not display.startswith(":"):
        pytest.skip("no local X server in this run")
    assert missing_display({"DISPLAY": display}, "linux") is None


def test_the_message_is_one_line() -> None:
    text = no_display_message("neither DISPLAY nor WAYLAND_DISPLAY is set")
    assert "\n" not in text
    assert text.startswith("Second Round needs a desktop session: no display was found (")


def test_a_server_that_refuses_us_is_no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    """xvfb-run's server wants its cookie: without it Qt would abort with a message about
    xcb-cursor0; here it is a plain 'no display'."""
    display = os.environ.get("DISPLAY", "")
    if not display.startswith(":") or "XAUTHORITY" not in os.environ:
        pytest.skip("no local X server with authorisation in this run")
    assert missing_display({"DISPLAY": display}, "linux") is None
    monkeypatch.setenv("XAUTHORITY", "/nonexistent")  # libxcb reads it from the environment
    found = missing_display({"DISPLAY": display}, "linux")
    assert found is not None and "lets us in" in found
