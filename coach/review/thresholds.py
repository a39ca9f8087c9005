"""The review's bands: the delivery bands come from the registry (`coach.measures`); the
content checks below (numbers, absolutes, blame, clusters, STAR...) are judged only here.

Every band names its source (/work/shared/notes/feedback-science.md). See `coach.measures.Band`
for green/amber/red and how `distance` feeds the focus ranking.
"""

from __future__ import annotations

from coach.measures import (
    ANSWER_LONG,
    ANSWER_SHORT,
    FAST,
    FILLERS,
    HEDGES,
    LONG_PAUSE,
    LOUDER_THAN_MIC_CHECK,
    LOUDER_THAN_USUAL,
    LOUDNESS_VARIATION,
    MEAN_PAUSE,
    OPENING_PACE,
    PACE,
    PITCH,
    RISING_LOUDNESS,
    THINK,
    UNIQUE_WORDS,
    Band,
)

MIN_VOICED_S = 5.0
"""§4 step 5 and §10: below 5 s of voiced speech show "not enough speech", do not judge."""

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
__all__ = [
    "ABSOLUTES", "ANSWER_LONG", "ANSWER_SHORT", "BLAME", "CLIPPING", "CLUSTERS", "FAST", "FILLERS",
    "HEDGES", "JD_COVERAGE", "LONG_PAUSE", "LOUDER_THAN_MIC_CHECK", "LOUDER_THAN_USUAL",
    "LOUDNESS_VARIATION", "MEAN_PAUSE", "NUMBERS", "OPENING_PACE", "PACE", "PITCH",
    "RISING_LOUDNESS", "SPOKE_OVER", "STAR", "THINK", "UNIQUE_WORDS", "Band",
]  # fmt: skip
LOW_ACCURACY_TEXT = (
    "not judged: the transcript comes from the basic recogniser "
    "(Settings → Download model… gives an accurate one)"
)
FOLLOW_UP_REASON = (
    "One thank-you note, then patience: several unanswered emails or voicemails is the classic "
    "follow-up mistake hiring managers name"
)
