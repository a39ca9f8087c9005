"""Crash-safe take files: raw PCM appended while recording, FLAC once the take is over.

While a take is being recorded it lives as ``<stem>.partial.raw`` (int16 little-endian interleaved
PCM) next to a sidecar ``<stem>.partial.json`` that is written first and says how to read it. Raw
PCM needs no header to be updated, so every byte flushed before a crash (or a SIGKILL, or a power
cut after the OS wrote it out) is recoverable by :func:`recover_partial_takes` on the next start.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from coach.errors import StorageError
from coach.storage import (
    PARTIAL_SUFFIX,
    atomic_path,
    sidecar_path,
    storage_error,
    write_text_atomic,
)
from coach.storage import final_path as final_path_for

_log = logging.getLogger(__name__)

SAMPLE_FORMAT = "s16le"
_BYTES_PER_SAMPLE = 2
_INT16_SCALE = 32768.0  # the same convention libsndfile uses to read PCM_16 as float

FLOOR_DBFS = -120.0
"""Levels are clamped here so a digital-silence take gets a finite number, not -inf."""

SILENCE_FRAME_S = 0.05
SILENCE_THRESHOLD_DBFS = -50.0
"""A take is silent when no 50 ms frame has an RMS above -50 dBFS. Speech at a normal interview
voice sits around -30 to -12 dBFS (feedback-science.md §5), and even a quiet, badly placed
microphone (~-40 dBFS, the vosk digits clip) stays well above -50 dBFS, while the noise floor of a
muted or unplugged input is far below it. 50 ms is the frame the same notes use for RMS levels."""

_CHUNK_FRAMES_PER_SILENCE_FRAME = 400  # read/convert ~20 s at a time: bounded memory


@dataclass(frozen=True)
class TakeAudioInfo:
    """Facts about a finished take that the review screen and the analysis need first."""

    path: Path
    duration_s: float
    samplerate: int
    channels: int
    peak_dbfs: float
    rms_dbfs: float
    is_silent: bool


def _storage_error(exc: OSError, path: Path) -> StorageError:
    return storage_error(exc, "save the recording", path)


def partial_sidecar(partial_raw: Path) -> Path:
    """The JSON sidecar that belongs to ``<stem>.partial.raw``."""
    return sidecar_path(partial_raw)


class PartialTakeWriter:
    """Appends float blocks to the raw file as int16, flushing each block to the OS.

    An unbuffered write per block is what survives a killed process; fsync happens on close,
    because syncing every ~100 ms block would stall the writer thread on slow disks.
    """

    def __init__(self, partial_raw: Path, samplerate: int, channels: int) -> None:
        self.path = partial_raw
        self.samplerate = int(samplerate)
        self.channels = int(channels)
        self.frames_written = 0
        sidecar = partial_sidecar(partial_raw)
        meta = {"samplerate": self.samplerate, "channels": self.channels, "format": SAMPLE_FORMAT}
        try:
            partial_raw.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(sidecar, json.dumps(meta))
            # Unbuffered: each block goes to the OS at once, so a killed process loses nothing
            # already written, and a failed write does not leave a buffer to fail again on close.
            self._file = open(partial_raw, "ab", buffering=0)  # noqa: SIM115 - open for the take
        except OSError as exc:
            raise _storage_error(exc, partial_raw) from exc

    def write(self, block: np.ndarray) -> None:
        """Append one (frames, channels) float block in [-1, 1]; values outside are clipped."""
        data = np.asarray(block, dtype=np.float32)
        if data.ndim == 1:
            data = data[:, np.newaxis]
        if data.shape[1] != self.channels:
            raise ValueError(f"block has {data.shape[1]} channels, expected {self.channels}")
        pcm = np.clip(np.rint(data * _INT16_SCALE), -32768, 32767).astype("<i2")
        payload = memoryview(pcm.tobytes())
        try:
            while payload:  # unbuffered file: a short write is possible, keep going
                written = self._file.write(payload)
                payload = payload[written or 0 :]
        except OSError as exc:
            raise _storage_error(exc, self.path) from exc
        self.frames_written += data.shape[0]

    def close(self) -> None:
        if self._file.closed:
            return
        try:
            os.fsync(self._file.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):
                self._file.close()
            if exc.errno != errno.EINVAL:  # EINVAL: this file cannot be synced (not an error)
                raise _storage_error(exc, self.path) from exc
        self._file.close()


class _LevelMeter:
    """Accumulates peak, RMS and the per-50 ms silence test over chunks of a take."""

    def __init__(self, samplerate: int) -> None:
        self.frame_len = max(1, round(samplerate * SILENCE_FRAME_S))
        self.peak = 0.0
        self.sum_squares = 0.0
        self.samples = 0
        self.loudest_frame_ms = 0.0  # mean square of the loudest 50 ms frame
        self._carry = np.zeros(0, dtype=np.float64)

    def add(self, chunk: np.ndarray) -> None:
        """``chunk`` is (frames, channels) float in [-1, 1]; channels are pooled."""
        if chunk.size == 0:
            return
        squares = np.square(chunk.astype(np.float64)).mean(axis=1)
        self.peak = max(self.peak, float(np.abs(chunk).max()))
        self.sum_squares += float(squares.sum())
        self.samples += squares.shape[0]
        squares = np.concatenate([self._carry, squares])
        whole = (squares.shape[0] // self.frame_len) * self.frame_len
        if whole:
            frames = squares[:whole].reshape(-1, self.frame_len).mean(axis=1)
            self.loudest_frame_ms = max(self.loudest_frame_ms, float(frames.max()))
        self._carry = squares[whole:]

    def finish(self) -> tuple[float, float, bool]:
        """(peak dBFS, RMS dBFS, silent) with the trailing partial frame counted too."""
        if self._carry.size:
            self.loudest_frame_ms = max(self.loudest_frame_ms, float(self._carry.mean()))
        rms = math.sqrt(self.sum_squares / self.samples) if self.samples else 0.0
        silent = _to_dbfs(math.sqrt(self.loudest_frame_ms)) <= SILENCE_THRESHOLD_DBFS
        return _to_dbfs(self.peak), _to_dbfs(rms), silent


def _to_dbfs(amplitude: float) -> float:
    if amplitude <= 0.0:
        return FLOOR_DBFS
    return max(FLOOR_DBFS, 20.0 * math.log10(amplitude))


def _read_sidecar(partial_raw: Path) -> tuple[int, int]:
    sidecar = partial_sidecar(partial_raw)
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        samplerate, channels = int(meta["samplerate"]), int(meta["channels"])
        fmt = meta.get("format", SAMPLE_FORMAT)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorageError(
            "Could not recover an unfinished recording: "
            "its description file is missing or damaged.",
            detail=f"{sidecar}: {exc}",
        ) from exc
    if fmt != SAMPLE_FORMAT or samplerate <= 0 or channels <= 0:
        raise StorageError(
            "Could not recover an unfinished recording: unknown format.",
            detail=f"{sidecar}: {meta}",
        )
    return samplerate, channels


def _raw_chunks(partial_raw: Path, channels: int, chunk_frames: int) -> Iterator[np.ndarray]:
    """Yield int16 (frames, channels) chunks; a last frame cut by a kill mid-write is dropped."""
    frame_bytes = _BYTES_PER_SAMPLE * channels
    usable = (partial_raw.stat().st_size // frame_bytes) * frame_bytes
    remaining = usable
    with open(partial_raw, "rb") as raw:
        while remaining > 0:
            data = raw.read(min(remaining, chunk_frames * frame_bytes))
            if not data:
                break
            remaining -= len(data)
            yield np.frombuffer(data, dtype="<i2").reshape(-1, channels)


def finalize_take(partial_raw: Path, final_path: Path) -> TakeAudioInfo:
    """Convert a partial take to FLAC at ``final_path`` and remove the partial files.

    The FLAC is written under a temporary name and moved into place with ``os.replace``, so a crash
    here leaves either the partial files or the complete FLAC, never a half file under the final
    name. An empty (0-byte) partial becomes a valid, practically empty take of one zero sample
    (duration 1/samplerate, ``is_silent`` True): takes are kept and marked, never dropped.
    """
    samplerate, channels = _read_sidecar(partial_raw)
    meter = _LevelMeter(samplerate)
    chunk_frames = meter.frame_len * _CHUNK_FRAMES_PER_SILENCE_FRAME
    frames = 0
    try:
        final_path.parent.mkdir(parents=True, exist_ok=True)
        with (
            atomic_path(final_path) as tmp,
            sf.SoundFile(
                tmp, "w", samplerate=samplerate, channels=channels, format="FLAC", subtype="PCM_16"
            ) as out,
        ):
            for pcm in _raw_chunks(partial_raw, channels, chunk_frames):
                out.write(pcm)  # int16 in, int16 stored: lossless
                meter.add(pcm.astype(np.float32) / _INT16_SCALE)
                frames += pcm.shape[0]
            if frames == 0:
                # libsndfile writes a 0-byte, unreadable file for an empty FLAC: one zero frame
                # is the smallest take that every reader (ours, sox, players) opens.
                out.write(np.zeros((1, channels), dtype=np.int16))
                frames = 1
    except (OSError, sf.LibsndfileError) as exc:
        if isinstance(exc, OSError):
            raise _storage_error(exc, final_path) from exc
        raise StorageError("Could not save the recording.", detail=f"{final_path}: {exc}") from exc
    for leftover in (partial_raw, partial_sidecar(partial_raw)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    peak, rms, silent = meter.finish()
    return TakeAudioInfo(final_path, frames / samplerate, samplerate, channels, peak, rms, silent)


def partial_duration_s(partial_raw: Path) -> float:
    """Seconds of audio in an unfinished take (what a full disk or a crash left)."""
    samplerate, channels = _read_sidecar(partial_raw)
    try:
        size = partial_raw.stat().st_size
    except OSError as exc:
        raise _storage_error(exc, partial_raw) from exc
    return size // (_BYTES_PER_SAMPLE * channels) / samplerate


ROOM_FOR_SESSION_FILE = 64 * 1024
"""Bytes given back from the end of a take the disk filled up under (about 0.7 s at 48 kHz
mono), so session.json can still record the take as cut short."""


def make_room(partial_raw: Path, nbytes: int = ROOM_FOR_SESSION_FILE) -> None:
    """Shorten an unfinished take by `nbytes` (whole frames) to free space on a full disk."""
    try:
        _samplerate, channels = _read_sidecar(partial_raw)
        frame = _BYTES_PER_SAMPLE * channels
        size = partial_raw.stat().st_size
        os.truncate(partial_raw, max(0, (size - nbytes) // frame * frame))
    except (OSError, StorageError) as exc:
        _log.warning("Could not shorten %s to free space: %s", partial_raw, exc)


def read_partial(partial_raw: Path) -> tuple[np.ndarray, int]:
    """(float32 (frames, channels) samples, samplerate) of an unfinished take, for replay
    before it could be finalised (for example while the disk is still full)."""
    samplerate, channels = _read_sidecar(partial_raw)
    try:
        chunks = list(_raw_chunks(partial_raw, channels, 1 << 16))
    except OSError as exc:
        raise _storage_error(exc, partial_raw) from exc
    pcm = np.concatenate(chunks) if chunks else np.zeros((1, channels), dtype=np.int16)
    return pcm.astype(np.float32) / _INT16_SCALE, samplerate


def recover_partial_takes(folder: Path) -> list[TakeAudioInfo]:
    """Finalize every ``*.partial.raw`` a crash left in ``folder``: ``x.partial.raw`` -> ``x.flac``.

    The sidecar is written (atomically) before the raw file exists, so a raw file without a
    readable sidecar was tampered with: it cannot be decoded, is logged and left untouched for a
    manual rescue, and does not stop the other takes from being recovered. Storage failures while
    writing the FLAC still raise StorageError.
    """
    recovered: list[TakeAudioInfo] = []
    for partial in sorted(folder.glob("*" + PARTIAL_SUFFIX)):
        try:
            _read_sidecar(partial)
        except StorageError as exc:
            _log.warning("Unfinished recording left as it is: %s", exc)
            continue
        recovered.append(finalize_take(partial, final_path_for(partial)))
    return recovered


def read_take_info(path: Path) -> TakeAudioInfo:
    """Measure a finished take file (FLAC/WAV) the same way :func:`finalize_take` does."""
    try:
        with sf.SoundFile(path) as audio:
            samplerate, channels = audio.samplerate, audio.channels
            meter = _LevelMeter(samplerate)
            chunk_frames = meter.frame_len * _CHUNK_FRAMES_PER_SILENCE_FRAME
            frames = 0
            for chunk in audio.blocks(blocksize=chunk_frames, dtype="float32", always_2d=True):
                meter.add(chunk)
                frames += chunk.shape[0]
    except (OSError, sf.LibsndfileError) as exc:
        raise StorageError("Could not read the recording.", detail=f"{path}: {exc}") from exc
    peak, rms, silent = meter.finish()
    return TakeAudioInfo(path, frames / samplerate, samplerate, channels, peak, rms, silent)
