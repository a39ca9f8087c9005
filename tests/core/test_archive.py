"""Export and import of session zips: a real round trip, and every kind of hostile archive is
rejected with nothing half-imported."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.core.archive import MANIFEST_NAME, export_zip, import_zip
from coach.core.history_index import DB_FILE_NAME, HistoryIndex
from coach.errors import StorageError
from tests.core.test_history_index import S1, S2, build_sessions


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive") / "sessions"
    build_sessions(root, None)  # real audio, analysed for real without a recogniser (fast)
    return root


@pytest.fixture
def target(tmp_path: Path) -> Path:
    root = tmp_path / "target" / "sessions"
    root.mkdir(parents=True)
    return root


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def rows_without_folder(root: Path, db: Path) -> list[tuple]:
    idx = HistoryIndex(db, root)
    rows = [tuple(v for k, v in r.__dict__.items() if k != "folder") for r in idx.sessions()]
    idx.close()
    return rows


def test_round_trip_keeps_every_file_and_every_number(
    source: Path, target: Path, tmp_path: Path
) -> None:
    zip_path = export_zip([source / S1, source / S2], tmp_path / "out" / "export.zip")
    assert stat.S_IMODE(os.stat(zip_path).st_mode) == 0o600
    assert [p.name for p in zip_path.parent.iterdir()] == ["export.zip"]  # no temp file left

    imported = import_zip(zip_path, target)

    assert imported == [target / S1, target / S2]
    for sid in (S1, S2):
        assert digests(target / sid) == digests(source / sid)
        assert any(name.endswith(".analysis.json") for name in digests(target / sid))
    src_only = tmp_path / "src_only"
    for sid in (S1, S2):
        shutil.copytree(source / sid, src_only / sid)
    assert rows_without_folder(target, tmp_path / "a.db") == rows_without_folder(
        src_only, tmp_path / "b.db"
    )
    assert not [p for p in target.iterdir() if p.name.startswith(".")]


def test_importing_again_skips_existing_sessions(
    source: Path, target: Path, tmp_path: Path
) -> None:
    zip_path = export_zip([source / S1], tmp_path / "one.zip")
    assert import_zip(zip_path, target) == [target / S1]
    (target / S1 / "session.json").write_text(
        (target / S1 / "session.json").read_text().replace('"General"', '"Renamed locally"')
    )
    skipped: list[str] = []
    assert import_zip(zip_path, target, on_skip=skipped.append) == []
    assert skipped == [S1]
    assert "Renamed locally" in (target / S1 / "session.json").read_text()  # local copy wins


def test_export_refuses_a_folder_that_is_not_a_session(source: Path, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a session folder"):
        export_zip([source], tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def good_members(source: Path) -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    """A valid session folder, so each hostile zip also proves nothing is half-imported."""
    return [(f"{S2}/{name}", (source / S2 / name).read_bytes()) for name in digests(source / S2)]


def write_zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def session_json(source: Path, edit: Callable[[dict], None]) -> bytes:
    data = json.loads((source / S1 / "session.json").read_text())
    edit(data)
    return json.dumps(data).encode()


def take_outside(data: dict) -> None:
    data["questions"][0]["takes"][0]["audio"] = "../../../home/user/.bashrc"


HOSTILE: dict[str, tuple[Callable[[Path], list[tuple[zipfile.ZipInfo | str, bytes]]], str]] = {
    "parent": (lambda s: [("../evil.txt", b"x")], "outside its folder"),
    "nested parent": (lambda s: [(f"{S1}/../../evil.txt", b"x")], "outside its folder"),
    "absolute": (lambda s: [("/tmp/evil.txt", b"x")], "outside its folder"),
    "backslash": (lambda s: [(f"{S1}\\..\\..\\evil.txt", b"x")], "outside its folder"),
    "symlink": (lambda s: [(symlink_member(f"{S1}/q01-take1.flac"), b"/etc/passwd")], "link"),
    "loose file": (lambda s: [("readme.txt", b"x")], "not inside a session folder"),
    "no session.json": (lambda s: [(f"{S1}/q01-take1.flac", b"x")], "no session.json"),
    "damaged json": (lambda s: [(f"{S1}/session.json", b"{ nope")], "damaged"),
    "id mismatch": (
        lambda s: [("2030-01-01_000000-ffff/session.json", (s / S1 / "session.json").read_bytes())],
        "holds the session",
    ),
    "take outside": (
        lambda s: [(f"{S1}/session.json", session_json(s, take_outside))],
        "outside its folder",
    ),
    "newer format": (
        lambda s: [(f"{S1}/session.json", session_json(s, lambda d: d.update(format=99)))],
        "newer version",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archives_are_rejected_and_nothing_is_imported(
    case: str, source: Path, target: Path, tmp_path: Path
) -> None:
    make, message = HOSTILE[case]
    zip_path = write_zip(tmp_path / "bad.zip", good_members(source) + make(source))
    with pytest.raises(StorageError, match=message) as caught:
        import_zip(zip_path, target)
    assert "Nothing was imported" in str(caught.value)
    assert list(target.iterdir()) == []  # neither the good session nor a temp folder
    assert not (tmp_path / "evil.txt").exists()


def test_size_and_count_limits(source: Path, target: Path, tmp_path: Path) -> None:
    zip_path = export_zip([source / S1], tmp_path / "one.zip")
    with zipfile.ZipFile(zip_path) as zf:
        largest = max(i.file_size for i in zf.infolist())
        total = sum(i.file_size for i in zf.infolist())
        count = len(zf.infolist())
    with pytest.raises(StorageError, match="too large"):
        import_zip(zip_path, target, max_member_bytes=largest - 1)
    with pytest.raises(StorageError, match="contents are too large"):
        import_zip(zip_path, target, max_total_bytes=total - 1)
    with pytest.raises(StorageError, match="entries"):
        import_zip(zip_path, target, max_members=count - 1)
    assert list(target.iterdir()) == []
    assert import_zip(zip_path, target, max_member_bytes=largest, max_members=count) == [
        target / S1
    ]


def test_decompression_bomb_is_stopped_by_the_declared_size(target: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{S1}/q01-take1.flac", b"\0" * (20 * 2**20))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(StorageError, match="too large"):
        import_zip(bomb, target, max_member_bytes=2**20)
    assert list(target.iterdir()) == []


def test_not_a_zip_is_rejected_clearly(target: Path, tmp_path: Path) -> None:
    fake = tmp_path / "photo.zip"
    fake.write_text("just some text")
    with pytest.raises(StorageError, match="not a readable zip"):
        import_zip(fake, target)
    empty = write_zip(tmp_path / "empty.zip", [(MANIFEST_NAME, b"{}")])
    with pytest.raises(StorageError, match="no sessions"):
        import_zip(empty, target)


def test_index_picks_up_imported_sessions(source: Path, target: Path, tmp_path: Path) -> None:
    index = HistoryIndex(target.parent / DB_FILE_NAME, target)
    assert index.sessions() == []
    for folder in import_zip(export_zip([source / S1], tmp_path / "s.zip"), target):
        index.update_session(folder)
    assert [r.session_id for r in index.sessions(search="conflict")] == [S1]
    index.close()
