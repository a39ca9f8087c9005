"""What the first-run check says: the test recording's level, clipping and room noise, and
which speech recogniser will transcribe the answers.

Plain functions, no widgets, so the advice can be tested and reused without a dialog. The level
is measured exactly as each answer's loudness is (coach.analysis.loudness), so it can serve as
the user's loudness baseline (feedback-science.md §5).
"""

from __future__ import annotations

from pathlib import Path

from coach.review.recording import noisy_room_advice

TARGET_LOW_DBFS, TARGET_HIGH_DBFS = -30.0, -12.0  # feedback-science.md §5
CLIP_PEAK_DBFS = -0.1  # |x| >= 0.99 (§5)


def check_levels(path: Path) -> tuple[float | None, float | None]:
    """Median speech level of a recording (voiced frames only; None if no speech was heard),
    and the voice's distance above the room noise when that is under 15 dB (else None)."""
    from coach.analysis.audio_io import load_audio, to_16k
    from coach.analysis.loudness import analyze_loudness
    from coach.analysis.pitch import track_pitch
    from coach.analysis.room_noise import measure_room_noise
    from coach.analysis.vad import detect_voice_activity

    samples, rate = load_audio(path)
    y = to_16k(samples, rate)
    speech = detect_voice_activity(y)
    room = measure_room_noise(y, speech)
    level = analyze_loudness(y, track_pitch(y, speech), original=samples).median_dbfs
    return level, room.snr_db if room.noisy else None


def level_verdict(level: float | None, peak_dbfs: float, noisy_snr_db: float | None = None) -> str:
    """Plain advice from the measured level and room noise (feedback-science.md §5)."""
    verdict = _level_verdict(level, peak_dbfs)
    if level is not None and noisy_snr_db is not None:
        verdict += " " + noisy_room_advice(noisy_snr_db, now=True)
    return verdict


def _level_verdict(level: float | None, peak_dbfs: float) -> str:
    if level is None:
        return (
            "No speech was heard. Check that the right microphone is chosen and not muted, "
            "then try again."
        )
    if peak_dbfs >= CLIP_PEAK_DBFS:
        return f"Your level is {level:.0f} dBFS but the loudest sounds clip: move back a little."
    if level < TARGET_LOW_DBFS:
        return f"Your level is {level:.0f} dBFS: rather quiet. Move closer or raise the input gain."
    if level > TARGET_HIGH_DBFS:
        return f"Your level is {level:.0f} dBFS: rather loud. Move back or lower the input gain."
    return f"Your level is {level:.0f} dBFS: good. This is saved as your normal speaking level."


def has_whisper_model(configured: str | None) -> bool:
    """True when the accurate recogniser's model is on this computer (reads the disk)."""
    from coach.analysis.transcribe import resolve_whisper_model

    return resolve_whisper_model(Path(configured) if configured else None) is not None


def recogniser_text(accurate: bool) -> str:
    """Which recogniser transcribes the answers, and what the basic one cannot do."""
    if accurate:
        return (
            "The accurate Whisper model is installed: transcripts keep most um/uh, and filler "
            "counts are judged."
        )
    from coach.analysis.model_download import CATALOGUE, DEFAULT_MODEL

    size = CATALOGUE[DEFAULT_MODEL].size_mb
    return (
        "Answers are transcribed by the basic recogniser, which gets many words wrong and "
        "misses um/uh, so fillers are not judged. The accurate Whisper model is a one-time "
        f"download of about {size} MB, the only time Second Round uses the network."
    )
