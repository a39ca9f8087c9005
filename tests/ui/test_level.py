"""The level meter shows decibels, so ordinary speech fills a useful part of it."""

from coach.ui.level import level_percent


def test_level_scale_is_logarithmic() -> None:
    assert level_percent(0.0) == 0
    assert level_percent(1.0) == 100
    assert level_percent(0.001) == 0  # -60 dBFS: the floor
    assert level_percent(0.1) == 67  # -20 dBFS: typical speech peaks fill two thirds
    assert level_percent(2.0) == 100
