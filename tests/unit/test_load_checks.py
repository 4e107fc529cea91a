"""The load test's checks (tests/load/results.py, tests/load/scripts.py) on made-up turns: what
counts as a failed or lost turn, and an escalation recorded exactly once or not."""

import random

from tests.load import results, scripts


def turn(conversation, step, ms=100.0, problem=None, escalates=(), handoff=None, script="s"):
    record = {
        "conversation": conversation,
        "script": script,
        "step": step,
        "escalates": list(escalates),
        "sent": 1000.0 + step,
        "ms": ms,
        "problem": problem,
    }
    if handoff:
        record["handoff"] = {"case_id": handoff, "reasons": ["coercion_or_blackmail"]}
    return record


def escalating(conversation, case_id="c1"):
    return [
        turn(conversation, 0),
        turn(conversation, 1, escalates=["coercion_or_blackmail"], handoff=case_id),
        turn(conversation, 2, handoff=case_id),  # a later signal names the same case
    ]


def test_a_clean_run_passes_with_its_figures():
    records = escalating("a") + [turn("b", 0, ms=50), turn("b", 1, ms=300)]
    figures = results.figures(records, {"a": 3, "b": 2}, {"a": ["c1"]})
    assert figures.failures == []
    assert figures.turns_sent == figures.turns_answered == 5
    assert figures.escalations["expected"] == figures.escalations["recorded_once"] == 1
    assert figures.latency_ms["p50"] == 100.0 and figures.latency_ms["max"] == 300.0


def test_each_kind_of_failed_turn_is_counted():
    records = [
        turn("a", 0, problem="HTTP 502"),
        turn("a", 1, problem="safety reply"),
        turn("a", 2, problem="limited"),
        turn("b", 0, ms=None, problem="lost: no reply before the load stopped"),
        turn("c", 0, ms=0, problem="no button 'Yes'"),
    ]
    figures = results.figures(records, {"a": 3, "b": 1}, {})
    assert figures.turns_failed == {"HTTP 502": 1, "safety reply": 1, "limited": 1, "no button 'Yes'": 1}
    assert figures.turns_lost == 1 and figures.turns_answered == 0
    assert figures.turns_sent == 4  # the unpressed button was never sent
    assert len(figures.failures) == 5
    assert figures.storage["conversations_differing"] == []  # only clean conversations are compared


def test_a_turn_missing_or_stored_twice_in_the_tracker_store_fails():
    records = [turn("a", 0), turn("a", 1), turn("b", 0)]
    figures = results.figures(records, {"a": 1, "b": 2}, {})
    assert figures.storage["conversations_differing"] == ["a", "b"]
    assert figures.failures


def test_an_escalation_must_be_recorded_exactly_once_under_its_signalled_id():
    def check(cases, records=None):
        return results.figures(records or escalating("a"), {"a": 3}, cases).escalations

    assert check({})["no_case"] == ["a"]
    assert check({"a": ["c1", "c2"]})["cases_twice"] == ["a"]
    assert check({"a": ["c9"]})["case_id_differs"] == ["a"]
    unsignalled = [turn("a", 0), turn("a", 1, escalates=["coercion_or_blackmail"]), turn("a", 2)]
    assert check({"a": ["c1"]}, unsignalled)["not_signalled"] == ["a"]
    early = [turn("a", 0, handoff="c1"), *escalating("a")[1:]]
    assert check({"a": ["c1"]}, early)["signalled_early"] == ["a"]


def test_no_other_conversation_may_escalate():
    records = [turn("b", 0), turn("b", 1, handoff="c5")]
    figures = results.figures(records, {"b": 2}, {"b": ["c5"]})
    assert figures.escalations["unexpected_signals"] == ["b"]
    assert figures.escalations["unexpected_cases"] == ["b"]


def test_a_disclosure_the_load_never_reached_expects_nothing():
    records = [turn("a", 0), turn("a", 1, ms=None, escalates=["x"], problem="lost: stopped")]
    escalations = results.figures(records, {"a": 1}, {}).escalations
    assert escalations["expected"] == 0 and escalations["no_case"] == []


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    random.Random(1).shuffle(values)
    assert [results.percentile(values, p) for p in (50, 95, 99)] == [50, 95, 99]
    assert results.percentile([], 50) is None


def test_what_is_not_an_answer():
    answer = [{"recipient_id": "a", "text": "Hi."}]
    assert scripts.problem(200, None, answer) is None
    assert scripts.problem(502, None, None) == "HTTP 502"
    assert scripts.problem(200, "6", answer) == "limited"
    assert scripts.problem(200, None, []) == "empty reply"
    assert scripts.problem(200, None, [{"recipient_id": "a"}]) == "empty reply"
    safety = [{"text": "Sorry, something has gone wrong on our side. It's not your fault."}]
    assert scripts.problem(200, None, safety) == "safety reply"


def test_the_conversation_scripts_are_well_formed():
    loaded = scripts.load()
    assert all(12 <= len(s.steps) <= 25 for s in loaded.scripts), "about 20 turns each"
    assert {s.audience for s in loaded.scripts} == {"young person", "parent", "school staff"}
    assert sum(s.escalates for s in loaded.scripts) >= 3
    first = [loaded.for_conversation(user, 0, random.Random(user)) for user in range(len(loaded.scripts))]
    assert first == list(loaded.scripts), "first conversations are dealt in turn"
    low, high = loaded.think_seconds
    assert 1 <= low < high <= 15, "a message every few seconds"
