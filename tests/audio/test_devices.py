"""Device listing and choice by name, against the real PortAudio and the virtual devices."""

from __future__ import annotations

import pytest

from coach.audio.devices import (
    list_input_devices,
    list_output_devices,
    refresh_devices,
    resolve_input,
    resolve_output,
)

pytestmark = pytest.mark.audio


def test_virtual_devices_are_listed_with_one_default(virtual_audio: dict[str, str]) -> None:
    inputs, outputs = list_input_devices(), list_output_devices()
    assert inputs and outputs
    assert sum(d.is_default_input for d in inputs) == 1
    assert sum(d.is_default_output for d in outputs) == 1
    assert all(d.max_input_channels > 0 and d.default_samplerate > 0 for d in inputs)
    assert all(d.max_output_channels > 0 for d in outputs)


def test_saved_name_wins_and_unknown_name_falls_back_to_default(
    virtual_audio: dict[str, str],
) -> None:
    default = resolve_input(None)
    assert default.is_default_input
    other = next((d for d in list_input_devices() if not d.is_default_input), None)
    if other is not None:
        assert resolve_input(other.name) == other
    assert resolve_input("USB mic that was unplugged") == default
    assert resolve_output("Old headphones").is_default_output


def test_refresh_rescans_and_keeps_the_same_devices(virtual_audio: dict[str, str]) -> None:
    before = [d.name for d in list_input_devices()]
    refresh_devices()
    assert [d.name for d in list_input_devices()] == before
