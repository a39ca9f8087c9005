"""Suite-wide settings: Qt offscreen unless a display is asked for, no modal error windows."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COACH_NO_ERROR_WINDOWS", "1")
