"""What the review panel shows, as frozen plain data: the Qt panel and the HTML report read this.

Nothing here judges anything; build.py fills it. Every judgement travels with its Evidence (the
number, its band, the reason for the band and the moments it came from) so the user can check it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from coach.measures import FLAG as FLAG  # the registry's band names, re-exported
from coach.measures import GOOD as GOOD
from coach.measures import INFO as INFO
from coach.measures import WATCH as WATCH

ENGAGING = "Were your answers engaging?"
AGGRESSIVE = "Did you come across as too aggressive?"
PREPARED = "Were you prepared?"
HEADINGS = (ENGAGING, AGGRESSIVE, PREPARED)

# GOOD, WATCH, FLAG and INFO (a measured value with no published threshold: shown and compared,
# never judged) are the registry's band names, coach.measures.
NOT_MEASURED = "not measured"

STRENGTH = "strength"
FIX = "fix"
NOTE = "info"

# Stored in Session.checklist under these ids; the texts are what the panel shows.
PREPARATION_ITEMS: tuple[tuple[str, str], ...] = (
    ("prep.job_description", "Read the job description and the posting fully"),
    ("prep.company", "Researched the company (products, news, the team)"),
    ("prep.outfit", "Outfit chosen and ready"),
    ("prep.grooming", "Grooming planned for the day"),
    ("prep.resume_copies", "Printed copies of your résumé"),
    ("prep.questions", "Questions to ask the interviewer written down"),
    ("prep.directions", "Directions and timing checked (arrive 10 minutes early)"),
)
FOLLOW_UP_ITEMS: tuple[tuple[str, str], ...] = (
    ("follow.thank_you", "Send one short thank-you note within a day"),
    ("follow.wait", "Then be patient until the date they gave you"),
    ("follow.one_check_in", "If that date passes, one polite check-in, no more"),
    (
        "follow.no_chasing",
        "No string of emails or voicemails: repeated chasing is the classic mistake",
    ),
)


@dataclass(frozen=True)
class Moment:
    """A place in one take to replay; times are seconds from the start of that take."""

    question_index: int
    take_index: int
    start_s: float
    end_s: float | None = None
    label: str = ""


@dataclass(frozen=True)
class Evidence:
    """One measured number with its band and the reason for the band."""

    metric: str
    label: str
    value: float | None
    unit: str
    band: str  # "good" | "watch" | "flag" | "not measured" | "info" (no published threshold)
    band_text: str
    reason: str
    moments: tuple[Moment, ...] = ()
    question_index: int | None = None
    take_index: int | None = None


@dataclass(frozen=True)
class Prompt:
    """One thing to tell the user, with the evidence it rests on."""

    id: str
    text: str
    kind: str  # "strength" | "fix" | "info"
    evidence: tuple[Evidence, ...]
    severity: float = 0.0  # distance from band x frequency x weight; 0 for strengths
    reliable: bool = True
    note: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    verdict: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class FocusItem:
    title: str
    why: str
    drill: str
    prompt_id: str
    question_index: int | None = None
    """The answer furthest from the band: the one "Practise this again" re-runs."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    checked: bool = False


@dataclass(frozen=True)
class Comparison:
    metric: str
    label: str
    unit: str
    previous: float | None
    current: float | None
    better: str  # "higher" | "lower" | "in band"


@dataclass(frozen=True)
class AnswerSummary:
    question_index: int
    take_index: int
    question: str
    audio: str
    duration_s: float
    words_per_minute: float | None
    fillers_per_minute: float | None
    pitch_variation_st: float | None
    long_pause_count: int | None
    transcript: str
    low_accuracy: bool
    noisy_snr_db: float | None = None
    """The voice's distance above the room noise when under 15 dB (a noisy room), else None."""
    quiet_dbfs: float | None = None
    """The speech level when the recording was too quiet, else None."""
    cut_short: bool = False
    """The audio file holds less than its header promised; only the readable part was analysed."""


@dataclass(frozen=True)
class Review:
    session_id: str
    title: str
    created_at: str
    sections: tuple[Section, ...]
    focus: tuple[FocusItem, ...]
    comparisons: tuple[Comparison, ...]
    preparation_checklist: tuple[ChecklistItem, ...]
    follow_up_checklist: tuple[ChecklistItem, ...]
    answers: tuple[AnswerSummary, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain nested dicts and lists (tuples become lists), ready for json.dumps."""
        out = _plain(dataclasses.asdict(self))
        assert isinstance(out, dict)
        return out


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
