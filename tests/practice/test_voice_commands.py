"""Voice commands: wording rules, standalone-utterance cutting, and the real recogniser on
espeak-ng commands and on real answers (which must never trigger one)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from coach.practice.live_vad import FrameResult, LiveVad
from coach.practice.voice_commands import (
    Command,
    UtteranceCutter,
    hear,
    match_command,
    whisper_recogniser,
)
from tests.helpers.noise import pink_noise
from tests.helpers.sound import load_16k
from tests.practice.feed import DATA, RATE

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize(
    ("said", "command"),
    [
        ("Could you repeat the question?", Command.REPEAT),
        ("Sorry, can you repeat that?", Command.REPEAT),
        ("Can I skip this one?", Command.SKIP),
        ("Could we skip that question, please?", Command.SKIP),
        ("I'm done.", Command.DONE),
        ("Okay, that's all. Thank you.", Command.DONE),
        ("I am finished.", Command.DONE),
    ],
)
def test_command_wording_is_recognised(said: str, command: Command) -> None:
    assert match_command(said) is command


@pytest.mark.parametrize(
    "said",
    [
        "Once I'm done with the tests I deploy it.",
        "That's all we had for the launch, so we improvised.",
        "I repeat the question to myself before I answer.",
        "We had to skip this step because the deadline moved.",
        "",
        "Could you repeat the question about the budget and the team size and the timeline?",
    ],
)
def test_the_same_words_inside_an_answer_are_not_commands(said: str) -> None:
    assert match_command(said) is None


def _frames(pattern: list[tuple[float, bool]]) -> list[tuple[FrameResult, np.ndarray]]:
    out, t = [], 0.0
    for seconds, speech in pattern:
        for _ in range(round(seconds / 0.03)):
            t += 0.03
            out.append((FrameResult(t, 0, 0.03, -30.0, speech, False), np.full(480, 0.1 * speech)))
    return out


def _cut(pattern: list[tuple[float, bool]]) -> list:
    cutter = UtteranceCutter()
    return [u for r, a in _frames(pattern) for u in cutter.feed(r, a)]


def test_only_short_utterances_between_pauses_are_cut() -> None:
    (u,) = _cut([(1.0, False), (1.5, True), (0.6, False)])
    assert u.start_t == pytest.approx(1.0, abs=0.031) and u.end_t == pytest.approx(2.5, abs=0.031)
    assert len(u.audio) == pytest.approx((0.2 + 1.5 + 0.2) * RATE, abs=480)
    assert _cut([(1.0, False), (4.0, True), (0.6, False)]) == []  # a sentence of an answer
    assert _cut([(1.0, False), (0.15, True), (0.6, False)]) == []  # a click
    # Said straight after a sentence with no pause: not standalone.
    assert _cut([(1.0, False), (3.5, True), (0.1, False), (1.0, True), (0.6, False)]) == []
    # Two short phrases separated by a real pause: both are candidates.
    assert len(_cut([(1.0, False), (1.0, True), (0.6, False), (1.0, True), (0.6, False)])) == 2


@pytest.fixture(scope="module")
def recognise(tmp_path_factory: pytest.TempPathFactory) -> object:
    from coach.analysis.whisper_engine import WhisperTranscriber
    from tests.helpers.whisper_model import build_whisper_base

    transcriber = WhisperTranscriber(build_whisper_base(tmp_path_factory.mktemp("whisper")))
    transcriber.load()
    return whisper_recogniser(transcriber)


def _heard(samples: np.ndarray, recognise: object) -> list[Command]:
    vad, cutter, found = LiveVad(RATE), UtteranceCutter(), []
    for i in range(0, len(samples), 320):
        frames = vad.feed(samples[i : i + 320], (i + 320) / RATE, i)
        for k, r in enumerate(frames):
            for u in cutter.feed(r, vad.last_audio[k * 480 : (k + 1) * 480]):
                got = hear(u, recognise)  # type: ignore[arg-type]
                if got is not None:
                    found.append(got.command)
    return found


def _room(seconds: float, seed: int) -> np.ndarray:
    return pink_noise(round(seconds * RATE), seed) * 10 ** (-60 / 20)


@pytest.mark.parametrize(
    ("text", "voice", "command"),
    [
        ("Could you repeat the question?", "en-us", Command.REPEAT),
        ("Can I skip this one?", "en-gb+m3", Command.SKIP),
        ("I'm done.", "en-us+f3", Command.DONE),
    ],
)
def test_commands_spoken_after_a_real_answer_are_heard(
    text: str, voice: str, command: Command, recognise: object, tmp_path: Path
) -> None:
    wav = tmp_path / "command.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(wav), text], check=True)
    spoken = load_16k(wav).astype(np.float64)
    spoken *= 0.3 / np.max(np.abs(spoken))
    answer = load_16k(DATA / "librispeech_2412-153948-0000.flac")[: 5 * RATE]
    x = np.concatenate([_room(1.0, 1), answer, _room(0.7, 2), spoken, _room(1.5, 3)])
    assert _heard(x + _room(len(x) / RATE, 4), recognise) == [command]


@pytest.mark.parametrize(
    "name",
    [
        "jfk_whisper.flac",
        "librispeech_2412-153948-0000.flac",
        "vosk_test_digits.wav",
        "ami_ES2011a_Headset-0_40s-46s.wav",
        "goforward_16k.wav",
        "cmu_arctic_us_aew_a0001.wav",
        "north_wind_and_sun_RP.wav",
    ],
)
def test_real_speech_never_triggers_a_command(name: str, recognise: object) -> None:
    x = load_16k(DATA / name).astype(np.float64)
    x = np.concatenate([_room(1.0, 1), x, _room(1.5, 2)])
    assert _heard(x + _room(len(x) / RATE, 3), recognise) == []
