"""Expected failures through the real window: each gets a clear message and nothing is lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach import paths
from coach.app import create_main_window
from coach.audio.devices import list_input_devices, refresh_devices
from coach.core.interview import Phase
from coach.ui.main_window import MainWindow
from tests.helpers.private_pulse import start_pulse_server
from tests.helpers.tmpfs import small_disk
from tests.ui.conftest import configure


def phase(w: MainWindow) -> Phase | None:
    return w.controller.interview.phase if w.controller.interview else None


def first_take(w: MainWindow) -> dict[str, object] | None:
    session = w.controller.session
    if session is None or not session.questions[0].takes:
        return None
    return session.questions[0].takes[0].to_dict()


@pytest.fixture
def no_sound_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """PortAudio sees no devices at all, as on a machine without a sound server."""
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-such-socket")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    refresh_devices()
    yield
    monkeypatch.undo()
    refresh_devices()


def test_no_microphone_the_interview_still_runs(
    qtbot: QtBot, data_dir: Path, no_sound_server: None
) -> None:
    assert list_input_devices() == []
    w = create_main_window()
    qtbot.addWidget(w)
    w.show()
    configure(w, count=2, think=0)
    w.setup_view.start_button.click()
    qtbot.waitUntil(lambda: "microphone" in w.messages.label.text().lower(), timeout=15000)
    assert "continues without recording" in w.messages.label.text()
    assert phase(w) is Phase.RECORDING
    assert not w.controller.recording_enabled
    w.interview_view.done_button.click()
    w.interview_view.next_button.click()
    qtbot.waitUntil(lambda: w.controller.interview.index == 1, timeout=5000)
    w.interview_view.finish_button.click()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.review_view, timeout=10000)
    qtbot.waitUntil(w.runner.is_idle, timeout=10000)
    data = json.loads(
        (w.controller.store.folder(w.controller.session) / "session.json").read_text()
    )
    assert data["status"] == "finished"
    assert all(q["takes"] == [] for q in data["questions"])
    w.close()


def test_microphone_lost_mid_take_keeps_the_answer(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_pulse_server(tmp_path / "doomed-pulse")
    for name in ("PULSE_SERVER", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(name, server.env[name])
    refresh_devices()
    w = create_main_window()
    qtbot.addWidget(w)
    try:
        w.show()
        configure(w, think=0)
        w.setup_view.start_button.click()
        qtbot.waitUntil(lambda: w.controller.mic_live, timeout=15000)
        qtbot.wait(1500)
        server.kill()  # the microphone disappears mid-answer
        qtbot.waitUntil(
            lambda: "microphone stopped working" in w.messages.label.text(), timeout=15000
        )
        qtbot.waitUntil(lambda: (first_take(w) or {}).get("status") == "device_lost", timeout=15000)
        take = first_take(w)
        assert take is not None
        audio = w.controller.store.folder(w.controller.session) / str(take["audio"])
        assert audio.suffix == ".flac" and audio.is_file()
        assert float(take["duration_s"]) >= 1.0  # what was recorded before the loss is kept
        assert phase(w) is Phase.ANSWERED
    finally:
        w.close()
        server.kill()
        monkeypatch.undo()
        refresh_devices()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB filesystem (tmpfs): a few seconds of recording fill it up."""
    with small_disk(tmp_path / "tiny", "1m") as disk:
        yield disk


def test_disk_full_while_recording_is_a_message_not_a_crash(
    qtbot: QtBot, tiny_disk: Path, monkeypatch: pytest.MonkeyPatch, virtual_audio: dict[str, str]
) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tiny_disk / "coach"))
    monkeypatch.setenv("COACH_ASR_ENGINE", "none")
    w = create_main_window()
    qtbot.addWidget(w)
    try:
        w.show()
        configure(w, think=0)
        w.setup_view.start_button.click()
        qtbot.waitUntil(lambda: "disk is full" in w.messages.label.text(), timeout=30000)
        qtbot.waitUntil(lambda: phase(w) is Phase.ANSWERED, timeout=5000)
        qtbot.waitUntil(w.runner.is_idle, timeout=10000)
        assert "earlier answers are safe" in w.messages.label.text()
        assert w.isVisible()
        folder = w.controller.store.folder(w.controller.session)
        kept = list(folder.glob("q01-take1.*"))
        assert kept, "what was recorded before the disk filled up must stay on disk"
        assert sum(p.stat().st_size for p in kept) > 100_000
        # Listed as what it is: kept, how long, cut short; not a misleading "Answer saved".
        take = first_take(w)
        assert take is not None and take["status"] == "cut_short"
        assert float(take["duration_s"]) > 1.0
        view = w.interview_view
        assert view.takes_list.count() == 1
        assert "cut short" in view.takes_list.item(0).text()
        assert "Answer saved" not in view.phase_label.text()
        assert "cut short" in view.phase_label.text()
        on_disk = json.loads((folder / "session.json").read_text())
        assert on_disk["questions"][0]["takes"][0]["status"] == "cut_short"
    finally:
        w.close()


def test_unwritable_data_folder_is_a_message(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, virtual_audio: dict[str, str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the data folder cannot be created under a file")
    monkeypatch.setenv("COACH_DATA_DIR", str(blocker / "coach"))
    monkeypatch.setenv("COACH_ASR_ENGINE", "none")
    w = create_main_window()
    qtbot.addWidget(w)
    w.show()
    configure(w, think=0)
    w.setup_view.start_button.click()
    qtbot.waitUntil(
        lambda: "Could not create the session folder" in w.messages.label.text(), timeout=10000
    )
    assert w.stack.currentWidget() is w.setup_view
    w.close()


def test_malformed_question_bank_is_named_and_the_good_banks_load(
    qtbot: QtBot, data_dir: Path, virtual_audio: dict[str, str]
) -> None:
    own = data_dir / "questions"
    own.mkdir(parents=True)
    (own / "mine.toml").write_text('schema_version = 1\n[bank]\nid = "mine"\ntitle = "Mine\n')
    w = create_main_window()
    qtbot.addWidget(w)
    w.show()
    text = w.messages.label.text()
    assert "mine.toml:4:" in text and "invalid TOML" in text  # file and line named
    assert w.setup_view.bank_box.count() > 10  # the built-in banks are all there
    w.close()


def test_a_chosen_data_folder_on_a_missing_drive_is_a_message(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COACH_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))  # where the default lives
    monkeypatch.setenv("COACH_ASR_ENGINE", "none")
    drive = tmp_path / "media" / "usb" / "second-round"
    pointer = paths.data_pointer_file()
    pointer.parent.mkdir(parents=True, exist_ok=True)
    pointer.write_text(f"{drive}\n", encoding="utf-8")
    try:
        w = create_main_window()
        qtbot.addWidget(w)
        w.show()
        assert str(drive) in w.messages.label.text()
        assert w.data_dir == paths.default_data_dir() and not drive.exists()
        qtbot.waitUntil(w.runner.is_idle, timeout=20000)
        w.close()
    finally:
        pointer.unlink()
