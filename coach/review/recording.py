"""How a take was recorded, in plain words: a noisy room or a very quiet input.

Both make some measures less reliable and both have a simple fix, so the review's answer list,
the answer view, the report and the microphone check name them (feedback-science.md §5: warn
when the voice is under 15 dB above the room; "too quiet" is 6 dB under the -30 to -12 dBFS
target, coach.analysis.loudness).
"""

from __future__ import annotations

from coach.analysis.results import AnswerAnalysis


def noisy_room_advice(snr_db: float, *, now: bool = False) -> str:
    """What a noisy room means; `now` for the microphone check, in the present tense."""
    was = "is" if now else "was"
    return (
        f"Background noise {was} loud: your voice {was} only {snr_db:.0f} dB above it (15 dB or "
        "more is needed). Speech time, pauses and articulation rate may be off by about 10 %; "
        "a quieter room or a microphone closer to your mouth helps."
    )


def quiet_input_advice(level_dbfs: float) -> str:
    return (
        f"Recorded very quietly ({level_dbfs:.0f} dBFS; -30 to -12 dBFS is the target): move "
        "closer to the microphone or raise its input level in the system's sound settings."
    )


def noisy_snr_db(analysis: AnswerAnalysis) -> float | None:
    """The voice's dB above the room when the room was noisy, else None."""
    return analysis.snr_db if analysis.noisy else None


def quiet_dbfs(analysis: AnswerAnalysis) -> float | None:
    """The speech level when the recording was too quiet, else None."""
    return analysis.loudness_dbfs if analysis.too_quiet else None


def recording_facts(
    noisy_snr_db: float | None, quiet_dbfs: float | None, *, cut_short: bool = False
) -> list[str]:
    """Short labels for a list of answers."""
    facts = ["recording cut short: only its readable part was analysed"] if cut_short else []
    if noisy_snr_db is not None:
        facts.append(f"noisy room (voice {noisy_snr_db:.0f} dB above it)")
    if quiet_dbfs is not None:
        facts.append(f"very quiet recording ({quiet_dbfs:.0f} dBFS)")
    return facts


def recording_advice(noisy_snr_db: float | None, quiet_dbfs: float | None) -> list[str]:
    """Full sentences with the fix, for one answer."""
    advice = []
    if noisy_snr_db is not None:
        advice.append(noisy_room_advice(noisy_snr_db))
    if quiet_dbfs is not None:
        advice.append(quiet_input_advice(quiet_dbfs))
    return advice
