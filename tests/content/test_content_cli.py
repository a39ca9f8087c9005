"""`python -m coach feedback` as a user runs it: a real subprocess, real files, real models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"engine", "model", "answered_question", "parts", "result_has_number", "blame",
        "absolutes", "strengths", "improvements", "outline", "follow_up"}  # fmt: skip
ANSWER = (
    "When I was at my previous job, releases took two days. My task was to make them faster. "
    "I automated the build. As a result, we cut the release time by eighty percent."
)
QUESTION = "Tell me about a time you improved a process."


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "coach", "feedback", *args],
        capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT,
    )  # fmt: skip


def quotes(d: dict) -> list[str]:
    out = [q for qs in d["parts"].values() for q in qs] + d["blame"] + d["absolutes"]
    return out + [p["quote"] for p in d["strengths"] + d["improvements"] if p["quote"]]


def one_plain_line(stderr: str, name: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert name in lines[0] and "Traceback" not in stderr


def test_rules_json_has_the_issue_keys_and_verbatim_quotes(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER + "\n")
    done = run("--question", QUESTION, "--transcript", str(answer), "--json")
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)
    assert set(d) >= KEYS
    assert d["engine"] == "rules" and d["model"] is None and d["answered_question"] is None
    assert d["result_has_number"] is True and d["follow_up"].endswith("?")
    assert all(q in ANSWER for q in quotes(d)) and quotes(d)


def test_the_readable_output_names_the_engine(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    done = run("--question", QUESTION, "--transcript", str(answer))
    assert done.returncode == 0 and done.stdout.startswith("engine: rules")
    assert "follow-up: " in done.stdout


@pytest.mark.parametrize("content", [None, "", "  \n"])
def test_a_missing_or_empty_transcript_is_one_plain_line(
    tmp_path: Path, content: str | None
) -> None:
    answer = tmp_path / "answer.txt"
    if content is not None:
        answer.write_text(content)
    done = run("--question", QUESTION, "--transcript", str(answer), "--json")
    assert done.returncode == 1 and done.stdout == ""
    one_plain_line(done.stderr, str(answer))


def test_a_file_that_is_not_a_gguf_is_one_plain_line(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    model = tmp_path / "notes.gguf"
    model.write_text("this is not a model")
    done = run("--question", QUESTION, "--transcript", str(answer), "--json", "--engine", "llm",
               "--model", str(model))  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    one_plain_line(done.stderr, str(model))


def test_an_analysis_json_works_as_the_transcript(tmp_path: Path) -> None:
    analysis = tmp_path / "analysis.json"
    words = [{"text": w, "start_s": i * 0.4, "end_s": i * 0.4 + 0.3}
             for i, w in enumerate(ANSWER.split())]  # fmt: skip
    analysis.write_text(json.dumps([{"file": "a.wav", "transcript": ANSWER, "words": words}]))
    done = run("--question", QUESTION, "--transcript", str(analysis), "--json")
    d = json.loads(done.stdout)
    assert d["sentences"][0]["start_s"] == 0.0 and d["sentences"][-1]["end_s"] is not None


@pytest.mark.slow
def test_audio_is_analysed_first(tmp_path: Path) -> None:
    clip = ROOT / "tests" / "data" / "jfk_whisper.flac"
    done = run("--question", "What did he ask?", "--audio", str(clip), "--json", timeout=300)
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)
    assert d["measured"] is True and d["sentences"]
    text = " ".join(s["text"] for s in d["sentences"])
    assert all(q in text for q in quotes(d))


@pytest.mark.slow
def test_the_llm_engine_runs_a_real_model(tmp_path: Path, smollm2: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    done = run("--question", QUESTION, "--transcript", str(answer), "--json", "--model",
               str(smollm2), "--budget", "30", timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)
    assert set(d) >= KEYS and d["engine"] == "llm" and d["model"] == smollm2.name
    assert d["answered_question"] in {"yes", "partly", "no", None}
    assert all(q in ANSWER for q in quotes(d))
    assert d["follow_up"].endswith("?") and d["follow_up"].count("?") == 1
