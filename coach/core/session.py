"""What a session is: the questions asked and every take recorded, as stored in session.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coach.core.settings import InterviewSettings

IN_PROGRESS = "in_progress"
FINISHED = "finished"
RECOVERED = "recovered"
CUT_SHORT = "cut_short"  # a take the disk filled up under: kept as its raw partial file


@dataclass
class Take:
    """One recorded attempt at a question; `audio` is relative to the session folder."""

    audio: str
    duration_s: float
    started_at: str
    think_s: float | None = None
    spoke_over_question: bool = False
    status: str = "complete"  # "complete" | "recording" | "recovered" | "device_lost" | CUT_SHORT
    is_silent: bool = False
    overflows: int = 0
    analysis: str | None = None  # file name of the take's AnswerAnalysis JSON
    self_rating: int | None = None  # 1-5, the user's own rating in the review
    notes: str = ""

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
    best_take: int | None = None  # index into takes chosen by the user in the review
    star: bool = False  # a behavioural question that expects a STAR answer
    follow_up_of: int | None = None  # index of the question this one follows up

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "category": self.category,
            "skipped": self.skipped,
            "best_take": self.best_take,
            "star": self.star,
            "follow_up_of": self.follow_up_of,
            "takes": [t.to_dict() for t in self.takes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AskedQuestion:
        return cls(
            id=str(data.get("id", "")),
            text=str(data["text"]),
            category=str(data.get("category", "")),
            skipped=bool(data.get("skipped", False)),
            best_take=data.get("best_take"),
            star=bool(data.get("star", False)),
            follow_up_of=data.get("follow_up_of"),
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
    checklist: dict[str, bool] = field(default_factory=dict)  # pre-interview + follow-up items
    job_description: str = ""
    job_terms: list[str] = field(default_factory=list)
    role: str = ""

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
            "checklist": dict(self.checklist),
            "job_description": self.job_description,
            "job_terms": list(self.job_terms),
            "role": self.role,
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
            checklist={str(k): bool(v) for k, v in dict(data.get("checklist", {})).items()},
            job_description=str(data.get("job_description", "")),
            job_terms=[str(t) for t in data.get("job_terms", [])],
            role=str(data.get("role", "")),
            questions=[AskedQuestion.from_dict(q) for q in data["questions"]],
        )
