"""Text-to-speech for the interviewer's questions, as WAV files the GUI plays with Player.

The pyttsx3 engine lives in a spawned child process (coach.tts.worker): a stuck or crashed engine is
killed and respawned instead of freezing the app, and synthesising to a file (rather than speaking)
lets the GUI stop a question instantly by stopping the Player.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from coach.core.parent_watch import end_worker
from coach.errors import TtsError
from coach.storage import atomic_path
from coach.tts.platform_driver import speech_driver

STARTUP_TIMEOUT_S = 20.0
"""Spawning Python and loading pyttsx3 takes ~0.5 s; allow for a busy machine."""
log = logging.getLogger(__name__)
_POLL_S = 0.05
_SPAWN = multiprocessing.get_context("spawn")


class _WorkerDied(TtsError):
    """The worker process ended without answering."""


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


class TtsService:
    """pyttsx3 engine owned by ONE child process ('spawn' context), created inside that process,
    one save_to_file per runAndWait, waiting for 'finished-utterance'. Synthesises text to a WAV
    file cached by sha256 of (voice, rate, text). A worker that misses its timeout is terminated and
    respawned on the next request. Not thread-safe: use it from one worker thread at a time."""

    def __init__(self, cache_dir: Path, timeout_s: float = 20.0) -> None:
        self.cache_dir = cache_dir
        self.timeout_s = timeout_s
        self._process: BaseProcess | None = None
        self._requests: Queue[Any] | None = None
        self._replies: Queue[Any] | None = None
        self._unavailable: str | None = None  # why the engine cannot start; sticky
        self._closed = False  # after close(), a request in flight ends with TtsError
        self._request_lock = threading.RLock()
        self.round_trips = 0  # requests answered by the worker (cache hits do not count)

    # ----- worker lifecycle
    @property
    def worker_pid(self) -> int | None:
        """PID of the live worker process, None when none is running."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def _ensure_worker(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._discard_worker()
        if self._closed:
            raise TtsError(_CLOSED)
        if self._unavailable is not None:
            raise TtsError(_NO_ENGINE, detail=self._unavailable)
        from coach.tts.worker import run_worker

        requests: Queue[Any] = _SPAWN.Queue()
        replies: Queue[Any] = _SPAWN.Queue()
        process = _SPAWN.Process(
            target=run_worker, args=(requests, replies, os.getpid()), name="coach-tts", daemon=True
        )
        process.start()
        self._process, self._requests, self._replies = process, requests, replies
        kind, payload = self._receive(STARTUP_TIMEOUT_S)
        if kind != "ready":
            self._discard_worker()
            self._unavailable = str(payload)
            raise TtsError(_NO_ENGINE, detail=self._unavailable)

    def _receive(self, timeout_s: float) -> tuple[str, Any]:
        """Wait for one reply, noticing quickly if the worker died instead of answering."""
        process, replies = self._process, self._replies  # close() may drop them meanwhile
        if process is None or replies is None:
            raise TtsError(_CLOSED)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                reply: tuple[str, Any] = replies.get(timeout=_POLL_S)
                return reply
            except (queue.Empty, OSError, ValueError):  # closed queues raise the latter two
                pass
            if not process.is_alive():
                code = process.exitcode
                self._discard_worker()
                raise _WorkerDied(_ENGINE_CRASHED, detail=f"worker exit code {code}")
            if time.monotonic() > deadline:
                self._discard_worker()
                raise TtsError(_ENGINE_TIMEOUT, detail=f"no answer within {timeout_s:.0f} s")

    def _request(self, message: tuple[Any, ...]) -> Any:
        """Send one request; a worker that died before answering (killed, crashed while idle)
        is replaced and the request sent once more. A timeout is not retried."""
        with self._request_lock:  # one conversation with the worker at a time, whatever thread
            return self._request_unlocked(message)

    def _request_unlocked(self, message: tuple[Any, ...]) -> Any:
        payload: Any = None
        for attempt in range(2):
            self._ensure_worker()
            requests = self._requests
            if requests is None:  # closed between the two lines
                raise TtsError(_CLOSED)
            requests.put(message)
            try:
                kind, payload = self._receive(self.timeout_s)
            except _WorkerDied:
                if attempt == 1:
                    raise
                continue
            self.round_trips += 1
            if kind == "ok":
                return payload
            if message[0] != "synth" or attempt == 1:
                break
            # A failed question once, then a fresh engine: pyttsx3's espeak driver can be left
            # in a state where no later file is written.
            log.warning("speech failed (%s); retrying with a new speech engine", payload)
            self._discard_worker()
        raise TtsError("The question could not be spoken.", detail=str(payload))

    def _discard_worker(self) -> None:
        """Kill the worker (if any) and drop its queues: a killed process can leave them locked."""
        process, self._process = self._process, None
        end_worker(process, (self._requests, self._replies))
        self._requests = self._replies = None

    # ----- public API
    def available(self) -> bool:
        """Whether speech works here; starts the worker. False (not an exception) with no engine."""
        try:
            self._ensure_worker()
        except TtsError:
            return False
        return True

    def voices(self) -> list[Voice]:
        """Installed voices; TtsError if there is no engine."""
        return [Voice(i, n, tuple(langs)) for i, n, langs in self._request(("voices",))]

    def cache_path(self, text: str, voice_id: str | None = None, rate: int = 170) -> Path:
        """Where the WAV for this (voice, rate, text) is cached."""
        key = json.dumps([voice_id, int(rate), text], ensure_ascii=False).encode("utf-8")
        return self.cache_dir / f"tts-{hashlib.sha256(key).hexdigest()}.wav"

    def synthesize(self, text: str, voice_id: str | None = None, rate: int = 170) -> Path:
        """Speak ``text`` into a cached WAV and return its path (blocking: use a worker thread)."""
        if not text.strip():
            raise TtsError("There is no question text to speak.")
        target = self.cache_path(text, voice_id, rate)
        if target.is_file() and target.stat().st_size > 44:
            return target
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TtsError(_NO_CACHE, detail=f"{self.cache_dir}: {exc}") from exc
        try:  # a half-written WAV never appears under the cache name
            with atomic_path(target) as tmp:
                self._request(("synth", text, str(tmp), voice_id, int(rate)))
        except OSError as exc:
            raise TtsError(_NO_CACHE, detail=f"{target}: {exc}") from exc
        return target

    def close(self) -> None:
        """Ask the worker to quit, killing it if it does not; later requests raise TtsError."""
        self._closed = True
        process = self._process
        if process is not None and process.is_alive() and self._requests is not None:
            self._requests.put(None)
            process.join(2.0)
        self._discard_worker()


_CLOSED = "Speech is off: the app is closing."
_NO_ENGINE = (
    f"Text-to-speech is not available: {speech_driver().install_hint}. "
    "Questions will be shown as text."
)
_ENGINE_CRASHED = (
    "The speech engine stopped unexpectedly; it will be restarted for the next question."
)
_ENGINE_TIMEOUT = (
    "The speech engine did not answer in time; it will be restarted for the next question."
)
_NO_CACHE = (
    "Could not store the spoken question: the cache folder is not writable or the disk is full."
)
