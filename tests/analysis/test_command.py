"""`python -m coach analyze` as a user runs it: real subprocess, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.analysis.command import run_analyze

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


def _coach(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "coach", "analyze", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        env=env,
    )


def test_json_for_good_files_and_one_stderr_line_per_bad_file(tmp_path: Path) -> None:
    junk = tmp_path / "notes.wav"
    junk.write_text("not audio")
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    proc = _coach(
        DATA / "vosk_test_digits.wav", junk, DATA / "jfk_whisper.flac", empty, "--json",
        "--engine", "none",
    )  # fmt: skip
    assert proc.returncode == 1
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "notes.wav" in errors[0] and "empty.mp3" in errors[1]
    results = json.loads(proc.stdout)
    assert [Path(r["file"]).name for r in results] == ["vosk_test_digits.wav", "jfk_whisper.flac"]
    digits = results[0]
    assert len(digits["pauses"]) == 2 and digits["engine"] == "none"
    assert digits["words_per_minute"] is None and "words_per_minute" in digits["reasons"]


def test_readable_summary_with_whisper(whisper_model_dir: Path) -> None:
    proc = _coach(DATA / "jfk_whisper.flac", "--engine", "whisper", "--model", whisper_model_dir)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "jfk_whisper.flac" in out and "engine: whisper" in out
    assert "words/min" in out and "country" in out.lower()
    assert "per min" in out  # Whisper keeps um/uh: fillers are counted


def test_readable_summary_shows_no_false_zero_fillers_with_pocketsphinx() -> None:
    proc = _coach(DATA / "jfk_whisper.flac", "--engine", "pocketsphinx")
    assert proc.returncode == 0, proc.stderr
    assert "not counted (the basic recogniser misses um/uh)" in proc.stdout
    assert "0.0 per min" not in proc.stdout


def test_missing_model_is_one_clear_line(tmp_path: Path) -> None:
    proc = _coach(DATA / "vosk_test_digits.wav", "--engine", "whisper", "--model", tmp_path)
    assert proc.returncode == 2
    assert "Whisper" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_usage_errors_return_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_analyze([]) == 2
    assert run_analyze(["x.wav", "--engine", "bogus"]) == 2
    assert "usage" in capsys.readouterr().err
