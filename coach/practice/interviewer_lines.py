"""What the interviewer says between the questions in a hands-free interview.

Plain data and a picker with injected randomness (tests pass a seeded ``random.Random``). The
lines are short and neutral, as a trained interviewer's are: an acknowledgement thanks, it does
not judge ("Great answer!" would be feedback the review gives, with evidence). Real interviews
open with a greeting and a lead-in to the first question and end by inviting the candidate's
questions, then a sign-off.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

GREETINGS = (
    "Hello, and thank you for coming in today.",
    "Hi, thanks for taking the time to talk with me today.",
    "Good to meet you, and thanks for joining me.",
)
FIRST_QUESTION_LEAD_INS = (
    "Let's get started.",
    "Let's begin with the first question.",
    "Shall we get started? Here is my first question.",
)
ACKNOWLEDGEMENTS = (
    "Thank you.",
    "Okay, thanks.",
    "Thanks for that.",
    "All right, thank you.",
    "I see. Thank you.",
    "Okay.",
)
NEXT_QUESTION_LEAD_INS = (
    "",
    "",
    "Next question.",
    "Let's move on.",
    "My next question is this.",
)
FOLLOW_UP_LEAD_INS = ("", "Let me follow up on that.", "Just to follow up.")
CLOSING_QUESTION = "Do you have any questions for me?"
CLOSING_LEAD_INS = ("That's all the questions I have.", "Those are all my questions.")
SIGN_OFFS = (
    "Thank you for your time today. We'll be in touch.",
    "Thanks again for coming in. It was good to talk with you.",
    "Thank you, that's everything from my side. Let's look at how it went.",
)
REPEAT_LEAD_INS = ("Of course.", "Sure.", "Certainly.")
SKIP_REPLIES = ("That's fine, let's move on.", "No problem, we'll skip that one.")
NOT_HEARD = "Sorry, I can't hear you. Please check your microphone."


@dataclass
class LinePicker:
    """Picks lines so the same one never comes twice in a row within each kind."""

    rng: random.Random = field(default_factory=random.Random)
    _last: dict[str, str] = field(default_factory=dict)

    def pick(self, kind: str, options: tuple[str, ...]) -> str:
        last = self._last.get(kind)
        fresh = [o for o in options if o != last] or list(options)
        line = self.rng.choice(fresh)
        self._last[kind] = line
        return line

    def opening(self, first_question: str) -> str:
        """The greeting, the lead-in and the first question, spoken as one turn."""
        return _join(
            self.pick("greeting", GREETINGS),
            self.pick("first", FIRST_QUESTION_LEAD_INS),
            first_question,
        )

    def acknowledgement(self) -> str:
        return self.pick("ack", ACKNOWLEDGEMENTS)

    def next_question(self, question: str, *, follow_up: bool = False) -> str:
        """An acknowledgement of the answer, then the next question (or follow-up)."""
        kind, options = (
            ("follow", FOLLOW_UP_LEAD_INS) if follow_up else ("next", NEXT_QUESTION_LEAD_INS)
        )
        return _join(self.acknowledgement(), self.pick(kind, options), question)

    def closing_question(self) -> str:
        return _join(
            self.acknowledgement(), self.pick("closing", CLOSING_LEAD_INS), CLOSING_QUESTION
        )

    def sign_off(self) -> str:
        return self.pick("sign-off", SIGN_OFFS)

    def repeat(self, question: str) -> str:
        return _join(self.pick("repeat", REPEAT_LEAD_INS), question)

    def skip(self) -> str:
        return self.pick("skip", SKIP_REPLIES)


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p.strip())
