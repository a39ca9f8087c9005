"""The log is rotated at start (no logging.handlers import before the first paint)."""

from __future__ import annotations

import logging
from pathlib import Path

from coach.ui.crash import setup_logging


def test_a_big_log_is_rotated_at_start_and_a_small_one_kept(tmp_path: Path) -> None:
    log = tmp_path / "coach.log"
    log.write_text("x" * 1_000_001)
    (tmp_path / "coach.log.1").write_text("older\n")
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert setup_logging(tmp_path) == log
        logging.getLogger("coach.test").warning("after the start")
        for handler in root.handlers:
            handler.flush()
        assert (tmp_path / "coach.log.1").stat().st_size == 1_000_001
        assert (tmp_path / "coach.log.2").read_text() == "older\n"
        assert "after the start" in log.read_text()
        size = log.stat().st_size
        assert setup_logging(tmp_path) == log  # small: appended to, not rotated
        assert log.stat().st_size == size
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
