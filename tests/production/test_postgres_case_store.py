"""The cases, staff and audit tables on real PostgreSQL (the production profile), started on
loopback by this stage's conftest: run once, in `make production-test`."""

from datetime import date, datetime, timedelta, timezone

import pytest

from handoff.audit import AuditLog
from handoff.clock import FixedClock
from handoff.staff import StaffStore
from handoff.statistics import Statistics
from handoff.store import CaseStateError, CaseStore
from tests.console.conftest import AGENT, FAST_PASSWORD_COST


def test_a_case_claimed_handed_back_and_closed_on_postgresql(postgres_url):
    url = postgres_url["handoff_url"]
    staff = StaffStore(url, password_cost=FAST_PASSWORD_COST)
    alex = staff.create(*[AGENT[0], AGENT[1], AGENT[2], AGENT[3]])
    assert staff.sign_in(AGENT[0], AGENT[3], "10.0.0.1").member.id == alex.id
    session = staff.session(staff.start_session(alex.id, "10.0.0.1"))
    assert session.member.username == AGENT[0]
    staff.set_duty(alex.id, True)
    assert staff.on_duty_count() == 1

    cases = CaseStore(url)
    said = datetime(2026, 3, 2, 12, 0, 0, 123456, tzinfo=timezone.utc)
    case = cases.escalate(
        "web-pg",
        ["grooming"],
        "high",
        "queued",
        None,
        "dorset",
        ["hi"],
        [{"sender": "user", "text": "hi", "sent_at": said}],
    )
    assert (
        cases.transcripts.add(
            case.id,
            [
                {"sender": "user", "text": "hi", "sent_at": said},
                {
                    "sender": "agent",
                    "text": "Hello",
                    "author": "Alex",
                    "sent_at": datetime(2026, 3, 2, 12, 1, tzinfo=timezone.utc),
                },
            ],
        )
        == 1
    )
    assert cases.claim(case.id, alex.id).status == "connected"
    with pytest.raises(CaseStateError):
        cases.claim(case.id, alex.id + 1)
    assert cases.hand_back(case.id, "queued").claimed_by_name == "Alex"
    closed = cases.close(case.id, alex.id, "Alex", "referred_police", "Called 101.")
    assert closed.status == "closed" and [m["sender"] for m in closed.messages] == ["user", "agent"]

    AuditLog(url).record("close", AGENT[0], alex.id, case.id, "outcome: Referred to police")
    assert AuditLog(url).entries(case_id=case.id)[0].action == "close"


def test_the_statistics_counts_on_postgresql(postgres_url):
    url = postgres_url["handoff_url"]
    # 1 July in the UK; a day long past, so the other tests' counts (on the real day) are not in it
    clock = FixedClock(datetime(1999, 6, 30, 23, 30, tzinfo=timezone.utc))
    cases = CaseStore(url, clock)
    case = cases.escalate("web-pg-stats", ["grooming"], "high", "unavailable", None, "dorset", [], [])
    cases.escalate("web-pg-stats", ["grooming", "under_13"], "high", "unavailable", None, "dorset", [], [])
    clock.advance(timedelta(minutes=3))
    cases.transcripts.add(
        case.id, [{"sender": "agent", "text": "Hello", "author": "Alex", "sent_at": clock.now()}]
    )
    cases.close(case.id, 1, "Alex", "advice_given", "Advice given.")
    statistics = Statistics(url, clock)
    for _ in range(2):  # the same row again: added to, not duplicated
        statistics.add("outcomes", "advice_given")
    assert statistics.flush(10)
    totals = statistics.totals(date(1999, 7, 1), date(1999, 7, 1))
    assert totals["cases"] == {"unavailable": 1}
    assert totals["reasons"] == {"grooming": 1, "under_13": 1}
    assert totals["first_reply"] == {"1_to_5_min": 1}
    assert totals["outcomes"] == {"advice_given": 3}
    assert statistics.totals(date(1999, 6, 30), date(1999, 6, 30))["outcomes"] == {}
