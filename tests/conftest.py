"""Suite-wide settings and the private virtual sound server every audio test uses."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COACH_NO_ERROR_WINDOWS", "1")
# QSettings and desktop files go to a throw-away folder, never the developer's own.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="coach-test-config-")

from tests.helpers.private_pulse import PulseServer, start_pulse_server

pytest.register_assert_rewrite("tests.helpers.app_driver")  # its checks report their values


@pytest.fixture(scope="session")
def _private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    """One PulseAudio server per test run, so nothing else's sound mixes into the checks."""
    server = start_pulse_server(tmp_path_factory.mktemp("pulse"))
    yield server
    server.kill()


@pytest.fixture
def virtual_audio(_private_server: PulseServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point this process (PortAudio opens PCMs per stream) and its children at the private
    virtual speaker/microphone; returns the environment to use for subprocesses."""
    from coach.audio.devices import list_input_devices, refresh_devices

    for name in ("PULSE_SERVER", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(name, _private_server.env[name])
    if not list_input_devices():  # PortAudio was first loaded with no sound server running
        refresh_devices()
    return _private_server.env
