"""The choices a user makes on the setup screen, as one plain value object."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

THINK_TIME_CHOICES_S = (0, 15, 30, 60, 120)


@dataclass(frozen=True)
class InterviewSettings:
    """Defaults follow feedback-science.md §6: 30 s think, 2:00 soft warning, 3:00 hard stop."""

    question_count: int = 5
    order: str = "shuffled"  # "shuffled" | "in order"
    think_time_s: int = 30
    soft_limit_s: int = 120
    hard_limit_s: int = 180
    voice_on: bool = True
    voice_id: str | None = None
    voice_rate: int = 170
    show_text: bool = True
    microphone: str | None = None
    speaker: str | None = None
    loudness_baseline_dbfs: float | None = None  # speech level of the user's microphone check
    mode: str = "practice"  # "practice" | "realistic" (coach.core.followups.mode_settings)
    follow_ups: bool = False  # the interviewer asks one follow-up after each answer
    hands_free: bool = False  # the interviewer listens and moves on by voice (issue 15)
    end_silence_s: float = 4.0  # hands-free: this much silence ends an answer (2-10 s)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewSettings:
        """Ignore unknown keys so older or newer session files still load."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
