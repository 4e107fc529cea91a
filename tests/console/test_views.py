"""What the console shows: the queue's order, plain words, waiting times."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from console.views import case_summary, ordered_queue, waiting_text
from handoff.store import Case

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
LONDON = ZoneInfo("Europe/London")


def case(case_id, risk, waited_minutes, status="queued", reasons=("grooming",), claimed=None):
    opened = NOW - timedelta(minutes=waited_minutes)
    return Case(
        case_id,
        f"web-{case_id}",
        status,
        risk,
        list(reasons),
        "parent",
        "dorset",
        [],
        opened,
        opened,
        claimed_by=1 if claimed else None,
        claimed_by_name=claimed,
    )


def test_the_queue_shows_the_most_urgent_first_then_the_longest_wait_and_only_open_cases():
    cases = [
        case("a", "high", 5),
        case("b", "critical", 1),
        case("c", "high", 30),
        case("d", "low", 90),
        case("e", "critical", 3),
        case("f", "critical", 60, status="closed"),
    ]
    assert [item["id"] for item in ordered_queue(cases, NOW, LONDON)] == ["e", "b", "c", "a", "d"]


def test_a_case_reads_in_plain_words():
    item = case_summary(
        case(
            "a", "critical", 75, status="connected", reasons=("self_harm_risk", "user_request"), claimed="Sam"
        ),
        NOW,
        LONDON,
    )
    assert item["reasons"] == ["self-harm, suicidal thoughts or not coping", "asked to talk to a person"]
    assert item["audience"] == "parent or carer" and item["waiting"] == "1 h 15 min"
    assert item["who"] == "Sam is in the chat" and item["status_text"].startswith("a person is in the chat")
    assert case_summary(case("b", "high", 0), NOW, LONDON)["who"] == "nobody yet"


def test_waiting_times_read_naturally():
    assert [waiting_text(s) for s in (20, 60 * 7, 3600 * 3 + 60, 3600 * 72)] == [
        "under a minute",
        "7 min",
        "3 h 1 min",
        "3 days",
    ]
