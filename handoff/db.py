"""The handoff database: every table the cases, the staff console and the audit log use.

SQLite by default (var/handoff.db), PostgreSQL (or anything SQLAlchemy speaks) by URL:
    HANDOFF_DB_URL=postgresql://user:pass@127.0.0.1:5432/handoff

The action server (which opens cases) and the console (which works them) are separate
processes on the same database, so every write is a short transaction and SQLite runs in WAL
mode with a busy timeout.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from handoff.private_files import private_sqlite

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'handoff.db'}"

metadata = sa.MetaData()

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False),  # queued | unavailable | connected | closed
    sa.Column("risk_level", sa.String(16), nullable=False),
    sa.Column("reasons", sa.Text, nullable=False),  # JSON list, urgency order
    sa.Column("audience", sa.String(16)),
    sa.Column("force_id", sa.String(64)),
    sa.Column("summary", sa.Text, nullable=False, default="[]"),  # JSON: the messages that raised it
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("outcome", sa.String(32)),
    # added with the staff console
    sa.Column("claimed_by", sa.Integer),  # staff.id of whoever has the case
    sa.Column("claimed_at", sa.DateTime(timezone=True)),
    sa.Column("closed_by", sa.Integer),
)

case_messages = sa.Table(
    "case_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(16), sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("sender", sa.String(16), nullable=False),  # user | bot | agent
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    # added with the staff console: who wrote an agent's message, and the message's identity in
    # the conversation (its time, sender and text: handoff/case_transcript.py message_key), so
    # copying the same events twice cannot duplicate a message, whichever process copies them
    sa.Column("author", sa.String(64)),
    sa.Column("event_key", sa.String(40)),
)
message_identity = sa.Index(
    "uq_case_messages_event", case_messages.c.case_id, case_messages.c.event_key, unique=True
)


case_notes = sa.Table(
    "case_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(16), sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("staff_id", sa.Integer, nullable=False),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # note | closing
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
)

staff = sa.Table(
    "staff",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),  # stored lower case
    sa.Column("display_name", sa.String(80), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # agent | supervisor
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Integer),
    sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("on_duty", sa.Boolean, nullable=False, default=False),
    sa.Column("duty_changed_at", sa.DateTime(timezone=True)),
    sa.Column("last_seen_at", sa.DateTime(timezone=True)),  # console open and signed in
)

staff_sessions = sa.Table(
    "staff_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 of the cookie value
    sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id"), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ip", sa.String(64)),
)

sign_in_failures = sa.Table(  # wrong passwords by address (one address guessing many names)
    "sign_in_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),  # as typed, lower case
    sa.Column("ip", sa.String(64), index=True),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
)

# Each account's (or trusted browser's) wrong passwords in a row, and when the next password may
# be checked: handoff/staff.py's back-off. `checking_until` holds the turn of the one check in
# progress, so parallel guesses are refused rather than checked.
sign_in_throttle = sa.Table(
    "sign_in_throttle",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),  # "account:<username>" | "browser:<hash>"
    sa.Column("failures", sa.Integer, nullable=False, default=0),
    sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("checking_until", sa.DateTime(timezone=True)),
)

# Browsers a staff member has signed in from: their own attempts wait out only their own
# failures, never a stranger's guesses at the same account (the cookie holds the token; this
# table its SHA-256).
trusted_browsers = sa.Table(
    "trusted_browsers",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("staff_id", sa.Integer),
    sa.Column("actor", sa.String(64), nullable=False),  # username, or "-" before sign-in
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("case_id", sa.String(16), index=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("ip", sa.String(64)),
)

# What the force learns without keeping data (handoff/statistics.py): how many of each thing
# happened on a day, and nothing else. No conversation or case id, no text, no staff name, no
# time finer than the day; each key comes from a fixed list (statistics.MEASURES).
statistics_counts = sa.Table(
    "statistics_counts",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),  # in UK time (statistics.DAY_ZONE)
    sa.Column("measure", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(48), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

# The schools' guided check's decision records (school_check/record_store.py): the check's
# structured answers, never chat text, and nothing that links them to a conversation
check_records = sa.Table(
    "check_records",
    metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column("force_id", sa.String(64), nullable=False),
    sa.Column("answers", sa.Text, nullable=False),  # JSON: the check's state (engine.CheckState)
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns: they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def database_url(url: str | None = None) -> str:
    return url or os.environ.get("HANDOFF_DB_URL") or DEFAULT_URL


_engines_lock = threading.Lock()


def engine_for(url: str) -> sa.engine.Engine:
    """One engine (and connection pool) per database per process, shared by every store."""
    with _engines_lock:  # threads (the outbox's retries, asyncio.to_thread) may ask at once
        return _engine_for(url)


@cache
def _engine_for(url: str) -> sa.engine.Engine:
    private_sqlite(url)  # 0600 in a 0700 folder: it holds what young people wrote
    # a database that does not answer must fail in seconds, not hang (the outbox holds the case)
    connect = {"connect_args": {"connect_timeout": 5}} if url.startswith("postgresql") else {}
    engine = sa.create_engine(url, future=True, pool_pre_ping=True, **connect)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the one writer
            cursor.execute("PRAGMA busy_timeout=10000")  # two processes write: wait, don't fail
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")  # deleted cases are overwritten, not left in free pages
            cursor.close()

    for attempt in range(5):
        try:
            metadata.create_all(engine)
            break
        except sa.exc.DatabaseError as problem:
            # another process (action server, Rasa's outbox retries, console) is making the
            # tables at the same moment: look again (any other error is for the caller)
            racing = any(sign in str(problem.orig) for sign in ("already exists", "duplicate key"))
            if attempt == 4 or not racing:
                raise
            time.sleep(0.1)
    _add_missing_columns(engine)
    return engine


engine_for.cache_clear = _engine_for.cache_clear  # a test's "new process"


def _add_missing_columns(engine: sa.engine.Engine) -> None:
    """Brings a database made before the staff console up to date (new nullable columns only)."""
    from handoff.case_transcript import give_keys_to_old_messages  # it imports these tables

    inspector = sa.inspect(engine)
    with engine.begin() as db:
        for table in (cases, case_messages):
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    kind = column.type.compile(dialect=engine.dialect)
                    db.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
        give_keys_to_old_messages(db)
    message_identity.create(engine, checkfirst=True)
