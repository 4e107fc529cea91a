"""The audit log: rows are added with who, what, which case and when, and read back newest first."""

import pytest

from handoff.audit import ACTIONS, AuditLog


def test_entries_are_kept_newest_first_and_filter_by_case_and_person(db_url):
    log = AuditLog(db_url)
    log.record("sign_in", "sue", 1, ip="10.0.0.1")
    log.record("view_case", "sue", 1, case_id="abc123")
    log.record("claim", "alex", 2, case_id="abc123")
    log.record("close", "alex", 2, case_id="abc123", detail="outcome: Advice given")
    everything = log.entries()
    assert [e.action for e in everything] == ["close", "claim", "view_case", "sign_in"]
    assert everything[-1].ip == "10.0.0.1" and everything[0].at >= everything[-1].at
    assert [e.actor for e in log.entries(case_id="abc123")] == ["alex", "alex", "sue"]
    assert [e.action for e in log.entries(actor="sue")] == ["view_case", "sign_in"]
    assert everything[0].description == ACTIONS["close"] and everything[0].detail == "outcome: Advice given"


def test_an_unknown_action_is_refused_rather_than_recorded_vaguely(db_url):
    with pytest.raises(ValueError):
        AuditLog(db_url).record("did_something", "sue")
    assert AuditLog(db_url).entries() == []
