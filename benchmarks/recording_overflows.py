"""Record from the (virtual) microphone for N minutes with both cores busy; count input overflows.

Goal: 0 overflows and 0 frames lost. "Frames lost" compares the frames that reached the take file
with the frames the wall clock says the device produced between the first block and stop (minus
one block of slack). Prints one line of JSON.

    export XDG_RUNTIME_DIR=/tmp/coach-xdg; source .ci/virtual-audio.sh
    .venv/bin/python benchmarks/recording_overflows.py --minutes 1
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import time
from pathlib import Path


def _burn(stop_at: float) -> None:
    """Keep one core at 100 % until ``stop_at`` (a pure-Python loop, like a busy analysis)."""
    x = 0
    while time.time() < stop_at:
        for i in range(10_000):
            x ^= i


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--device", default=None, help="input device name (default: system's)")
    args = parser.parse_args()

    from coach.audio.recorder import Recorder

    seconds = args.minutes * 60
    ctx = multiprocessing.get_context("spawn")
    burners = [
        ctx.Process(target=_burn, args=(time.time() + seconds + 30,), daemon=True)
        for _ in range(args.burners)
    ]
    for proc in burners:
        proc.start()
    recorder = Recorder(args.device)
    max_gap_s = 0.0
    with tempfile.TemporaryDirectory() as folder:
        recorder.start(Path(folder) / "bench.partial.raw")
        while recorder.poll().elapsed_s == 0.0:
            time.sleep(0.01)
        first_block = time.monotonic()
        lost_seen = False
        last_elapsed, last_change = 0.0, first_block
        while (now := time.monotonic()) - first_block < seconds:
            status = recorder.poll()
            lost_seen = lost_seen or status.device_lost
            if status.elapsed_s != last_elapsed:
                max_gap_s = max(max_gap_s, now - last_change)
                last_elapsed, last_change = status.elapsed_s, now
            time.sleep(0.033)  # the GUI timer's rate
        wall_s = time.monotonic() - first_block
        status = recorder.poll()
        info = recorder.stop(Path(folder) / "bench.flac")
    for proc in burners:
        proc.terminate()
        proc.join()
    assert info is not None
    rate = recorder.samplerate
    recorded_frames = round(info.duration_s * rate)
    expected_frames = round(wall_s * rate)
    slack = round(max_gap_s * rate)  # the last block may still be in flight at the poll
    result = {
        "minutes": args.minutes,
        "burners": args.burners,
        "samplerate": rate,
        "input_overflows": status.overflows,
        "frames_recorded": recorded_frames,
        "frames_expected_wall_clock": expected_frames,
        "frames_lost": max(0, expected_frames - recorded_frames - slack),
        "max_callback_gap_s": round(max_gap_s, 3),
        "device_lost": lost_seen,
        "error": status.error,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
