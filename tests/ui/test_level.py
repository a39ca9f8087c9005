"""The level meter shows decibels, so ordinary speech fills a useful part of it."""

from coach.ui.level import FALL_DB_PER_S, level_percent, meter_value


def test_level_scale_is_logarithmic() -> None:
    assert level_percent(0.0) == 0
    assert level_percent(1.0) == 100
    assert level_percent(0.001) == 0  # -60 dBFS: the floor
    assert level_percent(0.1) == 67  # -20 dBFS: typical speech peaks fill two thirds
    assert level_percent(2.0) == 100


def test_the_meter_rises_at_once_and_falls_back_at_the_ppm_rate() -> None:
    assert meter_value(0, 0.1, 0.05) == level_percent(0.1)  # -20 dBFS shown at once
    shown = level_percent(0.1)
    for _ in range(20):  # one second of polls that found no new audio
        shown = meter_value(shown, 0.0, 0.05)
    fallen_db = (level_percent(0.1) - shown) * 60 / 100
    assert abs(fallen_db - FALL_DB_PER_S) <= 1.0  # down ~12 dB, not to empty
    assert meter_value(5, 0.0, 1.0) == 0  # never below empty
