"""How the interview runs slow work without knowing about Qt.

`Executor` is the one method the practice package needs: run `fn` on a named lane (one lane
per resource: microphone, speaker, disk, analysis) and call `on_done`/`on_error` back on the
owner's thread, never inside `submit`. coach.ui.tasks.TaskRunner satisfies it for the window;
`ThreadLanes` does for tests and command-line drivers, delivering callbacks when the owner
calls `pump`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from coach.errors import CoachError

Done = Callable[[Any], None]
Failed = Callable[[CoachError], None]


class Executor(Protocol):
    def submit(
        self,
        fn: Callable[[], Any],
        *,
        lane: str,
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> Any: ...


class ThreadLanes:
    """One worker thread per lane; results are queued until the owner thread calls `pump`."""

    def __init__(self) -> None:
        self._lanes: dict[str, ThreadPoolExecutor] = {}
        self._results: queue.Queue[Callable[[], None]] = queue.Queue()
        self._pending = 0
        self._lock = threading.Lock()
        self.errors: list[CoachError] = []  # CoachErrors that had no on_error handler

    def submit(
        self,
        fn: Callable[[], Any],
        *,
        lane: str,
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> Future[Any]:
        with self._lock:
            self._pending += 1
            pool = self._lanes.setdefault(
                lane, ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"practice-{lane}")
            )
        future = pool.submit(fn)
        future.add_done_callback(
            lambda f: self._results.put(lambda: self._deliver(f, on_done, on_error))
        )
        return future

    def _deliver(self, future: Future[Any], on_done: Done | None, on_error: Failed | None) -> None:
        with self._lock:
            self._pending -= 1
        exc = future.exception()
        if exc is None:
            if on_done is not None:
                on_done(future.result())
        elif isinstance(exc, CoachError):
            if on_error is not None:
                on_error(exc)
            else:
                self.errors.append(exc)
        else:
            raise exc  # a bug: the owner (a test) sees it

    def pump(self, timeout_s: float = 0.0) -> int:
        """Run the callbacks that are ready (waiting up to `timeout_s` for the first one)."""
        ran = 0
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                callback = self._results.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return ran
            callback()
            ran += 1
            deadline = time.monotonic()  # after the first, only what is already waiting

    def idle(self) -> bool:
        with self._lock:
            return self._pending == 0

    def run_until(self, condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
        """Pump callbacks until `condition()` holds; TimeoutError after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the interview did not reach the expected state")
            self.pump(0.05)

    def shutdown(self) -> None:
        for pool in self._lanes.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._lanes.clear()
