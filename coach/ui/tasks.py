"""The one way to run background work: named single-thread lanes, results back as a signal.

A lane serialises work on one resource (the microphone, the speaker, the speech model, the
disk) so callers never need locks. Callbacks always run on the GUI thread; workers never
touch widgets. Expected failures (CoachError) go to `on_error` or the `failed` signal;
anything else is a bug and goes to the crash handler.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from coach.errors import CoachError

log = logging.getLogger(__name__)

Closure = Callable[[], None]


def _alive(callback: object) -> bool:
    """False when `callback` is a method of a Qt object whose C++ side is already deleted."""
    owner = getattr(callback, "__self__", None)
    if not isinstance(owner, QObject):
        return True
    import shiboken6  # its import loads Qt's signature machinery: only when needed

    return bool(shiboken6.isValid(owner))


class TaskRunner(QObject):
    """Runs callables on named lanes and delivers their outcome on the GUI thread."""

    _deliver = Signal(object)
    failed = Signal(object)  # CoachError without an on_error handler

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, ThreadPoolExecutor] = {}
        self._pending: dict[str, int] = {}  # per lane: queued, running or not yet delivered
        self._closed = False
        self._lock = threading.Lock()
        # Always queued: a callback never runs inside submit(), even for work already done.
        self._deliver.connect(self._run_on_gui, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        fn: Callable[[], Any],
        *,
        lane: str,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[CoachError], None] | None = None,
    ) -> Future[Any]:
        """Run `fn` on `lane`; `on_done(result)` or `on_error(error)` run on the GUI thread."""
        if self._closed:  # the window is gone: nothing may call back into its widgets
            future: Future[Any] = Future()
            future.cancel()
            return future
        with self._lock:
            self._pending[lane] = self._pending.get(lane, 0) + 1
            executor = self._lanes.get(lane)
            if executor is None:
                executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"coach-{lane}")
                self._lanes[lane] = executor
        try:
            future = executor.submit(fn)
        except RuntimeError:  # the interpreter is shutting down: nothing can run any more
            with self._lock:
                self._pending[lane] -= 1
            future = Future()
            future.cancel()
            return future
        future.add_done_callback(
            lambda f: self._deliver.emit(lambda: self._finish(f, lane, on_done, on_error))
        )
        return future

    def _finish(
        self,
        future: Future[Any],
        lane: str,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[CoachError], None] | None,
    ) -> None:
        with self._lock:
            self._pending[lane] -= 1
        if future.cancelled() or self._closed:  # shut down before it ran, or window closed
            return
        if not (_alive(on_done) and _alive(on_error)):  # its widget was deleted meanwhile
            return
        exc = future.exception()
        if exc is None:
            if on_done is not None:
                on_done(future.result())
        elif isinstance(exc, CoachError):
            log.warning("%s", exc)
            if on_error is not None:
                on_error(exc)
            else:
                self.failed.emit(exc)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _run_on_gui(self, closure: Closure) -> None:
        closure()

    def is_idle(self) -> bool:
        """True when nothing is queued or running (tests wait on this)."""
        with self._lock:
            return not any(self._pending.values())

    def lane_busy(self, lane: str) -> bool:
        """True while work on `lane` is queued or running (or its result not yet delivered)."""
        with self._lock:
            return self._pending.get(lane, 0) > 0

    def close(self) -> None:
        """Finish what is running and refuse anything later (the window has closed)."""
        self.shutdown()
        self._closed = True

    def shutdown(self, keep: tuple[str, ...] = ()) -> None:
        """Wait for running work; queued work is dropped except on the lanes in `keep`."""
        for lane, executor in self._lanes.items():
            executor.shutdown(wait=True, cancel_futures=lane not in keep)
        self._lanes.clear()
