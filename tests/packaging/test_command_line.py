"""`coach` with no display, with a typo, and its sub-commands with no display at all: real
processes, as a user starts them from a terminal or an SSH session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _coach(*args: str, display: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m coach` with no display variables at all, plus `display` if given."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env.update(display or {}, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.skipif(sys.platform != "linux", reason="Windows and macOS always have a desktop")
@pytest.mark.parametrize(
    "display",
    [{}, {"DISPLAY": ":97"}, {"QT_QPA_PLATFORM": "xcb"}],
    ids=["no-variables", "display-with-no-server", "xcb-without-display"],
)
def test_no_display_is_one_plain_line_and_status_1(display: dict[str, str]) -> None:
    assert not Path("/tmp/.X11-unix/X97").exists()
    proc = _coach(display=display)
    assert proc.returncode == 1, proc.stderr  # not -6 (SIGABRT) or a core dump
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Second Round needs a desktop session: no display was found")
    assert "xcb" not in proc.stderr.replace("QT_QPA_PLATFORM is xcb", "")
    assert proc.stdout == ""
    assert "PySide6" not in proc.stderr


@pytest.mark.parametrize("typo", ["feedbak", "--hlep", "-x", "analyse"])
def test_an_unknown_command_or_option_prints_the_usage_and_status_2(typo: str) -> None:
    proc = _coach(typo, display={"QT_QPA_PLATFORM": "offscreen"})  # the window could open
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"coach: unknown command or option '{typo}'")
    assert "usage: coach" in proc.stderr
    assert proc.stdout == ""


def test_a_near_miss_is_named() -> None:
    assert "did you mean '--help'?" in _coach("--hlep").stderr
    assert "did you mean 'analyze'?" in _coach("analyse").stderr


def test_sub_commands_work_with_no_display_at_all() -> None:
    version = _coach("--version")
    assert version.returncode == 0 and version.stdout.startswith("Second Round (coach) ")
    check = _coach("questions", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    analyze = _coach("analyze", str(ROOT / "tests/data/jfk_whisper.flac"), "--engine", "none")
    assert analyze.returncode == 0, analyze.stderr
    assert analyze.stdout.strip()
