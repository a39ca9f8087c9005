"""Numbered sentences of a transcript, each an exact slice of it, with word times when known.

The language model answers with sentence numbers and the app cuts the quotes, so a quote is
always verbatim. Sentences end at . ? ! and, for recognisers that give no punctuation
(pocketsphinx), at a pause between words of at least `SENTENCE_GAP_S` (feedback-science §3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SENTENCE_GAP_S = 0.5
"""A pause this long between two words ends a sentence when there is no punctuation."""
MAX_SENTENCES = 60
"""More sentences than this are merged in pairs, so the model's enum stays small (3 min ≈ 45)."""

_TOKEN = re.compile(r"\S+")
_END = (".", "?", "!", "…")
_NORM = re.compile(r"[^\w%']+")


@dataclass(frozen=True)
class Sentence:
    """Sentence `number` (from 1): transcript[start:end] is `text`."""

    number: int
    text: str
    start: int
    end: int
    start_s: float | None = None
    end_s: float | None = None


def _norm(text: str) -> str:
    return _NORM.sub("", text.lower().replace("’", "'"))


def _word_times(
    tokens: Sequence[re.Match[str]], words: Sequence[Mapping[str, Any]]
) -> list[tuple[float, float] | None]:
    """Times per transcript token: words matched in order, looking a few words ahead."""
    times: list[tuple[float, float] | None] = []
    j = 0
    for tok in tokens:
        key = _norm(tok.group(0))
        found = None
        for k in range(j, min(j + 4, len(words))):
            if _norm(str(words[k].get("text", ""))) == key:
                found = k
                break
        if found is None:
            times.append(None)
            continue
        w = words[found]
        times.append((float(w["start_s"]), float(w["end_s"])))
        j = found + 1
    return times


def split_sentences(transcript: str, words: Sequence[Mapping[str, Any]] = ()) -> list[Sentence]:
    """Numbered sentences; see the module docstring. An empty transcript gives no sentences."""
    tokens = list(_TOKEN.finditer(transcript))
    if not tokens:
        return []
    times = _word_times(tokens, words) if words else [None] * len(tokens)
    punctuated = any(t.group(0).endswith(_END) for t in tokens[:-1])
    groups: list[list[int]] = [[]]
    for i, tok in enumerate(tokens):
        groups[-1].append(i)
        last = i == len(tokens) - 1
        gap = False
        if not punctuated and not last:
            here, nxt = times[i], times[i + 1]
            gap = here is not None and nxt is not None and nxt[0] - here[1] >= SENTENCE_GAP_S
        if not last and (tok.group(0).endswith(_END) or gap):
            groups.append([])
    while len(groups) > MAX_SENTENCES:
        groups = [
            groups[k] + (groups[k + 1] if k + 1 < len(groups) else [])
            for k in range(0, len(groups), 2)
        ]
    out: list[Sentence] = []
    for number, group in enumerate(groups, start=1):
        a, b = tokens[group[0]].start(), tokens[group[-1]].end()
        known = [t for t in (times[i] for i in group) if t is not None]
        out.append(
            Sentence(
                number,
                transcript[a:b],
                a,
                b,
                known[0][0] if known else None,
                known[-1][1] if known else None,
            )
        )
    return out


def numbered_text(sentences: Sequence[Sentence]) -> str:
    """The transcript as the model sees it: one "[n] sentence" per line."""
    return "\n".join(f"[{s.number}] {s.text}" for s in sentences)
