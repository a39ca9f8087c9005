"""Worker processes end when the app is gone, however it ended.

A spawned worker (analysis pool, speech engine) holds both ends of its own request queue, so the
app's death never reaches it as end-of-file: after a crash or `kill -9` it slept on forever with
a speech engine or model loaded (seen as orphans left by the crash-recovery test). An orphan
gets a new parent pid; a daemon thread notices within a second and ends the process.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from typing import Any

PARENT_CHECK_S = 1.0


def exit_with_parent(parent_pid: int) -> None:
    """Start watching; call first thing in the worker (or as a pool initializer)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


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
