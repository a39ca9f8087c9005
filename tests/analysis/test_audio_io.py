"""load_audio reads any format, rate and channel count; bad input is an AnalysisError."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import correlate, resample_poly

from coach.analysis.audio_io import load_audio, to_16k
from coach.errors import AnalysisError

DATA = Path(__file__).resolve().parents[1] / "data"


def _best_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of a and b at the lag that aligns them best (codecs add a delay)."""
    lag = int(np.argmax(correlate(b, a, mode="full"))) - (len(a) - 1)
    if lag >= 0:
        seg_b, seg_a = b[lag : lag + len(a)], a
    else:
        seg_b, seg_a = b, a[-lag : -lag + len(b)]
    n = min(len(seg_a), len(seg_b))
    return float(np.corrcoef(seg_a[:n], seg_b[:n])[0, 1])


def test_reads_wav_at_its_own_rate() -> None:
    samples, rate = load_audio(DATA / "vosk_test_digits.wav")
    assert rate == 16_000
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert len(samples) / rate == pytest.approx(8.3, abs=0.05)


def test_stereo_flac_becomes_mono_in_range() -> None:
    samples, rate = load_audio(DATA / "jfk_whisper.flac")
    raw, raw_rate = sf.read(DATA / "jfk_whisper.flac", dtype="float32", always_2d=True)
    assert raw.shape[1] == 2 and raw_rate == rate == 44_100
    assert samples.shape == (raw.shape[0],)
    assert np.allclose(samples, raw.mean(axis=1), atol=1e-6)
    assert float(np.abs(samples).max()) <= 1.0


@pytest.mark.parametrize("fmt", ["OGG", "MP3"])
def test_lossy_formats_decode_to_the_same_speech(tmp_path: Path, fmt: str) -> None:
    original, rate = load_audio(DATA / "north_wind_and_sun_RP.wav")
    path = tmp_path / f"clip.{fmt.lower()}"
    sf.write(path, original, rate, format=fmt)
    decoded, decoded_rate = load_audio(path)
    assert decoded_rate == rate
    assert abs(len(decoded) - len(original)) < rate * 0.1
    assert _best_correlation(original, decoded) > 0.9


def test_odd_rate_and_channels(tmp_path: Path) -> None:
    original, _ = load_audio(DATA / "vosk_test_digits.wav")
    resampled = np.asarray(resample_poly(original, 441, 640), dtype=np.float32)
    three = np.stack([resampled, resampled, resampled], axis=1)
    path = tmp_path / "three_channels.wav"
    sf.write(path, three, 11025, subtype="PCM_24")
    samples, got_rate = load_audio(path)
    assert got_rate == 11025
    back = to_16k(samples, got_rate)
    n = min(len(back), len(original))
    assert float(np.corrcoef(back[:n], original[:n])[0, 1]) > 0.95


def test_to_16k_keeps_frequency_and_duration() -> None:
    rate = 44_100
    t = np.arange(rate * 2) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    out = to_16k(tone, rate)
    assert len(out) == 32_000
    spectrum = np.abs(np.fft.rfft(out))
    assert np.fft.rfftfreq(len(out), 1 / 16_000)[int(np.argmax(spectrum))] == pytest.approx(
        440, abs=1
    )


def test_to_16k_is_identity_at_16k() -> None:
    x = np.linspace(-1, 1, 100, dtype=np.float32)
    assert to_16k(x, 16_000) is x


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("text.wav", b"this is not audio at all"),
        ("empty.mp3", b""),
        ("noise.flac", bytes(range(256)) * 8),
    ],
)
def test_non_audio_is_a_clear_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AnalysisError, match=f"Cannot read {name}"):
        load_audio(path)


def test_header_only_wav_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "silent_header.wav"
    sf.write(path, np.zeros((0, 1), np.float32), 16_000)
    with pytest.raises(AnalysisError, match="contains no audio"):
        load_audio(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match="does not exist"):
        load_audio(tmp_path / "nope.wav")
    with pytest.raises(AnalysisError, match="folder"):
        load_audio(tmp_path)
