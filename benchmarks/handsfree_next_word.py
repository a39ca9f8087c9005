"""Hands-free latency: from the end of the candidate's speech to the interviewer's next word
(handsfree_latency.py times the decision alone; this one ends at the first sound on the speaker).

Goal (issue 15): the silence setting + at most 1.0 s (aim 0.5 s). A real hands-free interview
(PracticeSession, the real recorder tap, live VAD, espeak-ng, PortAudio through the virtual
speaker whose monitor is the virtual microphone) is answered with real speech clips; the
speaker monitor is recorded with pacat. Both instants are found in that one recording, so no
clock or buffer assumption enters: the end of speech is where the clip's last voiced second
ends (cross-correlation), the next word is the first 10 ms after it that is 20 dB over the room
tone (nothing else plays between an answer and the reply). Overhead = latency - silence
setting. Prints one JSON line.

    export XDG_RUNTIME_DIR=/tmp/coach-xdg; source .ci/virtual-audio.sh
    .venv/bin/python benchmarks/handsfree_next_word.py [--answers 4] [--silence 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_OVERHEAD_S = 1.0
AIM_OVERHEAD_S = 0.5
ONSET_ABOVE_ROOM_DB = 20.0
CLIPS = [
    "cmu_arctic_us_aew_a0001.wav",
    "goforward_16k.wav",
    "ami_ES2011a_Headset-0_40s-46s.wav",
    "jfk_whisper.flac",
]


class SpeakerLog:
    def __init__(self, real: Any) -> None:
        self.real = real
        self.said: list[tuple[str, Path]] = []

    def available(self) -> bool:
        return bool(self.real.available())

    def synthesize(self, text: str, voice_id: str | None = None, rate: int = 170) -> Path:
        path = Path(self.real.synthesize(text, voice_id, rate))
        self.said.append((text, path))
        return path


def first_loud(x: Any, rate: int = 16000) -> float:
    """Seconds to the first 10 ms frame ONSET_ABOVE_ROOM_DB over the room tone: after the
    answer only the interviewer's reply is played, so this is its first audible sound."""
    import numpy as np

    from tests.helpers.candidate import ROOM_DBFS

    frame = rate // 100
    n = len(x) // frame
    levels = 20 * np.log10(np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1)) + 1e-12)
    loud = np.nonzero(levels > ROOM_DBFS + ONSET_ABOVE_ROOM_DB)[0]
    if not loud.size:
        raise SystemExit("no reply after an answer")
    return float(loud[0] * frame / rate)


def run(answers: int, silence_s: float) -> dict[str, Any]:
    from coach.audio.player import Player
    from coach.audio.recorder import Recorder
    from coach.core.bank import load_builtin_banks
    from coach.core.session_store import SessionStore
    from coach.core.settings import InterviewSettings
    from coach.practice import events
    from coach.practice.executor import ThreadLanes
    from coach.practice.practice_session import PracticeSession
    from coach.tts.speaker import TtsService
    from tests.helpers.candidate import Candidate, Room, speech_of
    from tests.helpers.sound import RATE, SpeakerTap, best_match, load_16k

    folder = Path(tempfile.mkdtemp(prefix="coach-handsfree-bench-"))
    lanes = ThreadLanes()
    tts = TtsService(folder / "tts")
    speaker = SpeakerLog(tts)
    player = Player()
    practice = PracticeSession(lanes, SessionStore(folder / "sessions"), Recorder, speaker, player)
    heard: list[events.Event] = []
    practice.listeners.append(heard.append)
    banks, _ = load_builtin_banks()
    clips = [ROOT / "tests" / "data" / CLIPS[i % len(CLIPS)] for i in range(answers)]
    settings = InterviewSettings(
        question_count=answers - 1, think_time_s=30, hands_free=True, end_silence_s=silence_s
    )  # the last answer is the one to "Do you have any questions for me?"
    candidate = Candidate(practice, clips, folder)
    with Room(folder), SpeakerTap(folder / "speaker.raw") as tap:
        practice.begin(list(banks[0].questions[: answers - 1]), settings, "Latency benchmark")
        deadline = time.monotonic() + 60 * answers
        while not any(isinstance(e, events.SessionFinished) for e in heard):
            if time.monotonic() > deadline:
                raise SystemExit("the interview did not finish")
            practice.tick()
            lanes.pump(0.02)
            candidate.step()
        time.sleep(0.5)
    recording = tap.samples()
    player.close()
    tts.close()
    lanes.shutdown()
    latencies = []
    cursor = 0
    for _, clip, _ in candidate.played:
        speech = speech_of(clip)
        last = speech[-RATE:]
        score, at = best_match(last, recording[cursor:])
        if score < 0.8:
            raise SystemExit(f"{clip.name}: its last second is not in the recording ({score:.2f})")
        end = cursor + round(at * RATE) + len(last)
        # Search after the whole file has played (its own noise after the last word, e.g. the
        # hiss of an old recording, is not the reply), then measure from the last word.
        whole = load_16k(clip)
        _, tail_at = best_match(whole[-RATE:], recording[end - RATE :])
        played_out = end - RATE + round(tail_at * RATE) + RATE
        reply_at = (played_out - end) / RATE + first_loud(recording[played_out:])
        latencies.append(reply_at)
        cursor = end
    overheads = [lat - silence_s for lat in latencies]
    return {
        "silence_setting_s": silence_s,
        "answers": len(latencies),
        "latency_s": [round(x, 3) for x in latencies],
        "overhead_median_s": round(statistics.median(overheads), 3),
        "overhead_max_s": round(max(overheads), 3),
        "goal_overhead_s": GOAL_OVERHEAD_S,
        "aim_overhead_s": AIM_OVERHEAD_S,
        "met": max(overheads) <= GOAL_OVERHEAD_S,
        "recording": str(folder / "speaker.raw"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=4)
    parser.add_argument("--silence", type=float, default=2.0)
    args = parser.parse_args()
    print(json.dumps(run(args.answers, args.silence)))


if __name__ == "__main__":
    main()
