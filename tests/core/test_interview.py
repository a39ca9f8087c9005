"""The interview flow as a pure state machine: no Qt, no audio, a hand-driven clock."""

from __future__ import annotations

from coach.core.interview import (
    Interview,
    InterviewFinished,
    Phase,
    QuestionChanged,
    SpeakQuestion,
    StartRecording,
    StopRecording,
    StopSpeaking,
)
from coach.core.settings import InterviewSettings

QUESTIONS = ["Tell me about yourself.", "Why this role?"]


def make(**kw: object) -> Interview:
    return Interview(QUESTIONS, InterviewSettings(**kw))  # type: ignore[arg-type]


def test_question_is_spoken_then_think_time_then_recording_starts_by_itself() -> None:
    i = make(think_time_s=30)
    assert i.start(0.0) == [QuestionChanged(0), SpeakQuestion(0, QUESTIONS[0])]
    assert i.phase is Phase.SPEAKING
    assert i.question_spoken(5.0) == []
    assert i.phase is Phase.THINKING
    assert i.tick(34.9) == []
    assert i.think_remaining(34.9) > 0
    assert i.tick(35.0) == [StartRecording(0, think_s=30.0, spoke_over_question=False)]
    assert i.phase is Phase.RECORDING


def test_start_answering_early_records_think_latency() -> None:
    i = make(think_time_s=30)
    i.start(0.0)
    i.question_spoken(4.0)
    assert i.start_answering(10.5) == [StartRecording(0, think_s=6.5, spoke_over_question=False)]


def test_answering_while_the_question_is_read_is_speaking_over_it() -> None:
    i = make()
    i.start(0.0)
    effects = i.start_answering(2.0)
    assert effects == [StopSpeaking(), StartRecording(0, think_s=0.0, spoke_over_question=True)]


def test_zero_think_time_records_as_soon_as_the_question_ends() -> None:
    i = make(think_time_s=0)
    i.start(0.0)
    assert i.question_spoken(3.0) == [StartRecording(0, think_s=0.0, spoke_over_question=False)]


def test_voice_off_goes_straight_to_think_time() -> None:
    i = make(voice_on=False, think_time_s=15)
    assert i.start(0.0) == [QuestionChanged(0)]
    assert i.phase is Phase.THINKING


def test_without_voice_the_next_question_starts_its_think_time() -> None:
    i = make(voice_on=False, think_time_s=15)
    i.start(0.0)
    i.tick(15.0)
    i.done_answering(20.0)
    assert i.next_question(21.0) == [QuestionChanged(1)]
    assert i.phase is Phase.THINKING  # not left "answered" on a question with no take
    assert i.tick(36.0) == [StartRecording(1, think_s=15.0, spoke_over_question=False)]


def test_soft_warning_and_hard_stop() -> None:
    i = make(think_time_s=0, soft_limit_s=120, hard_limit_s=180)
    i.start(0.0)
    i.question_spoken(0.0)
    assert not i.over_soft_limit(119.0)
    assert i.over_soft_limit(120.0)
    assert i.tick(179.0) == []
    assert i.tick(180.0) == [StopRecording(0, "limit")]
    assert i.phase is Phase.ANSWERED


def test_record_again_then_next_then_finish() -> None:
    i = make(think_time_s=0)
    i.start(0.0)
    i.question_spoken(1.0)
    assert i.done_answering(20.0) == [StopRecording(0, "done")]
    assert i.record_again(21.0) == [StartRecording(0, think_s=0.0, spoke_over_question=False)]
    assert i.takes_of_current == 2
    i.done_answering(30.0)
    assert i.next_question(31.0) == [QuestionChanged(1), SpeakQuestion(1, QUESTIONS[1])]
    assert i.index == 1 and i.takes_of_current == 0
    i.question_spoken(33.0)
    assert i.next_question(40.0) == [StopRecording(1, "skip"), InterviewFinished()]
    assert i.phase is Phase.FINISHED


def test_skip_while_speaking_stops_the_voice() -> None:
    i = make()
    i.start(0.0)
    assert i.skip(1.0) == [StopSpeaking(), QuestionChanged(1), SpeakQuestion(1, QUESTIONS[1])]


def test_finish_mid_answer_keeps_the_take() -> None:
    i = make(think_time_s=0)
    i.start(0.0)
    i.question_spoken(0.0)
    assert i.finish(5.0) == [StopRecording(0, "finish"), InterviewFinished()]
    assert i.finish(6.0) == []


def test_actions_in_the_wrong_phase_do_nothing() -> None:
    i = make()
    assert i.done_answering(0.0) == []
    assert i.record_again(0.0) == []
    assert i.next_question(0.0) == []
    i.start(0.0)
    assert i.done_answering(1.0) == []
    assert i.start(2.0) == []


def test_realistic_mode_allows_one_take() -> None:
    i = make(think_time_s=0, mode="realistic")
    i.start(0.0)
    i.question_spoken(0.0)
    i.done_answering(10.0)
    assert i.record_again(11.0) == []


def test_a_follow_up_is_asked_next() -> None:
    i = make(think_time_s=0)
    i.start(0.0)
    i.question_spoken(0.0)
    i.done_answering(5.0)
    assert i.insert_follow_up("What was the measurable result?") == 1
    assert i.next_question(6.0) == [
        QuestionChanged(1),
        SpeakQuestion(1, "What was the measurable result?"),
    ]
    assert i.questions[2] == QUESTIONS[1]
