"""The cases, staff and audit tables on real PostgreSQL (the production profile), started on
loopback by this stage's conftest: run once, in `make production-test`."""

from datetime import datetime, timezone

import pytest

from handoff.audit import AuditLog
from handoff.staff import StaffStore
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
        cases.copy_transcript(
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
