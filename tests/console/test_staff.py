"""Staff accounts: password hashing, roles, the sign-in back-off, sessions, duty, and the handoff status the
bot gives from them. Real SQLite files and real scrypt."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from handoff.availability import handoff_status
from handoff.clock import FixedClock
from handoff.passwords import DEFAULT_LOG2_N, hash_password, verify_password
from handoff.staff import (
    ADDRESS_FAILURES,
    ADDRESS_WINDOW,
    DUTY_LIVENESS,
    FREE_FAILURES,
    LONGEST_WAIT,
    SESSION_IDLE,
    SESSION_LONGEST,
    TRUSTED_BROWSER_FOR,
    StaffError,
    StaffStore,
    wait_after,
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


def fail(staff, times: int, username: str = "sue", ip: str = "10.6.6.6", browser=None) -> list:
    return [staff.sign_in(username, f"guess {n}", ip, browser) for n in range(times)]


def test_wrong_passwords_make_the_account_wait_doubling_up_to_a_cap_then_the_right_one_works(staff):
    staff.create("sue", "Sue", "supervisor", PASSWORD)
    assert [r.refused for r in fail(staff, FREE_FAILURES)] == [False] * FREE_FAILURES  # typos are free
    waits = []
    for _ in range(14):
        refused = staff.sign_in("sue", PASSWORD, "10.0.0.2")  # even the right password waits...
        assert refused.member is None and refused.refused and not refused.busy
        waits.append(refused.wait)
        staff.clock.advance(refused.wait - timedelta(seconds=1))
        assert staff.sign_in("sue", PASSWORD, "10.0.0.2").refused  # ...to the last second
        staff.clock.advance(timedelta(seconds=1))
        checked = staff.sign_in("sue", "another guess", "10.6.6.6")
        assert checked.member is None and not checked.refused
    assert waits[:5] == [timedelta(seconds=s) for s in (1, 2, 4, 8, 16)]
    assert max(waits) == LONGEST_WAIT == waits[-1] == wait_after(30)
    staff.clock.advance(LONGEST_WAIT)
    assert staff.sign_in("sue", PASSWORD, "10.0.0.2").member is not None  # once the wait has passed
    assert [r.refused for r in fail(staff, FREE_FAILURES)] == [False] * FREE_FAILURES  # and it is cleared


def test_the_wait_belongs_to_the_account_not_to_everyone(staff):
    staff.create("sue", "Sue", "supervisor", PASSWORD)
    alex = staff.create("alex", "Alex", "agent", "maple orbit ferry wind")
    fail(staff, FREE_FAILURES + 3)
    assert staff.sign_in("sue", PASSWORD, "10.0.0.1").refused
    assert staff.sign_in("alex", "maple orbit ferry wind", "10.0.0.1").member.id == alex.id


def test_someone_guessing_at_a_supervisor_cannot_keep_her_out_of_her_own_browser(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    first = staff.sign_in("sue", PASSWORD, "10.0.0.1")
    browser = first.browser_token  # her browser is trusted from her first sign-in
    assert browser and len(browser) >= 40
    guesses = 0
    while wait_after(guesses) < LONGEST_WAIT:  # a stranger guesses each time the wait is over
        result = staff.sign_in("sue", f"guess {guesses}", f"10.6.6.{guesses}")
        if result.refused:
            staff.clock.advance(result.wait)
        else:
            guesses += 1
    assert staff.sign_in("sue", PASSWORD, "10.0.0.9").wait == LONGEST_WAIT  # a new browser waits
    own = staff.sign_in("sue", PASSWORD, "10.0.0.1", browser)
    assert own.member.id == sue.id and own.browser_token is None  # her browser: straight in, kept
    # her own typos make only her browser wait, and a stolen-looking cookie is just a stranger
    results = fail(staff, FREE_FAILURES + 1, ip="10.0.0.1", browser=browser)
    assert results[-1].refused and results[-1].wait == wait_after(FREE_FAILURES)
    assert staff.sign_in("sue", PASSWORD, "10.0.0.1", browser + "x").wait == LONGEST_WAIT
    # a password reset or a disabled account ends the trust
    staff.clock.advance(LONGEST_WAIT)
    staff.set_password(sue.id, "a brand new passphrase")
    assert staff.sign_in("sue", "a brand new passphrase", "10.0.0.1", browser).browser_token != browser


def test_parallel_guesses_at_one_account_are_not_all_checked(staff):
    staff.create("sue", "Sue", "supervisor", PASSWORD)
    start = threading.Barrier(25)

    def guess(n: int):
        start.wait()
        return staff.sign_in("sue", f"parallel guess {n}", "10.6.6.6")

    with ThreadPoolExecutor(max_workers=25) as pool:
        results = list(pool.map(guess, range(25)))
    checked = [r for r in results if not r.refused]
    assert all(r.member is None for r in results)
    # one check at a time, and the clock stands still: the free tries, then the wait, for everyone
    assert 1 <= len(checked) <= FREE_FAILURES
    assert sum(r.refused for r in results) >= 25 - FREE_FAILURES
    assert any(r.busy for r in results) or len(checked) == FREE_FAILURES


def test_a_reset_password_clears_the_wait(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    fail(staff, FREE_FAILURES + 5)
    staff.set_password(sue.id, "a brand new passphrase")
    assert staff.sign_in("sue", "a brand new passphrase", "10.0.0.1").member is not None


def test_one_address_guessing_many_usernames_must_wait_but_trusted_browsers_need_not(staff):
    staff.create("sue", "Sue", "supervisor", PASSWORD)
    browser = staff.sign_in("sue", PASSWORD, "10.6.6.6").browser_token
    for n in range(ADDRESS_FAILURES):  # real accounts: an unknown name costs a full-cost hash
        staff.create(f"user{n}", "U", "agent", "maple orbit ferry wind")
        assert not staff.sign_in(f"user{n}", "guess", "10.6.6.6").refused
    refused = staff.sign_in("sue", PASSWORD, "10.6.6.6")
    assert refused.refused and refused.wait == ADDRESS_WINDOW
    assert staff.sign_in("sue", PASSWORD, "10.0.0.1").member is not None  # another address
    assert staff.sign_in("sue", PASSWORD, "10.6.6.6", browser).member is not None  # her own browser
    staff.clock.advance(ADDRESS_WINDOW)
    assert staff.sign_in("sue", PASSWORD, "10.6.6.6").member is not None


def test_old_sign_in_records_are_purged(staff):
    sue = staff.create("sue", "Sue", "supervisor", PASSWORD)
    browser = staff.sign_in("sue", PASSWORD, "10.0.0.1").browser_token
    staff.start_session(sue.id, "10.0.0.1")
    fail(staff, FREE_FAILURES + 2, username="mallory")
    assert staff.delete_stale_sign_in_records() == 0  # all still in use
    staff.clock.advance(TRUSTED_BROWSER_FOR)
    # the session, the address's checked failures (the others were refused unchecked), mallory's
    # back-off and the trusted browser
    assert staff.delete_stale_sign_in_records() == 1 + FREE_FAILURES + 1 + 1
    assert staff.sign_in("sue", PASSWORD, "10.0.0.1", browser).browser_token not in (None, browser)


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
