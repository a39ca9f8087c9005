"""A WAV cut short (header promises more than the file holds) is named, not measured as is."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from coach.analysis.pipeline import analyze_file
from coach.analysis.wav_header import find_truncation
from coach.analysis.worker import analyze_path
from coach.errors import TruncatedAudioError

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
CLIP = DATA / "cmu_arctic_us_aew_a0001.wav"  # real read speech, 16 kHz 16-bit, 3.9 s


@pytest.fixture
def cut(tmp_path: Path) -> Path:
    """The real clip with its file cut after 3000 bytes, the header left as it was."""
    path = tmp_path / "cut.wav"
    path.write_bytes(CLIP.read_bytes()[:3000])
    return path


def _coach(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "analyze", *map(str, args)],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip


def test_the_header_and_the_readable_length_are_both_read(cut: Path) -> None:
    info = sf.info(str(CLIP))
    found = find_truncation(cut)
    assert found is not None
    assert found.promised_s == pytest.approx(info.duration, abs=0.001)
    # 3000 bytes minus the 44-byte header, 2 bytes a sample at 16 kHz
    assert found.readable_s == pytest.approx((3000 - 44) / 2 / 16_000, abs=0.001)
    assert find_truncation(CLIP) is None
    assert find_truncation(DATA / "jfk_whisper.flac") is None


def test_a_streaming_header_of_unknown_length_is_not_damage(tmp_path: Path) -> None:
    data = bytearray(CLIP.read_bytes())
    at = data.index(b"data") + 4
    data[at : at + 4] = struct.pack("<I", 0xFFFFFFFF)
    path = tmp_path / "stream.wav"
    path.write_bytes(bytes(data))
    assert find_truncation(path) is None


def test_coach_analyze_names_it_on_one_stderr_line_and_fails(cut: Path) -> None:
    proc = _coach(cut, "--engine", "none", "--json")
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "cut.wav" in lines[0] and "truncated" in lines[0]
    assert "3.88 s" in lines[0] and "0.09 s" in lines[0]
    assert json.loads(proc.stdout) == []


def test_keep_truncated_analyses_the_readable_part_and_says_so(cut: Path) -> None:
    proc = _coach(cut, "--engine", "none", "--json", "--keep-truncated")
    assert proc.returncode == 0
    (result,) = json.loads(proc.stdout)
    assert "truncated" in result["damage"] and result["duration_s"] < 0.1
    assert "truncated" in proc.stderr
    plain = _coach(cut, "--engine", "none", "--keep-truncated")
    assert plain.returncode == 0 and "file cut short" in plain.stdout


def test_the_app_keeps_the_readable_part_with_the_reason(cut: Path) -> None:
    with pytest.raises(TruncatedAudioError):
        analyze_file(cut, None)
    result = analyze_path(str(cut), engine="none")
    assert "0.09 s" in str(result["damage"])
    whole = analyze_path(str(CLIP), engine="none")
    assert whole["damage"] == ""
