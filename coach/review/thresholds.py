"""Every band the review judges by, each with its source (/work/shared/notes/feedback-science.md).

A Band has a green range, a wider amber range and red outside both. Where the notes give no
published threshold the band is "info": the value is shown and compared over sessions, never
judged. `distance` says how far a value sits outside the green range, scaled so the red edge is
1.0; the focus ranking multiplies it by how often it happened and by the band's weight (§9.3:
fluency, pitch variation and first impression matter most).
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.review.model import FLAG, GOOD, INFO, WATCH

Range = tuple[float | None, float | None]

MIN_VOICED_S = 5.0
"""§4 step 5 and §10: below 5 s of voiced speech show "not enough speech", do not judge."""


@dataclass(frozen=True)
class Band:
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


PACE = Band(
    "words_per_minute", "Pace", "WPM", (120.0, 165.0), (100.0, 180.0),
    "120–165 WPM is easy to follow",
    "100–120 or 165–180 WPM: a little slow or fast",
    "below 100 or above 180 WPM",
    "Microsoft Speaker Coach recommends 100–165 WPM, the rate audiences processed most easily; "
    "NCVS puts conversation at 120–150 WPM (feedback-science §1)",
)  # fmt: skip
OPENING_PACE = Band(
    "opening_words_per_minute", "Pace in the first 10 s", "WPM", (None, 165.0), (None, 180.0),
    "a calm start, at most 165 WPM",
    "165–180 WPM: a hurried start",
    "a rushed burst above 180 WPM",
    "A 10 s window above 180 WPM is a rushing cue (feedback-science §1); first impressions "
    "form in the first ≈20 s (Prickett et al. 2000, §8.3)",
    weight=1.5,
)  # fmt: skip
PITCH = Band(
    "pitch_variation_st", "Pitch variation", "st", (2.0, 6.0), (1.2, None),
    "lively speech varies by more than 2 st",
    "flat: under 2 st (or above 6 st, which is often tracker error or shouting)",
    "very flat: under 1.2 st",
    "Hincks 2005: listeners' liveliness ratings correlate r = .83 with pitch variation; "
    "Hincks & Edlund 2009 flag under 2 st as flat (feedback-science §4)",
    weight=1.5,
)  # fmt: skip
LOUDNESS_VARIATION = Band(
    "loudness_variation_db", "Loudness variation", "dB", None, None,
    "no published threshold: compare with your own earlier sessions", "", "",
    "No study gives an absolute loudness-variation threshold; too little and too much both "
    "stand out, so only your own trend is shown (feedback-science §5)",
)  # fmt: skip
LOUDER_THAN_USUAL = Band(
    "loudness_above_session_db", "Loudness above your session median", "dB",
    (None, 6.0), (None, 10.0),
    "within 6 dB of your usual level",
    "6–10 dB louder than your usual level",
    "more than 10 dB louder than your usual level",
    "Loudness is relative to your own voice: more than 6 dB off your baseline is noticeable and "
    "spikes above 10 dB are a possible aggressive cue (feedback-science §5); the baseline here "
    "is the median of this session's answers, not a calibrated mic check",
)  # fmt: skip
LOUDER_THAN_MIC_CHECK = Band(
    "loudness_above_mic_check_db", "Loudness above your microphone check", "dB",
    (None, 6.0), (None, 10.0),
    "within 6 dB of your microphone check",
    "6–10 dB louder than your microphone check",
    "more than 10 dB louder than your microphone check",
    "Loudness is relative to your own voice: more than 6 dB above the level you read the "
    "microphone check at is noticeable and spikes above 10 dB are a possible aggressive cue "
    "(feedback-science §5, mic-check calibration)",
)  # fmt: skip
RISING_LOUDNESS = Band(
    "loudness_trend_db", "Loudness rise from the start to the end of the answer", "dB",
    (None, 6.0), (None, 10.0),
    "the end of the answer within 6 dB of its start",
    "the last third 6–10 dB louder than the first",
    "the last third more than 10 dB louder than the first",
    "A voice that keeps climbing in loudness sounds pressing; 6 dB is a clearly audible step and "
    "10 dB a spike (feedback-science §5, relative levels); measured from the answer's own first "
    "third, so no calibration is needed",
)  # fmt: skip
FILLERS = Band(
    "fillers_per_minute", "Fillers (um, uh)", "per min", (None, 1.0), (None, 3.0),
    "at most 1 filler a minute",
    "1–3 fillers a minute",
    "more than 3 fillers a minute",
    "Interview coaches advise at most 1 filler per minute; 4.8/min sounds hesitant "
    "(interviewgenie; Götz 2013 via InterviewVoice, feedback-science §2)",
    weight=1.5,
)  # fmt: skip
HEDGES = Band(
    "hedges_per_100_words", "Hedges (maybe, I guess)", "per 100 words", (None, 2.0), (None, 5.0),
    "occasional hedging, which is polite",
    "2–5 hedges per 100 words",
    "more than 5 hedges per 100 words",
    "Some hedging is polite; flag only high rates (§7). No hedge-specific threshold is "
    "published, so the filler bands of 2 and 5 per 100 words are borrowed (§2)",
)  # fmt: skip
LONG_PAUSE = Band(
    "longest_pause_s", "Longest pause", "s", (None, 2.5), (None, 4.0),
    "no pause longer than 2.5 s",
    "a long pause of 2.5–4 s",
    "a very long pause over 4 s",
    "Typical pauses last 0.25–0.5 s and 4 s pauses impair listening (Lundholm Fors 2015); "
    "over 2.5–3 s is long (feedback-science §3)",
    weight=1.5,
)  # fmt: skip
THINK = Band(
    "think_latency_s", "Time before your first word", "s", (None, 30.0), (None, 60.0),
    "started within 30 s",
    "30–60 s before the first word",
    "more than 60 s before the first word",
    "One-way interviews give about 30 s to think; more than 60 s is a flag "
    "(HireVue norms, feedback-science §6 and §10)",
)  # fmt: skip
_LENGTH_REASON = (
    "A behavioural answer takes 1.5–2 min (Gies College of Business); under 20 s is thin, "
    "120–180 s is long and 3:00 is the usual cap (HireVue norms, feedback-science §6 and §10)"
)
ANSWER_SHORT = Band(
    "answer_length_s", "Answer length", "s", (60.0, None), (20.0, None),
    "at least 60 s: room for a full example",
    "20–60 s: on the thin side",
    "under 20 s: far too short",
    _LENGTH_REASON,
)  # fmt: skip
ANSWER_LONG = Band(
    "answer_length_s", "Answer length", "s", (None, 120.0), (None, 180.0),
    "within 2:00",
    "2:00–3:00: past the soft limit",
    "3:00 or more: far past the limit",
    _LENGTH_REASON,
)  # fmt: skip
FAST = Band(
    "words_per_minute", "Pace", "WPM", (None, 165.0), (None, 180.0),
    "not above 165 WPM",
    "165–180 WPM: fast",
    "above 180 WPM: far above the band",
    PACE.reason,
)  # fmt: skip
MEAN_PAUSE = Band(
    "mean_pause_s", "Average pause", "s", (0.25, 1.0), (0.25, 2.5),
    "0.25–1 s: natural pauses that let points land",
    "1–2.5 s on average: pauses are getting long",
    "over 2.5 s on average",
    "Typical pauses last 0.25–0.5 s, ≈0.6 s at sentence ends sounds most natural, half-second "
    "pauses improved recall (Lundholm Fors 2015; Front. Psychol. 2022; feedback-science §3)",
)  # fmt: skip
UNIQUE_WORDS = Band(
    "unique_word_ratio", "Unique-word ratio (MATTR, 50 words)", "", None, None,
    "no published threshold: compare with your own earlier sessions", "", "",
    "Naim et al. 2015: highly rated interviewees used more unique words; no threshold is "
    "published, so only your trend is shown (feedback-science §7, §8.2)",
)  # fmt: skip
NUMBERS = Band(
    "number_count", "Numbers and quantities", "", (1.0, None), None,
    "at least one concrete number",
    "",
    "no number at all",
    "A STAR answer ends with a quantified result (20–30 s; coaching sources and Mocksy rubric, "
    "feedback-science §6 and §7)",
)  # fmt: skip
JD_COVERAGE = Band(
    "job_term_coverage", "Job-description terms used", "%", None, None,
    "shown as found and missing terms", "", "",
    "Google Interview Warmup shows the job terms you used; JobTalk Analyzer scores topic "
    "coverage (feedback-science §7). No pass mark is published, so the missing terms are listed",
)  # fmt: skip

ABSOLUTES = Band(
    "absolutes", "Absolute words", "", (0.0, 0.0), (0.0, None),
    "no absolute words", "absolute words to listen to", "",
    "Leadership IQ (20,572 written answers): low-rated answers used 103 % more absolutes "
    "(\"always\", \"never\"); no count threshold is published, so each one is shown (§7)",
)  # fmt: skip
BLAME = Band(
    "blame_phrases", "Blaming phrases", "", (0.0, 0.0), None,
    "no blaming phrases", "", "blaming others",
    "Leadership IQ: low-rated answers used \"you\" 392 % and \"they\" 90 % more, with more "
    "negative-emotion words; blaming others is the pattern to avoid (§7)",
    weight=1.5,
)  # fmt: skip
CLUSTERS = Band(
    "filler_clusters", "Filler clusters", "", (0.0, 0.0), None,
    "no cluster of fillers", "", "3 or more fillers within 10 s",
    "Three or more fillers within 10 s mark the moment a question got hard; clusters matter "
    "more than the count (altura.coach, feedback-science §2)",
)  # fmt: skip
SPOKE_OVER = Band(
    "spoke_over_question", "Started before the question ended", "", (0.0, 0.0), None,
    "let the question finish", "", "started answering while the question was still being read",
    "Starting before the question has been read out cuts the interviewer off and reads as "
    "rushing; the first ≈20 s shape the impression (Prickett et al. 2000, feedback-science §8.3)",
)  # fmt: skip
CLIPPING = Band(
    "clipped_samples", "Clipped samples", "", (0.0, 0.0), None,
    "no clipping", "", "the voice overloaded the microphone",
    "Peaks at full scale (|x| ≥ 0.99) mean the voice was too loud for the microphone "
    "(feedback-science §5)",
)  # fmt: skip
STAR = Band(
    "star_parts", "STAR parts found", "of 4", (4.0, None), (2.0, None),
    "situation, task, action and result all there", "some STAR parts missing",
    "most STAR parts missing",
    "Situation and Task 15–20 s, Action 60–90 s in the first person, a quantified Result "
    "20–30 s; keyword-only STAR scoring under-rates natural answers, so the cue phrases are "
    "shown for you to check (coaching sources, Mocksy, InterviewAI; feedback-science §6, §7)",
)  # fmt: skip

WE_I_REASON = (
    'Leadership IQ: high-rated answers had 21 % more "I"; Naim et al.: "we" helped. '
    'Reconciled as ownership plus credit: "I" for your actions, "we" for team results (§7)'
)
LOW_ACCURACY_TEXT = (
    "not judged: the transcript comes from the basic recogniser "
    "(Settings → Download model… gives an accurate one)"
)
FOLLOW_UP_REASON = (
    "One thank-you note, then patience: several unanswered emails or voicemails is the classic "
    "follow-up mistake hiring managers name"
)
