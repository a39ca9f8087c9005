"""Real session folders for the review tests: real clips, analysed for real, stored as JSON.

Each clip is analysed once per run (pocketsphinx; Whisper for the synthesised answers) and the
stored analysis JSON is reused for every session folder built from it.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before anything imports faster_whisper / huggingface_hub

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.analysis.engines import make_transcriber
from coach.analysis.pipeline import analyze_file
from coach.analysis.whisper_engine import WhisperTranscriber
from coach.core.session import AskedQuestion, Session, Take
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from tests.helpers.whisper_model import build_whisper_base

DATA = Path(__file__).resolve().parents[1] / "data"
CLIPS = {
    "jfk": "jfk_whisper.flac",
    "libri": "librispeech_2412-153948-0000.flac",
    "digits": "vosk_test_digits.wav",
    "ami": "ami_ES2011a_Headset-0_40s-46s.wav",
    "short": "goforward_16k.wav",
}
# Spoken by espeak-ng and transcribed by Whisper: real audio, real recognition.
SPOKEN = {
    "star": (
        "When I was at my previous job, our releases took two days. My task was to make them "
        "faster. I automated the build and I wrote the deployment scripts. As a result, we cut "
        "the release time by eighty percent."
    ),
    "blame": (
        "The project failed because they failed to test anything. It was not my fault. "
        "The client always changed everything and management never listened to us."
    ),
    # Answers to the closing "Do you have any questions for me?"
    "asks": "What does a typical day look like in this role, and how big is the team?",
    "none": "No, I do not have any questions.",
}


@dataclass(frozen=True)
class Clip:
    source: Path
    analysis: dict[str, object]


@pytest.fixture(scope="session")
def sphinx_clips() -> dict[str, Clip]:
    transcriber = make_transcriber("pocketsphinx")
    return {
        key: Clip(DATA / name, analyze_file(DATA / name, transcriber).to_dict())
        for key, name in CLIPS.items()
    }


@pytest.fixture(scope="session")
def whisper_clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Clip]:
    folder = tmp_path_factory.mktemp("spoken")
    model = build_whisper_base(folder / "whisper-base")
    transcriber = WhisperTranscriber(model)
    transcriber.load()
    out = {}
    for key, text in SPOKEN.items():
        wav = folder / f"{key}.wav"
        subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), text], check=True)
        out[key] = Clip(wav, analyze_file(wav, transcriber).to_dict())
    return out


@pytest.fixture(scope="session")
def noisy_clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """Real read speech with pink noise 10 dB under the voice: a take from a noisy room."""
    import numpy as np
    import soundfile as sf

    from coach.analysis.audio_io import load_audio, to_16k
    from tests.helpers.noise import with_room_noise

    samples, rate = load_audio(DATA / CLIPS["libri"])
    mixed = with_room_noise(to_16k(samples, rate), 10.0)
    wav = tmp_path_factory.mktemp("noisy") / "noisy.wav"
    sf.write(wav, np.clip(mixed, -1, 1), 16_000, subtype="PCM_16")
    return Clip(wav, analyze_file(wav, make_transcriber("pocketsphinx")).to_dict())


@pytest.fixture(scope="session")
def silent_clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """Eight seconds of a quiet room and no voice (white noise at -65 dBFS), analysed for real:
    a take where the user said nothing."""
    import numpy as np
    import soundfile as sf

    rng = np.random.default_rng(7)
    noise = rng.normal(0.0, 10 ** (-65 / 20), 8 * 16_000).astype(np.float32)
    wav = tmp_path_factory.mktemp("silent") / "silent.wav"
    sf.write(wav, noise, 16_000, subtype="PCM_16")
    return Clip(wav, analyze_file(wav, make_transcriber("pocketsphinx")).to_dict())


TakeSpec = str | tuple[str, dict[str, object]]
"""A clip key, or (clip key, Take field overrides such as think_s or spoke_over_question)."""


@dataclass
class Built:
    folder: Path
    session: Session
    store: SessionStore


Factory = Callable[..., Built]


@pytest.fixture
def build_session(tmp_path: Path, sphinx_clips: dict[str, Clip]) -> Callable[..., Built]:
    """build_session([["jfk"], ["libri", "digits"]], clips=..., created_at=..., star=[...])."""

    def make(
        questions: Sequence[Sequence[TakeSpec]],
        *,
        clips: dict[str, Clip] | None = None,
        root: Path | None = None,
        created_at: str | None = None,
        star: Sequence[int] = (),
        job_terms: Sequence[str] = (),
        think_s: float = 30.0,
    ) -> Built:
        pool = clips if clips is not None else sphinx_clips
        store = SessionStore(root or tmp_path / "sessions")
        asked = [
            AskedQuestion(id=f"q{i}", text=f"Question {i + 1}?", star=i in star)
            for i in range(len(questions))
        ]
        session = store.create(InterviewSettings(), asked, "Review test")
        if created_at is not None:
            session.created_at = created_at
        session.job_terms = list(job_terms)
        folder = store.folder(session)
        for qi, takes in enumerate(questions):
            for ti, spec in enumerate(takes):
                key, extra = (spec, {}) if isinstance(spec, str) else spec
                clip = pool[key]
                audio = f"q{qi + 1:02d}-take{ti + 1}{clip.source.suffix}"
                shutil.copyfile(clip.source, folder / audio)
                analysis_name = f"q{qi + 1:02d}-take{ti + 1}.analysis.json"
                stored = dict(clip.analysis, file=str(folder / audio))
                (folder / analysis_name).write_text(json.dumps(stored), encoding="utf-8")
                fields: dict[str, object] = {"think_s": think_s, **extra}
                take = Take(
                    audio=audio,
                    duration_s=float(str(clip.analysis["duration_s"])),
                    started_at=session.created_at,
                    analysis=analysis_name,
                    **fields,  # type: ignore[arg-type]
                )
                session.questions[qi].takes.append(take)
        store.save(session)
        return Built(folder, session, store)

    return make
