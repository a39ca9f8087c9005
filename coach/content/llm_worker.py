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
    _, _, messages, schema, max_tokens, budget_s = request
    started = time.monotonic()
    deadline = started + float(budget_s)
    first: list[float] = []
    why: list[str] = []

    def stop(_ids: Any, _logits: Any) -> bool:
        if not first:
            first.append(time.monotonic())
        if cancel.is_set():
            why.append("cancelled")
            return True
        if time.monotonic() >= deadline:
            why.append("time budget")
            return True
        return False

    from llama_cpp import StoppingCriteriaList

    out = llm.create_chat_completion(
        messages=messages,
        response_format={"type": "json_object", "schema": schema},
        max_tokens=int(max_tokens),
        temperature=0.0,
        stopping_criteria=StoppingCriteriaList([stop]),
    )
    ended = time.monotonic()
    usage = out.get("usage", {})
    return {
        "text": out["choices"][0]["message"].get("content") or "",
        "finish_reason": out["choices"][0].get("finish_reason"),
        "stopped": why[0] if why else None,
        "prompt_tokens": usage.get("prompt_tokens"),
        "completion_tokens": usage.get("completion_tokens"),
        "first_token_s": (first[0] - started) if first else None,
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
