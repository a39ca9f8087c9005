"""Term coverage: stemming, synonyms and numbers, then real recognised speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.coverage import concept, coverage_share, covered_terms, stem

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    "forms",
    [
        ("manage", "managing", "managed", "management", "manager", "managers"),
        ("customer", "customers", "customer's"),
        ("nurse", "nursing", "nurses", "nursed"),
        ("communicate", "communication", "communicating", "communicated"),
        ("plan", "planned", "planning", "plans"),
        ("policy", "policies"),
        ("patient", "patients"),
        ("schedule", "scheduled", "scheduling"),
    ],
)
def test_forms_of_one_word_share_a_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


@pytest.mark.parametrize(
    ("a", "b"),
    [("patient", "nurse"), ("sales", "safety"), ("code", "customer"), ("stock", "store")],
)
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    assert concept(a) != concept(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("customer", "clients"), ("manage", "led"), ("supervise", "leading"), ("stock", "inventory")],
)
def test_simple_synonyms_match(a: str, b: str) -> None:
    assert concept(a) == concept(b)


def test_covered_terms_uses_stems_synonyms_and_numbers() -> None:
    answer = (
        "In my last job I led a team of twelve and dealt with unhappy clients every day. "
        "We cut refunds by twenty five percent in three months."
    )
    terms = [
        "customer complaints",  # only "clients" said, no complaint
        "lead a team",
        "12",
        "25 percent",
        "refund",
        "Kubernetes",
        "customers",
    ]
    covered, missing = covered_terms(terms, answer)
    assert covered == ["lead a team", "12", "25 percent", "refund", "customers"]
    assert missing == ["customer complaints", "Kubernetes"]


def test_long_terms_need_all_but_one_word_and_blank_terms_are_skipped() -> None:
    answer = "I always updated the patient record before the end of my shift."
    covered, missing = covered_terms(
        ["electronic patient record", "  ", "the", "patient record", "Patient record"], answer
    )
    assert covered == ["electronic patient record", "patient record"]
    assert missing == []
    assert coverage_share([], answer) is None
    assert coverage_share(["patient", "python"], answer) == 0.5


@pytest.fixture(scope="module")
def sphinx():  # type: ignore[no-untyped-def]
    from coach.analysis.engines import make_transcriber

    return make_transcriber("pocketsphinx")


def test_coverage_on_recognised_speech(sphinx) -> None:  # type: ignore[no-untyped-def]
    """Real speech through the real recogniser: the LibriSpeech clip talks about leaving one's
    native country; the CMU clip says "go forward ten meters" (digits must match words)."""
    from coach.analysis.pipeline import analyze_file

    story = analyze_file(DATA / "librispeech_2412-153948-0000.flac", sphinx).transcript
    covered, missing = covered_terms(
        ["native country", "circumstances", "narrative", "customer service", "Python"], story
    )
    assert covered == ["native country", "circumstances", "narrative"], story
    assert missing == ["customer service", "Python"]

    command = analyze_file(DATA / "goforward_16k.wav", sphinx).transcript
    covered, missing = covered_terms(["10 meters", "forward", "12 meters"], command)
    assert covered == ["10 meters", "forward"], command
    assert missing == ["12 meters"]
