"""Which job-description terms an answer covered, for the review's "Were you prepared?" section.

Spoken answers rarely repeat the posting word for word ("I managed our clients" for "customer
management"), so terms and transcripts are compared as *concepts*: lower-cased tokens with numbers
as digits (the same normalisation as the WER scorer), a light suffix-stripping stemmer and a small
table of everyday synonyms. The same concept keys drive question selection (question_pick.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coach.analysis.wer import normalize_text  # pure `re`, no numpy: cheap for coach.core

# Function words and posting filler that carry no topic; they never have to be "covered".
_STOPWORDS_TEXT = """
    a about above after again all also am an and any are as at be been being both but by can
    could did do does doing during each either etc every for from further had has have having
    he her here hers him his how i if in into is it its itself just may me might more most must
    my no nor not of off on once only or other our ours out over own per same she should so
    some such than that the their them then there these they this those through to too under
    until up upon us very via was we were what when where which while who whom why will with
    within without would you your yours
    """
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Irregular forms the suffix rules cannot reach.
_IRREGULAR = {
    "led": "lead", "leading": "lead", "leads": "lead", "ran": "run", "running": "run",
    "built": "build", "taught": "teach", "sold": "sell", "sales": "sell", "sale": "sell",
    "bought": "buy", "made": "make", "people": "person", "children": "child", "wrote": "write",
    "written": "write", "spoke": "speak", "spoken": "speak", "gave": "give", "given": "give",
    "took": "take", "taken": "take", "chose": "choose", "chosen": "choose", "met": "meet",
    "data": "data", "analysis": "analys", "analyses": "analys", "analyse": "analys",
    "analyze": "analys", "process": "process",
    "business": "business", "status": "status", "bus": "bus", "focus": "focus",
}  # fmt: skip

# Everyday synonyms a candidate might say instead of the posting's word. Each group maps to its
# first word; words are stemmed before lookup, so one form per word is enough.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("customer", "client", "shopper", "guest", "patron", "consumer", "user"),
    ("manage", "lead", "supervise", "oversee", "head", "direct", "coordinate", "run"),
    ("team", "colleague", "coworker", "staff", "peer"),
    ("resolve", "solve", "fix", "troubleshoot", "debug"),
    ("build", "develop", "create", "implement"),
    ("teach", "train", "coach", "mentor", "tutor"),
    ("document", "record", "chart", "note"),
    ("medication", "medicine", "drug"),
    ("complaint", "grievance"),
    ("prioritise", "prioritize", "triage"),
    ("organise", "organize", "plan", "schedule"),
    ("improve", "enhance", "optimise", "optimize"),
    ("communicate", "explain", "talk", "discuss"),
    ("sell", "revenue"),
    ("stock", "inventory"),
    ("target", "goal", "objective", "kpi"),
    ("test", "qa"),
    ("deploy", "release", "ship"),
    ("safety", "safe"),
)

# Suffixes stripped in this order (longest first); a stem must keep at least 3 letters.
_SUFFIXES = (
    "ational", "ations", "ation", "ating", "ated", "ates", "ate", "ments", "ment", "ness", "ings",
    "ing", "ies", "ied", "ed", "ers", "er", "ors", "or", "ly", "ical", "al", "es", "s",
)  # fmt: skip
_MIN_STEM = 3
_KEEP_DOUBLE = frozenset("lsz")


def stem(word: str) -> str:
    """A light English stemmer: managing / managed / management / manager -> "manag".

    Deliberately simple (no dictionary): it only has to map the forms of one word together,
    and occasional over-merging ("car" ~ "care") costs little when matching whole terms.
    """
    w = word.lower().replace("’", "'")
    w = w.removesuffix("'s").strip("'")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= _MIN_STEM or w.isdigit():
        return w
    if w.endswith(("ss", "us", "is")) and not w.endswith(("ies", "ess")):
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"  # policies -> policy, applied -> apply
    else:
        for suffix in _SUFFIXES:
            shortest = _MIN_STEM + 1 if suffix == "ly" else _MIN_STEM  # apply, supply
            if w.endswith(suffix) and len(w) - len(suffix) >= shortest:
                w = w[: -len(suffix)]
                break
    if len(w) > _MIN_STEM and w[-1] == w[-2] and w[-1] not in _KEEP_DOUBLE and w[-1].isalpha():
        w = w[:-1]  # planned -> plann -> plan
    if w.endswith("e") and len(w) > _MIN_STEM:
        w = w[:-1]  # manage -> manag, the same stem as managing
    return w.removesuffix("y") if len(w) > _MIN_STEM + 1 else w


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in SYNONYM_GROUPS:
        head = stem(group[0])
        for word in group:
            table.setdefault(stem(word), head)
    return table


_SYNONYMS = _build_synonyms()


def concept(token: str) -> str:
    """The comparison key of one token: its stem, or its synonym group's key."""
    stemmed = stem(token)
    return _SYNONYMS.get(stemmed, stemmed)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens with numbers as digits ("twenty five" -> "25")."""
    return normalize_text(text.replace("/", " "))


def concepts(text: str) -> list[str]:
    """Concept keys of the content words of `text`, in order (stopwords dropped)."""
    return [concept(t) for t in tokens(text) if t not in STOPWORDS]


def term_concepts(term: str) -> frozenset[str]:
    """The concept keys one key term needs; empty for a term made only of stopwords."""
    return frozenset(concepts(term))


def needed_matches(size: int) -> int:
    """How many of a term's concepts an answer must mention: all, or all but one from three up.

    Long terms ("electronic patient record") are usually paraphrased, not quoted; requiring
    every word would miss an answer that plainly talks about the subject.
    """
    return size if size < 3 else size - 1


def term_matched(term_keys: frozenset[str], available: set[str] | frozenset[str]) -> bool:
    """True when enough of a term's concepts occur in `available`."""
    if not term_keys:
        return False
    return len(term_keys & available) >= needed_matches(len(term_keys))


def covered_terms(terms: Sequence[str], transcript: str) -> tuple[list[str], list[str]]:
    """(covered, missing): the key terms an answer mentioned, each list in the order given.

    A term counts as covered when its content words occur anywhere in the transcript, compared
    by stem, synonym group and digit-normalised numbers. Blank or duplicate terms are skipped.
    """
    said = set(concepts(transcript))
    covered: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for term in terms:
        label = term.strip()
        if not label or label.casefold() in seen:
            continue
        seen.add(label.casefold())
        keys = term_concepts(label)
        if not keys:
            continue
        (covered if term_matched(keys, said) else missing).append(label)
    return covered, missing


def coverage_share(terms: Iterable[str], transcript: str) -> float | None:
    """Share of the usable terms covered (None when there are no usable terms)."""
    covered, missing = covered_terms(list(terms), transcript)
    total = len(covered) + len(missing)
    return len(covered) / total if total else None
