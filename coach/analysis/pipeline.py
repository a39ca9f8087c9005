"""One recorded answer in, one `AnswerAnalysis` out: voice activity, words, pace, pitch, loudness.

Runs in a background worker (no Qt, no audio devices). The voice-activity segments are the
ground truth for "was anybody speaking": recognised words outside them are dropped, because
Whisper invents words on silence (platform.md §8.5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from coach.analysis import lexicon
from coach.analysis.audio_io import ANALYSIS_RATE, load_audio, to_16k
from coach.analysis.chart_data import chart_data
from coach.analysis.filled_pauses import voiced_fillers
from coach.analysis.fluency import count_repetitions, read_flow
from coach.analysis.loudness import analyze_loudness
from coach.analysis.pitch import analyze_pitch, track_pitch
from coach.analysis.results import AnswerAnalysis
from coach.analysis.room_noise import measure_room_noise
from coach.analysis.syllables import find_syllable_nuclei
from coach.analysis.transcribe import Transcriber, Transcript, Word
from coach.analysis.vad import VoiceActivity, detect_voice_activity
from coach.analysis.wav_header import find_truncation
from coach.errors import AnalysisError, TruncatedAudioError

Progress = Callable[[str, float], None]

WORD_PAD_S = 0.1
"""Whisper word edges are ~0.1 s off; a word may stick out of a VAD segment by that much."""
MIN_WORDS_FOR_RATE = 3
MIN_SPAN_FOR_RATE_S = 1.0
MIN_SPEECH_FOR_RATE_S = 1.0
NO_SPEECH = "no speech detected"


def _notify(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, fraction)


def words_in_speech(words: Sequence[Word], speech: VoiceActivity) -> list[Word]:
    """Words that overlap detected speech by at least half their length (capped at 0.1 s)."""
    return [_snap_to_speech(w, speech) for w in words if _in_speech(w, speech)]


def kept_words(words: Sequence[Word], speech: VoiceActivity, samples16k: np.ndarray) -> list[Word]:
    """The recognised words an answer is measured on: those inside detected speech, plus a
    filler the gate dropped that is voiced (filled_pauses.py), in time order."""
    kept = words_in_speech(words, speech)
    dropped = [w for w in words if not _in_speech(w, speech)]
    if dropped:  # a quiet "uh" under the gate is kept when it is voiced
        kept = sorted([*kept, *voiced_fillers(dropped, samples16k)], key=lambda w: w.start_s)
    return kept


def _in_speech(w: Word, speech: VoiceActivity) -> bool:
    duration = max(w.end_s - w.start_s, 0.0)
    needed = 0.5 * min(max(duration, 0.02), 0.2)
    mid = (w.start_s + w.end_s) / 2
    lo, hi = (w.start_s, w.end_s) if duration > 0 else (mid - 0.01, mid + 0.01)
    return speech.overlap_s(lo, hi, pad_s=WORD_PAD_S) >= needed - 1e-9


def _snap_to_speech(word: Word, speech: VoiceActivity) -> Word:
    """Pull word edges that Whisper stretched across a pause back to the speech around them."""
    start, end = word.start_s, word.end_s
    for pause in speech.pauses():
        if pause.start_s < start < pause.end_s and pause.end_s < end:
            start = pause.end_s
        if pause.start_s < end < pause.end_s and pause.start_s > start:
            end = pause.start_s
        if (
            start <= pause.start_s and pause.end_s <= end
        ):  # spans a whole pause: keep the larger side
            if pause.start_s - start < end - pause.end_s:
                start = pause.end_s
            else:
                end = pause.start_s
    if (start, end) == (word.start_s, word.end_s):
        return word
    return Word(word.text, start, end, word.probability)


def longest_run(words: Sequence[Word], speech: VoiceActivity) -> int:
    """Most consecutive words with no pause (>= 0.25 s) between them."""
    if not words:
        return 0
    pause_ends = [p.end_s for p in speech.pauses()]
    best = run = 0
    prev_idx = -1
    for w in words:
        mid = (w.start_s + w.end_s) / 2
        idx = int(np.searchsorted(pause_ends, mid))
        run = run + 1 if idx == prev_idx else 1
        prev_idx = idx
        best = max(best, run)
    return best


def _timed(text: str, start_s: float) -> dict[str, object]:
    return {"text": text, "start_s": round(start_s, 3)}


def _add_voice_activity(result: AnswerAnalysis, speech: VoiceActivity) -> None:
    result.speech_s = speech.speech_s
    result.leading_silence_s = speech.leading_silence_s
    result.speaking_ratio = speech.speaking_ratio
    result.pauses = [p.to_dict() for p in speech.pauses()]
    longs = speech.long_pauses()
    result.long_pauses = [p.to_dict() for p in longs]
    result.long_pause_count = len(longs)
    if not speech.has_speech:
        result.reasons["leading_silence_s"] = NO_SPEECH
        result.reasons["speaking_ratio"] = NO_SPEECH


def _add_words(
    result: AnswerAnalysis,
    transcript: Transcript | None,
    speech: VoiceActivity,
    samples16k: np.ndarray,
) -> list[Word]:
    """Transcript-derived fields; without a recogniser they are None with a reason.

    Returns the words the answer is measured on (none without a recogniser)."""
    word_keys = (
        "words_per_minute",
        "fillers_per_minute",
        "fillers_per_100_words",
        "hedges_per_100_words",
        "word_count",
        "unique_word_ratio",
        "we_count",
        "i_count",
        "longest_run_words",
    )
    if transcript is None:
        for key in word_keys:
            result.reasons[key] = "no speech recognition (engine 'none')"
        return []
    result.low_accuracy = transcript.low_accuracy
    result.transcript_note = transcript.note
    words = kept_words(transcript.words, speech, samples16k)
    result.dropped_words = len(transcript.words) - len(words)
    result.words = [
        {
            "text": w.text.strip(),
            "start_s": round(w.start_s, 3),
            "end_s": round(w.end_s, 3),
            "probability": w.probability,
        }
        for w in words
    ]
    result.transcript = (
        transcript.text.strip()
        if result.dropped_words == 0
        else " ".join(w.text.strip() for w in words)
    )
    stats = lexicon.word_stats(words)
    result.word_count = stats.count
    result.unique_word_ratio = stats.unique_ratio
    result.we_count = stats.we_count
    result.i_count = stats.i_count
    result.numbers = [_timed(w.text.strip(), w.start_s) for w in stats.numbers]
    result.absolutes = [_timed(w.text.strip(), w.start_s) for w in stats.absolutes]
    result.blame_phrases = [_timed(w.text.strip(), w.start_s) for w in stats.blame]
    result.longest_run_words = longest_run(words, speech)
    if stats.unique_ratio is None:
        result.reasons["unique_word_ratio"] = "no words recognised"

    found = lexicon.find_fillers(words)
    fillers = [f for f in found if f.kind == lexicon.FILLER]
    hedges = [f for f in found if f.kind == lexicon.HEDGE]
    result.fillers = [_timed(f.text, f.start_s) for f in fillers]
    result.hedges = [_timed(f.text, f.start_s) for f in hedges]
    result.discourse_markers = [
        _timed(f.text, f.start_s) for f in found if f.kind == lexicon.DISCOURSE
    ]
    result.filler_clusters = [
        {"start_s": round(a, 3), "end_s": round(b, 3), "count": n}
        for a, b, n in lexicon.filler_clusters(found)
    ]
    span = (words[-1].end_s - words[0].start_s) if words else 0.0
    if len(words) < MIN_WORDS_FOR_RATE or span < MIN_SPAN_FOR_RATE_S:
        why = NO_SPEECH if not words else f"only {len(words)} words recognised"
        for key in ("words_per_minute", "fillers_per_minute", "fillers_per_100_words"):
            result.reasons[key] = why
        result.reasons["hedges_per_100_words"] = why
        return words
    minutes = span / 60.0
    result.words_per_minute = len(words) / minutes
    result.fillers_per_minute = len(fillers) / minutes
    result.fillers_per_100_words = 100.0 * len(fillers) / len(words)
    result.hedges_per_100_words = 100.0 * len(hedges) / len(words)
    return words


def _add_flow(
    result: AnswerAnalysis,
    speech: VoiceActivity,
    nucleus_times: Sequence[float],
    transcript: Transcript | None,
    words: Sequence[Word],
) -> None:
    """The flow reading and its components: word-based with an accurate recogniser's words,
    acoustic otherwise (`flow_basis`); repair counts only from an accurate recogniser."""
    counted = transcript is not None and not transcript.low_accuracy
    reading = read_flow(
        speech,
        nucleus_times,
        words=words if counted else None,
        filled_pauses=len(result.fillers) if counted else None,
        repetitions=count_repetitions([str(w["text"]) for w in result.words]) if counted else None,
    )
    result.flow_index, result.flow_band = reading.index, reading.band
    result.flow_components = dict(reading.components)
    result.flow_basis = reading.basis
    if reading.index is None:
        result.reasons["flow_index"] = reading.reason


def analyze_samples(
    samples: np.ndarray,
    rate: int,
    transcriber: Transcriber | None,
    *,
    progress: Progress | None = None,
    file: str = "",
) -> AnswerAnalysis:
    """Analyse float mono samples at any rate; see `AnswerAnalysis` for what comes out."""
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim != 1:
        raise ValueError(f"expected mono samples, got shape {x.shape}")
    if x.size == 0:
        raise AnalysisError(f"Cannot analyse {file or 'the recording'}: it contains no audio.")
    _notify(progress, "preparing", 0.0)
    y = to_16k(x, rate)
    engine = transcriber.name if transcriber is not None else "none"
    result = AnswerAnalysis(file=file, duration_s=len(x) / rate, engine=engine)

    _notify(progress, "voice activity", 0.05)
    speech = detect_voice_activity(y)
    _add_voice_activity(result, speech)

    transcript: Transcript | None = None
    if transcriber is not None:
        _notify(progress, "transcribing", 0.1)
        transcript = transcriber.transcribe(y) if speech.has_speech else None
        if transcript is None:  # nothing to recognise: never let the engine invent words
            transcript = Transcript((), "", engine, False, "No speech detected.")
    words = _add_words(result, transcript, speech, y)

    _notify(progress, "syllables", 0.75)
    if speech.speech_s >= MIN_SPEECH_FOR_RATE_S:
        nuclei = find_syllable_nuclei(y, speech)
        result.syllable_count = nuclei.count
        result.syllables_per_second = nuclei.count / speech.speech_s
        _add_flow(result, speech, nuclei.times, transcript, words)
    else:
        why = NO_SPEECH if not speech.has_speech else "less than 1 s of speech"
        for key in ("syllable_count", "syllables_per_second", "flow_index"):
            result.reasons[key] = why

    _notify(progress, "pitch and loudness", 0.85)
    track = track_pitch(y, speech)
    pitch = analyze_pitch(y, speech, track=track)
    result.chart = chart_data(y, track)  # drawn by the GUI without decoding audio again
    result.voiced_s = pitch.voiced_s
    result.pitch_median_hz = pitch.median_hz
    result.pitch_variation_st = pitch.variation_st
    result.pitch_flat_stretches = [f.to_dict() for f in pitch.flat_stretches]
    loud = analyze_loudness(y, track, original=x)
    result.loudness_dbfs = loud.median_dbfs
    result.loudness_variation_db = loud.variation_db
    result.loudness_trend_db = loud.trend_db
    result.clipping = loud.clipping
    result.clipped_samples = loud.clipped_samples
    result.too_quiet = loud.too_quiet
    room = measure_room_noise(y, speech)
    result.noise_dbfs, result.snr_db, result.noisy = room.noise_dbfs, room.snr_db, room.noisy
    result.reasons.update(room.reasons)
    for reasons in (pitch.reasons, loud.reasons):
        for key, why in reasons.items():
            result.reasons[key] = NO_SPEECH if not speech.has_speech else why
    _notify(progress, "done", 1.0)
    return result


def analyze_file(
    path: Path,
    transcriber: Transcriber | None,
    *,
    progress: Progress | None = None,
    keep_truncated: bool = False,
) -> AnswerAnalysis:
    """Load any audio file and analyse it; AnalysisError for unreadable or empty input.

    A WAV cut short raises TruncatedAudioError, unless `keep_truncated`: then the readable part
    is analysed and `damage` says what is missing.
    """
    path = Path(path)
    cut = find_truncation(path)
    if cut is not None and not keep_truncated:
        raise TruncatedAudioError(cut.sentence(path.name))
    samples, rate = load_audio(path)
    result = analyze_samples(samples, rate, transcriber, progress=progress, file=str(path))
    if cut is not None:
        result.damage = cut.sentence(path.name) + " Only the readable part was analysed."
    return result


__all__ = ["ANALYSIS_RATE", "analyze_file", "analyze_samples"]
