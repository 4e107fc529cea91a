"""The load test's machinery (tests/load/, make load-test) for a short time with few users, on the
stage's production profile: Locust from .venv-load, 10 people for 30 s through HAProxy. Every
kind of conversation in tests/load/conversations.yml is played (first conversations are dealt
in turn), so the three scripted disclosures are reached."""

from tests.load import scripts
from tests.load.run import report, run_load

USERS, SECONDS = 10, 30


def test_a_short_load_loses_no_turn_and_records_each_escalation_once(production_profile, tmp_path):
    run = run_load(production_profile, USERS, SECONDS, spawn_rate=USERS, work=tmp_path)
    print(report(run))
    figures = run.figures
    assert figures.turns_sent >= USERS * 3, "each person had several turns"
    assert not figures.turns_failed and figures.turns_lost == 0
    assert figures.storage["conversations_differing"] == []
    escalating = [s for s in scripts.load().scripts[:USERS] if s.escalates]
    assert escalating and figures.escalations["expected"] >= len(escalating)
    assert figures.escalations["recorded_once"] == figures.escalations["expected"]
    assert figures.escalations["cases_in_database"] == figures.escalations["expected"]
    assert run.failures == []
    assert [part.name for part in run.parts if part.gone] == [], "no part stopped during the load"
    assert all(part.peak_kb > 0 for part in run.parts) and run.load_generator_peak_kb > 0
