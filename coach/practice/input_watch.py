""" "I can't hear you": the microphone delivers nothing while the app is listening.

When a headset is unplugged, PulseAudio and PipeWire move the stream to another source; with
none left it lands on a silent fallback (a suspended or null source) and the stream keeps
running with exact zeros, so the recorder sees no lost device, just a level of 0 %. A real
microphone never sits at the digital floor: its own noise is far above it (live_vad's
`DEAD_PEAK_DBFS`). A few seconds of dead frames while listening is therefore "no input", said on
screen and by voice; the turn taking treats those frames as neither speech nor silence, so an
answer the user is still giving is never ended because of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.practice.live_vad import FrameResult

NO_INPUT_AFTER_S = 2.0
"""Two seconds of digital silence: long enough that a stream starting up (the first blocks of
some servers are zeros) or a codec glitch is not reported, short enough to be said while the
user is still in the first sentence of the answer."""
INPUT_BACK_AFTER_S = 0.3
"""Live input for this long clears the state (one stray non-zero block does not)."""


@dataclass(frozen=True)
class InputLost:
    t: float
    message: str = (
        "I can't hear you: the microphone is sending no sound. Check that it is plugged in and "
        "not muted, or choose another one in Settings."
    )
    spoken: str = "Sorry, I can't hear you. Please check your microphone."


@dataclass(frozen=True)
class InputBack:
    t: float


InputEvent = InputLost | InputBack


class InputWatch:
    """Feed it every LiveVad frame while listening; it reports when input stops and returns."""

    def __init__(self, after_s: float = NO_INPUT_AFTER_S) -> None:
        self.after_s = after_s
        self.lost = False
        self._dead_s = 0.0
        self._live_s = 0.0

    def reset(self) -> None:
        """Listening starts again (a new question): a stream that is still dead is re-reported."""
        self.lost = False
        self._dead_s = self._live_s = 0.0

    def frame(self, r: FrameResult) -> list[InputEvent]:
        if r.dead:
            self._dead_s += r.duration_s
            self._live_s = 0.0
            if not self.lost and self._dead_s >= self.after_s - 1e-9:
                self.lost = True
                return [InputLost(r.t)]
            return []
        self._live_s += r.duration_s
        if self._live_s >= INPUT_BACK_AFTER_S - 1e-9:
            self._dead_s = 0.0
            if self.lost:
                self.lost = False
                return [InputBack(r.t)]
        return []

    @property
    def dead_s(self) -> float:
        """How long the input has been at the digital floor."""
        return self._dead_s
