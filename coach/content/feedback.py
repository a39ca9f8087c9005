"""The content feedback for one answer, as both engines give it and `coach feedback --json` prints.

Fields hold sentence numbers; quotes are cut from the numbered sentences when the dict is built,
so every quote is an exact substring of the transcript. An answer with no words is "not
measured": `measured` is False, verdicts are null and lists are empty, never praise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coach.content.sentences import Sentence
from coach.content.star_cues import PARTS

ANSWERED = ("yes", "partly", "no")


@dataclass(frozen=True)
class Point:
    """A strength or an improvement: a short text and the sentence it is about (or None)."""

    text: str
    sentence: int | None = None


@dataclass(frozen=True)
class ContentFeedback:
    """See the module docstring; `fallbacks` names the fields the rules engine had to supply."""

    engine: str
    model: str | None
    sentences: tuple[Sentence, ...]
    answered_question: str | None = None
    parts: dict[str, tuple[int, ...]] = field(default_factory=lambda: {p: () for p in PARTS})
    result_has_number: bool | None = None
    blame: tuple[int, ...] = ()
    absolutes: tuple[int, ...] = ()
    strengths: tuple[Point, ...] = ()
    improvements: tuple[Point, ...] = ()
    outline: tuple[str, ...] = ()
    follow_up: str | None = None
    fallbacks: tuple[str, ...] = ()
    seconds: float | None = None
    note: str | None = None
    """Why the model's answer was not used (time budget, cancelled, model failed), or None."""

    @property
    def measured(self) -> bool:
        return bool(self.sentences)

    def quote(self, number: int | None) -> str | None:
        """The exact text of sentence `number`, None for None or a number out of range."""
        if number is None or not 1 <= number <= len(self.sentences):
            return None
        return self.sentences[number - 1].text

    def quotes(self, numbers: Sequence[int]) -> list[str]:
        return [q for q in (self.quote(n) for n in numbers) if q is not None]

    def to_dict(self) -> dict[str, object]:
        """The JSON object of `coach feedback --json` (keys from issue 13, then extras)."""
        return {
            "engine": self.engine,
            "model": self.model,
            "measured": self.measured,
            "answered_question": self.answered_question,
            "parts": {p: self.quotes(self.parts.get(p, ())) for p in PARTS},
            "result_has_number": self.result_has_number,
            "blame": self.quotes(self.blame),
            "absolutes": self.quotes(self.absolutes),
            "strengths": [
                {"text": s.text, "quote": self.quote(s.sentence)} for s in self.strengths
            ],
            "improvements": [
                {"text": s.text, "quote": self.quote(s.sentence)} for s in self.improvements
            ],
            "outline": list(self.outline),
            "follow_up": self.follow_up,
            "sentences": [
                {"number": s.number, "text": s.text, "start_s": s.start_s, "end_s": s.end_s}
                for s in self.sentences
            ],
            "part_sentences": {p: list(self.parts.get(p, ())) for p in PARTS},
            "fallbacks": list(self.fallbacks),
            "note": self.note,
            "seconds": None if self.seconds is None else round(self.seconds, 3),
        }
