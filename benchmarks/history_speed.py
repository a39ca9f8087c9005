"""How fast the history index is on a realistic amount of history (not a test: timings vary).

Builds N copies of one really analysed session (the three tests/data clips, pocketsphinx), then
times rebuild, a no-change refresh, a search, a sort and the progress series.
Run: .venv/bin/python benchmarks/history_speed.py [N]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package, from a checkout

from coach.analysis.engines import make_transcriber
from coach.core.history_index import DB_FILE_NAME, HistoryIndex
from coach.core.progress import progress_series
from tests.core.test_history_index import S1, build_sessions


def timed(label: str, action: object) -> None:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    size = len(result) if isinstance(result, list) else result
    print(f"{label:<28} {1000 * (time.perf_counter() - start):8.1f} ms   ({size})")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "sessions"
        build_sessions(root, make_transcriber("pocketsphinx"))
        for i in range(count):
            shutil.copytree(root / S1, root / f"2026-01-01_{i:06d}-beef")
        index = HistoryIndex(Path(tmp) / DB_FILE_NAME, root, sync=False)
        print(f"{count + 3} sessions")
        timed("rebuild", index.rebuild)
        timed("refresh (nothing changed)", index.refresh)
        timed("list newest first", index.sessions)
        timed("search 'forward yourself'", lambda: index.sessions(search="forward yourself"))
        timed("sort by pace", lambda: index.sessions(order_by="words_per_minute"))
        timed("progress series (all)", lambda: progress_series(index))
        index.close()


if __name__ == "__main__":
    main()
