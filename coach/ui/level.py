"""How a peak level is shown on a meter: in decibels, as people hear loudness."""

from __future__ import annotations

import math

FLOOR_DBFS = -60.0  # the meter's empty end; speech at a normal distance sits around -30..-10


def level_percent(peak: float) -> int:
    """0-100 for a linear peak 0..1 on a -60..0 dBFS scale (linear would show speech as ~5 %)."""
    if peak <= 0.0:
        return 0
    dbfs = 20.0 * math.log10(min(peak, 1.0))
    return round(100.0 * max(0.0, dbfs - FLOOR_DBFS) / -FLOOR_DBFS)


FALL_DB_PER_S = 12.0
"""How fast a meter falls back: a peak programme meter returns 20 dB in 1.7 s (IEC 60268-10).
Without it the bar drops to empty whenever a poll finds no new audio block, and flickers."""


def meter_value(shown: int, peak: float, dt_s: float) -> int:
    """The meter's next value: up at once to a new peak, down no faster than FALL_DB_PER_S."""
    fallen = shown - round(100.0 * FALL_DB_PER_S * dt_s / -FLOOR_DBFS)
    return max(level_percent(peak), fallen, 0)
