"""What a practice session reports, in the past tense; the Qt adapter turns each into a signal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coach.core.session import Session


@dataclass(frozen=True)
class SessionStarted:
    session: Session


@dataclass(frozen=True)
class PhaseChanged:
    """Anything the screen shows may have changed (phase, buttons, 'preparing a follow-up')."""


@dataclass(frozen=True)
class QuestionShown:
    index: int


@dataclass(frozen=True)
class TakeSaved:
    question: int
    take: int


@dataclass(frozen=True)
class AnalysisSaved:
    question: int
    take: int


@dataclass(frozen=True)
class ContentSaved:
    """A take's content feedback was saved beside it (`engine`: "rules" or "llm")."""

    session: Session
    question: int
    take: int
    engine: str


@dataclass(frozen=True)
class Told:
    """Something the user should know, in plain words."""

    text: str


@dataclass(frozen=True)
class SessionFinished:
    session: Session


@dataclass(frozen=True)
class LateAnalysisSaved:
    """An analysis landed after Finish; session.json on disk was updated in that one field."""

    session: Session


Event = (
    SessionStarted
    | PhaseChanged
    | QuestionShown
    | TakeSaved
    | AnalysisSaved
    | ContentSaved
    | Told
    | SessionFinished
    | LateAnalysisSaved
)
Listener = Callable[[Event], None]
