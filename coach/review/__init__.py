"""The end-of-session review: engaging? too aggressive? prepared? (no Qt, no audio devices).

`build_review` turns a session and its stored analyses into a `Review` (model.py) that the Qt
panel and `render_html` both show; `review_session` loads a session folder and builds it.
Names are loaded on first use (PEP 562) so that opening the app does not import the rules.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "AGGRESSIVE": "model",
    "ENGAGING": "model",
    "HEADINGS": "model",
    "PREPARED": "model",
    "Review": "model",
    "build_review": "build",
    "review_session": "build",
    "load_analyses": "loader",
    "previous_session": "loader",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'coach.review' has no attribute {name!r}")
    return getattr(import_module(f"coach.review.{_EXPORTS[name]}"), name)
