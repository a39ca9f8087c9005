"""Filled pauses the recogniser heard but voice activity missed, confirmed by voicing.

The voice-activity gate drops recognised words outside detected speech, because Whisper invents
words on silence (platform.md §8.5). A filled pause ("uh", "um") is often the quietest voiced
sound of an answer, so in a take with a loud cough or laugh it can sit under the gate's
25-dB-below-peak threshold: on the one labelled monologue recorded with a cold
(fillers/mfa_cold_corpus.wav) the gate dropped three of Whisper's four fillers. A filled pause is
a sustained voiced sound, so a filler word the gate dropped is kept when the pitch tracker finds
at least `MIN_FILLED_PAUSE_S` of voicing inside it: two independent signals agree, and a word
invented on silence or noise has no voicing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coach.analysis import lexicon
from coach.analysis.audio_io import ANALYSIS_RATE
from coach.analysis.transcribe import Word

MIN_FILLED_PAUSE_S = 0.1
"""Shortest filled pause (feedback-science §3: filled pause >= 100 ms)."""
PITCH_STEP_S = 0.01
PITCH_RANGE_HZ = (60.0, 500.0)
"""Wide enough for any adult or child voice; the filler's own F0 is not measured, only voicing."""


def _voiced_s(samples16k: np.ndarray, start_s: float, end_s: float) -> float:
    import parselmouth

    lo = max(0, int((start_s - 0.05) * ANALYSIS_RATE))
    hi = min(len(samples16k), int((end_s + 0.05) * ANALYSIS_RATE))
    piece = np.asarray(samples16k[lo:hi], dtype=np.float64)
    if len(piece) < int(3 / PITCH_RANGE_HZ[0] * ANALYSIS_RATE) + 1:
        return 0.0
    snd = parselmouth.Sound(piece, ANALYSIS_RATE)
    pitch = snd.to_pitch_ac(
        time_step=PITCH_STEP_S, pitch_floor=PITCH_RANGE_HZ[0], pitch_ceiling=PITCH_RANGE_HZ[1]
    )
    t = np.asarray(pitch.xs()) + lo / ANALYSIS_RATE
    f0 = np.asarray(pitch.selected_array["frequency"])
    inside = (t >= start_s) & (t <= end_s) & (f0 > 0)
    return float(np.count_nonzero(inside) * PITCH_STEP_S)


def voiced_fillers(dropped: Sequence[Word], samples16k: np.ndarray) -> list[Word]:
    """The filler words among `dropped` with at least `MIN_FILLED_PAUSE_S` of voicing."""
    return [
        w
        for w in dropped
        if lexicon.is_filler_token(lexicon.normalize_token(w.text))
        and _voiced_s(samples16k, w.start_s, w.end_s) >= MIN_FILLED_PAUSE_S - 1e-9
    ]
