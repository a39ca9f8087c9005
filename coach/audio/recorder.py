"""Recording one answer from the microphone into a crash-safe take file.

The PortAudio callback runs on a real-time thread: anything slow there (logging, file I/O, Qt,
analysis) makes the input overflow and the take crackle, so it only copies the block into a queue
and stores one peak float. A writer thread drains the queue into a PartialTakeWriter; the GUI
polls :meth:`Recorder.poll` from a timer.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coach.audio.devices import import_sounddevice, resolve_input
from coach.core.takefile import (
    PartialTakeWriter,
    TakeAudioInfo,
    finalize_take,
    partial_sidecar,
)
from coach.errors import DeviceError, StorageError
from coach.storage import final_path as final_path_for

CALLBACK_GAP_LOST_S = 1.0
"""Callbacks come every few tens of ms; a running stream silent for a second has lost its device."""
FIRST_CALLBACK_GRACE_S = 3.0
"""Some servers (an idle PulseAudio null sink) deliver the first block only after ~2 s."""

_DEVICE_LOST = (
    "The microphone stopped delivering sound (was it unplugged?). The take so far is kept."
)

# A quarter second of input buffer: the callback may wait that long for the GIL without an
# overflow (PortAudio's "high" latency is ~35 ms here); the level meter lags by as much.
INPUT_LATENCY_S = 0.25


@dataclass(frozen=True)
class RecorderStatus:
    recording: bool
    elapsed_s: float
    peak: float
    overflows: int
    device_lost: bool
    error: str | None


class Recorder:
    """One take at a time. The PortAudio callback ONLY copies the block into a queue and stores a
    peak float; a writer thread drains the queue into a PartialTakeWriter. Opened at the device's
    native default_samplerate, mono, float32, latency='high'."""

    def __init__(self, device_name: str | None = None) -> None:
        self.device_name = device_name
        self._samplerate = 0
        self._stream: Any = None
        self._queue: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self._writer: PartialTakeWriter | None = None
        self._writer_thread: threading.Thread | None = None
        self._partial: Path | None = None
        self._lock = threading.Lock()
        self._reset_counters()

    def _reset_counters(self) -> None:
        # Written by the callback thread (plain attribute stores, atomic under the GIL).
        self._frames = 0
        self._peak = 0.0
        self._overflows = 0
        self._last_callback = 0.0
        self._callback_seen = False
        self._stream_finished = False
        # Written by control and writer threads.
        self._running = False
        self._stopping = False
        self._started_at = 0.0
        self._error: str | None = None

    @property
    def samplerate(self) -> int:
        """Rate of the current (or last) take; 0 before the first start()."""
        return self._samplerate

    def start(self, partial_raw: Path | None) -> None:
        """Open the microphone; with a path, also record into it (None = level meter only).

        Blocks up to ~2 s on some sound servers, so call it from a worker thread.
        """
        with self._lock:
            if self._running:
                raise RuntimeError("Recorder.start() called while a take is running")
            sd = import_sounddevice()
            device = resolve_input(self.device_name)
            self._reset_counters()
            self._samplerate = round(device.default_samplerate)
            self._queue = queue.SimpleQueue()
            self._partial = partial_raw
            self._writer = (
                PartialTakeWriter(partial_raw, self._samplerate, 1) if partial_raw else None
            )
            try:
                stream = sd.InputStream(
                    device=device.index,
                    samplerate=self._samplerate,
                    channels=1,
                    dtype="float32",
                    latency=INPUT_LATENCY_S,
                    callback=self._on_block,
                    finished_callback=self._on_finished,
                )
                stream.start()
            except (sd.PortAudioError, ValueError) as exc:
                self._discard_writer()
                raise DeviceError(
                    f"Could not open the microphone “{device.name}”. It may be in use by another "
                    "program or unplugged; choose another one in Settings.",
                    detail=str(exc),
                ) from exc
            self._stream = stream
            self._started_at = time.monotonic()
            self._running = True
            self._writer_thread = threading.Thread(
                target=self._drain, name="recorder-writer", daemon=True
            )
            self._writer_thread.start()

    def _discard_writer(self) -> None:
        """The microphone never opened: remove the empty partial so no phantom take is recovered."""
        if self._writer is not None and self._partial is not None:
            self._writer.close()
            for leftover in (self._partial, partial_sidecar(self._partial)):
                leftover.unlink(missing_ok=True)
        self._writer = None

    def _on_block(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio thread: copy, count, store a peak. Nothing else."""
        if status.input_overflow:
            self._overflows += 1
        self._queue.put(indata.copy())
        peak = float(np.abs(indata).max()) if frames else 0.0
        if peak > self._peak:
            self._peak = peak
        self._frames += frames
        self._last_callback = time.monotonic()
        self._callback_seen = True

    def _on_finished(self) -> None:
        """Called when the stream stops, by us or because the device went away."""
        self._stream_finished = True

    def _drain(self) -> None:
        """Writer thread: queue -> file. After a storage error it keeps draining (and dropping),
        so memory does not grow while the user is told what happened."""
        writer = self._writer
        while (block := self._queue.get()) is not None:
            if writer is None:
                continue
            try:
                writer.write(block)
            except StorageError as exc:
                self._error = str(exc)
                writer = None

    def _device_lost(self) -> bool:
        if not self._running or self._stopping:
            return False
        if self._stream_finished:
            return True
        now = time.monotonic()
        if self._callback_seen:
            return now - self._last_callback > CALLBACK_GAP_LOST_S
        return now - self._started_at > FIRST_CALLBACK_GRACE_S

    def poll(self) -> RecorderStatus:
        """Cheap snapshot for a GUI timer; the peak is the loudest block since the last poll."""
        peak, self._peak = self._peak, 0.0
        lost = self._device_lost()
        error = self._error or (_DEVICE_LOST if lost else None)
        rate = self._samplerate or 1
        return RecorderStatus(
            recording=self._running and self._writer is not None,
            elapsed_s=self._frames / rate,
            peak=min(1.0, peak),
            overflows=self._overflows,
            device_lost=lost,
            error=error,
        )

    def stop(self, final_path: Path | None) -> TakeAudioInfo | None:
        """Stop the microphone and finish the take; returns None in monitor mode.

        The stream is stopped and closed first (no more callbacks), then the writer drains the queue
        and the partial file becomes FLAC. Works after the device was lost: what was recorded is
        kept. With ``final_path`` None a recorded take is still finalized, next to the partial file.
        """
        with self._lock:
            if not self._running:
                return None
            self._stopping = True
            lost = self._stream_finished
            sd = import_sounddevice()
            stream, self._stream = self._stream, None
            try:
                if not lost:
                    stream.stop()
            except sd.PortAudioError:
                pass  # the device vanished between the check and stop(): nothing more to read
            finally:
                with contextlib.suppress(sd.PortAudioError):
                    stream.close()
                self._queue.put(None)
                if self._writer_thread is not None:
                    self._writer_thread.join()
                self._writer_thread = None
                self._running = False
            writer, self._writer = self._writer, None
            partial = self._partial
            if writer is None or partial is None:
                return None
            writer.close()
            if final_path is None:
                final_path = final_path_for(partial)
            return finalize_take(partial, final_path)
