"""The language-model engine with real llama.cpp and the real fixture models from PyPI.

The models are far too small to review answers: these tests check the mechanics only — the
output always has the full shape, every quote is verbatim, the follow-up is one question (the
model's or the rules'), budgets and cancel hold, bad output and bad files fall back plainly,
the model is loaded once, and the worker ends with its parent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.content_eval import load_answers
from coach.content.llm_engine import CANCEL_GRACE_S, GRACE_S, LlmEngine
from coach.content.llm_prompt import FEEDBACK_FIELDS
from coach.errors import LanguageModelError

pytest.importorskip("llama_cpp", reason="llama-cpp-python is installed by tools/setup.sh --test")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"engine", "model", "answered_question", "parts", "result_has_number", "blame",
        "absolutes", "strengths", "improvements", "outline", "follow_up"}  # fmt: skip


@pytest.fixture(scope="module", params=["gemma", "smollm2"])
def engine(request: pytest.FixtureRequest) -> Iterator[LlmEngine]:
    llm = LlmEngine(request.getfixturevalue(request.param))
    llm.start()
    yield llm
    llm.close()


def quotes(d: dict) -> list[str]:
    out = [q for qs in d["parts"].values() for q in qs] + d["blame"] + d["absolutes"]
    return out + [p["quote"] for p in d["strengths"] + d["improvements"] if p["quote"]]


def test_feedback_always_has_the_full_shape_and_verbatim_quotes(engine: LlmEngine) -> None:
    pid = engine.worker_pid
    for a in load_answers()[:1]:  # slow here (about 10 tokens/s on a busy 2-core machine)
        fb = engine.feedback(a["question"], a["transcript"], budget_s=180)
        d = fb.to_dict()
        assert set(d) >= KEYS and d["engine"] == "llm" and d["model"] == engine.name
        assert d["answered_question"] in {"yes", "partly", "no", None}
        assert all(q in a["transcript"] for q in quotes(d))
        assert set(fb.fallbacks) <= set(FEEDBACK_FIELDS)
        follow_up = d["follow_up"]
        assert isinstance(follow_up, str) and follow_up.endswith("?") and follow_up.count("?") == 1
        assert 3 <= len(d["outline"]) <= 4
        json.dumps(d)
    assert engine.worker_pid == pid  # the model is loaded once per worker


def test_the_time_budget_is_respected_and_cut_output_falls_back(engine: LlmEngine) -> None:
    a = load_answers()[0]
    started = time.monotonic()
    fb = engine.feedback(a["question"], a["transcript"], budget_s=0.3)
    assert time.monotonic() - started < 0.3 + GRACE_S
    assert fb.note is not None and "time budget" in fb.note  # JSON cut off: not usable
    assert set(fb.fallbacks) == set(FEEDBACK_FIELDS)
    assert fb.follow_up and fb.follow_up.endswith("?")


def test_cancel_stops_a_request_from_another_thread(engine: LlmEngine) -> None:
    a = load_answers()[1]
    timer = threading.Timer(0.5, engine.cancel)
    started = time.monotonic()
    timer.start()
    fb = engine.feedback(a["question"], a["transcript"], budget_s=120)
    elapsed = time.monotonic() - started
    timer.join()
    assert elapsed < 0.5 + CANCEL_GRACE_S + 1.0  # + the kill of a worker still reading
    assert fb.note is not None and "cancelled" in fb.note
    after = engine.feedback(a["question"], a["transcript"], budget_s=60)  # usable again
    assert after.note is None or "cancelled" not in after.note


def test_follow_up_is_one_question_or_none(engine: LlmEngine) -> None:
    a = load_answers()[0]
    started = time.monotonic()
    question = engine.follow_up(a["question"], a["transcript"], budget_s=10)
    # a worker still reading the prompt at the deadline is ended after GRACE_S (+ its reaping)
    assert time.monotonic() - started < 10 + GRACE_S + 2.0
    assert question is None or (question.endswith("?") and question.count("?") == 1)
    assert engine.follow_up(a["question"], "   ") is None


def test_an_empty_answer_is_not_measured_without_asking_the_model(engine: LlmEngine) -> None:
    d = engine.feedback("Tell me about yourself.", "").to_dict()
    assert d["measured"] is False and d["strengths"] == [] and d["result_has_number"] is None


def test_a_file_that_is_not_a_model_gives_a_plain_error_naming_it(tmp_path: Path) -> None:
    text = tmp_path / "notes.gguf"
    text.write_text("not a model")
    with pytest.raises(LanguageModelError) as caught:
        LlmEngine(text)
    assert str(text) in caught.value.message
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + os.urandom(4096))  # the right magic, garbage after it
    llm = LlmEngine(broken)
    with pytest.raises(LanguageModelError) as caught:
        llm.start()
    assert str(broken) in caught.value.message
    assert llm.worker_pid is None
    missing = tmp_path / "missing.gguf"
    with pytest.raises(LanguageModelError, match="does not exist"):
        LlmEngine(missing)


def test_the_worker_ends_when_the_app_is_killed(smollm2: Path, tmp_path: Path) -> None:
    script = tmp_path / "app.py"
    script.write_text(
        "import time\n"
        "from pathlib import Path\n"
        "from coach.content.llm_engine import LlmEngine\n"
        "if __name__ == '__main__':\n"
        f"    llm = LlmEngine(Path({str(smollm2)!r}))\n"
        "    llm.start()\n"
        "    print(llm.worker_pid, flush=True)\n"
        "    time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env
    ) as app:
        try:
            assert app.stdout is not None
            worker = int(app.stdout.readline())
            os.kill(worker, 0)  # alive
            app.kill()
            app.wait(10)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _alive(worker):
                time.sleep(0.1)
            assert not _alive(worker)
        finally:
            if app.poll() is None:
                app.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
