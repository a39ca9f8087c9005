"""Microphones and speakers as PortAudio sees them, chosen by name so a saved choice survives
devices being plugged in or out (PortAudio indices change, names mostly do not)."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from coach.errors import DeviceError

_NO_PORTAUDIO = (
    "Sound system not available: PortAudio is not installed. "
    "Install it (on Debian/Ubuntu: sudo apt install libportaudio2) and restart Second Round."
)


@dataclass(frozen=True)
class AudioDevice:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool
    is_default_output: bool


def import_sounddevice() -> ModuleType:
    """Import sounddevice on first use: without PortAudio the import itself raises OSError."""
    try:
        import sounddevice
    except OSError as exc:
        raise DeviceError(_NO_PORTAUDIO, detail=str(exc)) from exc
    return sounddevice


def _all_devices() -> list[AudioDevice]:
    sd = import_sounddevice()
    try:
        raw_devices: Any = sd.query_devices()
        hostapis: Any = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise DeviceError("Sound system not available.", detail=str(exc)) from exc
    default_in, default_out = _default_indices(sd)
    devices = []
    for info in raw_devices:
        index = int(info["index"])
        devices.append(
            AudioDevice(
                index=index,
                name=str(info["name"]),
                hostapi=str(hostapis[int(info["hostapi"])]["name"]),
                max_input_channels=int(info["max_input_channels"]),
                max_output_channels=int(info["max_output_channels"]),
                default_samplerate=float(info["default_samplerate"]),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return devices


def _default_indices(sd: ModuleType) -> tuple[int, int]:
    """PortAudio's default input/output device indices, -1 where there is none."""
    try:
        default_in, default_out = sd.default.device
    except (TypeError, ValueError):
        return -1, -1
    return (
        int(default_in) if default_in is not None else -1,
        int(default_out) if default_out is not None else -1,
    )


def refresh_devices() -> None:
    """Re-scan devices: PortAudio lists them once, at start-up, so a microphone plugged in later
    (or a sound server started later) is only seen after this. It closes every open stream, so
    call it only while nothing records or plays (e.g. a "Refresh" button on the setup screen).
    Uses the terminate/initialize pair the sounddevice maintainer recommends for this
    (python-sounddevice #125)."""
    sd = import_sounddevice()
    try:
        sd._terminate()
        sd._initialize()
    except sd.PortAudioError as exc:
        raise DeviceError("Sound system not available.", detail=str(exc)) from exc


def list_input_devices() -> list[AudioDevice]:
    """Every device that can record; [] when there is none (DeviceError only without PortAudio)."""
    return [d for d in _all_devices() if d.max_input_channels > 0]


def list_output_devices() -> list[AudioDevice]:
    """Every device that can play; [] when there is none."""
    return [d for d in _all_devices() if d.max_output_channels > 0]


def _resolve(devices: list[AudioDevice], name: str | None, is_input: bool) -> AudioDevice | None:
    if name:
        for device in devices:
            if device.name == name:
                return device
    for device in devices:
        if device.is_default_input if is_input else device.is_default_output:
            return device
    return devices[0] if devices else None


def resolve_input(name: str | None) -> AudioDevice:
    """The saved microphone if it is still there, else the default one, else the first one."""
    device = _resolve(list_input_devices(), name, is_input=True)
    if device is None:
        raise DeviceError(
            "No microphone found. Connect a microphone (or check that the sound system is "
            "running) and choose it in Settings."
        )
    return device


def resolve_output(name: str | None) -> AudioDevice:
    """The saved speaker if it is still there, else the default one, else the first one."""
    device = _resolve(list_output_devices(), name, is_input=False)
    if device is None:
        raise DeviceError(
            "No speaker or headphones found. Connect one (or check that the sound system is "
            "running) and choose it in Settings."
        )
    return device
