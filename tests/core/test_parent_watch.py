"""Worker processes end when the app that started them is killed (no orphans with models)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.helpers.app_driver import ROOT, is_running

# The analysis pool, as coach.practice.analysis_worker.ProcessAnalyzer builds it, in a
# process we then kill.
POOL_OWNER = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from coach.core.parent_watch import exit_with_parent

if __name__ == "__main__":
    watch = sys.argv[1].startswith("watch")
    platform = "win32" if sys.argv[1] == "watch-as-windows" else sys.platform
    pool = ProcessPoolExecutor(
        max_workers=1, mp_context=get_context("spawn"),
        initializer=exit_with_parent if watch else None,
        initargs=(os.getpid(), platform) if watch else (),
    )
    print(pool.submit(os.getpid).result(), flush=True)
    time.sleep(60)
"""


def _worker_after_owner_killed(mode: str) -> tuple[int, bool]:
    owner = subprocess.Popen(
        [sys.executable, "-c", POOL_OWNER, mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the killed owner's tracker reports its semaphores
        text=True,
    )
    assert owner.stdout is not None
    worker = int(owner.stdout.readline())
    owner.send_signal(signal.SIGKILL)
    owner.wait(10)
    owner.stdout.close()
    deadline = time.monotonic() + 5.0  # the worker looks at its parent once a second
    while is_running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return worker, is_running(worker)


def test_a_pool_worker_ends_soon_after_its_app_is_killed() -> None:
    _, running = _worker_after_owner_killed("watch")
    assert not running


def test_the_windows_way_of_watching_ends_the_worker_too() -> None:
    """Windows keeps the dead parent's pid: there the watch asks multiprocessing's handle of
    the parent, which works the same here, so the branch is proven on this machine."""
    _, running = _worker_after_owner_killed("watch-as-windows")
    assert not running


def test_without_the_watch_the_worker_would_be_left_behind() -> None:
    """The failure the watch prevents, shown on the same setup (then cleaned up)."""
    worker, running = _worker_after_owner_killed("plain")
    try:
        assert running
    finally:
        if is_running(worker):
            subprocess.run(["kill", "-9", str(worker)], check=False)
