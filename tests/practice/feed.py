"""Real speech for the hands-free tests: clips with long pauses spliced in, fed like a stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from coach.analysis.vad import NOISE_PERCENTILE, detect_voice_activity, frame_levels_db
from coach.practice.live_vad import FrameResult, LiveVad
from coach.practice.turn_taking import AnswerEnded, SpeechStarted, TurnEvent, TurnTaker
from tests.helpers.noise import pink_noise, with_room_noise
from tests.helpers.sound import load_16k

DATA = Path(__file__).resolve().parents[1] / "data"
RATE = 16000
BLOCK_S = 0.02  # PortAudio hands blocks of ~10-50 ms; 20 ms is in the middle


@dataclass
class Answer:
    """A spoken answer: samples and where its speech really is (whole-take VAD)."""

    samples: np.ndarray
    speech_start_s: float
    speech_end_s: float
    pauses_inserted_at: list[float] = field(default_factory=list)


def spliced_answer(
    name: str,
    *,
    lead_s: float = 1.5,
    pause_s: float = 2.5,
    pauses: int = 1,
    tail_s: float = 8.0,
    snr_db: float | None = None,
) -> Answer:
    """``lead_s`` of room tone, the clip with its ``pauses`` longest pauses stretched to
    ``pause_s`` of silence each, then ``tail_s`` of room tone. The room tone is pink noise at the
    clip's own background level (a real microphone never delivers digital silence); with
    ``snr_db``, pink noise that far under the voice is added throughout (a noisier room)."""
    clip = load_16k(DATA / name).astype(np.float64)
    activity = detect_voice_activity(clip.astype(np.float32))
    levels = frame_levels_db(clip.astype(np.float32))
    tone_rms = 10 ** (float(np.percentile(levels, NOISE_PERCENTILE)) / 20)
    seed = iter(range(100, 200))

    def tone(seconds: float) -> np.ndarray:
        return pink_noise(max(1, round(seconds * RATE)), seed=next(seed)) * tone_rms

    gaps = sorted(activity.pauses(), key=lambda g: g.duration_s, reverse=True)[:pauses]
    assert len(gaps) == pauses, f"{name}: not enough pauses to splice"
    pieces, inserted, last, clock = [tone(lead_s)], [], 0, lead_s
    for gap in sorted(gaps, key=lambda g: g.start_s):
        cut = round((gap.start_s + gap.end_s) / 2 * RATE)
        pieces += [clip[last:cut], tone(pause_s - gap.duration_s)]
        clock += (cut - last) / RATE
        inserted.append(clock)
        clock += pause_s - gap.duration_s
        last = cut
    pieces += [clip[last:], tone(tail_s)]
    samples = np.concatenate(pieces)
    if snr_db is not None:
        samples = with_room_noise(samples, snr_db)
    span = activity.span
    assert span is not None
    end = span.end_s + lead_s + sum(pause_s - g.duration_s for g in gaps)
    return Answer(samples, span.start_s + lead_s, end, inserted)


def frames_of(samples: np.ndarray, rate: int = RATE, frame_ms: int = 30) -> list[FrameResult]:
    """The LiveVad results of a stream delivered in `BLOCK_S` blocks; time = stream time."""
    vad = LiveVad(rate, frame_ms)
    block = round(BLOCK_S * rate)
    out: list[FrameResult] = []
    for i in range(0, len(samples), block):
        chunk = samples[i : i + block]
        out += vad.feed(chunk, (i + len(chunk)) / rate, i)
    return out


def run_turn(
    frames: list[FrameResult], taker: TurnTaker, listen_at: float = 0.0
) -> list[tuple[float, TurnEvent]]:
    """Feed the frames as a controller would: listen() at think time, then every frame."""
    events: list[tuple[float, TurnEvent]] = [(listen_at, e) for e in taker.listen(listen_at)]
    for r in frames:
        events += [(r.t, e) for e in taker.frame(r)]
    return events


def first(events: list[tuple[float, TurnEvent]], kind: type) -> tuple[float, TurnEvent] | None:
    return next(((t, e) for t, e in events if isinstance(e, kind)), None)


__all__ = ["AnswerEnded", "SpeechStarted"]
