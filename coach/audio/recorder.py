"""Recording one answer from the microphone into a crash-safe take file.

The PortAudio callback runs on a real-time thread: anything slow there (logging, file I/O, Qt,
analysis) makes the input overflow and the take crackle, so it only copies the block into a queue
and stores one peak float. A writer thread drains the queue into a PartialTakeWriter; the GUI
polls :meth:`Recorder.poll` from a timer.

Hands-free listening keeps the microphone open without a take (``start(None)``) and hands every
copied block to a :class:`BlockTap` (a bounded deque: an append in the callback, never a wait), so
a consumer can run voice activity detection. When speech starts, :meth:`Recorder.begin_take`
turns the running stream into a take that begins at a chosen sample already captured (the writer
thread keeps the last `PREROLL_KEEP_S` of audio), so the first syllable is not lost;
:meth:`Recorder.end_take` finishes that take and keeps listening.
"""

from __future__ import annotations

import collections
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

PREROLL_KEEP_S = 3.0
"""Audio kept while listening without a take, so a take begun at the detected start of speech
can reach back to it: onset detection needs ~0.3 s of speech, the tap and the record lane add
a few hundred ms at most under load."""

TAP_KEEP_S = 10.0
"""A consumer that stalls longer than this loses the oldest blocks (counted), never blocks us."""


@dataclass(frozen=True)
class TappedBlock:
    """One captured block: samples, index of its first sample in the stream, monotonic time at
    the callback (≈ when its last sample arrived)."""

    samples: np.ndarray
    first_sample: int
    samplerate: int
    captured_at: float


class BlockTap:
    """Blocks from the PortAudio callback to one consumer thread (or the GUI poll).

    ``deque.append`` with a maxlen is atomic and never waits, so the callback stays cheap; a
    stalled consumer loses the oldest blocks, which :attr:`dropped` counts.
    """

    def __init__(self, keep_blocks: int = 2000) -> None:
        self._blocks: collections.deque[TappedBlock] = collections.deque(maxlen=keep_blocks)
        self._seen = 0
        self._taken = 0

    def put(self, block: TappedBlock) -> None:
        self._blocks.append(block)
        self._seen += 1

    def take(self) -> list[TappedBlock]:
        """Everything captured since the previous call, oldest first."""
        out: list[TappedBlock] = []
        while True:
            try:
                out.append(self._blocks.popleft())
            except IndexError:
                break
        self._taken += len(out)
        return out

    @property
    def dropped(self) -> int:
        return self._seen - self._taken - len(self._blocks)


@dataclass(frozen=True)
class _Switch:
    """Message to the writer thread: from now on write into ``writer`` (None: stop writing),
    starting with the kept audio from ``from_sample`` on."""

    writer: PartialTakeWriter | None
    from_sample: int
    done: threading.Event


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
        self._queue: queue.SimpleQueue[np.ndarray | _Switch | None] = queue.SimpleQueue()
        self.tap: BlockTap | None = None
        """Set before start() to receive every block (hands-free listening)."""
        self._writer: PartialTakeWriter | None = None
        self._writer_thread: threading.Thread | None = None
        self._partial: Path | None = None
        self._lock = threading.Lock()
        self._reset_counters()

    def _reset_counters(self) -> None:
        # Written by the callback thread (plain attribute stores, atomic under the GIL).
        self._frames = 0
        self._take_first_sample = 0
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
            self._take_first_sample = 0
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

    def listen(self) -> BlockTap:
        """Open the microphone without a take and hand every block to a new tap (hands-free
        listening; takes come and go with begin_take/end_take). Call from a worker thread."""
        self.tap = BlockTap()
        self.start(None)
        return self.tap

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
        block = indata.copy()
        self._queue.put(block)
        now = time.monotonic()
        tap = self.tap
        if tap is not None:
            tap.put(TappedBlock(block[:, 0], self._frames, self._samplerate, now))
        peak = float(np.abs(indata).max()) if frames else 0.0
        if peak > self._peak:
            self._peak = peak
        self._frames += frames
        self._last_callback = now
        self._callback_seen = True

    def _on_finished(self) -> None:
        """Called when the stream stops, by us or because the device went away."""
        self._stream_finished = True

    def _drain(self) -> None:
        """Writer thread: queue -> file. After a storage error it keeps draining (and dropping),
        so memory does not grow while the user is told what happened. Without a take it keeps
        the last `PREROLL_KEEP_S` of blocks for :meth:`begin_take`."""
        writer = self._writer
        kept: collections.deque[tuple[int, np.ndarray]] = collections.deque()
        kept_frames = 0
        position = 0  # stream index of the next block's first sample
        keep_limit = int(PREROLL_KEEP_S * (self._samplerate or 1))
        while (item := self._queue.get()) is not None:
            if isinstance(item, _Switch):
                writer = item.writer
                if writer is not None:
                    writer = self._write_kept(writer, kept, item.from_sample)
                kept.clear()
                kept_frames = 0
                item.done.set()
                continue
            block, first = item, position
            position += len(block)
            if writer is None:
                kept.append((first, block))
                kept_frames += len(block)
                while kept and kept_frames - len(kept[0][1]) >= keep_limit:
                    kept_frames -= len(kept.popleft()[1])
                continue
            writer = self._write(writer, block)

    def _write(self, writer: PartialTakeWriter, block: np.ndarray) -> PartialTakeWriter | None:
        try:
            writer.write(block)
        except StorageError as exc:
            self._error = str(exc)
            return None
        return writer

    def _write_kept(
        self,
        writer: PartialTakeWriter,
        kept: collections.deque[tuple[int, np.ndarray]],
        from_sample: int,
    ) -> PartialTakeWriter | None:
        """Writer thread: the pre-roll, i.e. the kept audio from ``from_sample`` on."""
        current: PartialTakeWriter | None = writer
        for first, block in kept:
            if current is not None and first + len(block) > from_sample:
                current = self._write(current, block[max(0, from_sample - first) :])
        return current

    def begin_take(self, partial_raw: Path, from_sample: int | None = None) -> int:
        """Start a take on the running listening stream (``start(None)``), beginning at stream
        sample ``from_sample`` if it is still kept (else the oldest kept; None: now).

        Returns the stream index of the take's first sample as far as it is known (the kept
        audio may not reach back that far). Call from a worker thread: it creates the files.
        """
        with self._lock:
            if not self._running or self._writer is not None:
                raise RuntimeError("begin_take() needs a running stream without a take")
            start = self._frames if from_sample is None else max(0, int(from_sample))
            start = max(start, self._frames - int(PREROLL_KEEP_S * self._samplerate))
            writer = PartialTakeWriter(partial_raw, self._samplerate, 1)
            self._switch(writer, start)
            self._writer, self._partial = writer, partial_raw
            self._take_first_sample = start
            return start

    def end_take(self, final_path: Path | None) -> TakeAudioInfo | None:
        """Finish the current take but keep listening (the tap goes on); None without a take."""
        with self._lock:
            writer, partial = self._writer, self._partial
            if not self._running or writer is None or partial is None:
                return None
            self._switch(None, 0)
            self._writer = None
            self._take_first_sample = 0
            writer.close()
            return finalize_take(partial, final_path or final_path_for(partial))

    def _switch(self, writer: PartialTakeWriter | None, from_sample: int) -> None:
        done = threading.Event()
        self._queue.put(_Switch(writer, from_sample, done))
        if not done.wait(5.0):  # the writer thread only waits on the queue: seconds mean a bug
            raise RuntimeError("the recorder's writer thread did not answer")

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
            elapsed_s=max(0, self._frames - self._take_first_sample) / rate,
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
