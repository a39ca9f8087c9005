"""Everything that writes the user's files: one atomic writer, one `storage_error`, and the
names of the files in a session folder.

A shared base module (like coach.errors and coach.paths), not part of a layer, because every
layer writes files: the analysis saves models, core saves sessions, the audio adapter
finalises takes. Write a file through here and a crash leaves the old or the new version,
never half; fail through here and the user reads what to do (free space, fix permissions).
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from coach.errors import StorageError

# --- the names of the files in a session folder ---------------------------------------------
SESSION_FILE = "session.json"
PARTIAL_SUFFIX = ".partial.raw"  # a take while it is recorded: raw int16 PCM
SIDECAR_SUFFIX = ".partial.json"  # how to read the partial file; written before it
FINAL_SUFFIX = ".flac"  # a finished take
ANALYSIS_SUFFIX = ".analysis.json"  # the take's AnswerAnalysis, next to its audio
CONTENT_SUFFIX = ".content.json"  # the take's content feedback (coach.content), next to it


def take_stem(question_index: int, number: int) -> str:
    """q03-take2 for the second take of the third question (zero-based index)."""
    return f"q{question_index + 1:02d}-take{number}"


def question_index_from_name(name: str) -> int | None:
    """q03-take2.flac -> 2 (zero-based); None for a name that is not a take."""
    if name.startswith("q") and name[1:3].isdigit():
        return int(name[1:3]) - 1
    return None


def _stem(name: str) -> str:
    for suffix in (PARTIAL_SUFFIX, SIDECAR_SUFFIX):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def final_name(name: str) -> str:
    """q01-take1.partial.raw -> q01-take1.flac (a final name stays as it is)."""
    return _stem(name) + FINAL_SUFFIX if name.endswith(PARTIAL_SUFFIX) else name


def final_path(partial: Path) -> Path:
    return partial.with_name(_stem(partial.name) + FINAL_SUFFIX)


def sidecar_path(partial: Path) -> Path:
    return partial.with_name(_stem(partial.name) + SIDECAR_SUFFIX)


def analysis_path(audio: Path) -> Path:
    """Where a take's analysis is saved: q01-take1.flac -> q01-take1.analysis.json."""
    return audio.with_name(_stem(audio.name) + ANALYSIS_SUFFIX)


def content_path(audio: Path) -> Path:
    """Where a take's content feedback is saved: q01-take1.flac -> q01-take1.content.json."""
    return audio.with_name(_stem(audio.name) + CONTENT_SUFFIX)


# --- errors ---------------------------------------------------------------------------------
def storage_error(exc: OSError, what: str, path: Path | None = None) -> StorageError:
    """Turn an OSError into a message that tells the user what to do."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full. Free some space and try again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "the data folder is not writable. Check its permissions or choose another folder"
    else:
        reason = exc.strerror or str(exc)
    detail = f"{path}: {exc.strerror or exc}" if path is not None else str(exc)
    return StorageError(f"Could not {what}: {reason}.", detail=detail)


# --- the atomic writer ----------------------------------------------------------------------
@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A private (0600) temporary path beside `dest` that becomes `dest` when the block ends.

    For writers that need a path (soundfile, the speech worker, zipfile). The temporary name
    is hidden and keeps the suffix (.x.123.tmp.flac), so format detection still works and
    listings skip it. On any exception the temporary file is removed and `dest` is untouched.
    """
    fd, name = tempfile.mkstemp(
        prefix=f".{dest.stem}.", suffix=f".tmp{dest.suffix}", dir=dest.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_file(
    dest: Path, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO[Any]]:
    """An open file that replaces `dest` (after fsync) only if the block ends normally."""
    with atomic_path(dest) as tmp:
        binary = "b" in mode
        with open(
            tmp, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def write_text_atomic(path: Path, text: str, *, newline: str | None = None) -> None:
    """Temp file in the same folder, fsync, then rename: a crash leaves the old or the new file."""
    with atomic_file(path, "w", newline=newline) as handle:
        handle.write(text)


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False))
