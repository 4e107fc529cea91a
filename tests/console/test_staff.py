"""Staff accounts: password hashing, roles, lock-out, sessions, duty, and the handoff status the
bot gives from them. Real SQLite files and real scrypt."""

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from handoff.availability import handoff_status
from handoff.clock import FixedClock
from handoff.db import sign_in_failures
from handoff.passwords import DEFAULT_LOG2_N, hash_password, verify_password
from handoff.staff import (
    DUTY_LIVENESS,
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    SESSION_IDLE,
    SESSION_LONGEST,
    StaffError,
    StaffStore,
)
from tests.console.conftest import FAST_PASSWORD_COST

PASSWORD = "harbour lantern pebble"


@pytest.fixture
def staff(db_url):
    return StaffStore(
        db_url,
        password_cost=FAST_PASSWORD_COST,
        clock=FixedClock(datetime(2031, 3, 3, 9, 30, tzinfo=timezone.utc)),
    )


def test_passwords_are_salted_scrypt_at_owasps_cost_and_verify_only_when_right():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second  # a fresh salt each time
    scheme, log2_n, r, p, salt, digest = first.split("$")
    assert (scheme, int(log2_n), int(r), int(p)) == ("scrypt", DEFAULT_LOG2_N, 8, 1)
    assert DEFAULT_LOG2_N >= 17 and PASSWORD not in first
    assert verify_password(PASSWORD, first) and not verify_password(PASSWORD + "x", first)
    assert not verify_password(PASSWORD, "md5$abc") and not verify_password("x" * 300, first)


def test_accounts_have_one_of_two_roles_and_a_strong_unique_name_and_password(staff):
    sue = staff.create("Sue.Super", "Sue", "supervisor", PASSWORD)
    assert (sue.username, sue.role, sue.is_supervisor, sue.active, sue.on_duty) == (
        "sue.super",
        "supervisor",
        True,
        True,
        False,
    )
    assert not staff.create("alex", "Alex", "agent", "maple orbit ferry wind").is_supervisor
    for username, role, password in [
        ("sue.super", "agent", PASSWORD),  # taken (case-insensitive)
        ("x", "agent", PASSWORD),  # too short a name
        ("sam", "admin", PASSWORD),  # no such role
        ("sam", "agent", "short"),  # weak
        ("sam", "agent", "sam-sam-sam-sam"),
    ]:  # contains the name
        with pytest.raises(StaffError):
            staff.create(username, "Sam", role, password)


def test_signing_in_needs_the_right_password_and_an_active_account(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    assert staff.sign_in("SUE ", PASSWORD, "10.0.0.1").member.id == sue.id
    assert staff.sign_in("sue", "wrong password", "10.0.0.1").member is None
    assert staff.sign_in("nobody", PASSWORD, "10.0.0.1").member is None
    staff.set_active(sue.id, False)
    assert staff.sign_in("sue", PASSWORD, "10.0.0.1").member is None


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(staff):
    staff.create("sue", "Sue", "supervisor", PASSWORD)
    for attempt in range(MAX_FAILURES_PER_ACCOUNT):
        result = staff.sign_in("sue", f"guess {attempt}", "10.0.0.1")
        assert result.member is None
    assert result.locked
    locked = staff.sign_in("sue", PASSWORD, "10.0.0.2")  # another address: still locked
    assert locked.member is None and locked.locked
    # fifteen minutes on, the failures have aged out and the right password works again
    with staff.engine.begin() as db:
        db.execute(sa.update(sign_in_failures).values(failed_at=staff.clock.now() - timedelta(minutes=16)))
    assert staff.sign_in("sue", PASSWORD, "10.0.0.1").member is not None


def test_a_reset_password_unlocks_the_account(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    for attempt in range(MAX_FAILURES_PER_ACCOUNT):
        staff.sign_in("sue", f"guess {attempt}", "10.0.0.1")
    staff.set_password(sue.id, "a brand new passphrase")
    assert staff.sign_in("sue", "a brand new passphrase", "10.0.0.1").member is not None


def test_one_address_guessing_many_usernames_is_locked_out(staff):
    staff.create("sue", "Sue", "supervisor", PASSWORD)
    for n in range(MAX_FAILURES_PER_ADDRESS):
        staff.sign_in(f"user{n}", "guess", "10.6.6.6")
    assert staff.sign_in("sue", PASSWORD, "10.6.6.6").locked
    assert staff.sign_in("sue", PASSWORD, "10.0.0.1").member is not None


def test_sessions_end_when_idle_too_long_at_the_end_of_a_shift_on_sign_out_and_on_disabling(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    token = staff.start_session(sue.id, "10.0.0.1")
    session = staff.session(token)
    assert session.member.id == sue.id and len(session.csrf_token) >= 40
    assert staff.session(token + "x") is None and staff.session(None) is None
    assert staff.session(token, at=staff.clock.now() + SESSION_IDLE + timedelta(seconds=1)) is None
    assert staff.session(token) is None  # an expired session is gone for good

    token = staff.start_session(sue.id, "10.0.0.1")
    at = staff.clock.now()
    while at < staff.clock.now() + SESSION_LONGEST:  # active all shift long...
        at += SESSION_IDLE - timedelta(minutes=1)
        alive = staff.session(token, at=at)
    assert alive is None  # ...and still ends after twelve hours

    token = staff.start_session(sue.id, "10.0.0.1")
    staff.end_session(token)
    assert staff.session(token) is None

    alex = staff.create("alex", "Alex", "agent", "maple orbit ferry wind")
    token = staff.start_session(alex.id, "10.0.0.1")
    staff.set_active(alex.id, False)
    assert staff.session(token) is None


def test_the_database_keeps_a_hash_of_the_session_cookie_not_the_cookie(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    token = staff.start_session(sue.id, "10.0.0.1")
    with staff.engine.connect() as db:
        stored = db.execute(sa.text("SELECT token_hash FROM staff_sessions")).scalar_one()
    assert stored != token and token not in stored


def test_csrf_tokens_match_only_their_own_session(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    one, two = (staff.session(staff.start_session(sue.id, None)) for _ in range(2))
    assert staff.csrf_matches(one, one.csrf_token)
    assert not staff.csrf_matches(one, two.csrf_token)
    assert not staff.csrf_matches(one, "") and not staff.csrf_matches(one, None)


def test_on_duty_counts_only_staff_whose_console_is_open(staff):
    assert staff.on_duty_count() is None  # no console data: force hours decide
    alex = staff.create("alex", "Alex", "agent", "maple orbit ferry wind")
    assert staff.on_duty_count() == 0
    staff.set_duty(alex.id, True)
    assert staff.on_duty_count() == 1
    assert staff.on_duty_count(at=staff.clock.now() + DUTY_LIVENESS + timedelta(seconds=5)) == 0
    staff.set_duty(alex.id, False)
    assert staff.on_duty_count() == 0
    staff.set_duty(alex.id, True)
    staff.set_active(alex.id, False)  # disabling takes them off duty
    assert staff.on_duty_count() == 0


@pytest.mark.parametrize(
    "staffed_hours, on_duty, status",
    [
        (True, None, "queued"),
        (False, None, "unavailable"),  # no console: the force's hours
        (False, 2, "queued"),
        (True, 0, "unavailable"),  # console: who is on duty
    ],
)
def test_the_bots_handoff_status_follows_the_duty_register_and_falls_back_to_hours(
    staffed_hours, on_duty, status
):
    assert handoff_status(staffed_hours, on_duty) == status
