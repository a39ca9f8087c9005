"""Download a Whisper model when the user asks for it: the app's only network access.

Why not faster-whisper's own `download_model`: it reports progress through huggingface_hub's
tqdm bars, which the window cannot show, and the engine sets HF_HUB_OFFLINE=1. Plain urllib
streams each file into a hidden `.whisper-<name>.partial/` folder (an unfinished file keeps a
`.part` suffix, so the folder never looks like a model early); a cancel or a dropped connection
leaves it there and the next download resumes with an HTTP Range request. The folder becomes
`whisper-<name>` with one rename once every file is complete.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__, paths
from coach.analysis.transcribe import is_whisper_model_dir
from coach.errors import DownloadCancelled, ModelDownloadError, StorageError
from coach.storage import storage_error

if TYPE_CHECKING:  # urllib.request pulls in http.client, email and ssl: imported when used
    import urllib.request

BASE_URL_ENV = "COACH_MODEL_BASE_URL"
DEFAULT_BASE_URL = "https://huggingface.co"
FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")
CHUNK = 256 * 1024
TIMEOUT_S = 30.0  # per connect and per read: a stalled connection fails instead of hanging

Progress = Callable[[int, int | None, str], None]


@dataclass(frozen=True)
class ModelChoice:
    """One downloadable model, as offered to the user."""

    name: str
    repo: str
    size_mb: int
    summary: str


CATALOGUE: dict[str, ModelChoice] = {
    "base": ModelChoice("base", "Systran/faster-whisper-base", 145, "accurate enough, fast"),
    "small": ModelChoice("small", "Systran/faster-whisper-small", 484, "more accurate, slower"),
}
DEFAULT_MODEL = "base"


def base_url() -> str:
    """The download server; tests point `COACH_MODEL_BASE_URL` at a local one."""
    return os.environ.get(BASE_URL_ENV, "").rstrip("/") or DEFAULT_BASE_URL


def file_url(model: ModelChoice, file: str) -> str:
    return f"{base_url()}/{model.repo}/resolve/main/{file}"


def final_dir(models_root: Path, name: str) -> Path:
    """Where a finished download lives; `resolve_whisper_model` looks here."""
    return models_root / f"whisper-{name}"


def partial_dir(models_root: Path, name: str) -> Path:
    return models_root / f".whisper-{name}.partial"


def _failed(reason: str, detail: str = "", what: str = "speech model") -> ModelDownloadError:
    return ModelDownloadError(
        f"Could not download the {what}: {reason}. Check the internet connection and "
        "try again; nothing else was changed.",
        detail=detail,
    )


def _network_reason(exc: BaseException) -> str:
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code} ({exc.reason})"
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, TimeoutError):
        return "the connection timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(exc, OSError) and exc.__class__.__name__ == "gaierror":
        return "the server name could not be found"
    return f"the connection failed ({exc})"


def _opener() -> urllib.request.OpenerDirector:
    import urllib.request

    class KeepMethod(urllib.request.HTTPRedirectHandler):
        """Python 3.11 turns a redirected HEAD into a GET; the Hub redirects large files."""

        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, hdrs: Any, newurl: str
        ) -> urllib.request.Request | None:
            redirected = super().redirect_request(req, fp, code, msg, hdrs, newurl)
            if redirected is not None:
                redirected.method = req.get_method()
            return redirected

    return urllib.request.build_opener(KeepMethod)


@dataclass
class _Run:
    """State of one download: the opener, the overall byte count and the cancel flag."""

    opener: urllib.request.OpenerDirector
    progress: Progress
    cancel: threading.Event
    total: int | None = None
    done: int = 0
    what: str = "speech model"

    def check(self) -> None:
        if self.cancel.is_set():
            raise DownloadCancelled()

    def advance(self, count: int, file: str) -> None:
        self.done += count
        self.progress(self.done, self.total, file)

    def open(self, url: str, *, method: str = "GET", start: int = 0) -> Any:
        import http.client
        import urllib.request

        headers = {"User-Agent": f"SecondRound/{__version__}"}
        if start:
            headers["Range"] = f"bytes={start}-"
        request = urllib.request.Request(url, headers=headers, method=method)
        try:
            return self.opener.open(request, timeout=TIMEOUT_S)
        except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, resets…
            close = getattr(exc, "close", None)
            if callable(close):  # an HTTPError holds the open response
                close()
            raise _failed(_network_reason(exc), f"{method} {url}: {exc}", self.what) from exc


def _remote_size(run: _Run, url: str) -> int | None:
    run.check()
    with run.open(url, method="HEAD") as response:
        length = response.headers.get("Content-Length")
    return int(length) if length and length.isdigit() else None


def _present(folder: Path, file: str, size: int | None) -> int:
    """Bytes of `file` already on disk that the download can keep."""
    done = folder / file
    if done.is_file() and (size is None or done.stat().st_size == size):
        return done.stat().st_size
    part = folder / f"{file}.part"
    have = part.stat().st_size if part.is_file() else 0
    return have if size is not None and have <= size else 0  # the rest is fetched again


def _read(response: Any, file: str, what: str = "speech model") -> bytes:
    import http.client

    try:
        chunk: bytes = response.read(CHUNK)
        return chunk
    except (OSError, http.client.HTTPException) as exc:
        raise _failed(_network_reason(exc), f"reading {file}: {exc!r}", what) from exc


def _resume_offset(response: Any, have: int) -> int:
    """Where the server's answer starts: `have` for a 206 that resumes, 0 for a full 200."""
    if response.status != 206:
        return 0
    content_range = str(response.headers.get("Content-Range", ""))  # bytes START-END/TOTAL
    start = content_range.removeprefix("bytes ").split("-", 1)[0]
    return int(start) if start.isdigit() and int(start) == have else -1


def _stream(run: _Run, url: str, folder: Path, file: str, size: int | None) -> None:
    part = folder / f"{file}.part"
    have = part.stat().st_size if part.is_file() else 0
    if size is None or have > size:  # an unknown size cannot be checked: start over
        part.unlink(missing_ok=True)
        have = 0
    if size is None or have < size:
        with run.open(url, start=have) as response:
            start = _resume_offset(response, have)
            if start < 0:  # resumed somewhere else: the next attempt starts over
                part.unlink()
                raise _failed("the server sent the wrong part of a file", url, run.what)
            run.advance(start - have, file)  # a server without Range support: start over
            length = response.headers.get("Content-Length")
            expected = start + int(length) if length and length.isdigit() else size
            have = start
            with part.open("ab" if start else "wb") as out:
                while True:
                    run.check()
                    chunk = _read(response, file, run.what)
                    if not chunk:
                        break
                    out.write(chunk)
                    have += len(chunk)
                    run.advance(len(chunk), file)
                out.flush()
                os.fsync(out.fileno())
        if any(want is not None and have != want for want in (expected, size)):
            raise _failed(
                f"the connection closed before {file} was complete",
                f"{have} of {expected} bytes",
                run.what,
            )
    part.replace(folder / file)


def _fetch(run: _Run, model: ModelChoice, folder: Path, sizes: dict[str, int | None]) -> None:
    for file in FILES:
        run.check()
        target = folder / file
        if target.is_file() and (sizes[file] is None or target.stat().st_size == sizes[file]):
            continue
        target.unlink(missing_ok=True)
        _stream(run, file_url(model, file), folder, file, sizes[file])


def download_model(
    name: str, models_root: Path, progress: Progress, cancel: threading.Event
) -> Path:
    """Fetch model `name` into `models_root/whisper-<name>` and return that folder.

    `progress(done, total, file)` runs on the calling (worker) thread after every chunk;
    `cancel` is checked between chunks. Raises DownloadCancelled, ModelDownloadError or
    StorageError; the partial folder stays so the next call resumes.
    """
    model = CATALOGUE[name]
    final = final_dir(models_root, name)
    if is_whisper_model_dir(final):
        return final
    if final.exists():
        raise StorageError(
            f"Could not save the speech model: {final} already exists and is not a complete "
            "model. Move or delete it and try again."
        )
    folder = partial_dir(models_root, name)
    try:
        paths.ensure_private_dir(models_root)
        paths.ensure_private_dir(folder)
    except OSError as exc:
        raise storage_error(exc, "create the model folder") from exc
    run = _Run(_opener(), progress, cancel)
    sizes = {file: _remote_size(run, file_url(model, file)) for file in FILES}
    known = [size for size in sizes.values() if size is not None]
    run.total = sum(known) if len(known) == len(FILES) else None
    try:
        run.done = sum(_present(folder, file, sizes[file]) for file in FILES)
        run.progress(run.done, run.total, "")
        _fetch(run, model, folder, sizes)
        if not is_whisper_model_dir(folder):
            raise _failed("the server did not send a complete model", detail=str(folder))
        folder.replace(final)  # one rename: the cache never holds half a model
    except OSError as exc:  # network errors are ModelDownloadError by now: this is the disk
        raise storage_error(exc, "save the speech model") from exc
    return final


def download_file(
    url: str, folder: Path, file: str, progress: Progress, cancel: threading.Event, what: str
) -> Path:
    """Fetch one file from `url` into `folder/file` with the same resume, progress and cancel.

    Used for single-file models (a GGUF language model); `what` names it in error messages.
    An unfinished download stays as `file.part` and the next call resumes it with a Range
    request. Raises DownloadCancelled, ModelDownloadError or StorageError.
    """
    try:
        paths.ensure_private_dir(folder)
    except OSError as exc:
        raise storage_error(exc, f"create the folder for the {what}") from exc
    run = _Run(_opener(), progress, cancel, what=what)
    size = _remote_size(run, url)
    run.total = size
    try:
        run.done = _present(folder, file, size)
        run.progress(run.done, run.total, "")
        target = folder / file
        if not (target.is_file() and size is not None and target.stat().st_size == size):
            target.unlink(missing_ok=True)
            _stream(run, url, folder, file, size)
    except OSError as exc:
        raise storage_error(exc, f"save the {what}") from exc
    return folder / file
