"""Which terms of a pasted job description the answers used, matched with simple stemming.

A light suffix stripper (not Porter) is enough here: "managed", "managing", "manager" and
"manage" all become "manag", so the user gets credit for the word family, and a multi-word term
("stakeholder management") must appear as consecutive stems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "ies", "ied", "ed", "es", "s", "ly")
_TOKEN = re.compile(r"[a-z0-9+#]+(?:'[a-z]+)?")


def stem(word: str) -> str:
    """Lower-case word with one common English suffix and a final 'e' removed (min. 3 letters)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def stems(text: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(text.lower().replace("’", "'"))]


@dataclass(frozen=True)
class TermCoverage:
    found: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def share(self) -> float | None:
        total = len(self.found) + len(self.missing)
        return len(self.found) / total if total else None


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    if n == 0:
        return False
    return any(list(haystack[i : i + n]) == list(needle) for i in range(len(haystack) - n + 1))


def term_coverage(terms: Iterable[str], transcripts: Iterable[str]) -> TermCoverage:
    """Split the job terms into those some transcript contains and those none does."""
    texts = [stems(t) for t in transcripts]
    found: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for term in terms:
        key = term.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        needle = stems(key)
        (found if any(_contains(t, needle) for t in texts) else missing).append(term.strip())
    return TermCoverage(tuple(found), tuple(missing))


def find_term(term: str, words: Sequence[Mapping[str, Any]]) -> float | None:
    """Start time of the first place the timed words say `term` (stemmed), or None."""
    needle = stems(term)
    if not needle:
        return None
    tokens: list[tuple[str, float]] = []
    for w in words:
        for s in stems(str(w.get("text", ""))):
            tokens.append((s, float(w["start_s"])))
    n = len(needle)
    for i in range(len(tokens) - n + 1):
        if [t for t, _ in tokens[i : i + n]] == needle:
            return tokens[i][1]
    return None
