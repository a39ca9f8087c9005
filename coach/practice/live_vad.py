"""Voice activity on the live microphone, frame by frame, for hands-free turn taking.

The same two tests as the whole-take detector (coach.analysis.vad), made causal: webrtcvad on a
level-normalised copy of each frame, AND an energy gate at least `SNR_GATE_DB` above the noise
floor and no more than `SILENCE_BELOW_PEAK_DB` below the loudest recent speech. Floor and peak
are percentiles of the last `HISTORY_S` of frame levels (the whole-take detector's 10 s window),
so they follow the room as it is now. Any block size and sample rate goes in; a stateful
low-pass + interpolation brings it to 16 kHz without clicks at block edges, and a high-pass at
`HIGH_PASS_HZ` removes rumble and DC that carry no speech but move the level. Levels are always
measured over the last 30 ms (the whole-take detector's frame), whatever the frame size: 10 ms
levels of a steady room noise wander past the floor + 6 dB gate.

Frames at the digital floor (every sample below `DEAD_PEAK_DBFS`) are marked ``dead``: that is
not silence in a room but no input at all (a muted or vanished microphone moved to a silent
fallback), and turn taking must not read it as the end of an answer (input_watch.py).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.signal import butter, sosfilt, sosfilt_zi

from coach.analysis.vad import (
    ABSOLUTE_FLOOR_DBFS,
    MAX_GAIN_DB,
    NOISE_PERCENTILE,
    PEAK_WINDOW_S,
    SILENCE_BELOW_PEAK_DB,
    SNR_GATE_DB,
    TARGET_LEVEL_DBFS,
    VAD_AGGRESSIVENESS,
)

VAD_RATE = 16000
FRAME_SIZES_MS = (10, 20, 30)  # what webrtcvad accepts
HISTORY_S = PEAK_WINDOW_S
MIN_HISTORY_S = 1.0
"""Below this much history the peak bound is not applied (one loud frame is no reference)."""
DEAD_PEAK_DBFS = -80.0
"""A frame whose every sample is below -80 dBFS is no input: a 16-bit converter's own noise and
any analogue microphone sit above it (one LSB is -90 dBFS; a quiet room through a real preamp
is around -60 dBFS), while a silent fallback source delivers exact zeros."""
LEVEL_WINDOW = 480  # 30 ms at 16 kHz
HIGH_PASS_HZ = 80.0
"""Below the lowest voice fundamental (~85 Hz for low male voices); telephone speech starts at
300 Hz, so nothing a VAD needs is lost."""
LEVEL_UPDATE_FRAMES = 10
"""Floor, peak and gain are recomputed every 10 frames (0.1-0.3 s): percentiles are the cost."""


@dataclass(frozen=True)
class FrameResult:
    """One analysed frame. ``t`` is when it ended (the feeder's clock), ``sample`` the index of
    its first sample in the input stream (at the input's own rate), for a take's pre-roll."""

    t: float
    sample: int
    duration_s: float
    level_db: float
    speech: bool
    dead: bool


class _Resampler:
    """Stateful rate conversion to 16 kHz: 8th-order low-pass below 7.2 kHz, then linear
    interpolation at the output instants, carried across blocks."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.step = rate / VAD_RATE
        self._sos: Any = None
        self._zi: Any = None
        if rate != VAD_RATE:
            self._sos = butter(8, 7200, fs=rate, output="sos")
            self._zi = sosfilt_zi(self._sos) * 0.0
        self._pos = 0.0  # next output instant, in input samples relative to the block start
        self._last = 0.0  # last filtered sample of the previous block (index -1)

    def __call__(self, block: np.ndarray) -> np.ndarray:
        x = np.asarray(block, dtype=np.float64)
        if self._sos is None:
            return x
        y, self._zi = sosfilt(self._sos, x, zi=self._zi)
        ext = np.concatenate(([self._last], y))  # ext[i + 1] is y[i]
        n = len(y)
        count = int(np.floor((n - 1 - self._pos) / self.step)) + 1 if n - 1 >= self._pos else 0
        where = self._pos + self.step * np.arange(count)
        out = np.interp(where + 1.0, np.arange(n + 1), ext)
        self._pos = self._pos + self.step * count - n
        self._last = float(y[-1]) if n else self._last
        return out


class LiveVad:
    """Feed it the blocks of one input stream in order; it returns one result per frame."""

    def __init__(
        self,
        samplerate: int,
        frame_ms: int = 30,
        aggressiveness: int = VAD_AGGRESSIVENESS,
    ) -> None:
        if frame_ms not in FRAME_SIZES_MS:
            raise ValueError(f"webrtcvad needs 10, 20 or 30 ms frames, not {frame_ms}")
        import webrtcvad

        self.samplerate = int(samplerate)
        self.frame_s = frame_ms / 1000
        self.frame_len = VAD_RATE * frame_ms // 1000
        self._vad = webrtcvad.Vad(aggressiveness)
        self._resample = _Resampler(self.samplerate)
        self._hp = butter(2, HIGH_PASS_HZ, btype="highpass", fs=VAD_RATE, output="sos")
        self._hp_zi = sosfilt_zi(self._hp) * 0.0
        self._recent = np.zeros(LEVEL_WINDOW)  # the last 30 ms, for the level
        self._pending = np.zeros(0)
        self._frames_done = 0  # 16 kHz frames emitted so far
        self._history: collections.deque[float] = collections.deque(
            maxlen=round(HISTORY_S / self.frame_s)
        )
        self._since_update = LEVEL_UPDATE_FRAMES
        self._floor_db = ABSOLUTE_FLOOR_DBFS
        self._peak_db: float | None = None
        self._gain = 1.0
        self.stream_start: int | None = None
        self.last_audio = np.zeros(0)
        """The 16 kHz audio of the frames the last feed() returned (for a command spotter)."""

    @property
    def noise_floor_db(self) -> float:
        return self._floor_db

    def feed(
        self, block: np.ndarray, t_end: float, first_sample: int | None = None
    ) -> list[FrameResult]:
        """Analyse one block that ended at ``t_end``; ``first_sample`` is its stream index
        (the tap's), needed only to map frames back to the stream for a pre-roll."""
        if self.stream_start is None:
            self.stream_start = first_sample or 0
        raw = np.asarray(block, dtype=np.float64).reshape(-1)
        resampled = self._resample(raw) if len(raw) else np.zeros(0)
        filtered = resampled  # a block of a few samples may give none at 16 kHz
        if len(resampled):
            filtered, self._hp_zi = sosfilt(self._hp, resampled, zi=self._hp_zi)
        x = np.concatenate((self._pending, filtered))
        n = len(x) // self.frame_len
        self._pending = x[n * self.frame_len :]
        self.last_audio = x[: n * self.frame_len]
        results = []
        block_s = len(raw) / self.samplerate
        for i in range(n):
            frame = x[i * self.frame_len : (i + 1) * self.frame_len]
            # When this frame ended, relative to the end of the block (pending audio is later).
            after_s = (len(x) - (i + 1) * self.frame_len) / VAD_RATE
            results.append(self._frame(frame, t_end - min(after_s, block_s)))
        return results

    def _frame(self, frame: np.ndarray, t: float) -> FrameResult:
        peak = float(np.max(np.abs(frame))) if len(frame) else 0.0
        dead = peak < 10 ** (DEAD_PEAK_DBFS / 20)
        self._recent = np.concatenate((self._recent, frame))[-LEVEL_WINDOW:]
        rms = float(np.sqrt(np.mean(self._recent**2)))
        level = 20.0 * float(np.log10(max(rms, 1e-10)))
        start = (self.stream_start or 0) + round(
            self._frames_done * self.frame_len * self.samplerate / VAD_RATE
        )
        self._frames_done += 1
        speech = False
        if not dead:
            self._history.append(level)
            self._update_levels()
            if level > self._gate_db():
                pcm = np.clip(frame * self._gain, -1.0, 1.0) * 32767
                speech = self._vad.is_speech(pcm.astype("<i2").tobytes(), VAD_RATE)
        return FrameResult(t, start, self.frame_s, level, bool(speech), dead)

    def _gate_db(self) -> float:
        gate = max(ABSOLUTE_FLOOR_DBFS, self._floor_db + SNR_GATE_DB)
        if self._peak_db is not None:
            gate = max(gate, self._peak_db - SILENCE_BELOW_PEAK_DB)
        return gate

    def _update_levels(self) -> None:
        self._since_update += 1
        if self._since_update < LEVEL_UPDATE_FRAMES:
            return
        self._since_update = 0
        levels = np.fromiter(self._history, dtype=float)
        self._floor_db = float(np.percentile(levels, NOISE_PERCENTILE))
        enough = len(levels) * self.frame_s >= MIN_HISTORY_S
        self._peak_db = float(np.percentile(levels, 99)) if enough else None
        loud = levels[levels > ABSOLUTE_FLOOR_DBFS]
        ref = float(np.percentile(loud, 95)) if loud.size else TARGET_LEVEL_DBFS
        self._gain = 10 ** (float(np.clip(TARGET_LEVEL_DBFS - ref, -MAX_GAIN_DB, MAX_GAIN_DB)) / 20)
