"""What a session is: the questions asked and every take recorded, as stored in session.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coach.core.settings import InterviewSettings

IN_PROGRESS = "in_progress"
FINISHED = "finished"
RECOVERED = "recovered"


@dataclass
class Take:
    """One recorded attempt at a question; `audio` is relative to the session folder."""

    audio: str
    duration_s: float
    started_at: str
    think_s: float | None = None
    spoke_over_question: bool = False
    status: str = "complete"  # "complete" | "recording" | "recovered" | "device_lost"
    is_silent: bool = False
    overflows: int = 0
    analysis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Take:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class AskedQuestion:
    """A question as it was asked in this session (its text is copied: banks change)."""

    id: str
    text: str
    category: str = ""
    skipped: bool = False
    takes: list[Take] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "category": self.category,
            "skipped": self.skipped,
            "takes": [t.to_dict() for t in self.takes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AskedQuestion:
        return cls(
            id=str(data.get("id", "")),
            text=str(data["text"]),
            category=str(data.get("category", "")),
            skipped=bool(data.get("skipped", False)),
            takes=[Take.from_dict(t) for t in data.get("takes", [])],
        )


@dataclass
class Session:
    """Everything about one mock interview; the folder plus this file are self-contained."""

    id: str
    created_at: str
    settings: InterviewSettings
    questions: list[AskedQuestion]
    title: str = ""
    status: str = IN_PROGRESS
    finished_at: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def take_count(self) -> int:
        return sum(len(q.takes) for q in self.questions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": 1,
            "id": self.id,
            "title": self.title,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "settings": self.settings.to_dict(),
            "notes": list(self.notes),
            "questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            created_at=str(data["created_at"]),
            finished_at=data.get("finished_at"),
            status=str(data.get("status", IN_PROGRESS)),
            settings=InterviewSettings.from_dict(dict(data.get("settings", {}))),
            notes=[str(n) for n in data.get("notes", [])],
            questions=[AskedQuestion.from_dict(q) for q in data["questions"]],
        )
