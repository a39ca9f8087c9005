"""A private PulseAudio server with the same virtual speaker/microphone as .ci/virtual-audio.sh.

Other engineers' tests play into the shared server at the same time, and their sound would mix
into our recordings; a private server (a second of set-up) keeps the correlation checks honest.
It is also what the device-lost test kills, without disturbing anyone else.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


def _die_with_parent() -> None:
    """Runs in the child before exec: a killed test run must not leave servers behind."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class PulseServer:
    runtime_dir: Path
    env: dict[str, str]
    daemon: subprocess.Popen[bytes]
    helpers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def kill(self) -> None:
        """SIGKILL the daemon: to clients it looks like the device vanished."""
        for proc in [*self.helpers, self.daemon]:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)


def start_pulse_server(runtime_dir: Path, keep_alive: bool = True) -> PulseServer:
    """Start the server on its own socket; ``env`` points clients (paplay, PortAudio) at it."""
    runtime_dir.mkdir(parents=True, exist_ok=True)
    runtime_dir.chmod(0o700)
    (runtime_dir / "pulse").mkdir(exist_ok=True)
    socket = runtime_dir / "pulse" / "native"
    script = runtime_dir / "virtual.pa"
    script.write_text(
        f"load-module module-native-protocol-unix auth-anonymous=1 socket={socket}\n"
        "load-module module-null-sink sink_name=vsink rate=48000 channels=2\n"
        "set-default-sink vsink\n"
        "load-module module-remap-source master=vsink.monitor source_name=vmic\n"
        "set-default-source vmic\n"
    )
    env = dict(
        os.environ,
        XDG_RUNTIME_DIR=str(runtime_dir),
        PULSE_SERVER=f"unix:{socket}",
        HOME=str(runtime_dir),
    )
    daemon = subprocess.Popen(
        ["pulseaudio", "-n", "-F", str(script), "--daemonize=no", "--exit-idle-time=-1",
         "--log-target=file:" + str(runtime_dir / "pulse.log")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent,
    )  # fmt: skip
    server = PulseServer(runtime_dir, env, daemon)
    deadline = time.monotonic() + 10
    while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > deadline or daemon.poll() is not None:
            server.kill()
            raise RuntimeError(f"private PulseAudio did not start, see {runtime_dir}/pulse.log")
        time.sleep(0.05)
    if keep_alive:  # an idle null sink renders in 2 s blocks: keep it ticking (platform.md §5)
        server.helpers.append(
            subprocess.Popen(
                ["pacat", "--record", "-d", "vsink.monitor", "--latency-msec=20", "--raw"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        )
    return server
