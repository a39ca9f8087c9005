"""Word-level signals from a transcript: fillers, hedges, lexical diversity, ownership, tone.

Lists and thresholds come from /work/shared/notes/feedback-science.md (§2 fillers, §7 content
signals). Everything here is a heuristic over recognised words: results from a low_accuracy
transcript (pocketsphinx) must be shown as unreliable, see `lexicon_reliable`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from coach.analysis.transcribe import Transcript, Word
from coach.analysis.wer import NUMBER_WORDS

FILLER = "filler"
DISCOURSE = "discourse"
HEDGE = "hedge"

# um/uh family, including drawn-out spellings Whisper produces ("Ummm", "Uhh").
_FILLER_RE = re.compile(r"^(?:u+m+|u+h+m*|e+r+m*|a+h+|h+m+|m{2,}|hm+)$")
_DISCOURSE_ALWAYS = frozenset({"basically", "actually", "kinda", "sorta"})
_HEDGE_SINGLE = frozenset({"maybe", "probably", "perhaps"})
# "a kind of tool", "what sort of team": the noun use, not the hedge.
_KIND_OF_NOUN_BEFORE = frozenset(
    {"a", "an", "the", "what", "which", "this", "that", "these", "those", "any", "some",
     "every", "each", "one", "same", "other", "different", "new", "right", "wrong", "my",
     "our", "your", "their", "his", "her", "its", "all", "many", "no"}
)  # fmt: skip
# "I like", "would like", "looks like", "things like": the verb or preposition, not a filler.
_LIKE_NOT_AFTER = frozenset(
    {"i", "you", "we", "they", "he", "she", "who", "would", "i'd", "you'd", "we'd", "they'd",
     "he'd", "she'd", "don't", "didn't", "doesn't", "do", "does", "did", "really", "also",
     "to", "not", "look", "looks", "looked", "looking", "seem", "seems", "seemed", "sound",
     "sounds", "sounded", "feel", "feels", "felt", "something", "anything", "nothing",
     "more", "much", "things", "stuff", "people", "just", "exactly", "is", "was", "it's",
     "that's", "be", "been", "a", "the", "would've", "might", "could", "should", "will"}
)  # fmt: skip
_LIKE_NOT_BEFORE = frozenset({"to", "it", "that", "this", "them", "him", "her", "me", "us"})
_YOU_KNOW_NOT_AFTER = frozenset(
    {"do", "did", "does", "don't", "didn't", "if", "whether", "would", "will", "can", "could",
     "should", "might", "what", "when", "let", "so"}
)  # fmt: skip
_YOU_KNOW_NOT_BEFORE = frozenset({"that", "what", "how", "why", "where", "when", "who", "if"})
_I_MEAN_NOT_BEFORE = frozenset({"it", "to", "that", "what", "by"})
_I_MEAN_NOT_AFTER = frozenset({"what", "if", "do", "did", "don't", "didn't"})
_I_THINK_NOT_BEFORE = frozenset({"about", "of", "through", "that's"})
_SO_NOT_BEFORE = frozenset({"that", "far", "much", "many", "long", "called"})
_CLAUSE_GAP_S = 0.5  # a pause this long before "so" counts as a clause boundary
_CLAUSE_PUNCT = (".", ",", "?", "!", ";", ":", "—", "-")

_WE = frozenset({"we", "our", "us", "ours", "ourselves", "we're", "we've", "we'll", "we'd"})
_I = frozenset({"i", "my", "me", "mine", "myself", "i'm", "i've", "i'll", "i'd"})

# Strong absolutist words (subset of Al-Mosaiwi & Johnstone 2018, Clinical Psychological
# Science; Leadership IQ found 103 % more absolutes in low-rated answers, feedback-science §7).
# Frequent neutral members of that dictionary ("all", "every", "whole", "full") are left out.
_ABSOLUTE_SINGLE = frozenset(
    {"always", "never", "everyone", "everybody", "everything", "nobody", "nothing", "none",
     "completely", "totally", "absolutely", "entirely", "constantly", "forever", "impossible"}
)  # fmt: skip
_ABSOLUTE_PAIRS = frozenset({("no", "one"), ("every", "single")})

# Blame and contempt: "you / they" blame was 392 % / 90 % more common in low-rated answers.
_BLAME_SUBJECTS = frozenset({"they", "he", "she", "you", "management", "boss", "manager", "client"})
_BLAME_VERBS = frozenset(
    {"failed", "messed", "screwed", "blew", "dropped", "ignored", "refused", "sabotaged",
     "ruined", "blamed", "never", "always", "wouldn't", "couldn't"}
)  # fmt: skip
_BLAME_PHRASES: tuple[tuple[str, ...], ...] = (
    ("not", "my", "fault"), ("wasn't", "my", "fault"), ("isn't", "my", "fault"),
    ("their", "fault"), ("his", "fault"), ("her", "fault"), ("your", "fault"),
    ("you", "people"), ("those", "people"), ("because", "of", "them"),
    ("their", "mistake"), ("it", "wasn't", "me"), ("i", "blame"),
)  # fmt: skip
_CONTEMPT = frozenset({"incompetent", "idiot", "idiots", "clueless", "useless", "stupid"})

MATTR_WINDOW = 50  # feedback-science §7: MATTR over 50 words

_STRIP = re.compile(r"^[^\w$€£%']+|[^\w%']+$")
_DIGITS = re.compile(r"^[$€£]?\d[\d,.]*(?:%|k|m|bn)?$")
_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion"})
QUANTITY_WORDS = (NUMBER_WORDS - {"oh"}) | frozenset(
    {"half", "double", "twice", "triple", "dozen", "percent"}
)
"""Words that state a quantity. "oh" is left out: in speech it is a filler far more often than
a zero, and "Oh," was counted as a quantified result (issue 13)."""
_QUANTITY_UNITS = frozenset(
    {"percent", "per", "cent", "dollars", "dollar", "euros", "euro", "pounds", "k", "million",
     "billion", "thousand", "hundred", "bucks", "%"}
)  # fmt: skip


@dataclass(frozen=True)
class Filler:
    """A filler or hedge; `kind` is 'filler' (um/uh), 'discourse' (like, you know) or 'hedge'."""

    text: str
    start_s: float
    kind: str


@dataclass(frozen=True)
class WordStats:
    """Counts for the review panel; phrases are merged into one Word spanning their words."""

    count: int
    unique_ratio: float | None
    we_count: int
    i_count: int
    numbers: tuple[Word, ...]
    absolutes: tuple[Word, ...]
    blame: tuple[Word, ...]


def normalize_token(text: str) -> str:
    """Lower-case, curly quotes straightened, surrounding punctuation removed ("Um," -> "um")."""
    return _STRIP.sub("", text.lower().replace("’", "'").replace("‘", "'"))


def is_filler_token(token: str) -> bool:
    return bool(_FILLER_RE.match(token))


def lexicon_reliable(transcript: Transcript) -> bool:
    """False when word-level counts should be shown as "not reliable" (pocketsphinx)."""
    return not transcript.low_accuracy


def _span(words: Sequence[Word], i: int, n: int, text: str | None = None) -> Word:
    """Merge words[i:i+n] into one Word covering their time span."""
    part = words[i : i + n]
    probs = [w.probability for w in part if w.probability is not None]
    return Word(
        text if text is not None else " ".join(w.text for w in part),
        part[0].start_s,
        part[-1].end_s,
        min(probs) if probs else None,
    )


class _Tokens:
    """Normalised tokens with boundary information, shared by the detectors."""

    def __init__(self, words: Sequence[Word]) -> None:
        self.words = words
        self.tok = [normalize_token(w.text) for w in words]

    def at(self, i: int) -> str:
        return self.tok[i] if 0 <= i < len(self.tok) else ""

    def clause_start(self, i: int) -> bool:
        """True at the start, after punctuation, after a filler or after a pause."""
        if i == 0:
            return True
        prev = self.words[i - 1]
        return (
            prev.text.rstrip().endswith(_CLAUSE_PUNCT)
            or is_filler_token(self.tok[i - 1])
            or self.words[i].start_s - prev.end_s >= _CLAUSE_GAP_S
        )

    def followed_by_pause(self, i: int) -> bool:
        return self.words[i].text.rstrip().endswith(",")


def _like_is_filler(t: _Tokens, i: int) -> bool:
    prev, nxt = t.at(i - 1), t.at(i + 1)
    separated_before = t.clause_start(i)  # "it was, like, ..." is not "was like"
    pause_after = t.followed_by_pause(i)
    if nxt in _LIKE_NOT_BEFORE and not pause_after:
        return False
    if prev in _LIKE_NOT_AFTER and not separated_before:
        return False
    # "..., like, ...", "and like we", "like 20 people" (approximation)
    return (
        separated_before
        or pause_after
        or prev in {"and", "but", "so", "or", "because"}
        or nxt in NUMBER_WORDS
        or bool(_DIGITS.match(nxt))
    )


def _match_phrase(t: _Tokens, i: int) -> tuple[str, str, int] | None:
    """(text, kind, length) of a filler/hedge starting at token i, or None."""
    cur, nxt, prev = t.at(i), t.at(i + 1), t.at(i - 1)
    if is_filler_token(cur):
        return cur, FILLER, 1
    if cur == "you" and nxt == "know":
        if prev in _YOU_KNOW_NOT_AFTER or t.at(i + 2) in _YOU_KNOW_NOT_BEFORE:
            return None
        return "you know", DISCOURSE, 2
    if cur == "i" and nxt == "mean":
        if prev in _I_MEAN_NOT_AFTER or t.at(i + 2) in _I_MEAN_NOT_BEFORE:
            return None
        return "i mean", DISCOURSE, 2
    if cur in {"sort", "kind"} and nxt == "of":
        return None if prev in _KIND_OF_NOUN_BEFORE else (f"{cur} of", DISCOURSE, 2)
    if cur == "i" and nxt == "guess":
        return "i guess", HEDGE, 2
    if cur == "i" and nxt == "think":
        return None if t.at(i + 2) in _I_THINK_NOT_BEFORE else ("i think", HEDGE, 2)
    if cur in _DISCOURSE_ALWAYS:
        return cur, DISCOURSE, 1
    if cur in _HEDGE_SINGLE:
        return cur, HEDGE, 1
    if cur == "like" and _like_is_filler(t, i):
        return "like", DISCOURSE, 1
    if cur == "so" and t.clause_start(i) and nxt not in _SO_NOT_BEFORE:
        return "so", DISCOURSE, 1
    return None


def find_fillers(words: Sequence[Word]) -> list[Filler]:
    """Fillers (um, uh...), discourse markers (like, you know, so...) and hedges, in time order."""
    t = _Tokens(words)
    found: list[Filler] = []
    i = 0
    while i < len(words):
        match = _match_phrase(t, i)
        if match is None:
            i += 1
            continue
        text, kind, length = match
        found.append(Filler(text, words[i].start_s, kind))
        i += length
    return found


def filler_clusters(
    fillers: Sequence[Filler],
    window_s: float = 10.0,
    min_count: int = 3,
    *,
    kinds: Collection[str] = (FILLER,),
) -> list[tuple[float, float, int]]:
    """Runs of at least `min_count` fillers within `window_s` (feedback-science §2).

    Only um/uh-type fillers by default: the threshold was defined for them, and discourse
    markers and hedges have legitimate uses. Overlapping windows merge into one cluster,
    returned as (first filler start, last filler start, fillers in between).
    """
    times = sorted(f.start_s for f in fillers if f.kind in kinds)
    spans: list[tuple[float, float]] = []
    j = 0
    for i, start in enumerate(times):
        j = max(j, i)
        while j + 1 < len(times) and times[j + 1] - start <= window_s:
            j += 1
        if j - i + 1 >= min_count:
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], times[j]))
            else:
                spans.append((start, times[j]))
    return [(a, b, sum(a <= x <= b for x in times)) for a, b in spans]


def _mattr(tokens: Sequence[str], window: int = MATTR_WINDOW) -> float | None:
    """Moving-average type-token ratio; the plain ratio when there are fewer tokens."""
    if not tokens:
        return None
    if len(tokens) <= window:
        return len(set(tokens)) / len(tokens)
    counts = Counter(tokens[:window])
    total = len(counts)
    for k in range(window, len(tokens)):
        leaving, entering = tokens[k - window], tokens[k]
        counts[leaving] -= 1
        if counts[leaving] == 0:
            del counts[leaving]
        counts[entering] += 1
        total += len(counts)
    return total / (len(tokens) - window + 1) / window


def _is_number(token: str) -> bool:
    return (token in NUMBER_WORDS and token != "oh") or bool(_DIGITS.match(token))


def _numbers(t: _Tokens) -> list[Word]:
    """Numbers with their units merged: "twenty five percent", "$5,000", "3 million".

    A lone "one" is skipped: it is mostly a pronoun ("the one", "one of the things").
    """
    found: list[Word] = []
    i = 0
    while i < len(t.tok):
        if not _is_number(t.tok[i]):
            i += 1
            continue
        j = i + 1
        while j < len(t.tok) and (
            _is_number(t.tok[j])
            or t.tok[j] in _QUANTITY_UNITS
            or (t.tok[j] == "and" and t.at(j - 1) in _SCALE_WORDS and t.at(j + 1) in NUMBER_WORDS)
        ):
            j += 1
        if not (j - i == 1 and t.tok[i] == "one"):
            found.append(_span(t.words, i, j - i))
        i = j
    return found


def _find(t: _Tokens, match: Callable[[int], int]) -> list[Word]:
    """Scan with `match(i) -> phrase length (0 = none)`, without overlapping hits."""
    found: list[Word] = []
    i = 0
    while i < len(t.tok):
        n = match(i)
        if n:
            found.append(_span(t.words, i, n))
            i += n
        else:
            i += 1
    return found


def _absolute_at(t: _Tokens, i: int) -> int:
    if (t.at(i), t.at(i + 1)) in _ABSOLUTE_PAIRS:
        return 2
    return 1 if t.tok[i] in _ABSOLUTE_SINGLE else 0


def _blame_at(t: _Tokens, i: int) -> int:
    for phrase in _BLAME_PHRASES:
        if tuple(t.tok[i : i + len(phrase)]) == phrase:
            return len(phrase)
    if t.tok[i] in _BLAME_SUBJECTS and t.at(i + 1) in _BLAME_VERBS:
        return 2
    return 1 if t.tok[i] in _CONTEMPT else 0


def word_stats(words: Sequence[Word]) -> WordStats:
    """Word count, MATTR, we/I counts, and the numbers, absolutes and blame phrases with times.

    `count` includes fillers (they take speaking time); the diversity ratio leaves um/uh out
    so a nervous answer is not rewarded for varied fillers.
    """
    t = _Tokens(words)
    tokens = [x for x in t.tok if x]
    content = [x for x in tokens if not is_filler_token(x)]
    return WordStats(
        count=len(tokens),
        unique_ratio=_mattr(content),
        we_count=sum(x in _WE for x in tokens),
        i_count=sum(x in _I for x in tokens),
        numbers=tuple(_numbers(t)),
        absolutes=tuple(_find(t, lambda i: _absolute_at(t, i))),
        blame=tuple(_find(t, lambda i: _blame_at(t, i))),
    )
