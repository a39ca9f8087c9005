"""The registry of delivery measures: each one declared once, read by every screen that shows it.

A `Measure` says what a number is (its key in the `.analysis.json` or history row), how it is
shown (label, unit, decimals, whether higher or lower is better), how it is judged (review
`Band`s with their sources in /work/shared/notes/feedback-science.md), which green range the
progress charts shade (`Target`), and whether it is only trustworthy from the accurate recogniser
(fillers: the basic one misses most um/uh, and no number beats a false zero).

The analysis output, the review (`coach.review.thresholds`, `coach.review.build`), the history
index (`coach.core.history_rows`), the progress charts (`coach.core.progress`,
`coach.ui.progress_view`), the history table and the CLI summary (`coach.analysis.command`) all
read from here. This module imports nothing from `coach`, so every layer may use it.

How to add a measure (e.g. a fluency component such as `articulation_rate`):
1. Compute it in `coach/analysis/` and add the field to `AnswerAnalysis` (the JSON key).
2. Add one `Measure(...)` to `MEASURES` below: key, label, unit, decimals, `better`, and if the
   notes publish a threshold a `Band` (review) and/or a `Target` (chart shading), each citing
   its source; `accurate_only=True` if it counts words the basic recogniser misses.
3. Put its key in the surfaces it should appear on: `CLI_SUMMARY` (readable `coach analyze`
   output), `COMPARED` (review: compared with last time), `TAKE_CARD` (answer view's take card).
   `ANSWER_LIST` (the review's answer lines) also needs a field in `review.model.AnswerSummary`.
   Charting it over sessions (`CHARTED`) or listing it in the history table (`HISTORY_COLUMNS`)
   also needs a column in the history index: a numbered migration in `core/history_index.py`
   and a field in `core/history_rows.AnswerRow`/`SessionRow`.
Nothing else names the measure.
"""

from __future__ import annotations

from dataclasses import dataclass

Range = tuple[float | None, float | None]

# The review's band names (re-exported by coach.review.model).
GOOD = "good"
WATCH = "watch"
FLAG = "flag"
INFO = "info"

# Which way is better, for "compared with last time".
HIGHER = "higher"
LOWER = "lower"
IN_BAND = "in band"


@dataclass(frozen=True)
class Band:
    """A review judgement: green range, wider amber range, red outside both.

    Where the notes give no published threshold `good` is None and the band is "info": the value
    is shown and compared over sessions, never judged. `distance` says how far a value sits
    outside the green range, scaled so the red edge is 1.0; the focus ranking multiplies it by
    how often it happened and by `weight` (§9.3: fluency, pitch variation and first impression
    matter most).
    """

    metric: str
    label: str
    unit: str
    good: Range | None  # None: no published threshold (band "info")
    watch: Range | None
    good_text: str
    watch_text: str
    flag_text: str
    reason: str
    weight: float = 1.0

    def classify(self, value: float) -> str:
        if self.good is None:
            return INFO
        if _inside(value, self.good):
            return GOOD
        if self.watch is not None and _inside(value, self.watch):
            return WATCH
        return FLAG

    def text(self, band: str) -> str:
        return {GOOD: self.good_text, WATCH: self.watch_text, FLAG: self.flag_text}.get(
            band, self.good_text
        )

    def distance(self, value: float) -> float:
        """0 inside green; 1.0 at the red edge; grows linearly beyond it."""
        if self.good is None:
            return 0.0
        lo, hi = self.good
        wlo, whi = self.watch if self.watch is not None else (None, None)
        if lo is not None and value < lo:
            width = lo - wlo if wlo is not None else max(abs(lo), 1.0)
            return (lo - value) / max(width, 1e-9)
        if hi is not None and value > hi:
            width = whi - hi if whi is not None else max(abs(hi), 1.0)
            return (value - hi) / max(width, 1e-9)
        return 0.0


def _inside(value: float, rng: Range) -> bool:
    lo, hi = rng
    return (lo is None or value >= lo) and (hi is None or value <= hi)


@dataclass(frozen=True)
class Target:
    """The green range a progress chart shades (§10 "at a glance"); None is open on that side."""

    low: float | None
    high: float | None
    source: str


@dataclass(frozen=True)
class Measure:
    """One number and everything about how it is shown and judged."""

    key: str  # the AnswerAnalysis / analysis JSON key, or the history-index column
    label: str  # title on charts and in "compared with last time"
    unit: str  # after the number in readable text ("words/min"); "" for plain counts
    decimals: int = 1
    better: str = ""  # HIGHER, LOWER, IN_BAND or "" (no direction)
    bands: tuple[Band, ...] = ()  # review judgements; the first one's unit is the review's
    target: Target | None = None  # chart shading; None: no published target
    accurate_only: bool = False  # only trusted from the accurate recogniser
    cli_label: str = ""  # `coach analyze` summary label (default: label in lower case)
    heading: str = ""  # short history-table heading (default: label)
    help: str = ""  # one-line tooltip
    brief: str = ""  # format of the number on small cards, e.g. "{:.0f} words/min"
    narrow: str = ""  # format on the narrowest cards (same question across sessions)
    chart_unit: str = ""  # unit in a progress chart's title, if not `unit`

    @property
    def review_unit(self) -> str:
        return self.bands[0].unit if self.bands else self.unit

    def text(self, value: float | None) -> str:
        """'142 words/min'; 'not measured' for None."""
        if value is None:
            return "not measured"
        number = f"{value:.{self.decimals}f}"
        return f"{number} {self.unit}" if self.unit else number

    def card_text(self, value: float, *, narrow: bool = False) -> str:
        template = (self.narrow if narrow else "") or self.brief
        return template.format(value) if template else self.text(value)


def _band(metric: str, label: str, unit: str, good: Range | None, watch: Range | None,
          texts: tuple[str, str, str], reason: str, weight: float = 1.0) -> Band:  # fmt: skip
    return Band(metric, label, unit, good, watch, *texts, reason, weight)


_PACE_REASON = (
    "Microsoft Speaker Coach recommends 100–165 WPM, the rate audiences processed most easily; "
    "NCVS puts conversation at 120–150 WPM (feedback-science §1)"
)
PACE = _band(
    "words_per_minute", "Pace", "WPM", (120.0, 165.0), (100.0, 180.0),
    ("120–165 WPM is easy to follow", "100–120 or 165–180 WPM: a little slow or fast",
     "below 100 or above 180 WPM"),
    _PACE_REASON,
)  # fmt: skip
FAST = _band(
    "words_per_minute", "Pace", "WPM", (None, 165.0), (None, 180.0),
    ("not above 165 WPM", "165–180 WPM: fast", "above 180 WPM: far above the band"),
    _PACE_REASON,
)  # fmt: skip
OPENING_PACE = _band(
    "opening_words_per_minute", "Pace in the first 10 s", "WPM", (None, 165.0), (None, 180.0),
    ("a calm start, at most 165 WPM", "165–180 WPM: a hurried start",
     "a rushed burst above 180 WPM"),
    "A 10 s window above 180 WPM is a rushing cue (feedback-science §1); first impressions "
    "form in the first ≈20 s (Prickett et al. 2000, §8.3)",
    weight=1.5,
)  # fmt: skip
PITCH = _band(
    "pitch_variation_st", "Pitch variation", "st", (2.0, 6.0), (1.2, None),
    ("lively speech varies by more than 2 st",
     "flat: under 2 st (or above 6 st, which is often tracker error or shouting)",
     "very flat: under 1.2 st"),
    "Hincks 2005: listeners' liveliness ratings correlate r = .83 with pitch variation; "
    "Hincks & Edlund 2009 flag under 2 st as flat (feedback-science §4)",
    weight=1.5,
)  # fmt: skip
LOUDNESS_VARIATION = _band(
    "loudness_variation_db", "Loudness variation", "dB", None, None,
    ("no published threshold: compare with your own earlier sessions", "", ""),
    "No study gives an absolute loudness-variation threshold; too little and too much both "
    "stand out, so only your own trend is shown (feedback-science §5)",
)  # fmt: skip
LOUDER_THAN_USUAL = _band(
    "loudness_above_session_db", "Loudness above your session median", "dB",
    (None, 6.0), (None, 10.0),
    ("within 6 dB of your usual level", "6–10 dB louder than your usual level",
     "more than 10 dB louder than your usual level"),
    "Loudness is relative to your own voice: more than 6 dB off your baseline is noticeable and "
    "spikes above 10 dB are a possible aggressive cue (feedback-science §5); the baseline here "
    "is the median of this session's answers, not a calibrated mic check",
)  # fmt: skip
LOUDER_THAN_MIC_CHECK = _band(
    "loudness_above_mic_check_db", "Loudness above your microphone check", "dB",
    (None, 6.0), (None, 10.0),
    ("within 6 dB of your microphone check", "6–10 dB louder than your microphone check",
     "more than 10 dB louder than your microphone check"),
    "Loudness is relative to your own voice: more than 6 dB above the level you read the "
    "microphone check at is noticeable and spikes above 10 dB are a possible aggressive cue "
    "(feedback-science §5, mic-check calibration)",
)  # fmt: skip
RISING_LOUDNESS = _band(
    "loudness_trend_db", "Loudness rise from the start to the end of the answer", "dB",
    (None, 6.0), (None, 10.0),
    ("the end of the answer within 6 dB of its start",
     "the last third 6–10 dB louder than the first",
     "the last third more than 10 dB louder than the first"),
    "A voice that keeps climbing in loudness sounds pressing; 6 dB is a clearly audible step and "
    "10 dB a spike (feedback-science §5, relative levels); measured from the answer's own first "
    "third, so no calibration is needed",
)  # fmt: skip
FILLERS = _band(
    "fillers_per_minute", "Fillers (um, uh)", "per min", (None, 1.0), (None, 3.0),
    ("at most 1 filler a minute", "1–3 fillers a minute", "more than 3 fillers a minute"),
    "Interview coaches advise at most 1 filler per minute; 4.8/min sounds hesitant "
    "(interviewgenie; Götz 2013 via InterviewVoice, feedback-science §2)",
    weight=1.5,
)  # fmt: skip
HEDGES = _band(
    "hedges_per_100_words", "Hedges (maybe, I guess)", "per 100 words", (None, 2.0), (None, 5.0),
    ("occasional hedging, which is polite", "2–5 hedges per 100 words",
     "more than 5 hedges per 100 words"),
    "Some hedging is polite; flag only high rates (§7). No hedge-specific threshold is "
    "published, so the filler bands of 2 and 5 per 100 words are borrowed (§2)",
)  # fmt: skip
LONG_PAUSE = _band(
    "longest_pause_s", "Longest pause", "s", (None, 2.5), (None, 4.0),
    ("no pause longer than 2.5 s", "a long pause of 2.5–4 s", "a very long pause over 4 s"),
    "Typical pauses last 0.25–0.5 s and 4 s pauses impair listening (Lundholm Fors 2015); "
    "over 2.5–3 s is long (feedback-science §3)",
    weight=1.5,
)  # fmt: skip
MEAN_PAUSE = _band(
    "mean_pause_s", "Average pause", "s", (0.25, 1.0), (0.25, 2.5),
    ("0.25–1 s: natural pauses that let points land",
     "1–2.5 s on average: pauses are getting long", "over 2.5 s on average"),
    "Typical pauses last 0.25–0.5 s, ≈0.6 s at sentence ends sounds most natural, half-second "
    "pauses improved recall (Lundholm Fors 2015; Front. Psychol. 2022; feedback-science §3)",
)  # fmt: skip
THINK = _band(
    "think_latency_s", "Time before your first word", "s", (None, 30.0), (None, 60.0),
    ("started within 30 s", "30–60 s before the first word",
     "more than 60 s before the first word"),
    "One-way interviews give about 30 s to think; more than 60 s is a flag "
    "(HireVue norms, feedback-science §6 and §10)",
)  # fmt: skip
_LENGTH_REASON = (
    "A behavioural answer takes 1.5–2 min (Gies College of Business); under 20 s is thin, "
    "120–180 s is long and 3:00 is the usual cap (HireVue norms, feedback-science §6 and §10)"
)
ANSWER_SHORT = _band(
    "answer_length_s", "Answer length", "s", (60.0, None), (20.0, None),
    ("at least 60 s: room for a full example", "20–60 s: on the thin side",
     "under 20 s: far too short"),
    _LENGTH_REASON,
)  # fmt: skip
ANSWER_LONG = _band(
    "answer_length_s", "Answer length", "s", (None, 120.0), (None, 180.0),
    ("within 2:00", "2:00–3:00: past the soft limit", "3:00 or more: far past the limit"),
    _LENGTH_REASON,
)  # fmt: skip
UNIQUE_WORDS = _band(
    "unique_word_ratio", "Unique-word ratio (MATTR, 50 words)", "", None, None,
    ("no published threshold: compare with your own earlier sessions", "", ""),
    "Naim et al. 2015: highly rated interviewees used more unique words; no threshold is "
    "published, so only your trend is shown (feedback-science §7, §8.2)",
)  # fmt: skip

PACE_TARGET = Target(120.0, 165.0, "feedback-science.md §1/§10: Microsoft Speaker Coach, NCVS")
FILLER_TARGET = Target(None, 1.0, "feedback-science.md §2/§10: at most 1 filler per minute")
PITCH_TARGET = Target(3.0, None, "feedback-science.md §4/§10: above 3 semitones reads as lively")
LENGTH_TARGET = Target(60.0, 120.0, "feedback-science.md §6/§10: Gies; HireVue norms")

_MEASURES: tuple[Measure, ...] = (
    # Per answer, as in the analysis JSON
    Measure("speech_s", "Speech", "s"),
    Measure("leading_silence_s", "Think time", "s"),
    Measure("pauses", "Pauses", "", 0, cli_label="pauses >= 0.25 s"),  # a list: its length
    Measure("long_pause_count", "Long pauses per answer", "", 0, LOWER,
            cli_label="long pauses >= 2.5 s", brief="{:.0f} long pause(s)"),
    Measure("words_per_minute", "Pace", "words/min", 0, IN_BAND, (PACE, FAST), PACE_TARGET,
            cli_label="pace", help="Words per minute, median of the answers",
            brief="{:.0f} words/min", narrow="{:.0f} wpm"),
    Measure("opening_words_per_minute", "Pace in the first 10 s", "words/min", 0, LOWER,
            (OPENING_PACE,)),
    Measure("syllables_per_second", "Articulation rate", "syll/s"),
    Measure("fillers_per_minute", "Fillers", "per min", 1, LOWER, (FILLERS,), FILLER_TARGET,
            accurate_only=True, help="Filler words per minute, median",
            brief="{:.1f} fillers/min"),
    Measure("hedges_per_100_words", "Hedges", "per 100 words", 1, LOWER, (HEDGES,),
            accurate_only=True),
    Measure("pitch_median_hz", "Pitch median", "Hz", 0),
    Measure("pitch_variation_st", "Pitch variation", "st", 1, HIGHER, (PITCH,), PITCH_TARGET,
            heading="Pitch", help="Pitch variation in semitones, median",
            brief="pitch variation {:.1f} st", chart_unit="semitones"),
    Measure("loudness_dbfs", "Loudness", "dBFS"),
    Measure("loudness_variation_db", "Loudness variation", "dB", 1, IN_BAND,
            (LOUDNESS_VARIATION,)),
    Measure("loudness_trend_db", "Loudness rise", "dB", 1, LOWER, (RISING_LOUDNESS,)),
    Measure("snr_db", "Voice above noise", "dB"),
    Measure("unique_word_ratio", "Unique-word ratio", "", 2, HIGHER, (UNIQUE_WORDS,)),
    # Derived by the review from the analysis and the take
    Measure("think_latency_s", "Time before the first word", "s", 1, LOWER, (THINK,)),
    Measure("answer_length_s", "Answer length", "s", 0, IN_BAND, (ANSWER_SHORT, ANSWER_LONG),
            LENGTH_TARGET),
    Measure("longest_pause_s", "Longest pause", "s", 1, LOWER, (LONG_PAUSE,)),
    Measure("mean_pause_s", "Average pause", "s", 2, IN_BAND, (MEAN_PAUSE,)),
    # Per session, as in the history index (medians of rates, sums of counts, means elsewhere)
    Measure("long_pauses", "Long pauses", "", 0, LOWER, heading="Pauses",
            help="Pauses over 2.5 s, all answers together"),
    # §3 defines a long pause (> 2.5 s) but gives no count target; per answer so that sessions
    # with more questions are not penalised.
    Measure("long_pauses_per_answer", "Long pauses (over 2.5 s)", "per answer", 1, LOWER),
    Measure("answer_seconds", "Answer length", "s", 0, IN_BAND, target=LENGTH_TARGET,
            heading="Length", help="Average answer length in seconds", brief="{:.0f} s"),
    # The user's own 1-5 scale: no external target.
    Measure("self_rating", "Self-rating", "1-5", 1, HIGHER, heading="Rating",
            help="Your own rating, 1-5, average", brief="rated {:.0f}/5"),
)  # fmt: skip

MEASURES: dict[str, Measure] = {m.key: m for m in _MEASURES}
assert len(MEASURES) == len(_MEASURES), "a measure key is declared twice"

# Where each measure appears, in the order shown.
CLI_SUMMARY = (
    "speech_s", "leading_silence_s", "pauses", "long_pause_count", "words_per_minute",
    "syllables_per_second", "fillers_per_minute", "pitch_median_hz", "pitch_variation_st",
    "loudness_dbfs", "loudness_variation_db", "snr_db",
)  # fmt: skip
COMPARED = (
    "words_per_minute", "pitch_variation_st", "fillers_per_minute", "long_pause_count",
    "think_latency_s", "answer_length_s", "hedges_per_100_words", "loudness_variation_db",
)  # fmt: skip
TAKE_CARD = ("words_per_minute", "fillers_per_minute", "pitch_variation_st")
ANSWER_LIST = ("words_per_minute",)  # the review's "Your answers" lines (AnswerSummary fields)
# Over sessions, from the history index (each needs a column there, see the module docstring).
CHARTED = (
    "words_per_minute", "fillers_per_minute", "pitch_variation_st", "long_pauses_per_answer",
    "answer_seconds", "self_rating",
)  # fmt: skip
HISTORY_COLUMNS = (
    "words_per_minute", "fillers_per_minute", "pitch_variation_st", "long_pauses",
    "answer_seconds", "self_rating",
)  # fmt: skip
SAME_QUESTION_CARD = ("words_per_minute", "fillers_per_minute", "answer_seconds", "self_rating")
# Per-answer values the history index copies from the analysis JSON as they are.
INDEXED_FROM_ANALYSIS = ("words_per_minute", "fillers_per_minute", "pitch_variation_st")

for _surface in (
    CLI_SUMMARY, COMPARED, TAKE_CARD, ANSWER_LIST, CHARTED, HISTORY_COLUMNS, SAME_QUESTION_CARD,
):  # fmt: skip
    assert set(_surface) <= set(MEASURES), set(_surface) - set(MEASURES)


def measure(key: str) -> Measure:
    return MEASURES[key]
