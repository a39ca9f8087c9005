"""Moving the data folder elsewhere so that no failure ever leaves the user without their data.

Order: check, copy (or rename on the same filesystem), verify, switch the pointer file, and only
then delete the old copies. Until the pointer switches, the old folder is the data folder and
is intact; a failure or a cancel removes the partial copy (or renames entries back). Only the
app's own entries (data_ops.APP_FOLDERS / APP_FILE_PATTERNS) move; anything else stays put.
The history index is not carried over but deleted with the old copies: it stores absolute
session paths, and the app rebuilds it from the session folders when it is missing.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from coach import paths
from coach.core.data_ops import APP_FILE_PATTERNS, APP_FOLDERS
from coach.core.history_index import DB_FILE_NAME
from coach.errors import StorageError
from coach.storage import storage_error, write_text_atomic

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes in all) from the thread doing the move."""
CHUNK = 1 << 20
INDEX_FILES = frozenset(DB_FILE_NAME + suffix for suffix in ("", "-wal", "-shm"))
"""The live history index: rebuilt at the new place instead of copied (it holds old paths)."""


class MoveRefused(StorageError):
    """The chosen folder cannot take the data; nothing was changed."""


class MoveCancelled(StorageError):
    """The user stopped the move; the data stays where it was."""


@dataclass(frozen=True)
class MovePlan:
    """What would move: the confirmation names both folders and the size."""

    source: Path
    target: Path
    entries: tuple[Path, ...]
    index_files: tuple[Path, ...]
    files: int
    total_bytes: int


def app_entries(folder: Path) -> list[Path]:
    """The app's own folders and files directly inside `folder` (symlinks included)."""
    if not folder.is_dir():
        return []
    found = [folder / name for name in APP_FOLDERS if os.path.lexists(folder / name)]
    for pattern in APP_FILE_PATTERNS:
        found += sorted(p for p in folder.glob(pattern) if p.is_file() or p.is_symlink())
    return found


def _walk(entry: Path, rel: Path) -> Iterator[tuple[Path, str, int]]:
    """(path relative to the data folder, 'dir'/'file'/'link', size) for an entry and below;
    symlinks are listed, never followed."""
    if entry.is_symlink():
        yield rel, "link", 0
    elif entry.is_dir():
        yield rel, "dir", 0
        for child in sorted(entry.iterdir()):
            yield from _walk(child, rel / child.name)
    else:
        yield rel, "file", entry.stat().st_size


def snapshot(folder: Path, entries: list[Path]) -> dict[Path, tuple[str, int]]:
    """Every path under the given entries of `folder` with its kind and size."""
    return {
        rel: (kind, size)
        for entry in entries
        for rel, kind, size in _walk(folder / entry.name, Path(entry.name))
    }


def plan_move(source: Path, target: Path) -> MovePlan:
    """Check that `target` can take the data in `source` and measure it; raises MoveRefused."""
    source, target = source.expanduser().resolve(), target.expanduser().resolve()
    config = paths.config_dir().resolve()
    if target == source:
        raise MoveRefused(f"{target} is already your data folder.")
    if target.is_relative_to(source):
        raise MoveRefused(
            f"{target} is inside the current data folder. Choose a folder outside it."
        )
    if source.is_relative_to(target):
        raise MoveRefused(
            f"The current data folder is inside {target}. Choose a folder that does not hold it."
        )
    if target.is_relative_to(config):
        raise MoveRefused(f"{target} is in the settings folder. Choose a folder outside {config}.")
    if target.exists() and not target.is_dir():
        raise MoveRefused(f"{target} is a file, not a folder.")
    if own := app_entries(target):
        names = ", ".join(p.name for p in own)
        raise MoveRefused(
            f"{target} already holds Second Round data of its own ({names}). Choose an empty "
            "folder, or move those away first."
        )
    existing = next(p for p in (target, *target.parents) if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        raise MoveRefused(f"{existing} is not writable. Choose a folder you can write to.")
    own_entries = app_entries(source)
    entries = [p for p in own_entries if p.name not in INDEX_FILES]
    index_files = tuple(p for p in own_entries if p.name in INDEX_FILES)
    try:
        listed = snapshot(source, entries)
    except OSError as exc:
        raise storage_error(exc, "read the current data folder") from exc
    files = sum(1 for kind, _ in listed.values() if kind != "dir")
    total = sum(size for _, size in listed.values())
    return MovePlan(source, target, tuple(entries), index_files, files, total)


def write_pointer(target: Path) -> None:
    """Name `target` in the pointer file: temp file, fsync, os.replace (old or new, never half)."""
    pointer = paths.data_pointer_file()
    try:
        paths.ensure_private_dir(pointer.parent)
        write_text_atomic(pointer, f"{target}\n")
    except OSError as exc:
        raise storage_error(exc, "remember the new data folder") from exc


def move_data(source: Path, target: Path, progress: Progress, cancel: threading.Event) -> None:
    """Move the app's data from `source` to `target` and point the app at `target`."""
    plan = plan_move(source, target)
    source, target = plan.source, plan.target
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        target.chmod(0o700)
    except OSError as exc:
        raise storage_error(exc, "create the new data folder") from exc
    entries = list(plan.entries)
    renamed = bool(entries) and source.stat().st_dev == target.stat().st_dev
    try:
        if renamed:
            _rename_all(plan, progress, cancel)
        else:
            _copy_all(plan, progress, cancel)
        write_pointer(target)
    except BaseException:
        if renamed:
            _rename_back(plan)
        else:
            _remove(target, entries)
        if created:
            _rmdir_if_empty(target)
        raise
    _remove(source, list(plan.index_files) + ([] if renamed else entries))
    _rmdir_if_empty(source)


def _rename_all(plan: MovePlan, progress: Progress, cancel: threading.Event) -> None:
    """Same filesystem: one rename per entry, then check nothing went missing."""
    before = snapshot(plan.source, list(plan.entries))
    done = 0
    for entry in plan.entries:
        if cancel.is_set():
            raise MoveCancelled(f"The move was cancelled. Your data stays in {plan.source}.")
        size = sum(s for rel, (_, s) in before.items() if rel.parts[0] == entry.name)
        try:
            os.rename(entry, plan.target / entry.name)
        except OSError as exc:
            raise storage_error(exc, "move your data") from exc
        done += size
        progress(done, plan.total_bytes)
    _verify(before, snapshot(plan.target, list(plan.entries)))


def _copy_all(plan: MovePlan, progress: Progress, cancel: threading.Event) -> None:
    """Different filesystems: copy every file, then compare the copy with the source."""
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        progress(done, plan.total_bytes)

    try:
        for entry in plan.entries:
            _copy(entry, plan.target / entry.name, step, cancel, plan.source)
        _verify(
            snapshot(plan.source, list(plan.entries)), snapshot(plan.target, list(plan.entries))
        )
    except OSError as exc:
        raise storage_error(exc, "copy your data to the new folder") from exc


def _copy(
    src: Path, dst: Path, step: Callable[[int], None], cancel: threading.Event, source: Path
) -> None:
    if cancel.is_set():
        raise MoveCancelled(f"The move was cancelled. Your data stays in {source}.")
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
    elif src.is_dir():
        dst.mkdir(mode=0o700)
        for child in sorted(src.iterdir()):
            _copy(child, dst / child.name, step, cancel, source)
        shutil.copystat(src, dst)
    else:
        with src.open("rb") as fin, dst.open("xb") as fout:
            while chunk := fin.read(CHUNK):
                fout.write(chunk)
                step(len(chunk))
            fout.flush()
            os.fsync(fout.fileno())
        shutil.copystat(src, dst)


def _verify(expected: dict[Path, tuple[str, int]], got: dict[Path, tuple[str, int]]) -> None:
    if expected != got:
        differ = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
        raise StorageError(
            "The copy in the new folder does not match your data, so nothing was moved.",
            detail=f"{len(differ)} differing entries, e.g. {[str(p) for p in differ[:3]]}",
        )


def _rename_back(plan: MovePlan) -> None:
    for entry in plan.entries:
        moved = plan.target / entry.name
        if os.path.lexists(moved) and not os.path.lexists(entry):
            try:
                os.rename(moved, entry)
            except OSError:
                log.exception("could not move %s back to %s", moved, entry)


def _remove(folder: Path, entries: list[Path]) -> None:
    """Best effort: a leftover is logged, never raised (the data is safe elsewhere by now)."""
    for entry in entries:
        path = folder / entry.name
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif os.path.lexists(path):
                path.unlink()
        except OSError:
            log.exception("could not remove %s", path)


def _rmdir_if_empty(folder: Path) -> None:
    try:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        log.warning("could not remove the empty folder %s", folder)
