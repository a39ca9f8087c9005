"""Which terms of a pasted job description the answers used.

The matching itself (stemming, simple synonyms, numbers) is coach.core.coverage, shared with
question picking; this module only adapts it to the review's several answers and timed words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.core.coverage import concepts, covered_terms, term_concepts, term_matched


@dataclass(frozen=True)
class TermCoverage:
    found: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def share(self) -> float | None:
        total = len(self.found) + len(self.missing)
        return len(self.found) / total if total else None


def term_coverage(terms: Iterable[str], transcripts: Iterable[str]) -> TermCoverage:
    """Split the job terms into those the answers used and those none did."""
    unique = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
    found, missing = covered_terms(unique, " ".join(transcripts))
    return TermCoverage(tuple(found), tuple(missing))


def find_term(term: str, words: Sequence[Mapping[str, Any]]) -> float | None:
    """When the timed words had covered `term` (the start of the word completing it), or None."""
    keys = term_concepts(term)
    if not keys:
        return None
    heard: set[str] = set()
    for word in words:
        heard.update(concepts(str(word.get("text", ""))))
        if term_matched(keys, heard):
            return float(word["start_s"])
    return None
