"""The language-model engine as the app and the CLI use it: one worker process, one model.

`LlmEngine` starts a spawned worker (coach.content.llm_worker) that loads the GGUF once and
answers requests one at a time. Each request has a time budget: the worker stops generating when
it is spent, and if the worker does not answer within the budget plus `GRACE_S` (a long prompt
is not interruptible) it is killed and the next request starts a new one. `cancel()` may be
called from any thread. Whatever happens, the result is a full `ContentFeedback`: fields the
model did not give validly come from the rules engine and are named in `fallbacks`.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from coach.content import llm_prompt
from coach.content.feedback import ContentFeedback
from coach.content.gguf import check_gguf, llama_available, not_usable
from coach.content.rules import rules_feedback
from coach.content.sentences import split_sentences
from coach.core.parent_watch import end_worker
from coach.errors import LanguageModelError

_SPAWN = multiprocessing.get_context("spawn")
LOAD_TIMEOUT_S = 180.0
GRACE_S = 5.0
CANCEL_GRACE_S = 1.0
"""After cancel(), a worker still reading the prompt (not interruptible) is killed after this."""
_POLL_S = 0.05
FEEDBACK_BUDGET_S = 20.0
"""Issue 13: an answer's feedback is ready before the next answer ends."""
FOLLOW_UP_BUDGET_S = 4.0
"""Issue 13: a follow-up spoken within 4 s after the answer ends."""
FEEDBACK_TOKENS = 480
FOLLOW_UP_TOKENS = 60
N_CTX = 4096


class LlmEngine:
    """One model in one worker process; thread-safe, one request at a time."""

    def __init__(self, model_path: Path, *, n_threads: int | None = None, n_ctx: int = N_CTX):
        self.model_path = check_gguf(Path(model_path))
        self.name = self.model_path.name
        self.n_threads = n_threads
        self.n_ctx = n_ctx
        self.load_info: dict[str, Any] | None = None
        self.last_stats: dict[str, Any] | None = None
        self._cancel = _SPAWN.Event()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._process: Any = None
        self._requests: Queue[Any] | None = None
        self._replies: Queue[Any] | None = None
        self._closed = False

    # ----- worker lifecycle
    @property
    def worker_pid(self) -> int | None:
        p = self._process
        return p.pid if p is not None and p.is_alive() else None

    def start(self) -> dict[str, Any]:
        """Start the worker and load the model (blocking); LanguageModelError if it cannot."""
        with self._lock:
            self._ensure_worker()
        assert self.load_info is not None
        return self.load_info

    def _ensure_worker(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._discard_worker()
        if self._closed:
            raise LanguageModelError("The language model is closed: the app is ending.")
        if not llama_available():
            raise LanguageModelError(
                "llama-cpp-python is not installed, so the language model cannot run; the "
                "feedback uses the rules instead. Run tools/setup.sh to install it."
            )
        from coach.content.llm_worker import run_worker

        requests: Queue[Any] = _SPAWN.Queue()
        replies: Queue[Any] = _SPAWN.Queue()
        args = (str(self.model_path), self.n_ctx, self.n_threads, requests, replies)
        process = _SPAWN.Process(
            target=run_worker,
            args=(*args, self._cancel, os.getpid()),
            name="coach-llm",
            daemon=True,
        )
        process.start()
        self._process, self._requests, self._replies = process, requests, replies
        reply = self._receive(LOAD_TIMEOUT_S)
        if reply is None or reply[0] != "ready":
            self._discard_worker()
            detail = "no answer" if reply is None else str(reply[1])
            raise LanguageModelError(not_usable(self.model_path), detail=detail)
        self.load_info = dict(reply[1])

    def _receive(self, timeout_s: float, *, cancellable: bool = False) -> tuple[Any, ...] | None:
        """One reply, or None when the worker died, the time ran out or a cancel was not
        answered within CANCEL_GRACE_S (the worker is then killed; the next request restarts it).
        """
        process, replies = self._process, self._replies
        if process is None or replies is None:
            return None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                reply: tuple[Any, ...] = replies.get(timeout=_POLL_S)
                return reply
            except (queue.Empty, OSError, ValueError):
                pass
            if not process.is_alive():
                break
            if cancellable and self._cancel.is_set():
                deadline = min(deadline, time.monotonic() + CANCEL_GRACE_S)
                cancellable = False
        self._discard_worker()
        return None

    def _discard_worker(self) -> None:
        process, self._process = self._process, None
        end_worker(process, (self._requests, self._replies))
        self._requests = self._replies = None

    def close(self) -> None:
        """End the worker; later requests raise LanguageModelError."""
        self._closed = True
        self._cancel.set()
        with self._lock:
            process = self._process
            if process is not None and process.is_alive() and self._requests is not None:
                self._requests.put(None)
                process.join(2.0)
            self._discard_worker()

    def cancel(self) -> None:
        """Stop the request in progress (any thread); it returns the rules' feedback."""
        self._cancel.set()

    # ----- requests
    def generate(
        self,
        messages: list[dict[str, str]],
        schema: dict[str, Any],
        max_tokens: int,
        budget_s: float,
    ) -> tuple[dict[str, Any] | None, str | None]:
        """(worker result, None) or (None, why not). Raises LanguageModelError if it cannot load."""
        started = time.monotonic()
        with self._lock:
            if self._closed:  # close() waited for this lock: its cancel must not be cleared
                raise LanguageModelError("The language model is closed: the app is ending.")
            self._cancel.clear()
            self._ensure_worker()
            remaining = max(0.1, budget_s - (time.monotonic() - started))
            request_id = next(self._ids)
            assert self._requests is not None
            self._requests.put(("generate", request_id, messages, schema, max_tokens, remaining))
            while True:
                reply = self._receive(remaining + GRACE_S, cancellable=True)
                if reply is None and self._cancel.is_set():
                    return None, "cancelled"
                if reply is None:
                    return None, f"the model did not answer within {budget_s:.0f} s"
                if reply[1] == request_id:
                    break  # an older request's late reply is dropped
        if reply[0] != "ok":
            return None, f"the model failed: {reply[2]}"
        result: dict[str, Any] = reply[2]
        self.last_stats = result
        if result.get("stopped"):
            return result, str(result["stopped"])
        return result, None

    def feedback(
        self,
        question: str,
        transcript: str,
        words: Sequence[Mapping[str, Any]] = (),
        *,
        budget_s: float = FEEDBACK_BUDGET_S,
        behavioural: bool | None = None,
    ) -> ContentFeedback:
        """The model's feedback, validated field by field, the rules' for what fails."""
        started = time.monotonic()
        sentences = split_sentences(transcript, words)
        rules = rules_feedback(question, transcript, words, behavioural=behavioural,
                               sentences=sentences)  # fmt: skip
        if not sentences:
            return replace(rules, engine="llm", model=self.name)
        messages = llm_prompt.feedback_messages(question, sentences)
        schema = llm_prompt.feedback_schema(len(sentences))
        result, why = self.generate(messages, schema, FEEDBACK_TOKENS, budget_s)
        reply = llm_prompt.parse_json(result["text"]) if result else None
        merged = llm_prompt.merge_reply(reply, rules, transcript, self.name)
        note = None
        if reply is None:
            note = f"The language model gave no usable answer ({why or 'invalid output'})."
        return replace(merged, seconds=time.monotonic() - started, note=note)

    def follow_up(
        self,
        question: str,
        transcript: str,
        words: Sequence[Mapping[str, Any]] = (),
        *,
        budget_s: float = FOLLOW_UP_BUDGET_S,
    ) -> str | None:
        """The model's one follow-up question, or None (the caller keeps its rules' question)."""
        sentences = split_sentences(transcript, words)
        if not sentences:
            return None
        messages = llm_prompt.follow_up_messages(question, sentences)
        result, _ = self.generate(
            messages, llm_prompt.follow_up_schema(), FOLLOW_UP_TOKENS, budget_s
        )
        reply = llm_prompt.parse_json(result["text"]) if result else None
        return llm_prompt.valid_question((reply or {}).get("follow_up"), transcript)
