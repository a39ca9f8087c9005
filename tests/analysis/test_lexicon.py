"""Fillers, hedges and word statistics: pure logic on hand-made words, plus real transcripts."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from coach.analysis.lexicon import (
    Filler,
    filler_clusters,
    find_fillers,
    lexicon_reliable,
    word_stats,
)
from coach.analysis.sphinx_engine import SphinxTranscriber
from coach.analysis.transcribe import Transcript, Word
from coach.analysis.whisper_engine import WhisperTranscriber


def words_of(text: str, step: float = 0.3, gap_after: dict[int, float] | None = None) -> list[Word]:
    """Whisper-style words (punctuation attached), one every `step` seconds."""
    out: list[Word] = []
    t = 0.0
    for i, token in enumerate(text.split()):
        out.append(Word(token, round(t, 3), round(t + step * 0.8, 3), 0.9))
        t += step + (gap_after or {}).get(i, 0.0)
    return out


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.kind) for f in find_fillers(words_of(text))]


# --- fillers, discourse markers, hedges --------------------------------------------------


def test_um_family_with_whisper_spellings() -> None:
    assert kinds("Um, I shipped it. Uhh the erm, hmm, ah right") == [
        ("um", "filler"),
        ("uhh", "filler"),
        ("erm", "filler"),
        ("hmm", "filler"),
        ("ah", "filler"),
    ]


def test_filler_times_are_the_word_times() -> None:
    words = words_of("So the build, um, broke")
    fillers = find_fillers(words)
    assert fillers == [Filler("so", 0.0, "discourse"), Filler("um", words[3].start_s, "filler")]


@pytest.mark.parametrize(
    "text",
    [
        "I like Python",
        "I would like to lead",
        "I'd like to add",
        "it looks like a bug",
        "things like testing",
        "we like it",
        "I didn't like that",
        "it feels like progress",
    ],
)
def test_like_as_verb_or_preposition_is_not_a_filler(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Like, we had no tests",
        "and like we shipped",
        "it was, like, twenty people",
        "we had like 20 people",
    ],
)
def test_like_as_filler(text: str) -> None:
    assert ("like", "discourse") in kinds(text)


def test_you_know_and_i_mean() -> None:
    assert kinds("it was, you know, hard. I mean the team grew") == [
        ("you know", "discourse"),
        ("i mean", "discourse"),
    ]
    assert kinds("do you know what I mean") == []
    assert kinds("you know that it works") == []


def test_sort_of_and_kind_of_only_as_hedging_adverbs() -> None:
    assert kinds("it was kind of slow and sort of late") == [
        ("kind of", "discourse"),
        ("sort of", "discourse"),
    ]
    assert kinds("what kind of team, a sort of tool") == []


def test_so_only_at_clause_start() -> None:
    assert kinds("So we rewrote it.") == [("so", "discourse")]
    assert kinds("It failed. So I fixed it") == [("so", "discourse")]
    assert kinds("it was so slow that I think so") == [("i think", "hedge")]
    assert kinds("we wrote tests so that it works") == []


def test_so_after_a_pause_counts_without_punctuation() -> None:
    """pocketsphinx gives no punctuation: a half-second pause marks the clause boundary."""
    words = words_of("it failed so we fixed it", gap_after={1: 0.8})
    assert [(f.text, f.kind) for f in find_fillers(words)] == [("so", "discourse")]
    assert find_fillers(words_of("it failed so we fixed it")) == []


def test_basically_actually_and_hedges() -> None:
    assert kinds("Basically I guess it maybe worked, probably. Actually perhaps I think so") == [
        ("basically", "discourse"),
        ("i guess", "hedge"),
        ("maybe", "hedge"),
        ("probably", "hedge"),
        ("actually", "discourse"),
        ("perhaps", "hedge"),
        ("i think", "hedge"),
    ]
    assert kinds("I think about design a lot") == []


# --- clusters ------------------------------------------------------------------------------


def f(t: float, kind: str = "filler") -> Filler:
    return Filler("um", t, kind)


def test_three_fillers_within_ten_seconds_form_a_cluster() -> None:
    assert filler_clusters([f(1.0), f(5.0), f(10.9)]) == [(1.0, 10.9, 3)]
    assert filler_clusters([f(1.0), f(5.0), f(11.5)]) == []


def test_overlapping_windows_merge_and_separate_clusters_stay_apart() -> None:
    fillers = [f(0), f(2), f(4), f(9), f(13), f(40), f(41), f(42)]
    assert filler_clusters(fillers) == [(0, 13, 5), (40, 42, 3)]


def test_clusters_count_um_uh_only_by_default() -> None:
    fillers = [f(1.0), f(2.0, "hedge"), f(3.0, "discourse"), f(4.0)]
    assert filler_clusters(fillers) == []
    assert filler_clusters(fillers, kinds=("filler", "hedge", "discourse")) == [(1.0, 4.0, 4)]


def test_cluster_parameters() -> None:
    fillers = [f(0.0), f(3.0)]
    assert filler_clusters(fillers, window_s=5.0, min_count=2) == [(0.0, 3.0, 2)]
    assert filler_clusters(fillers, window_s=2.0, min_count=2) == []


# --- word statistics -----------------------------------------------------------------------


def test_counts_and_pronouns() -> None:
    stats = word_stats(words_of("Um, we shipped our app. I led it and my team helped me; us too"))
    assert stats.count == 15
    assert stats.we_count == 3  # we, our, us
    assert stats.i_count == 3  # I, my, me


def test_unique_ratio_plain_below_window_and_mattr_above() -> None:
    assert word_stats(words_of("the cat saw the dog")).unique_ratio == pytest.approx(4 / 5)
    assert word_stats([]).unique_ratio is None
    # 100 words cycling through 10 types: every 50-word window holds 10 types.
    cycled = " ".join(f"w{i % 10}" for i in range(100))
    assert word_stats(words_of(cycled)).unique_ratio == pytest.approx(10 / 50)
    # Fillers do not count as vocabulary.
    assert word_stats(words_of("um uh the team")).unique_ratio == pytest.approx(1.0)


def test_mattr_does_not_penalise_length() -> None:
    """The same repetitive style gives the same MATTR at 100 and at 400 words."""
    base = ["we", "fixed", "the", "build", "and", "then", "we", "fixed", "the", "tests", "and"]
    short = " ".join((base * 40)[:100])
    long = " ".join((base * 40)[:400])
    short_ratio = word_stats(words_of(short)).unique_ratio
    long_ratio = word_stats(words_of(long)).unique_ratio
    assert short_ratio is not None and long_ratio is not None
    assert long_ratio == pytest.approx(short_ratio, abs=0.01)


def test_numbers_money_and_percentages_with_times() -> None:
    words = words_of(
        "We cut costs by 25% saving $5,000 and twenty five percent of one hundred users"
    )
    found = [(w.text, w.start_s) for w in word_stats(words).numbers]
    assert found == [
        ("25%", words[4].start_s),
        ("$5,000", words[6].start_s),
        ("twenty five percent", words[8].start_s),
        ("one hundred", words[12].start_s),
    ]
    phrase = word_stats(words).numbers[2]
    assert phrase.end_s == words[10].end_s


def test_lone_one_is_not_a_number() -> None:
    assert word_stats(words_of("one of the things that one learns")).numbers == ()


def test_and_joins_number_words_only_after_a_scale_word() -> None:
    found = word_stats(words_of("one hundred and five users and 3 teams")).numbers
    assert [w.text for w in found] == ["one hundred and five", "3"]


def test_absolutes_and_blame() -> None:
    text = "They failed again. It was not my fault, nobody ever listens and you people always"
    stats = word_stats(words_of(text))
    assert [w.text for w in stats.absolutes] == ["nobody", "always"]
    assert [w.text for w in stats.blame] == ["They failed", "not my fault,", "you people"]
    assert word_stats(words_of("I failed the first time and learned")).blame == ()


def test_low_accuracy_transcripts_are_flagged() -> None:
    rough = Transcript((), "", "pocketsphinx", low_accuracy=True, note="")
    good = Transcript((), "", "whisper", low_accuracy=False, note="")
    assert not lexicon_reliable(rough)
    assert lexicon_reliable(good)


# --- on real transcripts -------------------------------------------------------------------


def test_word_stats_on_real_whisper_transcript(
    clip16k: Callable[[str], np.ndarray], whisper_transcriber: WhisperTranscriber
) -> None:
    """LibriSpeech 2412-153948-0000: "...excuse me I will say nothing of my antecedents..."."""
    transcript = whisper_transcriber.transcribe(clip16k("librispeech_2412-153948-0000.flac"))
    stats = word_stats(transcript.words)
    assert stats.i_count == 6  # me, I, my, me, my, myself
    assert stats.we_count == 0
    assert [w.text.strip(",.").lower() for w in stats.absolutes] == ["nothing"]
    assert find_fillers(transcript.words) == []  # read speech, labelled 0 fillers


def test_numbers_on_real_transcripts_from_both_engines(
    clip16k: Callable[[str], np.ndarray], whisper_transcriber: WhisperTranscriber
) -> None:
    """ "go forward ten meters": Whisper writes "10", pocketsphinx "ten"; both are a number."""
    samples = clip16k("goforward_16k.wav")
    for transcript in (
        whisper_transcriber.transcribe(samples),
        SphinxTranscriber().transcribe(samples),
    ):
        numbers = word_stats(transcript.words).numbers
        assert len(numbers) == 1, transcript
        assert numbers[0].text.strip(".").lower() in {"10", "ten"}
        assert 0.5 < numbers[0].start_s < 2.5
