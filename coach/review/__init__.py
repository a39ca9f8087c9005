"""The end-of-session review: engaging? too aggressive? prepared? (no Qt, no audio devices).

`build_review` turns a session and its stored analyses into a `Review` (model.py) that the Qt
panel and `render_html` both show; `review_session` loads a session folder and builds it.
"""

from __future__ import annotations

from coach.review.build import build_review, review_session
from coach.review.loader import load_analyses, previous_session
from coach.review.model import AGGRESSIVE, ENGAGING, HEADINGS, PREPARED, Review

__all__ = [
    "AGGRESSIVE",
    "ENGAGING",
    "HEADINGS",
    "PREPARED",
    "Review",
    "build_review",
    "load_analyses",
    "previous_session",
    "review_session",
]
