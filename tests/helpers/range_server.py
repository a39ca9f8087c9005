"""A real HTTP file server on 127.0.0.1 for the model-download tests.

http.server's SimpleHTTPRequestHandler ignores Range, so this small handler serves files with
`Range: bytes=N-` (206), and can be slowed down, truncate bodies or ignore Range on demand.
Every answered request is logged with the body bytes it actually sent.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Served:
    method: str
    path: str
    range: str | None
    status: int
    sent: int


class RangeServer:
    """Serves `root`; tune `delay_s` (sleep per 64 KiB), `truncate_at`, `honour_range` live."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.delay_s = 0.0
        self.truncate_at: int | None = None  # close a body after this many bytes
        self.honour_range = True
        self.redirect_files = False  # file URLs answer 302 to /cdn/..., as the Hub does
        self.log: list[Served] = []
        self.active = 0  # requests being answered: a cancelled client does not stop them at once
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def record(self, entry: Served) -> None:
        with self._lock:
            self.log.append(entry)

    def wait_idle(self, timeout_s: float = 10.0) -> None:
        """Until every request so far is answered and logged (its handler may still be writing
        into a socket the client already closed)."""
        deadline = time.monotonic() + timeout_s
        while self.active and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not self.active, "the server is still answering a request"

    def requests(self) -> list[Served]:
        with self._lock:
            return list(self.log)

    def bytes_sent(self) -> int:
        return sum(entry.sent for entry in self.requests())

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RangeServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    owner: RangeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that cancels closes its socket mid-body: expected, not a test failure."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        owner = self.server.owner
        with owner._lock:
            owner.active += 1
        try:
            self._serve(body=True)
        finally:
            with owner._lock:
                owner.active -= 1

    def _serve(self, *, body: bool) -> None:
        owner = self.server.owner
        path = unquote(urlsplit(self.path).path)
        if path.startswith("/cdn/"):
            path = path[len("/cdn") :]
        elif owner.redirect_files and "/resolve/" in path:
            self.send_response(302)
            self.send_header("Location", f"/cdn{path}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            owner.record(Served(self.command, path, self.headers.get("Range"), 302, 0))
            return
        file = owner.root / path.lstrip("/")  # may be a symlink to the model's own files
        asked = self.headers.get("Range")
        if ".." in Path(path).parts or not file.is_file():
            self.send_error(404)
            owner.record(Served(self.command, path, asked, 404, 0))
            return
        size = file.stat().st_size
        match = re.fullmatch(r"bytes=(\d+)-", asked or "")
        start = int(match[1]) if match and owner.honour_range else 0
        if start >= size > 0:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            owner.record(Served(self.command, path, asked, 416, 0))
            return
        status = 206 if start else 200
        self.send_response(status)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.send_header("Content-Length", str(size - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        sent = self._send_body(file, start) if body else 0
        owner.record(Served(self.command, path, asked, status, sent))

    def _send_body(self, file: Path, start: int) -> int:
        owner = self.server.owner
        limit = owner.truncate_at
        sent = 0
        with file.open("rb") as source:
            source.seek(start)
            while chunk := source.read(CHUNK):
                if limit is not None and sent + len(chunk) > limit:
                    chunk = chunk[: limit - sent]
                try:
                    self.wfile.write(chunk)
                except ConnectionError:
                    break
                sent += len(chunk)
                if limit is not None and sent >= limit:
                    break  # HTTP/1.0: returning closes the connection short of Content-Length
                if owner.delay_s:
                    time.sleep(owner.delay_s)
        return sent


def whisper_repo_tree(root: Path, repo: str, model_dir: Path) -> Path:
    """Lay a model out the way the Hub serves it: `root/<repo>/resolve/main/<file>`.

    The test model ships `vocabulary.json`; the Systran repositories ship `vocabulary.txt`
    (one token per line), so it is written in that form.
    """
    folder = root / repo / "resolve" / "main"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "model.bin", "tokenizer.json"):
        link = folder / name
        if not link.exists():
            link.symlink_to(model_dir / name)
    tokens = json.loads((model_dir / "vocabulary.json").read_text(encoding="utf-8"))
    assert not any("\n" in token or "\r" in token for token in tokens)
    (folder / "vocabulary.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    return root
