"""Staff accounts for the console: roles, sign-in with lock-out, sessions, and who is on duty.

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

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.db import aware, database_url, engine_for, sign_in_failures, staff, staff_sessions
from handoff.passwords import DEFAULT_LOG2_N, burn_time, check_strength, hash_password, verify_password

ROLES = ("agent", "supervisor")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")

# Lock-out: 5 wrong passwords for one username, or 20 from one address, within 15 minutes
# lock that username (or address) until 15 minutes after the first of them.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

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


@dataclass(frozen=True)
class SignIn:
    member: StaffMember | None
    locked: bool = False


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
            db.execute(sa.delete(sign_in_failures).where(sign_in_failures.c.username == member.username))

    # --- signing in --------------------------------------------------------------------
    def locked_out(self, username: str, ip: str | None, at: datetime | None = None) -> bool:
        since = (at or self.clock.now()) - FAILURE_WINDOW
        with self.engine.connect() as db:
            by_name = db.execute(
                sa.select(sa.func.count())
                .select_from(sign_in_failures)
                .where(sign_in_failures.c.username == username, sign_in_failures.c.failed_at > since)
            ).scalar_one()
            by_ip = (
                db.execute(
                    sa.select(sa.func.count())
                    .select_from(sign_in_failures)
                    .where(sign_in_failures.c.ip == ip, sign_in_failures.c.failed_at > since)
                ).scalar_one()
                if ip
                else 0
            )
        return by_name >= MAX_FAILURES_PER_ACCOUNT or by_ip >= MAX_FAILURES_PER_ADDRESS

    def sign_in(self, username: str, password: str, ip: str | None) -> SignIn:
        username = (username or "").strip().lower()[:64]
        if self.locked_out(username, ip):
            return SignIn(None, locked=True)  # even the right password waits out the lock
        with self.engine.connect() as db:
            row = db.execute(sa.select(staff).where(staff.c.username == username)).first()
        if row is None:
            burn_time()
            ok = False
        else:
            ok = verify_password(password or "", row.password_hash) and row.active
        if not ok:
            with self.engine.begin() as db:
                db.execute(
                    sa.insert(sign_in_failures).values(username=username, ip=ip, failed_at=self.clock.now())
                )
            return SignIn(None, locked=self.locked_out(username, ip))
        with self.engine.begin() as db:
            db.execute(sa.delete(sign_in_failures).where(sign_in_failures.c.username == username))
        return SignIn(_member(row))

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
