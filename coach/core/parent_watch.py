"""Worker processes end when the app is gone, however it ended.

A spawned worker (analysis pool, speech engine) holds both ends of its own request queue, so the
app's death never reaches it as end-of-file: after a crash or `kill -9` it slept on forever with
a speech engine or model loaded (seen as orphans left by the crash-recovery test). An orphan
gets a new parent pid; a daemon thread notices within a second and ends the process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

PARENT_CHECK_S = 1.0


def exit_with_parent(parent_pid: int, platform: str | None = None) -> None:
    """Start watching; call first thing in the worker (or as a pool initializer)."""
    parent_alive = _parent_alive_check(parent_pid, sys.platform if platform is None else platform)

    def watch() -> None:
        while parent_alive():
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _parent_alive_check(parent_pid: int, platform: str) -> Callable[[], bool]:
    """POSIX re-parents an orphan, so a changed parent pid means the app is gone. Windows never
    does (getppid() keeps naming the dead app), so there the handle multiprocessing keeps of
    the parent is asked instead; a process not started by multiprocessing has none to ask."""
    if platform == "win32":
        parent = multiprocessing.parent_process()
        if parent is not None:
            return parent.is_alive
    return lambda: os.getppid() == parent_pid


def end_worker(process: Any, queues: Iterable[Any]) -> None:
    """The parent side: kill `process` if alive (terminate, then kill) and drop its queues.

    A killed process can leave a queue's lock held, so the queues are closed without joining
    their feeder threads.
    """
    if process is not None:
        if process.is_alive():
            process.terminate()
            process.join(2.0)
            if process.is_alive():
                process.kill()
        process.join(2.0)
    for q in queues:
        if q is not None:
            q.close()
            q.cancel_join_thread()
