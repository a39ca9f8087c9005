"""Drives the hands-free listening pipeline for real: Recorder tap -> Listener -> take files.

What the controller will do, without Qt: poll the tap every `POLL_S`, begin the take at the
detected onset (with the pre-roll) and end it when the machine says the answer is over. The
latency benchmark uses it too.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.audio.recorder import BlockTap, Recorder
from coach.core.takefile import TakeAudioInfo
from coach.practice.input_watch import InputLost
from coach.practice.turn_taking import PREROLL_MARGIN_S, AnswerEnded, Listener, SpeechStarted

POLL_S = 0.05  # the interview view's timer


@dataclass
class Session:
    """What happened, in monotonic time."""

    events: list[tuple[float, Any]] = field(default_factory=list)
    take: TakeAudioInfo | None = None
    started_at: float | None = None
    ended_at: float | None = None
    take_first_sample: int | None = None
    onset_sample: int | None = None
    listener: Listener | None = None
    blocks: list[tuple[int, int, float]] = field(default_factory=list)
    """(first sample, length, callback time) of every block: stream samples -> wall time."""
    samplerate: int = 0

    def wall_time(self, sample: int) -> float:
        """When the callback delivered stream sample ``sample`` (input buffering not included)."""
        for first, n, at in self.blocks:
            if first <= sample < first + n:
                return at - (first + n - sample) / self.samplerate
        raise ValueError(f"sample {sample} was not captured")


def listen_for_one_answer(
    takes: Path,
    *,
    end_silence_s: float = 4.0,
    timeout_s: float = 60.0,
    during: Callable[[float, Listener], None] | None = None,
    stop_when: Callable[[Session], bool] | None = None,
) -> Session:
    """Open the microphone, wait for speech, record the answer until the machine ends it.

    ``during(elapsed, listener)`` is called every poll (to play sound, flag playback …);
    ``stop_when`` ends the loop early."""
    recorder = Recorder()
    recorder.tap = BlockTap()
    listener = Listener(end_silence_s)
    out = Session(listener=listener)
    recorder.start(None)
    began = time.monotonic()
    listener.turn.listen(began)
    try:
        while time.monotonic() - began < timeout_s:
            time.sleep(POLL_S)
            if during is not None:
                during(time.monotonic() - began, listener)
            blocks = recorder.tap.take()
            out.samplerate = recorder.samplerate
            out.blocks += [(b.first_sample, len(b.samples), b.captured_at) for b in blocks]
            for event in listener.process(blocks):
                now = time.monotonic()
                out.events.append((now, event))
                if isinstance(event, SpeechStarted):
                    margin = round(PREROLL_MARGIN_S * recorder.samplerate)
                    out.started_at, out.onset_sample = now, event.sample
                    out.take_first_sample = recorder.begin_take(
                        takes / "q01-take1.partial.raw", event.sample - margin
                    )
                elif isinstance(event, AnswerEnded):
                    out.ended_at = now
                    out.take = recorder.end_take(takes / "q01-take1.flac")
                    return out
            if stop_when is not None and stop_when(out):
                return out
        return out
    finally:
        recorder.stop(None)


def play(path: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Play a file into the virtual speaker (looped into the virtual microphone)."""
    return subprocess.Popen(["paplay", str(path)], env=env)


def lost(session: Session) -> bool:
    return any(isinstance(e, InputLost) for _, e in session.events)
