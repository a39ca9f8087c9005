"""The child-process side of text-to-speech: the only place a pyttsx3 engine exists.

pyttsx3 must be created and used in one thread, its espeak driver returns from runAndWait() before
the file is written, runs only the last queued command, and can hang (platform.md §6). Keeping it
in its own process lets the parent kill and respawn it, and keeps espeak away from the PortAudio
the parent uses for recording.

Protocol (tuples over multiprocessing queues):
  parent -> child: ("voices",) | ("synth", text, wav_path, voice_id | None, rate) | None (quit)
  child -> parent: first ("ready", None) or ("init_error", message); then one reply per request,
                   ("ok", payload) or ("error", message).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from coach.core.parent_watch import exit_with_parent
from coach.tts.platform_driver import speech_driver

UTTERANCE_TIMEOUT_S = 15.0
FILE_GRACE_S = 2.0  # after the end-of-utterance event, for the WAV to be written
"""A 25-word question takes ~0.01 s to synthesise; waiting longer means espeak is stuck."""


def _voice_list(engine: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    voices = []
    for voice in engine.getProperty("voices"):
        languages = tuple(
            lang.decode("utf-8", "ignore") if isinstance(lang, bytes) else str(lang)
            for lang in (voice.languages or ())
        )
        voices.append((str(voice.id), str(voice.name), languages))
    return voices


def _synthesize(
    engine: Any,
    done: threading.Event,
    default_voice: Any,
    request: tuple[Any, ...],
    waits_for_event: bool = True,
) -> tuple[str, Any]:
    _, text, wav_path, voice_id, rate = request
    target = Path(wav_path)
    target.unlink(missing_ok=True)
    try:
        # pyttsx3 2.99 + espeak silently drops a property set between two runAndWait() calls
        # (measured: rates 170/340/100 all gave the same 4.31 s question); the second,
        # identical call is the one that reaches espeak. tests/tts checks the rate takes effect.
        for _ in range(2):
            engine.setProperty("voice", voice_id if voice_id else default_voice)
            engine.setProperty("rate", int(rate))
    except (ValueError, KeyError) as exc:
        return "error", f"voice {voice_id!r} or rate {rate!r} not accepted: {exc}"
    done.clear()
    engine.save_to_file(text, str(target))  # exactly one command per runAndWait()
    engine.runAndWait()  # returns early with espeak: the event is the real signal
    if waits_for_event and not done.wait(UTTERANCE_TIMEOUT_S):
        return "error", "the speech engine did not finish the question in time"
    # The end-of-utterance event can run ahead of the file (seen once in a manual run: the
    # second question's WAV was missing when the event came): give the file a moment.
    deadline = time.monotonic() + FILE_GRACE_S
    while not _has_audio(target) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not _has_audio(target):
        return "error", "the speech engine produced no audio"
    return "ok", str(target)


def _has_audio(wav: Path) -> bool:
    """More than a bare 44-byte WAV header."""
    return wav.exists() and wav.stat().st_size > 44


def run_worker(requests: Queue[Any], replies: Queue[Any], parent_pid: int) -> None:
    """Entry point of the spawned TTS process."""
    exit_with_parent(parent_pid)
    driver = speech_driver()
    # pyttsx3's espeak driver prints "Audio saved to ..." per file: keep the app's stdout clean.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    try:
        import pyttsx3

        engine = pyttsx3.init(driver.name)
        default_voice = engine.getProperty("voice")
    except (ImportError, OSError, RuntimeError) as exc:  # no pyttsx3 / libespeak-ng / driver
        replies.put(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    done = threading.Event()
    engine.connect("finished-utterance", lambda name=None, completed=True: done.set())
    replies.put(("ready", None))
    while (request := requests.get()) is not None:
        kind = request[0]
        if kind == "voices":
            replies.put(("ok", _voice_list(engine)))
        elif kind == "synth":
            replies.put(_synthesize(engine, done, default_voice, request, driver.waits_for_event))
        else:
            replies.put(("error", f"unknown request {kind!r}"))
