"""The child-process side of the language model: the only place a llama_cpp.Llama exists.

llama.cpp holds the GIL-free CPU for seconds per answer and a model takes hundreds of MB, so it
lives in its own spawned process (like the analysis and the speech engine): the window never
waits, and the parent can end it at once. The model is loaded once per process.

Protocol (tuples over multiprocessing queues):
  parent -> child: ("generate", id, messages, schema, max_tokens, budget_s) | None (quit)
  child -> parent: first ("ready", info) or ("init_error", message); then per request
                   ("ok", id, result) or ("error", id, message).
Generation stops early when `cancel` is set or the time budget is spent; the JSON is then
incomplete and the parent falls back to the rules engine.
"""

from __future__ import annotations

import os
import resource
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

from coach.core.parent_watch import exit_with_parent

FALLBACK_CHAT_FORMAT = "chatml"
"""For a GGUF without a chat template (llama-cpp-python would otherwise use Llama-2's format)."""


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _load(model_path: str, n_ctx: int, n_threads: int | None) -> tuple[Any, dict[str, Any]]:
    from llama_cpp import Llama

    started = time.monotonic()
    llm = Llama(model_path=model_path, n_ctx=n_ctx, n_threads=n_threads, verbose=False, seed=0)
    template = llm.metadata.get("tokenizer.chat_template")
    chat_format = "gguf template"
    if not template:
        llm.chat_format = FALLBACK_CHAT_FORMAT
        llm.chat_handler = None
        chat_format = FALLBACK_CHAT_FORMAT
    info = {
        "load_s": time.monotonic() - started,
        "chat_format": chat_format,
        "n_params": _n_params(llm),
        "peak_rss_mb": peak_rss_mb(),
    }
    return llm, info


def _n_params(llm: Any) -> int | None:
    model = getattr(llm, "_model", None)
    count = getattr(model, "n_params", None)
    return int(count()) if callable(count) else None


def _generate(llm: Any, cancel: Event, request: tuple[Any, ...]) -> dict[str, Any]:
    """Stream the constrained completion, stopping between tokens on cancel or the deadline.

    create_chat_completion takes no stopping criteria, so the stream is read token by token and
    simply left: closing the generator ends llama.cpp's decoding loop.
    """
    _, _, messages, schema, max_tokens, budget_s = request
    started = time.monotonic()
    deadline = started + float(budget_s)
    stream = llm.create_chat_completion(
        messages=messages,
        response_format={"type": "json_object", "schema": schema},
        max_tokens=int(max_tokens),
        temperature=0.0,
        stream=True,
    )
    pieces: list[str] = []
    first: float | None = None
    chunks = 0
    stopped: str | None = None
    finish: str | None = None
    try:
        for chunk in stream:
            choice = chunk["choices"][0]
            text = choice.get("delta", {}).get("content")
            if text:
                if first is None:
                    first = time.monotonic()
                pieces.append(text)
                chunks += 1
            finish = choice.get("finish_reason") or finish
            if cancel.is_set():
                stopped = "cancelled"
                break
            if time.monotonic() >= deadline:
                stopped = "time budget"
                break
    finally:
        stream.close()
    ended = time.monotonic()
    in_context = int(getattr(llm, "n_tokens", 0) or 0)
    return {
        "text": "".join(pieces),
        "finish_reason": finish,
        "stopped": stopped,
        "prompt_tokens": max(0, in_context - chunks) or None,
        "completion_tokens": chunks,
        "first_token_s": None if first is None else first - started,
        "total_s": ended - started,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_worker(
    model_path: str,
    n_ctx: int,
    n_threads: int | None,
    requests: Queue[Any],
    replies: Queue[Any],
    cancel: Event,
    parent_pid: int,
) -> None:
    """Entry point of the spawned model process."""
    exit_with_parent(parent_pid)
    os.environ.setdefault("OMP_NUM_THREADS", str(n_threads or os.cpu_count() or 1))
    try:
        llm, info = _load(model_path, n_ctx, n_threads)
    except ImportError:
        replies.put(("init_error", "llama-cpp-python is not installed"))
        return
    except (ValueError, RuntimeError, OSError) as exc:  # llama.cpp rejects the file
        replies.put(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    replies.put(("ready", info))
    while (request := requests.get()) is not None:
        try:
            replies.put(("ok", request[1], _generate(llm, cancel, request)))
        except Exception as exc:  # context overflow, grammar or chat-template errors: reported,
            # and the parent falls back to the rules; the worker and its model stay usable
            replies.put(("error", request[1], f"{type(exc).__name__}: {exc}"))
