"""Staff accounts for the console: roles, sign-in with a per-account back-off, sessions, and who
is on duty.

Two roles: an agent works cases; a supervisor also adds and disables staff, reads closed cases
and the audit log, and can take a case from a colleague.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import (
    aware,
    database_url,
    engine_for,
    sign_in_failures,
    sign_in_throttle,
    staff,
    staff_sessions,
    trusted_browsers,
)
from handoff.passwords import DEFAULT_LOG2_N, burn_time, check_strength, hash_password, verify_password

ROLES = ("agent", "supervisor")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")

# Signing in: no lock-out that a stranger could use to keep a named person out.
# - Each account's wrong passwords in a row make the next check of that account wait: the first
#   FREE_FAILURES cost nothing (typos), then 1 s, 2 s, 4 s... doubling up to LONGEST_WAIT. Once the
#   wait has passed the right password is accepted, and clears it.
# - One check at a time per account: a guess that arrives while another is being checked is
#   refused unchecked, so parallel guesses gain nothing.
# - A browser its owner has signed in from before (a trusted-browser cookie) keeps its own count:
#   guesses at the account from anywhere else never make its owner wait.
# - ADDRESS_FAILURES wrong passwords from one address within ADDRESS_WINDOW (guessing across many
#   names) refuse that address's other browsers until they age out.
FREE_FAILURES = 3
FIRST_WAIT = timedelta(seconds=1)
LONGEST_WAIT = timedelta(minutes=15)
CHECK_TURN = timedelta(seconds=30)  # the longest one check holds its account's turn (if it crashed)
ADDRESS_WINDOW = timedelta(minutes=15)
ADDRESS_FAILURES = 20
TRUSTED_BROWSER_FOR = timedelta(days=90)
STALE_SIGN_IN_RECORDS = timedelta(days=1)  # a back-off nobody has hit for a day is forgotten

SESSION_IDLE = timedelta(minutes=30)  # the console keeps an open page alive
SESSION_LONGEST = timedelta(hours=12)  # one shift
TOUCH_EVERY = timedelta(seconds=30)  # don't write on every request

# Someone counts as on duty only while their console is open: a page that has not been seen for
# this long (closed laptop, lost connection) stops promising young people that a person is there.
DUTY_LIVENESS = timedelta(minutes=2)


class StaffError(ValueError):
    """A request about accounts that cannot be done as asked (the message says why)."""


@dataclass(frozen=True)
class StaffMember:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    on_duty: bool
    last_seen_at: datetime | None
    created_at: datetime

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


def wait_after(failures: int) -> timedelta:
    """How long an account waits before its next check after this many wrong passwords in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 20), LONGEST_WAIT)


@dataclass(frozen=True)
class SignIn:
    member: StaffMember | None
    wait: timedelta | None = None  # refused without checking the password: try again after this
    busy: bool = False  # refused because another attempt at the account is being checked now
    browser_token: str | None = None  # a new trusted-browser cookie for this browser

    @property
    def refused(self) -> bool:
        return self.wait is not None


@dataclass(frozen=True)
class Session:
    member: StaffMember
    csrf_token: str
    token_hash: str


def _member(row) -> StaffMember:
    return StaffMember(
        row.id,
        row.username,
        row.display_name,
        row.role,
        row.active,
        row.on_duty,
        aware(row.last_seen_at),
        aware(row.created_at),
    )


def _token_hash(token: str) -> str:
    # the cookie is 256 random bits: a fast hash is enough, and a stolen table holds no sessions
    return hashlib.sha256(token.encode()).hexdigest()


class StaffStore:
    def __init__(
        self, url: str | None = None, password_cost: int = DEFAULT_LOG2_N, clock: Clock = SYSTEM_CLOCK
    ):
        self.engine = engine_for(database_url(url))
        self.clock = clock
        self.password_cost = password_cost  # log2 of scrypt's N; lower only in tests

    # --- accounts ----------------------------------------------------------------------
    def create(
        self, username: str, display_name: str, role: str, password: str, created_by: int | None = None
    ) -> StaffMember:
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise StaffError("Usernames are 3-64 characters: lower-case letters, digits, . _ -")
        if role not in ROLES:
            raise StaffError(f"The role must be one of: {', '.join(ROLES)}")
        display_name = " ".join(display_name.split())[:80] or username
        try:
            check_strength(password, username)
        except ValueError as weak:
            raise StaffError(str(weak)) from None
        stamp = self.clock.now()
        with self.engine.begin() as db:
            if db.execute(sa.select(staff.c.id).where(staff.c.username == username)).first():
                raise StaffError("That username is taken.")
            new_id = db.execute(
                sa.insert(staff).values(
                    username=username,
                    display_name=display_name,
                    role=role,
                    password_hash=hash_password(password, self.password_cost),
                    active=True,
                    created_at=stamp,
                    created_by=created_by,
                    password_changed_at=stamp,
                    on_duty=False,
                )
            ).inserted_primary_key[0]
        return self.get(new_id)

    def has_accounts(self) -> bool:
        with self.engine.connect() as db:
            return db.execute(sa.select(staff.c.id).limit(1)).first() is not None

    def get(self, staff_id: int) -> StaffMember | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(staff).where(staff.c.id == staff_id)).first()
        return _member(row) if row else None

    def all(self) -> list[StaffMember]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(staff).order_by(staff.c.role.desc(), staff.c.username)).all()
        return [_member(r) for r in rows]

    def set_active(self, staff_id: int, active: bool) -> StaffMember:
        with self.engine.begin() as db:
            values = {"active": active}
            if not active:
                values.update(on_duty=False, duty_changed_at=self.clock.now())
                db.execute(sa.delete(staff_sessions).where(staff_sessions.c.staff_id == staff_id))
                db.execute(sa.delete(trusted_browsers).where(trusted_browsers.c.staff_id == staff_id))
            db.execute(sa.update(staff).where(staff.c.id == staff_id).values(**values))
        return self.get(staff_id)

    def set_password(self, staff_id: int, password: str) -> None:
        member = self.get(staff_id)
        try:
            check_strength(password, member.username)
        except ValueError as weak:
            raise StaffError(str(weak)) from None
        with self.engine.begin() as db:
            db.execute(
                sa.update(staff)
                .where(staff.c.id == staff_id)
                .values(
                    password_hash=hash_password(password, self.password_cost),
                    password_changed_at=self.clock.now(),
                )
            )
            db.execute(sa.delete(staff_sessions).where(staff_sessions.c.staff_id == staff_id))
            db.execute(sa.delete(trusted_browsers).where(trusted_browsers.c.staff_id == staff_id))
            # a supervisor's reset vouches for the person: no wait left from anyone's guesses
            db.execute(
                sa.delete(sign_in_throttle).where(sign_in_throttle.c.key == f"account:{member.username}")
            )

    # --- signing in --------------------------------------------------------------------
    def sign_in(
        self, username: str, password: str, ip: str | None, browser_token: str | None = None
    ) -> SignIn:
        """Checks a password when the account's (or this trusted browser's) turn has come."""
        username = (username or "").strip().lower()[:64]
        now = self.clock.now()
        with self.engine.connect() as db:
            row = db.execute(sa.select(staff).where(staff.c.username == username)).first()
        own_browser = row is not None and self._trusted_browser_of(browser_token, now) == row.id
        if own_browser:
            key = f"browser:{_token_hash(browser_token)}"
        else:
            key = f"account:{username}"
            wait = self._address_wait(ip, now)
            if wait is not None:
                return SignIn(None, wait=wait)
        refused = self._take_turn(key, now)
        if refused is not None:
            return refused
        if row is None:
            burn_time()
            ok = False
        else:
            ok = verify_password(password or "", row.password_hash) and row.active
        now = self.clock.now()
        if not ok:
            self._count_failure(key, username, None if own_browser else ip, now)
            return SignIn(None)
        with self.engine.begin() as db:
            db.execute(sa.delete(sign_in_throttle).where(sign_in_throttle.c.key == key))
        return SignIn(_member(row), browser_token=None if own_browser else self._trust_browser(row.id, now))

    def _take_turn(self, key: str, now: datetime) -> SignIn | None:
        """None when this attempt may be checked now (and holds the turn), else the refusal.

        One conditional UPDATE (or the INSERT of a first row) takes the turn: atomic on SQLite and
        PostgreSQL alike, so of many attempts at once exactly one is checked."""
        holds = {"checking_until": now + CHECK_TURN}
        free = sa.and_(
            sign_in_throttle.c.key == key,
            sign_in_throttle.c.next_check_at <= now,
            sa.or_(sign_in_throttle.c.checking_until.is_(None), sign_in_throttle.c.checking_until <= now),
        )
        with self.engine.begin() as db:
            if db.execute(sa.update(sign_in_throttle).where(free).values(**holds)).rowcount == 1:
                return None
        try:
            with self.engine.begin() as db:
                db.execute(
                    sa.insert(sign_in_throttle).values(key=key, failures=0, next_check_at=now, **holds)
                )
            return None
        except IntegrityError:
            pass  # the account has a row: its turn is taken, or its wait has not passed
        with self.engine.connect() as db:
            row = db.execute(sa.select(sign_in_throttle).where(sign_in_throttle.c.key == key)).first()
        next_check = aware(row.next_check_at) if row else now
        if next_check <= now:  # only the check in progress stands in the way
            return SignIn(None, wait=timedelta(seconds=1), busy=True)
        return SignIn(None, wait=next_check - now)

    def _count_failure(self, key: str, username: str, ip: str | None, now: datetime) -> None:
        with self.engine.begin() as db:
            failures = 1 + (
                db.execute(
                    sa.select(sign_in_throttle.c.failures).where(sign_in_throttle.c.key == key)
                ).scalar()
                or 0
            )
            db.execute(
                sa.update(sign_in_throttle)
                .where(sign_in_throttle.c.key == key)
                .values(failures=failures, next_check_at=now + wait_after(failures), checking_until=None)
            )
            if ip:
                db.execute(sa.insert(sign_in_failures).values(username=username, ip=ip, failed_at=now))

    def _address_wait(self, ip: str | None, now: datetime) -> timedelta | None:
        """How long an address guessing across many names must wait, or None."""
        if not ip:
            return None
        with self.engine.connect() as db:
            recent = (
                db.execute(
                    sa.select(sign_in_failures.c.failed_at)
                    .where(sign_in_failures.c.ip == ip, sign_in_failures.c.failed_at > now - ADDRESS_WINDOW)
                    .order_by(sign_in_failures.c.failed_at.desc())
                    .limit(ADDRESS_FAILURES)
                )
                .scalars()
                .all()
            )
        if len(recent) < ADDRESS_FAILURES:
            return None
        return aware(recent[-1]) + ADDRESS_WINDOW - now  # until the oldest of them ages out

    def _trusted_browser_of(self, token: str | None, now: datetime) -> int | None:
        """The staff id a trusted-browser cookie belongs to, while it is valid."""
        if not token or len(token) > 100:
            return None
        with self.engine.connect() as db:
            row = db.execute(
                sa.select(trusted_browsers).where(trusted_browsers.c.token_hash == _token_hash(token))
            ).first()
        return row.staff_id if row is not None and aware(row.expires_at) > now else None

    def _trust_browser(self, staff_id: int, now: datetime) -> str:
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            db.execute(
                sa.insert(trusted_browsers).values(
                    token_hash=_token_hash(token),
                    staff_id=staff_id,
                    created_at=now,
                    expires_at=now + TRUSTED_BROWSER_FOR,
                )
            )
        return token

    def delete_stale_sign_in_records(self) -> int:
        """For the retention purge: ended sessions, failures and back-offs nobody has hit for a
        day, expired trusted browsers. Returns how many rows went."""
        now = self.clock.now()
        with self.engine.begin() as db:
            return sum(
                db.execute(statement).rowcount
                for statement in (
                    sa.delete(staff_sessions).where(
                        sa.or_(
                            staff_sessions.c.expires_at <= now,
                            staff_sessions.c.last_seen_at <= now - SESSION_IDLE,
                        )
                    ),
                    sa.delete(sign_in_failures).where(sign_in_failures.c.failed_at <= now - ADDRESS_WINDOW),
                    sa.delete(sign_in_throttle).where(
                        sign_in_throttle.c.next_check_at <= now - STALE_SIGN_IN_RECORDS,
                        sa.or_(
                            sign_in_throttle.c.checking_until.is_(None),
                            sign_in_throttle.c.checking_until <= now,
                        ),
                    ),
                    sa.delete(trusted_browsers).where(trusted_browsers.c.expires_at <= now),
                )
            )

    # --- sessions ----------------------------------------------------------------------
    def start_session(self, staff_id: int, ip: str | None) -> str:
        """Returns the cookie value; the database keeps only its hash."""
        token, stamp = secrets.token_urlsafe(32), self.clock.now()
        with self.engine.begin() as db:
            db.execute(
                sa.insert(staff_sessions).values(
                    token_hash=_token_hash(token),
                    staff_id=staff_id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=stamp,
                    last_seen_at=stamp,
                    expires_at=stamp + SESSION_LONGEST,
                    ip=ip,
                )
            )
            db.execute(sa.update(staff).where(staff.c.id == staff_id).values(last_seen_at=stamp))
        return token

    def session(self, token: str | None, at: datetime | None = None) -> Session | None:
        """The signed-in staff member for a cookie, if the session is live; keeps it alive."""
        if not token or len(token) > 100:
            return None
        at = at or self.clock.now()
        digest = _token_hash(token)
        with self.engine.connect() as db:
            row = db.execute(
                sa.select(
                    staff,
                    staff_sessions.c.csrf_token,
                    staff_sessions.c.expires_at,
                    staff_sessions.c.last_seen_at.label("session_seen_at"),
                )
                .join(staff_sessions, staff.c.id == staff_sessions.c.staff_id)
                .where(staff_sessions.c.token_hash == digest)
            ).first()
        if row is None:
            return None
        last_seen, expires = aware(row.session_seen_at), aware(row.expires_at)
        if not row.active or at >= expires or at - last_seen >= SESSION_IDLE:
            self.end_session(token)
            return None
        if at - last_seen >= TOUCH_EVERY:
            with self.engine.begin() as db:
                db.execute(
                    sa.update(staff_sessions)
                    .where(staff_sessions.c.token_hash == digest)
                    .values(last_seen_at=at)
                )
                db.execute(sa.update(staff).where(staff.c.id == row.id).values(last_seen_at=at))
        return Session(_member(row), row.csrf_token, digest)

    def end_session(self, token: str) -> None:
        with self.engine.begin() as db:
            db.execute(sa.delete(staff_sessions).where(staff_sessions.c.token_hash == _token_hash(token)))

    @staticmethod
    def csrf_matches(session: Session, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(session.csrf_token.encode(), submitted.encode())

    # --- duty --------------------------------------------------------------------------
    def set_duty(self, staff_id: int, on_duty: bool) -> StaffMember:
        with self.engine.begin() as db:
            db.execute(
                sa.update(staff)
                .where(staff.c.id == staff_id)
                .values(on_duty=on_duty, duty_changed_at=self.clock.now(), last_seen_at=self.clock.now())
            )
        return self.get(staff_id)

    def seen(self, staff_id: int) -> None:
        with self.engine.begin() as db:
            db.execute(sa.update(staff).where(staff.c.id == staff_id).values(last_seen_at=self.clock.now()))

    def on_duty(self, at: datetime | None = None) -> list[StaffMember]:
        since = (at or self.clock.now()) - DUTY_LIVENESS
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(staff).where(
                    staff.c.active.is_(True), staff.c.on_duty.is_(True), staff.c.last_seen_at > since
                )
            ).all()
        return [_member(r) for r in rows]

    def on_duty_count(self, at: datetime | None = None) -> int | None:
        """How many staff are on duty now, or None when the console has never been set up (no
        accounts): then the force's staffed hours decide."""
        if not self.has_accounts():
            return None
        return len(self.on_duty(at))
