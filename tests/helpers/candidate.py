"""A simulated candidate for hands-free tests: a room and a voice in the virtual microphone.

The virtual microphone is the monitor of the virtual speaker, which delivers exact zeros when
nothing plays: no real microphone does that (its own noise is far above the digital floor), and
the app rightly reads it as "no input". `Room` therefore plays a quiet room tone (pink noise at
`ROOM_DBFS`, a quiet living room through a headset) into the speaker for the whole test, and
`Candidate` answers each question with a real speech clip once the interviewer listens.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from coach.core.interview import Phase
from tests.helpers.noise import pink_noise
from tests.helpers.sound import play_into_speaker

ROOM_DBFS = -55.0
ROOM_FILE_S = 30.0
LISTEN_DELAY_S = 1.0
"""The candidate starts this long after think time begins (past the echo gate's 0.6 s tail)."""


class Room:
    """Room tone looped into the virtual speaker until the context ends."""

    def __init__(self, folder: Path, level_dbfs: float = ROOM_DBFS) -> None:
        self.path = folder / "room-tone.wav"
        rate = 16000
        tone = pink_noise(round(ROOM_FILE_S * rate), seed=11) * 10 ** (level_dbfs / 20)
        sf.write(self.path, tone.astype(np.float32), rate, subtype="PCM_16")
        self._stop = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._loop, name="room-tone", daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            proc = play_into_speaker(self.path)
            self._proc = proc
            proc.wait()

    def __enter__(self) -> Room:
        self._thread.start()
        time.sleep(0.3)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._proc is not None:
            self._proc.terminate()
        self._thread.join(timeout=5)
        if self._proc is not None:
            self._proc.wait(timeout=5)


def as_wav16(clip: Path, folder: Path) -> Path:
    """The clip as 16-bit mono WAV: paplay mangles some files (24-bit stereo FLAC)."""
    from tests.helpers.sound import load_16k

    out = folder / f"{clip.stem}.16k.wav"
    if not out.exists():
        sf.write(out, load_16k(clip), 16000, subtype="PCM_16")
    return out


def speech_of(clip: Path) -> np.ndarray:
    """The clip from its first to its last word (whole-take VAD): what a take must hold.
    Leading room tone is not part of the answer and may rightly fall before the take."""
    from coach.analysis.vad import detect_voice_activity
    from tests.helpers.sound import load_16k

    audio = load_16k(clip)
    span = detect_voice_activity(audio).span
    assert span is not None, f"no speech in {clip}"
    return audio[int(span.start_s * 16000) : int(span.end_s * 16000)]


def spoken_by_espeak(text: str, path: Path, voice: str = "en-us", wpm: int = 160) -> Path:
    """A sentence said by espeak-ng into a WAV (a voice command spoken to the interviewer)."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(path), text], check=True)
    return path


class Candidate:
    """Answers question i with ``answers[i]`` (a file), once the interviewer is listening.

    Call :meth:`step` often (every poll); it plays into the virtual microphone without waiting.
    ``answers`` may be shorter than the interview: later questions are answered with the last.
    """

    def __init__(self, practice: Any, answers: list[Path], folder: Path) -> None:
        self.practice = practice
        self.answers = [as_wav16(clip, folder) for clip in answers]
        self.played: list[tuple[int, Path, float]] = []  # (question index, file, started at)
        self._listening_since: float | None = None
        self._answered: set[int] = set()
        self._proc: subprocess.Popen[bytes] | None = None
        self.on_listening: Callable[[int], Path | None] | None = None

    def step(self) -> None:
        interview = self.practice.interview
        hands_free = self.practice.hands_free
        if interview is None or hands_free is None:
            return
        thinking = interview.phase is Phase.THINKING and not hands_free.speaking
        if not thinking:
            self._listening_since = None
            return
        now = time.monotonic()
        if self._listening_since is None:
            self._listening_since = now
        question = interview.index
        if question in self._answered or now - self._listening_since < LISTEN_DELAY_S:
            return
        if self._proc is not None and self._proc.poll() is None:
            return  # still talking
        self._answered.add(question)
        clip = self.answers[min(len(self.played), len(self.answers) - 1)]
        if self.on_listening is not None:
            clip = self.on_listening(question) or clip
        self.played.append((question, clip, now))
        self._proc = play_into_speaker(clip)

    def again(self, question: int) -> None:
        """Answer `question` once more when it is asked again (after a repeat)."""
        self._answered.discard(question)

    def close(self) -> None:
        """Stop talking (a clip still playing is cut) and reap the player."""
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=5)
