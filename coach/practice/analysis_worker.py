"""The speech analysis of each take, in one long-lived worker process, saved next to the take.

A separate process because the speech models hold the GIL for seconds and use hundreds of MB
(see coach.analysis.worker for why it is spawned, not forked).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import AnalysisError
from coach.storage import analysis_path, write_json_atomic

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Analyzer = Callable[[Path], dict[str, Any]]


class ProcessAnalyzer:
    """Analyses takes in one long-lived worker process (see coach.analysis.worker for why)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self.engine = os.environ.get("COACH_ASR_ENGINE", "auto")
        self.model = os.environ.get("COACH_WHISPER_MODEL") or None

    def __call__(self, audio: Path) -> dict[str, Any]:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        from multiprocessing import get_context

        from coach.analysis.worker import analyze_path
        from coach.core.parent_watch import exit_with_parent

        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=get_context("spawn"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
        try:
            return self._pool.submit(analyze_path, str(audio), self.engine, self.model).result()
        except BrokenProcessPool as exc:
            self._pool = None
            raise AnalysisError(
                "The speech analysis stopped unexpectedly; it will be retried for the next answer.",
                detail=str(exc),
            ) from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def analyse_and_save(analyzer: Analyzer, audio: Path) -> tuple[str, dict[str, Any]]:
    """Analyse `audio` and save the result atomically beside it; (file name, result)."""
    result = analyzer(audio)
    out = analysis_path(audio)
    write_json_atomic(out, result)
    return out.name, result
