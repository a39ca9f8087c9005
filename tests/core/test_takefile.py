"""Crash-safe take files, with real files, a real killed writer process and a real full device."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach.core.takefile import (
    PartialTakeWriter,
    finalize_take,
    partial_sidecar,
    read_take_info,
    recover_partial_takes,
)
from coach.errors import StorageError

DATA = Path(__file__).resolve().parents[1] / "data"
SPEECH = DATA / "librispeech_2412-153948-0000.flac"
RATE = 48000


def _sine(seconds: float, amplitude: float, rate: int = RATE, freq: float = 300.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)[:, np.newaxis]


def _write_partial(path: Path, blocks: list[np.ndarray], rate: int = RATE) -> None:
    writer = PartialTakeWriter(path, rate, blocks[0].shape[1])
    for block in blocks:
        writer.write(block)
    writer.close()


def test_round_trip_keeps_samples_and_measures_levels(tmp_path: Path) -> None:
    signal_ = _sine(2.0, 0.5)
    partial = tmp_path / "q1.partial.raw"
    _write_partial(partial, list(np.array_split(signal_, 17)))
    assert json.loads(partial_sidecar(partial).read_text()) == {
        "samplerate": RATE,
        "channels": 1,
        "format": "s16le",
    }

    info = finalize_take(partial, tmp_path / "q1.flac")

    assert not partial.exists() and not partial_sidecar(partial).exists()
    back, rate = sf.read(tmp_path / "q1.flac", dtype="float32", always_2d=True)
    assert rate == RATE and back.shape == signal_.shape
    assert np.max(np.abs(back - signal_)) <= 0.5 / 32768 + 1e-9  # int16 rounding only
    assert info.duration_s == pytest.approx(2.0)
    assert (info.samplerate, info.channels) == (RATE, 1)
    assert info.peak_dbfs == pytest.approx(20 * math.log10(0.5), abs=0.01)
    assert info.rms_dbfs == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.01)
    assert not info.is_silent
    assert read_take_info(tmp_path / "q1.flac") == info


def test_stereo_blocks_are_interleaved(tmp_path: Path) -> None:
    left, right = _sine(0.5, 0.25), _sine(0.5, -0.5)
    partial = tmp_path / "s.partial.raw"
    _write_partial(partial, [np.hstack([left, right])])
    info = finalize_take(partial, tmp_path / "s.flac")
    back, _ = sf.read(tmp_path / "s.flac", dtype="float32", always_2d=True)
    assert info.channels == 2
    assert np.allclose(back[:, 0], left[:, 0], atol=1e-4)
    assert np.allclose(back[:, 1], right[:, 0], atol=1e-4)


_KILLED_WRITER = """
import sys, time
from pathlib import Path
import numpy as np
from coach.core.takefile import PartialTakeWriter
writer = PartialTakeWriter(Path(sys.argv[1]), 16000, 1)
block = (0.3 * np.sin(np.arange(1600) / 5.0)).astype(np.float32)[:, None]
written = 0
while True:
    writer.write(block)
    written += block.shape[0]
    print(written, flush=True)
    time.sleep(0.02)
"""


def test_take_of_a_killed_writer_is_recovered(tmp_path: Path) -> None:
    partial = tmp_path / "answer-3.partial.raw"
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(partial)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    reported = 0
    deadline = time.monotonic() + 60
    while reported < 2 * 16000 and time.monotonic() < deadline:
        reported = int(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    child.stdout.close()
    assert reported >= 2 * 16000

    infos = recover_partial_takes(tmp_path)

    assert [i.path for i in infos] == [tmp_path / "answer-3.flac"]
    written_s = reported / 16000
    assert written_s <= infos[0].duration_s < written_s + 1.0
    assert not infos[0].is_silent
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer-3.flac"]


def test_truncated_last_frame_is_dropped(tmp_path: Path) -> None:
    partial = tmp_path / "cut.partial.raw"
    partial_sidecar(partial).write_text(
        json.dumps({"samplerate": 8000, "channels": 2, "format": "s16le"})
    )
    pcm = np.full((1000, 2), 1000, dtype="<i2").tobytes()
    partial.write_bytes(pcm + b"\x01\x02\x03")  # killed 3 bytes into the next stereo frame

    (info,) = recover_partial_takes(tmp_path)

    assert sf.info(str(info.path)).frames == 1000
    assert info.duration_s == pytest.approx(1000 / 8000)


def test_pure_silence_is_kept_and_marked(tmp_path: Path) -> None:
    partial = tmp_path / "quiet.partial.raw"
    _write_partial(partial, [np.zeros((RATE * 3, 1), dtype=np.float32)])
    info = finalize_take(partial, tmp_path / "quiet.flac")
    assert info.path.exists()
    assert info.is_silent
    assert info.peak_dbfs == info.rms_dbfs == -120.0


def test_room_noise_is_silent_but_a_short_quiet_word_is_not(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    noise = (rng.standard_normal((RATE * 4, 1)) * 10 ** (-65 / 20)).astype(np.float32)
    _write_partial(tmp_path / "noise.partial.raw", [noise])
    assert finalize_take(tmp_path / "noise.partial.raw", tmp_path / "noise.flac").is_silent

    # Real speech scaled so its RMS is -40 dBFS (a quiet microphone), 0.3 s of it in 5 s of noise.
    speech, rate = sf.read(SPEECH, dtype="float32")
    word = speech[rate : rate + rate * 3 // 10]
    word = word * (10 ** (-40 / 20) / np.sqrt(np.mean(word**2)))
    take = (rng.standard_normal(rate * 5) * 10 ** (-65 / 20)).astype(np.float32)
    take[rate * 2 : rate * 2 + word.shape[0]] += word
    _write_partial(tmp_path / "word.partial.raw", [take[:, np.newaxis]], rate=rate)
    assert not finalize_take(tmp_path / "word.partial.raw", tmp_path / "word.flac").is_silent


def test_empty_partial_becomes_a_valid_silent_take(tmp_path: Path) -> None:
    partial = tmp_path / "empty.partial.raw"
    PartialTakeWriter(partial, RATE, 1).close()
    info = finalize_take(partial, tmp_path / "empty.flac")
    assert info.is_silent
    assert info.duration_s < 0.001
    assert read_take_info(info.path).duration_s == info.duration_s


def test_disk_full_raises_storage_error_and_keeps_the_sidecar(tmp_path: Path) -> None:
    partial = tmp_path / "full.partial.raw"
    partial.symlink_to("/dev/full")  # every write fails with ENOSPC, like a full disk
    writer = PartialTakeWriter(partial, RATE, 1)
    with pytest.raises(StorageError, match="disk is full"):
        writer.write(_sine(0.1, 0.5))
    writer.close()
    assert partial_sidecar(partial).exists()


def test_unwritable_places_raise_storage_error_and_keep_the_recording(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(StorageError):
        PartialTakeWriter(not_a_folder / "a.partial.raw", RATE, 1)

    partial = tmp_path / "b.partial.raw"
    _write_partial(partial, [_sine(0.5, 0.5)])
    with pytest.raises(StorageError, match="Could not save the recording"):
        finalize_take(partial, not_a_folder / "b.flac")
    assert partial.stat().st_size == RATE // 2 * 2  # nothing recorded was thrown away
    assert finalize_take(partial, tmp_path / "b.flac").duration_s == pytest.approx(0.5)


def test_partial_without_readable_sidecar_is_left_alone_and_others_recovered(
    tmp_path: Path,
) -> None:
    orphan = tmp_path / "a-orphan.partial.raw"
    orphan.write_bytes(os.urandom(64))
    with pytest.raises(StorageError, match="unfinished recording"):
        finalize_take(orphan, tmp_path / "a-orphan.flac")
    _write_partial(tmp_path / "b-good.partial.raw", [_sine(0.5, 0.5)])

    infos = recover_partial_takes(tmp_path)

    assert [i.path.name for i in infos] == ["b-good.flac"]
    assert orphan.stat().st_size == 64


def test_read_take_info_on_a_non_audio_file_raises_storage_error(tmp_path: Path) -> None:
    bogus = tmp_path / "x.flac"
    bogus.write_text("not audio")
    with pytest.raises(StorageError):
        read_take_info(bogus)
