"""Small real filesystems (tmpfs) for disk-full tests; mounting needs root."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def mount_tmpfs(where: Path, size: str) -> str | None:
    """Mount a real tmpfs of `size` (e.g. "1m") at `where`; the reason it failed, or None."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    return None if done.returncode == 0 else (done.stderr.strip() or "mount failed")


def unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], check=False)


@contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` at `where` for the block; the test is skipped where it cannot mount."""
    problem = mount_tmpfs(where, size)
    if problem:
        pytest.skip(f"mounting a small tmpfs needs root: {problem}")
    try:
        yield where
    finally:
        unmount(where)
