"""The analysis of one answer as plain JSON-ready data, stored with the take and printed by the CLI.

Every field is a JSON-native value (numbers, strings, booleans, lists of small dicts), so
`to_dict()` is exactly what is stored with the take and what `coach analyze --json` prints (less
the "chart" curves); `from_dict()` reads stored results back, ignoring keys from newer versions.
A value that could not be measured is None and its key appears in `reasons` with a sentence
saying why; it is never replaced by a guess.

Time spans are `{"start_s", "end_s"}` in seconds from the start of the take.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1

Span = dict[str, float]
TimedText = dict[str, Any]


@dataclass
class AnswerAnalysis:
    """Numbers for one recorded answer; see the module docstring for conventions."""

    file: str
    duration_s: float
    engine: str
    damage: str = ""
    """Set when the file was cut short: what its header promised and what was readable."""
    # Voice activity
    speech_s: float = 0.0
    leading_silence_s: float | None = None
    speaking_ratio: float | None = None
    """Share of the speaking span (first to last speech) spent talking."""
    pauses: list[Span] = field(default_factory=list)
    """Silences >= 0.25 s between speech segments."""
    long_pauses: list[Span] = field(default_factory=list)
    """Pauses >= 2.5 s."""
    long_pause_count: int = 0
    # Transcript
    transcript: str = ""
    words: list[TimedText] = field(default_factory=list)
    """{text, start_s, end_s, probability}; words outside detected speech are removed."""
    dropped_words: int = 0
    """Words the recogniser produced where voice activity found no speech."""
    low_accuracy: bool = False
    transcript_note: str = ""
    # Pace
    words_per_minute: float | None = None
    """Words / (last word end - first word start)."""
    syllable_count: int | None = None
    syllables_per_second: float | None = None
    """Articulation rate: syllable nuclei / seconds of speech (pauses excluded)."""
    # Flow (coach/analysis/fluency.py)
    flow_index: float | None = None
    """Predicted expert fluency 0-10 from speed and pauses (speechocean762 fit)."""
    flow_band: str | None = None
    """'low', 'ok' or 'good'."""
    flow_basis: str | None = None
    """'words' (an accurate recogniser's words and their syllables) or 'acoustic' (syllable
    nuclei: basic recogniser or none, or too few words)."""
    flow_components: dict[str, float | None] = field(default_factory=dict)
    """Acoustic: articulation and speech rate, phonation-time ratio, mean length of run, pauses
    per minute, mean pause; with words also words per minute, syllables per second of speech,
    words per run, pauses per word; filled pauses and repetitions per minute (None without an
    accurate recogniser)."""
    # Fillers and hedges
    fillers: list[TimedText] = field(default_factory=list)
    """um / uh / er ... as {text, start_s}."""
    fillers_per_minute: float | None = None
    fillers_per_100_words: float | None = None
    filler_clusters: list[dict[str, float]] = field(default_factory=list)
    """{start_s, end_s, count}: 3+ fillers within 10 s."""
    discourse_markers: list[TimedText] = field(default_factory=list)
    hedges: list[TimedText] = field(default_factory=list)
    hedges_per_100_words: float | None = None
    # Pitch
    voiced_s: float = 0.0
    pitch_median_hz: float | None = None
    pitch_variation_st: float | None = None
    """Median over 10 s windows of the SD of F0 in semitones."""
    pitch_flat_stretches: list[dict[str, float]] = field(default_factory=list)
    """{start_s, end_s, sd_st}: 10 s windows under 2 st."""
    # Loudness
    loudness_dbfs: float | None = None
    loudness_variation_db: float | None = None
    loudness_trend_db: float | None = None  # last third of the voiced speech minus the first
    clipping: bool = False
    clipped_samples: int = 0
    too_quiet: bool | None = None
    noise_dbfs: float | None = None
    """Median level of the take's silences: the room and the microphone's own hiss."""
    snr_db: float | None = None
    """Speech level minus noise level; under 15 dB the room is called noisy."""
    noisy: bool | None = None
    # Words
    word_count: int | None = None
    unique_word_ratio: float | None = None
    we_count: int | None = None
    i_count: int | None = None
    numbers: list[TimedText] = field(default_factory=list)
    """Numbers and quantities mentioned, {text, start_s}."""
    absolutes: list[TimedText] = field(default_factory=list)
    blame_phrases: list[TimedText] = field(default_factory=list)
    longest_run_words: int | None = None
    """Most words spoken without a pause >= 0.25 s."""
    reasons: dict[str, str] = field(default_factory=dict)
    chart: dict[str, Any] | None = None
    """Waveform, pitch and loudness curves for the charts (`chart_data`); None in analyses made
    before they were stored, which the GUI then computes on a worker lane."""
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, object]:
        """The JSON object `coach analyze --json` prints; floats rounded for readability."""
        out: dict[str, object] = _rounded(asdict(self))
        return out

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> AnswerAnalysis:
        """Rebuild from `to_dict()` output; unknown keys (newer versions) are ignored."""
        known = {f.name for f in fields(cls)}
        missing = {"file", "duration_s", "engine"} - set(d)
        if missing:
            raise ValueError(f"analysis result lacks {sorted(missing)}")
        kwargs: dict[str, Any] = {k: v for k, v in d.items() if k in known}
        return cls(**kwargs)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value
