"""Export session folders to a zip and import such a zip, without trusting its contents.

Layout: `<session id>/session.json`, `<session id>/q01-take1.flac`, ... (the folders exactly as
they are on disk) plus `second-round-export.json` describing the archive.

Import is all-or-nothing. Every member name, type and size is checked before anything is
written; members are extracted into a private temp folder inside `sessions_root` (same disk,
so the final step is a rename), every session.json is validated, and only then are the
folders renamed into place. A session whose id already exists is **skipped**, not renamed:
ids carry the creation time and a random part, so an equal id is the same interview, and
importing the same archive twice must not duplicate it (the local copy wins).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from coach.core.session import Session
from coach.errors import StorageError
from coach.storage import SESSION_FILE, atomic_file, storage_error

MANIFEST_NAME = "second-round-export.json"
ARCHIVE_FORMAT = 1
SESSION_FORMAT = 1  # the "format" written by Session.to_dict
MAX_MEMBER_BYTES = 512 * 2**20  # a 3-minute take is ~35 MB even as raw float32 at 48 kHz
MAX_TOTAL_BYTES = 16 * 2**30
MAX_MEMBERS = 50_000
SPARE_DISK_BYTES = 64 * 2**20
STALE_IMPORT_S = 3600.0
_STORED_SUFFIXES = {".flac", ".ogg", ".mp3", ".wav", ".raw"}  # compressing audio gains little
_CHUNK = 1 << 20


def export_zip(folders: Sequence[Path], dest: Path) -> Path:
    """Write the session folders into one zip at `dest` (temp file then rename; mode 0600)."""
    names = [f.name for f in folders]
    for folder in folders:
        if not (folder / SESSION_FILE).is_file():
            raise StorageError(f"{folder} is not a session folder; nothing was exported.")
    if len(set(names)) != len(names):
        raise StorageError("The same session was chosen twice; nothing was exported.")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(dest, "wb") as raw, zipfile.ZipFile(raw, "w") as zf:
            manifest = {"format": ARCHIVE_FORMAT, "app": "second-round", "sessions": names}
            zf.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2), zipfile.ZIP_DEFLATED)
            for folder in folders:
                for path in sorted(folder.rglob("*")):
                    rel = path.relative_to(folder)
                    if path.is_symlink() or not path.is_file() or rel.name.startswith("."):
                        continue  # never follow links; skip half-written temp files
                    method = (
                        zipfile.ZIP_STORED
                        if path.suffix.lower() in _STORED_SUFFIXES
                        else zipfile.ZIP_DEFLATED
                    )
                    zf.write(path, f"{folder.name}/{rel.as_posix()}", method)
    except OSError as exc:
        raise storage_error(exc, "write the export file") from exc
    return dest


def import_zip(
    zip_path: Path,
    sessions_root: Path,
    *,
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_members: int = MAX_MEMBERS,
    on_skip: Callable[[str], None] | None = None,
) -> list[Path]:
    """Import the sessions in a zip made by `export_zip`; returns the new session folders.

    Raises StorageError (nothing imported) for anything unsafe or damaged. Sessions that already
    exist are skipped and reported through `on_skip(session_id)`.
    """
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StorageError(
            f"{zip_path.name} is not a readable zip archive.", detail=str(exc)
        ) from exc
    with zf:
        plan = _check_members(zf.infolist(), max_member_bytes, max_total_bytes, max_members)
        if not plan.sessions:
            raise StorageError(f"{zip_path.name} contains no sessions.")
        try:
            sessions_root.mkdir(parents=True, exist_ok=True, mode=0o700)
            _remove_stale_imports(sessions_root)
            if shutil.disk_usage(sessions_root).free < plan.total + SPARE_DISK_BYTES:
                raise StorageError(
                    f"Not enough free disk space to import {zip_path.name} "
                    f"({plan.total / 2**20:.0f} MB needed)."
                )
            staging = Path(tempfile.mkdtemp(prefix=".import-", dir=sessions_root))
        except OSError as exc:
            raise storage_error(exc, "prepare the import") from exc
        try:
            for info, parts in plan.files:
                _extract(zf, info, staging.joinpath(*parts), max_member_bytes)
            for name in plan.sessions:
                _validate_session(staging / name, name)
            return _move_into_place(staging, sessions_root, sorted(plan.sessions), on_skip)
        except OSError as exc:
            raise storage_error(exc, "import the sessions") from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)


class _Plan:
    def __init__(self) -> None:
        self.files: list[tuple[zipfile.ZipInfo, list[str]]] = []
        self.sessions: set[str] = set()
        self.total = 0


def _reject(why: str) -> StorageError:
    return StorageError(f"This archive cannot be imported: {why}. Nothing was imported.")


def _check_members(
    infos: list[zipfile.ZipInfo], max_member: int, max_total: int, max_members: int
) -> _Plan:
    """Every rule that can be decided from the zip directory alone, before writing a byte."""
    if len(infos) > max_members:
        raise _reject(f"it has {len(infos)} entries (at most {max_members} allowed)")
    plan, seen = _Plan(), set()
    for info in infos:
        name = info.filename
        if name in seen:
            raise _reject(f"the entry {name!r} appears twice")
        seen.add(name)
        if info.file_size > max_member:
            raise _reject(f"{name!r} is too large ({info.file_size} bytes)")
        plan.total += info.file_size
        if plan.total > max_total:
            raise _reject(f"its contents are too large (over {max_total} bytes)")
        if info.flag_bits & 0x1:
            raise _reject(f"{name!r} is encrypted")
        kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
        if kind == stat.S_IFLNK:
            raise _reject(f"{name!r} is a symbolic link")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise _reject(f"{name!r} is not a regular file")
        parts = name.rstrip("/").split("/") if info.is_dir() else name.split("/")
        if (
            name.startswith("/")
            or any(c in name for c in "\\:\0")
            or any(p in ("", ".", "..") for p in parts)
        ):
            raise _reject(f"the entry {name!r} points outside its folder")
        if parts[0].startswith("."):
            raise _reject(f"the entry {name!r} is not a session folder")
        if len(parts) == 1 and not info.is_dir():
            if name != MANIFEST_NAME:
                raise _reject(f"{name!r} is not inside a session folder")
            continue
        plan.sessions.add(parts[0])
        if not info.is_dir():
            plan.files.append((info, parts))
    return plan


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, max_member: int) -> None:
    """Copy one member, counting bytes: a size field that lies cannot make it write more."""
    limit = min(info.file_size, max_member)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = 0
    try:
        with (
            zf.open(info) as src,
            open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out,
        ):
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise _reject(f"{info.filename!r} is larger than its header says")
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise _reject(f"{info.filename!r} is damaged ({exc})") from exc


def _validate_session(folder: Path, name: str) -> None:
    """session.json must load as a Session of this folder, naming only files inside it."""
    try:
        data = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        session = Session.from_dict(data)
    except FileNotFoundError as exc:
        raise _reject(f"the folder {name!r} has no {SESSION_FILE}") from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _reject(f"the session file in {name!r} is damaged ({exc})") from exc
    fmt = data.get("format", SESSION_FORMAT)
    if not isinstance(fmt, int) or fmt > SESSION_FORMAT:
        raise _reject(f"the session {name!r} was saved by a newer version of Second Round")
    if session.id != name:
        raise _reject(f"the folder {name!r} holds the session {session.id!r}")
    for question in session.questions:
        for take in question.takes:
            for file_name in (take.audio, take.analysis):
                if file_name is not None and (
                    not isinstance(file_name, str)
                    or Path(file_name).name != file_name
                    or file_name in ("", ".", "..")
                ):
                    raise _reject(f"the session {name!r} refers to a file outside its folder")


def _move_into_place(
    staging: Path, root: Path, names: list[str], on_skip: Callable[[str], None] | None
) -> list[Path]:
    """Rename each folder into the root; on any failure undo the renames already done."""
    moved: list[Path] = []
    try:
        for name in names:
            dest = root / name
            if dest.exists():
                if on_skip is not None:
                    on_skip(name)
                continue
            os.rename(staging / name, dest)
            moved.append(dest)
    except BaseException:
        for dest in moved:
            os.rename(dest, staging / dest.name)
        raise
    return moved


def _remove_stale_imports(root: Path) -> None:
    """Temp folders of an import interrupted by a crash (they hold personal audio)."""
    cutoff = time.time() - STALE_IMPORT_S
    for path in root.glob(".import-*"):
        if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < cutoff:
            shutil.rmtree(path, ignore_errors=True)
