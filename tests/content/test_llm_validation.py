"""Field-by-field checks of a model's reply (unit tests of the logic, with hand-made replies;
the real models are driven in test_llm_engine.py)."""

from __future__ import annotations

from typing import Any

from coach.content.llm_prompt import FEEDBACK_FIELDS, feedback_schema, merge_reply, valid_question
from coach.content.rules import rules_feedback

TEXT = (
    "When I joined, releases took two days. I automated the build. "
    "As a result, we cut the release time by eighty percent."
)


def good_reply() -> dict[str, Any]:
    return {
        "answered_question": "yes",
        "situation": [1], "task": [], "action": [2], "result": [3], "blame": [], "absolutes": [],
        "strongest_sentence": 3, "strength": "You gave a clear, measured outcome.",
        "weakest_sentence": 1, "improvement": "Say what the two days cost the team.",
        "outline": ["Releases took two days", "You automated the build", "Release time down 80%"],
        "follow_up": "How did you get the team to adopt the new build?",
    }  # fmt: skip


def merged(reply: dict[str, Any] | None) -> Any:
    rules = rules_feedback("Tell me about an improvement.", TEXT)
    return merge_reply(reply, rules, TEXT, "model.gguf")


def test_a_valid_reply_is_used_whole_and_named() -> None:
    fb = merged(good_reply())
    assert fb.fallbacks == () and fb.engine == "llm" and fb.model == "model.gguf"
    assert fb.answered_question == "yes" and fb.parts["result"] == (3,)
    assert fb.result_has_number is True  # computed by the app from the result sentence
    assert fb.to_dict()["strengths"] == [
        {"text": "You gave a clear, measured outcome.", "quote": fb.sentences[2].text}
    ]


def test_each_bad_field_falls_back_to_the_rules_alone() -> None:
    reply = good_reply()
    reply["result"] = [9]  # out of range
    reply["follow_up"] = "Why? And how?"  # two questions
    reply["outline"] = ["Releases took 3 weeks", "x y", "a b"]  # a figure not in the answer
    reply["answered_question"] = "maybe"
    fb = merged(reply)
    assert set(fb.fallbacks) == {"result", "follow_up", "outline", "answered_question"}
    rules = rules_feedback("q", TEXT)
    assert fb.parts["result"] == rules.parts["result"] and fb.follow_up == rules.follow_up
    assert fb.outline == rules.outline and fb.answered_question is None
    assert fb.parts["action"] == (2,)  # the valid fields stay the model's


def test_no_reply_at_all_is_the_rules_with_every_field_named() -> None:
    fb = merged(None)
    assert set(fb.fallbacks) == set(FEEDBACK_FIELDS)
    assert fb.parts == rules_feedback("q", TEXT).parts


def test_a_follow_up_is_one_short_question() -> None:
    assert valid_question("What did you measure afterwards?", TEXT)
    assert valid_question("What did you measure afterwards", TEXT) is None
    assert valid_question("Why?", TEXT) is None
    assert valid_question("What happened next?\nAnd then?", TEXT) is None
    assert valid_question("Did it save 40 hours?", TEXT) is None  # 40 is not in the answer


def test_the_schema_limits_sentence_numbers_to_the_answer() -> None:
    schema = feedback_schema(3)
    props = schema["properties"]
    assert props["result"]["items"]["enum"] == [1, 2, 3]
    assert props["answered_question"]["enum"] == ["yes", "partly", "no"]
    assert set(schema["required"]) == set(props)
    assert props["follow_up"]["maxLength"] <= 160
