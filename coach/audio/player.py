"""Playing answers and spoken questions through PortAudio.

The clip lives in memory and the output callback copies the next slice from it, so pause, stop
and seek only move an index or set a flag: they take effect at the next callback (milliseconds),
unlike ``sd.play``/``sd.stop`` juggling or a blocking ``stream.write``, which cannot be interrupted
safely (platform.md §7: closing a stream while another thread writes to it aborts the process).
"""

from __future__ import annotations

import contextlib
import threading
from math import gcd
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from coach.audio.devices import AudioDevice, import_sounddevice, resolve_output
from coach.core.takefile import read_partial
from coach.errors import DeviceError, StorageError
from coach.storage import PARTIAL_SUFFIX

# A freshly opened output stream can drop or garble its first blocks (underrun recovery in
# the ALSA-PulseAudio bridge was seen to eat ~0.4 s): start every play with a little silence.
LEAD_IN_S = 0.3
# PortAudio's "high" latency is only ~35 ms through ALSA-PulseAudio: any longer pause of the
# Python callback (the GIL is busy elsewhere in the app) underruns, and the bridge's recovery
# throws away the queued audio. Half a second of buffer rides that out; stop and pause still
# act at once because they abort the stream, and position_s() subtracts what is queued.
OUTPUT_LATENCY_S = 0.5


def _resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Polyphase resampling to the device's own rate (avoids 'Invalid sample rate' errors)."""
    if rate_in == rate_out or samples.shape[0] == 0:
        return samples
    from scipy.signal import resample_poly

    g = gcd(rate_in, rate_out)
    out = resample_poly(samples, rate_out // g, rate_in // g, axis=0)
    return np.ascontiguousarray(np.clip(out, -1.0, 1.0), dtype=np.float32)


class Player:
    """Plays one clip at a time through an OutputStream whose callback copies slices from an
    in-memory array, so pause/stop/seek take effect at once. play() may block opening the stream
    (~2 s on an idle null sink): call it from a worker thread; position_s()/is_playing() are cheap
    for a GUI timer."""

    def __init__(self, device_name: str | None = None) -> None:
        self.device_name = device_name
        self._lock = threading.Lock()  # guards _pos/_playing against the callback
        self._control = threading.Lock()  # serialises play/close, which open and close streams
        self._source = np.zeros((0, 1), dtype=np.float32)
        self._source_rate = 1
        self._data = self._source  # what the stream plays, at self._rate
        self._rate = 1
        self._pos = 0  # next frame of _data to hand to PortAudio
        self._playing = False
        self._stream: Any = None
        self._sd: Any = None  # the sounddevice module, imported lazily by play()
        self._done = threading.Event()
        self._done.set()
        self._latency_s = 0.0  # time from handing a frame to PortAudio until it is heard
        self._lead_in = 0  # frames of silence still to play before the clip

    # ----- loading
    def load(self, path: Path) -> float:
        """Read a WAV/FLAC/OGG file (or an unfinished take's raw file) into memory; returns its
        duration in seconds."""
        if path.name.endswith(PARTIAL_SUFFIX):  # a take cut short, e.g. by a full disk
            samples, rate = read_partial(path)
            self.load_array(samples, rate)
            return self.duration_s()
        try:
            samples, rate = sf.read(str(path), dtype="float32", always_2d=True)
        except (OSError, sf.LibsndfileError) as exc:
            raise StorageError(
                "Could not open the recording for playback.", detail=f"{path}: {exc}"
            ) from exc
        self.load_array(samples, int(rate))
        return self.duration_s()

    def load_array(self, samples: np.ndarray, samplerate: int) -> None:
        """Use an in-memory clip, (frames,) or (frames, channels) float in [-1, 1]."""
        data = np.asarray(samples, dtype=np.float32)
        if data.ndim == 1:
            data = data[:, np.newaxis]
        self.stop()
        with self._lock:
            self._source = np.ascontiguousarray(data)
            self._source_rate = int(samplerate)
            self._data = self._source
            self._rate = self._source_rate
            self._pos = 0

    # ----- transport
    def play(self, start_s: float | None = None) -> None:
        """Start or resume playing (from ``start_s`` if given). Raises DeviceError."""
        with self._control:
            self._close_stream()
            sd = self._sd = import_sounddevice()
            device = resolve_output(self.device_name)
            self._prepare_for(device)
            channels = min(self._data.shape[1], max(1, device.max_output_channels))
            with self._lock:
                if start_s is not None:
                    self._pos = self._frame_at(start_s)
                if self._pos >= self._data.shape[0]:
                    self._pos = 0  # "play" at the end means "play again"
                self._playing = True
            self._lead_in = int(LEAD_IN_S * self._rate)
            self._done.clear()
            try:
                stream = sd.OutputStream(
                    device=device.index,
                    samplerate=self._rate,
                    channels=channels,
                    dtype="float32",
                    latency=OUTPUT_LATENCY_S,
                    callback=self._on_block,
                    finished_callback=self._on_finished,
                )
                stream.start()
            except (sd.PortAudioError, ValueError) as exc:
                with self._lock:
                    self._playing = False
                self._done.set()
                raise DeviceError(
                    f"Could not play sound on “{device.name}”. It may be in use or unplugged; "
                    "choose another output in Settings.",
                    detail=str(exc),
                ) from exc
            self._stream = stream
            # The stream's own figure: the ALSA-PulseAudio bridge reports no usable DAC times.
            self._latency_s = float(stream.latency)

    def _prepare_for(self, device: AudioDevice) -> None:
        """Resample the clip once to the device's native rate, keeping the playing position."""
        rate = round(device.default_samplerate)
        if rate == self._rate:
            return
        with self._lock:
            seconds = self._pos / self._rate
            self._data = _resample(self._source, self._source_rate, rate)
            self._rate = rate
            self._pos = min(self._data.shape[0], round(seconds * rate))

    def _frame_at(self, seconds: float) -> int:
        return int(min(max(0.0, seconds), self._data.shape[0] / self._rate) * self._rate)

    def _on_block(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio thread: copy the next slice (or silence) and advance."""
        with self._lock:
            if not self._playing:
                outdata.fill(0)
                raise self._sd.CallbackAbort
            lead = min(self._lead_in, frames)  # silence first: start-up glitches eat no speech
            self._lead_in -= lead
            outdata[:lead] = 0
            chunk = self._data[self._pos : self._pos + frames - lead, : outdata.shape[1]]
            n = chunk.shape[0]
            outdata[lead : lead + n] = chunk
            outdata[lead + n :] = 0
            self._pos += n
            if self._pos >= self._data.shape[0]:
                self._playing = False
                raise self._sd.CallbackStop  # plays out what is buffered, then finishes

    def _on_finished(self) -> None:
        with self._lock:
            self._playing = False
        self._done.set()

    def pause(self) -> None:
        """Stop sound now and keep the position (the callback aborts the stream).

        Audio still queued in the device is discarded, so resume from what was heard.
        """
        with self._lock:
            if self._playing:
                self._pos = max(0, self._pos - int(self._latency_s * self._rate))
            self._playing = False
        self._done.set()

    def stop(self) -> None:
        """Stop sound now and rewind to the start."""
        with self._lock:
            self._playing = False
            self._pos = 0
        self._done.set()

    def seek(self, seconds: float) -> None:
        """Jump to ``seconds``; playing continues from there, a paused clip stays paused."""
        with self._lock:
            self._pos = self._frame_at(seconds)

    # ----- status
    def position_s(self) -> float:
        """What is being heard now: frames handed out minus what waits in the device."""
        behind = self._latency_s if self._playing else 0.0
        return max(0.0, self._pos / self._rate - behind)

    def duration_s(self) -> float:
        return self._source.shape[0] / self._source_rate

    def is_playing(self) -> bool:
        return self._playing

    def wait_done(self, timeout_s: float) -> bool:
        """Block until playback ends, is paused or stopped; False on timeout."""
        return self._done.wait(timeout_s)

    def close(self) -> None:
        """Stop and release the output device."""
        self.stop()
        with self._control:
            self._close_stream()

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        sd = import_sounddevice()
        with contextlib.suppress(sd.PortAudioError):
            stream.abort()  # discards queued buffers: stopping takes effect now
        with contextlib.suppress(sd.PortAudioError):
            stream.close()
