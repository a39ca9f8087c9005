"""Hands-free listening through the real recorder and the PulseAudio virtual microphone.

The virtual speaker is looped into the virtual microphone, so what paplay plays is what the
"candidate" says, and what the app's own Player plays is heard as a laptop microphone hears the
interviewer. Silence in the virtual microphone is exact zeros (no input), so every answer is
played with room tone around it, as a real microphone delivers.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach.analysis.vad import detect_voice_activity
from coach.practice.input_watch import NO_INPUT_AFTER_S, InputLost, InputWatch
from coach.practice.live_vad import FrameResult
from coach.practice.turn_taking import AnswerEnded, Listener, SpeechStarted, TurnState
from tests.audio.audio_check import ncc_peak
from tests.helpers.private_pulse import start_pulse_server
from tests.helpers.sound import load_16k
from tests.practice.feed import DATA, RATE, spliced_answer
from tests.practice.live import listen_for_one_answer, lost, play

pytestmark = pytest.mark.audio


def test_input_watch_reports_dead_input_once_and_its_return() -> None:
    watch = InputWatch()
    frames = [FrameResult(i * 0.03, 0, 0.03, -200.0, False, True) for i in range(1, 200)]
    events = [e for r in frames for e in watch.frame(r)]
    assert len(events) == 1 and isinstance(events[0], InputLost)
    assert events[0].t == pytest.approx(NO_INPUT_AFTER_S, abs=0.031)
    assert "can't hear you" in events[0].message
    live = [FrameResult(6 + i * 0.03, 0, 0.03, -60.0, False, False) for i in range(1, 20)]
    back = [e for r in live for e in watch.frame(r)]
    assert len(back) == 1 and not watch.lost
    # Short dropouts (a stream starting, a glitch) are not reported.
    watch.reset()
    blips = [FrameResult(i * 0.03, 0, 0.03, -200.0, False, i % 50 < 40) for i in range(1, 400)]
    assert [e for r in blips for e in watch.frame(r)] == []


def test_an_answer_with_long_pauses_is_recorded_whole_from_its_first_syllable(
    virtual_audio: dict[str, str], tmp_path: Path
) -> None:
    answer = spliced_answer("librispeech_2412-153948-0000.flac", lead_s=2.0, pauses=2, tail_s=7)
    wav = tmp_path / "answer.wav"
    sf.write(wav, answer.samples.astype(np.float32), RATE)
    player: list[subprocess.Popen[bytes]] = []

    def start_playing(elapsed: float, _listener: Listener) -> None:
        if not player and elapsed > 0.5:
            player.append(play(wav))

    session = listen_for_one_answer(tmp_path, during=start_playing, timeout_s=45)
    player[0].wait(30)
    assert session.take is not None, session.events
    kinds = [type(e) for _, e in session.events]
    assert kinds.count(SpeechStarted) == 1 and kinds.count(AnswerEnded) == 1
    take = load_16k(session.take.path)
    speech = answer.samples[round(answer.speech_start_s * RATE) : round(answer.speech_end_s * RATE)]
    score, lag = ncc_peak(take.astype(np.float64), speech)
    lag_s = lag / RATE
    assert score > 0.8  # the whole answer, pauses included, is in the take …
    assert 0.05 <= lag_s <= 0.8  # … from before its first syllable (the pre-roll)
    activity = detect_voice_activity(take.astype(np.float32))
    span = activity.span
    assert span is not None
    # The take ends the setting (4 s) after the last word, plus the pipeline's delay.
    assert 3.7 <= len(take) / RATE - span.end_s <= 4.0 + 1.0


def test_the_interviewers_voice_through_the_microphone_starts_nothing(
    virtual_audio: dict[str, str], tmp_path: Path
) -> None:
    from coach.audio.player import Player

    question = tmp_path / "question.wav"
    subprocess.run(
        ["espeak-ng", "-w", str(question), "Tell me about a time you disagreed with a colleague."],
        check=True,
    )
    app_player = Player()
    duration = app_player.load(question)
    state: dict[str, float] = {"played": False, "done": 0.0}

    def interviewer(elapsed: float, listener: Listener) -> None:
        if not state["played"] and elapsed > 0.3:
            listener.turn.playback(True, time.monotonic())
            app_player.play(0.0)
            state["played"] = True
        elif state["played"] and not state["done"] and not app_player.is_playing():
            listener.turn.playback(False, time.monotonic())
            state["done"] = elapsed
        elif state["done"] and elapsed > state["done"] + 1.5:  # past the echo tail
            state["stop"] = True

    session = listen_for_one_answer(
        tmp_path,
        during=interviewer,
        timeout_s=duration + 6,
        stop_when=lambda _: bool(state.get("stop")),
    )
    app_player.close()
    assert state["done"] >= duration * 0.8  # it really played, and was heard …
    assert not [e for _, e in session.events if isinstance(e, SpeechStarted)]  # … ignored


def test_a_microphone_moved_to_a_silent_fallback_is_said_and_never_ends_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when a headset is unplugged: the server moves the stream to a silent source."""
    server = start_pulse_server(tmp_path / "pulse")
    for name in ("PULSE_SERVER", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(name, server.env[name])
    env = server.env

    def pactl(*args: str) -> str:
        return subprocess.run(["pactl", *args], env=env, capture_output=True, text=True).stdout

    pactl("load-module", "module-null-sink", "sink_name=fallback")
    answer = spliced_answer("jfk_whisper.flac", lead_s=1.0, pauses=1, tail_s=1.0)
    wav = tmp_path / "answer.wav"
    sf.write(wav, answer.samples.astype(np.float32), RATE)
    state: dict[str, float] = {}
    procs: list[subprocess.Popen[bytes]] = []

    def unplug(elapsed: float, listener: Listener) -> None:
        if not procs:
            procs.append(play(wav, env))
            state["t0"] = elapsed
        if "answering" not in state and listener.turn.state is TurnState.ANSWERING:
            state["answering"] = elapsed  # the answer has begun: from its start, not the clock's
        elif "moved" not in state and "answering" in state and elapsed - state["answering"] > 2.0:
            # 2 s into the answer the microphone goes away; the stream lands on the fallback.
            mic = next(
                line.split()[0]
                for line in pactl("list", "short", "modules").splitlines()
                if "module-remap-source" in line
            )
            pactl("set-default-source", "fallback.monitor")
            pactl("unload-module", mic)
            state["moved"] = time.monotonic()

    try:
        session = listen_for_one_answer(
            tmp_path, during=unplug, timeout_s=25, stop_when=lambda s: False
        )
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(10)
        server.kill()
    assert "moved" in state
    assert any(isinstance(e, SpeechStarted) for _, e in session.events)
    assert lost(session)  # "I can't hear you" …
    lost_at = next(t for t, e in session.events if isinstance(e, InputLost))
    assert NO_INPUT_AFTER_S <= lost_at - state["moved"] <= NO_INPUT_AFTER_S + 2.0
    # … and the 15+ s of digital silence that follow never end the answer.
    assert not [e for _, e in session.events if isinstance(e, AnswerEnded)]
    assert session.take is None


def test_takes_begin_and_end_on_one_listening_stream(
    virtual_audio: dict[str, str], tmp_path: Path
) -> None:
    """Between answers the microphone stays open (no 2 s reopen, the tap keeps going)."""
    from coach.audio.recorder import PREROLL_KEEP_S, BlockTap, Recorder

    recorder = Recorder()
    recorder.tap = BlockTap()
    recorder.start(None)
    player = play(DATA / "librispeech_2412-153948-0000.flac")
    try:
        time.sleep(1.5)
        rate = recorder.samplerate
        first = recorder.begin_take(tmp_path / "a.partial.raw", from_sample=0)
        assert first >= 0 and recorder.poll().recording
        time.sleep(1.0)
        one = recorder.end_take(tmp_path / "a.flac")
        assert not recorder.poll().recording
        time.sleep(0.5)
        second = recorder.begin_take(tmp_path / "b.partial.raw")
        time.sleep(1.0)
        two = recorder.end_take(tmp_path / "b.flac")
        status = recorder.poll()
        assert not status.device_lost and status.error is None
    finally:
        recorder.stop(None)
        player.kill()
        player.wait(10)
    assert one is not None and two is not None
    # The first reached back to the start of the stream (all of it was still kept) …
    assert one.duration_s == pytest.approx((second - first) / rate - 0.5, abs=0.35)
    assert one.duration_s <= PREROLL_KEEP_S + 1.3
    assert two.duration_s == pytest.approx(1.0, abs=0.35)  # … the second began "now".
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.flac", "b.flac"]
    taken = recorder.tap.take()
    assert taken and taken[-1].first_sample > second  # the tap kept delivering throughout
