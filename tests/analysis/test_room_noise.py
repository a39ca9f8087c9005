"""Room noise and the voice's distance above it, on real speech with noise of a known level."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.analysis.audio_io import load_audio, to_16k
from coach.analysis.command import summary
from coach.analysis.pipeline import analyze_samples
from tests.helpers.noise import with_room_noise

DATA = Path(__file__).resolve().parents[1] / "data"
LONG_CLIPS = ["jfk_whisper.flac", "librispeech_2412-153948-0000.flac", "vosk_test_digits.wav"]


def _clip(name: str) -> np.ndarray:
    samples, rate = load_audio(DATA / name)
    return to_16k(samples, rate).astype(np.float64)


@pytest.mark.parametrize("name", LONG_CLIPS)
def test_noise_added_ten_db_below_the_voice_is_measured_and_called_noisy(name: str) -> None:
    x = _clip(name)
    clean = analyze_samples(x, 16_000, None)
    assert clean.snr_db is not None
    assert clean.noisy is False, clean.snr_db  # studio, broadcast and a quiet room: > 15 dB
    # Noise 10 dB under the clip's P.56 active speech level, the usual way to mix at an SNR;
    # the recording's own noise is 10 dB or more lower still, so it adds at most 0.4 dB.
    noisy = analyze_samples(with_room_noise(x, 10.0), 16_000, None)
    assert noisy.noisy is True
    # the median of 30 ms frame levels of noise sits up to ~1.5 dB under its RMS level
    assert noisy.snr_db == pytest.approx(10.0, abs=2.5), noisy.snr_db
    assert "noisy room" in summary(noisy) and "noisy room" not in summary(clean)


def test_padding_with_digital_silence_is_a_quiet_room() -> None:
    x = _clip("cmu_arctic_us_aew_a0001.wav")
    padded = np.concatenate([np.zeros(16_000), x, np.zeros(16_000)])
    result = analyze_samples(padded, 16_000, None)
    assert result.noise_dbfs == -100.0 and result.noisy is False


def test_without_silence_the_room_is_not_guessed() -> None:
    result = analyze_samples(_clip("north_wind_and_sun_RP.wav"), 16_000, None)
    assert result.snr_db is None and result.noisy is None
    assert "without speech" in result.reasons["snr_db"]
    assert result.to_dict()["noise_dbfs"] is None
