"""The speech driver and its handling for each platform, chosen here by faking sys.platform:
the branches Windows and macOS take are covered on this Linux machine."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from coach.tts import platform_driver
from coach.tts.worker import _synthesize


@pytest.mark.parametrize(
    ("platform", "driver", "waits"),
    [("linux", "espeak", True), ("win32", "sapi5", False), ("darwin", "nsss", True),
     ("freebsd14", "espeak", True)],
)  # fmt: skip
def test_the_driver_follows_the_platform(
    monkeypatch: pytest.MonkeyPatch, platform: str, driver: str, waits: bool
) -> None:
    monkeypatch.setattr("sys.platform", platform)
    chosen = platform_driver.speech_driver()
    assert (chosen.name, chosen.waits_for_event) == (driver, waits)
    assert chosen.install_hint


def test_each_driver_module_exists_in_pyttsx3() -> None:
    import importlib.util

    for platform in ("linux", "win32", "darwin"):
        name = platform_driver.speech_driver(platform).name
        assert importlib.util.find_spec(f"pyttsx3.drivers.{name}") is not None


def test_the_hint_names_what_the_user_can_do() -> None:
    assert "espeak-ng" in platform_driver.speech_driver("linux").install_hint
    assert "Speech" in platform_driver.speech_driver("win32").install_hint
    assert "macOS" in platform_driver.speech_driver("darwin").install_hint


class _SyncEngine:
    """A driver like SAPI5: save_to_file writes the whole file inside runAndWait() and no
    end-of-utterance event is relied on."""

    def __init__(self) -> None:
        self.props: dict[str, Any] = {}
        self.pending: tuple[str, str] | None = None

    def setProperty(self, name: str, value: Any) -> None:
        self.props[name] = value

    def save_to_file(self, text: str, path: str) -> None:
        self.pending = (text, path)

    def runAndWait(self) -> None:
        assert self.pending is not None
        Path(self.pending[1]).write_bytes(b"RIFF" + bytes(200))


def test_a_synchronous_driver_needs_no_event(tmp_path: Path) -> None:
    never = threading.Event()
    request = ("synth", "Tell me about yourself.", str(tmp_path / "q.wav"), None, 170)
    assert _synthesize(_SyncEngine(), never, "default", request, waits_for_event=False) == (
        "ok",
        str(tmp_path / "q.wav"),
    )


def test_an_asynchronous_driver_without_its_event_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coach.tts.worker.UTTERANCE_TIMEOUT_S", 0.1)
    never = threading.Event()
    request = ("synth", "Tell me about yourself.", str(tmp_path / "q.wav"), None, 170)
    kind, message = _synthesize(_SyncEngine(), never, "default", request, waits_for_event=True)
    assert kind == "error" and "did not finish" in message
