"""Which pyttsx3 driver speaks the questions on this operating system, and what to tell the
user when it cannot start. Plain data, so the choice for every platform is tested on any one.

Linux: espeak-ng, whose save_to_file returns before the file is written (the end-of-utterance
event is the real signal). Windows: SAPI5, whose save_to_file speaks synchronously into the file,
so the file is complete when runAndWait() returns whether or not an event arrives. macOS:
NSSpeechSynthesizer, asynchronous like espeak, and it writes AIFF whatever the file is called
(libsndfile reads a file by its header, so the cached question still plays).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class SpeechDriver:
    name: str  # pyttsx3 driver module
    waits_for_event: bool  # True: the file is complete only at the end-of-utterance event
    install_hint: str  # what the user can do when the driver cannot start


_ESPEAK = SpeechDriver(
    "espeak",
    waits_for_event=True,
    install_hint="install espeak-ng (on Debian/Ubuntu: sudo apt install espeak-ng)",
)
_SAPI5 = SpeechDriver(
    "sapi5",
    waits_for_event=False,
    install_hint=(
        "Windows speech (SAPI5) could not be started; check that a voice is installed under "
        "Settings > Time & language > Speech"
    ),
)
_NSSS = SpeechDriver(
    "nsss",
    waits_for_event=True,
    install_hint="the macOS speech synthesizer could not be started (is pyobjc installed?)",
)


def speech_driver(platform: str | None = None) -> SpeechDriver:
    """The driver for `platform` (default: this one); any Unix other than macOS uses espeak-ng."""
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return _SAPI5
    if platform == "darwin":
        return _NSSS
    return _ESPEAK
