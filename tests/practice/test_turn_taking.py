"""Hands-free turn taking: the rules on synthetic frames, then on real speech with long pauses."""

from __future__ import annotations

import pytest

from coach.practice.live_vad import FrameResult
from coach.practice.turn_taking import (
    COUNTDOWN_SHOW_S,
    ECHO_TAIL_S,
    AnswerEnded,
    CountdownChanged,
    SpeechStarted,
    TurnState,
    TurnTaker,
    clamp_end_silence,
)
from tests.practice.feed import first, frames_of, run_turn, spliced_answer

FRAME = 0.03


class Stream:
    """Synthetic 30 ms frames on a running clock."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sample = 0

    def frames(self, seconds: float, *, speech: bool = False, dead: bool = False) -> list:
        out = []
        for _ in range(round(seconds / FRAME)):
            self.t += FRAME
            level = -30 if speech else -60
            out.append(FrameResult(self.t, self.sample, FRAME, level, speech, dead))
            self.sample += 480
        return out


def feed(taker: TurnTaker, frames: list) -> list[tuple[float, object]]:
    return [(r.t, e) for r in frames for e in taker.frame(r)]


def test_onset_needs_a_quarter_second_of_speech_and_points_at_its_first_frame() -> None:
    s, taker = Stream(), TurnTaker()
    taker.listen(0.0)
    assert feed(taker, s.frames(2.0)) == []
    assert feed(taker, s.frames(0.12, speech=True) + s.frames(0.5)) == []  # a click, a breath
    onset_frames = s.frames(0.15, speech=True) + s.frames(0.09) + s.frames(0.15, speech=True)
    events = feed(taker, onset_frames)  # gaps under 0.25 s are bridged
    assert [type(e) for _, e in events] == [SpeechStarted]
    started = events[0][1]
    assert isinstance(started, SpeechStarted)
    assert started.sample == onset_frames[0].sample
    assert started.t == pytest.approx(onset_frames[0].t - FRAME)
    assert taker.state is TurnState.ANSWERING


def test_answer_ends_after_the_setting_with_a_countdown_and_pauses_do_not_end_it() -> None:
    s, taker = Stream(), TurnTaker(end_silence_s=4.0)
    taker.listen(0.0)
    feed(taker, s.frames(1.0, speech=True))
    for pause in (2.0, 2.5, 3.0, 3.9):  # thinking pauses inside the answer
        events = feed(taker, s.frames(pause))
        assert not [e for _, e in events if isinstance(e, AnswerEnded)], pause
        events = feed(taker, s.frames(0.3, speech=True))
        assert taker.countdown is None  # speech cancelled whatever was shown
    last_speech = s.t
    events = feed(taker, s.frames(6.0))
    shown = [e.seconds for _, e in events if isinstance(e, CountdownChanged)]
    assert shown == [3, 2, 1, None]
    ends = [t for t, e in events if isinstance(e, AnswerEnded)]
    assert ends == [pytest.approx(last_speech + 4.0, abs=FRAME)]
    assert taker.state is TurnState.ENDED
    assert feed(taker, s.frames(1.0, speech=True)) == []  # over until the next listen()


def test_speech_during_the_countdown_cancels_it() -> None:
    s, taker = Stream(), TurnTaker(end_silence_s=4.0)
    taker.answer_started(0.0)
    feed(taker, s.frames(1.5, speech=True))
    events = feed(taker, s.frames(1.8))
    assert [e.seconds for _, e in events if isinstance(e, CountdownChanged)] == [3]
    events = feed(taker, s.frames(0.03, speech=True))  # one frame: not yet speech
    assert taker.countdown == 3
    events = feed(taker, s.frames(0.09, speech=True))
    assert [e for _, e in events] == [CountdownChanged(None)]
    assert taker.silence_s == 0.0
    events = feed(taker, s.frames(3.9))
    assert not [e for _, e in events if isinstance(e, AnswerEnded)]


@pytest.mark.parametrize("setting", [2.0, 6.0, 10.0])
def test_the_setting_is_honoured_and_clamped(setting: float) -> None:
    s, taker = Stream(), TurnTaker(end_silence_s=setting)
    taker.answer_started(0.0)
    feed(taker, s.frames(1.5, speech=True))
    start = s.t
    events = feed(taker, s.frames(12.0))
    (end,) = [t for t, e in events if isinstance(e, AnswerEnded)]
    assert end - start == pytest.approx(setting, abs=FRAME)
    shown = [e.seconds for _, e in events if isinstance(e, CountdownChanged) and e.seconds]
    assert shown[0] == min(int(COUNTDOWN_SHOW_S), round(setting - 1))
    assert clamp_end_silence(1.0) == 2.0 and clamp_end_silence(30) == 10.0


def test_a_cough_alone_never_ends_a_take() -> None:
    s, taker = Stream(), TurnTaker()
    taker.listen(0.0)
    feed(taker, s.frames(0.4, speech=True))  # started the take
    assert taker.state is TurnState.ANSWERING
    assert feed(taker, s.frames(20.0)) == []  # still thinking: the answer limit is the backstop


def test_the_interviewers_voice_never_starts_extends_or_ends_an_answer() -> None:
    s, taker = Stream(), TurnTaker()
    taker.listen(0.0)
    taker.playback(True, s.t)
    assert feed(taker, s.frames(3.0, speech=True)) == []  # the question heard through the mic
    taker.playback(False, s.t)
    assert feed(taker, s.frames(ECHO_TAIL_S - 0.05, speech=True)) == []  # its reverberation
    assert taker.state is TurnState.WAITING
    feed(taker, s.frames(1.0))
    taker.answer_started(s.t)
    feed(taker, s.frames(2.0, speech=True))
    feed(taker, s.frames(2.0))
    taker.playback(True, s.t)  # e.g. a notification while the user pauses
    assert feed(taker, s.frames(5.0)) == []  # silence while playing does not count…
    assert feed(taker, s.frames(2.0, speech=True)) == []  # …nor does speech
    taker.playback(False, s.t)
    events = feed(taker, s.frames(ECHO_TAIL_S + 1.5))
    assert not [e for _, e in events if isinstance(e, AnswerEnded)]
    assert taker.silence_s == pytest.approx(2.0 + 1.5, abs=2 * FRAME)


def test_dead_input_is_no_silence_and_restarts_the_pause() -> None:
    s, taker = Stream(), TurnTaker()
    taker.answer_started(0.0)
    feed(taker, s.frames(2.0, speech=True))
    feed(taker, s.frames(3.0))
    assert taker.countdown == 1
    events = feed(taker, s.frames(30.0, dead=True))  # the microphone fell silent
    assert [e for _, e in events] == [CountdownChanged(None)]
    events = feed(taker, s.frames(3.9))  # input is back: a full pause is needed again
    assert not [e for _, e in events if isinstance(e, AnswerEnded)]
    assert [t for t, e in feed(taker, s.frames(0.2)) if isinstance(e, AnswerEnded)]


def test_stop_resets_and_idle_ignores_frames() -> None:
    s, taker = Stream(), TurnTaker()
    assert feed(taker, s.frames(2.0, speech=True)) == []
    taker.answer_started(0.0)
    feed(taker, s.frames(1.5, speech=True) + s.frames(2.0))
    assert taker.stop() == [CountdownChanged(None)]
    assert taker.state is TurnState.IDLE and taker.countdown is None


# --- real speech ----------------------------------------------------------------------------

LEAD_S = 1.5  # spliced_answer's room tone before the clip
REAL = [
    ("jfk_whisper.flac", 2),
    ("librispeech_2412-153948-0000.flac", 2),
    ("vosk_test_digits.wav", 2),  # quiet (-40 dBFS) with its own ~1.3 s pauses
    ("ami_ES2011a_Headset-0_40s-46s.wav", 1),  # spontaneous, low level
]


@pytest.mark.parametrize(("name", "pauses"), REAL)
@pytest.mark.parametrize("frame_ms", [10, 30])
def test_real_answers_with_long_pauses_are_kept_whole(
    name: str, pauses: int, frame_ms: int
) -> None:
    answer = spliced_answer(name, pause_s=2.5, pauses=pauses)
    events = run_turn(frames_of(answer.samples, frame_ms=frame_ms), TurnTaker(4.0))
    started = first(events, SpeechStarted)
    ended = first(events, AnswerEnded)
    assert started is not None and ended is not None
    assert [type(e) for _, e in events].count(AnswerEnded) == 1
    onset = started[1]
    assert isinstance(onset, SpeechStarted)
    # The take starts at the first word or a breath before it, never after it …
    assert onset.sample / 16000 <= answer.speech_start_s + 0.03
    assert onset.t >= LEAD_S - 0.03  # … and never on the room tone alone.
    # It ends once, the setting after the last word: never inside the 2.5 s pauses.
    # (the whole-take detector bridges gaps under 0.25 s and may keep a soft tail the live one
    # drops: 0.3 s of slack before, the VAD hangover after)
    assert answer.speech_end_s + 4.0 - 0.3 <= ended[0] <= answer.speech_end_s + 4.0 + 0.6
    countdowns = [e.seconds for t, e in events if isinstance(e, CountdownChanged)]
    assert countdowns[-4:] == [3, 2, 1, None]


def test_speech_in_a_noisy_room_is_still_kept_whole() -> None:
    """Room noise 20 dB under the voice (a loud fan): the floor tracking must not eat words."""
    answer = spliced_answer("librispeech_2412-153948-0000.flac", pauses=2, snr_db=20.0)
    events = run_turn(frames_of(answer.samples), TurnTaker(4.0))
    ended = first(events, AnswerEnded)
    assert ended is not None
    assert answer.speech_end_s + 3.9 <= ended[0] <= answer.speech_end_s + 4.6


def test_real_speech_resumed_during_the_countdown_cancels_it() -> None:
    answer = spliced_answer("jfk_whisper.flac", pause_s=3.5, pauses=1)  # > 1 s: countdown shows
    events = run_turn(frames_of(answer.samples), TurnTaker(4.0))
    pause_at = answer.pauses_inserted_at[0]
    in_pause = [e for t, e in events if pause_at < t < pause_at + 3.6]
    assert CountdownChanged(3) in in_pause and CountdownChanged(None) in in_pause
    assert next(t for t, e in events if isinstance(e, AnswerEnded)) > answer.speech_end_s + 3.9


def test_blocks_of_any_size_even_a_few_samples_are_taken() -> None:
    """PortAudio may hand tiny blocks; at 44.1 kHz one of 2 samples gives none at 16 kHz."""
    import numpy as np

    from coach.practice.live_vad import LiveVad

    vad, rng = LiveVad(44100), np.random.default_rng(0)
    x = rng.standard_normal(44100) * 0.01
    sizes = [1, 2, 3, 441, 7, 1024, 2]
    got, i = [], 0
    while i < len(x):
        n = sizes[len(got) % len(sizes)]
        got += vad.feed(x[i : i + n], (i + n) / 44100, i)
        i += n
    assert len(got) == 33  # one second of 30 ms frames, none lost or doubled
