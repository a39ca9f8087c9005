"""Text normalisation and word error rate, so ASR accuracy is measured the same way everywhere.

Recognisers disagree with references on case, punctuation and how numbers are written
("ten" vs "10", "25%" vs "twenty five percent"). `normalize_text` removes those differences
before scoring: case and punctuation are dropped and every number becomes digits.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES)

_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds"}
_TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")


def _clean(text: str) -> str:
    """Lower-case; unify apostrophes; spell out % and currency signs; drop thousands commas."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"(\d(?:[\d.]*\d)?)\s*%", r"\1 percent", text)
    for sign, word in _CURRENCY.items():
        text = re.sub(re.escape(sign) + r"\s*(\d(?:[\d.]*\d)?)", rf"\1 {word}", text)
    return text.replace("-", " ")


def _words_to_digits(tokens: list[str]) -> list[str]:
    """Collapse runs of number words into one digit string ("twenty five" -> "25").

    A run breaks when a small number follows a small number without a scale word
    ("one two three" stays three numbers), so digit sequences read aloud survive.
    """
    out: list[str] = []
    total = current = 0
    in_number = False
    last_small: int | None = None

    def flush() -> None:
        nonlocal total, current, in_number, last_small
        if in_number:
            out.append(str(total + current))
        total = current = 0
        in_number = False
        last_small = None

    for i, tok in enumerate(tokens):
        # "oh" only counts as zero inside a digit run, never on its own.
        if tok == "oh" and not in_number:
            out.append(tok)
            continue
        if tok in _UNITS or tok in _TENS:
            value = _UNITS.get(tok, _TENS.get(tok, 0))
            joins_tens = (
                last_small is not None and last_small % 10 == 0 and last_small >= 20 and value < 10
            )
            if in_number and last_small is not None and not joins_tens:
                flush()
            current += value
            in_number = True
            last_small = value
        elif tok in _SCALES and in_number:
            scale = _SCALES[tok]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
            last_small = None
        elif (
            tok == "and"
            and in_number
            and i + 1 < len(tokens)
            and (tokens[i + 1] in _UNITS or tokens[i + 1] in _TENS)
            and last_small is None
        ):
            continue  # "one hundred and five"
        else:
            flush()
            out.append(tok)
    flush()
    return out


def normalize_text(text: str) -> list[str]:
    """Lower-case word tokens, no punctuation, numbers as digits ("Ten metres." -> ["10", ...])."""
    tokens = _TOKEN.findall(_clean(text))
    tokens = [t.rstrip(".") for t in tokens]
    return _words_to_digits([t for t in tokens if t])


def _edit_distance(ref: list[str], hyp: list[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(
                previous[j] + 1,  # deletion
                current[j - 1] + 1,  # insertion
                previous[j - 1] + (r != h),  # substitution or match
            )
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, after `normalize_text`.

    Raises ValueError for an empty reference: the rate is undefined there.
    """
    ref = normalize_text(reference)
    if not ref:
        raise ValueError("word_error_rate needs a non-empty reference")
    return _edit_distance(ref, normalize_text(hypothesis)) / len(ref)
